"""Live situation figures for the hall's charts, computed in SQL (Qt-free).

Every query is a range on an indexed column plus GROUP BY, so a store of a million
tickets answers in milliseconds:

- tickets in per hour: ``created_at`` (ix_tickets_created);
- open tickets by state: ``state`` (ix_tickets_state_created, covering);
- warning / overdue: ``limit_deadline`` (ix_tickets_limit_deadline);
- closure rates: ``closed_at`` (ix_tickets_closed_at, revision 0003): the tickets
  closed this month, one range scan for both periods and all groups.

Rates (per period: today, this month; Asia/Shanghai):
  应结案数 due      = closed in the period + open tickets whose limit ran out in the period
  结案率           = closed / due
  按期结案率        = closed on time / due
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from console.domain.model import OPEN_STATES
from console.domain.roster import SHANGHAI
from console.domain.timelimits import DEFAULT_WARNING_LEAD_S as WARNING_LEAD_S
from localdb.limits import limit_clause, max_lead_s
from localdb.models import TicketRow

if TYPE_CHECKING:
    from localdb.store import Store

_DAY = 86400.0
#: formerly the window of creation times searched for closures (no closed_at index);
#: kept for callers, no longer used: the closed_at index finds every closure
CLOSURE_LOOKBACK_S = 120 * _DAY
_OPEN = tuple(sorted(s.value for s in OPEN_STATES))
_CLOSED = ("archived", "closed")


@dataclass
class Rate:
    key: str = ""
    name: str = ""
    due: int = 0
    closed: int = 0
    on_time: int = 0

    @property
    def closure_rate(self) -> float | None:
        return self.closed / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "closure_rate": self.closure_rate, "on_time_rate": self.on_time_rate}


@dataclass
class Figures:
    now: float
    day_start: float
    month_start: float
    hourly_today: list[int] = field(default_factory=lambda: [0] * 24)
    hourly_avg7: list[float] = field(default_factory=lambda: [0.0] * 24)
    open_by_state: dict[str, int] = field(default_factory=dict)
    warning: int = 0
    overdue: int = 0
    #: period ("today" | "month") -> group ("total" | "grid" | "department") -> rates
    rates: dict[str, dict[str, list[Rate]]] = field(default_factory=dict)
    top_categories: list[tuple[str, str, int]] = field(default_factory=list)
    elapsed_ms: float = 0.0

    def total(self, period: str) -> Rate:
        rows = self.rates.get(period, {}).get("total") or [Rate("total")]
        return rows[0]


def day_bounds(now: float) -> tuple[float, float]:
    """Midnight (Asia/Shanghai) of ``now``'s day, and of the 1st of its month."""
    local = dt.datetime.fromtimestamp(now, SHANGHAI)
    day = dt.datetime.combine(local.date(), dt.time(0), tzinfo=SHANGHAI)
    month = day.replace(day=1)
    return day.timestamp(), month.timestamp()


def _ph(values: tuple[str, ...], prefix: str, params: dict) -> str:
    for i, v in enumerate(values):
        params[f"{prefix}{i}"] = v
    return ", ".join(f":{prefix}{i}" for i in range(len(values)))


def hourly(session: Session, day_start: float) -> tuple[list[int], list[float]]:
    today = [0] * 24
    for h, n in session.execute(text(
            "SELECT CAST((created_at - :d0) / 3600 AS INTEGER) AS h, count(*) FROM tickets "
            "WHERE created_at >= :d0 AND created_at < :d1 GROUP BY h"),
            {"d0": day_start, "d1": day_start + _DAY}):
        if 0 <= h < 24:
            today[h] = int(n)
    base = day_start - 7 * _DAY
    avg = [0.0] * 24
    for h, n in session.execute(text(
            "SELECT CAST((created_at - :b) / 3600 AS INTEGER) % 24 AS h, count(*) FROM tickets "
            "WHERE created_at >= :b AND created_at < :d0 GROUP BY h"),
            {"b": base, "d0": day_start}):
        if 0 <= h < 24:
            avg[h] = n / 7.0
    return today, avg


def open_by_state(session: Session) -> dict[str, int]:
    params: dict[str, Any] = {}
    ph = _ph(_OPEN, "s", params)
    return {s: int(n) for s, n in session.execute(text(
        f"SELECT state, count(*) FROM tickets WHERE state IN ({ph}) GROUP BY state"), params)}


