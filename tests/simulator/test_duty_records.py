"""Duty records over real HTTP: applied, duplicate (also after a restart), rejected, 422, feed."""

from __future__ import annotations

import time
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.testing import running_simulator

from .conftest import LEADER, OFFICER, TOKEN, Api


@pytest.fixture(scope="module")
def dsim(tmp_path_factory):
    """Its own simulator: the restart test must not disturb the shared one. (Some
    history: a window without a single ticket trips simulator.history's numbers.save.)"""
    with running_simulator(tmp_path_factory.mktemp("duty"), seed=7, history_days=0.25,
                           daily_rate=400, token=TOKEN, traffic=False) as s:
        yield s


@pytest.fixture()
def dapi(dsim):
    return Api(dsim.url, dsim.token)


def rec(kind: str, data: dict, actor=LEADER, record_id: str | None = None) -> dict:
    return {"record_id": record_id or str(uuid.uuid4()), "kind": kind, "data": data,
            "actor": actor, "issued_at": time.time()}


def handover(state: str = "signed", hid: str | None = None, shift_date: str = "2026-11-22",
             shift: str = "day") -> dict:
    d = {"id": hid or str(uuid.uuid4()), "shift_date": shift_date, "shift": shift,
         "from_user": "leader1", "state": state, "created_at": time.time(),
         "summary": {"open": 12}, "notes": "3 件待核查"}
    if state != "draft":
        d["signed_at"] = time.time()
    if state == "acknowledged":
        d.update(acknowledged_at=time.time(), acknowledged_by="leader2", to_user="leader2")
    return d


def post(api, *records):
    r = api.post("/api/v1/duty-records", json={"records": list(records)})
    assert r.status_code == 200, r.text
    return r.json()["results"]


def test_applied_then_duplicate_after_a_restart_and_once_on_the_feed(dsim, dapi):
    _, cursor = dapi.drain()
    h = rec("handover", handover("signed", shift_date="2026-11-20"))
    log = rec("duty_log", {"at": time.time(), "kind": "handover", "text": "交班签字",
                           "shift_date": "2026-11-20", "shift": "day"})
    res = post(dapi, h, log)
    assert [r["status"] for r in res] == ["applied", "applied"]
    assert res[0] == {"record_id": h["record_id"], "status": "applied", "reason": None, "code": None}
    assert [r["status"] for r in post(dapi, h)] == ["duplicate"]  # sent again: not applied again

    dsim.restart()
    api2 = Api(dsim.url, dsim.token)
    assert [r["status"] for r in post(api2, log, h)] == ["duplicate", "duplicate"]
    changes, _ = api2.drain(cursor)
    mine = [c for c in changes if c["kind"] == "duty_record"
            and c["id"] in (h["record_id"], log["record_id"])]
    assert [c["id"] for c in mine] == [h["record_id"], log["record_id"]]  # once each, in order
    d = mine[0]["data"]
    assert d == {"record_id": h["record_id"], "kind": "handover", "data": h["data"],
                 "actor": h["actor"], "issued_at": h["issued_at"]}


def test_roster_override_is_also_a_roster_change(dapi):
    changes, cursor = dapi.drain()
    planned = next(c for c in changes if c["kind"] == "roster" and c["data"]["role"] == "officer")
    p = planned["data"]
    new = {"id": f"local-{uuid.uuid4()}", "date": p["date"], "shift": p["shift"], "role": "officer",
           "person_id": "officer4", "name": "替班员", "phone": "", "replaces": p["id"], "reason": "病假",
           "created_at": time.time()}
    r = rec("roster", new)
    assert post(dapi, r)[0]["status"] == "applied"
    after, _ = dapi.drain(cursor)
    kinds = [(c["kind"], c["id"]) for c in after]
    assert kinds.index(("roster", new["id"])) < kinds.index(("duty_record", r["record_id"]))
    roster = next(c["data"] for c in after if c["kind"] == "roster" and c["id"] == new["id"])
    assert roster["replaces"] == p["id"] and roster["person_id"] == "officer4"
    # a second override of the same planned slot (another workstation, offline) is refused
    other = rec("roster", {**new, "id": f"local-{uuid.uuid4()}", "person_id": "officer3"})
    (res,) = post(dapi, other)
    assert res["status"] == "rejected" and res["code"] == "already_replaced" and res["reason"]
    # replacing the override itself is fine (a chain)
    chain = rec("roster", {**new, "id": f"local-{uuid.uuid4()}", "replaces": new["id"]})
    assert post(dapi, chain)[0]["status"] == "applied"


