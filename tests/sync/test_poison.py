"""One bad action never blocks the outbox: real simulator on loopback, real pusher.

- the probe of issue 14: creates with created_at -1e12, 1e15, 1e300 queued before an
  innocent urge and a duty-log line: the platform refuses them (it answered 500 and the
  pusher resent the same batch forever), everything behind them reaches the platform;
- a command the platform keeps failing on (a 500 every time) is isolated by halving,
  tried alone a bounded number of times, set aside with the platform's answer, and the
  officer can redo or discard it; the link stays online meanwhile;
- the same idempotency key with another body is a 409 the console shows as such.
"""

from __future__ import annotations

import threading

import requests
from sqlalchemy import text

from console.domain.model import CategoryKind, Channel
from console.operations import duty, sync_actions
from console.operations import tickets as ops
from console.sync import storeapi
from console.sync.puller import Puller
from console.sync.pusher import POISON_TRIES, Backoff, Pusher, run_pusher
from localdb import outbox

from .conftest import OFFICER, now
from .helpers import wait_until
from .test_pusher import bootstrap, pick, platform_texts


def _category(store):
    with store.session() as s:
        return s.execute(text("SELECT kind, code, small_name FROM categories ORDER BY code LIMIT 1")).first()


def _status(store, command_id):
    with store.session() as s:
        e = outbox.get_entry(s, command_id)
    return e["status"], e["result_code"], e["reason"]


def _outbox_ids(store, verb):
    with store.session() as s:
        return [r[0] for r in s.execute(text("SELECT command_id FROM outbox WHERE verb=:v ORDER BY seq"),
                                        {"v": verb})]


class Faults:
    def __init__(self, sim):
        self.url = sim.url + "/_sim/faults"

    def __enter__(self):
        return self

    def set(self, **kw):
        r = requests.post(self.url, json=kw, timeout=5)
        assert r.status_code == 200, r.text

    def __exit__(self, *exc):
        self.set()


def test_out_of_range_creates_are_refused_and_everything_behind_them_flows(sim, direct, open_store):
    store = open_store()
    bootstrap(store, sim)
    kind, code, name = _category(store)
    poisoned = [ops.create_ticket(store, OFFICER, now(), channel=Channel.SELF_FOUND,
                                  category_kind=CategoryKind(kind), category_code=code,
                                  category_name=name, description=f"bad time {v}", created_at=v).id
                for v in (-1e12, 1e15, 1e300)]
    target = pick(store, "handling", n=1, offset=3)[0]
    ops.urge(store, OFFICER, target, now(), note="innocent urge behind the bad creates")
    duty.add_duty_log(store, OFFICER, "note", "duty log line behind the bad creates", now())
    pusher = Pusher(store, direct)
    pusher.drain()
    assert storeapi.outbox_depth(store) == 0
    with store.session() as s:
        bad = {e["ticket_id"]: e for e in outbox.needs_attention(s)}
    assert set(bad) == set(poisoned)
    assert {e["result_code"] for e in bad.values()} == {"invalid_param"}
    assert all("created_at" in e["reason"] for e in bad.values())
    # what came behind reached the platform, in a few requests (not resent forever)
    assert pusher.stats.batches <= 3 and pusher.stats.retries == 0
    urge_id = [c for c in _outbox_ids(store, "urge")][-1]
    assert _status(store, urge_id)[0] == "done"
    assert all(_status(store, r)[0] == "done" for r in _outbox_ids(store, "duty_record"))


def test_a_command_the_platform_keeps_failing_on_is_set_aside_and_the_rest_flow(sim, direct, open_store):
    store = open_store()
    bootstrap(store, sim)
    targets = pick(store, "handling", n=7, offset=20)
    texts = [f"poison neighbour {i}" for i in range(7)]
    for t, x in zip(targets, texts):
        ops.annotate(store, OFFICER, t, x, now())
    ids = _outbox_ids(store, "annotate")[-7:]
    poison = ids[3]
    links: list[str] = []
    stop = threading.Event()
    pusher = Pusher(store, direct)
    with Faults(sim) as faults:
        faults.set(fail_ids=[poison])
        th = threading.Thread(target=run_pusher, args=(pusher, stop), daemon=True, kwargs=dict(
            backoff=Backoff(base=0.05, cap=0.2), on_link_down=lambda e: links.append(str(e)),
            on_error=lambda e: links.append(f"error {e}"), idle_s=0.2))
        th.start()
        try:
            wait_until(lambda: _status(store, poison)[0] == "needs_attention", 20,
                       what="the failing command set aside")
        finally:
            stop.set()
            pusher.kick()
            th.join(10)
    status, code, reason = _status(store, poison)
    assert code == "platform_error" and "500" in reason and f"{POISON_TRIES} times" in reason
    assert all(_status(store, c)[0] == "done" for c in ids if c != poison)
    assert sorted(platform_texts(direct, set(targets)), key=texts.index) == [x for x in texts if x != texts[3]]
    assert links == []                      # the platform answered: the link never went down
    assert pusher.stats.set_aside == 1
    # the officer redoes it once the platform is fixed: it reaches the platform once
    ticket_of_poison = targets[3]
    with store.session() as s:
        assert s.execute(text("SELECT attention FROM tickets WHERE id=:i"), {"i": ticket_of_poison}).scalar()
    Puller(store, direct).catch_up()
    sync_actions.redo(store, OFFICER, poison, now())
    Pusher(store, direct).drain()
    assert storeapi.outbox_depth(store) == 0
    assert platform_texts(direct, {ticket_of_poison}).count(texts[3]) == 1


