"""The new-ticket dialog asks the map for its point (``Bus.sig_pick_point``) and takes
the answer (``sig_point_picked``) or the cancellation; here the map is played by a
stand-in on the bus (tests/map/test_pick.py drives the real map)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.domain.grids import GridIndex
from localdb import repo


@pytest.fixture
def dialog(qtbot, panel):
    qtbot.mouseClick(panel.new_button, Qt.MouseButton.LeftButton)
    d = panel.dialog
    qtbot.waitExposed(d)
    return d


@pytest.fixture
def fake_map(ctx):
    requests: list[str] = []
    ctx.bus.sig_pick_point.connect(requests.append)
    return requests


def _point_in_a_grid(store) -> tuple[float, float, dict]:
    with store.session() as s:
        index = GridIndex.from_features(repo.grid_features(s))
        feats = repo.grid_rows(s, "committee")
    for f in feats:
        lat, lon = (f["min_lat"] + f["max_lat"]) / 2, (f["min_lon"] + f["max_lon"]) / 2
        cells = index.locate(lat, lon)
        if cells.get("committee"):
            return lat, lon, cells
    raise AssertionError("no committee centre inside a grid")


def test_pick_button_asks_the_map_and_the_answer_fills_point_and_grid(qtbot, ctx, store, dialog, fake_map):
    assert dialog.pick_button.isVisible()
    with qtbot.waitSignal(dialog.sig_pick_on_map, timeout=1000):
        qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    assert fake_map == [dialog.pick_request]
    assert not dialog.isVisible()  # out of the map's way while the officer picks
    lat, lon, cells = _point_in_a_grid(store)
    ctx.bus.sig_point_picked.emit("someone-else", 31.0, 121.0)  # another panel's answer
    assert not dialog.isVisible() and dialog.lat.value() == 0.0
    ctx.bus.sig_point_picked.emit(dialog.pick_request, lat, lon)
    assert dialog.isVisible()
    assert dialog.lat.value() == pytest.approx(lat, abs=1e-6)
    assert dialog.lon.value() == pytest.approx(lon, abs=1e-6)
    assert dialog.cells() == cells
    assert dialog.grid_label.text() not in ("", "—")
    assert not dialog.errors["point"].isVisible()


def test_a_point_outside_every_grid_shows_the_error(qtbot, ctx, dialog, fake_map):
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    ctx.bus.sig_point_picked.emit(dialog.pick_request, 30.5, 120.5)
    assert dialog.isVisible()
    assert dialog.cells() == {}
    assert dialog.errors["point"].isVisible()
    assert "outside every grid" in dialog.errors["point"].text()


def test_cancelling_the_pick_brings_the_dialog_back_unchanged(qtbot, ctx, dialog, fake_map):
    dialog.set_point(31.18, 121.49)
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    ctx.bus.sig_pick_cancelled.emit(dialog.pick_request)
    assert dialog.isVisible()
    assert (dialog.lat.value(), dialog.lon.value()) == (31.18, 121.49)
    assert dialog.result() == 0 and dialog.isVisible()  # still open, not rejected


def test_without_a_map_the_dialog_says_so_and_stays(qtbot, dialog):
    qtbot.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.errors["point"].isVisible()
    assert "map" in dialog.errors["point"].text().lower()


def test_a_closed_dialog_no_longer_listens(qtbot, ctx, dialog, fake_map):
    dialog.reject()
    ctx.bus.sig_point_picked.emit(dialog.pick_request, 31.18, 121.49)
    assert not dialog.isVisible() and dialog.lat.value() == 0.0
