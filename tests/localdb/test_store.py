import re
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

import localdb
from localdb import Store, StoreError, journal
from localdb.actions import write_ticket
from localdb.convert import ALL_COLUMNS, ticket_to_row
from localdb.store import current_revision, head_revision, make_engine, migrate
from tests.localdb.helpers import NOW, ticket


def test_open_sets_pragmas_and_head(sqlite_store):
    store = sqlite_store
    with store.session() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert s.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        names = {r[0] for r in s.execute(text("SELECT name FROM sqlite_master"))}
    for t in ("tickets", "ticket_events", "ticket_base", "categories", "departments",
              "responsibilities", "grids", "cameras", "sensors", "alarms", "roster", "users",
              "outbox", "attachments", "sync_state", "journal", "duty_log", "handovers",
              "emergencies", "emergency_items", "link_outages", "settings_kv", "tickets_fts",
              "quarantine", "audit_log"):
        assert t in names, t
    # the head is the revision no other one revises (numbers are reserved per change, so
    # a lower number may land after a higher one)
    files = (Path(localdb.__file__).parent / "migrations" / "versions").glob("0*.py")
    revs = {re.search(r"^revision = (.*)$", p.read_text(), re.M).group(1).strip("'\""):
            re.search(r"^down_revision = (.*)$", p.read_text(), re.M).group(1).strip("'\"")
            for p in files}
    newest, = set(revs) - set(revs.values())
    assert current_revision(store.path) == head_revision() == newest


def test_upgrade_in_place_keeps_data(tmp_path):
    path = tmp_path / "old.sqlite3"
    migrate(path, "0001")
    con = sqlite3.connect(path)
    assert not con.execute("SELECT 1 FROM sqlite_master WHERE name='duty_log'").fetchone()
    con.close()
    # populate at 0001 through the store's writer, with the columns revision 0001 has
    s0 = Store(path, make_engine(path))
    with s0.write() as s:
        con = s.connection().connection.driver_connection
        have = [r[1] for r in con.execute("PRAGMA table_info(tickets)")]
        row = dict(zip(ALL_COLUMNS, ticket_to_row(ticket(1)) + (0, False, None)))
        cols = [c for c in ALL_COLUMNS if c in have]
        con.execute(f"INSERT INTO tickets ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    [row[c] for c in cols])
        journal.record(s, "ticket", ticket(1).id)
    s0.engine.dispose()

    store = Store.open(path)
    try:
        assert current_revision(path) == head_revision()
        with store.session() as s:
            assert s.execute(text("SELECT id FROM tickets")).scalars().all() == [ticket(1).id]
            assert s.execute(text("SELECT warn_lead_s FROM tickets")).scalar() is None  # 0005
            assert s.execute(text(
                "SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH '井盖缺'")).all()
            assert journal.head(s) == 1
            s.execute(text("SELECT count(*) FROM duty_log")).scalar()  # new table present
            s.execute(text("SELECT count(*) FROM emergency_items")).scalar()
    finally:
        store.close()


def test_garbage_file_is_corrupt_store_error(tmp_path):
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(StoreError) as ei:
        Store.open(path)
    assert ei.value.kind == "corrupt"
    assert "damaged" in str(ei.value)


def test_locked_file_is_store_error(tmp_path):
    # another program holds an exclusive lock on a (rollback-journal) database file
    path = tmp_path / "locked.sqlite3"
    con = sqlite3.connect(path, timeout=0.1)
    con.execute("CREATE TABLE x (a)")
    con.commit()
    con.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as ei:
            Store.open(path)
        assert ei.value.kind == "locked"
    finally:
        con.rollback()
        con.close()


def test_directory_path_is_unreadable(tmp_path):
    with pytest.raises(StoreError) as ei:
        Store.open(tmp_path)
    assert ei.value.kind == "unreadable"


def test_write_rolls_back_on_error(store):
    with pytest.raises(RuntimeError):
        with store.write() as s:
            write_ticket(s, ticket(1))
            journal.record(s, "ticket", ticket(1).id)
            raise RuntimeError("boom")
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM tickets")).scalar() == 0
        assert journal.head(s) == 0


def test_journal_since_head_and_prune(store):
    with store.write() as s:
        journal.record_many(s, "ticket", ["a", "b", "c"], NOW)
        journal.record(s, "grid", "g1", NOW + 10)
    with store.session() as s:
        assert journal.head(s) == 4
        assert journal.since(s, 2) == [(3, "ticket", "c"), (4, "grid", "g1")]
    with store.write() as s:
        assert journal.prune(s, keep=0) == 4
    with store.session() as s:
        assert journal.head(s) == 4  # high-water mark survives pruning
        assert journal.since(s, 0) == []
    with store.write() as s:
        journal.record(s, "ticket", "d")
    with store.session() as s:
        assert journal.since(s, 4) == [(5, "ticket", "d")]


def test_concurrent_writers_serialise(store):
    import threading

    def work(n):
        for i in range(20):
            with store.write() as s:
                journal.record(s, "t", f"{n}-{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with store.session() as s:
        assert journal.head(s) == 80
