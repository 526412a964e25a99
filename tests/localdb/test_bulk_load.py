"""Bootstrap fast path of ``localdb.feed``: indexes and FTS triggers off during the
load, rebuilt once; crash-safe (cursor and rows together; indexes back at next open)."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import text

from localdb import Store, feed, journal, queue_query as qq, syncstate
from localdb.convert import ALL_COLUMNS
from localdb.store import BULK_DDL_KEY
from tests.localdb.helpers import NOW, change, grid_change, random_ticket

@pytest.fixture
def store(sqlite_store):
    """SQLite-only machinery (bulk mode, query plans, file recovery)."""
    return sqlite_store


N = 600
PAGE = 200


@pytest.fixture(autouse=True)
def _small_bulk_threshold(monkeypatch):
    monkeypatch.setattr(feed, "BULK_MIN_ROWS", 50)


def _pages() -> list[tuple[list[dict], str]]:
    rng = random.Random(7)
    items = [change(random_ticket(rng, i), i + 1) for i in range(N)]
    # later versions of some tickets further on, so that pages also update rows
    for j, i in enumerate(range(0, N, 7)):
        d = dict(items[i]["data"], version=items[i]["data"]["version"] + 1,
                 description=f"更新后的描述{i}", state="closed")
        items.append({"seq": N + j + 1, "kind": "ticket", "op": "upsert", "id": d["id"], "data": d})
    items.append({"seq": len(items) + 1, "kind": "ticket", "op": "delete", "id": items[3]["id"]})
    pages = []
    for k in range(0, len(items), PAGE):
        pages.append((items[k:k + PAGE], f"cur-{k // PAGE + 1}"))
    pages[0] = ([grid_change("R-01", seq=0)] + pages[0][0], pages[0][1])
    return pages


def _schema(store: Store) -> set[tuple[str, str]]:
    with store.session() as s:
        return {(r[0], r[1]) for r in s.execute(text(
            "SELECT type, name FROM sqlite_master WHERE tbl_name IN ('tickets', 'ticket_events') "
            "AND sql IS NOT NULL"))}


def _snapshot(store: Store) -> dict:
    filters = [
        ({}, ("age", True)),
        ({"tab": "pending"}, ("age", True)),
        ({"tab": "overdue"}, ("limit", False)),
        ({"grids": ["R-01"]}, ("priority", True)),
        ({"grids": ["S-02"]}, ("age", False)),
        ({"needs_commander": True}, ("updated", True)),
        ({"text": "井盖缺失"}, ("age", True)),
        ({"text": "更新后的描述"}, ("age", True)),
        ({"text": "世纪大道"}, ("age", True)),
    ]
    cols = ", ".join(ALL_COLUMNS)
    with store.session() as s:
        rows = s.execute(text(f"SELECT {cols} FROM tickets ORDER BY id")).all()
        ids_of = dict(s.execute(text("SELECT rid, id FROM tickets")).all())
        pages = [[ids_of[r] for r in qq.query_ids(s, f, sort, desc, 0, 1000, NOW)]
                 for f, (sort, desc) in filters]
        counts = [qq.count(s, f, NOW) for f, _ in filters]
        cursor = syncstate.cursor(s)
        kinds = sorted({k for _, k, _ in journal.since(s, 0, 100_000)})
    return {"rows": [tuple(r) for r in rows], "pages": pages, "counts": counts,
            "cursor": cursor, "kinds": kinds}


def _load(store: Store, pages, bootstrap: bool) -> list:
    reports = [feed.apply_changes(store, ch, cur, now=NOW, bootstrap=bootstrap) for ch, cur in pages]
    if bootstrap:
        feed.finish_bootstrap(store)
    return reports


def test_bulk_load_gives_the_same_store_as_the_slow_path(tmp_path):
    pages = _pages()
    slow = Store.open(tmp_path / "slow.sqlite3")
    fast = Store.open(tmp_path / "fast.sqlite3")
    try:
        full_schema = _schema(slow)
        _load(slow, pages, bootstrap=False)
        reports = _load(fast, pages, bootstrap=True)
        assert reports[0].bulk, "a big bootstrap page switches to bulk mode"
        assert not feed.in_bulk(fast)
        assert _schema(fast) == full_schema
        a, b = _snapshot(slow), _snapshot(fast)
        assert a["rows"] == b["rows"]
        assert a == b
        assert all(a["counts"][:6]) and a["counts"][7] > 0, "the filters select something"
        with fast.session() as s:
            assert s.execute(text("INSERT INTO tickets_fts(tickets_fts) VALUES('integrity-check')")) is not None
    finally:
        slow.close()
        fast.close()


def test_indexes_off_during_the_load_and_small_pages_stay_on_the_slow_path(store):
    full = _schema(store)
    pages = _pages()
    rep = feed.apply_changes(store, pages[0][0][:20], "small", now=NOW, bootstrap=True)
    assert not rep.bulk and _schema(store) == full
    rep = feed.apply_changes(store, pages[0][0], pages[0][1], now=NOW, bootstrap=True)
    assert rep.bulk and feed.in_bulk(store)
    off = _schema(store)
    assert ("index", "ix_tickets_state_cover") not in off
    assert ("trigger", "tickets_fts_ai") not in off
    assert ("index", "ix_ticket_events_ticket_id") not in off
    # an incremental page meanwhile is stored correctly without the indexes
    feed.apply_changes(store, pages[1][0], pages[1][1], now=NOW)
    assert feed.finish_bootstrap(store)
    assert _schema(store) == full and not feed.in_bulk(store)
    assert feed.finish_bootstrap(store) == []  # idempotent


_CHILD = """
import sys
from localdb import Store, feed
from tests.localdb.helpers import NOW
from tests.localdb.test_bulk_load import _pages
feed.BULK_MIN_ROWS = 50
pages = _pages()
store = Store.open(sys.argv[1])
feed.apply_changes(store, pages[0][0], pages[0][1], now=NOW, bootstrap=True)
assert feed.in_bulk(store)
feed.apply_changes(store, pages[1][0], pages[1][1], now=NOW, bootstrap=True)   # killed in here
"""


def test_crash_mid_bootstrap_restores_indexes_at_next_open(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    from pathlib import Path

    pages = _pages()
    path = tmp_path / "ws.sqlite3"
    reference = Store.open(tmp_path / "reference.sqlite3")
    full = _schema(reference)
    reference.close()
    mark = tmp_path / "failpoint.mark"
    # a process loading the bootstrap is killed (SIGKILL) in the middle of its second
    # page: tickets written, their events and the cursor not yet
    proc = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).resolve().parents[2],
                          env={**os.environ, "DUTY_FAILPOINT": "feed_mid_batch:2",
                               "DUTY_FAILPOINT_MARK": str(mark)})
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert mark.read_text().split() == ["feed_mid_batch"]

    reopened = Store.open(path)
    try:
        assert _schema(reopened) == full, "Store.open recreated what the bulk load dropped"
        assert not feed.in_bulk(reopened)
        with reopened.session() as s:
            assert syncstate.cursor(s) == pages[0][1], "the cursor stayed with the stored page"
            n = s.execute(text("SELECT count(*) FROM tickets")).scalar()
            assert n == len({c["id"] for c in pages[0][0] if c["kind"] == "ticket"})
            hits = s.execute(text("SELECT count(*) FROM tickets_fts WHERE tickets_fts MATCH '世纪大道'")).scalar()
            plain = s.execute(text("SELECT count(*) FROM tickets WHERE instr(description, '世纪大道') "
                                   "OR instr(address, '世纪大道')")).scalar()
            assert hits == plain > 0, "the full-text index was rebuilt"
        # resume the bootstrap where the cursor is: the result equals an uninterrupted load
        _load(reopened, pages[1:], bootstrap=True)
        slow = Store.open(tmp_path / "slow.sqlite3")
        try:
            _load(slow, pages, bootstrap=False)
            assert _snapshot(slow) == _snapshot(reopened)
        finally:
            slow.close()
    finally:
        reopened.close()


def test_failed_first_bulk_page_leaves_the_indexes(store, monkeypatch):
    full = _schema(store)
    pages = _pages()

    def boom(*a, **k):
        raise OSError("disk went away")

    monkeypatch.setitem(feed._HANDLERS, "ticket_event", boom)
    batch = pages[0][0] + [{"seq": 9999, "kind": "ticket_event", "op": "upsert", "id": "e1",
                            "data": {"ticket_id": "x", "action": "note", "at": NOW}}]
    with pytest.raises(OSError):
        feed.apply_changes(store, batch, "never", now=NOW, bootstrap=True)
    assert _schema(store) == full and not feed.in_bulk(store)
    with store.session() as s:
        assert syncstate.cursor(s) == ""
        assert s.execute(text("SELECT count(*) FROM tickets")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM sync_state WHERE key=:k"),
                         {"k": BULK_DDL_KEY}).scalar() == 0


def test_open_recreates_an_index_lost_without_a_saved_copy(tmp_path):
    path = tmp_path / "ws.sqlite3"
    Store.open(path).close()
    import sqlite3

    con = sqlite3.connect(path)
    con.execute("DROP INDEX ix_tickets_grid_street")
    con.execute("DROP TRIGGER tickets_fts_au")
    con.commit()
    con.close()
    store = Store.open(path)
    try:
        names = {n for _, n in _schema(store)}
        assert {"ix_tickets_grid_street", "tickets_fts_au"} <= names
    finally:
        store.close()
