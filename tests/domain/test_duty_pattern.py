"""Duty patterns as data: 7×24 staffed shifts or 三班二运转 with the night handed to the
police station; patterns that overlap, leave a gap or miss a station are refused saying
what to fix; staffed shifts need the pattern's crew."""

import datetime as dt

import pytest

from console.domain import roster as R

THREE = {"kind": "three_crews_two_shifts", "night_station": "上钢新村派出所", "shifts": [
    {"name": "day", "start": "07:00", "end": "15:00"},
    {"name": "evening", "start": "15:00", "end": "23:00"},
    {"name": "night", "start": "23:00", "end": "07:00", "staffed": False}]}


def test_three_crews_two_shifts_hands_the_night_to_the_station():
    p = R.pattern_from_dict(THREE)
    assert p.kind == R.THREE_CREWS and p.label == "三班二运转"
    assert (p.officers_per_shift, p.crews, p.floaters) == (2, 3, 1)   # 每2人一组，1名机动
    assert p.handoff_shift.name == "night" and p.night_station == "上钢新村派出所"
    assert p.staffed("day") and not p.staffed("night")
    two_am = dt.datetime(2026, 11, 23, 2, tzinfo=R.SHANGHAI)
    assert p.plan.shift_at(two_am) == (dt.date(2026, 11, 22), "night")
    assert R.pattern_from_dict(p.to_dict()) == p   # survives the wire


def test_staffed_24h_is_the_default_and_may_use_other_times():
    p = R.pattern_from_dict({"shifts": [{"name": "day", "start": "08:00", "end": "20:00"},
                                        {"name": "night", "start": "20:00", "end": "08:00"}]})
    assert p.kind == R.STAFFED_24H and p.handoff_shift is None and p.officers_per_shift == 1
    assert p.plan.shift_at(dt.datetime(2026, 11, 23, 7, 59, tzinfo=R.SHANGHAI))[1] == "night"


@pytest.mark.parametrize("shifts, message", [
    ([("day", "07:00", "15:00"), ("evening", "16:00", "23:00"), ("night", "23:00", "07:00")],
     "班次之间有空档：白班15:00结束，中班16:00才开始"),
    ([("day", "07:00", "15:00"), ("evening", "14:00", "23:00"), ("night", "23:00", "07:00")],
     "班次重叠：白班到15:00结束，中班却从14:00开始"),
    ([("day", "07:00", "7:0x")], "白班结束时间须为“时:分”格式"),
    ([("day", "07:00", "07:00")], "白班开始与结束时间相同"),
    ([("day", "07:00", "15:00"), ("day", "15:00", "07:00")], "班次名称重复"),
])
def test_overlaps_and_gaps_are_refused_saying_what_to_fix(shifts, message):
    d = {"shifts": [{"name": n, "start": a, "end": b} for n, a, b in shifts]}
    with pytest.raises(R.PatternError) as exc:
        R.pattern_from_dict(d)
    assert message in str(exc.value)


@pytest.mark.parametrize("change, message", [
    ({"night_station": ""}, "须填写夜间接管图像监控的属地派出所"),
    ({"kind": "weekly"}, "未知的值班模式"),
    ({"crews": 1}, "至少需要2个班组"),
    ({"officers_per_shift": 0}, "officers_per_shift须为1到50之间的整数"),
    ({"kind": "staffed_24h"}, "7×24小时值守的每个班次都须有人值守"),
    ({"shifts": []}, "须列出班次"),
])
def test_bad_patterns_are_refused(change, message):
    with pytest.raises(R.PatternError) as exc:
        R.pattern_from_dict({**THREE, **change})
    assert message in str(exc.value)


def test_a_crew_with_too_few_officers_and_no_gaps_for_the_unstaffed_night():
    p = R.pattern_from_dict(THREE)
    d = dt.date(2026, 11, 23)
    entries = [R.RosterEntry("c", d, "all", "commander", "c1")]
    for shift, officers in (("day", ("o1", "o2")), ("evening", ("o3",))):
        entries.append(R.RosterEntry(f"{shift}-l", d, shift, "shift_leader", f"l-{shift}"))
        entries += [R.RosterEntry(f"{shift}-{o}", d, shift, "officer", o) for o in officers]
    assert R.crew_problems(entries, [d], p) == ["2026-11-23 中班：值班员1人，三班二运转每班至少2人，请补足"]
    assert R.gaps(entries, d, 1, p.plan) == []          # nobody is owed to the handed-off night
    assert R.gaps(entries, d, 1, R.DEFAULT_PLAN) == [R.Gap(d, "night", "shift_leader"),
                                                     R.Gap(d, "night", "officer")]
