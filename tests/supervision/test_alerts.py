"""Alerts that wait for an answer: raised once per crossing, never lost, escalated on the
chain at the interval, silenced by an acknowledgement; stored, logged, synced as duty
records. Run against the real store (rules: console.domain.supervision)."""

from __future__ import annotations

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from console.domain import supervision as SV
from console.operations import supervision as ops
from console.operations.duty import DutyError
from localdb import repo_supervision as repo
from localdb.feed import apply_changes
from localdb.outbox import DUTY_VERB
from tests.commander.conftest import LEADER, OFFICER, at, ticket

POLICY = SV.Policy(interval_s=300.0, dormant_s=4 * 3600.0, hall_lead_s=1800.0)
_SEQ = [100_000]


def _put(store, *tickets):
    changes = []
    for t in tickets:
        _SEQ[0] += 1
        changes.append({"seq": _SEQ[0], "kind": "ticket", "op": "upsert", "id": t.id, "data": t.to_dict()})
    apply_changes(store, changes, f"c{_SEQ[0]}")


def _fresh(state="handling", **kw):
    t = ticket(state, **kw)
    return t.__class__.from_dict({**t.to_dict(), "id": str(uuid.uuid4())})


def test_a_ticket_entering_warning_reaches_the_officer_then_leader_then_commander(make_store):
    store = make_store([])
    t = _fresh(created=at(3, 8), deadline=at(3, 16), updated_at=at(3, 15))
    _put(store, t)
    assert ops.scan(store, OFFICER, at(3, 15, 29), POLICY).raised == []  # 31 min before: on time
    t0 = at(3, 15, 31)  # 29 minutes before the limit: inside the 30-minute lead
    r = ops.scan(store, OFFICER, t0, POLICY)
    assert [(a["kind"], a["ticket_id"]) for a in r.raised] == [("warning", t.id)]
    assert [(x["role"], x["reminder_no"], x["number"]) for x in r.reminders] == [("officer", 0, t.number)]
    assert ops.scan(store, OFFICER, t0 + 299, POLICY).reminders == []  # not yet
    assert [x["role"] for x in ops.scan(store, OFFICER, t0 + 300, POLICY).reminders] == ["shift_leader"]
    assert ops.scan(store, OFFICER, t0 + 301, POLICY).raised == []  # the same crossing: not again
    assert [x["role"] for x in ops.scan(store, OFFICER, t0 + 600, POLICY).reminders] == ["commander"]
    assert [x["role"] for x in ops.scan(store, OFFICER, t0 + 900, POLICY).reminders] == ["commander"]
    aid = SV.alert_id("warning", t.id, at(3, 16))
    ops.acknowledge(store, LEADER, aid, t0 + 950, "已电话催办")
    assert ops.scan(store, OFFICER, t0 + 1200, POLICY).reminders == []
    # the limit passes: overdue is a new crossing, raised once
    r = ops.scan(store, OFFICER, at(3, 16, 0, 1), POLICY)
    assert [a["kind"] for a in r.raised] == ["overdue"]
    with store.session() as s:
        rows = {a["id"]: a for a in repo.all_alerts(s)}
        logs = [k for (k,) in s.execute(text("SELECT kind FROM duty_log WHERE ticket_id = :t ORDER BY id"),
                                         {"t": t.id})]
    assert rows[aid]["acked_by"] == LEADER.user_id and rows[aid]["ack_note"] == "已电话催办"
    assert rows[aid]["reminders"] == 4 and rows[aid]["level"] == 2
    assert logs.count("alert") >= 3 and logs.count("alert_ack") == 1  # raised, escalations, ack
    with store.session() as s:
        records = [json.loads(p) for (p,) in s.execute(text(
            "SELECT params FROM outbox WHERE verb = :v ORDER BY seq"), {"v": DUTY_VERB})]
    synced = [r["data"]["text"] for r in records if r["kind"] == "duty_log"]
    # escalations and the acknowledgement go to the platform as duty-log lines; raising stays local
    assert [x[:6] for x in synced] == ["警示升级至平", "警示升级至轮", "已确认警示 "]
    # and the acknowledgement itself as an alert_ack record, for the other desks
    acks = [r["data"] for r in records if r["kind"] == ops.ACK_RECORD]
    assert [(a["id"], a["ticket_id"], a["kind"], a["workstation"], a["note"]) for a in acks] == [
        (aid, t.id, "warning", LEADER.workstation, "已电话催办")]


