"""The puller's bootstrap goes through the store's bulk path and ends with a complete
store (indexes, full-text index, statistics) equal to an item-by-item load."""

from __future__ import annotations

from sqlalchemy import text

from console.sync import storeapi
from console.sync.client import PlatformClient
from console.sync.puller import Puller
from localdb import feed
from localdb.convert import ALL_COLUMNS


def _schema(store) -> set[str]:
    with store.session() as s:
        return set(s.execute(text("SELECT name FROM sqlite_master WHERE sql IS NOT NULL")).scalars())


def _rows(store) -> list[tuple]:
    cols = ", ".join(c for c in ALL_COLUMNS)
    from localdb import crypto

    with store.session() as s:  # contact fields opened: each seal has its own nonce
        return [tuple(crypto.unseal(v) for v in r) for r in s.execute(text(f"SELECT {cols} FROM tickets ORDER BY id"))]


def test_bootstrap_uses_bulk_mode_and_rebuilds_once(sim, direct, open_store, monkeypatch):
    monkeypatch.setattr(feed, "BULK_MIN_ROWS", 20)
    fast = open_store("fast.sqlite3")
    full = _schema(fast)
    seen_bulk = []
    real_apply = feed.apply_changes

    def spy(*a, **kw):
        rep = real_apply(*a, **kw)
        seen_bulk.append(rep.bulk)
        return rep

    monkeypatch.setattr(feed, "apply_changes", spy)
    p = Puller(fast, PlatformClient(sim.url, sim.token), bootstrap_limit=400)
    p.catch_up()
    monkeypatch.setattr(feed, "apply_changes", real_apply)
    assert any(seen_bulk), "the bootstrap pages went through the bulk path"
    assert not p.bootstrapping and not storeapi.bootstrap_pending(fast)
    assert not feed.in_bulk(fast) and _schema(fast) - {"sqlite_stat1"} == full
    with fast.session() as s:
        assert s.execute(text("SELECT count(*) FROM sqlite_stat1 WHERE tbl='tickets'")).scalar() > 0

    # the same feed item by item (no bulk): the same rows
    slow = open_store("slow.sqlite3")
    cursor = ""
    while True:
        b = direct.changes(cursor, 400)
        feed.apply_changes(slow, b.changes, b.next_cursor)
        cursor = b.next_cursor
        if not b.has_more:
            break
    slow_rows = _rows(slow)
    fast_rows = _rows(fast)
    # the simulator may have moved on between the two loads: compare what both have
    common = {r[0] for r in slow_rows} & {r[0] for r in fast_rows}
    assert len(common) > 100
    a = {r[0]: r for r in slow_rows if r[0] in common}
    b = {r[0]: r for r in fast_rows if r[0] in common}
    same_version = [k for k in common if a[k][11] == b[k][11]]
    assert len(same_version) > 0.9 * len(common)
    assert all(a[k] == b[k] for k in same_version)
    with fast.session() as s:
        n_fts = s.execute(text("SELECT count(*) FROM tickets_fts WHERE tickets_fts MATCH :q"),
                          {"q": '"' + fast_rows[0][15][:3] + '"'}).scalar() if len(fast_rows[0][15]) >= 3 else 1
    assert n_fts >= 1
