"""The platform's base map (时空底图): PNG tiles of the street with roads, river and blocks."""

from __future__ import annotations

import io
import math

import requests
from PIL import Image

from simulator import basemap, geo


def _xy(z: int, lat: float, lon: float) -> tuple[int, int]:
    n = 1 << z
    return (int((lon + 180) / 360 * n),
            int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n))


def _tile(sim, z, x, y) -> requests.Response:
    return requests.get(f"{sim.url}/tiles/{z}/{x}/{y}.png", timeout=20)


def test_basemap_info_declares_tiles_datum_and_zooms(sim):
    info = requests.get(sim.url + "/api/v1/basemap", timeout=10).json()
    assert info["datum"] == "WGS84" and info["tiles"] == "/tiles/{z}/{x}/{y}.png"
    assert info["min_zoom"] <= 14 <= 16 <= info["max_zoom"]


def test_tile_over_the_street_is_a_map_with_roads_and_blocks(sim):
    z = 16
    x, y = _xy(z, geo.LAT0, geo.LON0)
    r = _tile(sim, z, x, y)
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"
    img = Image.open(io.BytesIO(r.content)).convert("RGB")
    assert img.size == (256, 256)
    colours = {c for _, c in img.getcolors(65536)}
    assert basemap.ROAD_MAIN in colours                      # a main road crosses the centre
    assert len(colours) > 20                                   # blocks, roads, labels — not a blank
    assert colours & set(basemap.BLOCK_FILL.values())


def test_river_is_drawn_west_of_the_street(sim):
    z = 14
    lat = geo.LAT0
    found = False
    for dx_m in range(1800, 4200, 200):   # walk west from the centre
        lon = geo.LON0 - dx_m / (111320.0 * math.cos(math.radians(lat)))
        x, y = _xy(z, lat, lon)
        img = Image.open(io.BytesIO(_tile(sim, z, x, y).content)).convert("RGB")
        if basemap.WATER in {c for _, c in img.getcolors(65536)}:
            found = True
            break
    assert found, "no water west of the street"


def test_same_tile_twice_is_identical_and_neighbours_continue(sim):
    z = 15
    x, y = _xy(z, geo.LAT0, geo.LON0)
    a = _tile(sim, z, x, y).content
    assert a == _tile(sim, z, x, y).content
    left = Image.open(io.BytesIO(a)).convert("RGB")
    right = Image.open(io.BytesIO(_tile(sim, z, x + 1, y).content)).convert("RGB")
    # the two edge columns mostly agree (roads and blocks continue across the seam)
    same = sum(1 for row in range(256)
               if max(abs(p - q) for p, q in zip(left.getpixel((255, row)), right.getpixel((0, row)))) < 40)
    assert same > 200


def test_tiles_outside_the_zoom_range_or_world_are_404(sim):
    assert _tile(sim, basemap.MAX_ZOOM + 1, 0, 0).status_code == 404
    assert _tile(sim, basemap.MIN_ZOOM - 1, 0, 0).status_code == 404
    z = 14
    assert _tile(sim, z, 1 << z, 0).status_code == 404
    assert requests.get(f"{sim.url}/tiles/14/-1/3.png", timeout=10).status_code in (404, 422)
