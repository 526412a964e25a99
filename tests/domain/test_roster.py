"""Roster: shifts across midnight, swaps that keep history, who is on duty, gaps."""

import datetime as dt

import pytest

from console.domain import roster
from console.domain.roster import (
    SHANGHAI, Gap, RosterEntry, Shift, ShiftPlan, effective, gaps, next_shift, on_duty, shift_at,
    shift_bounds, swap,
)

D22, D23 = dt.date(2026, 11, 22), dt.date(2026, 11, 23)


def at(day, hour, minute=0, tz=SHANGHAI):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=tz)


@pytest.mark.parametrize(
    "when, expected",
    [
        (at(22, 23), (D22, "night")),
        (at(23, 2), (D22, "night")),        # night shift belongs to the date it starts
        (at(23, 6, 59), (D22, "night")),
        (at(23, 7), (D23, "day")),
        (at(23, 14, 59), (D23, "day")),
        (at(23, 15), (D23, "evening")),
        (at(22, 22, 59), (D22, "evening")),
        (at(22, 18, tz=dt.timezone.utc), (D22, "night")),  # 02:00 on the 23rd in Shanghai
    ],
)
def test_shift_at(when, expected):
    assert shift_at(when) == expected


def test_shift_at_needs_an_aware_datetime():
    with pytest.raises(ValueError):
        shift_at(dt.datetime(2026, 11, 23, 2))


def test_bounds_and_next_shift():
    assert shift_bounds(D22, "night") == (at(22, 23), at(23, 7))
    assert shift_bounds(D23, "day") == (at(23, 7), at(23, 15))
    assert next_shift(D22, "evening") == (D22, "night")
    assert next_shift(D22, "night") == (D23, "day")
    with pytest.raises(KeyError):
        next_shift(D22, "siesta")


def test_custom_two_shift_plan_and_bad_plans():
    plan = ShiftPlan((Shift("day", dt.time(8), dt.time(20)), Shift("night", dt.time(20), dt.time(8))))
    assert plan.shift_at(at(23, 7)) == (D22, "night")
    assert plan.next_shift(D22, "night") == (D23, "day")
    with pytest.raises(ValueError):  # a hole from 15 to 16
        ShiftPlan((Shift("a", dt.time(7), dt.time(15)), Shift("b", dt.time(16), dt.time(7))))
    with pytest.raises(ValueError):  # only the last shift may cross midnight
        ShiftPlan((Shift("a", dt.time(23), dt.time(7)), Shift("b", dt.time(7), dt.time(23))))


def entry(eid, date, shift, role, person, created_at=0.0):
    return RosterEntry(eid, date, shift, role, person, name=person, phone="13800000000",
                       created_at=created_at, created_by="lead")


ROSTER = [
    entry("c22", D22, "all", "commander", "cmd-A"),
    entry("c23", D23, "all", "commander", "cmd-B"),
    entry("n-lead", D22, "night", "shift_leader", "lead-1"),
    entry("n-off1", D22, "night", "officer", "off-1"),
    entry("n-off2", D22, "night", "officer", "off-2"),
    entry("d-lead", D23, "day", "shift_leader", "lead-2"),
    entry("d-off", D23, "day", "officer", "off-3"),
]


def test_on_duty_across_midnight():
    duty = on_duty(ROSTER, at(23, 2))
    assert (duty.date, duty.shift) == (D22, "night")
    assert duty.commander.person_id == "cmd-A" and duty.shift_leader.person_id == "lead-1"
    assert [o.person_id for o in duty.officers] == ["off-1", "off-2"]
    morning = on_duty(ROSTER, at(23, 7))
    assert morning.commander.person_id == "cmd-B" and morning.shift_leader.person_id == "lead-2"
    empty = on_duty(ROSTER, at(23, 15))
    assert empty.shift_leader is None and empty.officers == []


def test_swap_keeps_history():
    old = ROSTER[3]
    new = swap(old, person_id="off-9", name="钱七", created_at=5.0, created_by="lead-1",
               reason="病假换班", entry_id="n-off1b")
    assert (new.replaces, new.date, new.shift, new.role) == ("n-off1", D22, "night", "officer")
    entries = ROSTER + [new]
    assert old in entries and old not in effective(entries)
    assert [o.person_id for o in on_duty(entries, at(23, 2)).officers] == ["off-2", "off-9"]
    again = swap(new, person_id="off-1", created_at=6.0, created_by="lead-1", reason="换回")
    chain = effective(entries + [again])
    assert new not in chain and again in chain and len(chain) == len(ROSTER)


def test_vacating_a_slot_shows_as_a_gap():
    vacated = swap(ROSTER[2], person_id="", created_at=5.0, created_by="cmd-A", reason="临时离岗")
    entries = ROSTER + [vacated]
    assert on_duty(entries, at(23, 2)).shift_leader is None
    assert Gap(D22, "night", "shift_leader") in gaps(entries, D22, 1)


def test_gaps():
    found = gaps(ROSTER, D22, 2)
    assert found == [
        (D22, "day", "shift_leader"), (D22, "day", "officer"),
        (D22, "evening", "shift_leader"), (D22, "evening", "officer"),
        (D23, "evening", "shift_leader"), (D23, "evening", "officer"),
        (D23, "night", "shift_leader"), (D23, "night", "officer"),
    ]
    assert gaps([], D23, 1)[0] == Gap(D23, "all", "commander")
    assert len(gaps([], D23, 3)) == 3 * 7


def test_entry_wire_form():
    e = ROSTER[0]
    d = e.to_dict()
    assert d["date"] == "2026-11-22" and RosterEntry.from_dict(d) == e
    assert RosterEntry.from_dict({**d, "unknown": 1}) == e
    assert roster.DEFAULT_PLAN.names == ["day", "evening", "night"]
