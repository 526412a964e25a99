"""The street's working calendar as data (法定节假日, 调休): the State Council's yearly
notice decides when a working-hours limit runs, so Golden Week does not eat a ticket's time."""

from __future__ import annotations

import datetime as dt

import pytest

from console.domain.model import LimitMode
from console.domain.model import TicketState as S
from console.domain.timelimits import (
    DEFAULT_CALENDAR, SHANGHAI, CalendarError, calendar_from_dict, compute_deadline,
)
from simulator.catalogue import WORK_CALENDAR
from tests.domain.helpers import make_ticket


def _at(month: int, day: int, hour: int, minute: int = 0) -> float:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI).timestamp()


def test_golden_week_does_not_run_a_working_hours_limit():
    cal = calendar_from_dict(WORK_CALENDAR)
    t = make_ticket(state=S.DISPATCHED, limit_mode=LimitMode.WORKING, limit_hours=8.0,
                    clock_start=_at(9, 30, 16, 0))                  # Wednesday before the holiday
    # 1.5 h on the 30th, then nothing until Thursday 8 October: 3 h + 3.5 h
    assert compute_deadline(t, cal) == _at(10, 8, 16, 30)
    assert compute_deadline(t, DEFAULT_CALENDAR) == _at(10, 1, 16, 30)  # what a plain calendar said


def test_a_make_up_saturday_is_worked():
    cal = calendar_from_dict(WORK_CALENDAR)
    t = make_ticket(state=S.DISPATCHED, limit_mode=LimitMode.WORKING, limit_hours=2.0,
                    clock_start=_at(10, 9, 17, 0))                  # Friday 9 October, 30 min left today
    assert compute_deadline(t, cal) == _at(10, 10, 10, 30)         # Saturday the 10th is a working day
    assert cal.is_working_day(dt.date(2026, 2, 14)) and not cal.is_working_day(dt.date(2026, 2, 16))


@pytest.mark.parametrize("data, says", [
    ({"holidays": ["2026-10-01", "2026-10-01"]}, "出现了两次"),
    ({"holidays": ["2026-10-10"], "makeup_days": ["2026-10-10"]}, "既列为放假日又列为调休上班日"),
    ({"makeup_days": ["2026-10-08"]}, "本来就是工作日"),
    ({"holidays": ["10/01/2026"]}, "不是日期"),
    ({"holidays": [20261001]}, "不是日期"),
    ({"holidays": "2026-10-01"}, "应为日期列表"),
    (["2026-10-01"], "应为对象"),
])
def test_a_calendar_that_cannot_be_used_says_what_to_fix(data, says):
    with pytest.raises(CalendarError, match=says):
        calendar_from_dict(data)
