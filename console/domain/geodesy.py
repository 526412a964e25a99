"""Datum conversion and distances for the map.

Grids, cameras and tickets are stored in WGS-84, but Chinese web maps, phones and
many vendor feeds use GCJ-02 (the obfuscated "Mars" datum, offset up to ~500 m
in Shanghai). Converting at the edges keeps one datum inside the console.
The GCJ-02 formula is the well-known public one on the Krasovsky ellipsoid; it has
no closed-form inverse, so gcj02_to_wgs84 solves it by fixed-point iteration.
"""

from __future__ import annotations

import math
from typing import NamedTuple

_A = 6378245.0                    # Krasovsky 1940 semi-major axis (m)
_EE = 0.00669342162296594323      # its first eccentricity squared
EARTH_RADIUS_M = 6371008.8        # mean radius (IUGG), for haversine
_INVERSE_TOLERANCE_DEG = 1e-9     # ~0.1 mm, well inside the 1e-7 deg target
_INVERSE_MAX_STEPS = 30


class BBox(NamedTuple):
    south: float
    west: float
    north: float
    east: float


def out_of_china(lat: float, lon: float) -> bool:
    """GCJ-02 only applies inside this rough box; elsewhere both datums coincide."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _offset(lat: float, lon: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    dlat = (-100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y
            + 0.2 * math.sqrt(abs(x)))
    dlat += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    dlat += (160.0 * math.sin(y / 12.0 * math.pi) + 320 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    dlon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    dlon += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    dlon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    dlon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    rad = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    dlat = (dlat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    dlon = (dlon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return dlat, dlon


def wgs84_to_gcj02(lat: float, lon: float) -> tuple[float, float]:
    if out_of_china(lat, lon):
        return lat, lon
    dlat, dlon = _offset(lat, lon)
    return lat + dlat, lon + dlon


def gcj02_to_wgs84(lat: float, lon: float) -> tuple[float, float]:
    """Invert wgs84_to_gcj02 by iterating w <- w - (f(w) - g) from w = g."""
    if out_of_china(lat, lon):
        return lat, lon
    wlat, wlon = lat, lon
    for _ in range(_INVERSE_MAX_STEPS):
        glat, glon = wgs84_to_gcj02(wlat, wlon)
        dlat, dlon = glat - lat, glon - lon
        wlat, wlon = wlat - dlat, wlon - dlon
        if abs(dlat) < _INVERSE_TOLERANCE_DEG and abs(dlon) < _INVERSE_TOLERANCE_DEG:
            break
    return wlat, wlon


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine; ample for a street's extent)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def bbox_around(lat: float, lon: float, radius_m: float) -> BBox:
    """A box that contains every point within radius_m (a cheap prefilter before distance_m).

    Longitudes are not wrapped at the antimeridian: no street is anywhere near it.
    """
    if radius_m < 0:
        raise ValueError("radius_m must not be negative")
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    cos_lat = math.cos(math.radians(lat))
    dlon = 180.0 if cos_lat < 1e-9 else min(180.0, dlat / cos_lat)
    return BBox(max(-90.0, lat - dlat), lon - dlon, min(90.0, lat + dlat), lon + dlon)
