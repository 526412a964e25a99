"""The figures of the monthly briefing (月度简报) and the department evaluation, in SQL.

Everything is read from the ticket rows as the platform last sent them (the feed's
upserts), never from this desk's own timeline: a workstation that bootstrapped
yesterday holds the same rows as one that has run for a year, so both print the same
briefing. One row per ticket (``tickets.id`` is unique), each query puts a ticket in
exactly one (department, grid) cell, and the two queries that make up 应结案数 are
disjoint (closed in the period / not closed in the period): nothing is counted twice.

Definitions, for a period [start, end) (Asia/Shanghai month bounds), ``cut`` =
min(end, now):

- 受理 received: tickets created in the period. The counters that travel with a
  ticket are reported for this cohort: 退单 returned (state ``returned`` now), 延期
  extended (``extension_hours > 0``), 上提 escalations (``escalation_level``, summed),
  督办 urges (``urge_count``, summed).
- 结案 closed: tickets closed in the period (``closed_at`` in it, state closed or
  archived); 按期结案 on time: those with ``closed_on_time``; 返工 rework: those with
  ``rework_count > 0``.
- 应结案 due: closed in the period, plus tickets whose limit ran out in [start, cut)
  and that were not closed in the period nor before it (open now, or closed after
  the period), not returned and not suspended (挂账 pauses the clock, the queue's
  ``limit_state`` rule). Each ticket is judged by its own deadline as the platform
  computed it when it ran (a category whose limit changed mid-month does not re-judge
  tickets already running).
- 超期 overdue = due - on time (closed late, or due and not closed in the period).
- 并案 merged: of the tickets received, those merged into another as duplicate reports
  (``duplicate_of``). Received counts every report; a duplicate closes with its main and
  is not a closure of its own (the problem is counted once), nor due on its own clock.

Grouping is by ``department_id`` and ``grid_resp`` (ids): a department renamed
mid-month stays one row (shown with its current name).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

#: per-cell counters, in the order the cell lists hold them
FIELDS = ("received", "returned", "extended", "escalations", "urges",
          "closed", "on_time", "rework", "due", "merged")


@dataclass
class Cell:
    received: int = 0
    returned: int = 0
    extended: int = 0
    escalations: int = 0
    urges: int = 0
    closed: int = 0
    on_time: int = 0
    rework: int = 0
    due: int = 0
    merged: int = 0

    def add(self, other: Cell) -> None:
        for f in FIELDS:
            setattr(self, f, getattr(self, f) + getattr(other, f))

    def as_dict(self) -> dict[str, int]:
        return {f: getattr(self, f) for f in FIELDS}


@dataclass
class PeriodRows:
    """The raw figures of one period: (department_id, grid_id) -> Cell, the top
    categories and places of the tickets received."""

    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    categories: list[tuple[str, str, int]] = field(default_factory=list)
    places: list[tuple[str, int]] = field(default_factory=list)


def _cell(out: dict[tuple[str, str], Cell], d: Any, g: Any) -> Cell:
    return out.setdefault((d or "", g or ""), Cell())


def period_rows(session: Session, start: float, end: float, now: float, top: int = 10) -> PeriodRows:
    """Grouped queries on indexed ranges (created_at, closed_at, deadline)."""
    cut = min(end, now)
    p = {"a": start, "b": end, "cut": cut, "top": top}
    res = PeriodRows()
    cells = res.cells
    for d, g, n, ret, ext, esc, urg, dup in session.execute(text(
            "SELECT department_id, grid_resp, count(*), "
            "sum(CASE WHEN state = 'returned' THEN 1 ELSE 0 END), "
            "sum(CASE WHEN extension_hours > 0 THEN 1 ELSE 0 END), "
            "sum(escalation_level), sum(urge_count), "
            "sum(CASE WHEN duplicate_of IS NOT NULL THEN 1 ELSE 0 END) "
            "FROM tickets WHERE created_at >= :a AND created_at < :b GROUP BY 1, 2"), p):
        c = _cell(cells, d, g)
        c.received, c.returned, c.extended = int(n), int(ret or 0), int(ext or 0)
        c.escalations, c.urges, c.merged = int(esc or 0), int(urg or 0), int(dup or 0)
    for d, g, n, ok, rw in session.execute(text(
            "SELECT department_id, grid_resp, count(*), "
            "sum(CASE WHEN closed_on_time THEN 1 ELSE 0 END), "
            "sum(CASE WHEN rework_count > 0 THEN 1 ELSE 0 END) "
            "FROM tickets WHERE closed_at >= :a AND closed_at < :b "
            # unary + keeps the planner on ix_tickets_closed_at (a month's closures)
            # instead of walking every closed ticket through a state index
            "AND +state IN ('closed', 'archived') AND duplicate_of IS NULL GROUP BY 1, 2"), p):
        c = _cell(cells, d, g)
        c.closed, c.on_time, c.rework = int(n), int(ok or 0), int(rw or 0)
        c.due += int(n)
    for d, g, n in session.execute(text(
            "SELECT department_id, grid_resp, count(*) FROM tickets "
            "WHERE deadline >= :a AND deadline < :cut "
            "AND state NOT IN ('returned', 'suspended') "
            "AND NOT (closed_at IS NOT NULL AND closed_at < :b AND state IN ('closed', 'archived')) "
            "GROUP BY 1, 2"), p):
        _cell(cells, d, g).due += int(n)
    res.categories = [(c, name or c, int(n)) for c, name, n in session.execute(text(
        "SELECT category_code, max(category_name), count(*) AS n FROM tickets "
        "WHERE created_at >= :a AND created_at < :b GROUP BY category_code "
        "ORDER BY n DESC, category_code LIMIT :top"), p)]
    res.places = [(g or "", int(n)) for g, n in session.execute(text(
        "SELECT grid_committee, count(*) AS n FROM tickets "
        "WHERE created_at >= :a AND created_at < :b GROUP BY grid_committee "
        "ORDER BY n DESC, grid_committee LIMIT :top"), p)]
    return res


def names(session: Session) -> dict[str, dict[str, str]]:
    """Current display names: departments, grids (any layer) and categories."""
    return {
        "department": {k: v for k, v in session.execute(text("SELECT id, name FROM departments"))},
        "grid": {k: v for k, v in session.execute(text("SELECT id, name FROM grids"))},
        "category": {k: v for k, v in session.execute(text("SELECT code, small_name FROM categories"))},
    }


def ticket_count(session: Session) -> int:
    return int(session.execute(text("SELECT count(*) FROM tickets")).scalar_one())


__all__ = ["Cell", "FIELDS", "PeriodRows", "names", "period_rows", "ticket_count"]


def beyond_responsibility(session: Session, start: float, end: float) -> list[dict[str, Any]]:
    """跨前承办: tickets closed in [start, end) by a department other than the one the
    responsibility matrix names for their category and grid (tickets whose category and
    grid have no matrix entry are not judged)."""
    rows = session.execute(text(
        "SELECT t.id, t.number, t.category_code, t.category_name, t.grid_resp, t.department_id, "
        "r.department_id AS responsible, t.closed_at, t.closed_on_time FROM tickets t "
        "JOIN responsibilities r ON r.category_code = t.category_code AND r.category_kind = t.category_kind "
        "AND r.grid_id = t.grid_resp "
        "WHERE t.closed_at >= :a AND t.closed_at < :b AND t.state IN ('closed', 'archived') "
        "AND t.department_id IS NOT NULL AND t.department_id <> r.department_id "
        "ORDER BY t.department_id, t.closed_at, t.id"), {"a": start, "b": end})
    return [dict(r._mapping) for r in rows]


def ticket_by_ref(session: Session, ref: str) -> dict[str, Any] | None:
    """A ticket by its id or its case number."""
    r = session.execute(text("SELECT * FROM tickets WHERE id = :r OR number = :r LIMIT 1"), {"r": ref}).first()
    return None if r is None else dict(r._mapping)


def ticket_timeline(session: Session, ticket_id: str) -> list[dict[str, Any]]:
    rows = session.execute(text(
        "SELECT event_id, action, actor, actor_id, at, from_state, to_state, params FROM ticket_events "
        "WHERE ticket_id = :t ORDER BY at, event_id"), {"t": ticket_id})
    return [dict(r._mapping) for r in rows]
