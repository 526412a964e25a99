"""Base-map tiles of the demo street (时空底图): roads with names, the river, blocks, parks.

A district platform hands its streets a shared base map; the simulator draws one for its
synthetic street so the demo map looks like a map and the console's offline tile cache
has something real to keep. Geometry comes from ``geo.build_street``: responsibility-grid
borders become main roads (named from ``geo.ROADS``), committee borders secondary roads,
micro-grid borders lanes; micro-grids are filled by type (parks and green for scenic and
culture/sports cells); the Huangpu runs along the street's north-west side.

Tiles are 256 px Web Mercator XYZ PNGs in WGS-84 (``DATUM``), zoom ``MIN_ZOOM``..``MAX_ZOOM``,
drawn with Pillow on first request and kept in memory. Labels are placed by absolute pixel
position, so a name cut by a tile edge continues on the neighbouring tile.
"""

from __future__ import annotations

import io
import itertools
import logging
import math
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import shapely
from fastapi import APIRouter, Path as PathParam, Request
from fastapi.responses import Response
from PIL import Image, ImageDraw, ImageFont
from shapely.geometry import LineString, MultiLineString, Polygon
from shapely.ops import linemerge, unary_union

from simulator import geo

log = logging.getLogger(__name__)

DATUM = "WGS84"
MIN_ZOOM, MAX_ZOOM = 12, 18
TILE = 256
_CACHE_TILES = 2048
_R = 6378137.0

BACKGROUND = (242, 239, 233)
STREET_LAND = (236, 232, 224)
WATER = (170, 211, 223)
ROAD_MAIN, ROAD_MAIN_CASE = (255, 226, 160), (214, 170, 90)
ROAD_MINOR, ROAD_CASE = (255, 255, 255), (200, 196, 188)
LABEL, HALO = (60, 60, 60), (255, 255, 255)
BLOCK_FILL = {
    "residential": (232, 222, 212), "commercial": (242, 218, 200), "office": (226, 220, 232),
    "enterprise": (228, 224, 214), "school": (245, 236, 200), "public_institution": (236, 226, 210),
    "medical": (240, 220, 220), "elderly_care": (236, 228, 214), "culture_sports": (205, 232, 200),
    "scenic": (190, 228, 180), "construction": (222, 212, 196), "public_area": (232, 230, 226),
    "other": (230, 228, 222),
}
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)


