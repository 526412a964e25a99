"""The queue's polygon (lasso) filter without the map page: bbox in SQL, then exact
point-in-polygon (console.geo_filter), compared with shapely over the sample store."""

from __future__ import annotations

import random

import pytest
from shapely.geometry import Point, Polygon
from sqlalchemy import text

from console import geo_filter
from localdb.feed import apply_changes
from tests.factories import make_ticket
from tests.map.conftest import NOW


@pytest.fixture
def queue(qtbot, store):
    from console.domain.model import Actor, Role
    from console.qt.context import AppContext, TaskRunner
    from views.queue import QueuePanel

    ctx = AppContext(store=store, actor=Actor("officer1", "李信息员", Role.OFFICER, "WS-01"),
                     clock=lambda: NOW, tasks=TaskRunner(inline=True))
    p = QueuePanel(ctx)
    qtbot.addWidget(p)
    return p


def _points(store):
    with store.session() as s:
        return [tuple(r) for r in s.execute(text("SELECT id, lat, lon FROM tickets WHERE lat IS NOT NULL"))]


def _shown(panel) -> set[str]:
    panel.model.load_all()
    return {panel.model.ticket_id_at(r) for r in range(panel.model.rowCount())}


def _expected(points, poly) -> set[str]:
    shape = Polygon([(lon, lat) for lat, lon in poly])
    if not shape.is_valid:
        from shapely import make_valid

        shape = make_valid(shape)
    return {tid for tid, lat, lon in points if shape.covers(Point(lon, lat))}


def _concave(points) -> list[list[float]]:
    """A "C" around the tickets' extent: concave, so bbox and polygon differ."""
    lats = [p[1] for p in points]
    lons = [p[2] for p in points]
    s, n, w, e = min(lats), max(lats), min(lons), max(lons)
    h, v = (e - w), (n - s)
    return [[s, w], [s, e], [s + v * 0.3, e], [s + v * 0.3, w + h * 0.4], [s + v * 0.7, w + h * 0.4],
            [s + v * 0.7, e], [n, e], [n, w]]


def test_polygon_filter_shows_exactly_the_tickets_inside(queue, store):
    points = _points(store)
    poly = _concave(points)
    expected = _expected(points, poly)
    assert 0 < len(expected) < len(points)
    queue.ctx.bus.sig_filter_queue.emit({"polygon": poly})
    assert _shown(queue) == expected
    # other filters still combine with it (in SQL)
    queue.set_tab("overdue")
    with store.session() as s:
        overdue = {r[0] for r in s.execute(text("SELECT id FROM tickets WHERE limit_deadline < :n"), {"n": NOW})}
    assert _shown(queue) == expected & overdue
    queue.clear_filters()
    queue.set_tab("all")
    assert len(_shown(queue)) == len(points)


def test_a_self_crossing_lasso_and_an_empty_one(queue, store):
    points = _points(store)
    lats = sorted(p[1] for p in points)
    lons = sorted(p[2] for p in points)
    s, n, w, e = lats[0], lats[-1], lons[0], lons[-1]
    bowtie = [[s, w], [n, e], [s, e], [n, w]]  # a figure eight: its two loops count
    expected = _expected(points, bowtie)
    assert expected
    queue.apply_external_filter({"polygon": bowtie})
    assert _shown(queue) == expected
    # a lasso around no ticket at all shows nothing (not everything)
    queue.apply_external_filter({"polygon": [[30.0, 120.0], [30.001, 120.0], [30.0, 120.001]]})
    assert _shown(queue) == set()
    # a broken polygon is ignored (the queue is not left half-filtered)
    queue.apply_external_filter({"polygon": [[31.1, 121.4], ["x", 1]]})
    assert len(_shown(queue)) == len(points)


def test_a_new_ticket_inside_the_lasso_appears(qtbot, queue, store):
    points = _points(store)
    poly = _concave(points)
    queue.apply_external_filter({"polygon": poly})
    before = _shown(queue)
    lat = (poly[0][0] * 0.9 + poly[7][0] * 0.1)
    lon = (poly[0][1] * 0.5 + poly[1][1] * 0.5)  # low band of the "C": inside
    assert geo_filter.inside(geo_filter.shape(poly), [("x", lat, lon)]) == ["x"]
    t = make_ticket(random.Random(7), NOW, 7777).replace(lat=lat, lon=lon)
    apply_changes(store, [{"seq": 70_000, "kind": "ticket", "op": "upsert", "id": t.id, "data": t.to_dict()}], "c9")
    queue.ctx.journal.poke()
    qtbot.waitUntil(lambda: _shown(queue) == before | {t.id}, timeout=5000)


def test_geo_filter_helpers():
    poly = [[0, 0], [0, 2], [2, 2], [2, 0]]
    assert geo_filter.bbox(poly) == [0, 0, 2, 2]
    shape = geo_filter.shape(poly)
    assert geo_filter.inside(shape, [("a", 1, 1), ("b", 3, 1), ("c", 0, 1), ("d", None, 1)]) == ["a", "c"]
    with pytest.raises(geo_filter.PolygonError):
        geo_filter.clean_polygon([[0, 0], [1, 1]])
    with pytest.raises(geo_filter.PolygonError):
        geo_filter.shape([[0, 0], [1, 1], [2, 2]])  # no area
