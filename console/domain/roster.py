"""Duty roster (值班表): shifts, who is on duty, and holes in the plan.

The hall runs three shifts (三班二运转): day 07-15, evening 15-23, night 23-07, all in
Asia/Shanghai. A shift belongs to the date it starts on, so 02:00 on the 23rd is
the night shift of the 22nd; the rotating commander (轮值指挥长) serves that whole
duty date. Roster changes never overwrite: a swap is a new entry that ``replaces``
the old one, so the handover record shows who was planned and who actually served.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
COMMANDER, SHIFT_LEADER, OFFICER = "commander", "shift_leader", "officer"
#: the commander's stand-ins on the day's command chain (console.domain.command)
EXECUTIVE_DEPUTY, DEPUTY = "executive_deputy", "deputy"
ALL_SHIFTS = "all"  # the commander's entry covers the whole duty date
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Shift:
    name: str
    start: dt.time
    end: dt.time  # may be earlier than start: the shift runs past midnight


@dataclass(frozen=True)
class ShiftPlan:
    """The shifts of one duty date, in order; together they must tile 24 hours."""

    shifts: tuple[Shift, ...] = (
        Shift("day", dt.time(7), dt.time(15)),
        Shift("evening", dt.time(15), dt.time(23)),
        Shift("night", dt.time(23), dt.time(7)),
    )
    tz: dt.tzinfo = SHANGHAI

    def __post_init__(self) -> None:
        shifts = tuple(self.shifts)
        object.__setattr__(self, "shifts", shifts)
        if not shifts or len({s.name for s in shifts}) != len(shifts):
            raise ValueError("a shift plan needs shifts with distinct names")
        for s, nxt in zip(shifts, shifts[1:] + shifts[:1]):
            if s.end != nxt.start:
                raise ValueError(f"shift {s.name} must end when {nxt.name} starts")
        if any(s.end <= s.start for s in shifts[:-1]) or any(
            a.start >= b.start for a, b in zip(shifts, shifts[1:])
        ):
            raise ValueError("only the last shift of a duty date may run past midnight")

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.shifts]

    def _shift(self, name: str) -> Shift:
        for s in self.shifts:
            if s.name == name:
                return s
        raise KeyError(f"unknown shift {name!r}")

    def shift_at(self, at: dt.datetime) -> tuple[dt.date, str]:
        """(duty date, shift name) of an aware instant."""
        if at.tzinfo is None:
            raise ValueError("shift_at needs an aware datetime")
        local = at.astimezone(self.tz)
        t, day = local.time(), local.date()
        for s in self.shifts:
            if s.start < s.end and s.start <= t < s.end:
                return day, s.name
            if s.start >= s.end:  # runs past midnight
                if t >= s.start:
                    return day, s.name
                if t < s.end:
                    return day - _DAY, s.name
        raise AssertionError("shift plan does not cover the day")  # excluded by __post_init__

    def shift_bounds(self, date: dt.date, name: str) -> tuple[dt.datetime, dt.datetime]:
        s = self._shift(name)
        start = dt.datetime.combine(date, s.start, tzinfo=self.tz)
        end_date = date if s.start < s.end else date + _DAY
        return start, dt.datetime.combine(end_date, s.end, tzinfo=self.tz)

    def next_shift(self, date: dt.date, name: str) -> tuple[dt.date, str]:
        i = self.names.index(self._shift(name).name)
        if i + 1 < len(self.shifts):
            return date, self.shifts[i + 1].name
        return date + _DAY, self.shifts[0].name


DEFAULT_PLAN = ShiftPlan()


@dataclass(frozen=True, slots=True)
class RosterEntry:
    """One person in one role on one shift. An empty ``person_id`` marks a vacated slot."""

    id: str
    date: dt.date
    shift: str            # a shift name, or "all" for the commander
    role: str             # "commander" | "shift_leader" | "officer"
    person_id: str
    name: str = ""
    phone: str = ""       # personal data: mask in UI, never log
    replaces: str | None = None
    created_at: float = 0.0
    created_by: str = ""
    reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {f: getattr(self, f) for f in self.__slots__} | {"date": self.date.isoformat()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> RosterEntry:
        kw = {k: v for k, v in d.items() if k in cls.__slots__}
        kw["date"] = dt.date.fromisoformat(str(kw["date"]))
        return cls(**kw)


def swap(
    old: RosterEntry, *, person_id: str, name: str = "", phone: str = "", created_at: float,
    created_by: str, reason: str, entry_id: str | None = None,
) -> RosterEntry:
    """A new entry taking over ``old``'s slot (pass person_id="" to vacate it)."""
    return replace(
        old, id=entry_id or str(uuid.uuid4()), person_id=person_id, name=name, phone=phone,
        replaces=old.id, created_at=created_at, created_by=created_by, reason=reason,
    )


