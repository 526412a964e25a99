"""Time limits (处置时限): deadlines, warning states and platform time.

The district judges the hall on its on-time closure rate (按期结案率), so the console
must agree with the platform to the second on when a ticket is due. Everything here
is a pure function of the ticket and a work calendar, evaluated in Asia/Shanghai,
so the district simulator and an offline workstation compute the same deadline.

A limit runs from ``clock_start`` (立案) for ``limit_hours + extension_hours``,
either in calendar hours (自然时) or in working hours (工作时). Suspension (挂账)
pauses it: ``Ticket.suspended_seconds`` holds the paused time measured in the
ticket's limit mode (working seconds for a working-hours limit), which makes the
working-hours deadline exact without keeping every pause interval.
"""

from __future__ import annotations

import datetime as dt
import statistics
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from console.domain.formatting import finite_number, plausible_epoch
from console.domain.model import (
    DONE_STATES,
    Category,
    LimitMode,
    LimitState,
    Priority,
    Ticket,
    TicketState,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: How far ahead a working-hours deadline may be searched for (guards bad calendars).
_MAX_DAYS = 3660
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Working hours of the street offices, with holidays and make-up working days.

    ``holidays`` are weekdays off (法定节假日); ``makeup_days`` are weekend days that
    are worked (调休上班). Both come from the yearly State Council notice, so they are
    data, not code.
    """

    periods: tuple[tuple[dt.time, dt.time], ...] = (
        (dt.time(9, 0), dt.time(12, 0)),
        (dt.time(13, 0), dt.time(17, 30)),
    )
    workdays: frozenset[int] = frozenset(range(5))  # Monday=0 .. Friday=4
    holidays: frozenset[dt.date] = field(default_factory=frozenset)
    makeup_days: frozenset[dt.date] = field(default_factory=frozenset)
    tz: dt.tzinfo = SHANGHAI

    def __post_init__(self) -> None:
        periods = tuple((a, b) for a, b in self.periods)
        if not periods:
            raise ValueError("a work calendar needs at least one working period")
        for (a, b), nxt in zip(periods, periods[1:] + ((None, None),)):
            if not a < b or (nxt[0] is not None and nxt[0] < b):
                raise ValueError(f"working periods must be ordered and disjoint: {periods}")
        object.__setattr__(self, "periods", periods)
        object.__setattr__(self, "workdays", frozenset(self.workdays))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "makeup_days", frozenset(self.makeup_days))

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.makeup_days:
            return True
        return day.weekday() in self.workdays and day not in self.holidays

    def _periods_on(self, day: dt.date) -> list[tuple[float, float]]:
        if not self.is_working_day(day):
            return []
        return [
            (
                dt.datetime.combine(day, a, tzinfo=self.tz).timestamp(),
                dt.datetime.combine(day, b, tzinfo=self.tz).timestamp(),
            )
            for a, b in self.periods
        ]

    def _local_date(self, ts: float) -> dt.date:
        return dt.datetime.fromtimestamp(ts, self.tz).date()

    def add_working_seconds(self, start: float, seconds: float) -> float:
        """The instant at which ``seconds`` of working time after ``start`` have passed."""
        if seconds <= 0:
            return start
        remaining = seconds
        day = self._local_date(start)
        for _ in range(_MAX_DAYS):
            for a, b in self._periods_on(day):
                a = max(a, start)
                if a >= b:
                    continue
                if b - a >= remaining:
                    return a + remaining
                remaining -= b - a
            day += _DAY
        raise ValueError(f"no working time found within {_MAX_DAYS} days of {start}")

    def working_seconds_between(self, start: float, end: float) -> float:
        """Working time inside [start, end) (0 when end <= start)."""
        total = 0.0
        day, last = self._local_date(start), self._local_date(end)
        while start < end and day <= last:
            for a, b in self._periods_on(day):
                total += max(0.0, min(b, end) - max(a, start))
            day += _DAY
        return total


DEFAULT_CALENDAR = WorkCalendar()


class CalendarError(ValueError):
    """A holiday calendar that cannot be used; the message says what to fix."""


def calendar_from_dict(data: Any) -> WorkCalendar:
    """The street's working calendar from the platform (``{"holidays": ["2026-10-01", ...],
    "makeup_days": ["2026-10-10", ...]}``: 法定节假日 and 调休上班日, ISO dates).

    Refused, saying why: entries that are not dates, a day listed twice, a day both off
    and worked, a make-up working day that is a weekday anyway (a mistyped date)."""
    if not isinstance(data, dict):
        raise CalendarError("工作日历应为对象（holidays、makeup_days 两个日期列表）")

    def days(key: str, label: str) -> set[dt.date]:
        raw = data.get(key, [])
        if not isinstance(raw, list):
            raise CalendarError(f"{label}应为日期列表")
        out: set[dt.date] = set()
        for v in raw:
            try:
                d = dt.date.fromisoformat(v) if isinstance(v, str) else None
            except ValueError:
                d = None
            if d is None:
                raise CalendarError(f"{label}中的 {v!r} 不是日期（应为 YYYY-MM-DD）")
            if d in out:
                raise CalendarError(f"{label}中 {d.isoformat()} 出现了两次")
            out.add(d)
        return out

    holidays, makeup = days("holidays", "放假日"), days("makeup_days", "调休上班日")
    both = sorted(holidays & makeup)
    if both:
        raise CalendarError(f"{both[0].isoformat()} 既列为放假日又列为调休上班日")
    weekday = sorted(d for d in makeup if d.weekday() < 5)
    if weekday:
        raise CalendarError(f"调休上班日 {weekday[0].isoformat()} 本来就是工作日，请核对日期")
    return WorkCalendar(holidays=frozenset(holidays), makeup_days=frozenset(makeup))


def limit_for(category: Category, priority: Priority) -> float:
    """The limit in hours a new ticket gets: urgent tickets use the stricter limit if any."""
    urgent = priority in (Priority.URGENT, Priority.CRITICAL)
    if urgent and category.urgent_limit_hours is not None:
        return float(category.urgent_limit_hours)
    return float(category.limit_hours)


def compute_deadline(ticket: Ticket, calendar: WorkCalendar = DEFAULT_CALENDAR) -> float | None:
    """The due instant, or None while the clock is not running.

    None before 立案 (no ``clock_start``), while suspended (the clock is paused, the
    deadline is unknown until it resumes) and once the work is done (a closed ticket is
    judged by ``closed_on_time``; a deadline on it would only pollute overdue queries).
    """
    if ticket.clock_start is None or ticket.state in DONE_STATES:
        return None
    if ticket.state == TicketState.SUSPENDED:
        return None
    budget = (ticket.limit_hours + ticket.extension_hours) * 3600.0
    if ticket.limit_mode == LimitMode.WORKING:
        return calendar.add_working_seconds(ticket.clock_start, budget + ticket.suspended_seconds)
    return ticket.clock_start + budget + ticket.suspended_seconds


def paused_seconds(
    ticket: Ticket, now: float, calendar: WorkCalendar = DEFAULT_CALENDAR
) -> float:
    """How much limit time the current suspension has paused (in the ticket's mode)."""
    if ticket.suspended_since is None:
        return 0.0
    if ticket.limit_mode == LimitMode.WORKING:
        return calendar.working_seconds_between(ticket.suspended_since, now)
    return max(0.0, now - ticket.suspended_since)


def remaining_s(ticket: Ticket, now: float) -> float | None:
    """Wall-clock seconds left until the deadline (negative when overdue), None if none."""
    if ticket.deadline is None:
        return None
    return ticket.deadline - now


#: The hall's default warning lead (setting ``warning_lead_minutes``, 120) in seconds.
DEFAULT_WARNING_LEAD_S = 7200.0


def warning_lead(category_lead_s: float | None, hall_lead_s: float = DEFAULT_WARNING_LEAD_S) -> float:
    """Seconds before the limit a ticket turns 即将超时: its category's lead from the
    platform's catalogue, else the hall's default."""
    return hall_lead_s if category_lead_s is None else float(category_lead_s)


def limit_state_at(state: TicketState | str, deadline: float | None, now: float,
                   lead_s: float = DEFAULT_WARNING_LEAD_S) -> LimitState:
    """The one limit-state rule (``localdb.limits.limit_clause`` is its SQL twin and is
    written with the same comparisons): done and suspended by state; no running clock
    is on time; overdue strictly after the deadline (due exactly now is not late yet);
    warning from ``deadline - lead`` on, compared as ``deadline <= now + lead``."""
    state = TicketState(state)
    if state in DONE_STATES:
        return LimitState.DONE
    if state == TicketState.SUSPENDED:
        return LimitState.SUSPENDED
    if deadline is None:
        return LimitState.ON_TIME
    if deadline < now:
        return LimitState.OVERDUE
    if deadline <= now + lead_s:
        return LimitState.WARNING
    return LimitState.ON_TIME


def limit_state(ticket: Ticket, now: float, warning_lead_s: float = DEFAULT_WARNING_LEAD_S,
                category_lead_s: float | None = None) -> LimitState:
    """Where the ticket stands for the 案件处置警示 badge (see ``limit_state_at``)."""
    return limit_state_at(ticket.state, ticket.deadline, now,
                          warning_lead(category_lead_s, warning_lead_s))


class ClockSkew:
    """Platform time as seen from this workstation.

    Deadlines are in platform time; a workstation clock that is minutes off would turn
    tickets red too early or too late. Each health answer gives one sample; the median
    of the last ``window`` offsets ignores the odd slow round trip. Samples are added
    by the sync worker and read by the UI thread, hence the lock and the cached offset.
    """

    def __init__(self, window: int = 9) -> None:
        if window < 1:
            raise ValueError("window must be at least 1")
        self._offsets: deque[float] = deque(maxlen=window)
        self._lock = threading.Lock()
        self._offset = 0.0

    def add_sample(self, t_send: float, server_epoch: float, t_recv: float) -> None:
        """Record one exchange: local send time, server's epoch, local receive time.

        Raises ``ValueError`` and keeps nothing for a sample that cannot be a clock
        reading: NaN, infinities, non-numbers, or an instant outside the plausible
        range of ``console.domain.formatting`` (one NaN in the median would make
        platform time NaN for as long as it stays in the window)."""
        if any(finite_number(v) is None for v in (t_send, t_recv)):
            raise ValueError("local send/receive times must be finite numbers")
        if plausible_epoch(server_epoch) is None:
            raise ValueError("the server's time is not a plausible instant")
        if t_recv < t_send:
            raise ValueError("a sample cannot be received before it was sent")
        with self._lock:
            self._offsets.append(server_epoch - (t_send + t_recv) / 2.0)
            self._offset = statistics.median(self._offsets)

    @property
    def offset(self) -> float:
        """Seconds to add to the local clock to get platform time (0 before any sample)."""
        return self._offset

    def platform_now(self, local_now: float | None = None) -> float:
        return (time.time() if local_now is None else local_now) + self._offset
