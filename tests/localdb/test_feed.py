import pytest
from sqlalchemy import text

from localdb import feed, journal, repo, syncstate
from localdb.actions import record_action
from console.domain import lifecycle
from tests.localdb.helpers import NOW, OFFICER, change, grid_change, ticket


def _count(store, table):
    with store.session() as s:
        return s.execute(text(f"SELECT count(*) FROM {table}")).scalar()


def test_apply_is_idempotent_and_saves_cursor(store):
    batch = [change(ticket(i), i) for i in range(1, 6)] + [grid_change("R-01", seq=6)]
    rep = feed.apply_changes(store, batch, "cur-1", now=NOW)
    assert (rep.applied, rep.quarantined) == (6, 0)
    assert rep.changed["ticket"] == [ticket(i).id for i in range(1, 6)]
    rep2 = feed.apply_changes(store, batch, "cur-1", now=NOW)
    assert rep2.unchanged == 5 and rep2.quarantined == 0
    assert _count(store, "tickets") == 5
    with store.session() as s:
        assert syncstate.cursor(s) == "cur-1"
        kinds = [k for _, k, _ in journal.since(s, 0)]
        assert kinds.count("ticket") == 5 and kinds.count("grid") == 2


def test_newer_version_updates_older_is_quarantined(store):
    feed.apply_changes(store, [change(ticket(1, version=3, description="旧"))], "a", now=NOW)
    feed.apply_changes(store, [change(ticket(1, version=4, description="新的描述"))], "b", now=NOW)
    rep = feed.apply_changes(store, [change(ticket(1, version=2, description="更旧"))], "c", now=NOW)
    assert rep.quarantined == 1 and "stale" in rep.reasons[0]
    with store.session() as s:
        assert repo.get_ticket(s, ticket(1).id).description == "新的描述"
        assert syncstate.cursor(s) == "c"  # the batch (of bad items) still advances


