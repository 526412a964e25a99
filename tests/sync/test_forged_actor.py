"""A command sent in someone else's name is refused by the platform and shown as
refused at the desk: real simulator on loopback, the desk's own pusher, its store.

- an action recorded under an actor the platform has no account for;
- an officer's signed action whose actor was changed afterwards in the store file
  (replayed under another officer's name).
Both land in needs-attention with the platform's code; the platform's ticket is unchanged."""

from __future__ import annotations

import json

from sqlalchemy import text

from console.domain.model import Actor, Role
from console.operations import tickets as tops
from console.sync import storeapi
from console.sync.puller import Puller
from console.sync.pusher import Pusher

from .conftest import now
from .helpers import login_online


def _open_tickets(store, n: int) -> list[str]:
    with store.session() as s:
        return list(s.execute(text("SELECT id FROM tickets WHERE state='handling' ORDER BY id "
                                   "LIMIT :n OFFSET 211"), {"n": n}).scalars())


def _platform_events(client, ticket_id: str) -> list[dict]:
    out, cursor = [], ""
    while True:
        b = client.changes(cursor, 5000)
        out += [c["data"] for c in b.changes if c["kind"] == "ticket_event" and c["data"]["ticket_id"] == ticket_id]
        cursor = b.next_cursor
        if not b.has_more:
            return out


def test_forged_and_replayed_actors_are_refused_and_shown(sim, direct, open_store):
    store = open_store("forged.sqlite3")
    Puller(store, direct).catch_up()
    officer = login_online(store, direct, "officer1", "WS-F", now())
    assert officer.credential is not None
    t_forged, t_replayed = _open_tickets(store, 2)

    ghost = Actor("nobody-here", "无此人", Role.COMMANDER, "WS-F")
    tops.annotate(store, ghost, t_forged, "冒名批注", now())
    tops.annotate(store, officer, t_replayed, "核实中", now())
    with store.write() as s:  # someone with the file puts another officer's name on it
        cid, actor = s.execute(text("SELECT command_id, actor FROM outbox WHERE ticket_id=:t"),
                               {"t": t_replayed}).one()
        a = json.loads(actor)
        a.update(user_id="officer2", name="officer2")
        s.execute(text("UPDATE outbox SET actor=:a WHERE command_id=:c"), {"a": json.dumps(a), "c": cid})

    Pusher(store, direct).drain()
    attn = {e["ticket_id"]: e for e in storeapi.needs_attention(store)}
    assert attn[t_forged]["result_code"] == "unknown_actor"
    assert attn[t_replayed]["result_code"] == "bad_signature"
    assert "nobody-here" in attn[t_forged]["reason"]
    with store.session() as s:
        flagged = set(s.execute(text("SELECT id FROM tickets WHERE attention=1")).scalars())
    assert {t_forged, t_replayed} <= flagged
    for tid in (t_forged, t_replayed):  # nothing in either name reached the platform's ticket
        assert not [e for e in _platform_events(direct, tid) if e["action"] == "annotate"
                    and e["actor"]["workstation"] == "WS-F"]
