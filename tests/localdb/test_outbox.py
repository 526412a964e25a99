import pytest
from sqlalchemy import text

from console.domain import lifecycle
from console.domain.lifecycle import TransitionError
from localdb import feed, outbox, repo
from localdb.actions import record_action
from tests.localdb.helpers import NOW, OFFICER, OFFICER2, change, ticket


def _act(store, ticket_id, verb, params=None, actor=OFFICER, now=NOW):
    with store.write() as s:
        before = repo.get_ticket(s, ticket_id)
        after, ev = lifecycle.apply(before, verb, actor, params or {}, now)
        cid = record_action(s, before, after, ev, verb=verb, params=params or {}, actor=actor, now=now)
    return cid, after


def _result(cid, status, t=None, reason=None, code=None):
    return {"command_id": cid, "status": status, "ticket": t.to_dict() if t else None,
            "reason": reason, "code": code}


@pytest.fixture
def pending_ticket(store):
    t = ticket(1, state="pending", version=1)
    feed.apply_changes(store, [change(t)], "a", now=NOW)
    return t


def test_next_batch_in_order_and_resumes_inflight(store, pending_ticket):
    t = pending_ticket
    c1, _ = _act(store, t.id, "accept")
    c2, _ = _act(store, t.id, "register")
    c3, _ = _act(store, t.id, "annotate", {"text": "已电话联系"})
    with store.write() as s:
        batch = outbox.next_batch(s, 2)
        assert [e["command_id"] for e in batch] == [c1, c2]
        assert batch[0]["expected_version"] == 1 and batch[1]["expected_version"] == 2
        outbox.mark_inflight(s, [c1, c2])
    with store.session() as s:  # after a crash the inflight ones are sent again, first
        assert [e["command_id"] for e in outbox.next_batch(s, 10)] == [c1, c2, c3]
        assert outbox.depth(s) == 3
        assert repo.ticket_local_state(s, t.id)["pending"] == 3
        cmd = outbox.to_command(outbox.next_batch(s, 1)[0])
        assert set(cmd) == {"command_id", "ticket_id", "verb", "expected_version", "params",
                            "actor", "issued_at"}
        assert cmd["actor"]["role"] == "officer"


def test_applied_results_settle_ticket_to_platform(store, pending_ticket):
    t = pending_ticket
    c1, a1 = _act(store, t.id, "accept")
    c2, a2 = _act(store, t.id, "register")
    platform1 = a1.replace(updated_at=NOW + 5)
    rep = outbox.apply_results(store, [_result(c1, "applied", platform1)], now=NOW)
    assert rep.done == 1
    with store.session() as s:
        assert repo.get_ticket(s, t.id) == a2  # still optimistic: c2 unsent
        assert repo.base_ticket(s, t.id) == platform1
    platform2 = a2.replace(number="SH-PLATFORM")
    outbox.apply_results(store, [_result(c2, "duplicate", platform2)], now=NOW)
    with store.session() as s:
        assert repo.get_ticket(s, t.id) == platform2
        assert repo.base_ticket(s, t.id) is None
        assert repo.ticket_local_state(s, t.id)["pending"] == 0
        assert outbox.depth(s) == 0
        assert outbox.counts(s) == {"done": 2}


def test_conflict_restores_platform_and_blocks_later_entries(store, pending_ticket):
    t = pending_ticket
    c1, _ = _act(store, t.id, "accept")
    c2, _ = _act(store, t.id, "register")
    c3, _ = _act(store, t.id, "dispatch", {"department_id": "D01"})
    # meanwhile the platform returned the ticket (version 2)
    platform = t.replace(state=lifecycle.S.RETURNED, version=2)
    rep = outbox.apply_results(store, [_result(c1, "conflict", platform, "工单已被退回",
                                               "version_conflict")], now=NOW)
    assert (rep.failed, rep.blocked) == (1, 2)
    with store.session() as s:
        assert repo.get_ticket(s, t.id) == platform
        local = repo.ticket_local_state(s, t.id)
        assert local["pending"] == 0 and local["attention"]
        na = outbox.needs_attention(s)
        assert [e["command_id"] for e in na] == [c1, c2, c3]
        assert na[0]["reason"] == "工单已被退回" and na[0]["result_code"] == "version_conflict"
        assert na[0]["verb"] == "accept" and na[0]["actor"]["user_id"] == "u1"
        assert na[0]["issued_at"] == NOW
        assert all("blocked by earlier failure" in e["reason"] for e in na[1:])
        assert na[2]["params"] == {"department_id": "D01"}
        assert [e for e in repo.ticket_events(s, t.id) if e["local"]] == []
        assert outbox.next_batch(s) == []


