"""The demo street: a synthetic but plausible street in Pudong, in WGS-84.

Around 上钢新村街道 (31.180N, 121.490E), about 3 km × 3 km. Responsibility grids tile the
street (Voronoi cells clipped to the boundary), committees tile each grid and
micro-grids tile each committee, so the layers nest and never overlap. Everything is
deterministic from the seed. Geometry is built in local metres, then converted.
"""

from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass, field

import numpy as np
import shapely
from shapely.geometry import MultiPoint, Point, Polygon, mapping

from console.domain import devices
from console.domain.model import GridLayer, MicroGridType

LAT0, LON0 = 31.1795, 121.4905
_M_PER_DEG_LAT = 110574.0
_M_PER_DEG_LON = 111320.0 * math.cos(math.radians(LAT0))

DISTRICT_ID, DISTRICT_CODE, DISTRICT_NAME = "D310115", "310115", "浦东新区"
STREET_ID, STREET_CODE, STREET_NAME = "S310115009", "310115009", "上钢新村街道"

ROADS = ("济阳路", "耀华路", "上南路", "浦东南路", "云台路", "德州路", "长清路", "西营路",
         "高科西路", "南码头路", "齐河路", "雪野路", "临沂路", "灵岩南路", "东明路", "成山路",
         "川新路", "杨新路", "高青路", "海阳西路")
_STEMS = ("上钢", "济阳", "耀华", "云台", "德州", "长清", "西营", "上南", "南码头", "川新",
          "杨新", "高青", "雪野", "齐河", "东明", "灵岩", "成山", "临沂", "海阳", "春江")
_NUMS = "一二三四五六七八九十"

_MICRO_WEIGHTS = {
    MicroGridType.RESIDENTIAL: 40, MicroGridType.PUBLIC_AREA: 14, MicroGridType.COMMERCIAL: 8,
    MicroGridType.OFFICE: 6, MicroGridType.ENTERPRISE: 5, MicroGridType.SCHOOL: 5,
    MicroGridType.PUBLIC_INSTITUTION: 4, MicroGridType.MEDICAL: 3,
    MicroGridType.ELDERLY_CARE: 4, MicroGridType.CULTURE_SPORTS: 3,
    MicroGridType.SCENIC: 2, MicroGridType.CONSTRUCTION: 4, MicroGridType.OTHER: 2,
}
_MICRO_SUFFIX = {
    MicroGridType.RESIDENTIAL: "小区", MicroGridType.PUBLIC_AREA: "街面公共区域",
    MicroGridType.COMMERCIAL: "商业广场", MicroGridType.OFFICE: "商务楼宇",
    MicroGridType.ENTERPRISE: "产业园", MicroGridType.SCHOOL: "学校",
    MicroGridType.PUBLIC_INSTITUTION: "公共服务中心", MicroGridType.MEDICAL: "社区卫生服务站",
    MicroGridType.ELDERLY_CARE: "长者照护之家", MicroGridType.CULTURE_SPORTS: "文体中心",
    MicroGridType.SCENIC: "滨江绿地", MicroGridType.CONSTRUCTION: "在建工地",
    MicroGridType.OTHER: "其他区块",
}
#: owner -> security level (1 公开, 2 内部, 3 受限): police cameras are restricted
_CAMERA_LEVEL = {"street": 1, "property": 2, "construction": 2, "police": 3}
CAMERA_SOURCES = (("street", 30), ("police", 20), ("property", 14), ("construction", 8))
SENSOR_TYPES = (("smoke", "烟感", 50), ("water_level", "积水监测", 30),
                ("manhole", "智能井盖", 70), ("gas", "燃气报警", 30),
                ("fire_hydrant", "消火栓水压", 40), ("ebike_charging", "非机动车充电桩", 20))


def to_wgs(x: float, y: float) -> tuple[float, float]:
    """Local metres -> (lon, lat)."""
    return LON0 + x / _M_PER_DEG_LON, LAT0 + y / _M_PER_DEG_LAT


def to_local(lat: float, lon: float) -> tuple[float, float]:
    return (lon - LON0) * _M_PER_DEG_LON, (lat - LAT0) * _M_PER_DEG_LAT


def _geo(geom):
    scale = np.array([1 / _M_PER_DEG_LON, 1 / _M_PER_DEG_LAT])
    return shapely.transform(geom, lambda xy: xy * scale + np.array([LON0, LAT0]))


def _points_in(poly, n, rng):
    minx, miny, maxx, maxy = poly.bounds
    pts = []
    while len(pts) < n:
        x, y = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shapely.contains_xy(poly, x, y):
            pts.append((x, y))
    return pts


