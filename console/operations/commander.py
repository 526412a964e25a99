"""The commander's and the shift leader's actions (Qt-free, one transaction each).

- ``decide``: the commander's decision on an inbox ticket (批示, approve or deny an
  extension) — the ticket verb (audit event + outbox command, synced to the
  platform) and a duty-log line, together.
- ``sign_handover_as`` / ``acknowledge_handover_as``: the outgoing and incoming
  shift leaders sign with their OWN user id and PIN (not the workstation's login).
- ``link_changed``: opens/closes a ``link_outages`` row and logs it.
- ``start_emergency`` / ``end_emergency``: 平战转换 with the plan's checklist.

Refusals raise ``DutyError`` (zh_CN message) or ``lifecycle.TransitionError``.
Handovers, roster changes, emergencies and duty-log lines are synced as duty records
(docs/CONTRACT.md "Duty records"): ``console.operations.duty`` queues one outbox
entry per changed entity in the same transaction; the platform hands them to every
workstation of the hall. Link-outage lines stay local (they are this workstation's).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from console.domain import authz
from console.domain import plans as P
from console.domain import roster as R
from console.domain.grids import GridIndex
from console.domain.model import Actor, Role, Ticket
from console.operations import auth as auth_ops
from console.operations import duty, duty_pattern, tickets
from console.operations.duty import DutyError
from localdb import Store, repo, repo_commander
from localdb import duty as rows

SYSTEM = Actor(user_id="system", name="系统", role=Role.SYSTEM)
DECISIONS = ("instruct", "approve_extension", "deny_extension")
_DECISION_ZH = {"instruct": "批示", "approve_extension": "批准延期", "deny_extension": "驳回延期"}


def shift_of(now: float, plan: R.ShiftPlan | None = None, store: Store | None = None) -> tuple[str, str]:
    """(duty date ISO, shift name) of a platform instant, by the street's duty pattern
    (``console.operations.duty_pattern``) unless a plan is given."""
    plan = plan or duty_pattern.plan_of(store)
    date, name = plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))
    return date.isoformat(), name


# -- commander's decision -----------------------------------------------------------------

def decide(store: Store, actor: Actor, ticket_id: str, decision: str, text_: str, now: float,
           department_id: str | None = None) -> Ticket:
    """Record the commander's decision on a ticket and log it in the duty log.

    ``instruct`` needs the instruction text (optionally dispatching to a department);
    ``approve_extension`` keeps the text as a note; ``deny_extension`` as the reason.
    """
    if decision not in DECISIONS:
        raise DutyError(f"未知的决策：{decision}")
    note = text_.strip() or None
    from console.operations import command as command_ops

    held = command_ops.command_now(store, now, acting=actor)
    acting = (f"（{held.authority}，代{held.commander_name or '指挥长'}决策）"
              if isinstance(held, command_ops.C.Holder) and held.acting
              and held.person_id == actor.user_id else "")
    with store.write() as s:
        if decision == "instruct":
            after = tickets.instruct(store, actor, ticket_id, text_, now, department_id=department_id)
        elif decision == "approve_extension":
            after = tickets.approve_extension(store, actor, ticket_id, now, note=note)
        else:
            after = tickets.deny_extension(store, actor, ticket_id, now, reason=note)
        date, shift = shift_of(now, store=store)
        label = after.number or after.id[:8]
        duty._log(s, actor, "decision", f"{_DECISION_ZH[decision]} {label}"
                  + (f"：{text_.strip()}" if text_.strip() else "") + acting, now, ticket_id=ticket_id,
                  shift_date=date, shift=shift)
    return after


# -- duty log -------------------------------------------------------------------------------

def add_note(store: Store, actor: Actor, text_: str, now: float, kind: str = "note") -> int:
    """A manual duty-log line, filed under the shift it was written in."""
    date, shift = shift_of(now, store=store)
    return duty.add_duty_log(store, actor, kind, text_, now, shift_date=date, shift=shift)


def link_changed(store: Store, actor: Actor, state: str, now: float, queued: int | None = 0,
                 reason: str = "") -> int | None:
    """The link went offline (open an outage) or came back (close it), with its duty-log
    line. Idempotent, so the sync engine (which detects outages) and the commander panel
    (which sees the link state) may both report: returns the outage id touched, or None
    when nothing changed. ``queued``: the outbox depth when the link came back."""
    date, shift = shift_of(now, store=store)
    with store.write() as s:
        current = repo_commander.open_outage(s)
        if state == "offline" and current is None:
            oid = rows.open_outage(s, now, reason)
            duty._log(s, SYSTEM, "link", "与区平台连接中断" + (f"（{reason}）" if reason else ""),
                      now, shift_date=date, shift=shift)
        elif state == "online" and current is not None:
            oid = int(current["id"])
            rows.close_outage(s, oid, now, queued)
            minutes = (now - current["started_at"]) / 60
            waiting = f"，待同步{queued}条" if queued is not None and queued >= 0 else ""
            duty._log(s, SYSTEM, "link", f"与区平台连接恢复（中断{minutes:.0f}分钟{waiting}）",
                      now, shift_date=date, shift=shift)
        else:
            return None
    return oid


# -- handover ---------------------------------------------------------------------------------

def _signer(store: Store, actor: Actor, user_id: str, pin: str, now: float, purpose: str) -> Actor:
    """The officer whose PIN this is (``console.operations.auth.verify``: wrong PINs count
    towards the lockout and are audited); raises AuthRefused."""
    return auth_ops.verify(store, user_id, pin, actor.workstation, now, purpose=purpose)


def sign_handover_as(store: Store, actor: Actor, user_id: str, pin: str, shift_date: str,
                     shift: str, summary: dict[str, Any], now: float, notes: str = "",
                     carry: dict[str, str] | None = None) -> str:
    """The outgoing leader signs the handover record with their own id and PIN.

    The handover cannot hide trouble: while an action waits unresolved in needs-attention
    it cannot be signed unless each such item is carried over with a note (``carry``:
    command id -> note), which the record keeps.

    Creates the record and signs it in one transaction; returns the handover id.
    ``actor`` (the workstation's login) is kept in the record for the audit trail.
    """
    from localdb import repo_queue

    carry = {k: v.strip() for k, v in (carry or {}).items() if v and v.strip()}
    with store.session() as s:
        open_items = repo_queue.needs_attention(s)
    left = [u for u in open_items if u["command_id"] not in carry]
    if left:
        names = "、".join(u["number"] or u["verb"] for u in left[:5])
        raise DutyError(f"还有{len(left)}项同步失败待处理（{names}），请处理或逐项填写移交说明后再签字")
    signer = _signer(store, actor, user_id, pin, now, "handover_sign")
    with store.write() as s:
        if repo_commander.handover_for_shift(s, shift_date, shift) is not None:
            raise DutyError("本班次已有交接单")
        summary = {**summary, "workstation_actor": actor.user_id,
                   "carried_over": {u["command_id"]: carry[u["command_id"]] for u in open_items}}
        hid = duty.create_handover(store, signer, shift_date, shift, summary, now, notes=notes,
                                   sync=False)  # one record: the signed handover
        duty.sign_handover(store, signer, hid, now, notes=notes)
    return hid


def acknowledge_handover_as(store: Store, actor: Actor, user_id: str, pin: str,
                            handover_id: str, now: float) -> str:
    """The incoming leader acknowledges with their own id and PIN; returns their id."""
    receiver = _signer(store, actor, user_id, pin, now, "handover_acknowledge")
    with store.write():
        duty.acknowledge_handover(store, receiver, handover_id, now)
    return receiver.user_id


# -- roster -----------------------------------------------------------------------------------

ROSTER_ROLES = ("commander", "executive_deputy", "deputy", "shift_leader", "officer")


def _check_roster(store: Store, date: str, shift: str, role: str, person_id: str,
                  replaces: str | None = None) -> None:
    """Refuse a roster change that would break the day's command chain (two in one chain
    role, one person in two) or put someone on a shift the pattern leaves unstaffed."""
    from console.domain import command as C

    if role not in ROSTER_ROLES:
        raise DutyError(f"未知的岗位：{role}")
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise DutyError(f"日期须为YYYY-MM-DD：{date}") from None
    pattern = duty_pattern.pattern_of(store)
    if role in C.CHAIN:
        if shift != R.ALL_SHIFTS:
            raise DutyError(f"{C.ROLE_ZH[role]}按日排班（全天），不按班次")
    elif shift not in pattern.plan.names:
        raise DutyError(f"未知的班次：{shift}")
    elif not pattern.staffed(shift):
        raise DutyError(f"{R.SHIFT_ZH.get(shift, shift)}实行{pattern.label}，无人值守（转接"
                        f"{pattern.night_station or '属地派出所'}），不能排班")
    with store.session() as s:
        rc_entries = repo_commander.roster_entries(s, date, date)
    if role in C.CHAIN:
        new = R.RosterEntry("(new)", day, shift, role, person_id, created_at=float("inf"))
        after = [e for e in rc_entries if e.id != replaces] + [new]
        problems = C.roster_problems(after, [day])
        if problems:
            raise DutyError("；".join(problems))


def roster_swap(store: Store, actor: Actor, entry_id: str, person_id: str, name: str, now: float,
                phone: str = "", reason: str = "") -> str:
    """Put ``person_id`` in ``entry_id``'s slot: a new entry replacing it (history kept)."""
    if actor.role not in (Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN):
        raise DutyError("只有值班长可以调整排班")
    if not person_id.strip():
        raise DutyError("请填写接替人员")
    with store.session() as s:
        old = rows.roster_entry(s, entry_id)
    if old is not None:
        _swap_refusal(store, entry_id, person_id)
        _check_roster(store, old["date"], old["shift"], old["role"], person_id.strip(), replaces=entry_id)
    return duty.roster_override(store, actor, now, replaces=entry_id, person_id=person_id.strip(),
                                name=name.strip(), phone=phone.strip(), reason=reason.strip())


