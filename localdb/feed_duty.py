"""Applying ``duty_record`` feed items to the hall's local tables (docs/CONTRACT.md, "Duty records").

A duty record carries one entity's full state (``handover``, ``roster`` entry,
``emergency``, ``emergency_item``) or one new ``duty_log`` line, made at some workstation
of the hall (this one included: our own records come back on the feed). Applying is
idempotent: entities are upserted by their ids (an ``emergency_item`` by emergency and
position), a duty-log line is inserted only if no line with the same time, kind, text
and author exists. Records never move an entity backwards: a handover does not go back
from acknowledged to signed, an ended emergency does not restart. A checklist item
can be unchecked again, so while this workstation has unsent records of an item the
feed's copies of it are skipped (ours is newer and will come back). Roster entries
and log lines never change and always apply (the ``roster`` change of an override,
applied just before, resets ``local``/``reason``: the record restores them). Called by
``localdb.feed.apply_changes`` inside its transaction; bad items are quarantined.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from console.domain import wire_rules
from localdb import journal

KINDS = ("handover", "roster", "emergency", "emergency_item", "duty_log", "alarm_disposition",
         "command", "night_watch", "alert_ack", "video_push", "conference", "warning",
         "resource_assignment")
MAX_DATA_CHARS = 600_000  # the platform takes up to 512 000 (a handover's shift snapshot)
_HANDOVER_RANK = {"draft": 0, "signed": 1, "acknowledged": 2}
_HANDOVER_COLS = ("id", "created_at", "shift_date", "shift", "from_user", "to_user", "summary",
                  "notes", "signed_at", "acknowledged_at", "acknowledged_by", "state")
_ROSTER_COLS = ("id", "date", "shift", "role", "person_id", "name", "phone", "replaces", "local",
                "reason", "created_at")
_EMERGENCY_COLS = ("id", "kind", "title", "level", "lat", "lon", "ticket_id", "started_at",
                   "started_by", "ended_at", "ended_by", "summary", "plan_id", "plan_version",
                   "address", "location_source", "end_reason", "levels")
_ITEM_COLS = ("emergency_id", "position", "text", "done_at", "done_by", "owner", "limit_min", "step")


class _Skip(Exception):
    """Quarantine this item with the message as reason."""


def entity_key(kind: str, data: dict[str, Any]) -> tuple[str, str] | None:
    """The entity of a record that may go back and forth (a checklist item is checked
    and unchecked): (kind, id). None for the others: handovers and emergencies only
    move forward (the rank rule), roster entries and log lines never change."""
    if kind == "emergency_item":
        return kind, f"{data.get('emergency_id')}:{data.get('position')}"
    return None


def _pending_keys(s: Session) -> set[tuple[str, str]]:
    keys = set()
    for (params,) in journal.raw(s).execute(
            "SELECT params FROM outbox WHERE verb='duty_record' AND status IN ('queued','inflight')"):
        try:
            rec = json.loads(params)
            key = entity_key(rec["kind"], rec["data"])
        except (ValueError, KeyError, TypeError):
            continue
        if key is not None:
            keys.add(key)
    return keys


def _num(v: Any) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise _Skip(f"not a number: {v!r}")
    return float(v)


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


def _int(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int):
        raise _Skip(f"not an integer: {v!r}")
    return v


def _current(con, table: str, cols: tuple[str, ...], where: str, params: tuple) -> dict | None:
    row = con.execute(f"SELECT {', '.join(cols)} FROM {table} WHERE {where}", params).fetchone()
    return None if row is None else dict(zip(cols, row))


def _upsert(con, table: str, cols: tuple[str, ...], conflict: str, values: dict,
            keep: tuple[str, ...] = ()) -> None:
    sets = ", ".join(f"{c}=excluded.{c}" for c in cols if c not in conflict.split(",") + list(keep))
    con.execute(f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({','.join('?' * len(cols))}) "
                f"ON CONFLICT({conflict}) DO UPDATE SET {sets}", tuple(values[c] for c in cols))


def _handover(con, d: dict, actor: dict) -> list[tuple[str, str]]:
    v = {"id": str(d["id"]), "created_at": _num(d["created_at"]), "shift_date": str(d["shift_date"]),
         "shift": str(d["shift"]), "from_user": str(d["from_user"]), "to_user": _str(d.get("to_user")),
         "summary": json.dumps(d.get("summary") or {}, ensure_ascii=False),
         "notes": str(d.get("notes") or ""), "signed_at": _num(d.get("signed_at")),
         "acknowledged_at": _num(d.get("acknowledged_at")),
         "acknowledged_by": _str(d.get("acknowledged_by")), "state": str(d["state"])}
    if v["state"] not in _HANDOVER_RANK:
        raise _Skip(f"unknown handover state {v['state']!r}")
    cur = _current(con, "handovers", _HANDOVER_COLS, "id=?", (v["id"],))
    if cur is not None:
        if _HANDOVER_RANK.get(cur["state"], 0) > _HANDOVER_RANK[v["state"]]:
            return []  # older than what we hold
        if cur == v:
            return []
    _upsert(con, "handovers", _HANDOVER_COLS, "id", v)
    return [("handover", v["id"])]


def _roster(con, d: dict, actor: dict) -> list[tuple[str, str]]:
    v = {"id": str(d["id"]), "date": str(d["date"]), "shift": str(d["shift"]), "role": str(d["role"]),
         "person_id": str(d["person_id"]), "name": str(d.get("name") or ""),
         "phone": str(d.get("phone") or ""), "replaces": _str(d.get("replaces")), "local": 1,
         "reason": str(d.get("reason") or ""), "created_at": _num(d.get("created_at"))}
    changed = []
    cur = _current(con, "roster", _ROSTER_COLS, "id=?", (v["id"],))
    if cur != v:
        _upsert(con, "roster", _ROSTER_COLS, "id", v)  # superseded_by is kept
        changed.append(("roster", v["id"]))
    if v["replaces"]:
        n = con.execute("UPDATE roster SET superseded_by=? WHERE id=? AND superseded_by IS NULL",
                        (v["id"], v["replaces"])).rowcount
        if n:
            changed.append(("roster", v["replaces"]))
    return changed


def _emergency(con, d: dict, actor: dict) -> list[tuple[str, str]]:
    v = {"id": str(d["id"]), "kind": str(d["kind"]), "title": str(d.get("title") or ""),
         "level": str(d.get("level") or ""), "lat": _num(d.get("lat")), "lon": _num(d.get("lon")),
         "ticket_id": _str(d.get("ticket_id")), "started_at": _num(d["started_at"]),
         "started_by": str(d["started_by"]), "ended_at": _num(d.get("ended_at")),
         "ended_by": _str(d.get("ended_by")), "summary": str(d.get("summary") or ""),
         "plan_id": _str(d.get("plan_id")), "plan_version": _int(d.get("plan_version")),
         "address": _str(d.get("address")), "location_source": _str(d.get("location_source")),
         "end_reason": _str(d.get("end_reason")), "levels": _str(d.get("levels"))}
    cur = _current(con, "emergencies", _EMERGENCY_COLS, "id=?", (v["id"],))
    if cur is not None and (cur == v or (cur["ended_at"] is not None and v["ended_at"] is None)):
        return []
    _upsert(con, "emergencies", _EMERGENCY_COLS, "id", v)
    return [("emergency", v["id"])]


def _item(con, d: dict, actor: dict) -> list[tuple[str, str]]:
    pos = d["position"]
    if isinstance(pos, bool) or not isinstance(pos, int):
        raise _Skip("position is not an integer")
    v = {"emergency_id": str(d["emergency_id"]), "position": pos, "text": str(d["text"]),
         "done_at": _num(d.get("done_at")), "done_by": _str(d.get("done_by")),
         "owner": _str(d.get("owner")), "limit_min": _num(d.get("limit_min")),
         "step": _str(d.get("step"))}
    if con.execute("SELECT 1 FROM emergencies WHERE id=?", (v["emergency_id"],)).fetchone() is None:
        raise _Skip(f"unknown emergency {v['emergency_id']}")
    cur = _current(con, "emergency_items", _ITEM_COLS, "emergency_id=? AND position=?",
                   (v["emergency_id"], pos))
    if cur == v:
        return []
    _upsert(con, "emergency_items", _ITEM_COLS, "emergency_id,position", v)
    return [("emergency", v["emergency_id"])]


def _duty_log(con, d: dict, actor: dict) -> list[tuple[str, str]]:
    at, kind, text_ = _num(d["at"]), str(d["kind"]), str(d["text"])
    actor_id = str(actor.get("user_id") or "")
    if con.execute("SELECT 1 FROM duty_log WHERE at=? AND kind=? AND text=? AND actor_id=?",
                   (at, kind, text_, actor_id)).fetchone() is not None:
        return []  # ours coming back, or delivered before
    (log_id,) = con.execute(
        "INSERT INTO duty_log (at, kind, text, actor_id, actor, ticket_id, shift_date, shift) "
        "VALUES (?,?,?,?,?,?,?,?) RETURNING id",
        (at, kind, text_, actor_id, json.dumps(actor, ensure_ascii=False), _str(d.get("ticket_id")),
         _str(d.get("shift_date")), _str(d.get("shift")))).fetchone()
    return [("duty_log", str(log_id))]


def _alarm_disposition(con, d: dict[str, Any], actor: dict[str, Any]) -> list[tuple[str, str]]:
    # The platform applies the disposition to the alarm itself and sends the alarm
    # again on the feed (kind "alarm"): the record needs no table of its own here.
    return []


def _command(con, d: dict[str, Any], actor: dict[str, Any]) -> list[tuple[str, str]]:
    """A command-chain mark (console.domain.command) from some desk of the hall."""
    from console.domain import command as C

    if d.get("event") not in C.EVENTS:
        raise _Skip(f"unknown command event {d.get('event')!r}")
    at = _num(d["at"])
    n = con.execute("INSERT INTO command_marks (id, person_id, event, at, workstation, to_person, note) "
                    "VALUES (?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
                    (str(d["id"]), str(d["person_id"]), str(d["event"]), at,
                     str(d.get("workstation") or ""), str(d.get("to") or ""),
                     str(d.get("note") or ""))).rowcount
    return [("command", str(d["person_id"]))] if n else []


def _night_watch(con, d: dict[str, Any], actor: dict[str, Any]) -> list[tuple[str, str]]:
    """A night hand-off record (console.operations.night): upserted by id, never moved
    back from taken-back to open."""
    wid = str(d["id"])
    cur = con.execute("SELECT taken_back_at FROM night_watches WHERE id=?", (wid,)).fetchone()
    if cur is not None and (cur[0] is not None or d.get("taken_back_at") is None):
        return []  # ours coming back, or older than what we hold
    con.execute("INSERT INTO night_watches (id, shift_date, station, handed_by, handed_at, details, "
                "taken_back_by, taken_back_at, summary) VALUES (?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO "
                "UPDATE SET taken_back_by=excluded.taken_back_by, taken_back_at=excluded.taken_back_at, "
                "summary=excluded.summary",
                (wid, str(d["shift_date"]), str(d["station"]), str(d["handed_by"]), _num(d["handed_at"]),
                 json.dumps(d.get("details") or {}, ensure_ascii=False), _str(d.get("taken_back_by")),
                 _num(d.get("taken_back_at")),
                 None if d.get("summary") is None else json.dumps(d["summary"], ensure_ascii=False)))
    return [("night_watch", wid)]


def _alert_ack(con, d: dict[str, Any], actor: dict[str, Any]) -> list[tuple[str, str]]:
    """An alert acknowledged at some desk of the hall (``console.operations.supervision``):
    the alert (same deterministic id on every desk) is marked acknowledged here too, and
    stored acknowledged if this desk had not raised it yet, so that its scan never raises
    it. The first acknowledgement stays: a later one (two desks that acknowledged while
    cut off) changes nothing."""
    aid = str(d["id"])
    at = _num(d["at"])
    by = str(actor.get("user_id") or "")
    ws = _str(d.get("workstation")) or _str(actor.get("workstation"))
    n = con.execute(
        "INSERT INTO supervision_alerts (id, ticket_id, kind, mark, since, raised_at, raised_by_ws, "
        "reminders, level, acked_at, acked_by, acked_ws, ack_note) VALUES (?,?,?,?,?,?,?,0,0,?,?,?,?) "
        "ON CONFLICT(id) DO UPDATE SET acked_at=excluded.acked_at, acked_by=excluded.acked_by, "
        "acked_ws=excluded.acked_ws, ack_note=excluded.ack_note WHERE supervision_alerts.acked_at IS NULL",
        (aid, str(d["ticket_id"]), str(d["kind"]), _num(d.get("mark")), _num(d.get("since")),
         _num(d.get("raised_at")) or at, None, at, by, ws, str(d.get("note") or ""))).rowcount
    return [("alert", aid)] if n else []


#: the plan step a send completes once the platform confirms it
_SEND_STEP = {"video_push": "video", "conference": "conference", "warning": "warning"}


def _make_send(kind: str):
    """A video push, conference or warning version: stored once (a desk's own is there
    already), and the platform's receipt ``received_at`` becomes its ``confirmed_at``;
    the video push's receipt is what completes the checklist's video step (on every desk
    of the hall alike), the first issued warning's the warning step."""

    def apply(con, d: dict, actor: dict) -> list[tuple[str, str]]:
        eid, sid = str(d["emergency_id"]), f"{kind}:{d['id']}:{int(d.get('version') or 1)}"
        if con.execute("SELECT 1 FROM emergencies WHERE id=?", (eid,)).fetchone() is None:
            raise _Skip(f"unknown emergency {eid}")
        received = _num(d.get("received_at"))
        by = str(actor.get("user_id") or "")
        stored = {k: v for k, v in d.items() if k != "received_at"}
        n = con.execute("INSERT INTO emergency_sends (id, emergency_id, kind, entity_id, at, by, data, "
                        "confirmed_at) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT(id) DO NOTHING",
                        (sid, eid, kind, str(d["id"]), float(d["at"]), by,
                         json.dumps(stored, ensure_ascii=False), received)).rowcount
        if not n and received is not None:
            n = con.execute("UPDATE emergency_sends SET confirmed_at=?, data=? WHERE id=? AND confirmed_at IS NULL",
                            (received, json.dumps(stored, ensure_ascii=False), sid)).rowcount
        if received is not None and kind in _SEND_STEP and (kind != "warning" or d.get("state") == "issued"):
            done_at = _num(d.get("started_at")) if kind == "conference" else received
            n += con.execute("UPDATE emergency_items SET done_at=?, done_by=? WHERE emergency_id=? AND step=? "
                             "AND done_at IS NULL", (done_at or received, by, eid, _SEND_STEP[kind])).rowcount
        return [("emergency", eid)] if n else []

    return apply


