"""The desk's incremental scan (``console.operations.Scanner``) raises and reminds exactly
what the full scan (``ops.scan``) does at the same instants, over random clocks, arrivals,
edits, closures and acknowledgements: two stores fed the same history, one scanned each
way, compared alert by alert after every step."""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from console.domain import supervision as SV
from console.operations import supervision as ops
from localdb import repo_supervision as repo
from localdb.feed import apply_changes
from tests.commander.conftest import LEADER, OFFICER, at, ticket

POLICY = SV.Policy(interval_s=300.0, dormant_s=2 * 3600.0, hall_lead_s=1800.0)
_SEQ = [500_000]

step = st.tuples(st.floats(min_value=1, max_value=1500),                  # clock advance
                 st.sampled_from(["none", "arrive", "arrive_late", "close", "touch", "ack"]),
                 st.floats(min_value=-3600, max_value=7200))               # the new ticket's limit from now


def _put(stores, t):
    _SEQ[0] += 1
    ch = [{"seq": _SEQ[0], "kind": "ticket", "op": "upsert", "id": t.id, "data": t.to_dict()}]
    for s in stores:
        apply_changes(s, ch, f"sc{_SEQ[0]}")


def _fresh(**kw):
    t = ticket("handling", **kw)
    return t.__class__.from_dict({**t.to_dict(), "id": str(uuid.uuid4())})


def _mine(store, ids):
    with store.session() as s:
        return {a["id"]: (a["reminders"], a["level"], a["acked_at"]) for a in repo.all_alerts(s)
                if a["ticket_id"] in ids}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=16), full_every=st.sampled_from([60.0, 900.0, 1e9]))
def test_incremental_scan_equals_full_scan(make_store, steps, full_every):
    if not hasattr(make_store, "_pair"):
        make_store._pair = (make_store([], name="inc.sqlite3"), make_store([], name="full.sqlite3"))
    inc, full = make_store._pair
    scanner = ops.Scanner(POLICY, full_every_s=full_every)
    now = at(3, 9)
    tickets: dict[str, object] = {}
    first = _fresh(created=now - 3600, deadline=now + 2400, updated_at=now - 60)
    _put((inc, full), first)
    tickets[first.id] = first
    for dt_, what, limit in steps:
        if what == "arrive":
            t = _fresh(created=now, deadline=now + limit, updated_at=now)
            _put((inc, full), t)
            tickets[t.id] = t
        elif what == "arrive_late":  # arrives from the feed already in warning / overdue, quiet for hours
            t = _fresh(created=now - 20000, deadline=now + min(limit, 600), updated_at=now - 3 * 3600)
            _put((inc, full), t)
            tickets[t.id] = t
        elif what in ("close", "touch") and tickets:
            tid = sorted(tickets)[int(limit) % len(tickets)]
            t = tickets[tid]
            d = t.to_dict()
            d.update(version=int(d.get("version") or 0) + 1, updated_at=now)
            if what == "close":
                d.update(state="closed", closed_at=now, closed_on_time=True)
            tickets[tid] = t = t.__class__.from_dict(d)
            _put((inc, full), t)
        elif what == "ack":
            waiting = sorted(k for k, v in _mine(full, set(tickets)).items() if v[2] is None)
            if waiting:
                for s in (inc, full):
                    ops.acknowledge(s, LEADER, waiting[0], now)
        now += dt_
        a = scanner.scan(inc, OFFICER, now)
        b = ops.scan(full, OFFICER, now, POLICY)
        assert sorted(x["id"] for x in a.raised) == sorted(x["id"] for x in b.raised)
        assert sorted((x["id"], x["reminder_no"], x["role"]) for x in a.reminders) == sorted(
            (x["id"], x["reminder_no"], x["role"]) for x in b.reminders)
        got, want = _mine(inc, set(tickets)), _mine(full, set(tickets))
        assert set(got) == set(want)
        assert {k: v[:2] for k, v in got.items()} == {k: v[:2] for k, v in want.items()}