def _swap_refusal(store: Store, entry_id: str, person_id: str) -> None:
    """``console.domain.roster.swap_refusal`` against the stored roster and the street's accounts."""
    with store.session() as s:
        row = rows.roster_entry(s, entry_id)
        if row is None:
            return
        day = dt.date.fromisoformat(row["date"])
        entries = repo_commander.roster_entries(s, row["date"], row["date"])
        # the people who can be rostered: the street's accounts and whoever the month's roster names
        month = repo_commander.roster_entries(s, (day - dt.timedelta(days=31)).isoformat(),
                                              (day + dt.timedelta(days=31)).isoformat())
        known = {u for u, acc in repo.users(s).items() if not acc.get("disabled")}
    known |= {e.person_id for e in month if e.person_id}
    old = next((e for e in entries if e.id == entry_id), None)
    if old is None:
        return
    why = R.swap_refusal(entries, old, person_id, known)
    if why:
        raise DutyError(why)


#: which roster roles a person of each account role may take over themselves
TAKE_OVER = {Role.OFFICER: ("officer",), Role.SHIFT_LEADER: ("shift_leader", "officer"),
             Role.COMMANDER: ("commander", "executive_deputy", "deputy")}


def take_over_now(store: Store, actor: Actor, entry_id: str, now: float, reason: str = "") -> str:
    """The logged-in person takes over a slot of the running shift (or today's chain) at
    once, because the rostered person is tied up: a new entry replacing it (history
    kept). Only a slot of now, of a role the actor could fill, and not one they hold."""
    with store.session() as s:
        old = rows.roster_entry(s, entry_id)
    if old is None:
        raise DutyError("要接替的排班不存在")
    if old["superseded_by"] is not None:
        raise DutyError("该排班已被替换")
    if old["person_id"] == actor.user_id:
        raise DutyError("这本来就是您的班")
    if old["role"] not in TAKE_OVER.get(actor.role, ()):
        raise DutyError(f"您的岗位不能接替{old['role']}")
    date, shift = shift_of(now, store=store)
    if old["date"] != date or old["shift"] not in (shift, R.ALL_SHIFTS):
        raise DutyError("只能接替当前班次的排班；以后的班次请用调班")
    why = reason.strip() or f"临时接替{old['name'] or old['person_id']}"
    _swap_refusal(store, entry_id, actor.user_id)
    _check_roster(store, old["date"], old["shift"], old["role"], actor.user_id, replaces=entry_id)
    return duty.roster_override(store, actor, now, replaces=entry_id, person_id=actor.user_id,
                                name=actor.name or actor.user_id, reason=why)


