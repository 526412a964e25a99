"""Outbox pusher: exactly-once across lost replies and restarts, mixed results."""

from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import text

from console.domain.model import Actor, Role
from console.operations import tickets as ops
from console.sync import storeapi
from console.sync.client import LinkDown, PlatformClient
from console.sync.puller import Puller
from console.sync.pusher import Backoff, Pusher, run_pusher
from localdb import outbox

from .conftest import OFFICER, now
from .helpers import push_killed_after_send, wait_until


def bootstrap(store, sim):
    Puller(store, PlatformClient(sim.url, sim.token)).catch_up()


def pick(store, state="pending", n=1, offset=0):
    with store.session() as s:
        return [r[0] for r in s.execute(text(
            "SELECT id FROM tickets WHERE state=:s ORDER BY id LIMIT :n OFFSET :o"),
            {"s": state, "n": n, "o": offset})]


def new_pending(store, client, n):
    """n fresh pending tickets made at this workstation and confirmed by the platform."""
    from console.domain.model import CategoryKind, Channel

    with store.session() as s:
        kind, code, name = s.execute(text(
            "SELECT kind, code, small_name FROM categories ORDER BY code LIMIT 1")).first()
    ids = [ops.create_ticket(store, OFFICER, now(), channel=Channel.SELF_FOUND,
                             category_kind=CategoryKind(kind), category_code=code,
                             category_name=name, description=f"test ticket {i}").id
           for i in range(n)]
    Pusher(store, client).drain()
    Puller(store, client).catch_up()
    return ids


def platform_texts(client, ticket_ids) -> list[str]:
    texts, cursor = [], ""
    while True:
        b = client.changes(cursor, 5000)
        texts += [c["data"]["params"].get("text") for c in b.changes
                  if c["kind"] == "ticket_event" and c["data"]["ticket_id"] in ticket_ids
                  and c["data"]["action"] == "annotate"]
        cursor = b.next_cursor
        if not b.has_more:
            return texts


def test_lost_replies_and_a_restart_still_apply_exactly_once(sim, direct, proxy, via_proxy, open_store):
    store = open_store()
    bootstrap(store, sim)
    targets = pick(store, "handling", n=6, offset=10)
    mine = [f"lost-reply note {i}" for i in range(6)]
    for i, t in enumerate(mine):
        ops.annotate(store, OFFICER, targets[i], t, now())
    pusher = Pusher(store, via_proxy)
    proxy.drop_replies(1.0)               # the platform acts, the answer never arrives
    with pytest.raises(LinkDown):
        pusher.push_once()
    assert storeapi.outbox_depth(store) == 6
    assert sorted(platform_texts(direct, set(targets))) == sorted(mine)  # applied already
    store.close()
    # the console starts again and sends them again; the platform answers "duplicate",
    # and the process is killed (SIGKILL) before it stores those answers
    proxy.pass_through()
    push_killed_after_send(store.path, proxy.url, sim.token)

    from localdb import Store
    store2 = Store.open(store.path)           # and the console starts once more
    try:
        assert storeapi.outbox_depth(store2) == 6
        again = Pusher(store2, via_proxy)
        assert again.drain() == 6
        assert again.stats.duplicate == 6 and again.stats.applied == 0
        assert storeapi.outbox_depth(store2) == 0
        assert sorted(platform_texts(direct, set(targets))) == sorted(mine)  # still once each
    finally:
        store2.close()


