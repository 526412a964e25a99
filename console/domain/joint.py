"""Joint handling (联合执法 / 联勤联动): a lead department and co-handling departments.

The seeds: "对一些部门职责交叉、需多部门协同解决的城市综合管理难点问题，由街道城市网格化综合
管理中心协调派单，联合执法队和相关职能部门执法人员开展联合执法处置" — the "2+X" pattern: 城管
and 公安 lead, 市场监管 / 环保 / 文化 join.

A ticket dispatched jointly carries its lead in ``department_id`` (the lead handles, feeds
back and takes rework as any department does) and its co-handlers in ``co_handlers``: one
entry per department, ``{"department_id", "state", "result", "by", "at"}`` with state
``pending`` -> ``answered`` (its own feedback, 协办反馈) or ``released`` (the hall lets it go,
with a reason). 核查 waits until the lead's feedback is in (the ticket's state 已反馈) and no
co-handler is pending. The rules here are pure; ``console.domain.lifecycle`` calls them from
its table (dispatch's ``co_handlers`` parameter, the verbs ``co_feedback`` / ``release_co``
and the guard on ``verify``), so the desk and the platform apply the same ones.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from console.domain.model import Actor, Role, Ticket

PENDING = "pending"
ANSWERED = "answered"
RELEASED = "released"
CO_STATES = (PENDING, ANSWERED, RELEASED)
CO_STATE_ZH = {PENDING: "待反馈", ANSWERED: "已反馈", RELEASED: "已解除"}
#: the most co-handlers one ticket may carry (the "X" of 2+X is a handful of departments)
MAX_CO_HANDLERS = 8
MAX_ID = 64

#: the "2+X" joint-enforcement pattern: who leads, who joins (matched on department names)
LEAD_KINDS = ("城管", "公安", "派出所")
JOIN_KINDS = ("市场监管", "环保", "生态环境", "文化")


class Refused(Exception):
    """A joint-handling refusal: ``code`` is a lifecycle wire code, the message is for the officer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def shape_problem(value: Any) -> str | None:
    """What is wrong with a ``co_handlers`` dispatch parameter (a list of department ids), or None."""
    if not isinstance(value, (list, tuple)) or not value:
        return "协办部门须为非空的部门列表"
    if len(value) > MAX_CO_HANDLERS:
        return f"协办部门最多{MAX_CO_HANDLERS}个"
    for d in value:
        if not isinstance(d, str) or not d.strip() or len(d) > MAX_ID:
            return f"协办部门 {d!r} 不是部门编号"
    if len(set(value)) != len(value):
        return "协办部门不能重复"
    return None


def check_dispatch(lead: str | None, co_handlers: Any, departments: Mapping[str, str] | Collection[str]) -> None:
    """A joint dispatch names a lead that is a department and co-handlers that are other
    departments. ``departments``: the known department ids (or id -> name). Raises Refused.
    The desk asks before queueing the action and the platform before applying it."""
    if co_handlers is None:
        return
    if lead is None or (isinstance(lead, str) and not lead.strip()):
        raise Refused("missing_param", "联合派遣须指定牵头部门")
    if (problem := shape_problem(co_handlers)) is not None:
        raise Refused("invalid_param", problem)
    if lead not in departments:
        raise Refused("invalid_param", f"牵头部门 {lead} 不是已知的处置部门")
    for d in co_handlers:
        if d not in departments:
            raise Refused("invalid_param", f"协办单位 {d} 不是已知的处置部门")
        if d == lead:
            raise Refused("invalid_param", "牵头部门不能同时作为协办部门")


def dispatched(p: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """The co-handler entries a dispatch sets (none for a single-department dispatch)."""
    co = p.get("co_handlers")
    if not co:
        return ()
    if p.get("department_id") in co:
        raise Refused("invalid_param", "牵头部门不能同时作为协办部门")
    return tuple({"department_id": d, "state": PENDING, "result": None, "by": None, "at": None}
                 for d in co)


def _entry(t: Ticket, department_id: str) -> dict[str, Any]:
    for e in t.co_handlers:
        if e.get("department_id") == department_id:
            return e
    raise Refused("invalid_param", f"{department_id} 不是本工单的协办部门")


def _replace(t: Ticket, department_id: str, **changes: Any) -> tuple[dict[str, Any], ...]:
    return tuple({**e, **changes} if e.get("department_id") == department_id else e
                 for e in t.co_handlers)


def answer(t: Ticket, a: Actor, p: Mapping[str, Any], now: float) -> dict[str, Any]:
    """协办反馈: one co-handler reports its part. A department answers only for itself."""
    dept = p["department_id"]
    e = _entry(t, dept)
    if a.role == Role.DEPARTMENT and a.user_id != dept:
        raise Refused("forbidden_role", "协办部门只能提交本部门的反馈")
    if e.get("state") != PENDING:
        raise Refused("illegal_transition", f"协办部门 {dept} {CO_STATE_ZH.get(e.get('state'), '')}，不能再反馈")
    return {"co_handlers": _replace(t, dept, state=ANSWERED, result=p["result"], by=a.user_id, at=now)}


def release(t: Ticket, a: Actor, p: Mapping[str, Any], now: float) -> dict[str, Any]:
    """解除协办: the hall lets a co-handler go without its feedback (with a reason)."""
    dept = p["department_id"]
    e = _entry(t, dept)
    if e.get("state") != PENDING:
        raise Refused("illegal_transition", f"协办部门 {dept} {CO_STATE_ZH.get(e.get('state'), '')}，无需解除")
    return {"co_handlers": _replace(t, dept, state=RELEASED, result=p["reason"], by=a.user_id, at=now)}


def pending(t: Ticket) -> list[str]:
    """The co-handlers still owing their feedback."""
    return [e["department_id"] for e in t.co_handlers if e.get("state") == PENDING]


def has_pending_guard(t: Ticket, a: Actor) -> tuple[str, str] | None:
    if not pending(t):
        return "illegal_transition", "该工单没有待反馈的协办部门"
    return None


def verify_guard(t: Ticket, a: Actor) -> tuple[str, str] | None:
    """核查 waits for every co-handler to answer or be released."""
    waiting = pending(t)
    if waiting:
        return "illegal_transition", f"协办部门尚未反馈：{'、'.join(waiting)}（须反馈或解除协办后才能核查）"
    return None


def wire_problem(value: Any) -> str | None:
    """What is wrong with a ticket's ``co_handlers`` as it arrives on the feed, or None."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) > MAX_CO_HANDLERS:
        return "co_handlers must be a list of at most 8 entries"
    for e in value:
        if not isinstance(e, dict) or not isinstance(e.get("department_id"), str) \
                or not e["department_id"] or len(e["department_id"]) > MAX_ID \
                or e.get("state") not in CO_STATES:
            return "co_handlers entry must be {department_id, state: pending|answered|released}"
    return None


def two_plus_x(departments: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """The "2+X" team among ``departments`` (id -> name): lead ids (城管, 公安) and joining ids."""
    leads = [i for i, n in departments.items() if any(k in n for k in LEAD_KINDS)]
    joins = [i for i, n in departments.items() if any(k in n for k in JOIN_KINDS)]
    return leads, joins