@pytest.mark.parametrize("kind,data,code", [
    ("shift_note", {"text": "x"}, "unknown_kind"),
    ("handover", {"id": "h-x", "shift": "day"}, "missing_field"),
    ("duty_log", {"at": 1.0, "kind": "note", "text": "x", "colour": "red"}, "invalid_field"),
    ("duty_log", {"at": "yesterday", "kind": "note", "text": "x"}, "invalid_field"),
    ("duty_log", {"at": 1.0, "kind": "note", "text": "  "}, "invalid_field"),
    ("roster", {"id": "r-x", "date": "2026-11-22", "shift": "day", "role": "officer",
                "person_id": "p", "name": "n", "replaces": "no-such-entry"}, "unknown_roster_entry"),
    ("emergency_item", {"emergency_id": "no-such", "position": 0, "text": "推送现场视频"},
     "unknown_emergency"),
    ("duty_log", {"at": 1.0, "kind": "note", "text": "长" * 8001}, "invalid_field"),
    ("alert_ack", {"ticket_id": "t-1", "kind": "warning", "at": time.time()}, "missing_field"),
    ("alert_ack", {"id": " ", "ticket_id": "t-1", "kind": "warning", "at": time.time()}, "invalid_field"),
    ("alert_ack", {"id": "warning:t-1:1", "ticket_id": "t-1", "kind": "warning", "at": 1.0}, "invalid_field"),
    ("handover", {"id": "h-big", "shift_date": "2026-11-01", "shift": "day", "from_user": "leader1",
                  "state": "draft", "created_at": 1.0, "summary": {"rows": ["x" * 1000] * 520}},
     "too_large"),
])
def test_rejected_with_a_reason_and_nothing_on_the_feed(dapi, kind, data, code):
    _, cursor = dapi.drain()
    r = rec(kind, data)
    (res,) = post(dapi, r)
    assert res["status"] == "rejected" and res["code"] == code and res["reason"], res
    changes, _ = dapi.drain(cursor)
    assert not [c for c in changes if c["kind"] == "duty_record"]
    # only applied records are remembered: the same id is judged afresh
    assert post(dapi, r)[0]["status"] == "rejected"


def test_platform_roles_and_conflicting_handovers_are_rejected(dapi):
    (res,) = post(dapi, rec("duty_log", {"at": 1.0, "kind": "note", "text": "x"},
                            actor={**OFFICER, "role": "district"}))
    assert res["code"] == "forbidden_role"
    first = handover("signed", shift_date="2026-11-19", shift="night")
    res = post(dapi, rec("handover", first),
               rec("handover", handover("signed", shift_date="2026-11-19", shift="night")),
               rec("handover", {**first, "state": "draft", "signed_at": None}),
               rec("handover", {**first, "state": "acknowledged", "acknowledged_at": time.time(),
                                "acknowledged_by": "leader2"}))
    assert [(r["status"], r["code"]) for r in res] == [
        ("applied", None), ("rejected", "handover_exists"), ("rejected", "stale_state"),
        ("applied", None)]


def test_emergency_then_its_items_in_one_batch(dapi):
    eid = str(uuid.uuid4())
    e = {"id": eid, "kind": "flood", "title": "世纪大道积水", "level": "II",
         "started_at": time.time(), "started_by": "leader1"}
    items = [rec("emergency_item", {"emergency_id": eid, "position": i, "text": t})
             for i, t in enumerate(("推送现场视频", "上线视频会议"))]
    res = post(dapi, rec("emergency", e), *items)
    assert [r["status"] for r in res] == ["applied"] * 3
    ended = rec("emergency", {**e, "ended_at": time.time(), "ended_by": "leader1", "summary": "ok"})
    assert post(dapi, ended)[0]["status"] == "applied"
    (res,) = post(dapi, rec("emergency", e))  # the start again, after the end: stale
    assert res["code"] == "stale_state"


@pytest.mark.parametrize("body", [
    {"records": []},
    {"records": [{"record_id": "x", "kind": "duty_log", "data": {}}]},             # no actor
    {"records": [{"record_id": "", "kind": "duty_log", "data": {}, "actor": LEADER,
                  "issued_at": 1.0}]},
    {"records": [{"record_id": "x", "kind": "duty_log", "data": [], "actor": LEADER,
                  "issued_at": 1.0}]},
    {"records": [{"record_id": "x", "kind": "duty_log", "data": {}, "actor": LEADER,
                  "issued_at": 1.0, "extra": 1}]},
    {"records": [rec("duty_log", {"at": 1.0, "kind": "n", "text": "x"}) for _ in range(201)]},
    {"commands": []},
])
def test_malformed_batch_is_422_and_nothing_applies(dapi, body):
    _, cursor = dapi.drain()
    r = dapi.post("/api/v1/duty-records", json=body)
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    changes, _ = dapi.drain(cursor)
    assert not [c for c in changes if c["kind"] == "duty_record"]