def test_a_set_aside_record_can_be_discarded(sim, direct, open_store):
    store = open_store()
    bootstrap(store, sim)
    duty.add_duty_log(store, OFFICER, "note", "a line the platform chokes on", now())
    rid = _outbox_ids(store, "duty_record")[-1]
    with Faults(sim) as faults:
        faults.set(fail_ids=[rid])
        pusher = Pusher(store, direct)
        for _ in range(POISON_TRIES - 1):
            try:
                pusher.push_once()
            except Exception as exc:  # noqa: BLE001 - the 500, raised while tried alone
                assert "500" in str(exc)
        assert pusher.push_once() == 1
    assert _status(store, rid)[:2] == ("needs_attention", "platform_error")
    sync_actions.discard(store, OFFICER, rid, now())
    assert _status(store, rid)[0] == "discarded"
    with store.session() as s:
        assert outbox.needs_attention(s) == []


def test_a_reused_key_with_another_body_is_a_409_shown_in_needs_attention(sim, direct, open_store):
    store = open_store()
    bootstrap(store, sim)
    target = pick(store, "handling", n=1, offset=40)[0]
    ops.annotate(store, OFFICER, target, "the first note under this key", now())
    Pusher(store, direct).drain()
    with store.session() as s:
        first = outbox.get_entry(s, _outbox_ids(store, "annotate")[-1])
    replay = {**outbox.to_command(first), "params": {"text": "another note, same key"}}
    r = requests.post(sim.url + "/api/v1/commands", json={"commands": [replay]},
                      headers=sim.headers(), timeout=10)
    assert r.status_code == 409 and r.json()["error"]["code"] == "idempotency_key_reused"
    # the same body again is still a plain duplicate
    again = requests.post(sim.url + "/api/v1/commands", json={"commands": [outbox.to_command(first)]},
                          headers=sim.headers(), timeout=10)
    assert again.status_code == 200 and again.json()["results"][0]["status"] == "duplicate"
    # a desk whose outbox holds such an entry (a restored backup, a bug): it is set aside
    # with the platform's code, and a good entry in the same batch still goes
    other = pick(store, "handling", n=1, offset=41)[0]
    with store.write() as s:
        s.execute(text("DELETE FROM outbox WHERE command_id=:c"), {"c": first["command_id"]})
        outbox.enqueue(s, {**replay, "issued_at": replay["issued_at"]})
    ops.annotate(store, OFFICER, other, "a good note in the same batch", now())
    Pusher(store, direct).drain()
    status, code, reason = _status(store, first["command_id"])
    assert (status, code) == ("needs_attention", "idempotency_key_reused") and "used before" in reason
    assert "a good note in the same batch" in platform_texts(direct, {other})
    assert platform_texts(direct, {target}).count("another note, same key") == 0


def test_an_action_holding_nan_or_infinity_is_set_aside_before_it_is_sent(sim, direct, open_store):
    """Found by the fuzz suite: a create whose address was inf could never be encoded,
    the client reported the link down for ever and the whole outbox waited."""
    store = open_store()
    bootstrap(store, sim)
    kind, code, name = _category(store)
    bad = ops.create_ticket(store, OFFICER, now(), channel=Channel.SELF_FOUND, category_kind=CategoryKind(kind),
                            category_code=code, category_name=name, description="x", lat=float("nan"),
                            lon=float("inf")).id
    target = pick(store, "handling", n=1, offset=50)[0]
    ops.annotate(store, OFFICER, target, "a note behind an unsendable create", now())
    Pusher(store, direct).drain()
    assert storeapi.outbox_depth(store) == 0
    with store.session() as s:
        (e,) = outbox.needs_attention(s)
    assert e["ticket_id"] == bad and e["result_code"] == "unsendable_value"
    assert "a note behind an unsendable create" in platform_texts(direct, {target})
