"""Commands over real HTTP: applied, duplicate, conflict, rejected, 422, 413."""

from __future__ import annotations

import json
import time
import uuid

from .conftest import LEADER, OFFICER, cmd, new_ticket_dict


def _create(api, **over):
    t = new_ticket_dict(**over)
    r = api.commands(cmd(t["id"], "create", None, {"ticket": t}))
    res = r.json()["results"][0]
    assert res["status"] == "applied", res
    return res["ticket"]


def test_create_assigns_number_and_grids_and_reaches_the_feed(api):
    _, cursor = api.drain()
    t = _create(api, grids={})
    assert t["number"].startswith("HP") and t["version"] == 0 and t["state"] == "pending"
    assert t["grids"]["resp_grid"].startswith("G") and t["grids"]["micro_grid"].startswith("M")
    changes, _ = api.drain(cursor)
    kinds = [(c["kind"], c["data"].get("action")) for c in changes if c["id"] in (t["id"],) or
             c["kind"] == "ticket_event" and c["data"]["ticket_id"] == t["id"]]
    assert ("ticket", None) in kinds and ("ticket_event", "create") in kinds


def test_applied_duplicate_conflict_rejected(api):
    t = _create(api)
    accept = cmd(t["id"], "accept", 0)
    r1 = api.commands(accept).json()["results"][0]
    assert r1["status"] == "applied" and r1["ticket"]["version"] == 1
    assert r1["ticket"]["state"] == "accepted"
    # the same command again: duplicate, not applied twice
    r2 = api.commands(accept).json()["results"][0]
    assert r2["status"] == "duplicate" and r2["ticket"]["version"] == 1
    # stale expected_version: conflict with the current state
    r3 = api.commands(cmd(t["id"], "register", 0)).json()["results"][0]
    assert r3["status"] == "conflict" and r3["code"] == "version_conflict"
    assert r3["ticket"]["version"] == 1
    # lifecycle refusals
    r4 = api.commands(cmd(t["id"], "close", 1)).json()["results"][0]
    assert r4["status"] == "rejected" and r4["code"] == "illegal_transition" and r4["reason"]
    r5 = api.commands(cmd(t["id"], "register", 1, actor={**OFFICER, "role": "department"}))
    assert r5.json()["results"][0]["code"] == "forbidden_role"
    r6 = api.commands(cmd(t["id"], "register", 1)).json()["results"][0]
    assert r6["status"] == "applied"
    r7 = api.commands(cmd(t["id"], "dispatch", 2)).json()["results"][0]
    assert r7["status"] == "rejected" and r7["code"] == "missing_param"
    r8 = api.commands(cmd(t["id"], "dispatch", 2, {"department_id": "D999"})).json()["results"][0]
    assert r8["status"] == "rejected" and r8["code"] == "invalid_param"
    r9 = api.commands(cmd(str(uuid.uuid4()), "accept", 0)).json()["results"][0]
    assert r9["status"] == "rejected" and r9["code"] == "unknown_ticket"
    r10 = api.commands(cmd(t["id"], "dispatch", 2, {"department_id": "D05"})).json()["results"][0]
    assert r10["status"] == "applied" and r10["ticket"]["department_id"] == "D05"
    assert r10["ticket"]["deadline"] is not None


def test_batch_is_answered_in_order_and_duplicates_inside_a_batch(api):
    t = new_ticket_dict()
    c_create = cmd(t["id"], "create", None, {"ticket": t})
    c_accept = cmd(t["id"], "accept", 0)
    c_escalate = cmd(t["id"], "escalate", 1, {"reason": "需指挥长决策"})
    c_note = cmd(t["id"], "annotate", 2, {"text": "值班长已知悉"}, actor=LEADER)
    res = api.commands(c_create, c_accept, c_accept, c_escalate, c_note).json()["results"]
    assert [r["status"] for r in res] == ["applied", "applied", "duplicate", "applied", "applied"]
    assert [r["command_id"] for r in res] == [c["command_id"] for c in
                                              (c_create, c_accept, c_accept, c_escalate, c_note)]
    assert res[-1]["ticket"]["needs_commander"] is True and res[-1]["ticket"]["version"] == 3


def test_create_twice_with_new_command_id_is_rejected(api):
    t = _create(api)
    again = new_ticket_dict(t["id"])
    r = api.commands(cmd(t["id"], "create", None, {"ticket": again})).json()["results"][0]
    assert r["status"] == "rejected" and r["code"] == "ticket_exists"
    bad = new_ticket_dict(category_code="99999")
    r = api.commands(cmd(bad["id"], "create", None, {"ticket": bad})).json()["results"][0]
    assert r["status"] == "rejected" and r["code"] == "invalid_param"


