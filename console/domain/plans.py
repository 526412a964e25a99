"""Emergency plans (预案) as data: what a plan holds and when a plan is usable.

The seeds ask the hall to keep its plans current ("各相关部门、各街(镇)围绕城市运行和
应急处置,及时更新各类预案") and to switch between normal and emergency duty smoothly
("健全反应灵敏、预警及时、响应迅速、转换流畅的城运值班“平战”转换工作机制"). A plan
comes from the district platform as a versioned document; ``parse`` checks it once,
for the platform (which refuses a bad edit) and for the desk (which quarantines a bad
feed item), with the same messages.

A plan: its incident ``type`` and ``name``, the response ``levels`` it knows (of
Ⅰ..Ⅳ, 四级响应), ``steps`` (checklist items with an ``owner``, a deadline in minutes
after the start and the steps they come ``after``; no loops), the ``call_in`` list,
the ``cameras`` and map ``layers`` that matter, ``warning_templates`` per warning
colour, and the ``profile`` the hall switches to (wall layout, ring, thresholds).
Qt-free.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: incident types with a plan; "general" is the plan for anything else
TYPES = ("flood", "fire", "gas", "crowd", "hazmat", "public_health", "utility", "general")
TYPE_ZH = {"flood": "防汛防台", "fire": "火灾", "gas": "燃气泄漏", "crowd": "大客流",
           "hazmat": "危化品", "public_health": "公共卫生", "utility": "停水停电", "general": "综合"}
#: response levels, most severe first (Ⅰ级 特别重大 .. Ⅳ级 一般)
LEVELS = ("I", "II", "III", "IV")
LEVEL_ZH = {"I": "Ⅰ级（特别重大）", "II": "Ⅱ级（重大）", "III": "Ⅲ级（较大）", "IV": "Ⅳ级（一般）"}
#: warning colours, least severe first (蓝 黄 橙 红)
WARNING_LEVELS = ("blue", "yellow", "orange", "red")
WARNING_ZH = {"blue": "蓝色", "yellow": "黄色", "orange": "橙色", "red": "红色"}
#: wall layouts a profile may ask for (views.video_layouts.LAYOUTS names)
WALL_LAYOUTS = ("1", "2x2", "3x3", "4x4", "1+5", "1+7")
#: map overlays a profile may switch on
MAP_LAYERS = ("tickets", "cameras", "sensors", "heat", "resources")
MAX_STEPS = 60


class PlanError(ValueError):
    """A plan that cannot be used (message for the officer or the plan editor)."""


@dataclass(frozen=True, slots=True)
class Step:
    id: str
    text: str
    owner: str
    limit_min: float | None  # minutes after the start; None: no deadline
    after: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Profile:
    wall_layout: str = "3x3"
    ring_m: tuple[float, ...] = (300.0, 800.0)
    layers: tuple[str, ...] = ("cameras", "sensors")
    warning_lead_minutes: int | None = None  # the ticket warning lead while it runs
    alarm_open_alert_minutes: int | None = None  # the alarm acknowledgement reminder


@dataclass(frozen=True, slots=True)
class Plan:
    id: str
    type: str
    name: str
    version: int
    levels: tuple[str, ...]
    steps: tuple[Step, ...]
    call_in: tuple[dict[str, str], ...] = ()
    cameras: tuple[str, ...] = ()
    warning_templates: dict[str, str] = field(default_factory=dict)
    profile: Profile = Profile()

    def step_order(self) -> list[Step]:
        """Steps in an order that respects ``after`` (stable otherwise)."""
        return _topological(self.steps)


def _str(d: dict, key: str, where: str) -> str:
    v = d.get(key)
    if not isinstance(v, str) or not v.strip():
        raise PlanError(f"{where}缺少{key}")
    return v.strip()


def _minutes(v: Any, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not (0 < v <= 7 * 24 * 60):
        raise PlanError(f"{where}的时限必须是1分钟到7天之间的分钟数")
    return float(v)


def _topological(steps: tuple[Step, ...]) -> list[Step]:
    by_id = {s.id: s for s in steps}
    done: dict[str, bool] = {}  # False: on the current path, True: placed
    out: list[Step] = []

    def visit(s: Step, path: list[str]) -> None:
        state = done.get(s.id)
        if state is True:
            return
        if state is False:
            loop = path[path.index(s.id):] + [s.id]
            raise PlanError("步骤存在循环依赖：" + " → ".join(by_id[x].text for x in loop))
        done[s.id] = False
        for a in s.after:
            visit(by_id[a], [*path, s.id])
        done[s.id] = True
        out.append(s)

    for s in steps:
        visit(s, [])
    return out


def _profile(d: Any) -> Profile:
    if d is None:
        return Profile()
    if not isinstance(d, dict):
        raise PlanError("预案的联动配置（profile）格式不对")
    layout = d.get("wall_layout", "3x3")
    if layout not in WALL_LAYOUTS:
        raise PlanError(f"未知的大屏布局：{layout}")
    rings = d.get("ring_m", [300, 800])
    if (not isinstance(rings, list) or not rings
            or any(isinstance(r, bool) or not isinstance(r, int | float) or not 0 < r <= 20000 for r in rings)):
        raise PlanError("影响范围圈（ring_m）必须是0到20000米之间的数值")
    layers = d.get("layers", ["cameras", "sensors"])
    bad = [x for x in layers if x not in MAP_LAYERS] if isinstance(layers, list) else [layers]
    if bad:
        raise PlanError(f"未知的地图图层：{', '.join(map(str, bad))}")

    def minutes(key: str) -> int | None:
        v = d.get(key)
        if v is None:
            return None
        if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= 1440:
            raise PlanError(f"{key}必须是1到1440之间的整数分钟")
        return v

    return Profile(layout, tuple(float(r) for r in sorted(rings)), tuple(layers),
                   minutes("warning_lead_minutes"), minutes("alarm_open_alert_minutes"))


def parse(d: Any) -> Plan:
    """The plan in ``d`` (its JSON form), or PlanError saying what is wrong."""
    if not isinstance(d, dict):
        raise PlanError("预案格式不对")
    pid = _str(d, "id", "预案")
    name = _str(d, "name", f"预案{pid}")
    where = f"预案“{name}”"
    kind = d.get("type")
    if kind not in TYPES:
        raise PlanError(f"{where}的事件类型未知：{kind}")
    version = d.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise PlanError(f"{where}缺少版本号")
    levels = d.get("levels")
    if not isinstance(levels, list) or not levels:
        raise PlanError(f"{where}没有响应等级")
    unknown = [lv for lv in levels if lv not in LEVELS]
    if unknown:
        raise PlanError(f"{where}的响应等级不存在：{', '.join(map(str, unknown))}（只有Ⅰ、Ⅱ、Ⅲ、Ⅳ级）")
    raw_steps = d.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        raise PlanError(f"{where}没有处置步骤")
    if len(raw_steps) > MAX_STEPS:
        raise PlanError(f"{where}的步骤超过{MAX_STEPS}项")
    steps: list[Step] = []
    for n, s in enumerate(raw_steps, start=1):
        if not isinstance(s, dict):
            raise PlanError(f"{where}第{n}步格式不对")
        text = _str(s, "text", f"{where}第{n}步")
        owner = s.get("owner")
        if not isinstance(owner, str) or not owner.strip():
            raise PlanError(f"{where}的步骤“{text}”没有责任人")
        after = s.get("after") or []
        if not isinstance(after, list) or not all(isinstance(a, str) for a in after):
            raise PlanError(f"{where}的步骤“{text}”的前置步骤格式不对")
        steps.append(Step(str(s.get("id") or n), text, owner.strip(),
                          _minutes(s.get("limit_min"), f"步骤“{text}”"), tuple(after)))
    ids = [s.id for s in steps]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise PlanError(f"{where}的步骤编号重复：{', '.join(dupes)}")
    for s in steps:
        missing = [a for a in s.after if a not in ids]
        if missing:
            raise PlanError(f"{where}的步骤“{s.text}”依赖不存在的步骤：{', '.join(missing)}")
    _topological(tuple(steps))
    templates = d.get("warning_templates") or {}
    if not isinstance(templates, dict) or any(k not in WARNING_LEVELS or not isinstance(v, str)
                                              for k, v in templates.items()):
        raise PlanError(f"{where}的预警模板只能按蓝、黄、橙、红四色给出文字")
    call_in = d.get("call_in") or []
    if not isinstance(call_in, list) or not all(isinstance(c, dict) and c.get("name") for c in call_in):
        raise PlanError(f"{where}的召集名单格式不对")
    cameras = d.get("cameras") or []
    if not isinstance(cameras, list) or not all(isinstance(c, str) for c in cameras):
        raise PlanError(f"{where}的监控列表格式不对")
    try:
        profile = _profile(d.get("profile"))
    except PlanError as exc:
        raise PlanError(f"{where}：{exc}") from None
    return Plan(pid, kind, name, version, tuple(levels), tuple(steps),
                tuple({k: str(v) for k, v in c.items()} for c in call_in), tuple(cameras),
                dict(templates), profile)


def check_level(plan: Plan, level: str) -> None:
    """PlanError unless ``level`` is one of the plan's response levels."""
    if level not in plan.levels:
        known = "、".join(LEVEL_ZH[lv] for lv in plan.levels)
        raise PlanError(f"预案“{plan.name}”没有{LEVEL_ZH.get(level, level)}响应（可选：{known}）")


def warning_text(plan: Plan, colour: str, place: str, title: str) -> str:
    """The plan's template for a warning of ``colour``, filled with the place and incident."""
    if colour not in WARNING_LEVELS:
        raise PlanError(f"预警级别只有蓝、黄、橙、红：{colour}")
    template = plan.warning_templates.get(colour) or "{place}发生{title}，请注意防范。"
    return template.replace("{place}", place or "本街道").replace("{title}", title)
