"""Turning store rows into the compact JSON payloads the map page draws.

Plain Python (no Qt): bad grid features and out-of-range points are skipped and
counted here, and every coordinate is moved to the datum of the base map (data is
stored in WGS-84; GCJ-02 tiles need GCJ-02 coordinates or everything is ~500 m off).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from console.domain import geodesy
from console.domain.grids import validate_feature
from console.domain.model import GRID_LAYERS

if TYPE_CHECKING:
    from localdb.store import Store

LatLon = Callable[[float, float], tuple[float, float]]


def to_map_datum(datum: str) -> LatLon:
    """WGS-84 -> the base map's datum."""
    if str(datum).upper() == "GCJ02":
        return geodesy.wgs84_to_gcj02
    return lambda lat, lon: (lat, lon)


def from_map_datum(datum: str) -> LatLon:
    """The base map's datum -> WGS-84 (for what the officer selects on the map)."""
    if str(datum).upper() == "GCJ02":
        return geodesy.gcj02_to_wgs84
    return lambda lat, lon: (lat, lon)


def valid_point(lat: Any, lon: Any) -> bool:
    return (isinstance(lat, (int, float)) and isinstance(lon, (int, float))
            and math.isfinite(lat) and math.isfinite(lon)
            and -90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0)


@dataclass
class GridPayload:
    layers: dict[str, dict] = field(default_factory=dict)  # layer -> FeatureCollection
    skipped: int = 0
    reasons: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(v["features"]) for k, v in self.layers.items()}


def _convert_coords(coords: Any, conv: LatLon) -> Any:
    if coords and isinstance(coords[0], (int, float)):
        lat, lon = conv(float(coords[1]), float(coords[0]))
        return [round(lon, 7), round(lat, 7)]
    return [_convert_coords(c, conv) for c in coords]


def grid_payload(rows: Iterable[tuple[str, str, str, str | None, str]], datum: str) -> GridPayload:
    """FeatureCollections per layer from ``repo_map.grid_rows``; bad rows are counted."""
    conv = to_map_datum(datum)
    out = GridPayload(layers={layer.value: {"type": "FeatureCollection", "features": []}
                              for layer in GRID_LAYERS})
    for gid, layer, name, micro_type, text in rows:
        try:
            f = json.loads(text)
            err = validate_feature(f)
            if err is None and layer not in out.layers:
                err = f"unknown layer {layer!r}"
            if err is not None:
                raise ValueError(err)
            geom = f["geometry"]
            feature = {
                "type": "Feature", "id": gid,
                "properties": {"id": gid, "layer": layer, "name": name or "",
                               "micro_type": micro_type or ""},
                "geometry": {"type": geom["type"], "coordinates": _convert_coords(geom["coordinates"], conv)},
            }
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            out.skipped += 1
            out.reasons.append(f"{gid}: {exc}")
            continue
        out.layers[layer]["features"].append(feature)
    return out


def ticket_payload(rows: Iterable[tuple[str, float, float, int]], datum: str) -> tuple[dict, int]:
    """Column arrays {"ids", "lat", "lon", "st"} and the number of skipped rows."""
    conv = to_map_datum(datum)
    ids: list[str] = []
    lats: list[float] = []
    lons: list[float] = []
    states: list[int] = []
    skipped = 0
    for tid, lat, lon, code in rows:
        if not valid_point(lat, lon):
            skipped += 1
            continue
        lat, lon = conv(lat, lon)
        ids.append(tid)
        lats.append(round(lat, 6))
        lons.append(round(lon, 6))
        states.append(int(code))
    return {"ids": ids, "lat": lats, "lon": lons, "st": states}, skipped


def camera_payload(rows: Iterable[tuple], datum: str) -> tuple[list[dict], int]:
    conv = to_map_datum(datum)
    out, skipped = [], 0
    for cid, name, lat, lon, online in rows:
        if not valid_point(lat, lon):
            skipped += 1
            continue
        lat, lon = conv(lat, lon)
        out.append({"id": cid, "name": name or cid, "lat": lat, "lon": lon, "online": bool(online)})
    return out, skipped


def sensor_payload(rows: Iterable[tuple], datum: str) -> tuple[list[dict], int]:
    conv = to_map_datum(datum)
    out, skipped = [], 0
    for sid, name, kind, lat, lon, status in rows:
        if not valid_point(lat, lon):
            skipped += 1
            continue
        lat, lon = conv(lat, lon)
        out.append({"id": sid, "name": name or sid, "type": kind or "", "lat": lat, "lon": lon,
                    "status": status if status in ("normal", "alarm", "offline") else "normal"})
    return out, skipped