def roster_fill(store: Store, actor: Actor, date: str, shift: str, role: str, person_id: str,
                name: str, now: float, phone: str = "", reason: str = "") -> str:
    """Fill an empty slot (a gap) with a new entry."""
    if actor.role not in (Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN):
        raise DutyError("只有值班长可以调整排班")
    if not person_id.strip():
        raise DutyError("请填写值班人员")
    _check_roster(store, date, shift, role, person_id.strip())
    return duty.roster_override(store, actor, now, person_id=person_id.strip(), name=name.strip(),
                                phone=phone.strip(), reason=reason.strip(), date=date, shift=shift,
                                role=role)


# -- emergency (平战转换) -----------------------------------------------------------------------
#: where the incident's place came from: a pick on the map, or an address of the street
LOCATION_SOURCES = ("map", "address")
INCIDENT_TYPES = P.TYPES
LEVELS = P.LEVELS


def plan_of(s, plan_id: str, version: int | None = None) -> P.Plan:
    """The cached plan (its ``version``, else the newest); DutyError when not here."""
    row = repo_commander.plan(s, plan_id, version)
    if row is None:
        raise DutyError(f"本机没有预案{plan_id}" + (f"（第{version}版）" if version else ""))
    return P.parse(json.loads(row["data"]))


def plan_for_type(s, kind: str) -> P.Plan:
    """The desk's current plan for an incident type (the general plan when it has none)."""
    for k in (kind, "general"):
        row = repo_commander.plan_of_type(s, k)
        if row is not None:
            return P.parse(json.loads(row["data"]))
    raise DutyError("本机尚无应急预案：请先与区平台同步")


