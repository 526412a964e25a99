"""Health, authentication and the change feed over real HTTP."""

from __future__ import annotations

import time

import requests

from .conftest import new_ticket_dict, cmd


def test_health_without_token_reports_platform_time(sim):
    t0 = time.time()
    r = requests.get(sim.url + "/api/v1/health", timeout=5)
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["api_version"] == "1"
    assert abs(body["server_time_epoch"] - t0) < 60
    assert body["server_time"].endswith("+08:00")


def test_missing_or_wrong_token_is_401_json(sim):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": "Basic dGVzdA=="}):
        for method, path in (("GET", "/api/v1/changes"), ("POST", "/api/v1/commands"),
                             ("HEAD", "/api/v1/attachments/" + "0" * 64)):
            r = requests.request(method, sim.url + path, headers=headers, timeout=5,
                                 json={"commands": []} if method == "POST" else None)
            assert r.status_code == 401, (method, path, r.status_code)
            if method != "HEAD":
                assert r.json()["error"]["code"] == "unauthorized"


def test_feed_has_every_kind_in_increasing_seq(api):
    changes, cursor = api.drain()
    seqs = [c["seq"] for c in changes]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    kinds = {c["kind"] for c in changes}
    assert {"ticket", "ticket_event", "category", "department", "responsibility", "grid",
            "camera", "sensor", "roster", "user"} <= kinds
    by_kind = {}
    for c in changes:
        by_kind.setdefault(c["kind"], []).append(c)
    assert len(by_kind["category"]) >= 40 and len(by_kind["department"]) >= 40
    assert len(by_kind["camera"]) >= 64 and len(by_kind["sensor"]) >= 200
    layers = [g["data"]["properties"]["layer"] for g in by_kind["grid"]]
    assert layers.count("resp_grid") >= 20 and layers.count("committee") >= 25
    assert layers.count("micro_grid") >= 300
    cam = by_kind["camera"][0]["data"]
    assert cam["stream_url"].startswith(api.url + "/streams/") and cam["substream_url"]
    t = by_kind["ticket"][0]["data"]
    assert t["number"].startswith("HP") and len(t["number"]) == 15
    assert t["version"] >= 1 and t["grids"]["street"]   # a ticket starts at version 1
    ev = by_kind["ticket_event"][0]["data"]
    assert set(ev) == {"event_id", "ticket_id", "action", "actor", "at", "from_state", "to_state",
                       "params"}
    users = {u["data"]["id"]: u["data"] for u in by_kind["user"]}
    # no verifier of any kind on the feed: only the public KDF half and the account state
    assert set(users["officer1"]) == {"id", "name", "role", "disabled", "kdf"}
    assert set(users["officer1"]["kdf"]) == {"salt", "m", "t", "p"}
    assert {"commander1", "leader1", "admin1"} <= set(users)
    # nothing new after the end: same cursor, no changes
    r = api.get("/api/v1/changes", params={"since": cursor})
    assert r.json()["changes"] == [] and r.json()["has_more"] is False


def test_paging_with_small_limit_matches_one_big_page(api):
    big, _ = api.drain(limit=5000)
    small, _ = api.drain(limit=777)
    assert [c["seq"] for c in small] == [c["seq"] for c in big]


def test_limit_and_cursor_errors(api):
    assert api.get("/api/v1/changes", params={"limit": 5001}).status_code == 422
    assert api.get("/api/v1/changes", params={"limit": 0}).status_code == 422
    r = api.get("/api/v1/changes", params={"since": "garbage!!"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_request"
    import base64
    foreign = base64.urlsafe_b64encode(b"v1:otherepoch:5").decode().rstrip("=")
    r = api.get("/api/v1/changes", params={"since": foreign})
    assert r.status_code == 410 and r.json()["error"]["code"] == "resync_required"


def test_compaction_makes_old_cursors_410_and_keeps_latest_state(api):
    _, start = api.drain()
    tid = new_ticket_dict()["id"]
    r = api.commands(cmd(tid, "create", None, {"ticket": new_ticket_dict(tid)}))
    assert r.json()["results"][0]["status"] == "applied"
    first = api.get("/api/v1/changes", params={"since": start, "limit": 1}).json()
    old_cursor = first["next_cursor"]
    r = api.commands(cmd(tid, "accept", 0))
    assert r.json()["results"][0]["status"] == "applied"
    r = api.post("/_sim/compact", json={})
    assert r.status_code == 200
    r = api.get("/api/v1/changes", params={"since": old_cursor})
    assert r.status_code == 410 and r.json()["error"]["code"] == "resync_required"
    # from the beginning: the ticket appears once, in its latest version
    changes, _ = api.drain()
    mine = [c for c in changes if c["kind"] == "ticket" and c["id"] == tid]
    assert len(mine) == 1 and mine[0]["data"]["version"] == 1 and mine[0]["data"]["state"] == "accepted"