def alarm_payload(rows: Iterable[tuple], datum: str) -> tuple[list[dict], int]:
    conv = to_map_datum(datum)
    out, skipped = [], 0
    for aid, kind, lat, lon, level in rows:
        if not valid_point(lat, lon):
            skipped += 1
            continue
        lat, lon = conv(lat, lon)
        out.append({"id": aid, "type": kind or "", "lat": lat, "lon": lon, "level": level or ""})
    return out, skipped


def heat_payload(rows: Iterable[tuple[float, float]], datum: str) -> list[float]:
    """Flat [lat, lon, lat, lon, ...] (half the JSON of a list of pairs)."""
    conv = to_map_datum(datum)
    flat: list[float] = []
    for lat, lon in rows:
        if valid_point(lat, lon):
            lat, lon = conv(lat, lon)
            flat.append(round(lat, 5))
            flat.append(round(lon, 5))
    return flat


def bbox_to_wgs84(bbox: list[float], datum: str) -> list[float]:
    """[s, w, n, e] on the map -> [s, w, n, e] in WGS-84."""
    conv = from_map_datum(datum)
    s, w, n, e = (float(v) for v in bbox)
    lat1, lon1 = conv(s, w)
    lat2, lon2 = conv(n, e)
    return [min(lat1, lat2), min(lon1, lon2), max(lat1, lat2), max(lon1, lon2)]


# --- background reads (run on the task pool: one store session each) -----------------
def load_all(store: Store, datum: str, now: float, lead_s: float) -> dict:
    """Everything the page draws at once, as payloads (first load and reloads).
    The heat map is not in it: ``load_heat`` runs when that layer is turned on."""
    from localdb import repo_map

    with store.session() as s:
        grid_rows = repo_map.grid_rows(s)
        places = repo_map.place_rows(s)
        ticket_rows = repo_map.ticket_points(s, now, lead_s)
        camera_rows = repo_map.cameras(s)
        sensor_rows = repo_map.sensors(s)
        alarm_rows = repo_map.active_alarms(s)
    resources = load_resources(store, datum)
    tickets, t_skip = ticket_payload(ticket_rows, datum)
    cams, c_skip = camera_payload(camera_rows, datum)
    sens, s_skip = sensor_payload(sensor_rows, datum)
    alarms, a_skip = alarm_payload(alarm_rows, datum)
    return {"grids": grid_payload(grid_rows, datum), "places": places, "tickets": tickets,
            "cameras": cams, "sensors": sens, "alarms": alarms, "resources": resources,
            "sensor_pos": {r[0]: (r[3], r[4]) for r in sensor_rows},
            "skipped": t_skip + c_skip + s_skip + a_skip}


def resource_payload(rows: Iterable[dict], datum: str) -> list[dict]:
    """应急物资 and 应急力量 with a place, for the page's resources layer."""
    conv = to_map_datum(datum)
    out = []
    for r in rows:
        if not valid_point(r.get("lat"), r.get("lon")):
            continue
        lat, lon = conv(float(r["lat"]), float(r["lon"]))
        if r.get("category") == "supply":
            tip = f"{r['name']} {r.get('quantity', '')}{r.get('unit', '')}（{r.get('location', '')}）"
        else:
            tip = f"{r['name']}（{r.get('contact', '')} {r.get('phone', '')}）"
        out.append({"id": r["id"], "category": r.get("category"), "lat": lat, "lon": lon, "tip": tip})
    return out


def load_resources(store: Store, datum: str) -> list[dict]:
    from localdb import repo_commander

    with store.session() as s:
        return resource_payload(repo_commander.resources(s), datum)


def load_heat(store: Store, datum: str, since: float) -> list[float]:
    from localdb import repo_map

    with store.session() as s:
        return heat_payload(repo_map.heat_points(s, since), datum)


def read_changes(store: Store, dirty: dict[str, list[str]], datum: str, now: float, lead_s: float) -> dict:
    """Payloads for the changed ids only: kind -> (upserts, ids to remove)."""
    from localdb import repo_map

    out: dict[str, Any] = {}
    with store.session() as s:
        if "ticket" in dirty:
            cols, _ = ticket_payload(repo_map.ticket_points(s, now, lead_s, dirty["ticket"]), datum)
            out["ticket"] = (cols, sorted(set(dirty["ticket"]) - set(cols["ids"])))
        for kind, read, build in (("camera", repo_map.cameras, camera_payload),
                                  ("sensor", repo_map.sensors, sensor_payload),
                                  ("alarm", repo_map.active_alarms, alarm_payload)):
            if kind in dirty:
                rows = read(s, dirty[kind])
                points, _ = build(rows, datum)
                out[kind] = (points, sorted(set(dirty[kind]) - {p["id"] for p in points}))
                if kind == "sensor":
                    out["sensor_pos"] = {r[0]: (r[3], r[4]) for r in rows}
        if "grid" in dirty:
            out["grid"] = grid_payload(repo_map.grid_rows(s), datum)
            out["places"] = repo_map.place_rows(s)
    return out
