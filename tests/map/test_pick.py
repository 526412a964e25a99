"""Picking a point on the map for another panel (a new ticket from a phone call)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from tests.map.conftest import NOW, js, stats

BANNER = "Click the map to choose the location, Esc to cancel"


def _request(qtbot, panel, request_id: str) -> None:
    panel.ctx.bus.sig_pick_point.emit(request_id)
    qtbot.waitUntil(lambda: stats(qtbot, panel)["picking"] == request_id, timeout=5000)
    assert panel.picking == request_id


def _settled(qtbot, panel) -> None:
    """Wait until the map stops moving (the fit after loading animates)."""
    last = [None]

    def still() -> bool:
        now = js(qtbot, panel, "DutyMap.latLngAt(420, 330)")
        same, last[0] = now == last[0], now
        return same

    qtbot.waitUntil(still, timeout=5000)


def test_pick_mode_click_answers_with_the_wgs84_point(qtbot, open_panel):
    panel = open_panel()
    bus = panel.ctx.bus
    _request(qtbot, panel, "req-1")
    st = stats(qtbot, panel)
    assert BANNER in st["pickBanner"]
    assert "picking" in js(qtbot, panel, "document.querySelector('.leaflet-container').className")
    with qtbot.waitSignal(bus.sig_point_picked, timeout=5000) as picked:
        assert js(qtbot, panel, "DutyMap.mapClick(31.1801, 121.4902)") is True
    rid, lat, lon = picked.args
    assert rid == "req-1"
    assert lat == pytest.approx(31.1801, abs=1e-9) and lon == pytest.approx(121.4902, abs=1e-9)
    # pick mode is over: the banner is gone and another click picks nothing
    qtbot.waitUntil(lambda: stats(qtbot, panel)["picking"] is None, timeout=5000)
    assert panel.picking is None and stats(qtbot, panel)["pickBanner"] == ""
    with qtbot.assertNotEmitted(bus.sig_point_picked, wait=200):
        js(qtbot, panel, "DutyMap.mapClick(31.18, 121.49)")


def test_a_real_mouse_click_picks_the_point_under_the_pointer(qtbot, open_panel):
    panel = open_panel()
    _request(qtbot, panel, "req-mouse")
    _settled(qtbot, panel)
    # end the fit animation of the load: the view stays where it is told from now on
    js(qtbot, panel, "map_duty.stop(), map_duty.setView([31.18, 121.49], 16, {animate: false}), 1")
    _settled(qtbot, panel)
    with qtbot.waitSignal(panel.ctx.bus.sig_point_picked, timeout=5000) as picked:
        QTest.mouseClick(panel.view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(420, 330))
    rid, lat, lon = picked.args
    assert rid == "req-mouse"
    # the picked point is where the pointer was (in the page's own projection)
    x, y = js(qtbot, panel, f"DutyMap.pointOf({json.dumps(lat)}, {json.dumps(lon)})")
    assert abs(x - 420) < 1.5 and abs(y - 330) < 1.5


def test_clicking_a_ticket_marker_in_pick_mode_picks_instead_of_selecting(qtbot, open_panel, store):
    from localdb import repo_map

    panel = open_panel()
    bus = panel.ctx.bus
    with store.session() as s:
        tid, lat, lon, _ = repo_map.ticket_points(s, NOW)[0]
    # zoom 18: no clustering, the ticket's own marker is under the pointer
    js(qtbot, panel, f"map_duty.stop(), map_duty.setView([{lat}, {lon}], 18, {{animate: false}}), 1")
    _settled(qtbot, panel)
    _request(qtbot, panel, "req-marker")
    # markers let clicks through in pick mode, so the map's own click handler gets it
    assert js(qtbot, panel, "getComputedStyle(document.querySelector('.tk')).pointerEvents") == "none"
    x, y = js(qtbot, panel, f"DutyMap.pointOf({json.dumps(lat)}, {json.dumps(lon)})")
    with qtbot.assertNotEmitted(bus.sig_select_ticket), \
            qtbot.waitSignal(bus.sig_point_picked, timeout=5000) as picked:
        QTest.mouseClick(panel.view.focusProxy(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                         QPoint(round(x), round(y)))
    assert picked.args[1] == pytest.approx(lat, abs=5e-5) and picked.args[2] == pytest.approx(lon, abs=5e-5)


def test_escape_cancels_and_a_new_request_replaces_the_old(qtbot, open_panel):
    panel = open_panel()
    bus = panel.ctx.bus
    _request(qtbot, panel, "req-a")
    with qtbot.waitSignal(bus.sig_pick_cancelled, timeout=5000) as cancelled:
        bus.sig_pick_point.emit("req-b")
    assert cancelled.args == ["req-a"]
    qtbot.waitUntil(lambda: stats(qtbot, panel)["picking"] == "req-b", timeout=5000)
    # Esc in the page (the page's own key handler)
    with qtbot.waitSignal(bus.sig_pick_cancelled, timeout=5000) as cancelled:
        js(qtbot, panel, "document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape'})), 1")
    assert cancelled.args == ["req-b"]
    assert panel.picking is None
    assert stats(qtbot, panel)["pickBanner"] == ""
    with qtbot.assertNotEmitted(bus.sig_point_picked, wait=200):
        js(qtbot, panel, "DutyMap.mapClick(31.18, 121.49)")
    # Esc typed on the keyboard with the map focused
    _request(qtbot, panel, "req-c")
    with qtbot.waitSignal(bus.sig_pick_cancelled, timeout=5000) as cancelled:
        QTest.keyClick(panel.view.focusProxy(), Qt.Key.Key_Escape)
    assert cancelled.args == ["req-c"]
    qtbot.waitUntil(lambda: stats(qtbot, panel)["picking"] is None, timeout=5000)


def test_gcj02_tiles_pick_answers_in_wgs84(qtbot, open_panel):
    from console.domain import geodesy

    panel = open_panel(tile_url="http://127.0.0.1:9/{z}/{x}/{y}.png", tile_datum="GCJ02")
    assert panel.datum == "GCJ02"
    _request(qtbot, panel, "req-gcj")
    glat, glon = geodesy.wgs84_to_gcj02(31.18, 121.49)
    with qtbot.waitSignal(panel.ctx.bus.sig_point_picked, timeout=5000) as picked:
        js(qtbot, panel, f"DutyMap.mapClick({json.dumps(glat)}, {json.dumps(glon)})")
    _, lat, lon = picked.args
    assert (lat, lon) == pytest.approx(geodesy.gcj02_to_wgs84(glat, glon), abs=1e-9)
    assert lat == pytest.approx(31.18, abs=1e-5) and lon == pytest.approx(121.49, abs=1e-5)
    assert abs(glon - lon) > 1e-3  # the datum shift (~500 m) was taken off


def test_the_new_ticket_dialog_gets_its_point_and_grid_from_a_pick(qtbot, open_panel, store):
    from console.domain.grids import GridIndex
    from localdb import repo, repo_map
    from views.new_ticket import NewTicketDialog

    panel = open_panel()
    with store.session() as s:
        index = GridIndex.from_features(repo.grid_features(s))
        points = repo_map.ticket_points(s, NOW)
    lat, lon = next((p[1], p[2]) for p in points if index.locate(p[1], p[2]).get("committee"))
    dialog = NewTicketDialog(panel.ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pick_button.isVisible()
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stats(qtbot, panel)["picking"] == dialog.pick_request, timeout=5000)
    assert not dialog.isVisible()  # out of the way of the map
    with qtbot.waitSignal(panel.ctx.bus.sig_point_picked, timeout=5000):
        js(qtbot, panel, f"DutyMap.mapClick({json.dumps(lat)}, {json.dumps(lon)})")
    assert dialog.isVisible()
    assert dialog.lat.value() == pytest.approx(lat, abs=1e-6)
    assert dialog.lon.value() == pytest.approx(lon, abs=1e-6)
    assert dialog.cells() == index.locate(dialog.lat.value(), dialog.lon.value())
    assert dialog.cells().get("committee")
    assert dialog.grid_label.text() not in ("", "—")
    assert not dialog.errors["point"].isVisible()