def test_acknowledging_twice_is_refused_with_who_did_it(make_store):
    store = make_store([])
    t = _fresh(created=at(3, 8), deadline=at(3, 9), priority="critical")
    _put(store, t)
    r = ops.scan(store, OFFICER, at(3, 9, 30), POLICY)
    assert {a["kind"] for a in r.raised} == {"critical", "overdue"}
    aid = SV.alert_id("critical", t.id, None)
    ops.acknowledge(store, OFFICER, aid, at(3, 9, 31))
    with pytest.raises(DutyError, match="officer1"):
        ops.acknowledge(store, LEADER, aid, at(3, 9, 32))
    with pytest.raises(DutyError, match="没有这条警示"):
        ops.acknowledge(store, LEADER, "warning:nope", at(3, 9, 32))


def test_an_extension_moves_the_deadline_and_its_warning_is_a_new_alert(make_store):
    store = make_store([])
    t = _fresh(created=at(3, 8), deadline=at(3, 16), updated_at=at(3, 15))
    _put(store, t)
    assert len(ops.scan(store, OFFICER, at(3, 15, 40), POLICY).raised) == 1
    ext = t.__class__.from_dict({**t.to_dict(), "deadline": at(3, 20), "extension_hours": 4.0, "version": 2,
                                 "updated_at": at(3, 15, 45)})
    _put(store, ext)
    assert ops.scan(store, OFFICER, at(3, 16, 10), POLICY).raised == []  # neither overdue nor warning now
    r = ops.scan(store, OFFICER, at(3, 19, 40), POLICY)
    assert [a["id"] for a in r.raised] == [SV.alert_id("warning", t.id, at(3, 20))]


def test_a_dormant_ticket_alerts_and_a_new_action_rearms_it(make_store):
    store = make_store([])
    t = _fresh(created=at(3, 1), deadline=at(5, 1), updated_at=at(3, 2))
    _put(store, t)
    assert ops.scan(store, OFFICER, at(3, 5, 59), POLICY).raised == []
    assert [a["kind"] for a in ops.scan(store, OFFICER, at(3, 6), POLICY).raised] == ["dormant"]
    _put(store, t.__class__.from_dict({**t.to_dict(), "version": 2, "updated_at": at(3, 7)}))
    assert ops.scan(store, OFFICER, at(3, 10, 59), POLICY).raised == []
    assert [a["id"] for a in ops.scan(store, OFFICER, at(3, 11), POLICY).raised] == [
        SV.alert_id("dormant", t.id, at(3, 7))]


def test_suspended_and_done_tickets_do_not_alert_and_done_ones_stop_climbing(make_store):
    store = make_store([])
    sus = _fresh("suspended", created=at(3, 1), deadline=at(3, 2), suspended_since=at(3, 1, 30),
                 resume_state="handling")
    t = _fresh(created=at(3, 1), deadline=at(3, 2))
    _put(store, sus, t)
    r = ops.scan(store, OFFICER, at(3, 3), POLICY)
    assert [a["ticket_id"] for a in r.raised] == [t.id]
    _put(store, t.__class__.from_dict({**t.to_dict(), "state": "closed", "closed_at": at(3, 3, 1),
                                       "closed_on_time": False, "version": 2, "updated_at": at(3, 3, 1)}))
    assert ops.scan(store, OFFICER, at(3, 4), POLICY).reminders == []


# -- properties over clocks and acknowledgements ---------------------------------------------

