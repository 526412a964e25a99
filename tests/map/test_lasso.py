"""Lasso selection on the map: a freehand polygon filters the queue to exactly the
tickets inside it (bbox in SQL, then point-in-polygon)."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from shapely.geometry import Point, Polygon
from sqlalchemy import text

from tests.map.conftest import js, stats


def _all_points(store) -> list[tuple[str, float, float]]:
    with store.session() as s:
        return [tuple(r) for r in s.execute(text("SELECT id, lat, lon FROM tickets WHERE lat IS NOT NULL"))]


def _triangle(points) -> list[list[float]]:
    """A triangle over the lower-left half of the tickets' extent (concave to the bbox)."""
    lats = [p[1] for p in points]
    lons = [p[2] for p in points]
    s, n, w, e = min(lats), max(lats), min(lons), max(lons)
    return [[s - 1e-4, w - 1e-4], [n + 1e-4, w - 1e-4], [s - 1e-4, e + 1e-4]]


def _inside(points, polygon) -> set[str]:
    shape = Polygon([(lon, lat) for lat, lon in polygon])
    return {tid for tid, lat, lon in points if shape.covers(Point(lon, lat))}


def _draw(qtbot, panel, target, path, modifier) -> None:
    """Press, move through ``path`` and release; each move is waited for in the page
    (Chromium coalesces a burst of moves into one per frame)."""
    QTest.mousePress(target, Qt.MouseButton.LeftButton, modifier, path[0])
    qtbot.waitUntil(lambda: stats(qtbot, panel)["lassoPoints"] == 1, timeout=5000)
    for i, p in enumerate(path[1:], start=2):
        QTest.mouseMove(target, p)
        qtbot.waitUntil(lambda i=i: stats(qtbot, panel)["lassoPoints"] == i, timeout=5000)
    QTest.mouseRelease(target, Qt.MouseButton.LeftButton, modifier, path[-1])


def test_lasso_in_the_page_sends_a_wgs84_polygon(qtbot, open_panel):
    panel = open_panel()
    poly = [[31.17, 121.47], [31.19, 121.47], [31.19, 121.50], [31.175, 121.485]]
    with qtbot.waitSignal(panel.ctx.bus.sig_filter_queue, timeout=5000) as sel:
        js(qtbot, panel, f"DutyMap.selectPolygon({json.dumps(poly)})")
    got = sel.args[0]["polygon"]
    assert len(got) >= 3
    assert all(any(p == pytest.approx(q, abs=1e-12) for q in poly) for p in got)  # a subset, exact
    assert sel.args[0].keys() == {"polygon"}


def test_lasso_with_the_mouse_button_and_alt_drag(qtbot, open_panel):
    panel = open_panel()
    bus = panel.ctx.bus
    target = panel.view.focusProxy()
    js(qtbot, panel, "document.querySelector('.lasso-btn').click(), 1")
    assert stats(qtbot, panel)["lassoing"] is True
    path = [QPoint(300, 200), QPoint(420, 210), QPoint(520, 300), QPoint(430, 400), QPoint(320, 330)]
    with qtbot.waitSignal(bus.sig_filter_queue, timeout=5000) as lasso:
        _draw(qtbot, panel, target, path, Qt.KeyboardModifier.NoModifier)
    poly = lasso.args[0]["polygon"]
    assert len(poly) >= 4
    assert Polygon([(lon, lat) for lat, lon in poly]).area > 0
    # the button again: back to panning; then Alt-drag draws a lasso without the button
    js(qtbot, panel, "document.querySelector('.lasso-btn').click(), 1")
    assert stats(qtbot, panel)["lassoing"] is False
    alt = Qt.KeyboardModifier.AltModifier
    with qtbot.waitSignal(bus.sig_filter_queue, timeout=5000) as lasso:
        _draw(qtbot, panel, target, path, alt)
    assert len(lasso.args[0]["polygon"]) >= 4


def test_lasso_filters_the_queue_to_exactly_the_tickets_inside(qtbot, open_panel, store):
    from views.queue import QueuePanel

    panel = open_panel()
    queue = QueuePanel(panel.ctx)
    qtbot.addWidget(queue)
    points = _all_points(store)
    poly = _triangle(points)
    expected = _inside(points, poly)
    lats = [p[0] for p in poly]
    lons = [p[1] for p in poly]
    in_bbox = {tid for tid, lat, lon in points
               if min(lats) <= lat <= max(lats) and min(lons) <= lon <= max(lons)}
    assert 0 < len(expected) < len(in_bbox)  # the exact step matters on this data

    def shown() -> set[str]:
        queue.model.load_all()
        return {queue.model.ticket_id_at(r) for r in range(queue.model.rowCount())}

    with qtbot.waitSignal(panel.ctx.bus.sig_filter_queue, timeout=5000):
        js(qtbot, panel, f"DutyMap.selectPolygon({json.dumps(poly)})")
    qtbot.waitUntil(lambda: shown() == expected, timeout=10000)
    assert "polygon" in queue.external_label.text()
    queue.clear_filters()
    assert len(shown()) == len(points)
    panel.ctx.tasks.wait(5000)
