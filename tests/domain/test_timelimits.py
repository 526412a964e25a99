"""Time limits: calendar and working-hours deadlines, pauses, warnings, clock skew."""

import datetime as dt
import time

import pytest

from console.domain.model import Category, CategoryKind, LimitMode, LimitState, Priority
from console.domain.model import TicketState as S
from console.domain.timelimits import (
    SHANGHAI, ClockSkew, WorkCalendar, compute_deadline, limit_for, limit_state, remaining_s,
)
from tests.domain.helpers import make_ticket

HOUR = 3600.0
CAL = WorkCalendar()


def ts(day: int, hour: int, minute: int = 0) -> float:
    """Epoch of 2026-11-<day> hh:mm in Shanghai (23rd is a Monday, 27th a Friday)."""
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI).timestamp()


@pytest.mark.parametrize(
    "start, hours, expected",
    [
        (ts(23, 10), 1.0, ts(23, 11)),
        (ts(23, 11), 2.0, ts(23, 14)),          # over the lunch break
        (ts(23, 7), 1.0, ts(23, 10)),           # before opening
        (ts(23, 12, 30), 0.5, ts(23, 13, 30)),  # during lunch
        (ts(27, 16, 30), 3.0, ts(30, 11)),      # Friday afternoon over the weekend
        (ts(28, 10), 1.0, ts(30, 10)),          # Saturday
        (ts(23, 10), 7.5, ts(24, 10)),          # one full working day
        (ts(23, 17), 0.5, ts(23, 17, 30)),      # ends exactly at closing time
        (ts(23, 10), 0.0, ts(23, 10)),
    ],
)
def test_add_working_seconds(start, hours, expected):
    assert CAL.add_working_seconds(start, hours * HOUR) == expected


def test_holidays_and_make_up_days():
    cal = WorkCalendar(holidays=[dt.date(2026, 11, 30)], makeup_days=[dt.date(2026, 11, 28)])
    assert cal.add_working_seconds(ts(27, 17), 1.0 * HOUR) == ts(28, 9, 30)  # worked Saturday
    assert cal.add_working_seconds(ts(28, 17, 30), 1.0 * HOUR) == dt.datetime(
        2026, 12, 1, 10, tzinfo=SHANGHAI).timestamp()  # Monday 30th is a holiday
    assert not cal.is_working_day(dt.date(2026, 11, 30)) and cal.is_working_day(dt.date(2026, 11, 28))


def test_configurable_hours_and_bad_calendars():
    cal = WorkCalendar(periods=((dt.time(8), dt.time(18)),), workdays=range(6))
    assert cal.add_working_seconds(ts(28, 17), 2 * HOUR) == ts(30, 9)
    with pytest.raises(ValueError):
        WorkCalendar(periods=())
    with pytest.raises(ValueError):
        WorkCalendar(periods=((dt.time(13), dt.time(12)),))
    with pytest.raises(ValueError):
        WorkCalendar(periods=((dt.time(9), dt.time(13)), (dt.time(12), dt.time(17))))
    with pytest.raises(ValueError):
        WorkCalendar(workdays=()).add_working_seconds(ts(23, 10), HOUR)


def test_working_seconds_between():
    assert CAL.working_seconds_between(ts(23, 10), ts(24, 10)) == 7.5 * HOUR
    assert CAL.working_seconds_between(ts(27, 17), ts(30, 9, 30)) == 1.0 * HOUR
    assert CAL.working_seconds_between(ts(24, 10), ts(23, 10)) == 0.0


def test_calendar_deadline_with_extension_and_pause():
    t = make_ticket(limit_hours=24.0)
    assert compute_deadline(t) is None  # clock not started
    t = t.replace(state=S.DISPATCHED, clock_start=ts(23, 10))
    assert compute_deadline(t) == ts(24, 10)
    t = t.replace(extension_hours=48.0, suspended_seconds=2 * HOUR)
    assert compute_deadline(t) == ts(26, 12)
    assert compute_deadline(t.replace(state=S.SUSPENDED)) is None
    assert compute_deadline(t.replace(state=S.CLOSED)) is None


