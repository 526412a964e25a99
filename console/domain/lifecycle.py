"""The ticket state machine (受理 -> 立案 -> 派遣 -> 处置 -> 反馈 -> 核查 -> 结案 -> 存档).

One table, ``RULES``, says for every verb from which states, by which roles, with
which parameters it may run, plus an optional guard and the effect. ``apply`` is a
pure function of its inputs (the event id too is derived, not random): the district
simulator applies it server-side and a workstation applies it optimistically while
offline, and both must arrive at the identical ticket and audit event.
"""

from __future__ import annotations

import dataclasses
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from console.domain import joint, timelimits, urge_levels
from console.domain.model import (
    OPEN_STATES,
    Action,
    Actor,
    AuditEvent,
    Role,
    Ticket,
    TicketState,
)
from console.domain.timelimits import DEFAULT_CALENDAR, WorkCalendar

S = TicketState
#: Namespace of audit event ids: event ``v`` of a ticket is the same record everywhere.
EVENT_NAMESPACE = uuid.UUID("6f0c1f5e-3b1a-4c55-9d2e-2f6c1c6a7e10")
MAX_TEXT = 2000
MAX_EXTENSION_HOURS = 720.0
_SHA256 = re.compile(r"[0-9a-f]{64}")

_STATE_ZH = {
    S.PENDING: "待受理", S.ACCEPTED: "已受理", S.REGISTERED: "已立案", S.DISPATCHED: "已派遣",
    S.HANDLING: "处置中", S.FEEDBACK: "已反馈", S.VERIFIED: "已核查", S.CLOSED: "已结案",
    S.ARCHIVED: "已存档", S.SUSPENDED: "挂账中", S.RETURNED: "已退单",
}
_ACTION_ZH = {
    Action.CREATE: "新建", Action.ACCEPT: "受理", Action.REGISTER: "立案", Action.DISPATCH: "派遣",
    Action.HANDLE: "处置", Action.FEEDBACK: "反馈", Action.VERIFY: "核查",
    Action.SECOND_REVIEW: "双审", Action.CLOSE: "结案", Action.ARCHIVE: "存档",
    Action.RETURN: "退单", Action.REQUEST_EXTENSION: "申请延期",
    Action.APPROVE_EXTENSION: "批准延期", Action.DENY_EXTENSION: "驳回延期",
    Action.SUSPEND: "挂账", Action.RESUME: "恢复", Action.URGE: "督办",
    Action.ESCALATE: "上提一级", Action.LEADER_DISPATCH: "领导派单", Action.INSTRUCT: "批示",
    Action.SELF_HANDLE: "自行处置", Action.SET_KEY_SUPERVISION: "设置重点监管",
    Action.ANNOTATE: "备注", Action.MERGE: "并案", Action.UNMERGE: "撤销并案",
    Action.CLOSE_WITH_MAIN: "随主单办结", Action.CO_FEEDBACK: "协办反馈", Action.RELEASE_CO: "解除协办",
}
_ROLE_ZH = {
    Role.OFFICER: "平台信息员", Role.SHIFT_LEADER: "平台值班长", Role.COMMANDER: "轮值指挥长",
    Role.ADMIN: "系统管理员", Role.DEPARTMENT: "处置部门", Role.DISTRICT: "区城运平台",
    Role.SYSTEM: "系统",
}
_PARAM_ZH = {
    "department_id": "处置部门", "reason": "原因", "result": "处置结果", "text": "内容",
    "hours": "延期时长", "passed": "核查结论", "on": "重点监管开关", "photo": "现场照片",
    "note": "备注", "authority": "决策权限", "main_id": "主单", "on_time": "是否按期",
    "co_handlers": "协办部门",
    "level": "督办层级", "target": "督办对象", "checked": "结案标准勾选",
}
_TEXT_PARAMS = frozenset({"department_id", "reason", "result", "text", "note", "authority", "main_id",
                          "target"})
_BOOL_PARAMS = frozenset({"passed", "on", "on_time"})


