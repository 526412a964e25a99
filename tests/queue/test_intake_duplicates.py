"""Intake's duplicate check weighs category and text as well as distance (it listed
seven unrelated tickets within 50 m and officers learn to click 仍然保存), and a point
picked on the map fills the address."""

from __future__ import annotations

import dataclasses
import random

from PySide6.QtCore import Qt

from console.domain import duplicates as dup
from console.domain.model import CategoryKind, TicketState
from localdb import queue_query as qq
from localdb import repo
from localdb.feed import apply_changes
from tests.factories import LAT0, LON0, make_ticket
from tests.queue.conftest import NOW
from tests.queue.test_queue_panel import type_chinese

UNRELATED = [("02001", "暴露垃圾", "人行道暴露垃圾"), ("03001", "无证设摊", "路口无证设摊"),
             ("01021", "路灯", "路灯不亮"), ("04001", "乱张贴", "墙面乱张贴小广告"),
             ("05001", "违法搭建", "屋顶违法搭建"), ("02002", "道路不洁", "路面油污一片"),
             ("03002", "占道经营", "水果摊占用人行道")]


def _quiet_spot(store) -> tuple[float, float]:
    """A point in the street's grids with no ticket within 60 m."""
    with store.session() as s:
        for k in range(200):
            lat = LAT0 + 0.002 + (k % 14) * 0.0011
            lon = LON0 + 0.002 + (k // 14) * 0.0013
            if not repo.nearby_tickets(s, lat, lon, 60.0):
                return lat, lon
    raise AssertionError("no quiet spot in the sample")


def _around(store, lat, lon) -> dict[str, str]:
    """Nine tickets within 40 m: seven unrelated, one of the same category, one of another
    category that reports the same thing in other words. Number -> what it is."""
    rnd = random.Random(3)
    changes, what = [], {}
    rows = [(c, n, d, "unrelated") for c, n, d in UNRELATED]
    rows += [("01001", "上水井盖", "井盖松动有响声", "same_category"),
             ("09009", "其他", "人行道井盖缺失，行人可能跌落", "alike_text")]
    for i, (code, name, desc, kind) in enumerate(rows):
        t = make_ticket(rnd, NOW, 80_000 + i)
        t = dataclasses.replace(t, lat=lat + (i - 4) * 3e-5, lon=lon + 2e-5, category_code=code,
                                category_name=name, category_kind=CategoryKind.COMPONENT,
                                description=desc, state=TicketState.HANDLING,
                                created_at=NOW - 3600, updated_at=NOW - 3600,
                                address=f"济阳路{300 + i}号")
        what[t.number] = kind
        changes.append({"seq": 60_000 + i, "kind": "ticket", "op": "upsert", "id": t.id, "data": t.to_dict()})
    apply_changes(store, changes, "c-around")
    return what


def _open_new(panel, qtbot):
    qtbot.keyClick(panel.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    d = panel.dialog
    assert d is not None and d.objectName() == "new_ticket_dialog"
    return d


def _fill(d, lat, lon, description="人行道井盖缺失，有行人跌落风险"):
    type_chinese(d.category_search, "井盖")
    assert d.selected_category()["code"] == "01001"
    d.set_point(lat, lon)
    type_chinese(d.description, description)
    d.address.setText("济阳路1号")


def test_only_tickets_about_the_same_thing_are_listed(panel, store, qtbot):
    lat, lon = _quiet_spot(store)
    what = _around(store, lat, lon)
    with store.session() as s:
        before = qq.total(s)
    d = _open_new(panel, qtbot)
    _fill(d, lat, lon)
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert d.dupes.isVisible()
    listed = [d.dupes.item(i).text() for i in range(d.dupes.count())]
    kinds = [next(k for n, k in what.items() if n in text) for text in listed]
    assert sorted(kinds) == ["alike_text", "same_category"], listed
    assert kinds[0] == "same_category" and listed[0].startswith("★")
    assert "2" in d.dupes_label.text()
    with store.session() as s:
        assert qq.total(s) == before  # nothing saved yet
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)  # 仍然保存
    with store.session() as s:
        assert qq.total(s) == before + 1


def test_unrelated_neighbours_do_not_stop_the_save(panel, store, qtbot):
    lat, lon = _quiet_spot(store)
    _around(store, lat, lon)
    with store.session() as s:
        before = qq.total(s)
    d = _open_new(panel, qtbot)
    type_chinese(d.category_search, "消防栓")
    d.set_point(lat, lon)
    type_chinese(d.description, "消防栓被车撞歪漏水")
    d.address.setText("济阳路1号")
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert not d.dupes.isVisible()
    with store.session() as s:
        assert qq.total(s) == before + 1


def test_map_pick_fills_the_address_and_keeps_a_typed_one(panel, store, qtbot):
    lat, lon = _quiet_spot(store)
    what = _around(store, lat, lon)
    d = _open_new(panel, qtbot)
    bus = panel.ctx.bus
    bus.sig_point_picked.emit(d.pick_request, lat, lon)
    with store.session() as s:
        nearest = repo.nearby_tickets(s, lat, lon, 80.0)[0]
    assert nearest["number"] in what
    assert d.address.text() == nearest["address"]
    # picking again moves the filled-in address with the point
    bus.sig_point_picked.emit(d.pick_request, LAT0 + 0.015, LON0 + 0.018)
    assert d.address.text() and d.address.text() != nearest["address"]
    # what the officer typed is never overwritten
    d.address.setText("东明路88弄3号")
    bus.sig_point_picked.emit(d.pick_request, lat, lon)
    assert d.address.text() == "东明路88弄3号"


def test_text_alike_reads_chinese_without_a_word_splitter():
    assert dup.text_alike("人行道井盖缺失", "人行道井盖缺失，行人可能跌落") == 1.0
    assert dup.text_alike("人行道井盖缺失", "屋顶违法搭建") == 0.0
    new = {"category_code": "01001", "category_kind": "component", "description": "井盖缺失"}
    near = [{"id": "a", "category_code": "02001", "category_kind": "component", "description": "暴露垃圾",
             "distance_m": 5.0, "state": "handling"},
            {"id": "b", "category_code": "01001", "category_kind": "component", "description": "井盖松动",
             "distance_m": 45.0, "state": "closed"}]
    assert [d["id"] for d in dup.likely_duplicates(new, near, 50.0)] == ["b"]