def test_malformed_batches_are_422_and_apply_nothing(api):
    t = new_ticket_dict()
    good = cmd(t["id"], "create", None, {"ticket": t})
    cases = [
        {"commands": [good, {**cmd(t["id"], "accept", 0), "surprise": 1}]},  # unknown field
        {"commands": [good, {**cmd(t["id"], "accept", 0), "expected_version": "x"}]},  # wrong type
        {"commands": [good, {**cmd(t["id"], "accept", 0), "verb": "fly"}]},  # unknown verb
        {"commands": [good, {**cmd(t["id"], "accept", 0), "actor": {"user_id": "u"}}]},
        {"commands": []},
        {"commands": [good] * 201},
        {"commands": [good], "extra": True},
        [good],
    ]
    for body in cases:
        r = api.post("/api/v1/commands", json=body)
        assert r.status_code == 422, body if not isinstance(body, dict) else list(body)
        assert r.json()["error"]["code"] == "validation_error"
    for raw in (b"{not json", b"", "\u4e2d".encode("gbk")):
        r = api.post("/api/v1/commands", data=raw, headers={"Content-Type": "application/json"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    # nothing of it was applied: the create still works as new
    r = api.commands(good).json()["results"][0]
    assert r["status"] == "applied"


def test_oversized_body_is_413(api):
    big = {"commands": [cmd(str(uuid.uuid4()), "annotate", 0, {"text": "x" * 100_000})] * 25}
    r = api.post("/api/v1/commands", data=json.dumps(big), headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"

    def chunks():  # no Content-Length: chunked transfer
        for _ in range(30):
            yield b" " * 100_000
    r = api.post("/api/v1/commands", data=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_unknown_route_and_method_are_json_errors(api):
    r = api.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    r = api.s.delete(api.url + "/api/v1/commands")
    assert r.status_code == 405 and r.json()["error"]["code"] == "bad_request"


def test_platform_result_equals_the_workstation_optimistic_copy(api):
    """Same lifecycle, same issued_at: the platform's ticket and event match a local apply."""
    from console.domain import lifecycle
    from console.domain.model import Actor, Role, Ticket
    t = _create(api)
    local = Ticket.from_dict(t)
    actor = Actor(OFFICER["user_id"], OFFICER["name"], Role.OFFICER, OFFICER["workstation"])
    _, cursor = api.drain()
    for verb, params in (("accept", {}), ("register", {}), ("dispatch", {"department_id": "D07"})):
        c = cmd(t["id"], verb, local.version, params)
        res = api.commands(c).json()["results"][0]
        local, ev = lifecycle.apply(local, verb, actor, params, c["issued_at"])
        assert res["status"] == "applied" and res["ticket"] == local.to_dict()
    events = [c["data"] for c in api.drain(cursor)[0] if c["kind"] == "ticket_event"]
    assert events[-1]["event_id"] == ev.event_id and events[-1]["at"] == ev.at


def test_sim_routes_are_404_when_not_on_loopback(sim, api):
    sim.rt.faults.enabled = False
    try:
        r = api.get("/_sim/faults")
        assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    finally:
        sim.rt.faults.enabled = True
    from simulator.runtime import Config
    assert Config(data_dir=".", host="0.0.0.0").loopback is False


def test_bad_new_tickets_are_rejected_and_nan_is_422(api):
    for over in ({"lat": "north"}, {"lat": float("nan")}, {"lat": 95.0}, {"surprise": 1},
                 {"state": "closed"}, {"id": "not-a-uuid"}, {"limit_hours": -1}):
        t = new_ticket_dict(**over)
        c = cmd(t["id"], "create", None, {"ticket": t})
        r = api.post("/api/v1/commands", data=json.dumps({"commands": [c]}),
                     headers={"Content-Type": "application/json"}).json()["results"][0]
        assert r["status"] == "rejected" and r["code"] == "invalid_param", over
    body = json.dumps({"commands": [{**cmd(str(uuid.uuid4()), "accept", 0), "issued_at": float("nan")}]})
    r = api.post("/api/v1/commands", data=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422
    changes, _ = api.drain()
    assert "NaN" not in json.dumps([c.get("data") for c in changes])


def test_client_set_internal_fields_and_out_of_range_values_are_refused_not_500(api):
    """The probe of issue 14: values a client may not set, and times out of range in both
    directions (created_at -1e12 made the platform answer 500 before)."""
    for over in ({"extension_hours": 1e9}, {"urge_count": -5}, {"verified_by": "someone"},
                 {"attachments": ["../../x"]}, {"reporter_phone": "1" * 10_000},
                 {"number": "HP-FAKE"}, {"needs_commander": True}, {"closed_at": time.time()},
                 {"created_at": -1e12}, {"created_at": 1e15}, {"created_at": 1e300},
                 {"deadline": 1e300}, {"limit_hours": 1e300}, {"lat": 1e300, "lon": 0.0}):
        t = new_ticket_dict(**over)
        r = api.commands(cmd(t["id"], "create", None, {"ticket": t}))
        assert r.status_code == 200, (over, r.text[:200])
        res = r.json()["results"][0]
        assert res["status"] == "rejected" and res["code"] == "invalid_param", (over, res)
    # and an implausible issued_at is not the ticket's time: the platform's own is
    t = new_ticket_dict()
    res = api.commands({**cmd(t["id"], "create", None, {"ticket": t}), "issued_at": -1e12}).json()
    assert res["results"][0]["status"] == "applied"
    accept = api.commands({**cmd(t["id"], "accept", 0), "issued_at": 1e300}).json()["results"][0]
    assert accept["status"] == "applied" and 946_684_800 < accept["ticket"]["updated_at"] < 4_102_444_800


def test_a_reused_command_id_with_another_body_is_409_and_applies_nothing(api):
    t = _create(api)
    first = cmd(t["id"], "annotate", 0, {"text": "第一条"})
    assert api.commands(first).json()["results"][0]["status"] == "applied"
    other = cmd(t["id"], "annotate", 1, {"text": "另一条"})
    r = api.commands(other, {**first, "params": {"text": "换了内容"}})
    assert r.status_code == 409 and r.json()["error"]["code"] == "idempotency_key_reused"
    assert r.json()["error"]["details"] == {"command_id": first["command_id"]}
    # nothing of that batch happened; inside one batch the same rule holds
    twice = cmd(t["id"], "annotate", 1, {"text": "x"})
    r2 = api.commands(twice, {**twice, "params": {"text": "y"}})
    assert r2.status_code == 409
    assert api.commands(other).json()["results"][0]["status"] == "applied"   # version 1 still
    assert api.commands(first).json()["results"][0]["status"] == "duplicate"
