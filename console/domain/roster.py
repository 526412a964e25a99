"""Duty roster (值班表): shifts, duty patterns, who is on duty, and holes in the plan.

A street chooses its duty pattern (:class:`DutyPattern`, data from the platform):
7×24 staffed shifts (the Lujiazui plan: "按照7×24小时全时段运行的工作模式配备"), or
三班二运转 (the grid-centre plan: "值班员7名（每2人一组，1名机动）…上午7:00至下午15:00；
下午15:00至晚上23:00。晚上23:00至次日上午7:00，转接属地派出所负责实时图像监控"): three crews
of two officers plus a floater over two staffed shifts, the night unstaffed and its
live video watch handed to the local police station. Either way the shifts tile the
day in Asia/Shanghai (default: day 07-15, evening 15-23, night 23-07). A shift belongs to the date it starts on, so 02:00 on the 23rd is
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
    staffed: bool = True  # False: nobody in the hall (the night of 三班二运转)


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
        for shift in (s.name for s in plan.shifts if s.staffed):
            for role in (SHIFT_LEADER, OFFICER):
                if not _staffed(current, date, shift, role):
                    missing.append(Gap(date, shift, role))
    return missing


_SLOT_ZH = {COMMANDER: "指挥长", SHIFT_LEADER: "值班长", OFFICER: "值班员",
            EXECUTIVE_DEPUTY: "常务副指挥长", DEPUTY: "副指挥长"}


def swap_refusal(entries: Iterable[RosterEntry], old: RosterEntry, person_id: str,
                 known: Iterable[str]) -> str | None:
    """Why ``person_id`` may not take ``old``'s slot (zh_CN, says what to fix); None when
    they may. ``known``: the ids of the people who can be rostered (the street's accounts).

    Refused: a swap with the person already in the slot; someone not on the roster's list
    of people; and a swap that empties another slot of the same shift, because the person
    already serves there (a shift's leader cannot also be its officer, the day's commander
    cannot also be a deputy): command or crew coverage would be left empty.
    """
    person_id = person_id.strip()
    if not person_id:
        return "请填写接替人员"
    if person_id == old.person_id:
        return "不能与自己调班：请选择另一位值班人员"
    if person_id not in set(known):
        return f"{person_id} 不在排班人员名单中：请选择名单中的人员"
    for e in effective(entries):
        if e.id != old.id and e.person_id == person_id and e.date == old.date and e.shift == old.shift:
            held = _SLOT_ZH.get(e.role, e.role)
            return (f"{e.name or person_id} 当班已担任{held}，调班会让{held}无人：请先为该岗位安排他人")
    return None


# -- duty patterns (值班模式) ---------------------------------------------------------------

STAFFED_24H, THREE_CREWS = "staffed_24h", "three_crews_two_shifts"
PATTERN_ZH = {STAFFED_24H: "7×24小时值守", THREE_CREWS: "三班二运转"}
SHIFT_ZH = {"day": "白班", "evening": "中班", "night": "夜班"}


class PatternError(ValueError):
    """A duty pattern or roster that cannot be used; the message says what to fix (zh_CN)."""


@dataclass(frozen=True)
class DutyPattern:
    """How a street staffs its hall: the shifts of a duty date (``plan``), how many
    officers a staffed shift needs, crews and floaters (三班二运转), and the police station
    that holds the live video watch while the hall is unstaffed."""

    kind: str = STAFFED_24H
    plan: ShiftPlan = DEFAULT_PLAN
    officers_per_shift: int = 1
    crews: int = 0            # 三班二运转: 3
    floaters: int = 0         # 三班二运转: 1 (机动)
    night_station: str = ""   # 转接属地派出所: who holds the video watch at night

    @property
    def handoff_shift(self) -> Shift | None:
        """The unstaffed shift whose video watch goes to the police station (or None)."""
        return next((s for s in self.plan.shifts if not s.staffed), None)

    @property
    def label(self) -> str:
        return PATTERN_ZH.get(self.kind, self.kind)

    def staffed(self, shift: str) -> bool:
        return self.plan._shift(shift).staffed

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label,
                "shifts": [{"name": s.name, "start": f"{s.start:%H:%M}", "end": f"{s.end:%H:%M}",
                            "staffed": s.staffed} for s in self.plan.shifts],
                "officers_per_shift": self.officers_per_shift, "crews": self.crews,
                "floaters": self.floaters, "night_station": self.night_station}


DEFAULT_PATTERN = DutyPattern()
#: the grid-centre plan's pattern (the demo street's)
THREE_CREWS_PATTERN = DutyPattern(
    kind=THREE_CREWS,
    plan=ShiftPlan((Shift("day", dt.time(7), dt.time(15)), Shift("evening", dt.time(15), dt.time(23)),
                    Shift("night", dt.time(23), dt.time(7), staffed=False))),
    officers_per_shift=2, crews=3, floaters=1, night_station="属地派出所")


def _clock(v: Any, what: str) -> dt.time:
    if not isinstance(v, str):
        raise PatternError(f"{what}须为“时:分”格式（如07:00），现为{v!r}")
    h, sep, m = v.strip().partition(":")
    try:
        if not sep or not h.isdigit() or not m.isdigit():
            raise ValueError
        return dt.time(int(h), int(m))
    except ValueError:
        raise PatternError(f"{what}须为“时:分”格式（如07:00），现为{v!r}") from None


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def pattern_from_dict(d: Any) -> DutyPattern:
    """A duty pattern from its data (the platform's ``duty_pattern`` or configuration);
    raises PatternError saying what to fix: shifts that overlap or leave a gap, an
    unknown kind, a 三班二运转 without an unstaffed night or a station to hand it to."""
    if not isinstance(d, dict):
        raise PatternError("值班模式须为对象")
    kind = d.get("kind", STAFFED_24H)
    if kind not in PATTERN_ZH:
        raise PatternError(f"未知的值班模式{kind!r}，可选：{'、'.join(PATTERN_ZH)}")
    raw = d.get("shifts")
    if not isinstance(raw, list) or not raw:
        raise PatternError("值班模式须列出班次（名称、开始、结束）")
    shifts = []
    for i, r in enumerate(raw):
        if not isinstance(r, dict) or not isinstance(r.get("name"), str) or not r["name"].strip():
            raise PatternError(f"第{i + 1}个班次缺少名称")
        label = SHIFT_ZH.get(r["name"], r["name"])
        start, end = _clock(r.get("start"), f"{label}开始时间"), _clock(r.get("end"), f"{label}结束时间")
        if start == end:
            raise PatternError(f"{label}开始与结束时间相同")
        shifts.append(Shift(r["name"].strip(), start, end, bool(r.get("staffed", True))))
    if len({s.name for s in shifts}) != len(shifts):
        raise PatternError("班次名称重复")
    covered = sum((_minutes(s.end) - _minutes(s.start)) % 1440 for s in shifts)
    for s, nxt in zip(shifts, shifts[1:] + shifts[:1]):
        a, b = SHIFT_ZH.get(s.name, s.name), SHIFT_ZH.get(nxt.name, nxt.name)
        if s.end != nxt.start:
            gap = (_minutes(nxt.start) - _minutes(s.end)) % 1440
            if covered > 1440 or gap > 720:
                raise PatternError(f"班次重叠：{a}到{s.end:%H:%M}结束，{b}却从{nxt.start:%H:%M}开始")
            raise PatternError(f"班次之间有空档：{a}{s.end:%H:%M}结束，{b}{nxt.start:%H:%M}才开始")
    if covered != 1440:
        raise PatternError(f"班次合计{covered / 60:g}小时，须正好覆盖24小时")
    try:
        plan = ShiftPlan(tuple(shifts))
    except ValueError:
        raise PatternError("班次须按开始时间排列，且只有最后一个班次可以跨过午夜") from None
    def count(key: str, default: int, lo: int) -> int:
        v = d.get(key, default)
        if isinstance(v, bool) or not isinstance(v, int) or not lo <= v <= 50:
            raise PatternError(f"{key}须为{lo}到50之间的整数，现为{v!r}")
        return v
    officers = count("officers_per_shift", 2 if kind == THREE_CREWS else 1, 1)
    crews = count("crews", 3 if kind == THREE_CREWS else 0, 0)
    floaters = count("floaters", 1 if kind == THREE_CREWS else 0, 0)
    station = str(d.get("night_station") or "").strip()
    unstaffed = [s for s in shifts if not s.staffed]
    if kind == STAFFED_24H and unstaffed:
        raise PatternError("7×24小时值守的每个班次都须有人值守；夜间转接派出所请选三班二运转")
    if kind == THREE_CREWS:
        if len(unstaffed) != 1:
            raise PatternError("三班二运转须有且只有一个无人值守的班次（夜间转接属地派出所）")
        if not station:
            raise PatternError("三班二运转须填写夜间接管图像监控的属地派出所")
        if crews < 2:
            raise PatternError("三班二运转至少需要2个班组轮换")
    return DutyPattern(kind, plan, officers, crews, floaters, station)


def crew_problems(entries: Iterable[RosterEntry], dates: Iterable[dt.date],
                  pattern: DutyPattern) -> list[str]:
    """Staffed shifts with fewer officers than the pattern needs (zh_CN, what to fix)."""
    current = effective(entries)
    out = []
    for date in dates:
        for s in pattern.plan.shifts:
            if not s.staffed:
                continue
            n = len({e.person_id for e in _staffed(current, date, s.name, OFFICER)})
            if n < pattern.officers_per_shift:
                out.append(f"{date.isoformat()} {SHIFT_ZH.get(s.name, s.name)}：值班员{n}人，"
                           f"{pattern.label}每班至少{pattern.officers_per_shift}人，请补足")
    return out


def shift_at(at: dt.datetime, plan: ShiftPlan = DEFAULT_PLAN) -> tuple[dt.date, str]:
    return plan.shift_at(at)


def shift_bounds(
    date: dt.date, shift: str, plan: ShiftPlan = DEFAULT_PLAN
) -> tuple[dt.datetime, dt.datetime]:
    return plan.shift_bounds(date, shift)


def next_shift(date: dt.date, shift: str, plan: ShiftPlan = DEFAULT_PLAN) -> tuple[dt.date, str]:
    return plan.next_shift(date, shift)
