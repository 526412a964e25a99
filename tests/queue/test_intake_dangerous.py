"""A ticket of a dangerous category (井盖缺失…) made at the desk's new-ticket form starts
under 重点监管: the form says so before saving, the store has it at once."""

from __future__ import annotations

from PySide6.QtCore import Qt

from sqlalchemy import text

from localdb import repo
from tests.queue.test_intake_duplicates import _open_new, _quiet_spot
from tests.queue.test_queue_panel import type_chinese


def _saved_ids(store) -> set[str]:
    with store.session() as s:
        return {r[0] for r in s.execute(text("SELECT id FROM tickets"))}


def test_a_dangerous_category_is_under_key_supervision_from_the_form(panel, store, qtbot):
    lat, lon = _quiet_spot(store)
    before = _saved_ids(store)
    d = _open_new(panel, qtbot)
    type_chinese(d.category_search, "消防栓")  # not dangerous in the sample catalogue
    assert not d.key_hint.isVisible()
    d.category_search.clear()
    type_chinese(d.category_search, "上水井盖")  # dangerous
    assert d.selected_category()["code"] == "01001"
    assert d.key_hint.isVisible()  # zh_CN text: resources/i18n/queue.zh_CN.ts
    d.set_point(lat, lon)
    type_chinese(d.description, "人行道井盖缺失，有行人跌落风险")
    d.address.setText("济阳路1号")
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(_saved_ids(store) - before) == 1, timeout=10_000)
    (new_id,) = _saved_ids(store) - before
    with store.session() as s:
        t = repo.get_ticket(s, new_id)
    assert t.category_code == "01001" and t.key_supervision is True
