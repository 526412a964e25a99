"""The hall's own records in the store: duty log, roster overrides, handovers,
emergencies and their checklists. Rows only: the rules (who may sign, one running
emergency) and the duty records that sync them are ``console.operations.duty``'s.
Every function runs in the caller's session; reads for the panels are in
``localdb.repo_commander``.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from localdb import journal

#: the columns a duty record carries, per table
FIELDS = {
    "handovers": ("id", "shift_date", "shift", "from_user", "state", "created_at", "to_user",
                  "summary", "notes", "signed_at", "acknowledged_at", "acknowledged_by"),
    "roster": ("id", "date", "shift", "role", "person_id", "name", "phone", "replaces", "reason",
               "created_at"),
    "emergencies": ("id", "kind", "title", "level", "lat", "lon", "ticket_id", "started_at",
                    "started_by", "ended_at", "ended_by", "summary", "plan_id", "plan_version",
                    "address", "location_source", "end_reason", "levels"),
    "emergency_items": ("emergency_id", "position", "text", "done_at", "done_by", "owner", "limit_min", "step"),
}


def _one(session: Session, table: str, where: str, params: dict[str, Any]) -> dict[str, Any] | None:
    r = session.execute(text(f"SELECT * FROM {table} WHERE {where}"), params).first()
    return None if r is None else dict(r._mapping)


def record_fields(session: Session, table: str, where: str, params: dict[str, Any]) -> dict[str, Any]:
    """The row's columns that its duty record carries (``FIELDS``)."""
    row = _one(session, table, where, params)
    if row is None:
        raise LookupError(f"{table}: no row where {where} {params}")
    return {k: row[k] for k in FIELDS[table]}


def add_log(session: Session, at: float, kind: str, text_: str, actor_id: str, actor: dict[str, Any],
            ticket_id: str | None, shift_date: str | None, shift: str | None) -> int:
    """A 值班日志 line; returns its id (journalled)."""
    log_id = int(journal.raw(session).execute(
        "INSERT INTO duty_log (at, kind, text, actor_id, actor, ticket_id, shift_date, shift) "
        "VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        (at, kind, text_, actor_id, json.dumps(actor, ensure_ascii=False), ticket_id, shift_date, shift),
    ).fetchone()[0])
    journal.record(session, "duty_log", str(log_id), at)
    return log_id


# -- roster ------------------------------------------------------------------------------
def roster_entry(session: Session, entry_id: str) -> dict[str, Any] | None:
    return _one(session, "roster", "id=:i", {"i": entry_id})


def add_roster_entry(session: Session, entry_id: str, date: str, shift: str, role: str, person_id: str,
                     name: str, phone: str, replaces: str | None, reason: str, now: float) -> None:
    """A local roster entry; the one it ``replaces`` is marked superseded (never deleted)."""
    session.execute(text(
        "INSERT INTO roster (id, date, shift, role, person_id, name, phone, replaces, "
        "superseded_by, local, reason, created_at) VALUES (:id,:d,:sh,:r,:p,:n,:ph,:rep,NULL,1,"
        ":why,:at)"), {"id": entry_id, "d": date, "sh": shift, "r": role, "p": person_id,
                        "n": name, "ph": phone, "rep": replaces, "why": reason, "at": now})
    if replaces is not None:
        session.execute(text("UPDATE roster SET superseded_by=:n WHERE id=:i"), {"n": entry_id, "i": replaces})
    journal.record_many(session, "roster", [x for x in (replaces, entry_id) if x], now)


# -- handovers ---------------------------------------------------------------------------
def add_handover(session: Session, handover_id: str, now: float, shift_date: str, shift: str,
                 from_user: str, to_user: str | None, summary: dict[str, Any], notes: str) -> None:
    session.execute(text(
        "INSERT INTO handovers (id, created_at, shift_date, shift, from_user, to_user, summary, "
        "notes, state) VALUES (:i,:t,:d,:sh,:f,:to,:sum,:n,'draft')"),
        {"i": handover_id, "t": now, "d": shift_date, "sh": shift, "f": from_user, "to": to_user,
         "sum": json.dumps(summary, ensure_ascii=False, default=str), "n": notes})
    journal.record(session, "handover", handover_id, now)


