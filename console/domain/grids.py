"""Grid cells (网格) and point-in-grid lookup.

Every ticket's location falls in one cell of each layer (district -> street ->
responsibility grid -> committee -> micro-grid), and that decides who is responsible.
The platform ships the cells as GeoJSON Features in WGS-84; bad ones must not
break the index, so they are set aside in ``GridIndex.rejected`` with a reason an
administrator can act on.

A point exactly on a border shared by two cells is covered by both; the smallest
cell id wins, so every workstation and the platform assign it the same way.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from console.domain.model import GridLayer, MicroGridType

_GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
_LAYERS = frozenset(layer.value for layer in GridLayer)
_MICRO_TYPES = frozenset(t.value for t in MicroGridType)


@dataclass(frozen=True, slots=True)
class Cell:
    id: str
    layer: GridLayer
    name: str
    code: str
    parent_id: str | None
    micro_type: MicroGridType | None
    geometry: BaseGeometry  # shapely, x = lon, y = lat


def _position_error(pos: Any) -> str | None:
    if not isinstance(pos, (list, tuple)) or len(pos) not in (2, 3):
        return f"坐标点格式错误 (bad position): {pos!r}"
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pos):
        return f"坐标须为数字 (non-numeric coordinate): {pos!r}"
    lon, lat = pos[0], pos[1]
    if not (math.isfinite(lon) and math.isfinite(lat)) or not (
        -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0
    ):
        return f"坐标超出范围 (coordinate out of range): {pos!r}"
    return None


def _polygon_error(rings: Any) -> str | None:
    if not isinstance(rings, (list, tuple)) or not rings:
        return "多边形缺少坐标环 (polygon without rings)"
    for ring in rings:
        if not isinstance(ring, (list, tuple)) or len(ring) < 4:
            return "坐标环至少需要4个点 (a linear ring needs at least 4 positions)"
        for pos in ring:
            if (problem := _position_error(pos)) is not None:
                return problem
        if list(ring[0][:2]) != list(ring[-1][:2]):
            return "坐标环未闭合 (ring is not closed)"
    return None


def _geometry_error(geometry: Any) -> str | None:
    if not isinstance(geometry, Mapping) or geometry.get("type") not in _GEOMETRY_TYPES:
        return "几何类型须为 Polygon 或 MultiPolygon (geometry must be Polygon or MultiPolygon)"
    coords = geometry.get("coordinates")
    if geometry["type"] == "Polygon":
        return _polygon_error(coords)
    if not isinstance(coords, (list, tuple)) or not coords:
        return "MultiPolygon 缺少多边形 (MultiPolygon without polygons)"
    for rings in coords:
        if (problem := _polygon_error(rings)) is not None:
            return problem
    return None


def validate_feature(f: Any) -> str | None:
    """What is wrong with a grid Feature, or None when it can be indexed."""
    if not isinstance(f, Mapping) or f.get("type") != "Feature":
        return "不是 GeoJSON Feature (not a GeoJSON Feature)"
    fid = f.get("id")
    if isinstance(fid, bool) or not isinstance(fid, (str, int)) or fid == "":
        return "缺少网格编号 (missing feature id)"
    props = f.get("properties")
    if not isinstance(props, Mapping):
        return "缺少 properties (missing properties)"
    if props.get("layer") not in _LAYERS:
        return f"未知图层 (unknown layer): {props.get('layer')!r}"
    micro = props.get("micro_type")
    if micro is not None and micro not in _MICRO_TYPES:
        return f"未知微网格类型 (unknown micro_type): {micro!r}"
    if (problem := _geometry_error(f.get("geometry"))) is not None:
        return problem
    geom = shape(f["geometry"])
    if geom.is_empty:
        return "几何为空 (empty geometry)"
    if not geom.is_valid:
        return f"几何无效 (invalid geometry): {explain_validity(geom)}"
    return None


def _cell(f: Mapping[str, Any]) -> Cell:
    props = f["properties"]
    micro = props.get("micro_type")
    parent = props.get("parent_id")
    return Cell(
        id=str(f["id"]),
        layer=GridLayer(props["layer"]),
        name=str(props.get("name") or ""),
        code=str(props.get("code") or ""),
        parent_id=None if parent is None else str(parent),
        micro_type=None if micro is None else MicroGridType(micro),
        geometry=shape(f["geometry"]),
    )


class _Layer:
    """One STRtree over one layer's cells, ordered by id so the smallest id wins."""

    def __init__(self, cells: list[Cell]) -> None:
        self.cells = sorted(cells, key=lambda c: c.id)
        geoms = [c.geometry for c in self.cells]
        shapely.prepare(geoms)
        self.tree = shapely.STRtree(geoms)

    def locate(self, point: BaseGeometry) -> Cell | None:
        hits = self.tree.query(point, predicate="covered_by")
        return self.cells[int(hits.min())] if len(hits) else None


class GridIndex:
    """All grid layers, for locating a point; build with ``from_features``."""

    def __init__(self, layers: dict[GridLayer, _Layer], rejected: list[tuple[str, str]]):
        self._layers = layers
        self._by_id = {c.id: c for layer in layers.values() for c in layer.cells}
        #: Features left out, as (feature id, reason).
        self.rejected = rejected

    @classmethod
    def from_features(cls, features: Iterable[Mapping[str, Any]]) -> GridIndex:
        by_layer: dict[GridLayer, list[Cell]] = {}
        seen: set[str] = set()
        rejected: list[tuple[str, str]] = []
        for f in features:
            fid = str(f.get("id")) if isinstance(f, Mapping) else repr(f)[:40]
            if (problem := validate_feature(f)) is None and fid in seen:
                problem = f"网格编号重复 (duplicate id): {fid}"
            if problem is not None:
                rejected.append((fid, problem))
                continue
            seen.add(fid)
            cell = _cell(f)
            by_layer.setdefault(cell.layer, []).append(cell)
        return cls({layer: _Layer(cells) for layer, cells in by_layer.items()}, rejected)

    def locate(self, lat: float, lon: float) -> dict[str, str]:
        """Layer value -> id of the cell covering the WGS-84 point, for each layer that has one."""
        point = shapely.Point(lon, lat)
        found: dict[str, str] = {}
        for layer, index in self._layers.items():
            cell = index.locate(point)
            if cell is not None:
                found[layer.value] = cell.id
        return found

    def cells(self, layer: GridLayer | str) -> list[Cell]:
        """The cells of one layer, by id."""
        index = self._layers.get(GridLayer(layer))
        return list(index.cells) if index else []

    def cell(self, cell_id: str) -> Cell | None:
        return self._by_id.get(cell_id)
