import sqlite3

import pytest

from console.domain import lifecycle
from localdb import Store, StoreError, feed, outbox, repo, syncstate
from localdb.actions import record_action
from localdb.recovery import recover
from tests.localdb.helpers import NOW, OFFICER, change, ticket


@pytest.fixture
def store(sqlite_store):
    """SQLite-only machinery (bulk mode, query plans, file recovery)."""
    return sqlite_store


def _damage_table(path, table):
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root = con.execute("SELECT rootpage FROM sqlite_master WHERE name=?", (table,)).fetchone()[0]
    page = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with open(path, "r+b") as f:
        f.seek((root - 1) * page)
        f.write(b"\xa5" * page)


def _populated(tmp_path):
    path = tmp_path / "store.sqlite3"
    store = Store.open(path)
    feed.apply_changes(store, [change(ticket(i, state="pending"), i) for i in range(1, 60)],
                       "cursor-9", now=NOW)
    new = lifecycle.new_ticket(channel="self_found", category_kind="event", category_code="01001",
                               category_name="井盖", description="自行发现井盖缺失", created_at=NOW)
    with store.write() as s:
        record_action(s, None, new, lifecycle.create_event(new, OFFICER, NOW), verb="create",
                      params={"ticket": new.to_dict()}, actor=OFFICER, now=NOW)
        ids = []
        for i in (1, 2):
            t = repo.get_ticket(s, ticket(i).id)
            after, ev = lifecycle.apply(t, "accept", OFFICER, {}, NOW)
            ids.append(record_action(s, t, after, ev, verb="accept", params={}, actor=OFFICER,
                                     now=NOW))
    outbox.apply_results(store, [{"command_id": ids[0], "status": "applied",
                                  "ticket": None, "reason": None, "code": None}], now=NOW)
    store.close()
    return path, new, ids


def test_damaged_file_moved_aside_and_outbox_salvaged(tmp_path):
    path, new, ids = _populated(tmp_path)
    _damage_table(path, "tickets")
    with pytest.raises(StoreError) as ei:
        Store.open(path, check=True)
    assert ei.value.kind == "corrupt"

    report = recover(path)
    assert report.moved_to.exists() and report.moved_to.name.startswith("store.sqlite3.corrupt-")
    assert report.salvaged_outbox == 2 and report.restored_tickets == 1
    assert "2 unsent" in report.message and not report.errors

    store = Store.open(path, check=True)
    try:
        with store.session() as s:
            batch = outbox.next_batch(s)
            assert [e["verb"] for e in batch] == ["create", "accept"]
            assert batch[1]["command_id"] == ids[1]
            assert syncstate.cursor(s) == ""  # rebuild from the platform
            assert repo.get_ticket(s, new.id).description == "自行发现井盖缺失"
            assert repo.ticket_local_state(s, new.id)["pending"] == 1
    finally:
        store.close()


def test_unreadable_garbage_still_gives_a_fresh_store(tmp_path):
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"\x00garbage" * 1000)
    with pytest.raises(StoreError):
        Store.open(path)
    report = recover(path)
    assert report.salvaged_outbox == 0 and report.errors
    assert report.moved_to.read_bytes().startswith(b"\x00garbage")  # never deleted
    Store.open(path).close()


def test_corruption_found_during_use_is_store_error(tmp_path):
    path, _, _ = _populated(tmp_path)
    _damage_table(path, "tickets")
    store = Store.open(path, check=False)   # damaged after it was opened (the open check would find it)
    try:
        with pytest.raises(StoreError) as ei:
            with store.write() as s:
                feed.apply_changes(store, [change(ticket(500))], "x", now=NOW)
        assert ei.value.kind == "corrupt"
    finally:
        store.close()