def effective(entries: Iterable[RosterEntry]) -> list[RosterEntry]:
    """The entries no later entry replaces (the current plan), in input order."""
    entries = list(entries)
    replaced = {e.replaces for e in entries if e.replaces}
    return [e for e in entries if e.id not in replaced]


def _staffed(entries: list[RosterEntry], date: dt.date, shift: str | None, role: str):
    """Effective, non-vacant entries for a slot; oldest first so the choice is stable."""
    found = [
        e for e in entries
        if e.date == date and e.role == role and e.person_id and (shift is None or e.shift == shift)
    ]
    return sorted(found, key=lambda e: (e.created_at, e.id))


@dataclass(frozen=True)
class OnDuty:
    date: dt.date
    shift: str
    commander: RosterEntry | None
    shift_leader: RosterEntry | None
    officers: list[RosterEntry] = field(default_factory=list)
    #: the day's 常务副指挥长 and 副指挥长 (who stand in for the commander)
    deputies: list[RosterEntry] = field(default_factory=list)

    def people(self) -> list[RosterEntry]:
        """Everyone on duty now (the day's command chain included)."""
        return [e for e in (self.commander, *self.deputies, self.shift_leader, *self.officers)
                if e is not None]


def on_duty(
    entries: Iterable[RosterEntry], at: dt.datetime, plan: ShiftPlan = DEFAULT_PLAN
) -> OnDuty:
    """Who serves at an instant: the duty date's commander, the shift's leader and officers.

    Should two entries claim the commander or leader slot, the latest-created one wins.
    """
    current = effective(entries)
    date, shift = plan.shift_at(at)
    commanders = _staffed(current, date, None, COMMANDER)
    leaders = _staffed(current, date, shift, SHIFT_LEADER)
    return OnDuty(
        date=date,
        shift=shift,
        commander=commanders[-1] if commanders else None,
        shift_leader=leaders[-1] if leaders else None,
        officers=_staffed(current, date, shift, OFFICER),
        deputies=[e for role in (EXECUTIVE_DEPUTY, DEPUTY) for e in _staffed(current, date, None, role)[-1:]],
    )


class Gap(NamedTuple):
    date: dt.date
    shift: str       # "all" for a missing commander
    role: str


def gaps(
    entries: Iterable[RosterEntry], start_date: dt.date, days: int,
    plan: ShiftPlan = DEFAULT_PLAN,
) -> list[Gap]:
    """Unfilled slots: each date needs a commander, each shift a leader and an officer."""
    current = effective(entries)
    missing: list[Gap] = []
    for i in range(days):
        date = start_date + i * _DAY
        if not _staffed(current, date, None, COMMANDER):
            missing.append(Gap(date, ALL_SHIFTS, COMMANDER))
        for shift in plan.names:
            for role in (SHIFT_LEADER, OFFICER):
                if not _staffed(current, date, shift, role):
                    missing.append(Gap(date, shift, role))
    return missing


def shift_at(at: dt.datetime, plan: ShiftPlan = DEFAULT_PLAN) -> tuple[dt.date, str]:
    return plan.shift_at(at)


def shift_bounds(
    date: dt.date, shift: str, plan: ShiftPlan = DEFAULT_PLAN
) -> tuple[dt.datetime, dt.datetime]:
    return plan.shift_bounds(date, shift)


def next_shift(date: dt.date, shift: str, plan: ShiftPlan = DEFAULT_PLAN) -> tuple[dt.date, str]:
    return plan.next_shift(date, shift)
