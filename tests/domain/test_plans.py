"""Emergency plans as data: the checks a plan passes before a desk or the platform uses it."""

from __future__ import annotations

import copy

import pytest

from console.domain import plans as P
from simulator.plans import PLANS


def flood() -> dict:
    return copy.deepcopy(next(p for p in PLANS if p["type"] == "flood"))


def test_the_platforms_eight_plans_are_valid_and_cover_every_type():
    parsed = [P.parse(p) for p in PLANS]
    assert sorted(p.type for p in parsed) == sorted(P.TYPES)
    for p in parsed:
        texts = [s.text for s in p.steps]
        assert texts[:2] == ["推送现场视频", "上线视频会议"]  # "5分钟推送现场视频、15分钟上线视频会议"
        assert p.steps[0].limit_min == 5 and p.steps[1].limit_min == 15
        assert all(s.owner for s in p.steps) and p.call_in
    fl = P.parse(flood())
    assert fl.name == "防汛防台专项应急预案" and fl.levels == ("I", "II", "III", "IV")
    assert fl.profile.wall_layout == "1+7" and fl.profile.ring_m == (300.0, 800.0, 1500.0)


def test_step_order_follows_after_and_a_loop_is_named():
    d = flood()
    order = [s.id for s in P.parse(d).step_order()]
    assert order.index("video") < order.index("conference")
    assert order.index("underpass") < order.index("evacuate")
    steps = {s["id"]: s for s in d["steps"]}
    steps["video"]["after"] = ["evacuate"]  # video → … → evacuate → underpass … and back
    steps["underpass"]["after"] = ["conference"]
    with pytest.raises(P.PlanError, match="循环依赖") as exc:
        P.parse(d)
    assert "推送现场视频" in str(exc.value) and "上线视频会议" in str(exc.value)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["steps"][3].pop("owner"), "“排水泵站、移动泵车就位”没有责任人"),
    (lambda d: d["steps"][3].update(owner="  "), "没有责任人"),
    (lambda d: d.update(levels=["III", "V"]), "响应等级不存在：V"),
    (lambda d: d.update(levels=[]), "没有响应等级"),
    (lambda d: d.update(type="meteor"), "事件类型未知"),
    (lambda d: d["steps"][4].update(after=["nope"]), "依赖不存在的步骤：nope"),
    (lambda d: d["steps"][4].update(id="video"), "步骤编号重复：video"),
    (lambda d: d["steps"][0].update(limit_min=-5), "时限"),
    (lambda d: d["profile"].update(wall_layout="5x5"), "未知的大屏布局"),
    (lambda d: d["warning_templates"].update(purple="x"), "蓝、黄、橙、红"),
    (lambda d: d.pop("version"), "版本号"),
])
def test_a_bad_plan_gets_a_clear_message(change, message):
    d = flood()
    change(d)
    with pytest.raises(P.PlanError, match=message):
        P.parse(d)


def test_level_and_warning_text_come_from_the_plan():
    gas = P.parse(copy.deepcopy(next(p for p in PLANS if p["type"] == "gas")))
    P.check_level(gas, "III")
    with pytest.raises(P.PlanError, match="没有Ⅰ级（特别重大）响应"):
        P.check_level(gas, "I")
    text = P.warning_text(P.parse(flood()), "yellow", "浦明路", "暴雨积水")
    assert text.startswith("浦明路：暴雨积水，已出现积水")
    with pytest.raises(P.PlanError):
        P.warning_text(gas, "green", "x", "y")
