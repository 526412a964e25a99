"""Open work first: a closed 特急 ticket is done and goes below every open ticket in
the priority order (tab 全部 opened on closed 特急 tickets above the open work)."""

from __future__ import annotations

import re
from pathlib import Path

from console.domain import urgency
from localdb import feed, queue_query as qq, repo
from localdb.models import OPEN_STATES_SQL
from tests.localdb.helpers import NOW, change, ticket

MIGRATION = Path(__file__).parents[2] / "localdb/migrations/versions/0009_priority_open_first.py"


def _load(store):
    tickets = [
        ticket(1, state="closed", priority="critical", deadline=NOW - 3600, created_at=NOW - 60),
        ticket(2, state="archived", priority="critical", deadline=None, created_at=NOW - 30),
        ticket(3, state="registered", priority="normal", deadline=NOW + 9 * 3600),
        ticket(4, state="dispatched", priority="normal", deadline=NOW - 7200),  # overdue
        ticket(5, state="pending", priority="normal", deadline=None, created_at=NOW - 10),
        ticket(6, state="handling", priority="critical", deadline=NOW + 20 * 3600),
        ticket(7, state="suspended", priority="normal", deadline=NOW + 3600, created_at=NOW - 20),
        ticket(8, state="returned", priority="normal", deadline=None, created_at=NOW - 5),
    ]
    feed.apply_changes(store, [change(t, i) for i, t in enumerate(tickets, 1)], "c", now=NOW)
    with store.session() as s:
        rids = repo.rowids_for(s, [t.id for t in tickets])
    return {rids[t.id]: int(t.number[2:]) for t in tickets}


def test_closed_critical_goes_below_open_work(store):
    number_of = _load(store)
    with store.session() as s:
        got = [number_of[r] for r in qq.query_ids(s, {}, "priority", True, 0, 50, NOW)]
        pending = [number_of[r] for r in qq.query_ids(s, {"tab": "pending"}, "priority", True, 0, 50, NOW)]
    # open 特急; overdue, then by time left; paused/unstarted newest first;
    # then the closed, returned and archived (特急 first among them too)
    assert got == [6, 4, 3, 5, 7, 2, 1, 8]
    assert pending == [5]


def test_priority_order_reads_the_index_without_sorting(store):
    _load(store)
    if store.dialect != "sqlite":
        return  # the PostgreSQL plan depends on table statistics; the order is checked above
    with store.session() as s:
        for f in ({}, {"tab": "pending"}, {"state": "closed"}):
            plan = " ".join(qq.explain(s, f, "priority", True, NOW))
            assert "TEMP B-TREE" not in plan and "priority" in plan, (f, plan)


def test_python_key_agrees_with_the_engine():
    rows = [
        {"id": "closed-crit", "state": "closed", "priority": "critical", "limit_deadline": None, "created_at": 50},
        {"id": "open", "state": "registered", "priority": "normal", "limit_deadline": 9000.0, "created_at": 1},
        {"id": "unstarted", "state": "pending", "priority": "normal", "limit_deadline": None, "created_at": 9},
        {"id": "crit", "state": "pending", "priority": "critical", "limit_deadline": None, "created_at": 1},
    ]
    assert [r["id"] for r in sorted(rows, key=urgency.row_priority_key)] == [
        "crit", "open", "unstarted", "closed-crit"]


def test_migration_spells_the_open_states_as_the_model():
    text = MIGRATION.read_text(encoding="utf-8")
    m = re.search(r'_OPEN = sa\.text\("\((.*?)\)"\)', text.replace('"\n                "', ""), re.S)
    assert m and m.group(1) == OPEN_STATES_SQL
