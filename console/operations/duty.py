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

from console.domain.model import Actor
from localdb import Store, journal, outbox
from localdb.actions import actor_dict


class DutyError(ValueError):
    """A refused duty action (message for the officer)."""


#: duty-log kinds that are not synced (they describe this workstation only)
LOCAL_LOG_KINDS = frozenset({"link"})
_HANDOVER_FIELDS = ("id", "shift_date", "shift", "from_user", "state", "created_at", "to_user",
                    "summary", "notes", "signed_at", "acknowledged_at", "acknowledged_by")
_ROSTER_FIELDS = ("id", "date", "shift", "role", "person_id", "name", "phone", "replaces",
                  "reason", "created_at")
_EMERGENCY_FIELDS = ("id", "kind", "title", "level", "lat", "lon", "ticket_id", "started_at",
                     "started_by", "ended_at", "ended_by", "summary")
_ITEM_FIELDS = ("emergency_id", "position", "text", "done_at", "done_by")


def record(s, actor: Actor, kind: str, data: dict[str, Any], now: float) -> str:
    """Queue one duty record (``kind``, the entity's data without None values) in the
    caller's transaction; returns its record id."""
    rid = str(uuid.uuid4())
    outbox.enqueue_record(s, {"record_id": rid, "kind": kind,
                              "data": {k: v for k, v in data.items() if v is not None},
                              "actor": actor_dict(actor), "issued_at": now})
    return rid