def merc(lon: float, lat: float) -> tuple[float, float]:
    """WGS-84 degrees -> Web Mercator metres."""
    lat = max(min(lat, 85.0511), -85.0511)
    return (_R * math.radians(lon),
            _R * math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """(minx, miny, maxx, maxy) of tile z/x/y in Web Mercator metres."""
    span = 2 * math.pi * _R / (1 << z)
    minx = -math.pi * _R + x * span
    maxy = math.pi * _R - y * span
    return minx, maxy - span, minx + span, maxy


def _to_merc(geom):
    def conv(coords: np.ndarray) -> np.ndarray:
        return np.array([merc(*geo.to_wgs(x, y)) for x, y in coords.tolist()]).reshape(coords.shape)
    return shapely.transform(geom, conv)


def _lines(geom) -> list[LineString]:
    merged = linemerge(geom) if not isinstance(geom, LineString) else geom
    return list(merged.geoms) if isinstance(merged, MultiLineString) else [merged]


@dataclass
class Road:
    name: str
    line: LineString        # Web Mercator metres
    rank: int               # 0 main, 1 secondary


class StreetMap:
    """The street's base-map layers in Web Mercator metres, built once per street."""

    def __init__(self, street: geo.Street) -> None:
        self.street = street
        self._lock = threading.Lock()
        self._tiles: OrderedDict[tuple[int, int, int], bytes] = OrderedDict()

    @cached_property
    def layers(self) -> dict:
        st = self.street
        by_grid: dict[str, list] = {}
        by_comm: dict[str, list] = {}
        blocks = []
        for mid, geom, mtype in st.micro:
            comm = st.parents[mid]
            by_comm.setdefault(comm, []).append(geom)
            by_grid.setdefault(st.parents[comm], []).append(geom)
            blocks.append((mtype, geom))
        grids = [unary_union(g) for g in by_grid.values()]
        comms = [unary_union(c) for c in by_comm.values()]
        outline = unary_union(grids)
        main = unary_union([p.boundary for p in (outline, *grids)])
        secondary = unary_union([c.boundary for c in comms]).difference(main.buffer(3))
        lanes = unary_union([g.boundary for _, g in blocks]).difference(
            unary_union([main, secondary]).buffer(3))
        roads: list[Road] = []
        names = itertools.cycle(geo.ROADS)
        for rank, geom in ((0, main), (1, secondary)):
            for part in sorted(_lines(geom), key=lambda p: -p.length):
                if part.length >= 120:
                    named = rank == 0 or part.length > 500
                    roads.append(Road(next(names) if named else "", _to_merc(part), rank))
        minx, miny, maxx, maxy = outline.bounds
        cx, cy = outline.centroid.x, outline.centroid.y
        # the Huangpu: a smooth bend along the street's west side
        ys = np.linspace(miny - 6000, maxy + 6000, 80)
        xs = minx - 520 - 900 * ((ys - cy) / 6000) ** 2 + 160 * np.sin((ys - cy) / 900)
        river_line = LineString(np.column_stack([xs, ys]))
        river = river_line.buffer(360).difference(outline.buffer(80))
        # arterial roads leaving the street, so the map does not end at its border
        for k, ang in enumerate((20, 95, 160, 205, 280, 335)):
            a = math.radians(ang)
            far = LineString([(cx, cy), (cx + 9000 * math.cos(a), cy + 9000 * math.sin(a))])
            out = far.difference(outline.buffer(-1)).difference(river.buffer(20))
            for part in _lines(out):
                if part.length > 300:
                    roads.append(Road(geo.ROADS[k], _to_merc(part), 0))
        return {
            "outline": _to_merc(outline),
            "blocks": [(t, _to_merc(g.buffer(-9))) for t, g in blocks if not g.buffer(-9).is_empty],
            "roads": roads,
            "lanes": _to_merc(lanes),
            "river": _to_merc(river),
            "river_label": _to_merc(river_line.interpolate(0.5, normalized=True)),
        }

    def tile(self, z: int, x: int, y: int) -> bytes:
        key = (z, x, y)
        with self._lock:
            if key in self._tiles:
                self._tiles.move_to_end(key)
                return self._tiles[key]
        data = render(self.layers, z, x, y)
        with self._lock:
            self._tiles[key] = data
            while len(self._tiles) > _CACHE_TILES:
                self._tiles.popitem(last=False)
        return data


_font_cache: dict[int, ImageFont.ImageFont] = {}


def font(size: int):
    if size not in _font_cache:
        for path in FONT_CANDIDATES:
            if Path(path).is_file():
                try:
                    _font_cache[size] = ImageFont.truetype(path, size)
                    break
                except OSError:
                    continue
        else:
            log.warning("no CJK font found for base-map labels (install fonts-noto-cjk)")
            _font_cache[size] = ImageFont.load_default()
    return _font_cache[size]


def render(layers: dict, z: int, x: int, y: int) -> bytes:
    minx, miny, maxx, maxy = tile_bounds(z, x, y)
    scale = TILE / (maxx - minx)
    margin = 200 / scale  # labels and wide lines reaching in from neighbours
    view = shapely.box(minx - margin, miny - margin, maxx + margin, maxy + margin)

    def px(coords):
        return [((cx - minx) * scale, (maxy - cy) * scale) for cx, cy in coords]

    img = Image.new("RGB", (TILE, TILE), BACKGROUND)
    d = ImageDraw.Draw(img)

    def fill(geom, colour, outline=None):
        if geom.is_empty or not geom.intersects(view):
            return
        for poly in getattr(geom, "geoms", [geom]):
            if not isinstance(poly, Polygon) or not poly.intersects(view):
                continue
            d.polygon(px(poly.exterior.coords), fill=colour, outline=outline)
            for hole in poly.interiors:
                d.polygon(px(hole.coords), fill=BACKGROUND)

    def stroke(geom, colour, width):
        if geom.is_empty or not geom.intersects(view):
            return
        for line in getattr(geom, "geoms", [geom]):
            if line.intersects(view):
                d.line(px(line.coords), fill=colour, width=max(1, int(width)), joint="curve")

    fill(layers["outline"], STREET_LAND)
    if z >= 14:
        for mtype, geom in layers["blocks"]:
            fill(geom, BLOCK_FILL.get(mtype, BLOCK_FILL["other"]))
    fill(layers["river"], WATER)
    lane_w = {16: 1, 17: 2, 18: 3}.get(z, 0)
    if lane_w:
        stroke(layers["lanes"], ROAD_MINOR, lane_w)
    road_w = {0: 2.0, 1: 1.2}
    zoom_f = 2 ** (z - 14)
    for rank in (1, 0):
        w = road_w[rank] * zoom_f * (1.6 if z >= 16 else 1.0)
        if rank == 1 and z < 13:
            continue
        for road in layers["roads"]:
            if road.rank == rank:
                stroke(road.line, ROAD_MAIN_CASE if rank == 0 else ROAD_CASE, w + 2)
        for road in layers["roads"]:
            if road.rank == rank:
                stroke(road.line, ROAD_MAIN if rank == 0 else ROAD_MINOR, w)
    if z >= 14:
        size = {14: 11, 15: 12, 16: 13, 17: 15, 18: 17}[z]
        f = font(size)
        for road in layers["roads"]:
            long_enough = road.line.length * scale > 2.2 * size * len(road.name)
            if road.name and long_enough and (road.rank == 0 or z >= 16):
                _label(d, f, road.name, road.line.interpolate(0.5, normalized=True), px, view)
        _label(d, font(size + 3), "黄浦江", layers["river_label"], px, view, colour=(60, 110, 150))
    out = io.BytesIO()
    img.save(out, "PNG", optimize=False)
    return out.getvalue()


def _label(d, f, text, point, px, view, colour=LABEL):
    if not point.intersects(view):
        return
    (cx, cy), = px([(point.x, point.y)])
    left, top, right, bottom = d.textbbox((0, 0), text, font=f)
    pos = (cx - (right - left) / 2, cy - (bottom - top) / 2 - top)
    d.text(pos, text, font=f, fill=colour, stroke_width=2, stroke_fill=HALO)


router = APIRouter(tags=["basemap"])


@router.get("/api/v1/basemap", tags=["basemap"])
def basemap_info():
    """Where the street's base-map tiles are and in which datum (no token: a base map is
    public geography, and the console's tile loader fetches it like a tile server)."""
    return {"tiles": "/tiles/{z}/{x}/{y}.png", "datum": DATUM, "min_zoom": MIN_ZOOM,
            "max_zoom": MAX_ZOOM, "tile_size": TILE,
            "attribution": f"{geo.STREET_NAME} 时空底图 (模拟)"}


@router.get("/tiles/{z}/{x}/{y}.png", response_class=Response,
            responses={200: {"content": {"image/png": {}}}, 404: {"description": "outside the zoom range"}})
def basemap_tile(request: Request, z: int = PathParam(ge=0, le=24), x: int = PathParam(ge=0),
                 y: int = PathParam(ge=0)):
    """One 256 px PNG tile of the street's base map (Web Mercator XYZ, WGS-84)."""
    from simulator.errors import ApiError

    if not (MIN_ZOOM <= z <= MAX_ZOOM) or x >= (1 << z) or y >= (1 << z):
        raise ApiError(404, "not_found", f"no tile {z}/{x}/{y} (zoom {MIN_ZOOM}..{MAX_ZOOM})")
    rt = request.app.state.rt
    smap = getattr(rt, "_basemap", None)
    if smap is None:
        smap = rt._basemap = StreetMap(rt.street)
    return Response(smap.tile(z, x, y), media_type="image/png",
                    headers={"Cache-Control": "public, max-age=86400"})