def sign_handover(session: Session, handover_id: str, now: float, notes: str | None) -> None:
    session.execute(text("UPDATE handovers SET state='signed', signed_at=:t, notes=coalesce(:n, notes) "
                         "WHERE id=:i"), {"t": now, "n": notes, "i": handover_id})
    journal.record(session, "handover", handover_id, now)


def acknowledge_handover(session: Session, handover_id: str, now: float, user_id: str) -> None:
    session.execute(text("UPDATE handovers SET state='acknowledged', acknowledged_at=:t, "
                         "acknowledged_by=:u, to_user=coalesce(to_user, :u) WHERE id=:i"),
                    {"t": now, "u": user_id, "i": handover_id})
    journal.record(session, "handover", handover_id, now)


# -- emergencies -------------------------------------------------------------------------
def running_emergency_id(session: Session) -> str | None:
    r = session.execute(text("SELECT id FROM emergencies WHERE ended_at IS NULL")).first()
    return None if r is None else str(r[0])


def add_emergency(session: Session, emergency_id: str, kind: str, title: str, level: str,
                  lat: float | None, lon: float | None, ticket_id: str | None, now: float, by: str,
                  checklist: list[dict[str, Any]] | list[str] | tuple[str, ...], *,
                  plan_id: str | None = None, plan_version: int | None = None,
                  address: str | None = None, location_source: str | None = None) -> None:
    """The emergency and its checklist (items: text, or {"text", "owner", "limit_min", "step"})."""
    levels = json.dumps([{"level": level, "at": now, "by": by, "reason": ""}], ensure_ascii=False)
    session.execute(text(
        "INSERT INTO emergencies (id, kind, title, level, lat, lon, ticket_id, started_at, "
        "started_by, summary, plan_id, plan_version, address, location_source, levels) "
        "VALUES (:i,:k,:t,:l,:la,:lo,:tk,:at,:by,'',:pid,:pv,:ad,:src,:lv)"),
        {"i": emergency_id, "k": kind, "t": title, "l": level, "la": lat, "lo": lon, "tk": ticket_id,
         "at": now, "by": by, "pid": plan_id, "pv": plan_version, "ad": address,
         "src": location_source, "lv": levels})
    items = [i if isinstance(i, dict) else {"text": i} for i in checklist]
    journal.raw(session).executemany(
        "INSERT INTO emergency_items (emergency_id, position, text, owner, limit_min, step) "
        "VALUES (?,?,?,?,?,?)",
        [(emergency_id, n, i["text"], i.get("owner"), i.get("limit_min"), i.get("step"))
         for n, i in enumerate(items)])
    journal.record(session, "emergency", emergency_id, now)


def set_level(session: Session, emergency_id: str, level: str, levels_json: str, now: float) -> None:
    session.execute(text("UPDATE emergencies SET level=:l, levels=:lv WHERE id=:i"),
                    {"l": level, "lv": levels_json, "i": emergency_id})
    journal.record(session, "emergency", emergency_id, now)


def set_item_done(session: Session, emergency_id: str, position: int, done_at: float | None,
                  done_by: str | None, now: float) -> bool:
    """Tick (or untick, both None) a checklist item; False when there is no such item."""
    res = session.execute(text(
        "UPDATE emergency_items SET done_at=:t, done_by=:u WHERE emergency_id=:e AND position=:p"),
        {"t": done_at, "u": done_by, "e": emergency_id, "p": position})
    if res.rowcount != 1:
        return False
    journal.record(session, "emergency", emergency_id, now)
    return True


def end_emergency(session: Session, emergency_id: str, now: float, by: str, summary: str,
                  reason: str | None = None) -> None:
    session.execute(text("UPDATE emergencies SET ended_at=:t, ended_by=:u, summary=:s, end_reason=:r "
                         "WHERE id=:i"), {"t": now, "u": by, "s": summary, "r": reason, "i": emergency_id})
    journal.record(session, "emergency", emergency_id, now)