steps = st.lists(st.tuples(st.floats(min_value=1, max_value=2400), st.booleans()), min_size=1, max_size=14)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=steps, lead_min=st.sampled_from([None, 10.0, 45.0]), offset=st.floats(min_value=-7200, max_value=600))
def test_never_lost_never_twice_and_acks_stop_reminders(make_store, steps, lead_min, offset):
    store = make_store([], name="prop.sqlite3") if not hasattr(make_store, "_prop") else make_store._prop
    make_store._prop = store
    deadline = at(3, 16)
    t = _fresh(created=at(3, 8), deadline=deadline, updated_at=at(3, 15))
    _SEQ[0] += 1  # the category's lead in the platform's catalogue (None: the hall's)
    apply_changes(store, [{"seq": _SEQ[0], "kind": "category", "op": "upsert", "id": "event:02001", "data": {
        "kind": "event", "code": "02001", "big_code": "02", "big_name": "市容环境", "small_name": "暴露垃圾",
        "limit_hours": 8.0, "limit_mode": "calendar", "warning_lead_minutes": lead_min}}], f"cat{_SEQ[0]}")
    _put(store, t)
    with store.session() as s:
        assert s.execute(text("SELECT warn_lead_s FROM tickets WHERE id = :i"), {"i": t.id}).scalar() == (
            None if lead_min is None else lead_min * 60)
    now = deadline - 3600 + offset
    expected: set[str] = set()
    raised: list[str] = []
    acked: dict[str, int] = {}
    row = {"id": t.id, "state": "handling", "deadline": deadline, "created_at": at(3, 8), "updated_at": at(3, 15),
           "warn_lead_s": None if lead_min is None else lead_min * 60, "priority": "normal",
           "channel": "hotline_12345", "key_supervision": False}
    for dt_, ack in steps:
        now += dt_
        expected |= {c.id for c in SV.crossings(row, now, POLICY)}
        res = ops.scan(store, OFFICER, now, POLICY)
        raised += [a["id"] for a in res.raised if a["ticket_id"] == t.id]
        with store.session() as s:
            mine = {a["id"]: a for a in repo.all_alerts(s) if a["ticket_id"] == t.id}
        assert set(mine) == expected                 # never lost
        assert sorted(raised) == sorted(set(raised))  # never raised twice
        for aid, n in acked.items():
            assert mine[aid]["reminders"] == n        # an acknowledged alert stays silent
        for aid, a in mine.items():
            if aid not in acked:
                assert a["level"] == SV.level_at(a["raised_at"], now, POLICY)
                assert a["reminders"] == int((now - a["raised_at"]) // POLICY.interval_s) + 1
        if ack and mine:
            aid = sorted(set(mine) - set(acked))[0] if set(mine) - set(acked) else None
            if aid:
                ops.acknowledge(store, LEADER, aid, now)
                acked[aid] = mine[aid]["reminders"]


def test_the_handover_lists_the_shifts_alerts_and_acknowledgements(make_store):
    from console import handover as H

    store = make_store([])
    t = _fresh(created=at(22, 8), deadline=at(22, 12), updated_at=at(22, 11))
    _put(store, t)
    ops.scan(store, OFFICER, at(22, 11, 45), POLICY)
    ops.scan(store, OFFICER, at(22, 12, 1), POLICY)
    ops.acknowledge(store, LEADER, SV.alert_id("warning", t.id, at(22, 12)), at(22, 12, 2))
    rec = H.build_record(store, at(22, 14, 50))  # the day shift (07:00-15:00) ends
    assert {(a["kind"], a["acked_by"]) for a in rec["alerts"]} == {("warning", LEADER.user_id), ("overdue", None)}
    assert rec["alerts_open"] == 1
    heads = dict(H.sections(rec))
    (head,) = [h for h in heads if h.startswith("警示提醒")]
    assert "本班2条" in head and "待确认1条" in head
    body = heads[head]
    assert any("未确认" in row for row in body) and any(LEADER.user_id in " ".join(row) for row in body)
