"""Exact polygon (lasso) filters over ticket points (Qt-free).

The queue's filters run in SQL; SQL here only knows a bounding box. A polygon filter
is therefore two steps: the polygon's bbox in SQL (``localdb.queue_query``'s ``bbox``
filter), then point-in-polygon with shapely over the tickets that matched, giving the
ids the queue then filters on (``ids``). Polygons are ``[[lat, lon], ...]`` in WGS-84,
as the map sends them; a freehand lasso may cross itself, so the ring is made valid
first (a figure eight becomes its two loops). Points on the boundary count as inside.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

#: rows read per page while walking the bbox matches
PAGE = 5000


class PolygonError(ValueError):
    """The polygon is not usable (fewer than 3 points, non-numbers, no area)."""


def clean_polygon(points: Any) -> list[list[float]]:
    """``[[lat, lon], ...]`` as floats, checked (raises PolygonError)."""
    if not isinstance(points, (list, tuple)) or len(points) < 3:
        raise PolygonError("a polygon needs at least 3 points")
    out: list[list[float]] = []
    for p in points:
        try:
            lat, lon = (float(v) for v in p)
        except (TypeError, ValueError) as exc:
            raise PolygonError(f"not a [lat, lon] point: {p!r}") from exc
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise PolygonError(f"point out of range: {p!r}")
        out.append([lat, lon])
    return out


def bbox(points: Sequence[Sequence[float]]) -> list[float]:
    """[min_lat, min_lon, max_lat, max_lon] of the points (the queue's ``bbox`` filter)."""
    lats = [float(p[0]) for p in points]
    lons = [float(p[1]) for p in points]
    return [min(lats), min(lons), max(lats), max(lons)]


def shape(points: Sequence[Sequence[float]]) -> BaseGeometry:
    """The polygon as a valid shapely geometry (x = lon, y = lat)."""
    geom = Polygon([(float(lon), float(lat)) for lat, lon in points])
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.is_empty or geom.area <= 0:
        raise PolygonError("the polygon has no area")
    shapely.prepare(geom)
    return geom


def inside(geom: BaseGeometry, rows: Iterable[tuple[str, Any, Any]]) -> list[str]:
    """Ids of the ``(id, lat, lon)`` rows whose point lies in (or on) ``geom``."""
    ids: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    for tid, lat, lon in rows:
        if lat is None or lon is None:
            continue
        ids.append(tid)
        lats.append(float(lat))
        lons.append(float(lon))
    if not ids:
        return []
    mask = shapely.intersects_xy(geom, np.asarray(lons), np.asarray(lats))
    return [tid for tid, hit in zip(ids, mask) if hit]


def ticket_ids_in_polygon(session: Any, points: Sequence[Sequence[float]], now: float,
                          actor_id: str | None = None) -> list[str]:
    """Ids of the tickets whose point lies in the polygon: the bbox in SQL, then exact."""
    from localdb import queue_query as qq
    from localdb import repo_queue as rq

    pts = clean_polygon(points)
    geom = shape(pts)
    box = bbox(pts)
    out: list[str] = []
    offset = 0
    while True:
        rids = qq.query_ids(session, {"bbox": box}, "age", True, offset, PAGE, now, actor_id)
        if not rids:
            break
        rows = rq.get_rows(session, rids)
        out.extend(inside(geom, ((r["id"], r.get("lat"), r.get("lon")) for r in rows.values())))
        if len(rids) < PAGE:
            break
        offset += len(rids)
    return out