# -- what the hall sent the district (video pushes, conference, warnings) ---------------
def add_send(session: Session, send_id: str, emergency_id: str, kind: str, entity_id: str, at: float,
             by: str, data: dict[str, Any], confirmed_at: float | None = None) -> bool:
    """A send (its first copy wins; the platform's receipt may fill ``confirmed_at``);
    False when it was already there."""
    res = session.execute(text(
        "INSERT INTO emergency_sends (id, emergency_id, kind, entity_id, at, by, data, confirmed_at) "
        "VALUES (:i,:e,:k,:en,:at,:by,:d,:c) ON CONFLICT(id) DO NOTHING"),
        {"i": send_id, "e": emergency_id, "k": kind, "en": entity_id, "at": at, "by": by,
         "d": json.dumps(data, ensure_ascii=False), "c": confirmed_at})
    journal.record(session, "emergency", emergency_id, at)
    return res.rowcount == 1


def tick_step(session: Session, emergency_id: str, step: str, done_at: float, by: str, now: float) -> int | None:
    """Mark the checklist item of plan step ``step`` done (if open); its position, or None."""
    r = session.execute(text("SELECT position FROM emergency_items WHERE emergency_id=:e AND step=:s "
                             "AND done_at IS NULL"), {"e": emergency_id, "s": step}).first()
    if r is None:
        return None
    set_item_done(session, emergency_id, int(r[0]), done_at, by, now)
    return int(r[0])


# -- link outages ------------------------------------------------------------------------
def open_outage(session: Session, started_at: float, reason: str) -> int:
    """A link outage begins (``ended_at`` NULL until ``close_outage``); returns its id."""
    oid = int(journal.raw(session).execute(
        "INSERT INTO link_outages (started_at, reason) VALUES (?, ?) RETURNING id",
        (started_at, reason[:500])).fetchone()[0])
    journal.record(session, "link_outage", str(oid), started_at)
    return oid


def close_outage(session: Session, outage_id: int, ended_at: float, queued_at_end: int | None) -> None:
    journal.raw(session).execute("UPDATE link_outages SET ended_at=?, queued_at_end=? WHERE id=?",
                                 (ended_at, queued_at_end, outage_id))
    journal.record(session, "link_outage", str(outage_id), ended_at)


# -- command chain marks -------------------------------------------------------------------
def add_command_mark(session: Session, mark_id: str, person_id: str, event: str, at: float,
                     workstation: str = "", to_person: str = "", note: str = "") -> bool:
    """A command-chain mark (idempotent by id: a synced copy of our own is skipped);
    returns whether a row was added (journalled as ``command``)."""
    n = journal.raw(session).execute(
        "INSERT INTO command_marks (id, person_id, event, at, workstation, to_person, note) "
        "VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
        (mark_id, person_id, event, at, workstation, to_person, note)).rowcount
    if n:
        journal.record(session, "command", person_id, at)
    return bool(n)


# -- night hand-off -------------------------------------------------------------------------
def add_night_watch(session: Session, watch_id: str, shift_date: str, station: str, handed_by: str,
                    handed_at: float, details: dict[str, Any]) -> None:
    journal.raw(session).execute(
        "INSERT INTO night_watches (id, shift_date, station, handed_by, handed_at, details) "
        "VALUES (?,?,?,?,?,?)",
        (watch_id, shift_date, station, handed_by, handed_at, json.dumps(details, ensure_ascii=False)))
    journal.record(session, "night_watch", watch_id, handed_at)


def take_back_night_watch(session: Session, watch_id: str, by: str, at: float,
                          summary: dict[str, Any]) -> None:
    journal.raw(session).execute(
        "UPDATE night_watches SET taken_back_by=?, taken_back_at=?, summary=? WHERE id=?",
        (by, at, json.dumps(summary, ensure_ascii=False), watch_id))
    journal.record(session, "night_watch", watch_id, at)