def _split(poly, n, rng):
    """Tile ``poly`` into about ``n`` cells (Voronoi of relaxed random points)."""
    if n <= 1:
        return [poly]
    pts = _points_in(poly, n, rng)
    for _ in range(2):  # Lloyd relaxation: more even cells
        cells = shapely.voronoi_polygons(MultiPoint(pts), extend_to=poly).geoms
        new = []
        for c in cells:
            c = c.intersection(poly)
            if not c.is_empty:
                p = c.representative_point() if not c.centroid.within(poly) else c.centroid
                new.append((p.x, p.y))
        pts = new
    out = []
    for c in shapely.voronoi_polygons(MultiPoint(pts), extend_to=poly).geoms:
        c = c.intersection(poly)
        polys = [g for g in getattr(c, "geoms", [c]) if g.geom_type == "Polygon" and g.area > 1]
        if polys:
            out.append(polys[0] if len(polys) == 1 else shapely.MultiPolygon(polys))
    return out


@dataclass
class Street:
    features: list[dict]                      # GeoJSON features, all layers
    micro: list[tuple[str, object, str]]      # (id, local geometry, micro_type)
    parents: dict[str, str]                   # cell id -> parent id
    resp_grid_ids: list[str]
    cameras: list[dict]
    sensors: list[dict]
    micro_weights: list[float] = field(default_factory=list)
    _tree: object = None
    _pool: list = field(default_factory=list)
    _cum: list = field(default_factory=list)

    def __post_init__(self):
        # a pool of points per micro-grid: sampling stays cheap for 10^5..10^6 tickets
        prng = np.random.default_rng(7)
        for _, geom, _ in self.micro:
            minx, miny, maxx, maxy = geom.bounds
            pts: list = []
            while len(pts) < 32:
                xs = prng.uniform(minx, maxx, 256)
                ys = prng.uniform(miny, maxy, 256)
                inside = shapely.contains_xy(geom, xs, ys)
                pts += list(zip(xs[inside], ys[inside]))
            self._pool.append([(round(lat, 6), round(lon, 6)) for lon, lat in
                               (to_wgs(x, y) for x, y in pts[:32])])
        total = 0.0
        for w in self.micro_weights:
            total += w
            self._cum.append(total)

    def chain(self, micro_id: str) -> dict[str, str]:
        c = self.parents[micro_id]
        g = self.parents[c]
        return {GridLayer.DISTRICT.value: DISTRICT_ID, GridLayer.STREET.value: STREET_ID,
                GridLayer.RESP_GRID.value: g, GridLayer.COMMITTEE.value: c,
                GridLayer.MICRO_GRID.value: micro_id}

    def locate(self, lat: float, lon: float) -> dict[str, str]:
        x, y = to_local(lat, lon)
        if self._tree is None:
            self._tree = shapely.STRtree([m[1] for m in self.micro])
        for i in self._tree.query(Point(x, y), predicate="intersects"):
            return self.chain(self.micro[int(i)][0])
        return {}

    def random_point(self, rng: random.Random, micro_index: int | None = None):
        """(lat, lon, grids) of a random point, micro-grid picked by weight."""
        if micro_index is None:
            micro_index = bisect.bisect(self._cum, rng.random() * self._cum[-1])
            micro_index = min(micro_index, len(self.micro) - 1)
        lat, lon = rng.choice(self._pool[micro_index])
        return lat, lon, self.chain(self.micro[micro_index][0])


def _feature(fid, layer, name, code, parent, geom, micro_type=None):
    return {"type": "Feature", "id": fid,
            "properties": {"layer": layer.value, "name": name, "code": code,
                           "parent_id": parent, "micro_type": micro_type},
            "geometry": mapping(_geo(geom))}