def limit_counts(session: Session, now: float, lead_s: float = WARNING_LEAD_S) -> tuple[int, int]:
    """(warning, overdue): the queue's limit-state clauses (``localdb.limits``)."""
    longest = max_lead_s(session, lead_s)

    def n(state: str) -> int:
        return int(session.execute(select(func.count()).select_from(TicketRow.__table__)
                                   .where(limit_clause([state], now, lead_s, longest))).scalar_one())
    return n("warning"), n("overdue")


def rates(session: Session, day_start: float, month_start: float, now: float,
          names: dict[str, dict[str, str]] | None = None,
          lookback_s: float = CLOSURE_LOOKBACK_S) -> dict[str, dict[str, list[Rate]]]:
    """Closure rates of today and this month (both up to ``now``), in total, by grid
    and by department: two indexed queries grouped by (grid, department, today?)."""
    names = names or {}
    params: dict[str, Any] = {"m0": month_start, "d0": day_start, "now": now}
    ph = _ph(_CLOSED, "c", params)
    cells: dict[tuple[str, str, bool], list[int]] = {}  # (grid, dept, today) -> [due, closed, on_time]
    for g, d, today, n, on_time in session.execute(text(
            f"SELECT coalesce(grid_resp, ''), coalesce(department_id, ''), closed_at >= :d0, count(*), "
            f"sum(CASE WHEN closed_on_time THEN 1 ELSE 0 END) FROM tickets "
            f"WHERE closed_at >= :m0 AND closed_at < :now AND +state IN ({ph}) "
            f"GROUP BY 1, 2, 3"), params):
        c = cells.setdefault((g, d, bool(today)), [0, 0, 0])
        c[0] += int(n)
        c[1] += int(n)
        c[2] += int(on_time or 0)
    for g, d, today, n in session.execute(text(
            "SELECT coalesce(grid_resp, ''), coalesce(department_id, ''), limit_deadline >= :d0, count(*) "
            "FROM tickets WHERE limit_deadline >= :m0 AND limit_deadline < :now GROUP BY 1, 2, 3"), params):
        cells.setdefault((g, d, bool(today)), [0, 0, 0])[0] += int(n)
    out: dict[str, dict[str, list[Rate]]] = {}
    for period in ("today", "month"):
        groups: dict[str, dict[str, Rate]] = {"total": {"total": Rate("total", "total")}, "grid": {},
                                              "department": {}}
        for (g, d, today), (due, closed, on_time) in cells.items():
            if period == "today" and not today:
                continue
            for group, key in (("total", "total"), ("grid", g), ("department", d)):
                r = groups[group].setdefault(key, Rate(key, names.get(group, {}).get(key, key)))
                r.due += due
                r.closed += closed
                r.on_time += on_time
        out[period] = {grp: sorted(v.values(), key=lambda r: r.key) for grp, v in groups.items()}
    return out


def top_categories(session: Session, start: float, end: float, limit: int = 8
                   ) -> list[tuple[str, str, int]]:
    rows = session.execute(text(
        "SELECT category_code, max(category_name), count(*) AS n FROM tickets "
        "WHERE created_at >= :a AND created_at < :b GROUP BY category_code "
        "ORDER BY n DESC, category_code LIMIT :lim"), {"a": start, "b": end, "lim": limit})
    return [(c, name or c, int(n)) for c, name, n in rows]


def _names(session: Session) -> dict[str, dict[str, str]]:
    return {
        "grid": dict(session.execute(text("SELECT id, name FROM grids")).all()),
        "department": dict(session.execute(text("SELECT id, name FROM departments")).all()),
    }


def compute(store: Store, now: float, lead_s: float = WARNING_LEAD_S) -> Figures:
    """All the charts' figures in one read snapshot (run it off the UI thread)."""
    t0 = time.perf_counter()
    day_start, month_start = day_bounds(now)
    fig = Figures(now=now, day_start=day_start, month_start=month_start)
    with store.session() as s:
        fig.hourly_today, fig.hourly_avg7 = hourly(s, day_start)
        fig.open_by_state = open_by_state(s)
        fig.warning, fig.overdue = limit_counts(s, now, lead_s)
        fig.rates = rates(s, day_start, month_start, now, _names(s))
        fig.top_categories = top_categories(s, day_start, day_start + _DAY)
    fig.elapsed_ms = (time.perf_counter() - t0) * 1000
    return fig


__all__ = ["Figures", "Rate", "compute", "day_bounds", "hourly", "open_by_state", "limit_counts",
           "rates", "top_categories"]