_APPLY = {"command": _command, "night_watch": _night_watch, "handover": _handover, "roster": _roster,
          "emergency": _emergency, "emergency_item": _item, "duty_log": _duty_log,
          "alert_ack": _alert_ack, "alarm_disposition": _alarm_disposition, **{k: _make_send(k) for k in (*_SEND_STEP, "resource_assignment")}}


def apply_duty_records(s: Session, items: list[dict], now: float, report: Any) -> None:
    """The ``duty_record`` handler of ``localdb.feed`` (same signature as its handlers)."""
    from localdb import dbapi
    from localdb.feed import _changed, _quarantine

    con = journal.raw(s)
    pending = _pending_keys(s)
    changed: dict[str, list[str]] = {}
    for it in items:
        if it["op"] != "upsert":  # records are never deleted
            report.unchanged += 1
            continue
        r = it["data"]
        try:
            kind, data, actor = r.get("kind"), r.get("data"), r.get("actor")
            if kind not in _APPLY:
                raise _Skip(f"unknown duty record kind {kind!r}")
            if not isinstance(data, dict) or not isinstance(actor, dict):
                raise _Skip("duty record without data/actor objects")
            if len(json.dumps(data, ensure_ascii=False)) > MAX_DATA_CHARS:
                raise _Skip("payload too large")
            why = wire_rules.record_problem(kind, data)   # the platform's rule, again here
            if why:
                raise _Skip(why)
            key = entity_key(kind, data)
            if key is not None and key in pending:
                report.unchanged += 1  # our newer change of this entity is on its way
                continue
            with dbapi.savepoint(con):  # a refused row must not end the transaction
                done = _APPLY[kind](con, data, actor)
        except _Skip as exc:
            _quarantine(s, it, str(exc), now, report)
            continue
        except (KeyError, ValueError, TypeError, *dbapi.INTEGRITY_ERRORS) as exc:
            _quarantine(s, it, f"malformed duty record: {exc!r}", now, report)
            continue
        if not done:
            report.unchanged += 1
        for k, eid in done:
            if eid not in changed.setdefault(k, []):
                changed[k].append(eid)
    for k, ids in changed.items():
        journal.record_many(s, k, ids, now)
        _changed(report, k, ids)