class TransitionError(Exception):
    """A refused action. ``code`` is the wire code, the message is for the officer."""

    CODES = frozenset({"illegal_transition", "forbidden_role", "missing_param", "invalid_param",
                       # console.domain.authz
                       "not_on_duty", "other_street", "no_command_authority", "unknown_verb",
                       # local: the officer's form was made from an older version (hall mode)
                       "changed_meanwhile"})

    def __init__(self, code: str, message: str) -> None:
        if code not in self.CODES:
            raise ValueError(f"unknown transition error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message


class ChangedMeanwhile(TransitionError):
    """Someone else acted on the ticket after the officer's form was opened: their
    action stands, this one is not applied (the form is kept for a second look)."""

    def __init__(self, message: str, *, by_name: str, by_workstation: str, by_action: str) -> None:
        super().__init__("changed_meanwhile", message)
        self.by_name = by_name
        self.by_workstation = by_workstation
        self.by_action = by_action


def changed_meanwhile(ticket: Ticket, seen_version: int | None, action: Action,
                      last_actor: dict[str, Any] | None, last_action: str | None) -> ChangedMeanwhile | None:
    """The rule for two officers acting on one ticket at the same moment: an action
    applies only to the version of the ticket its officer saw. The first to commit
    wins; the other is told who did what. ``last_actor`` / ``last_action`` are the
    newest event of the ticket (the one that moved it past ``seen_version``)."""
    if seen_version is None or ticket.version == seen_version:
        return None
    who = last_actor or {}
    name = str(who.get("name") or who.get("user_id") or "平台")
    desk = str(who.get("workstation") or "")
    try:
        done = _ACTION_ZH[Action(last_action)]
    except (ValueError, KeyError):
        done = "更新"
    where = f"（{desk}）" if desk else ""
    return ChangedMeanwhile(
        f"{name}{where}刚刚{done}了此工单，您的{_ACTION_ZH.get(action, action.value)}未执行；"
        f"表单内容已保留，请查看最新状态后再决定。",
        by_name=name, by_workstation=desk, by_action=done)


Changes = dict[str, Any]
Effect = Callable[[Ticket, Actor, Mapping[str, Any], float, WorkCalendar], Changes]
Guard = Callable[[Ticket, Actor], "tuple[str, str] | None"]


@dataclass(frozen=True)
class Rule:
    sources: frozenset[TicketState]
    roles: frozenset[Role]
    effect: Effect
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ("note",)
    guard: Guard | None = None


# -- effects: what each verb changes (the state machine proper) ----------------------

def _to(state: TicketState) -> Effect:
    return lambda t, a, p, now, cal: {"state": state}


def _clear_commander(t: Ticket, only: str | None = None) -> Changes:
    if only is not None and t.commander_reason != only:
        return {}
    return {"needs_commander": False, "commander_reason": ""}


def _finish(t: Ticket) -> Changes:
    """Done states leave nothing waiting on the commander."""
    return {"extension_request": None, **_clear_commander(t)}


def _with_photo(t: Ticket, p: Mapping[str, Any]) -> Changes:
    photo = p.get("photo")
    if photo is None or photo in t.attachments:
        return {}
    return {"attachments": t.attachments + (photo,)}


def _register(t, a, p, now, cal):
    return {"state": S.REGISTERED, "clock_start": now if t.clock_start is None else t.clock_start}


def _dispatch(t, a, p, now, cal):
    return {"state": S.DISPATCHED, "department_id": p["department_id"],
            "co_handlers": joint.dispatched(p)}


def _feedback(t, a, p, now, cal):
    return {"state": S.FEEDBACK, **_with_photo(t, p)}


def _verify(t, a, p, now, cal):
    if p["passed"]:
        return {"state": S.VERIFIED, "verified_by": a.user_id}
    # A self-handled ticket has no department to send the rework to: it goes back to 立案.
    back = S.DISPATCHED if t.department_id else S.REGISTERED
    return {"state": back, "rework_count": t.rework_count + 1}


def _second_review(t, a, p, now, cal):
    return {"reviewed_by": a.user_id}


def _close(t, a, p, now, cal):
    deadline = timelimits.compute_deadline(t, cal)
    return {"state": S.CLOSED, "closed_at": now,
            "closed_on_time": deadline is None or now <= deadline, **_finish(t)}


def _return(t, a, p, now, cal):
    if t.state in (S.DISPATCHED, S.HANDLING):  # the department hands it back to the hall
        return {"state": S.REGISTERED, "department_id": None, "co_handlers": ()}
    return {"state": S.RETURNED, **_finish(t)}


def _request_extension(t, a, p, now, cal):
    request = {"hours": p["hours"], "reason": p["reason"], "by": a.user_id, "at": now}
    return {"extension_request": request, "needs_commander": True,
            "commander_reason": "extension"}


def _approve_extension(t, a, p, now, cal):
    return {"extension_hours": t.extension_hours + t.extension_request["hours"],
            "extension_request": None, **_clear_commander(t, "extension")}


def _deny_extension(t, a, p, now, cal):
    return {"extension_request": None, **_clear_commander(t, "extension")}


def _suspend(t, a, p, now, cal):
    return {"state": S.SUSPENDED, "suspended_since": now, "resume_state": t.state}


def _resume(t, a, p, now, cal):
    return {"state": t.resume_state, "suspended_since": None, "resume_state": None,
            "suspended_seconds": t.suspended_seconds + timelimits.paused_seconds(t, now, cal)}


def _merge(t, a, p, now, cal):
    """并案: the ticket follows the main ticket; its own clock pauses (as in 挂账) until it is
    undone or closes with the main."""
    if p["main_id"] == t.id:
        raise TransitionError("invalid_param", "不能把工单并入它自己")
    return {**_suspend(t, a, p, now, cal), "duplicate_of": p["main_id"]}


def _unmerge(t, a, p, now, cal):
    back = _resume(t, a, p, now, cal)
    if t.clock_start is None:  # merged before 立案: no clock was paused
        back["suspended_seconds"] = t.suspended_seconds
    return {**back, "duplicate_of": None}


def _close_with_main(t, a, p, now, cal):
    if p["main_id"] != t.duplicate_of:
        raise TransitionError("invalid_param", "主单与并案记录不符")
    return {"state": S.CLOSED, "closed_at": now, "suspended_since": None, "resume_state": None,
            "closed_on_time": bool(p.get("on_time", True)), **_finish(t)}


def _merge_guard(t: Ticket, a: Actor):
    if t.duplicate_of is not None:
        return "illegal_transition", "该工单已并入另一工单"
    return None


def _merged_guard(t: Ticket, a: Actor):
    if t.duplicate_of is None:
        return "illegal_transition", "该工单未并案"
    return None


def _not_merged_guard(t: Ticket, a: Actor):
    if t.duplicate_of is not None:
        return "illegal_transition", "该工单已并案，随主单办结；如需单独办理请先撤销并案"
    return None


def check_main(ticket_id: str, main: Ticket | None, main_id: str) -> None:
    """The main ticket a duplicate is merged into (并案) must exist, be open and not itself
    follow another; raises TransitionError saying which. The desk and the platform both ask."""
    if main_id == ticket_id:
        raise TransitionError("invalid_param", "不能把工单并入它自己")
    if main is None:
        raise TransitionError("invalid_param", f"主单 {main_id} 不存在")
    label = main.number or main.id[:8]
    if not main.is_open:
        raise TransitionError("invalid_param", f"主单 {label} 已{_STATE_ZH[main.state]}，不能再并入")
    if main.duplicate_of is not None:
        raise TransitionError("invalid_param", f"主单 {label} 本身已并入另一工单，请并入那张工单")


def _urge(t, a, p, now, cal):
    if (problem := urge_levels.params_problem(p)) is not None:  # 督办 by level
        raise TransitionError("missing_param", problem)
    return {"urge_count": t.urge_count + 1, **urge_levels.changes(p)}


def _escalate(t, a, p, now, cal):
    return {"escalation_level": t.escalation_level + 1, "needs_commander": True,
            "commander_reason": "escalate"}


def _leader_dispatch(t, a, p, now, cal):
    return {"needs_commander": True, "commander_reason": "leader_dispatch"}


def _instruct(t, a, p, now, cal):
    pending = t.extension_request is not None  # still waits for approve/deny
    changes = {"needs_commander": pending, "commander_reason": "extension" if pending else ""}
    if p.get("department_id") and t.state == S.REGISTERED:
        changes.update(state=S.DISPATCHED, department_id=p["department_id"])
    return changes


def _self_handle(t, a, p, now, cal):
    return {"state": S.FEEDBACK, **_with_photo(t, p),
            "clock_start": now if t.clock_start is None else t.clock_start}


def _key_supervision(t, a, p, now, cal):
    return {"key_supervision": p["on"]}


def _annotate(t, a, p, now, cal):
    return {}


# -- guards: preconditions beyond state and role --------------------------------------

def _second_review_guard(t: Ticket, a: Actor):
    if t.reviewed_by is not None:
        return "illegal_transition", "该工单已完成双审"
    if t.verified_by == a.user_id:
        return "forbidden_role", "双审须由核查人以外的另一人完成"
    return None


def _close_guard(t: Ticket, a: Actor):
    if t.verified_by is None or t.reviewed_by is None:
        return "illegal_transition", "结案前须完成核查和双审"
    return None


def _no_request_guard(t: Ticket, a: Actor):
    if t.extension_request is not None:
        return "illegal_transition", "已有待审批的延期申请"
    return None


def _request_guard(t: Ticket, a: Actor):
    if t.extension_request is None:
        return "illegal_transition", "没有待审批的延期申请"
    return None


# -- the table ----------------------------------------------------------------------

HALL = frozenset({Role.OFFICER, Role.SHIFT_LEADER, Role.COMMANDER, Role.DISTRICT})
SUPERVISORS = frozenset({Role.SHIFT_LEADER, Role.COMMANDER, Role.DISTRICT})
REVIEWERS = frozenset({Role.SHIFT_LEADER, Role.COMMANDER})
DEPARTMENT = frozenset({Role.DEPARTMENT, Role.DISTRICT})
COMMANDER = frozenset({Role.COMMANDER})
_OPEN = frozenset(OPEN_STATES)
_ANY = frozenset(TicketState)
_PRE_DISPATCH = frozenset({S.PENDING, S.ACCEPTED, S.REGISTERED})
_IN_HAND = frozenset({S.DISPATCHED, S.HANDLING})
_JOINT = frozenset({S.DISPATCHED, S.HANDLING, S.FEEDBACK})


def _states(*states: TicketState) -> frozenset[TicketState]:
    return frozenset(states)


_NOTE = ("note",)
_REASON_NOTE = ("reason", "note")

RULES: dict[Action, tuple[Rule, ...]] = {
    # verb: (Rule(from states, roles, effect, required params, optional params, guard), ...)
    Action.ACCEPT: (Rule(_states(S.PENDING), HALL, _to(S.ACCEPTED)),),
    Action.REGISTER: (Rule(_states(S.ACCEPTED), HALL, _register),),
    Action.DISPATCH: (Rule(_states(S.REGISTERED), HALL, _dispatch, ("department_id",),
                           ("co_handlers", "note")),),
    Action.HANDLE: (Rule(_states(S.DISPATCHED), DEPARTMENT, _to(S.HANDLING)),),
    Action.FEEDBACK: (Rule(_states(S.HANDLING), DEPARTMENT, _feedback, ("result",),
                           ("photo", "note")),),
    Action.VERIFY: (Rule(_states(S.FEEDBACK), HALL, _verify, ("passed",), ("note", "checked"),
                         guard=joint.verify_guard),),
    Action.SECOND_REVIEW: (Rule(_states(S.VERIFIED), REVIEWERS, _second_review,
                                guard=_second_review_guard),),
    Action.CLOSE: (Rule(_states(S.VERIFIED), HALL, _close, guard=_close_guard),),
    Action.ARCHIVE: (Rule(_states(S.CLOSED), HALL | {Role.SYSTEM}, _to(S.ARCHIVED)),),
    Action.RETURN: (Rule(_PRE_DISPATCH, HALL, _return, ("reason",)),
                    Rule(_IN_HAND, DEPARTMENT, _return, ("reason",))),
    Action.REQUEST_EXTENSION: (Rule(_IN_HAND, HALL | DEPARTMENT, _request_extension,
                                    ("hours", "reason"), _NOTE, _no_request_guard),),
    Action.APPROVE_EXTENSION: (Rule(_OPEN, SUPERVISORS, _approve_extension, (),
                                    ("note", "authority"), _request_guard),),
    Action.DENY_EXTENSION: (Rule(_OPEN, SUPERVISORS, _deny_extension, (),
                                 (*_REASON_NOTE, "authority"), _request_guard),),
    Action.SUSPEND: (Rule(_states(S.REGISTERED, S.DISPATCHED, S.HANDLING), SUPERVISORS,
                          _suspend, ("reason",)),),
    Action.RESUME: (Rule(_states(S.SUSPENDED), SUPERVISORS, _resume, guard=_not_merged_guard),),
    Action.URGE: (Rule(_OPEN, HALL, _urge, (), ("note", "level", "target")),),
    Action.ESCALATE: (Rule(_OPEN, HALL, _escalate, (), _REASON_NOTE),),
    Action.LEADER_DISPATCH: (Rule(_OPEN, HALL, _leader_dispatch, (), _REASON_NOTE),),
    # "authority": the command the decision was made under (console.domain.command),
    # e.g. "代行指挥长职责（常务副指挥长）"; recorded on the event, checked by the platform
    Action.INSTRUCT: (Rule(_OPEN, COMMANDER, _instruct, ("text",), ("department_id", "authority")),),
    Action.SELF_HANDLE: (Rule(_PRE_DISPATCH, HALL, _self_handle, ("photo",),
                              ("result", "note")),),
    Action.SET_KEY_SUPERVISION: (Rule(_OPEN, HALL, _key_supervision, ("on",), _REASON_NOTE),),
    Action.ANNOTATE: (Rule(_ANY, HALL, _annotate, ("text",), ()),),
    # 并案 before dispatch: several citizens report the same problem; the others follow the main
    # ticket (the operation and the platform check the main: open, in the store, not a duplicate)
    Action.MERGE: (Rule(_PRE_DISPATCH, HALL, _merge, ("main_id",), _NOTE, _merge_guard),),
    Action.UNMERGE: (Rule(_states(S.SUSPENDED), HALL, _unmerge, (), _NOTE, _merged_guard),),
    Action.CLOSE_WITH_MAIN: (Rule(_states(S.SUSPENDED), frozenset({Role.SYSTEM, Role.DISTRICT}),
                                  _close_with_main, ("main_id",), ("on_time", "note"), _merged_guard),),
    # joint handling (console.domain.joint): each co-handler answers for itself, or is released
    Action.CO_FEEDBACK: (Rule(_JOINT, DEPARTMENT, lambda t, a, p, now, cal: joint.answer(t, a, p, now),
                              ("department_id", "result"), _NOTE, joint.has_pending_guard),),
    Action.RELEASE_CO: (Rule(_JOINT, HALL, lambda t, a, p, now, cal: joint.release(t, a, p, now),
                             ("department_id", "reason"), _NOTE, joint.has_pending_guard),),
}


# -- checks ---------------------------------------------------------------------------

def _check(ticket: Ticket, action: Action, actor: Actor) -> TransitionError | None:
    """State, role and guard checks: everything that does not depend on parameters."""
    rules = RULES.get(action)
    name = _ACTION_ZH[action]
    if rules is None:
        return TransitionError("illegal_transition", f"{name}不是对已有工单的操作")
    role = actor.role
    role_name = _ROLE_ZH.get(role, str(role))
    if not any(role in r.roles for r in rules):
        return TransitionError("forbidden_role", f"{role_name}无权{name}")
    rule = next((r for r in rules if ticket.state in r.sources), None)
    state_name = _STATE_ZH[ticket.state]
    if rule is None:
        return TransitionError("illegal_transition", f"工单状态为{state_name}，不能{name}")
    if role not in rule.roles:
        return TransitionError("forbidden_role", f"工单状态为{state_name}时，{role_name}无权{name}")
    if rule.guard is not None and (refusal := rule.guard(ticket, actor)) is not None:
        return TransitionError(*refusal)
    return None


def _check_value(key: str, value: Any) -> str | None:
    label = _PARAM_ZH[key]
    if key in _TEXT_PARAMS:
        if not isinstance(value, str) or not value.strip():
            return f"{label}不能为空"
        if len(value) > MAX_TEXT:
            return f"{label}不能超过{MAX_TEXT}字"
    elif key in _BOOL_PARAMS:
        if not isinstance(value, bool):
            return f"{label}须为是或否"
    elif key == "hours":
        if isinstance(value, bool) or not isinstance(value, (int, float)) \
                or not 0 < value <= MAX_EXTENSION_HOURS:
            return f"{label}须大于0且不超过{MAX_EXTENSION_HOURS:g}小时"
    elif key == "co_handlers":
        return joint.shape_problem(value)
    elif key == "level":
        return urge_levels.level_problem(value)
    elif key == "checked":  # the closure standard's ticked items (console.domain.category_rules)
        if not isinstance(value, list) or len(value) > 20 or not all(
                isinstance(v, str) and v.strip() and len(v) <= 200 for v in value):
            return f"{label}须为至多20项的文字列表"
    elif key == "photo":
        if not isinstance(value, str) or not _SHA256.fullmatch(value):
            return f"{label}须为64位小写十六进制SHA-256摘要"
    return None


def _check_params(rule: Rule, action: Action, params: Mapping[str, Any]) -> None:
    name = _ACTION_ZH[action]
    unknown = sorted(set(params) - set(rule.required) - set(rule.optional))
    if unknown:
        raise TransitionError("invalid_param", f"{name}不接受参数：{', '.join(map(str, unknown))}")
    for key in rule.required:
        if params.get(key) is None:
            raise TransitionError("missing_param", f"{name}需要填写{_PARAM_ZH[key]}")
    for key, value in params.items():
        if (problem := _check_value(key, value)) is not None:
            raise TransitionError("invalid_param", problem)


def _as_action(action: Action | str) -> Action:
    try:
        return Action(action)
    except ValueError:
        raise TransitionError("illegal_transition", f"未知操作：{action}") from None


def _event_id(ticket_id: str, version: int) -> str:
    """Event ``version`` of a ticket: the platform's copy replaces the optimistic one."""
    return str(uuid.uuid5(EVENT_NAMESPACE, f"{ticket_id}/{version}"))


# -- public API -------------------------------------------------------------------------

def apply(
    ticket: Ticket,
    action: Action | str,
    actor: Actor,
    params: Mapping[str, Any] | None,
    now: float,
    *,
    calendar: WorkCalendar = DEFAULT_CALENDAR,
) -> tuple[Ticket, AuditEvent]:
    """Apply one verb; return the new ticket and its one audit event, or raise TransitionError."""
    action = _as_action(action)
    # None means "not given": operations pass every optional keyword through.
    params = {k: v for k, v in (params or {}).items() if v is not None}
    if (error := _check(ticket, action, actor)) is not None:
        raise error
    rule = next(r for r in RULES[action] if ticket.state in r.sources)
    _check_params(rule, action, params)
    try:
        changes = rule.effect(ticket, actor, params, now, calendar)
    except joint.Refused as exc:
        raise TransitionError(exc.code, exc.message) from None
    new = ticket.replace(**changes, version=ticket.version + 1, updated_at=now)
    new = new.replace(deadline=timelimits.compute_deadline(new, calendar))
    event = AuditEvent(
        ticket_id=ticket.id, action=action, actor=actor, at=now, from_state=ticket.state,
        to_state=new.state, params=params, event_id=_event_id(ticket.id, new.version),
    )
    return new, event


def why_not(ticket: Ticket, action: Action | str, actor: Actor) -> str | None:
    """Why the actor may not do this now (a zh_CN tooltip), or None if it is allowed.

    Parameters are not known yet when a button is drawn, so they are not checked here.
    """
    try:
        error = _check(ticket, _as_action(action), actor)
    except TransitionError as exc:
        error = exc
    return None if error is None else error.message


def required_params(ticket: Ticket, action: Action | str) -> tuple[str, ...]:
    """The parameters the verb asks for on this ticket now (a form marks them required)."""
    rules = RULES.get(_as_action(action), ())
    rule = next((r for r in rules if ticket.state in r.sources), None)
    return rule.required if rule is not None else ()


def refusal(ticket: Ticket, action: Action | str, actor: Actor, params: Mapping[str, Any] | None,
            now: float) -> str | None:
    """Why this verb with these parameters would be refused now (the form says it before
    anything is sent), or None. The same check ``apply`` makes; nothing is changed."""
    try:
        apply(ticket, action, actor, params, now)
    except TransitionError as exc:
        return exc.message
    return None


def allowed_actions(ticket: Ticket, actor: Actor) -> list[Action]:
    """The verbs the actor may use on this ticket now, in lifecycle order."""
    return [a for a in RULES if _check(ticket, a, actor) is None]


def new_ticket(**fields: Any) -> Ticket:
    """A fresh ticket: state pending, version 0, a uuid4 id unless one is given."""
    unknown = set(fields) - {f.name for f in dataclasses.fields(Ticket)}
    if unknown:
        raise TypeError(f"unknown ticket fields: {sorted(unknown)}")
    fields.setdefault("id", str(uuid.uuid4()))
    fields.setdefault("updated_at", fields.get("created_at", 0.0))
    # from_dict turns wire spellings ("iot_alarm") into the enums
    ticket = Ticket.from_dict({**fields, "state": TicketState.PENDING, "version": 0})
    return ticket.replace(deadline=timelimits.compute_deadline(ticket))


def create_event(ticket: Ticket, actor: Actor, now: float) -> AuditEvent:
    """The first timeline entry of a ticket made with ``new_ticket``."""
    return AuditEvent(
        ticket_id=ticket.id, action=Action.CREATE, actor=actor, at=now, from_state=None,
        to_state=ticket.state, params={}, event_id=_event_id(ticket.id, ticket.version),
    )
