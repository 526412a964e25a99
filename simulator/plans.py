"""The street's emergency plans (预案) the platform serves, kept as versioned entities.

Eight plans — 防汛防台, 火灾, 燃气泄漏, 大客流, 危化品, 公共卫生, 停水停电 and a general
plan — each starting with the Changning 2024 rule "5分钟推送现场视频、15分钟上线视频
会议" and the report upward, then the type's own steps. They go on the change feed as
kind ``plan`` on the first start; ``PUT /api/v1/plans/{id}`` (an administrator) stores
an edited plan as the next version after the same check the desks apply
(``console.domain.plans.parse``).
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import APIRouter, Depends, Request

from console.domain import plans as P
from simulator.errors import ApiError, responses

_COMMON = [
    {"id": "video", "text": "推送现场视频", "owner": "值班长", "limit_min": 5},
    {"id": "conference", "text": "上线视频会议", "owner": "值班长", "limit_min": 15, "after": ["video"]},
    {"id": "report", "text": "向区城运中心报告", "owner": "值班长", "limit_min": 30},
]
_TAIL = [
    {"id": "warning", "text": "发布预警信息", "owner": "值班长", "limit_min": 60},
    {"id": "written", "text": "书面续报", "owner": "指挥长", "limit_min": 120, "after": ["report"]},
]


def _plan(pid: str, kind: str, name: str, levels: list[str], steps: list[dict], call_in: list[dict],
          layout: str, rings: list[int], layers: list[str], templates: dict[str, str],
          lead: int | None = None, alarm_min: int | None = None) -> dict[str, Any]:
    return {"id": pid, "type": kind, "name": name, "version": 1, "levels": levels,
            "steps": copy.deepcopy(_COMMON) + steps + copy.deepcopy(_TAIL), "call_in": call_in,
            "cameras": [], "warning_templates": templates,
            "profile": {"wall_layout": layout, "ring_m": rings, "layers": layers,
                        "warning_lead_minutes": lead, "alarm_open_alert_minutes": alarm_min}}


def _who(name: str, role: str, phone: str) -> dict[str, str]:
    return {"name": name, "role": role, "phone": phone}


PLANS: list[dict[str, Any]] = [
    _plan("plan-flood", "flood", "防汛防台专项应急预案", ["I", "II", "III", "IV"], [
        {"id": "pumps", "text": "排水泵站、移动泵车就位", "owner": "水务所", "limit_min": 30},
        {"id": "underpass", "text": "下立交、低洼小区巡查封控", "owner": "城管中队", "limit_min": 30},
        {"id": "evacuate", "text": "危旧房屋、工地人员转移", "owner": "居民区书记", "limit_min": 60,
         "after": ["underpass"]},
    ], [_who("水务所值班", "水务", "021-58880101"), _who("城管中队值班", "城管", "021-58880102"),
        _who("各居民区书记", "居民区", "021-58880103")],
        "1+7", [300, 800, 1500], ["cameras", "sensors", "tickets", "resources"],
        {"blue": "{place}：受强降雨影响可能出现积水，请减少外出、远离低洼地带。",
         "yellow": "{place}：{title}，已出现积水，请勿涉水通行，地下车库车辆请及时移出。",
         "orange": "{place}：{title}，积水严重，请留在安全处所，听从现场人员指挥。",
         "red": "{place}：{title}，请立即按指引转移至安置点。"}, lead=240, alarm_min=5),
    _plan("plan-fire", "fire", "火灾事故应急预案", ["I", "II", "III", "IV"], [
        {"id": "fire119", "text": "确认已报119并引导消防车", "owner": "联勤联动站", "limit_min": 10},
        {"id": "cordon", "text": "现场警戒、疏散围观人员", "owner": "派出所", "limit_min": 15},
        {"id": "residents", "text": "楼内居民疏散与清点", "owner": "居民区书记", "limit_min": 30,
         "after": ["cordon"]},
    ], [_who("消防救援站", "消防", "119"), _who("派出所值班", "公安", "021-58880110")],
        "1+5", [100, 300, 800], ["cameras", "sensors"],
        {"yellow": "{place}发生火情，请绕行并关闭门窗。", "orange": "{place}：{title}，请附近居民按指引撤离。",
         "red": "{place}：{title}，请立即撤离至安全区域。"}, lead=180, alarm_min=5),
    _plan("plan-gas", "gas", "燃气泄漏应急预案", ["II", "III", "IV"], [
        {"id": "valve", "text": "通知燃气公司关阀抢修", "owner": "燃气公司", "limit_min": 15},
        {"id": "nofire", "text": "划定禁火区、疏散周边人员", "owner": "派出所", "limit_min": 20},
    ], [_who("燃气抢修热线", "燃气", "962777"), _who("派出所值班", "公安", "021-58880110")],
        "1+5", [50, 200, 500], ["cameras"],
        {"yellow": "{place}发生燃气泄漏，请勿动用明火、勿开关电器。", "orange": "{place}：{title}，请周边人员立即撤离。"}),
    _plan("plan-crowd", "crowd", "大客流应急预案", ["II", "III", "IV"], [
        {"id": "count", "text": "客流监测、限流点设置", "owner": "城管中队", "limit_min": 15},
        {"id": "transit", "text": "协调地铁、公交临时调度", "owner": "交通协管", "limit_min": 30},
    ], [_who("派出所值班", "公安", "021-58880110"), _who("地铁站值班", "交通", "021-58880120")],
        "4x4", [200, 500], ["cameras", "heat"],
        {"blue": "{place}人流较大，请错峰前往。", "yellow": "{place}：{title}，已实施限流，请勿前往。"}),
    _plan("plan-hazmat", "hazmat", "危险化学品事故应急预案", ["I", "II", "III"], [
        {"id": "source", "text": "查明化学品种类并报应急局", "owner": "安监所", "limit_min": 15},
        {"id": "downwind", "text": "下风向人员疏散", "owner": "居民区书记", "limit_min": 30, "after": ["source"]},
    ], [_who("区应急局值班", "应急", "021-58880130"), _who("安监所", "安监", "021-58880131")],
        "1+7", [300, 1000, 3000], ["cameras", "sensors", "resources"],
        {"orange": "{place}：{title}，请关闭门窗、听从指挥。", "red": "{place}：{title}，请立即向上风向撤离。"}),
    _plan("plan-health", "public_health", "突发公共卫生事件应急预案", ["I", "II", "III", "IV"], [
        {"id": "cdc", "text": "通知社区卫生服务中心、区疾控", "owner": "社区卫生服务中心", "limit_min": 30},
        {"id": "close", "text": "涉事场所管控", "owner": "城管中队", "limit_min": 60, "after": ["cdc"]},
    ], [_who("社区卫生服务中心", "卫生", "021-58880140")],
        "3x3", [500, 1000], ["tickets", "heat"],
        {"blue": "{place}出现{title}，请做好个人防护。", "yellow": "{place}：{title}，请配合流调与管控。"}),
    _plan("plan-utility", "utility", "停水停电应急预案", ["III", "IV"], [
        {"id": "utility", "text": "联系供水/供电抢修并确认恢复时间", "owner": "物业/供电所", "limit_min": 20},
        {"id": "vulnerable", "text": "独居老人、重点人群走访", "owner": "居民区书记", "limit_min": 60},
    ], [_who("供电抢修", "供电", "95598"), _who("供水热线", "供水", "962740")],
        "2x2", [500], ["tickets"],
        {"blue": "{place}：{title}，预计恢复时间另行通知。"}),
    _plan("plan-general", "general", "街道综合应急预案", ["I", "II", "III", "IV"], [
        {"id": "scene", "text": "联勤联动站到场核实", "owner": "联勤联动站", "limit_min": 20},
    ], [_who("联勤联动站", "联勤", "021-58880150")],
        "3x3", [300, 800], ["cameras", "sensors", "tickets", "resources"],
        {"blue": "{place}：{title}，请注意。", "yellow": "{place}：{title}，请绕行。",
         "orange": "{place}：{title}，请听从现场指挥。", "red": "{place}：{title}，请立即撤离。"}),
]


def seed_items() -> list[tuple[str, str, str, dict]]:
    """The feed items of the first start (every plan, version 1)."""
    for p in PLANS:
        P.parse(p)  # a bad built-in plan is a programming error
    return [("plan", p["id"], "upsert", copy.deepcopy(p)) for p in PLANS]


def register(auth) -> APIRouter:
    router = APIRouter()

    @router.get("/api/v1/plans", dependencies=[Depends(auth)], tags=["plans"])
    def list_plans(request: Request):
        """Every plan, newest version."""
        return {"plans": request.app.state.rt.store.entities("plan")}

    @router.put("/api/v1/plans/{plan_id}", dependencies=[Depends(auth)], responses=responses(401, 403, 422),
                tags=["plans"])
    def put_plan(plan_id: str, body: dict, request: Request):
        """Store an edited plan as the next version (the body's ``version`` is ignored). The
        body names its ``editor`` ({"user_id", "role"}): an administrator's account of this
        street, or 403 ``not_admin``; the version records who edited it."""
        rt = request.app.state.rt
        editor = body.get("editor") if isinstance(body.get("editor"), dict) else {}
        acc = rt.accounts.get(str(editor.get("user_id", "")))
        if acc is None or acc.disabled or acc.role != "admin" or str(editor.get("role")) != "admin":
            raise ApiError(403, "not_admin", "only an administrator of this street may edit a plan")
        with rt.store.write() as c:
            cur = rt.store.entity_in(c, "plan", plan_id)
            data = {**{k: v for k, v in body.items() if k != "editor"}, "id": plan_id,
                    "version": (int(cur["version"]) + 1) if cur else 1, "edited_by": acc.id}
            try:
                P.parse(data)
            except P.PlanError as exc:
                raise ApiError(422, "invalid_plan", str(exc)) from None
            rt.store.append(c, [("plan", plan_id, "upsert", data)], rt.clock.now())
        return {"id": plan_id, "version": data["version"]}
    return router