def item_deadline(started_at: float, item: dict[str, Any]) -> float | None:
    """When a checklist item is due (its plan step's minutes after the start), or None."""
    limit = item.get("limit_min")
    return None if limit is None else started_at + float(limit) * 60


def _running(s, emergency_id: str) -> dict:
    """The emergency record, refused when it does not exist or has ended."""
    e = repo_commander.emergency(s, emergency_id)
    if e is None:
        raise DutyError("应急处置不存在")
    if e["ended_at"] is not None:
        raise DutyError("应急处置已结束")
    return e


def start_why_not(store: Store, actor: Actor, now: float) -> authz.Refusal | None:
    """Who may switch the hall to emergency command (the domain's rule, also the
    platform's): the shift leader, or the commander holding command now."""
    from console.operations import command as command_ops

    try:
        holder = command_ops.command_now(store, now, acting=actor)
    except Exception:  # noqa: BLE001 - a damaged roster row: the platform decides
        holder = None
    return authz.emergency_why_not(actor, holder)


def start_emergency(store: Store, actor: Actor, kind: str, title: str, level: str, now: float,
                    lat: float | None = None, lon: float | None = None, *, address: str = "",
                    location_source: str | None = None, ticket_id: str | None = None,
                    plan_id: str | None = None) -> str:
    """Switch to emergency command under the plan for ``kind`` (or ``plan_id``).

    The place is required and must come from a map pick or an address of the street
    (``location_source``), never a default; the level must be one of the plan's. The
    checklist is the plan's steps (owner and deadline) as they are in the version
    the emergency starts with; that version stays with the emergency.
    """
    refusal = start_why_not(store, actor, now)
    if refusal is not None:
        raise DutyError(refusal.message)
    if not title.strip():
        raise DutyError("请填写事件名称")
    if plan_id is None and kind not in P.TYPES:
        raise DutyError(f"未知的事件类型：{kind}")
    if location_source not in LOCATION_SOURCES or lat is None or lon is None:
        raise DutyError("请在地图上选点或输入街道内的地址，确定事发位置")
    if not (math.isfinite(lat) and math.isfinite(lon)) or (lat == 0.0 and lon == 0.0):
        raise DutyError("事发位置无效：请在地图上选点或输入街道内的地址")
    with store.write() as s:
        if not GridIndex.from_features(repo.grid_features(s)).locate(lat, lon):
            raise DutyError("事发位置不在本街道范围内：请重新选点或输入街道内的地址")
        try:
            plan = plan_of(s, plan_id) if plan_id else plan_for_type(s, kind)
            P.check_level(plan, level)
        except P.PlanError as exc:
            raise DutyError(str(exc)) from None
        checklist = [{"text": st.text, "owner": st.owner, "limit_min": st.limit_min, "step": st.id}
                     for st in plan.step_order()]
        place = address.strip() or f"{lat:.5f},{lon:.5f}"
        detail = (f"启用{plan.name}（第{plan.version}版），{P.LEVEL_ZH[level]}响应，地点：{place}"
                  + ("（地图选点）" if location_source == "map" else "（地址）"))
        eid = duty.start_emergency(store, actor, plan.type if plan_id else kind, title.strip(), now,
                                   level=level, lat=lat, lon=lon, ticket_id=ticket_id,
                                   checklist=checklist, plan_id=plan.id, plan_version=plan.version,
                                   address=address.strip() or None, location_source=location_source,
                                   detail=detail)
    return eid


