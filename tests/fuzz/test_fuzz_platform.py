"""Fuzzing the platform: commands and duty records with any values never give a 500,
never store a value that cannot be true, and a desk's outbox never blocks on them."""

from __future__ import annotations

import json
import time
import uuid

import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import wire_rules
from console.domain.model import Ticket
from tests.simulator.conftest import LEADER, cmd, new_ticket_dict

from .conftest import PROFILE
from .strategies import VALUES, overrides

TICKET_KEYS = sorted(Ticket.__dataclass_fields__)
ALLOWED = (200, 409, 422)


def _post(sim, path, body: dict) -> requests.Response:
    # allow_nan: NaN and Infinity go on the wire as a lying client would send them
    data = json.dumps(body, allow_nan=True, default=str)
    return requests.post(sim.url + path, data=data, timeout=20,
                         headers={**sim.headers(), "Content-Type": "application/json"})


@settings(settings.get_profile(PROFILE))
@given(over=overrides(TICKET_KEYS))
def test_any_new_ticket_is_answered_without_a_500_and_stored_only_if_true(fsim, over):
    t = {**new_ticket_dict(), **over}
    tid = t["id"] if isinstance(t.get("id"), str) else str(uuid.uuid4())
    r = _post(fsim, "/api/v1/commands", {"commands": [cmd(tid, "create", None, {"ticket": t})]})
    assert r.status_code in ALLOWED, (r.status_code, r.text[:300])
    if r.status_code == 200:
        res = r.json()["results"][0]
        assert res["status"] in ("applied", "rejected"), res
        if res["status"] == "applied":
            assert wire_rules.ticket_problem(res["ticket"]) is None, res["ticket"]


@settings(settings.get_profile(PROFILE))
@given(verb=VALUES, params=VALUES, issued_at=VALUES, version=VALUES)
def test_any_command_is_answered_without_a_500(fsim, verb, params, issued_at, version):
    c = {**cmd(str(uuid.uuid4()), "accept", 0), "verb": verb, "params": params,
         "issued_at": issued_at, "expected_version": version}
    r = _post(fsim, "/api/v1/commands", {"commands": [c]})
    assert r.status_code in ALLOWED, (r.status_code, r.text[:300])


def _record_base(kind: str) -> dict:
    now = time.time()
    return {
        "duty_log": {"at": now, "kind": "note", "text": "fuzz"},
        "handover": {"id": str(uuid.uuid4()), "shift_date": "2026-11-22", "shift": "day",
                     "from_user": "leader1", "state": "draft", "created_at": now},
        "emergency": {"id": str(uuid.uuid4()), "kind": "flood", "title": "fuzz", "started_at": now,
                      "started_by": "leader1"},
        "emergency_item": {"emergency_id": "none", "position": 0, "text": "fuzz"},
        "roster": {"id": str(uuid.uuid4()), "date": "2026-11-22", "shift": "day", "role": "officer",
                   "person_id": "officer1", "name": "fuzz"},
        "alarm_disposition": {"alarm_id": "none", "disposition": "dismissed", "at": now},
    }[kind]


KINDS = ["duty_log", "handover", "emergency", "emergency_item", "roster", "alarm_disposition"]
RECORD_KEYS = sorted({k for kind in KINDS for k in _record_base(kind)})


@settings(settings.get_profile(PROFILE))
@given(kind=VALUES | st.sampled_from(KINDS), over=overrides(RECORD_KEYS),
       issued_at=VALUES)
def test_any_duty_record_is_answered_without_a_500_and_stored_only_if_true(fsim, kind, over, issued_at):
    base = _record_base(kind) if kind in KINDS else {}
    rec = {"record_id": str(uuid.uuid4()), "kind": kind, "data": {**base, **over},
           "actor": LEADER, "issued_at": issued_at}
    r = _post(fsim, "/api/v1/duty-records", {"records": [rec]})
    assert r.status_code in ALLOWED, (r.status_code, r.text[:300])
    if r.status_code == 200 and r.json()["results"][0]["status"] == "applied":
        assert wire_rules.record_problem(kind, rec["data"]) is None, rec