def test_needs_the_token(dsim):
    import requests

    r = requests.post(dsim.url + "/api/v1/duty-records", json={"records": []}, timeout=5)
    assert r.status_code == 401


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(kind=st.sampled_from(["handover", "roster", "emergency", "emergency_item", "duty_log", "x"]),
       data=st.dictionaries(st.sampled_from(["id", "shift", "shift_date", "state", "at", "text", "kind",
                                             "position", "emergency_id", "replaces", "summary", "x"]),
                            _json, max_size=6))
def test_any_data_is_answered_per_record(dapi, kind, data):
    r = dapi.post("/api/v1/duty-records", json={"records": [rec(kind, data)]})
    assert r.status_code == 200, r.text[:300]
    assert r.json()["results"][0]["status"] in ("applied", "rejected")


def test_implausible_times_dates_and_positions_are_refused(dapi):
    """The probe of issue 14: at=1e300, shift_date "not-a-date", checklist position 9999."""
    e = {"id": str(uuid.uuid4()), "kind": "flood", "title": "积水", "started_at": time.time(),
         "started_by": "leader1"}
    assert post(dapi, rec("emergency", e))[0]["status"] == "applied"
    bad = [rec("duty_log", {"at": 1e300, "kind": "note", "text": "x"}),
           rec("duty_log", {"at": -1e12, "kind": "note", "text": "x"}),
           rec("duty_log", {"at": time.time(), "kind": "note", "text": "x", "shift_date": "not-a-date"}),
           rec("handover", handover(shift_date="not-a-date")),
           rec("handover", {**handover(), "signed_at": 1e15}),
           rec("emergency_item", {"emergency_id": e["id"], "position": 9999, "text": "x"}),
           rec("emergency_item", {"emergency_id": e["id"], "position": -1, "text": "x"}),
           rec("emergency", {**e, "id": str(uuid.uuid4()), "started_at": 1e300}),
           {**rec("duty_log", {"at": time.time(), "kind": "note", "text": "x"}), "issued_at": 1e300}]
    for r in bad:
        (res,) = post(dapi, r)
        assert res["status"] == "rejected" and res["code"] == "invalid_field", (r["data"], res)


def test_a_reused_record_id_with_other_data_is_409(dapi):
    line = rec("duty_log", {"at": time.time(), "kind": "note", "text": "原文"})
    assert post(dapi, line)[0]["status"] == "applied"
    r = dapi.post("/api/v1/duty-records", json={"records": [{**line, "data": {**line["data"], "text": "新文"}}]})
    assert r.status_code == 409 and r.json()["error"]["code"] == "idempotency_key_reused"
    assert post(dapi, line)[0]["status"] == "duplicate"


def test_handover_carries_the_audit_head_and_a_shrunk_chain_is_reported(dapi, caplog):
    """The platform keeps the desk's audit-chain head from each handover and says (in its
    log, for its security ledger) when the next one from that desk has fewer entries or
    other entries at the same count; the handover itself still goes through."""
    import logging

    ws = f"WS-AUDIT-{uuid.uuid4().hex[:6]}"
    actor = {**LEADER, "workstation": ws}

    def ho(day: str, count: int, h: str) -> dict:
        return rec("handover", {**handover("signed", shift_date=day), "audit_head": {"count": count, "hash": h}},
                   actor=actor)

    a, b, c = "a" * 64, "b" * 64, "c" * 64
    with caplog.at_level(logging.WARNING, logger="simulator.duty_records"):
        res = post(dapi, ho("2026-10-01", 10, a), ho("2026-10-02", 14, b))
        assert not [r for r in caplog.records if "AUDIT" in r.getMessage()]
        res += post(dapi, ho("2026-10-03", 9, c), ho("2026-10-04", 9, b))
        # another desk's chain is its own
        res += post(dapi, rec("handover", {**handover("signed", shift_date="2026-10-06"),
                                           "audit_head": {"count": 1, "hash": c}},
                              actor={**LEADER, "workstation": ws + "-2"}))
    assert [r["status"] for r in res] == ["applied"] * 5
    found = [r.getMessage() for r in caplog.records if "AUDIT" in r.getMessage()]
    assert len(found) == 2 and all(ws in m for m in found)
    assert "shrank from 14 to 9" in found[0] and "not the ones reported before" in found[1]


@pytest.mark.parametrize("head", [{"count": -1, "hash": "a" * 64}, {"count": 3, "hash": "xyz"},
                                  {"count": 0, "hash": "a" * 64}, {"count": 2}, [1, 2]])
def test_malformed_audit_heads_are_refused(dapi, head):
    r = post(dapi, rec("handover", {**handover("signed", shift_date="2026-09-01"), "audit_head": head}))[0]
    assert (r["status"], r["code"]) == ("rejected", "invalid_field")