def change_level(store: Store, actor: Actor, emergency_id: str, level: str, now: float,
                 reason: str = "") -> None:
    """升级/降级: a step of the same emergency record (its level history), logged."""
    refusal = start_why_not(store, actor, now)
    if refusal is not None:
        raise DutyError(refusal.message.replace("启动应急", "调整响应等级"))
    with store.write() as s:
        e = _running(s, emergency_id)
        if level == e["level"]:
            raise DutyError(f"当前已是{P.LEVEL_ZH.get(level, level)}响应")
        try:
            P.check_level(plan_of(s, e["plan_id"], e["plan_version"]), level)
        except P.PlanError as exc:
            raise DutyError(str(exc)) from None
        history = json.loads(e["levels"] or "[]")
        history.append({"level": level, "at": now, "by": actor.user_id, "reason": reason.strip()})
        rows.set_level(s, emergency_id, level, json.dumps(history, ensure_ascii=False), now)
        duty.record_emergency(s, actor, emergency_id, now)
        word = "升级" if P.LEVELS.index(level) < P.LEVELS.index(e["level"]) else "降级"
        date, shift = shift_of(now, store=store)
        duty._log(s, actor, "emergency", f"应急响应{word}：{P.LEVEL_ZH.get(e['level'], e['level'])}"
                  f" → {P.LEVEL_ZH[level]}" + (f"（{reason.strip()}）" if reason.strip() else ""), now,
                  shift_date=date, shift=shift)


def check_item(store: Store, actor: Actor, emergency_id: str, position: int, now: float,
               done: bool = True) -> None:
    with store.write() as s:
        e = repo_commander.emergency(s, emergency_id)
        if e is not None and e["ended_at"] is not None:
            raise DutyError("应急处置已结束")
        duty.check_item(store, actor, emergency_id, position, now, done)
        item = next((i for i in repo_commander.emergency_items(s, emergency_id)
                     if i["position"] == position), None)
        if e is not None and item is not None and done:
            date, shift = shift_of(now, store=store)
            due = item_deadline(e["started_at"], item)
            late = "（超时）" if due is not None and now > due else ""
            duty._log(s, actor, "emergency", f"应急处置：{item['text']} 已完成{late}", now,
                      shift_date=date, shift=shift)


def open_items(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [i for i in items if i["done_at"] is None]


def emergency_summary(e: dict[str, Any], items: list[dict[str, Any]], now: float) -> str:
    """One paragraph for the duty log: duration and each checklist item's outcome."""
    minutes = (now - e["started_at"]) / 60
    parts = [f"{e['title']}（{e['level']}级），历时{minutes:.0f}分钟"]
    for i in items:
        due = item_deadline(e["started_at"], i)
        if i["done_at"] is not None:
            took = (i["done_at"] - e["started_at"]) / 60
            late = "，超时" if due is not None and i["done_at"] > due else ""
            parts.append(f"{i['text']}：{took:.0f}分钟完成（{i['done_by']}{late}）")
        else:
            parts.append(f"{i['text']}：未完成")
    return "；".join(parts)


def end_emergency(store: Store, actor: Actor, emergency_id: str, now: float, note: str = "",
                  reason: str = "") -> str:
    """Back to normal duty: the summary goes to the emergency record and the duty log.

    With checklist items still open, ``reason`` (why they stay open) is required and
    recorded with the record; ending twice is refused."""
    refusal = start_why_not(store, actor, now)
    if refusal is not None:
        raise DutyError(refusal.message.replace("启动应急", "结束应急"))
    with store.write() as s:
        e = _running(s, emergency_id)
        items = repo_commander.emergency_items(s, emergency_id)
        left = open_items(items)
        if left and not reason.strip():
            raise DutyError(f"还有{len(left)}项处置未完成（{'、'.join(i['text'] for i in left)}），"
                            "请填写未完成的原因")
        summary = emergency_summary(e, items, now)
        if left:
            summary += f"。未完成原因：{reason.strip()}"
        if note.strip():
            summary += f"。备注：{note.strip()}"
        duty.end_emergency(store, actor, emergency_id, now, summary=summary,
                           reason=reason.strip() if left else None)
        date, shift = shift_of(now, store=store)
        duty._log(s, actor, "emergency", f"应急小结：{summary}", now, shift_date=date, shift=shift)
    return summary


__all__ = ["DutyError", "decide", "add_note", "link_changed", "sign_handover_as",
           "acknowledge_handover_as", "roster_swap", "roster_fill", "start_emergency",
           "check_item", "end_emergency", "change_level", "plan_of", "plan_for_type"]