def test_mixed_batch_results_land_in_needs_attention(sim, direct, open_store):
    a, b = open_store("a.sqlite3"), open_store("b.sqlite3")
    bootstrap(a, sim)
    contested, free, third = new_pending(a, direct, 3)
    bootstrap(b, sim)
    other = Actor("officer2", "另一位", Role.OFFICER, "WS-T2")
    ops.accept(a, OFFICER, contested, now())
    Pusher(a, direct).drain()
    # b has not seen a's accept: its accept conflicts and the note built on it is blocked
    ops.accept(b, other, contested, now())
    ops.annotate(b, other, contested, "after my accept", now())
    ops.annotate(b, other, free, "fine", now())
    with b.session() as s:
        v3 = s.execute(text("SELECT version FROM tickets WHERE id=:i"), {"i": third}).scalar()
    with b.write() as s:                  # a command the platform's lifecycle refuses
        outbox.enqueue(s, {"command_id": "bad-dispatch-1", "ticket_id": third, "verb": "dispatch",
                           "params": {"department_id": "D-nope"}, "expected_version": v3,
                           "actor": {"user_id": "officer2", "name": "x", "role": "officer",
                                     "workstation": "WS-T2"}, "issued_at": now()})
    pb = Pusher(b, direct)
    assert pb.drain() == 3                # one batch: the blocked note is never sent
    s_ = pb.stats
    assert (s_.batches, s_.conflict, s_.applied, s_.rejected) == (1, 1, 1, 1)
    attn = {e["command_id"]: e for e in storeapi.needs_attention(b)}
    assert sorted(e["verb"] for e in attn.values()) == ["accept", "annotate", "dispatch"]
    codes = {e["verb"]: e["result_code"] for e in attn.values()}
    assert codes["accept"] == "version_conflict" and codes["annotate"] == "blocked"
    assert codes["dispatch"] in ("illegal_transition", "invalid_param")
    assert storeapi.outbox_depth(b) == 0
    with b.session() as s:
        row = s.execute(text("SELECT attention, state FROM tickets WHERE id=:i"), {"i": contested}).first()
    assert row[0] and row[1] == "accepted"   # the platform's state, flagged for the officer


class FlakyClient:
    """send_commands fails until healed; counts calls (no busy loop allowed)."""

    def __init__(self):
        self.healed = False
        self.calls = 0

    def send_commands(self, commands):
        self.calls += 1
        if not self.healed:
            raise LinkDown("refused")
        return [{"command_id": c["command_id"], "status": "applied", "ticket": None,
                 "reason": None, "code": None} for c in commands]


def test_backoff_waits_on_an_event_and_wakes_on_kick(open_store):
    store = open_store()
    from console.domain import lifecycle
    from console.domain.model import CategoryKind, Channel
    ops.create_ticket(store, OFFICER, now(), channel=Channel.SELF_FOUND,
                      category_kind=CategoryKind.EVENT, category_code="01001", category_name="x")
    client = FlakyClient()
    pusher = Pusher(store, client)
    stop = threading.Event()
    answered = threading.Event()
    pusher.on_results = lambda results: answered.set()
    errors = []
    class _Top(random.Random):               # full jitter's worst case: the whole ceiling
        def uniform(self, a, b):
            return b

    backoff = Backoff(base=60.0, cap=60.0, rng=_Top())  # a 60 s wait unless something wakes it
    backoff.attempt = 5
    t = threading.Thread(target=run_pusher, args=(pusher, stop),
                         kwargs={"backoff": backoff, "on_link_down": errors.append,
                                 "on_error": errors.append}, daemon=True)
    t.start()
    wait_until(lambda: client.calls >= 1, 5, what="first attempt")
    assert not answered.wait(0.3)           # backing off, not spinning
    assert client.calls == 1
    client.healed = True
    pusher.kick()                           # a new officer action / the link is back
    # the backoff alone would wait 60 s: an answer before that came from the kick
    assert answered.wait(30.0)
    assert storeapi.outbox_depth(store) == 0
    stop.set()
    pusher.kick()
    t.join(2)
    assert not t.is_alive()
    assert all(isinstance(e, LinkDown) for e in errors)


class PickyClient:
    """Refuses a whole batch (422) when it holds a command with a bad verb."""

    def __init__(self):
        self.batches = []

    def send_commands(self, commands):
        from console.sync.client import RequestRejected
        self.batches.append(len(commands))
        if any(c["verb"] == "bogus" for c in commands):
            raise RequestRejected(422, "validation_error", "bad verb")
        return [{"command_id": c["command_id"], "status": "applied", "ticket": None,
                 "reason": None, "code": None} for c in commands]


def test_a_refused_batch_is_split_until_the_bad_command_stands_alone(open_store):
    store = open_store()
    with store.write() as s:
        for i in range(8):
            outbox.enqueue(s, {"command_id": f"c{i}", "ticket_id": f"t{i}",
                               "verb": "bogus" if i == 5 else "annotate", "params": {"text": "x"},
                               "expected_version": 1, "actor": {"user_id": "u", "name": "n",
                                                                 "role": "officer"},
                               "issued_at": now()})
    client = PickyClient()
    pusher = Pusher(store, client)
    assert pusher.drain() == 8
    assert pusher.stats.applied == 7 and pusher.stats.rejected == 1
    [bad] = storeapi.needs_attention(store)
    assert bad["command_id"] == "c5" and bad["result_code"] == "validation_error"
    assert max(client.batches) == 8 and client.batches.count(1) >= 1
