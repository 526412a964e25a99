"""Duty-hall records: duty log, roster overrides, handovers, emergencies.

These are records of the hall (not ticket commands). Every function writes in one
transaction, journals what changed and leaves a duty-log line where the shift needs
to see it. Refusals raise ``DutyError`` with a zh_CN message.

Sync: in the same transaction every change queues one duty record per entity it
touched (``outbox.enqueue_record``; docs/CONTRACT.md "Duty records"): the entity's full
current state (handover, roster entry, emergency, checklist item) or the new duty-log
line. The pusher sends them to the platform, which puts them on the change feed for
the other workstations of the hall (``localdb.feed_duty`` applies them). Duty-log lines
of kind ``link`` describe this workstation's own connection and stay local.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import text

from console.domain import authz
from console.domain.model import Actor
from localdb import Store, outbox, repo_commander
from localdb import duty as rows
from localdb.actions import actor_dict, signed


class DutyError(ValueError):
    """A refused duty action (message for the officer)."""


#: duty-log kinds that are not synced (they describe this workstation only)
LOCAL_LOG_KINDS = frozenset({"link"})


def record(s, actor: Actor, kind: str, data: dict[str, Any], now: float) -> str:
    """Queue one duty record (``kind``, the entity's data without None values) in the
    caller's transaction; returns its record id."""
    rid = str(uuid.uuid4())
    outbox.enqueue_record(s, signed({"record_id": rid, "kind": kind,
                                     "data": {k: v for k, v in data.items() if v is not None},
                                     "actor": actor_dict(actor), "issued_at": float(now)}, actor))
    return rid


def record_handover(s, actor: Actor, handover_id: str, now: float) -> str:
    """The handover's duty record, with the head of this store's audit chain (count and
    last hash): the platform keeps it, so a later cut or rewrite of the log is found."""
    from console.operations import audit as audit_ops

    d = rows.record_fields(s, "handovers", "id=:i", {"i": handover_id})
    d["summary"] = json.loads(d["summary"] or "{}")
    d["audit_head"] = audit_ops.head(s).to_dict()
    return record(s, actor, "handover", d, now)


def record_roster(s, actor: Actor, entry_id: str, now: float) -> str:
    return record(s, actor, "roster", rows.record_fields(s, "roster", "id=:i", {"i": entry_id}), now)


def record_emergency(s, actor: Actor, emergency_id: str, now: float) -> str:
    return record(s, actor, "emergency",
                  rows.record_fields(s, "emergencies", "id=:i", {"i": emergency_id}), now)


def record_item(s, actor: Actor, emergency_id: str, position: int, now: float) -> str:
    return record(s, actor, "emergency_item",
                  rows.record_fields(s, "emergency_items", "emergency_id=:e AND position=:p",
                                     {"e": emergency_id, "p": position}), now)


def record_item_step(s, actor: Actor, emergency_id: str, step: str, now: float) -> str | None:
    """The checklist item of plan step ``step`` as a duty record (None: no such item)."""
    r = s.execute(text(
        "SELECT position FROM emergency_items WHERE emergency_id=:e AND step=:s"),
        {"e": emergency_id, "s": step}).first()
    return None if r is None else record_item(s, actor, emergency_id, int(r[0]), now)


def _log(s, actor: Actor, kind: str, text_: str, now: float, ticket_id: str | None = None,
         shift_date: str | None = None, shift: str | None = None) -> int:
    log_id = rows.add_log(s, now, kind, text_, actor.user_id, actor_dict(actor), ticket_id, shift_date, shift)
    if kind not in LOCAL_LOG_KINDS:
        record(s, actor, "duty_log", {"at": now, "kind": kind, "text": text_, "ticket_id": ticket_id,
                                      "shift_date": shift_date, "shift": shift}, now)
    return log_id


def add_duty_log(store: Store, actor: Actor, kind: str, text_: str, now: float,
                 ticket_id: str | None = None, shift_date: str | None = None,
                 shift: str | None = None) -> int:
    """A line in the 值班日志; returns its id."""
    if not text_.strip():
        raise DutyError("日志内容不能为空")
    with store.write() as s:
        return _log(s, actor, kind, text_, now, ticket_id, shift_date, shift)


def roster_override(store: Store, actor: Actor, now: float, *, replaces: str | None = None,
                    person_id: str, name: str, phone: str = "", reason: str = "",
                    date: str | None = None, shift: str | None = None,
                    role: str | None = None) -> str:
    """Put someone else on duty: a NEW roster entry that ``replaces`` the old one (which
    is marked ``superseded_by``; nothing is deleted). Without ``replaces`` it fills a
    gap and needs date, shift and role. Returns the new entry id."""
    new_id = f"local-{uuid.uuid4()}"
    with store.write() as s:
        if replaces is not None:
            old = rows.roster_entry(s, replaces)
            if old is None:
                raise DutyError("要替换的排班不存在")
            if old["superseded_by"] is not None:
                raise DutyError("该排班已被替换")
            date = date or old["date"]
            shift = shift or old["shift"]
            role = role or old["role"]
        if not (date and shift and role):
            raise DutyError("新增排班需要日期、班次和岗位")
        rows.add_roster_entry(s, new_id, date, shift, role, person_id, name, phone, replaces, reason, now)
        record_roster(s, actor, new_id, now)
        _log(s, actor, "roster", f"排班调整：{date} {shift} {role} -> {name}"
             + (f"（{reason}）" if reason else ""), now, shift_date=date, shift=shift)
    return new_id


# --- handover -------------------------------------------------------------------------
def create_handover(store: Store, actor: Actor, shift_date: str, shift: str,
                    summary: dict[str, Any], now: float, notes: str = "",
                    to_user: str | None = None, sync: bool = True) -> str:
    """A draft handover (交接班) with the shift's summary snapshot (``sync=False``: no
    duty record for the draft, e.g. when it is signed in the same transaction)."""
    hid = str(uuid.uuid4())
    with store.write() as s:
        rows.add_handover(s, hid, now, shift_date, shift, actor.user_id, to_user, summary, notes)
        if sync:
            record_handover(s, actor, hid, now)
    return hid


def _handover(s, hid: str) -> dict[str, Any]:
    h = repo_commander.handover(s, hid)
    if h is None:
        raise DutyError("交接单不存在")
    return h


def sign_handover(store: Store, actor: Actor, handover_id: str, now: float,
                  notes: str | None = None) -> None:
    """The outgoing officer signs; the draft becomes final."""
    with store.write() as s:
        h = _handover(s, handover_id)
        if h["state"] != "draft":
            raise DutyError("交接单已签字")
        if h["from_user"] != actor.user_id:
            raise DutyError("只有交班人可以签字")
        rows.sign_handover(s, handover_id, now, notes)
        record_handover(s, actor, handover_id, now)
        _log(s, actor, "handover", "交班签字", now, shift_date=h["shift_date"], shift=h["shift"])


def acknowledge_handover(store: Store, actor: Actor, handover_id: str, now: float) -> None:
    """The incoming officer acknowledges a signed handover."""
    with store.write() as s:
        h = _handover(s, handover_id)
        if h["state"] != "signed":
            raise DutyError("交接单尚未签字" if h["state"] == "draft" else "交接单已确认")
        if h["from_user"] == actor.user_id:
            raise DutyError("接班确认须由接班人完成")
        rows.acknowledge_handover(s, handover_id, now, actor.user_id)
        record_handover(s, actor, handover_id, now)
        _log(s, actor, "handover", "接班确认", now, shift_date=h["shift_date"], shift=h["shift"])


# --- emergency ------------------------------------------------------------------------
def start_emergency(store: Store, actor: Actor, kind: str, title: str, now: float, *,
                    level: str = "", lat: float | None = None, lon: float | None = None,
                    ticket_id: str | None = None, checklist: list[Any] | tuple[Any, ...] = (),
                    plan_id: str | None = None, plan_version: int | None = None,
                    address: str | None = None, location_source: str | None = None,
                    detail: str = "") -> str:
    refusal = authz.record_why_not(actor, "emergency", {})
    if refusal is not None:
        raise DutyError(refusal.message)
    eid = str(uuid.uuid4())
    with store.write() as s:
        if rows.running_emergency_id(s) is not None:
            raise DutyError("已有进行中的应急处置")
        rows.add_emergency(s, eid, kind, title, level, lat, lon, ticket_id, now, actor.user_id, checklist,
                           plan_id=plan_id, plan_version=plan_version, address=address,
                           location_source=location_source)
        record_emergency(s, actor, eid, now)
        for i in range(len(checklist)):
            record_item(s, actor, eid, i, now)
        _log(s, actor, "emergency", f"启动应急：{title}" + (f"，{detail}" if detail else ""), now,
             ticket_id=ticket_id)
    return eid


def check_item(store: Store, actor: Actor, emergency_id: str, position: int, now: float,
               done: bool = True) -> None:
    with store.write() as s:
        if not rows.set_item_done(s, emergency_id, position, now if done else None,
                                  actor.user_id if done else None, now):
            raise DutyError("检查项不存在")
        record_item(s, actor, emergency_id, position, now)


def end_emergency(store: Store, actor: Actor, emergency_id: str, now: float,
                  summary: str = "", reason: str | None = None) -> None:
    with store.write() as s:
        e = repo_commander.emergency(s, emergency_id)
        if e is None:
            raise DutyError("应急处置不存在")
        if e["ended_at"] is not None:
            raise DutyError("应急处置已结束")
        rows.end_emergency(s, emergency_id, now, actor.user_id, summary, reason)
        record_emergency(s, actor, emergency_id, now)
        _log(s, actor, "emergency", f"结束应急：{e['title']}", now)
