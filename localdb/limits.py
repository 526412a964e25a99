"""The limit-state rule in SQL: the twin of ``console.domain.timelimits.limit_state_at``.

Built from the same parameters (platform time, the hall's warning lead) and written
with the same comparisons (overdue ``deadline < now``, warning ``deadline <= now +
lead``), so that float rounding cannot make the two disagree; a property test
(tests/localdb/test_limits.py) holds them together. The conditions are ranges on
``tickets.limit_deadline`` (the deadline while the clock runs, else NULL), served by
``ix_tickets_limit_deadline``. Every query that needs a limit state (queue, tab counts,
map colours, charts) builds it here.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, case, false, literal, or_

from console.domain.model import DONE_STATES, OPEN_STATES, LimitState, TicketState
from console.domain.timelimits import DEFAULT_WARNING_LEAD_S
from localdb.models import TicketRow

T = TicketRow.__table__.c
_RUNNING = sorted(s.value for s in OPEN_STATES if s != TicketState.SUSPENDED)
_DONE = sorted(s.value for s in DONE_STATES)


def limit_clause(states: Iterable[str], now: float, lead_s: float = DEFAULT_WARNING_LEAD_S):
    """"The ticket's LimitState is one of ``states``" (no states: nothing matches)."""
    parts = []
    for s in dict.fromkeys(LimitState(str(x)) for x in states):
        if s is LimitState.OVERDUE:
            parts.append(T.limit_deadline < now)
        elif s is LimitState.WARNING:
            parts.append(and_(T.limit_deadline >= now, T.limit_deadline <= now + lead_s))
        elif s is LimitState.ON_TIME:
            parts.append(or_(T.limit_deadline > now + lead_s,
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
        (T.limit_deadline <= now + lead_s, literal(1)),
        else_=literal(0),
    )


def crossing_clause(t0: float, t1: float, lead_s: float = DEFAULT_WARNING_LEAD_S):
    """Tickets whose limit state changed between ``t0`` and ``t1`` by the clock alone
    (became overdue, or entered the warning lead): two index range scans."""
    return or_(
        and_(T.limit_deadline >= t0, T.limit_deadline < t1),
        and_(T.limit_deadline > t0 + lead_s, T.limit_deadline <= t1 + lead_s),
    )
