"""Feed follower against the real simulator: pages, resume, refusal, resync."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from console.operations import tickets as ops
from console.sync import storeapi
from console.sync.client import BadResponse, PlatformClient
from console.sync.puller import BatchNotStored, Puller

from .conftest import OFFICER, now


class Recording(PlatformClient):
    """A real client that remembers which seqs it downloaded (and can spoil batches)."""

    def __init__(self, *a, spoil=None, **kw):
        super().__init__(*a, **kw)
        self.seqs: list[int] = []
        self.spoil = spoil

    def changes(self, cursor, limit=500):
        b = super().changes(cursor, limit)
        self.seqs += [c["seq"] for c in b.changes]
        if self.spoil:
            self.spoil(b.changes)
        return b


def all_seqs(client) -> list[int]:
    seqs, cursor = [], ""
    while True:
        b = client.changes(cursor, 5000)
        seqs += [c["seq"] for c in b.changes]
        cursor = b.next_cursor
        if not b.has_more:
            return seqs


def count(store, sql):
    with store.session() as s:
        return s.execute(text(sql)).scalar()


def test_bootstrap_in_pages_then_resume_without_downloading_again(sim, direct, open_store):
    everything = all_seqs(direct)
    assert len(everything) > 900, "the simulator should have some history"
    store = open_store()
    c1 = Recording(sim.url, sim.token)
    progress = []
    p1 = Puller(store, c1, bootstrap_limit=300, on_progress=progress.append)
    assert p1.bootstrapping
    p1.pull_once()
    p1.pull_once()
    cursor = p1.cursor
    assert progress[-1]["phase"] == "bootstrap" and progress[-1]["has_more"] is True
    assert progress[-1]["total_applied"] > 0
    store.close()                      # the workstation is switched off mid-bootstrap

    store2 = open_store()
    c2 = Recording(sim.url, sim.token)
    p2 = Puller(store2, c2, bootstrap_limit=300)
    assert p2.cursor == cursor and p2.bootstrapping
    p2.catch_up()
    assert not p2.bootstrapping and not storeapi.bootstrap_pending(store2)
    assert not set(c1.seqs) & set(c2.seqs), "nothing is downloaded twice"
    assert sorted(c1.seqs + c2.seqs) == sorted(everything)
    platform_tickets = count(store2, "SELECT count(*) FROM tickets")
    assert platform_tickets > 0
    # following: an empty pull leaves the cursor alone
    before = p2.cursor
    assert p2.pull_once() is False and p2.cursor == before


def test_cursor_never_passes_unstored_data(sim, open_store, monkeypatch):
    store = open_store()
    client = Recording(sim.url, sim.token)
    p = Puller(store, client, bootstrap_limit=200)
    p.pull_once()
    c1 = p.cursor

    def disk_full(*a, **kw):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(storeapi._feed, "apply_changes", disk_full)
    with pytest.raises(BatchNotStored):
        p.pull_once()
    assert p.cursor == c1 and p.stats.malformed_batches == 1
    monkeypatch.undo()

    # a batch whose seq runs backwards is refused whole
    client.spoil = lambda changes: changes.reverse()
    with pytest.raises(BadResponse):
        p.pull_once()
    assert p.cursor == c1 and p.stats.malformed_batches == 2

    # a single bad item is quarantined (kept, with its reason); the rest applies
    def break_one(changes):
        for ch in changes:
            if ch["kind"] == "ticket":
                ch["data"]["state"] = "no-such-state"
                return

    client.spoil = None
    p.catch_up(max_batches=1)
    assert p.cursor != c1
    client.spoil = break_one
    p.catch_up()
    client.spoil = None
    assert p.stats.quarantined >= 1
    assert count(store, "SELECT count(*) FROM quarantine") == p.stats.quarantined


def test_resync_required_keeps_the_unsent_outbox(sim, direct, open_store):
    store = open_store()
    p = Puller(store, PlatformClient(sim.url, sim.token), bootstrap_limit=5000)
    p.catch_up()
    with store.session() as s:
        tid, version = s.execute(text(
            "SELECT id, version FROM tickets WHERE state='handling' ORDER BY id LIMIT 1")).first()
    ops.annotate(store, OFFICER, tid, "离线时的备注", now())
    assert storeapi.outbox_depth(store) == 1
    # the platform was wiped/compacted: our cursor is no longer one it can serve
    from simulator.feed import encode_cursor
    with store.write() as s:
        s.execute(text("UPDATE sync_state SET value=:v WHERE key='cursor'"),
                  {"v": encode_cursor("another-platform", 1)})
    assert p.pull_once() is True          # 410 handled: start again from empty
    assert p.stats.resyncs == 1 and p.cursor == "" and p.bootstrapping
    p.catch_up()
    assert not p.bootstrapping and p.cursor
    assert storeapi.outbox_depth(store) == 1
    with store.session() as s:
        row = s.execute(text("SELECT version, pending FROM tickets WHERE id=:i"), {"i": tid}).first()
    assert tuple(row) == (version + 1, 1), "the optimistic row survives the resync"