def test_working_mode_deadline():
    t = make_ticket(limit_hours=8.0, limit_mode=LimitMode.WORKING).replace(
        state=S.REGISTERED, clock_start=ts(27, 16))
    assert compute_deadline(t) == ts(30, 16, 30)  # 1.5h Friday, 6.5h Monday
    assert compute_deadline(t.replace(suspended_seconds=HOUR)) == ts(30, 17, 30)
    tuesday_0930 = dt.datetime(2026, 12, 1, 9, 30, tzinfo=SHANGHAI).timestamp()
    assert compute_deadline(t.replace(suspended_seconds=1.5 * HOUR)) == tuesday_0930


def test_limit_state_and_remaining():
    t = make_ticket().replace(state=S.HANDLING, clock_start=ts(23, 10))
    t = t.replace(deadline=compute_deadline(t))
    assert limit_state(t, ts(23, 12)) == LimitState.ON_TIME
    assert limit_state(t, ts(24, 8)) == LimitState.WARNING
    assert limit_state(t, ts(24, 9), warning_lead_s=1800) == LimitState.ON_TIME
    assert limit_state(t, ts(24, 10)) == LimitState.WARNING  # due now: not late yet
    assert limit_state(t, ts(24, 10) + 1) == LimitState.OVERDUE
    assert remaining_s(t, ts(24, 9)) == HOUR and remaining_s(t, ts(24, 11)) == -HOUR
    assert limit_state(t.replace(state=S.SUSPENDED), ts(25, 0)) == LimitState.SUSPENDED
    assert limit_state(t.replace(state=S.RETURNED), ts(25, 0)) == LimitState.DONE
    fresh = make_ticket()
    assert limit_state(fresh, ts(30, 0)) == LimitState.ON_TIME and remaining_s(fresh, 0) is None


def test_limit_for_priority():
    cat = Category(CategoryKind.COMPONENT, "01001", "01", "公用设施", "井盖", limit_hours=72.0,
                   urgent_limit_hours=2.0)
    assert limit_for(cat, Priority.NORMAL) == 72.0
    assert limit_for(cat, Priority.URGENT) == limit_for(cat, Priority.CRITICAL) == 2.0
    plain = Category(CategoryKind.EVENT, "02001", "02", "市容", "垃圾", limit_hours=24.0)
    assert limit_for(plain, Priority.CRITICAL) == 24.0


def test_clock_skew_median_of_recent_samples():
    b = 1_700_000_000.0   # samples are real instants (implausible ones are refused)
    skew = ClockSkew(window=3)
    assert skew.offset == 0.0 and skew.platform_now(100.0) == 100.0
    skew.add_sample(b + 100.0, b + 130.5, b + 101.0)   # offset 30
    skew.add_sample(b + 200.0, b + 290.0, b + 220.0)   # slow round trip, offset 80
    skew.add_sample(b + 300.0, b + 331.0, b + 301.0)   # offset 30.5
    assert skew.offset == 30.5
    skew.add_sample(b + 400.0, b + 420.5, b + 401.0)   # pushes out the first: 80, 30.5, 20
    assert skew.offset == 30.5 and skew.platform_now(1000.0) == 1030.5
    assert abs(skew.platform_now() - (time.time() + 30.5)) < 5
    with pytest.raises(ValueError):
        skew.add_sample(b + 10.0, b, b + 9.0)


@pytest.mark.parametrize("server", [float("nan"), float("inf"), -float("inf"), 1e300, -1e300, 1e15,
                                    -1e12, 0.0, "1700000000", None, True, [1]])
def test_clock_skew_refuses_what_is_not_a_clock_reading(server):
    b = 1_700_000_000.0
    skew = ClockSkew(window=3)
    skew.add_sample(b, b + 30.0, b + 0.2)
    with pytest.raises(ValueError):
        skew.add_sample(b + 1, server, b + 1.2)
    with pytest.raises(ValueError):
        skew.add_sample(float("nan"), b, b + 1.2)
    assert abs(skew.offset - 29.9) < 1e-6   # the bad sample left no trace
    assert skew.platform_now(b) == b + skew.offset