def _row(s, table: str, where: str, params: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    r = s.execute(text(f"SELECT * FROM {table} WHERE {where}"), params).first()
    return {k: r._mapping[k] for k in fields}


def record_handover(s, actor: Actor, handover_id: str, now: float) -> str:
    d = _row(s, "handovers", "id=:i", {"i": handover_id}, _HANDOVER_FIELDS)
    d["summary"] = json.loads(d["summary"] or "{}")
    return record(s, actor, "handover", d, now)


def record_roster(s, actor: Actor, entry_id: str, now: float) -> str:
    return record(s, actor, "roster", _row(s, "roster", "id=:i", {"i": entry_id}, _ROSTER_FIELDS), now)


def record_emergency(s, actor: Actor, emergency_id: str, now: float) -> str:
    return record(s, actor, "emergency",
                  _row(s, "emergencies", "id=:i", {"i": emergency_id}, _EMERGENCY_FIELDS), now)


def record_item(s, actor: Actor, emergency_id: str, position: int, now: float) -> str:
    return record(s, actor, "emergency_item",
                  _row(s, "emergency_items", "emergency_id=:e AND position=:p",
                       {"e": emergency_id, "p": position}, _ITEM_FIELDS), now)


def _log(s, actor: Actor, kind: str, text_: str, now: float, ticket_id: str | None = None,
         shift_date: str | None = None, shift: str | None = None) -> int:
    cur = journal.raw(s).execute(
        "INSERT INTO duty_log (at, kind, text, actor_id, actor, ticket_id, shift_date, shift) "
        "VALUES (?,?,?,?,?,?,?,?)",
        (now, kind, text_, actor.user_id, json.dumps(actor_dict(actor), ensure_ascii=False),
         ticket_id, shift_date, shift),
    )
    journal.record(s, "duty_log", str(cur.lastrowid), now)
    if kind not in LOCAL_LOG_KINDS:
        record(s, actor, "duty_log", {"at": now, "kind": kind, "text": text_, "ticket_id": ticket_id,
                                      "shift_date": shift_date, "shift": shift}, now)
    return int(cur.lastrowid)


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
            old = s.execute(text("SELECT * FROM roster WHERE id=:i"), {"i": replaces}).first()
            if old is None:
                raise DutyError("要替换的排班不存在")
            if old._mapping["superseded_by"] is not None:
                raise DutyError("该排班已被替换")
            date = date or old._mapping["date"]
            shift = shift or old._mapping["shift"]
            role = role or old._mapping["role"]
        if not (date and shift and role):
            raise DutyError("新增排班需要日期、班次和岗位")
        s.execute(text(
            "INSERT INTO roster (id, date, shift, role, person_id, name, phone, replaces, "
            "superseded_by, local, reason, created_at) VALUES (:id,:d,:sh,:r,:p,:n,:ph,:rep,NULL,1,"
            ":why,:at)"), {"id": new_id, "d": date, "sh": shift, "r": role, "p": person_id,
                            "n": name, "ph": phone, "rep": replaces, "why": reason, "at": now})
        if replaces is not None:
            s.execute(text("UPDATE roster SET superseded_by=:n WHERE id=:i"),
                      {"n": new_id, "i": replaces})
        journal.record_many(s, "roster", [x for x in (replaces, new_id) if x], now)
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
        s.execute(text(
            "INSERT INTO handovers (id, created_at, shift_date, shift, from_user, to_user, summary, "
            "notes, state) VALUES (:i,:t,:d,:sh,:f,:to,:sum,:n,'draft')"),
            {"i": hid, "t": now, "d": shift_date, "sh": shift, "f": actor.user_id, "to": to_user,
             "sum": json.dumps(summary, ensure_ascii=False, default=str), "n": notes})
        journal.record(s, "handover", hid, now)
        if sync:
            record_handover(s, actor, hid, now)
    return hid


def _handover(s, hid: str) -> dict[str, Any]:
    r = s.execute(text("SELECT * FROM handovers WHERE id=:i"), {"i": hid}).first()
    if r is None:
        raise DutyError("交接单不存在")
    return dict(r._mapping)


def sign_handover(store: Store, actor: Actor, handover_id: str, now: float,
                  notes: str | None = None) -> None:
    """The outgoing officer signs; the draft becomes final."""
    with store.write() as s:
        h = _handover(s, handover_id)
        if h["state"] != "draft":
            raise DutyError("交接单已签字")
        if h["from_user"] != actor.user_id:
            raise DutyError("只有交班人可以签字")
        s.execute(text("UPDATE handovers SET state='signed', signed_at=:t, notes=coalesce(:n, notes) "
                       "WHERE id=:i"), {"t": now, "n": notes, "i": handover_id})
        journal.record(s, "handover", handover_id, now)
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
        s.execute(text("UPDATE handovers SET state='acknowledged', acknowledged_at=:t, "
                       "acknowledged_by=:u, to_user=coalesce(to_user, :u) WHERE id=:i"),
                  {"t": now, "u": actor.user_id, "i": handover_id})
        journal.record(s, "handover", handover_id, now)
        record_handover(s, actor, handover_id, now)
        _log(s, actor, "handover", "接班确认", now, shift_date=h["shift_date"], shift=h["shift"])


# --- emergency ------------------------------------------------------------------------
def start_emergency(store: Store, actor: Actor, kind: str, title: str, now: float, *,
                    level: str = "", lat: float | None = None, lon: float | None = None,
                    ticket_id: str | None = None, checklist: list[str] | tuple[str, ...] = ()) -> str:
    eid = str(uuid.uuid4())
    with store.write() as s:
        active = s.execute(text("SELECT id FROM emergencies WHERE ended_at IS NULL")).first()
        if active is not None:
            raise DutyError("已有进行中的应急处置")
        s.execute(text(
            "INSERT INTO emergencies (id, kind, title, level, lat, lon, ticket_id, started_at, "
            "started_by, summary) VALUES (:i,:k,:t,:l,:la,:lo,:tk,:at,:by,'')"),
            {"i": eid, "k": kind, "t": title, "l": level, "la": lat, "lo": lon, "tk": ticket_id,
             "at": now, "by": actor.user_id})
        journal.raw(s).executemany(
            "INSERT INTO emergency_items (emergency_id, position, text) VALUES (?,?,?)",
            [(eid, i, item) for i, item in enumerate(checklist)])
        journal.record(s, "emergency", eid, now)
        record_emergency(s, actor, eid, now)
        for i in range(len(checklist)):
            record_item(s, actor, eid, i, now)
        _log(s, actor, "emergency", f"启动应急：{title}", now, ticket_id=ticket_id)
    return eid


def check_item(store: Store, actor: Actor, emergency_id: str, position: int, now: float,
               done: bool = True) -> None:
    with store.write() as s:
        res = s.execute(text(
            "UPDATE emergency_items SET done_at=:t, done_by=:u WHERE emergency_id=:e AND position=:p"),
            {"t": now if done else None, "u": actor.user_id if done else None, "e": emergency_id,
             "p": position})
        if res.rowcount != 1:
            raise DutyError("检查项不存在")
        journal.record(s, "emergency", emergency_id, now)
        record_item(s, actor, emergency_id, position, now)


def end_emergency(store: Store, actor: Actor, emergency_id: str, now: float,
                  summary: str = "") -> None:
    with store.write() as s:
        r = s.execute(text("SELECT title, ended_at FROM emergencies WHERE id=:i"),
                      {"i": emergency_id}).first()
        if r is None:
            raise DutyError("应急处置不存在")
        if r[1] is not None:
            raise DutyError("应急处置已结束")
        s.execute(text("UPDATE emergencies SET ended_at=:t, ended_by=:u, summary=:s WHERE id=:i"),
                  {"t": now, "u": actor.user_id, "s": summary, "i": emergency_id})
        journal.record(s, "emergency", emergency_id, now)
        record_emergency(s, actor, emergency_id, now)
        _log(s, actor, "emergency", f"结束应急：{r[0]}", now)


def emergency_items(store_session, emergency_id: str) -> list[dict[str, Any]]:
    rows = store_session.execute(text(
        "SELECT * FROM emergency_items WHERE emergency_id=:e ORDER BY position"), {"e": emergency_id})
    return [dict(r._mapping) for r in rows]
