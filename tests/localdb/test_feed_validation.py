"""Every feed change is checked before it is applied (issue 14): a change whose values
cannot be true (the platform's own rule, console.domain.wire_rules) is quarantined
with its reason and counted, never stored or shown; the rest of the batch applies."""

from __future__ import annotations

import math
import uuid

from sqlalchemy import text

from localdb import feed
from tests.localdb.helpers import NOW, change, ticket

OTHER = {"user_id": "leader2", "name": "值班长2", "role": "shift_leader", "workstation": "WS-9"}


def _record(kind: str, data: dict, seq: int) -> dict:
    rid = str(uuid.uuid4())
    return {"seq": seq, "kind": "duty_record", "op": "upsert", "id": rid,
            "data": {"record_id": rid, "kind": kind, "data": data, "actor": OTHER, "issued_at": NOW}}


def _event(tid: str, at, seq: int) -> dict:
    eid = str(uuid.uuid4())
    return {"seq": seq, "kind": "ticket_event", "op": "upsert", "id": eid,
            "data": {"event_id": eid, "ticket_id": tid, "action": "annotate", "at": at,
                     "actor": OTHER, "from_state": "registered", "to_state": "registered",
                     "params": {"text": "x"}}}


def test_implausible_changes_are_quarantined_counted_and_the_rest_applies(sqlite_store):
    st = sqlite_store
    bad_tickets = [
        {**ticket(101).to_dict(), "created_at": math.nan},
        {**ticket(102).to_dict(), "created_at": 1e300},
        {**ticket(103).to_dict(), "deadline": -1e12},
        {**ticket(104).to_dict(), "urge_count": -5},
        {**ticket(105).to_dict(), "reporter_phone": "1" * 10_000},
        {**ticket(106).to_dict(), "attachments": ["../../x"]},
        {**ticket(107).to_dict(), "extension_hours": 1e9},
        {**ticket(108).to_dict(), "lat": 1e300},
    ]
    good = ticket(1)
    changes = [change(good, 1)] + [change(d, 10 + i) for i, d in enumerate(bad_tickets)]
    changes += [_event(good.id, 1e300, 30), _event(good.id, math.inf, 31), _event(good.id, NOW, 32)]
    changes += [_record("duty_log", {"at": 1e300, "kind": "note", "text": "x"}, 40),
                _record("handover", {"id": "h1", "shift_date": "not-a-date", "shift": "day",
                                     "from_user": "leader2", "state": "draft", "created_at": NOW}, 41),
                _record("duty_log", {"at": NOW, "kind": "note", "text": "一条正常的日志"}, 42)]
    rep = feed.apply_changes(st, changes, "c1", now=NOW)
    assert rep.quarantined == len(bad_tickets) + 2 + 2
    with st.session() as s:
        ids = {r[0] for r in s.execute(text("SELECT id FROM tickets"))}
        reasons = [r[0] for r in s.execute(text("SELECT reason FROM quarantine ORDER BY seq"))]
        events = s.execute(text("SELECT count(*) FROM ticket_events WHERE ticket_id=:t"), {"t": good.id}).scalar()
        lines = s.execute(text("SELECT text FROM duty_log")).scalars().all()
    assert ids == {good.id}
    assert events == 1 and lines == ["一条正常的日志"]
    assert len(reasons) == rep.quarantined
    assert any("created_at" in r for r in reasons) and any("urge_count" in r for r in reasons)
    assert any("attachments" in r for r in reasons) and any("shift_date" in r for r in reasons)
    assert any("plausible" in r for r in reasons)
