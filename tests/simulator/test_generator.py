"""The demo street, catalogue, units and people (pure functions, no server)."""

from __future__ import annotations

import datetime as dt

import shapely
from shapely.geometry import shape

from console.domain.grids import GridIndex, validate_feature
from console.domain.model import MicroGridType
from simulator import catalogue, geo
from console.domain import roster as R
from simulator.roster import DUTY_PATTERN, People


def test_street_layers_tile_and_nest():
    st = geo.build_street(5)
    assert all(validate_feature(f) is None for f in st.features)
    by_layer: dict[str, list] = {}
    for f in st.features:
        by_layer.setdefault(f["properties"]["layer"], []).append(f)
    street = shape(by_layer["street"][0]["geometry"])
    minx, miny, maxx, maxy = street.bounds
    assert 30.9 < miny < maxy < 31.5 and 121.2 < minx < maxx < 121.8
    assert 0.02 < maxx - minx < 0.05 and 0.02 < maxy - miny < 0.05   # about 3 km
    geoms = {f["id"]: shape(f["geometry"]) for f in st.features}
    for layer, parent_layer in (("resp_grid", "street"), ("committee", "resp_grid"),
                                ("micro_grid", "committee")):
        cells = by_layer[layer]
        total = sum(geoms[c["id"]].area for c in cells)
        # no overlaps (up to floating-point noise)
        assert abs(shapely.union_all([geoms[c["id"]] for c in cells]).area - total) < total * 1e-9
        for c in cells:
            parent = geoms[c["properties"]["parent_id"]]
            assert geoms[c["id"]].difference(parent).area < geoms[c["id"]].area * 1e-9
    assert len(by_layer["resp_grid"]) >= 20 and len(by_layer["committee"]) >= 25
    assert len(by_layer["micro_grid"]) >= 300
    assert {f["properties"]["micro_type"] for f in by_layer["micro_grid"]} == {t.value for t in MicroGridType}
    assert all(f["properties"]["name"].endswith("居委会") for f in by_layer["committee"])
    idx = GridIndex.from_features(st.features)
    assert not idx.rejected
    for cam in st.cameras[:20]:
        assert idx.locate(cam["lat"], cam["lon"])["resp_grid"] == cam["grid_id"]


def test_devices_and_sources():
    st = geo.build_street(5)
    assert len(st.cameras) >= 64 and len(st.sensors) >= 200
    assert {c["source"] for c in st.cameras} == {"street", "police", "property", "construction"}
    assert {"smoke", "water_level", "manhole", "gas"} <= {s["type"] for s in st.sensors}


def test_deterministic_from_seed():
    a, b, c = geo.build_street(9), geo.build_street(9), geo.build_street(10)
    assert a.features == b.features and a.cameras == b.cameras
    assert a.features != c.features


def test_catalogue_units_and_matrix():
    cats = [s.category for s in catalogue.CATALOGUE]
    assert len(cats) >= 40 and len({c.code for c in cats}) == len(cats)
    assert all(len(c.code) == 5 and c.code.isdigit() and c.code[:2] == c.big_code for c in cats)
    assert {c.kind for c in cats} == {"component", "event"}
    assert {c.limit_mode for c in cats} == {"calendar", "working"}
    depts = catalogue.departments(1)
    assert len(depts) >= 40 and len({d["id"] for d in depts}) == len(depts)
    kinds = {d["kind"] for d in depts}
    assert {"police", "city_management", "market", "housing", "greening", "water", "property"} <= kinds
    grids = [f"G{i:02d}" for i in range(1, 25)]
    resp = catalogue.responsibilities(1, depts, grids)
    assert len(resp) == len(cats) * len(grids)
    ids = {d["id"] for d in depts}
    assert all(r["department_id"] in ids for r in resp)


def test_roster_three_crews_two_shifts_and_the_daily_command_chain():
    p = People(1)
    today = dt.date(2026, 11, 22)
    entries = p.roster(today - dt.timedelta(days=14), today + dt.timedelta(days=14))
    days = {e["date"] for e in entries}
    assert len(days) == 29
    for d in days:
        mine = [e for e in entries if e["date"] == d]
        assert [e["role"] for e in mine if e["shift"] == "all"] == ["commander", "executive_deputy", "deputy"]
        assert len({e["person_id"] for e in mine if e["shift"] == "all"}) == 3
        for shift in ("day", "evening"):    # 三班二运转: two staffed shifts, crews of two (+ floater)
            roles = [e["role"] for e in mine if e["shift"] == shift]
            assert roles.count("shift_leader") == 1 and roles.count("officer") == (3 if shift == "day" else 2)
        assert not [e for e in mine if e["shift"] == "night"]   # handed to the police station
    pattern = R.pattern_from_dict(DUTY_PATTERN)
    first = today - dt.timedelta(days=14)
    assert R.crew_problems([R.RosterEntry.from_dict(e) for e in entries],
                           [first + dt.timedelta(days=i) for i in range(29)], pattern) == []
    cmds = [e["person_id"] for e in entries if e["role"] == "commander"]
    assert len(set(cmds)) > 1   # rotating
    users = {u["id"]: u for u in p.users()}
    assert users["leader1"]["role"] == "shift_leader"
    assert "pin_hash" not in users["commander1"]
    assert all(e["phone"].startswith("1") and len(e["phone"]) == 11 for e in entries)
