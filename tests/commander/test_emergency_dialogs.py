"""The emergency switch's dialogs as a shift leader uses them (issue #13, problem 4): the
place comes from the map or an address of the street, never a default; the rings and
the nearby cameras go there; ending with open items asks why."""

from __future__ import annotations

from PySide6.QtCore import Qt

from localdb import repo_commander as rc
from tests.factories import SCENE

from .conftest import LEADER, FakeClock, at, ticket

T0 = at(22, 10)


def test_no_place_no_switch_and_the_address_is_found_in_the_street(make_store, make_ctx, qtbot):
    from views.emergency_start import StartDialog

    store = make_store([ticket("pending", created=T0 - 600, address="浦明路88号", lat=31.183, lon=121.487)])
    ctx = make_ctx(store, FakeClock(T0), actor=LEADER)
    dlg = StartDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.kind.setCurrentIndex(dlg.kind.findData("flood"))
    assert "防汛防台专项应急预案" in dlg.plan_label.text() and "1" in dlg.plan_label.text()
    assert [dlg.level.itemData(i) for i in range(dlg.level.count())] == ["I", "II", "III", "IV"]
    dlg.title.setText("浦明路积水")
    assert dlg.point is None
    dlg.ok_button.click()
    assert dlg.result() == 0 and dlg.error.text() == dlg.tr(
        "Choose the place: pick it on the map or type an address of the street")
    dlg.address.setText("火星路")
    assert dlg.places.count() == 1 and not dlg.places.item(0).flags() & Qt.ItemFlag.ItemIsEnabled
    dlg.address.clear()
    assert dlg.choose_address("浦明路88")
    inc = dlg.incident()
    assert (inc["lat"], inc["lon"], inc["location_source"], inc["address"]) == (31.183, 121.487, "address", "浦明路88号")
    dlg.address.setText("浦明路88号x")  # the text changed: the found place no longer holds
    assert dlg.point is None


def test_the_map_pick_places_the_incident_and_outside_the_street_is_refused(make_store, make_ctx, qtbot):
    from views.emergency_start import StartDialog

    ctx = make_ctx(make_store(), FakeClock(T0), actor=LEADER)
    answers = [(31.30, 121.60), SCENE]

    def the_map(request_id: str) -> None:  # the map panel answers the pick request
        ctx.bus.sig_point_picked.emit(request_id, *answers.pop(0))

    ctx.bus.sig_pick_point.connect(the_map)
    dlg = StartDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.title.setText("仓库火情")
    dlg.pick_button.click()
    assert dlg.point is None and dlg.error.text() == dlg.tr(
        "That place is outside the street: pick again or type an address")
    dlg.pick_button.click()
    assert dlg.point == SCENE and dlg.source == "map" and not dlg.error.text()
    assert dlg.incident()["address"] == "济阳一村居委会 济阳一村1号块"  # the pick's place, named
    dlg.ok_button.click()
    assert dlg.result() == 1


def test_rings_and_cameras_follow_the_chosen_place(make_store, make_ctx, qtbot):
    from views.emergency import EmergencyView

    store = make_store()
    ctx = make_ctx(store, FakeClock(T0), actor=LEADER)
    got = []
    ctx.bus.sig_emergency.connect(got.append)
    view = EmergencyView(ctx)
    qtbot.addWidget(view)
    view.start("fire", "仓库火情", "IV", *SCENE, address="测试路1号", location_source="address")
    assert got and (got[-1]["lat"], got[-1]["lon"]) == SCENE  # what the map rings and the wall use
    with store.session() as s:
        e = rc.active_emergency(s)
    assert (e["lat"], e["lon"]) == SCENE


def test_ending_with_open_items_names_them_and_wants_a_reason(make_store, make_ctx, qtbot):
    from views.emergency_start import EndDialog

    items = [{"text": "推送现场视频", "owner": "值班长", "done_at": None},
             {"text": "书面续报", "owner": "指挥长", "done_at": None}]
    dlg = EndDialog(items)
    qtbot.addWidget(dlg)
    assert dlg.findChild(type(dlg.reason), "end_reason").isVisibleTo(dlg)
    lst = [dlg.findChild(__import__("PySide6.QtWidgets", fromlist=["QListWidget"]).QListWidget,
                         "open_items").item(i).text() for i in range(2)]
    assert lst == ["推送现场视频（值班长）", "书面续报（指挥长）"]
    dlg.ok_button.click()
    assert dlg.result() == 0 and dlg.error.text()
    dlg.reason.setPlainText("移交消防")
    dlg.ok_button.click()
    assert dlg.result() == 1
    none_open = EndDialog([])
    qtbot.addWidget(none_open)
    assert not none_open.reason.isVisibleTo(none_open)
    none_open.ok_button.click()
    assert none_open.result() == 1
