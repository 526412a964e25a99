"""The limit-state rule in SQL: the twin of ``console.domain.timelimits.limit_state_at``.

Built from the same parameters (platform time, the hall's warning lead, the ticket's
category lead: ``tickets.warn_lead_s``, copied from the catalogue when the ticket is
written) and written with the same comparisons (overdue ``deadline < now``, warning
``deadline <= now + lead``), so that float rounding cannot make the two disagree; a
property test (tests/localdb/test_limits.py) holds them together. The conditions are
ranges on ``tickets.limit_deadline`` (the deadline while the clock runs, else NULL),
served by ``ix_tickets_limit_deadline`` (which carries ``warn_lead_s``); the longest
lead in use (``max_lead_s``) bounds the warning range. Every query that needs a limit
state (queue, tab counts, map colours, charts) builds it here.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, case, false, func, literal, or_, select
from sqlalchemy.orm import Session

from console.domain.model import DONE_STATES, OPEN_STATES, LimitState, TicketState
from console.domain.timelimits import DEFAULT_WARNING_LEAD_S
from localdb.models import Category, TicketRow

T = TicketRow.__table__.c
_RUNNING = sorted(s.value for s in OPEN_STATES if s != TicketState.SUSPENDED)
_DONE = sorted(s.value for s in DONE_STATES)


def max_lead_s(session: Session, lead_s: float = DEFAULT_WARNING_LEAD_S) -> float:
    """The longest warning lead in use: the hall's or a category's (seconds)."""
    longest = session.execute(select(func.max(Category.warning_lead_minutes))).scalar()
    return max(lead_s, 0.0 if longest is None else float(longest) * 60.0)


def _lead(lead_s: float):
    """The ticket's warning lead: its category's, else the hall's (``timelimits.warning_lead``)."""
    return func.coalesce(T.warn_lead_s, lead_s)


def limit_clause(states: Iterable[str], now: float, lead_s: float = DEFAULT_WARNING_LEAD_S,
                 max_lead: float | None = None):
    """"The ticket's LimitState is one of ``states``" (no states: nothing matches).
    ``max_lead`` (``max_lead_s``) bounds the warning range for the index; None leaves
    it open above (still correct)."""
    parts = []
    for s in dict.fromkeys(LimitState(str(x)) for x in states):
        if s is LimitState.OVERDUE:
            parts.append(T.limit_deadline < now)
        elif s is LimitState.WARNING:
            bound = [] if max_lead is None else [T.limit_deadline <= now + max(max_lead, lead_s)]
            parts.append(and_(T.limit_deadline >= now, *bound, T.limit_deadline <= now + _lead(lead_s)))
        elif s is LimitState.ON_TIME:
            parts.append(or_(T.limit_deadline > now + _lead(lead_s),
                             and_(T.limit_deadline.is_(None), T.state.in_(_RUNNING))))
        elif s is LimitState.SUSPENDED:
            parts.append(T.state == TicketState.SUSPENDED.value)
        else:
            parts.append(T.state.in_(_DONE))
    return or_(*parts) if parts else false()


#: Limit-state codes of ``limit_code`` (index into this tuple; the map sends codes).
LIMIT_CODES = ("on_time", "warning", "overdue", "suspended", "done")


def limit_code(now: float, lead_s: float = DEFAULT_WARNING_LEAD_S):
    """The limit state as a column (an index into ``LIMIT_CODES``)."""
    return case(
        (T.state == TicketState.SUSPENDED.value, literal(3)),
        (T.state.in_(_DONE), literal(4)),
        (T.limit_deadline.is_(None), literal(0)),
        (T.limit_deadline < now, literal(2)),
        (T.limit_deadline <= now + _lead(lead_s), literal(1)),
        else_=literal(0),
    )


def crossing_clause(t0: float, t1: float, lead_s: float = DEFAULT_WARNING_LEAD_S,
                    max_lead: float | None = None):
    """Tickets whose limit state changed between ``t0`` and ``t1`` by the clock alone
    (became overdue, or entered the warning lead): two index range scans."""
    bound = [] if max_lead is None else [T.limit_deadline <= t1 + max(max_lead, lead_s)]
    return or_(
        and_(T.limit_deadline >= t0, T.limit_deadline < t1),
        and_(T.limit_deadline > t0, *bound,
             T.limit_deadline > t0 + _lead(lead_s), T.limit_deadline <= t1 + _lead(lead_s)),
    )


def work_calendar(session: Session):
    """The street's working calendar (feed kind ``work_calendar``), or the plain Monday–Friday
    one while the platform has sent none. Deadlines computed at this desk use it."""
    import json

    from sqlalchemy import text

    from console.domain import timelimits

    raw = session.execute(text("SELECT value FROM settings_kv WHERE key='work_calendar'")).scalar()
    if raw is None:
        return timelimits.DEFAULT_CALENDAR
    try:
        return timelimits.calendar_from_dict(json.loads(raw))
    except (ValueError, TypeError):  # checked when it arrived; a store edited by hand
        return timelimits.DEFAULT_CALENDAR