def test_failure_mid_batch_stores_nothing(store, monkeypatch):
    feed.apply_changes(store, [change(ticket(1))], "before", now=NOW)

    def boom(*a, **k):
        raise OSError("disk went away")

    monkeypatch.setitem(feed._HANDLERS, "grid", boom)  # grids apply after categories, before tickets
    batch = [change(ticket(2), 1), grid_change("R-9", seq=2),
             {"seq": 3, "kind": "department", "op": "upsert", "id": "D1",
              "data": {"id": "D1", "name": "x"}}]
    with pytest.raises(OSError):
        feed.apply_changes(store, batch, "after", now=NOW)
    with store.session() as s:
        assert syncstate.cursor(s) == "before"
        assert s.execute(text("SELECT count(*) FROM departments")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM tickets")).scalar() == 1
        assert journal.head(s) == 1


def test_bad_items_quarantined_good_items_applied(store):
    good = ticket(1)
    bad_state = {**ticket(2).to_dict(), "state": "flying"}
    huge = {**ticket(3).to_dict(), "description": "井" * (feed.MAX_ITEM_CHARS + 1)}
    open_ring = grid_change("G-bad")
    open_ring["data"]["geometry"]["coordinates"][0].pop()
    batch = [
        change(good, 1),
        {"seq": 2, "kind": "ticket", "op": "upsert", "id": bad_state["id"], "data": bad_state},
        {"seq": 3, "kind": "ticket", "op": "upsert", "id": huge["id"], "data": huge},
        {"seq": 4, "kind": "spaceship", "op": "upsert", "id": "x", "data": {}},
        {"seq": 5, "kind": "ticket", "op": "upsert", "id": "y"},  # no data
        "not even a dict",
        open_ring,
        {"seq": 8, "kind": "department", "op": "upsert", "id": "D9", "data": {"kind": "x"}},  # no name
        {"seq": 9, "kind": "ticket", "op": "upsert", "id": "other-id", "data": ticket(4).to_dict()},
        grid_change("G-ok", seq=10),
    ]
    rep = feed.apply_changes(store, batch, "next", now=NOW)
    assert rep.applied == 2
    assert rep.quarantined == 8
    with store.session() as s:
        reasons = s.execute(text("SELECT reason FROM quarantine ORDER BY id")).scalars().all()
        assert syncstate.cursor(s) == "next"
        assert [t for t in s.execute(text("SELECT id FROM tickets")).scalars()] == [good.id]
        assert repo.grid_features(s)[0]["id"] == "G-ok"
    joined = " | ".join(reasons)
    for needle in ("unknown kind", "payload too large", "malformed ticket", "GeoJSON",
                   "does not match", "without data", "not an object"):
        assert needle in joined, needle


def test_pending_ticket_keeps_local_row_platform_goes_to_base(store):
    t = ticket(1, version=1, state="pending")
    feed.apply_changes(store, [change(t)], "a", now=NOW)
    with store.write() as s:
        after, ev = lifecycle.apply(t, "accept", OFFICER, {}, NOW)
        record_action(s, t, after, ev, verb="accept", params={}, actor=OFFICER, now=NOW)
    # platform moved on independently (someone annotated): version 2
    platform = ticket(1, version=2, state="pending", description="平台更新")
    rep = feed.apply_changes(store, [change(platform)], "b", now=NOW)
    assert rep.to_base == 1
    with store.session() as s:
        local = repo.get_ticket(s, t.id)
        assert local.state.value == "accepted" and local.description == t.description
        assert repo.base_ticket(s, t.id) == platform
        assert repo.ticket_local_state(s, t.id)["pending"] == 1


def test_deletes_and_roster_history(store):
    feed.apply_changes(store, [
        change(ticket(1), 1),
        {"seq": 2, "kind": "roster", "op": "upsert", "id": "r1",
         "data": {"id": "r1", "date": "2026-11-22", "shift": "day", "role": "officer",
                  "person_id": "u1", "name": "张三", "phone": ""}},
        {"seq": 3, "kind": "camera", "op": "upsert", "id": "C1", "data": {"id": "C1", "name": "c"}},
    ], "a", now=NOW)
    rep = feed.apply_changes(store, [
        {"seq": 4, "kind": "ticket", "op": "delete", "id": ticket(1).id},
        {"seq": 5, "kind": "roster", "op": "delete", "id": "r1"},
        {"seq": 6, "kind": "camera", "op": "delete", "id": "C1"},
    ], "b", now=NOW)
    assert rep.deleted == 3
    with store.session() as s:
        assert repo.get_ticket(s, ticket(1).id) is None
        assert repo.cameras(s) == []
        assert repo.roster_entries(s) == []
        assert len(repo.roster_entries(s, include_superseded=True)) == 1  # kept as history


def test_last_change_per_entity_wins(store):
    rep = feed.apply_changes(store, [
        change(ticket(1, version=1), 1),
        {"seq": 2, "kind": "ticket", "op": "delete", "id": ticket(1).id},
        change(ticket(2, version=1), 3),
        change(ticket(2, version=2, description="第二版"), 4),
    ], "a", now=NOW)
    assert rep.quarantined == 0
    with store.session() as s:
        assert repo.get_ticket(s, ticket(1).id) is None
        assert repo.get_ticket(s, ticket(2).id).description == "第二版"


def test_ticket_events_replace_optimistic_copy(store):
    t = ticket(1, version=1, state="pending")
    feed.apply_changes(store, [change(t)], "a", now=NOW)
    with store.write() as s:
        after, ev = lifecycle.apply(t, "accept", OFFICER, {}, NOW)
        record_action(s, t, after, ev, verb="accept", params={}, actor=OFFICER, now=NOW)
    with store.session() as s:
        assert [e["local"] for e in repo.ticket_events(s, t.id)] == [True]
    platform_event = {"event_id": ev.event_id, "ticket_id": t.id, "action": "accept",
                      "actor": {"user_id": "u1", "name": "张三", "role": "officer",
                                "workstation": "WS-01"},
                      "at": NOW + 1, "from_state": "pending", "to_state": "accepted", "params": {}}
    feed.apply_changes(store, [{"seq": 5, "kind": "ticket_event", "op": "upsert",
                                "id": ev.event_id, "data": platform_event}], "b", now=NOW)
    with store.session() as s:
        evs = repo.ticket_events(s, t.id)
        assert [(e["local"], e["at"]) for e in evs] == [(False, NOW + 1)]


def test_non_numeric_times_are_quarantined(store):
    bad = {**ticket(1).to_dict(), "deadline": "tomorrow"}
    rep = feed.apply_changes(store, [change(bad)], "c", now=NOW)
    assert rep.quarantined == 1 and "deadline is not a number" in rep.reasons[0]


def test_a_row_the_store_refuses_is_quarantined_and_the_rest_of_the_batch_stored(store):
    """(SQLite applies a batch without a savepoint: a refused row must not lose the rows
    before or after it; PostgreSQL retries row by row.)"""
    import random

    from bench.store import NOW as BNOW
    from bench.store import sample_ticket

    rng = random.Random(2)
    ds = [sample_ticket(rng, i) for i in range(6)]
    ds[2]["category_name"] = None       # NOT NULL in the store; nothing before the store checks it
    ds[5]["category_name"] = None
    report = feed.apply_changes(store, [{"seq": i + 1, "kind": "ticket", "op": "upsert", "id": d["id"], "data": d}
                                        for i, d in enumerate(ds)], "c-refused", now=BNOW)
    assert (report.applied, report.quarantined) == (4, 2)
    with store.session() as s:
        there = [repo.get_ticket(s, d["id"]) is not None for d in ds]
        reasons = [q["reason"] for q in repo.quarantine(s)]
    assert there == [True, True, False, True, True, False]
    assert len(reasons) == 2 and all("refused by the store" in r for r in reasons)


def test_a_ticket_whose_data_id_is_a_list_spelled_like_the_change_id_is_quarantined(store):
    """Found by the fuzz suite: str(["x"]) == "['x']", and the list then reached an id lookup."""
    t = ticket(7, state="pending", version=1).to_dict()
    t["id"] = ["x"]
    report = feed.apply_changes(store, [{"seq": 1, "kind": "ticket", "op": "upsert", "id": "['x']", "data": t}],
                                "c-list", now=NOW)
    assert (report.applied, report.quarantined) == (0, 1)
