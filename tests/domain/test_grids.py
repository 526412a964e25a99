"""Grid lookup: borders, holes, multipolygons, and rejection of bad features."""

import pytest

from console.domain.grids import GridIndex, validate_feature
from console.domain.model import GridLayer, MicroGridType


def square(x0, y0, size):
    return [[x0, y0], [x0 + size, y0], [x0 + size, y0 + size], [x0, y0 + size], [x0, y0]]


def feature(fid, layer, rings, kind="Polygon", **props):
    return {"type": "Feature", "id": fid,
            "properties": {"layer": layer, "name": f"网格{fid}", "code": fid, **props},
            "geometry": {"type": kind, "coordinates": rings}}


# Two committees side by side sharing the border lon=121.5; "B" has a hole (a park).
STREET = feature("S1", "street", [square(121.4, 31.2, 0.2)])
LEFT = feature("C-b", "committee", [square(121.4, 31.2, 0.1)])
RIGHT = feature("C-a", "committee", [square(121.5, 31.2, 0.1), square(121.52, 31.22, 0.02)])
ISLANDS = feature("M1", "micro_grid", [[square(121.41, 31.21, 0.01)], [square(121.55, 31.25, 0.01)]],
                  kind="MultiPolygon", micro_type="residential")


@pytest.fixture(scope="module")
def index():
    return GridIndex.from_features([STREET, LEFT, RIGHT, ISLANDS])


def test_locate_inside(index):
    assert index.locate(31.25, 121.45) == {"street": "S1", "committee": "C-b"}
    assert index.locate(31.25, 121.55) == {"street": "S1", "committee": "C-a", "micro_grid": "M1"}
    assert index.locate(31.215, 121.415)["micro_grid"] == "M1"
    assert index.locate(30.0, 120.0) == {}


def test_shared_border_goes_to_the_smallest_id(index):
    assert index.locate(31.25, 121.5)["committee"] == "C-a"
    assert index.locate(31.2, 121.45)["committee"] == "C-b"  # outer edge still counts


def test_a_point_in_a_hole_is_outside(index):
    assert "committee" not in index.locate(31.23, 121.53)
    assert index.locate(31.23, 121.52)["committee"] == "C-a"  # on the hole's rim


def test_cells_and_lookup(index):
    cells = index.cells(GridLayer.COMMITTEE)
    assert [c.id for c in cells] == ["C-a", "C-b"]
    assert index.cells("resp_grid") == []
    m1 = index.cell("M1")
    assert m1.micro_type is MicroGridType.RESIDENTIAL and m1.name == "网格M1"
    assert index.rejected == []


BOWTIE = [[[121.4, 31.2], [121.5, 31.3], [121.5, 31.2], [121.4, 31.3], [121.4, 31.2]]]


@pytest.mark.parametrize(
    "bad, words",
    [
        ("nope", "Feature"),
        ({**STREET, "type": "FeatureCollection"}, "Feature"),
        ({**STREET, "id": None}, "id"),
        (feature("X", "county", [square(121.4, 31.2, 0.1)]), "unknown layer"),
        (feature("X", "micro_grid", [square(121.4, 31.2, 0.1)], micro_type="zoo"), "micro_type"),
        ({**STREET, "geometry": {"type": "Point", "coordinates": [121.4, 31.2]}}, "Polygon"),
        (feature("X", "street", BOWTIE), "Self-intersection"),
        (feature("X", "street", [square(181.0, 31.2, 0.1)]), "out of range"),
        (feature("X", "street", [square(121.4, 95.0, 0.1)]), "out of range"),
        (feature("X", "street", [[[121.4, 31.2], [121.5, 31.2], [121.4, 31.2]]]), "4 positions"),
        (feature("X", "street", [square(121.4, 31.2, 0.1)[:-1] + [[121.41, 31.2]]]), "not closed"),
        (feature("X", "street", [[[121.4, 31.2], ["a", 31.2], [121.5, 31.3], [121.4, 31.2]]]),
         "non-numeric"),
        (feature("X", "street", []), "rings"),
    ],
)
def test_validate_feature_explains(bad, words):
    problem = validate_feature(bad)
    assert problem is not None and words in problem


def test_invalid_features_are_rejected_not_fatal():
    bowtie = feature("BAD", "street", BOWTIE)
    dup = feature("C-b", "committee", [square(121.6, 31.2, 0.1)])
    index = GridIndex.from_features([LEFT, bowtie, dup, {"type": "Feature", "id": 7}])
    assert [fid for fid, _ in index.rejected] == ["BAD", "C-b", "7"]
    assert "Self-intersection" in index.rejected[0][1] and "duplicate" in index.rejected[1][1]
    assert index.locate(31.25, 121.45) == {"committee": "C-b"}
    assert index.locate(31.25, 121.65) == {}


def test_numeric_ids_become_strings():
    index = GridIndex.from_features([feature(12, "resp_grid", [square(121.4, 31.2, 0.1)])])
    assert index.locate(31.25, 121.45) == {"resp_grid": "12"}
