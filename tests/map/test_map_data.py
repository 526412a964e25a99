"""Store reads and payloads for the map, below Qt."""

from __future__ import annotations

import json

from sqlalchemy import select

from console.domain import geodesy, timelimits
from console.domain.model import LimitState, Ticket
from localdb import repo_map
from localdb.feed import apply_changes
from localdb.models import TicketRow
from tests.factories import grid_changes
from views import map_data

NOW = 1795300000.0


def test_limit_codes_match_the_domain_rule(store):
    lead = 7200.0
    with store.session() as s:
        points = {tid: code for tid, _lat, _lon, code in repo_map.ticket_points(s, NOW, lead)}
        rows = s.execute(select(TicketRow.id, TicketRow.state, TicketRow.deadline)).all()
    assert points
    for tid, state, deadline in rows:
        t = Ticket.from_dict({"id": tid, "state": state, "channel": "hotline_12345",
                              "category_kind": "event", "category_code": "x", "category_name": "x",
                              "deadline": deadline})
        expected = timelimits.limit_state(t, NOW, lead)
        if expected == LimitState.DONE:
            assert tid not in points
        else:
            assert repo_map.LIMIT_CODES[points[tid]] == expected.value, tid


def test_tickets_crossing_finds_the_ones_that_changed_colour(store):
    with store.session() as s:
        before = dict((r[0], r[3]) for r in repo_map.ticket_points(s, NOW))
        after = dict((r[0], r[3]) for r in repo_map.ticket_points(s, NOW + 3600))
        crossed = set(repo_map.tickets_crossing(s, NOW, NOW + 3600))
    changed = {tid for tid in before if before[tid] != after[tid]}
    assert changed and changed <= crossed


def test_bad_grid_rows_are_skipped_and_counted():
    rows = [(c["id"], c["data"]["properties"]["layer"], c["data"]["properties"]["name"],
             c["data"]["properties"]["micro_type"], json.dumps(c["data"])) for c in grid_changes()]
    rows.append(("BAD1", "micro_grid", "坏块", "other", "{not json"))
    rows.append(("BAD2", "committee", "越界", None, json.dumps({
        "type": "Feature", "id": "BAD2", "properties": {"layer": "committee"},
        "geometry": {"type": "Polygon", "coordinates": [[[500, 31], [501, 31], [501, 32], [500, 31]]]}})))
    payload = map_data.grid_payload(rows, "WGS84")
    assert payload.skipped == 2
    assert payload.counts() == {"district": 1, "street": 1, "resp_grid": 4, "committee": 4, "micro_grid": 8}


def test_gcj02_moves_points_and_selection_comes_back_in_wgs84():
    cols, skipped = map_data.ticket_payload([("t1", 31.18, 121.49, 0), ("t2", 95.0, 121.0, 0)], "GCJ02")
    assert skipped == 1
    glat, glon = geodesy.wgs84_to_gcj02(31.18, 121.49)
    assert (cols["lat"][0], cols["lon"][0]) == (round(glat, 6), round(glon, 6))
    assert geodesy.distance_m(31.18, 121.49, glat, glon) > 100
    s, w, n, e = map_data.bbox_to_wgs84([glat - 0.001, glon - 0.001, glat + 0.001, glon + 0.001], "GCJ02")
    assert s < 31.18 < n and w < 121.49 < e


def test_changed_ids_read_only_those_rows(store):
    cam = {"seq": 10_000, "kind": "camera", "op": "upsert", "id": "CAM001",
           "data": {"id": "CAM001", "name": "路口", "lat": 31.18, "lon": 121.49, "online": False}}
    apply_changes(store, [cam], "c2")
    with store.session() as s:
        rows = repo_map.cameras(s, ["CAM001", "NOPE"])
    assert rows == [("CAM001", "路口", 31.18, 121.49, False)]
