"""Revision 0003's indexes serve the queries they were added for."""

from __future__ import annotations

import pytest

from sqlalchemy import select, text

from localdb import stats
from localdb import feed, queue_query as qq, repo_queue as rq
from localdb.models import TicketRow
from tests.localdb.helpers import NOW, change, grid_change, ticket

@pytest.fixture
def store(sqlite_store):
    """SQLite-only machinery (bulk mode, query plans, file recovery)."""
    return sqlite_store


T = TicketRow.__table__.c


def _plan(s, stmt) -> str:
    sql = str(stmt.compile(dialect=s.get_bind().dialect, compile_kwargs={"literal_binds": True}))
    return " ".join(r[-1] for r in s.execute(text("EXPLAIN QUERY PLAN " + sql)))


def test_queue_grid_filter_on_street_and_district_uses_an_index(store):
    feed.apply_changes(store, [grid_change("S-01", layer="street"), grid_change("D-PD", layer="district"),
                               change(ticket(1)), change(ticket(2, grids={"street": "S-02"}))], "c", now=NOW)
    with store.session() as s:
        for grid, index in (("S-01", "ix_tickets_grid_street"), ("D-PD", "ix_tickets_grid_district")):
            stmt = (select(T.rid).where(*qq.where_clauses(s, {"grids": [grid]}, NOW))
                    .order_by(*qq.order_by("age", True)))
            plan = _plan(s, stmt)
            assert index in plan, plan
            assert "TEMP B-TREE" not in plan, "the index gives the default order too"
        assert qq.query_ids(s, {"grids": ["S-01"]}, "age", True, 0, 50, NOW) == [
            rq.rids_of(s, [ticket(1).id])[ticket(1).id]]
        # an id of no known layer is tried on every grid column, each by its index
        plan = _plan(s, select(T.rid).where(*qq.where_clauses(s, {"grids": ["X-9"]}, NOW)))
        assert "SCAN tickets" not in plan.replace("SCAN tickets USING", ""), plan


def test_closure_rates_count_closures_of_old_tickets(store):
    day_start, month_start = stats.day_bounds(NOW)
    old = ticket(1, state="closed", created_at=month_start - 200 * 86400, updated_at=NOW - 60,
                 closed_at=NOW - 60, closed_on_time=False)
    new = ticket(2, state="closed", created_at=NOW - 7200, updated_at=NOW - 60,
                 closed_at=NOW - 60, closed_on_time=True)
    feed.apply_changes(store, [change(old), change(new, 2)], "c", now=NOW)
    with store.session() as s:
        total = stats.rates(s, day_start, month_start, NOW)["month"]["total"][0]
        plan = " ".join(r[-1] for r in s.execute(text(
            "EXPLAIN QUERY PLAN SELECT count(*) FROM tickets WHERE closed_at >= 1 AND closed_at < 2 "
            "AND +state IN ('closed', 'archived')")))
    assert (total.closed, total.on_time) == (2, 1), "a ticket created 200 days ago still counts"
    assert "ix_tickets_closed_at" in plan