def build_street(seed: int) -> Street:
    rng = random.Random(f"street:{seed}")
    ring = []
    for k in range(10):
        a = 2 * math.pi * k / 10
        r = 1650 + rng.uniform(-180, 180)
        ring.append((r * math.cos(a) * 1.05, r * math.sin(a)))
    street = Polygon(ring)
    district = Polygon([(-9000, -7000), (6000, -9500), (14000, 2000), (9000, 12000),
                        (-2500, 9000), (-6000, 3000)])
    feats = [_feature(DISTRICT_ID, GridLayer.DISTRICT, DISTRICT_NAME, DISTRICT_CODE, None, district),
             _feature(STREET_ID, GridLayer.STREET, STREET_NAME, STREET_CODE, DISTRICT_ID, street)]
    parents: dict[str, str] = {STREET_ID: DISTRICT_ID}
    micro: list[tuple[str, object, str]] = []
    grids = sorted(_split(street, 24, rng), key=lambda g: (-g.centroid.y, g.centroid.x))
    stems = list(_STEMS)
    rng.shuffle(stems)
    used: set[str] = set()
    n_comm = 0
    types = list(_MICRO_WEIGHTS)
    weights = list(_MICRO_WEIGHTS.values())
    resp_ids = []
    for gi, g in enumerate(grids, 1):
        gid = f"G{gi:02d}"
        resp_ids.append(gid)
        parents[gid] = STREET_ID
        feats.append(_feature(gid, GridLayer.RESP_GRID, f"第{gi}责任网格", f"{STREET_CODE}-{gi:02d}",
                              STREET_ID, g))
        for c in _split(g, 2 if gi % 3 else 1, rng):
            n_comm += 1
            cid = f"C{n_comm:03d}"
            while True:
                stem = stems[rng.randrange(len(stems))]
                cname = f"{stem}{_NUMS[rng.randrange(10)]}村"
                if cname not in used:
                    used.add(cname)
                    break
            parents[cid] = gid
            feats.append(_feature(cid, GridLayer.COMMITTEE, f"{cname}居委会",
                                  f"{STREET_CODE}{n_comm:03d}", gid, c))
            for mi, m in enumerate(_split(c, rng.randint(8, 11), rng), 1):
                mid = f"M{len(micro) + 1:04d}"
                mt = types[len(micro)] if len(micro) < len(types) else rng.choices(types, weights)[0]
                parents[mid] = cid
                name = f"{cname}{mi}号{_MICRO_SUFFIX[mt]}" if mt == MicroGridType.RESIDENTIAL \
                    else f"{cname}{_MICRO_SUFFIX[mt]}{mi}"
                feats.append(_feature(mid, GridLayer.MICRO_GRID, name, f"{STREET_CODE}{n_comm:03d}{mi:03d}",
                                      cid, m, mt.value))
                micro.append((mid, m, mt.value))
    busy = {"residential": 1.6, "commercial": 2.0, "public_area": 1.8, "construction": 1.5}
    mw = [m[1].area * busy.get(m[2], 1.0) for m in micro]
    st = Street(feats, micro, parents, resp_ids, [], [], list(mw))
    st.cameras = _cameras(st, rng)
    st.sensors = _sensors(st, rng)
    return st


def _in_type(st: Street, rng, kinds):
    idx = [i for i, m in enumerate(st.micro) if m[2] in kinds] or list(range(len(st.micro)))
    return st.random_point(rng, rng.choice(idx))


def _cameras(st: Street, rng) -> list[dict]:
    out = []
    for source, n in CAMERA_SOURCES:
        for _ in range(n):
            if source == "property":
                lat, lon, g = _in_type(st, rng, {"residential", "office", "commercial"})
                place = "小区出入口"
            elif source == "construction":
                lat, lon, g = _in_type(st, rng, {"construction"})
                place = "工地围挡"
            else:
                lat, lon, g = st.random_point(rng)
                place = f"{rng.randrange(1, 999)}号"
            road = rng.choice(ROADS)
            cid = f"CAM{len(out) + 1:03d}"
            out.append({"id": cid, "name": f"{road}{place}{rng.choice('东南西北')}向",
                        "lat": lat, "lon": lon, "grid_id": g["resp_grid"], "online": True,
                        "stream_url": "", "substream_url": "", "source": source,
                        "security_level": _CAMERA_LEVEL[source]})
    return out


def _sensors(st: Street, rng) -> list[dict]:
    out = []
    for typ, label, n in SENSOR_TYPES:
        for k in range(1, n + 1):
            if typ in ("smoke", "ebike_charging", "gas"):
                lat, lon, g = _in_type(st, rng, {"residential", "elderly_care", "commercial"})
            else:
                lat, lon, g = st.random_point(rng)
            mode, via = _ACCESS[typ]
            spec = devices.SENSOR_KINDS[typ]
            out.append({"id": f"SN-{typ}-{k:03d}", "name": f"{label}{k:03d}", "type": typ,
                        "lat": lat, "lon": lon, "grid_id": g["resp_grid"], "status": "normal",
                        "online": True, "access_mode": mode, "via": via, "unit": spec.unit,
                        "threshold": spec.threshold, **reading(typ, rng)})
    return out


#: sensor type -> (access mode, platform it comes through): 设备直连 / 平台对接
_ACCESS = {"smoke": ("platform", "区消防物联网平台"), "gas": ("platform", "燃气公司监测平台"),
           "ebike_charging": ("platform", "充电桩运营平台"), "water_level": ("device", "街道物联感知平台"),
           "manhole": ("device", "街道物联感知平台"), "fire_hydrant": ("device", "街道物联感知平台")}
#: sensor type -> (normal low, normal high): a quiet reading
_NORMAL = {"water_level": (0.0, 4.0), "gas": (0.0, 3.0), "smoke": (0.0, 1.5), "manhole": (0.0, 3.0),
           "fire_hydrant": (0.25, 0.42), "ebike_charging": (18.0, 42.0)}


def reading(typ: str, rng, alarm: bool = False) -> dict:
    """A plausible reading of a sensor type: ``{"value", "unit"}``; over the threshold
    (under it, for water pressure) when ``alarm``."""
    spec = devices.SENSOR_KINDS[typ]
    if alarm:
        value = spec.threshold * (rng.uniform(1.2, 2.5) if spec.above else rng.uniform(0.2, 0.8))
    else:
        value = rng.uniform(*_NORMAL[typ])
    return {"value": round(min(max(value, spec.low), spec.high), 2), "unit": spec.unit}