def test_mixed_batch_statuses_nothing_dropped(store):
    ts = [ticket(i, state="pending", version=1) for i in (1, 2, 3, 4)]
    feed.apply_changes(store, [change(t, i) for i, t in enumerate(ts)], "a", now=NOW)
    ca, aa = _act(store, ts[0].id, "accept")
    cb, _ = _act(store, ts[1].id, "accept")
    cb2, _ = _act(store, ts[1].id, "register")
    cc, _ = _act(store, ts[2].id, "accept")
    cd, ad = _act(store, ts[3].id, "accept")
    cd2, ad2 = _act(store, ts[3].id, "register")
    results = [
        _result(ca, "applied", aa),
        _result(cb, "rejected", ts[1], "无权受理", "forbidden_role"),
        _result(cb2, "conflict", ts[1], "版本冲突", "version_conflict"),
        _result(cc, "weird-status"),
        _result(cd, "duplicate", ad),
        _result(cd2, "applied", ad2),
        _result("never-heard-of", "applied", aa),
    ]
    rep = outbox.apply_results(store, results, now=NOW)
    assert (rep.done, rep.failed, rep.retry, rep.unknown) == (3, 2, 1, 1)
    with store.session() as s:
        st = dict(s.execute(text("SELECT command_id, status FROM outbox")).all())
        assert st == {ca: "done", cb: "needs_attention", cb2: "needs_attention", cc: "queued",
                      cd: "done", cd2: "done"}
        assert repo.get_ticket(s, ts[0].id) == aa
        assert repo.get_ticket(s, ts[1].id) == ts[1]
        assert repo.get_ticket(s, ts[3].id) == ad2
        na = {e["command_id"]: e for e in outbox.needs_attention(s)}
        assert na[cb2]["reason"] == "版本冲突"  # its own answer, not only "blocked"
        assert outbox.depth(s) == 1


def test_blocked_entry_later_applied_in_same_batch_becomes_done(store, pending_ticket):
    t = pending_ticket
    c1, _ = _act(store, t.id, "annotate", {"text": "一"})
    c2, a2 = _act(store, t.id, "annotate", {"text": "二"})
    rep = outbox.apply_results(store, [_result(c1, "rejected", t, "x", "invalid_param"),
                                       _result(c2, "applied", a2)], now=NOW)
    assert (rep.done, rep.failed) == (1, 1)
    with store.session() as s:
        assert [e["command_id"] for e in outbox.needs_attention(s)] == [c1]
        assert repo.get_ticket(s, t.id) == a2


def test_redo_and_discard(store, pending_ticket):
    t = pending_ticket
    c1, _ = _act(store, t.id, "accept")
    c2, _ = _act(store, t.id, "annotate", {"text": "备注"})
    platform = t.replace(version=2, description="平台改了描述")
    outbox.apply_results(store, [_result(c1, "conflict", platform, "版本冲突", "version_conflict")],
                         now=NOW)
    redone = outbox.redo(store, c1, now=NOW + 60)
    assert redone.state.value == "accepted" and redone.version == 3
    assert redone.description == "平台改了描述"
    with store.session() as s:
        entry = outbox.get_entry(s, c1)
        assert entry["status"] == "redone"
        new = outbox.get_entry(s, entry["replaced_by"])
        assert new["status"] == "queued" and new["expected_version"] == 2
        assert repo.ticket_local_state(s, t.id)["attention"]  # c2 still needs a decision
    outbox.discard(store, c2, OFFICER2, now=NOW + 90)
    with store.session() as s:
        assert outbox.get_entry(s, c2)["status"] == "discarded"
        assert not repo.ticket_local_state(s, t.id)["attention"]
        audit = repo.audit_log(s, t.id)
        assert audit[-1]["action"] == "outbox_discard" and audit[-1]["actor_id"] == "u2"
        assert "annotate" in audit[-1]["details"]
    with pytest.raises(KeyError):
        outbox.discard(store, c2, OFFICER2)


def test_redo_that_no_longer_applies_raises_and_writes_nothing(store, pending_ticket):
    t = pending_ticket
    c1, _ = _act(store, t.id, "accept")
    platform = t.replace(state=lifecycle.S.CLOSED, version=5)
    outbox.apply_results(store, [_result(c1, "conflict", platform, "已结案", "version_conflict")],
                         now=NOW)
    with store.session() as s:
        before = s.execute(text("SELECT count(*) FROM outbox")).scalar()
    with pytest.raises(TransitionError):
        outbox.redo(store, c1, now=NOW)
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM outbox")).scalar() == before
        assert outbox.get_entry(s, c1)["status"] == "needs_attention"


def test_feed_during_pending_then_results(store, pending_ticket):
    """The feed brings a newer platform version while our action is unsent; when the
    action is confirmed the local row becomes the newest platform state."""
    t = pending_ticket
    c1, a1 = _act(store, t.id, "accept")
    newer = a1.replace(version=3, urge_count=1)
    feed.apply_changes(store, [change(newer)], "b", now=NOW)
    outbox.apply_results(store, [_result(c1, "applied", a1)], now=NOW)
    with store.session() as s:
        assert repo.get_ticket(s, t.id) == newer
