"""GCJ-02 <-> WGS-84 and distances."""

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain.geodesy import bbox_around, distance_m, gcj02_to_wgs84, wgs84_to_gcj02

PEOPLES_SQUARE = (31.2304, 121.4737)


def test_known_offset_in_shanghai():
    lat, lon = wgs84_to_gcj02(*PEOPLES_SQUARE)
    # GCJ-02 moves Shanghai a few hundred metres south-east
    assert 300 < distance_m(*PEOPLES_SQUARE, lat, lon) < 700
    assert lat < PEOPLES_SQUARE[0] and lon > PEOPLES_SQUARE[1]


@settings(max_examples=200, deadline=None)
@given(st.floats(18.0, 53.0), st.floats(74.0, 134.0))
def test_round_trip_within_half_a_metre(lat, lon):
    back = gcj02_to_wgs84(*wgs84_to_gcj02(lat, lon))
    assert distance_m(lat, lon, *back) < 0.5
    assert abs(back[0] - lat) < 1e-7 and abs(back[1] - lon) < 1e-7


def test_outside_china_is_unchanged():
    for point in ((48.8566, 2.3522), (-33.86, 151.21), (35.68, 139.76)):  # Paris, Sydney, Tokyo
        assert wgs84_to_gcj02(*point) == point == gcj02_to_wgs84(*point)


def test_distance_and_bbox():
    assert distance_m(*PEOPLES_SQUARE, *PEOPLES_SQUARE) == 0
    one_degree = distance_m(31.0, 121.0, 32.0, 121.0)
    assert abs(one_degree - 111_195) < 5
    box = bbox_around(*PEOPLES_SQUARE, 1000)
    assert box.south < PEOPLES_SQUARE[0] < box.north and box.west < PEOPLES_SQUARE[1] < box.east
    assert abs(distance_m(box.south, PEOPLES_SQUARE[1], *PEOPLES_SQUARE) - 1000) < 0.01
    assert abs(distance_m(PEOPLES_SQUARE[0], box.east, *PEOPLES_SQUARE) - 1000) < 1
