"""Read-only queries of the commander panel, duty log, handover and emergency views.

Qt-free. Every query touching ``tickets`` is a range or equality on an indexed
column (``needs_commander``, ``limit_deadline``, ``state``); the other tables are
small (one row per log line, outage, handover, roster slot).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from console.domain import roster as R
from console.domain import urgency
from console.domain.model import OPEN_STATES

_OPEN = tuple(sorted(s.value for s in OPEN_STATES))
_INBOX_COLS = ("id, number, state, category_name, address, description, priority, "
               "commander_reason, extension_request, key_supervision, limit_deadline, "
               "created_at, updated_at, department_id, escalation_level, pending, version")


def _dicts(session: Session, sql: str, params: dict | None = None) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in session.execute(text(sql), params or {})]


def _in(values: tuple[str, ...], prefix: str, params: dict) -> str:
    keys = []
    for i, v in enumerate(values):
        params[f"{prefix}{i}"] = v
        keys.append(f":{prefix}{i}")
    return ", ".join(keys)


# -- commander's inbox ------------------------------------------------------------------

def inbox(session: Session, now: float, limit: int = 500) -> list[dict[str, Any]]:
    """Tickets waiting on the commander and overdue key-supervision tickets, in the
    priority order (``console.domain.urgency``).

    Each row gets ``reason``: the ticket's ``commander_reason`` (escalate,
    leader_dispatch, extension, ...) or ``overdue_key`` for 重点监管 past its limit.
    """
    rows = _dicts(session, f"SELECT {_INBOX_COLS} FROM tickets WHERE needs_commander = 1 "
                           f"ORDER BY created_at LIMIT :n", {"n": limit})
    for r in rows:
        r["reason"] = r["commander_reason"] or "escalate"
    seen = {r["id"] for r in rows}
    overdue = _dicts(session, f"SELECT {_INBOX_COLS} FROM tickets WHERE limit_deadline < :now "
                              f"AND key_supervision = 1 ORDER BY limit_deadline LIMIT :n",
                     {"now": now, "n": limit})
    for r in overdue:
        if r["id"] not in seen:
            r["reason"] = "overdue_key"
            rows.append(r)
    for r in rows:
        r["extension_request"] = json.loads(r["extension_request"]) if r["extension_request"] else None
    rows.sort(key=urgency.row_priority_key)  # 特急 and overdue first, then by time left
    return rows


def roster_rows(session: Session, first: str, last: str) -> list[dict[str, Any]]:
    """Every roster row (current and superseded) with date in [first, last]."""
    return _dicts(session, "SELECT * FROM roster WHERE date >= :a AND date <= :b "
                           "ORDER BY date, shift, role, created_at, id", {"a": first, "b": last})


def roster_entries(session: Session, first: str, last: str) -> list[R.RosterEntry]:
    """The same rows as domain entries (``replaces`` chains intact for ``effective``)."""
    out = []
    for r in roster_rows(session, first, last):
        out.append(R.RosterEntry.from_dict({**r, "created_at": r["created_at"] or 0.0,
                                            "replaces": r["replaces"], "created_by": ""}))
    return out


def roster_history(session: Session, entry_id: str) -> list[dict[str, Any]]:
    """The chain of entries of one slot, oldest first, ending with ``entry_id``'s newest."""
    chain: list[dict[str, Any]] = []
    current = session.execute(text("SELECT * FROM roster WHERE id = :i"), {"i": entry_id}).first()
    # walk back to the first planned entry
    guard = 0
    while current is not None and guard < 100:
        chain.insert(0, dict(current._mapping))
        if not current.replaces:
            break
        current = session.execute(text("SELECT * FROM roster WHERE id = :i"),
                                  {"i": current.replaces}).first()
        guard += 1
    # and forward to the newest
    last = chain[-1] if chain else None
    while last is not None and last.get("superseded_by") and guard < 200:
        nxt = session.execute(text("SELECT * FROM roster WHERE id = :i"),
                              {"i": last["superseded_by"]}).first()
        if nxt is None:
            break
        last = dict(nxt._mapping)
        chain.append(last)
        guard += 1
    return chain


# -- duty records ---------------------------------------------------------------------------

def duty_log(session: Session, start: float, end: float, limit: int = 2000) -> list[dict[str, Any]]:
    return _dicts(session, "SELECT id, at, kind, text, actor_id, actor, ticket_id, shift_date, shift "
                           "FROM duty_log WHERE at >= :a AND at < :b ORDER BY at, id LIMIT :n",
                  {"a": start, "b": end, "n": limit})


def link_outages(session: Session, start: float, end: float) -> list[dict[str, Any]]:
    """Outages overlapping [start, end) (an open one has ``ended_at`` NULL)."""
    return _dicts(session, "SELECT * FROM link_outages WHERE started_at < :b AND "
                           "(ended_at IS NULL OR ended_at >= :a) ORDER BY started_at",
                  {"a": start, "b": end})


def open_outage(session: Session) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT * FROM link_outages WHERE ended_at IS NULL "
                           "ORDER BY started_at DESC LIMIT 1")
    return rows[0] if rows else None


def device_faults(session: Session, start: float, end: float) -> dict[str, list[dict[str, Any]]]:
    """Cameras offline and sensors not normal now; alarms raised in [start, end)."""
    return {
        "cameras": _dicts(session, "SELECT id, name, grid_id FROM cameras WHERE online = 0 ORDER BY id"),
        "sensors": _dicts(session, "SELECT id, name, type, status, grid_id FROM sensors "
                                   "WHERE status != 'normal' ORDER BY id"),
        "alarms": _dicts(session, "SELECT id, sensor_id, type, raised_at, cleared_at, ticket_id, "
                                  "level FROM alarms WHERE raised_at >= :a AND raised_at < :b "
                                  "ORDER BY raised_at", {"a": start, "b": end}),
    }


def handovers(session: Session, limit: int = 200) -> list[dict[str, Any]]:
    return _dicts(session, "SELECT id, created_at, shift_date, shift, from_user, to_user, state, "
                           "signed_at, acknowledged_at, acknowledged_by FROM handovers "
                           "ORDER BY created_at DESC LIMIT :n", {"n": limit})


def handover(session: Session, handover_id: str) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT * FROM handovers WHERE id = :i", {"i": handover_id})
    if not rows:
        return None
    h = rows[0]
    h["summary"] = json.loads(h["summary"] or "{}")
    return h


def handover_for_shift(session: Session, shift_date: str, shift: str) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT id FROM handovers WHERE shift_date = :d AND shift = :s "
                           "ORDER BY created_at DESC LIMIT 1", {"d": shift_date, "s": shift})
    return handover(session, rows[0]["id"]) if rows else None


def active_emergency(session: Session) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT * FROM emergencies WHERE ended_at IS NULL "
                           "ORDER BY started_at DESC LIMIT 1")
    return rows[0] if rows else None


def last_emergency(session: Session) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT * FROM emergencies ORDER BY started_at DESC LIMIT 1")
    return rows[0] if rows else None


def emergency(session: Session, emergency_id: str) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT * FROM emergencies WHERE id = :i", {"i": emergency_id})
    return rows[0] if rows else None


def emergency_items(session: Session, emergency_id: str) -> list[dict[str, Any]]:
    return _dicts(session, "SELECT * FROM emergency_items WHERE emergency_id = :e ORDER BY position",
                  {"e": emergency_id})


def plans(session: Session) -> list[dict[str, Any]]:
    """The desk's current plans (newest versions), by type."""
    return _dicts(session, "SELECT id, type, name, version, data FROM plans ORDER BY type, id")


def plan_of_type(session: Session, kind: str) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT id, type, name, version, data FROM plans WHERE type = :k "
                           "ORDER BY id LIMIT 1", {"k": kind})
    return rows[0] if rows else None


def plan(session: Session, plan_id: str, version: int | None = None) -> dict[str, Any] | None:
    """A plan as cached: ``version`` from every version seen, else the current one."""
    if version is None:
        rows = _dicts(session, "SELECT id, type, name, version, data FROM plans WHERE id = :i",
                      {"i": plan_id})
    else:
        rows = _dicts(session, "SELECT plan_id AS id, version, data FROM plan_versions "
                               "WHERE plan_id = :i AND version = :v", {"i": plan_id, "v": version})
    return rows[0] if rows else None


def cameras(session: Session, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Cameras by id (name, online, stream link) for a video push."""
    if not ids:
        return {}
    marks = ",".join(f":c{i}" for i in range(len(ids)))
    rows = _dicts(session, f"SELECT id, name, online, stream_url FROM cameras WHERE id IN ({marks})",
                  {f"c{i}": c for i, c in enumerate(ids)})
    return {r["id"]: {**r, "online": bool(r["online"])} for r in rows}


def resources(session: Session) -> list[dict[str, Any]]:
    """应急物资 then 应急力量, each entry with its platform fields."""
    rows = _dicts(session, "SELECT data FROM resources ORDER BY category DESC, name")
    return [json.loads(r["data"]) for r in rows]


def resource(session: Session, resource_id: str) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT data FROM resources WHERE id = :i", {"i": resource_id})
    return json.loads(rows[0]["data"]) if rows else None


def sends(session: Session, emergency_id: str, kind: str | None = None) -> list[dict[str, Any]]:
    """What the hall sent the district for an emergency, oldest first (``data`` decoded)."""
    sql = "SELECT * FROM emergency_sends WHERE emergency_id = :e"
    params: dict[str, Any] = {"e": emergency_id}
    if kind is not None:
        sql += " AND kind = :k"
        params["k"] = kind
    out = _dicts(session, sql + " ORDER BY at, id", params)
    for r in out:
        r["data"] = json.loads(r["data"])
    return out


def warning(session: Session, warning_id: str) -> dict[str, Any] | None:
    """A warning's latest version (its data, with ``confirmed_at`` of that version)."""
    rows = _dicts(session, "SELECT data, confirmed_at FROM emergency_sends WHERE kind='warning' "
                           "AND entity_id = :w", {"w": warning_id})
    if not rows:
        return None
    latest = max(rows, key=lambda r: json.loads(r["data"])["version"])
    return {**json.loads(latest["data"]), "confirmed_at": latest["confirmed_at"]}


def warnings(session: Session, emergency_id: str) -> list[dict[str, Any]]:
    """Every warning of the emergency, latest version each, in order of issue."""
    ids = [r["entity_id"] for r in _dicts(
        session, "SELECT entity_id, min(at) AS first FROM emergency_sends WHERE kind='warning' "
                 "AND emergency_id = :e GROUP BY entity_id ORDER BY first", {"e": emergency_id})]
    return [w for w in (warning(session, i) for i in ids) if w is not None]


def plan_count(session: Session) -> int:
    return int(session.execute(text("SELECT count(*) FROM plans")).scalar() or 0)


def emergencies(session: Session, start: float, end: float) -> list[dict[str, Any]]:
    return _dicts(session, "SELECT * FROM emergencies WHERE started_at < :b AND "
                           "(ended_at IS NULL OR ended_at >= :a) ORDER BY started_at",
                  {"a": start, "b": end})


def outbox_summary(session: Session) -> dict[str, int]:
    counts = dict(session.execute(text(
        "SELECT status, count(*) FROM outbox WHERE status IN ('queued','inflight','needs_attention') "
        "GROUP BY status")).all())
    return {"unsent": int(counts.get("queued", 0)) + int(counts.get("inflight", 0)),
            "needs_attention": int(counts.get("needs_attention", 0))}


def open_by_state(session: Session) -> dict[str, int]:
    params: dict[str, Any] = {}
    ph = _in(_OPEN, "s", params)
    return {r[0]: int(r[1]) for r in session.execute(text(
        f"SELECT state, count(*) FROM tickets WHERE state IN ({ph}) GROUP BY state"), params)}


def due_between(session: Session, start: float, end: float, limit: int = 200) -> tuple[int, list[dict]]:
    """Open tickets whose running limit falls in [start, end): the count and the first rows."""
    n = session.execute(text("SELECT count(*) FROM tickets WHERE limit_deadline >= :a AND "
                             "limit_deadline < :b"), {"a": start, "b": end}).scalar_one()
    rows = _dicts(session, "SELECT id, number, state, category_name, address, limit_deadline, "
                           "department_id FROM tickets WHERE limit_deadline >= :a AND "
                           "limit_deadline < :b ORDER BY limit_deadline LIMIT :n",
                  {"a": start, "b": end, "n": limit})
    return int(n), rows


def overdue_count(session: Session, now: float) -> int:
    return int(session.execute(text("SELECT count(*) FROM tickets WHERE limit_deadline < :n"),
                               {"n": now}).scalar_one())


def commander_pending(session: Session, limit: int = 200) -> tuple[int, list[dict]]:
    n = session.execute(text("SELECT count(*) FROM tickets WHERE needs_commander = 1")).scalar_one()
    rows = _dicts(session, "SELECT id, number, state, category_name, commander_reason, address "
                           "FROM tickets WHERE needs_commander = 1 ORDER BY created_at LIMIT :n",
                  {"n": limit})
    return int(n), rows


def department_names(session: Session) -> dict[str, str]:
    return dict(session.execute(text("SELECT id, name FROM departments")).all())


def grid_names(session: Session, layer: str = "resp_grid") -> dict[str, str]:
    return dict(session.execute(text("SELECT id, name FROM grids WHERE layer = :l"), {"l": layer}).all())


# -- command chain and night watch ------------------------------------------------------------
def command_marks(session: Session, since: float) -> list[dict[str, Any]]:
    """Command-chain marks made at or after ``since`` (oldest first)."""
    return _dicts(session, "SELECT * FROM command_marks WHERE at >= :a ORDER BY at, id", {"a": since})


def last_presence_marks(session: Session, before: float) -> list[dict[str, Any]]:
    """Each person's latest login/logout per workstation made before ``before`` (a login
    from yesterday still seats someone today)."""
    return _dicts(session, "SELECT m.* FROM command_marks m JOIN (SELECT person_id, workstation, "
                           "MAX(at) AS at FROM command_marks WHERE event IN ('login','logout') AND "
                           "at < :b GROUP BY person_id, workstation) l ON m.person_id=l.person_id "
                           "AND m.workstation=l.workstation AND m.at=l.at "
                           "WHERE m.event IN ('login','logout')", {"b": before})


def night_watch(session: Session, watch_id: str) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT * FROM night_watches WHERE id=:i", {"i": watch_id})
    return _watch(rows[0]) if rows else None


def open_night_watch(session: Session) -> dict[str, Any] | None:
    """The night hand-off not yet taken back (the police station holds the watch)."""
    rows = _dicts(session, "SELECT * FROM night_watches WHERE taken_back_at IS NULL "
                           "ORDER BY handed_at DESC, id LIMIT 1")
    return _watch(rows[0]) if rows else None


def night_watch_for(session: Session, shift_date: str) -> dict[str, Any] | None:
    rows = _dicts(session, "SELECT * FROM night_watches WHERE shift_date=:d ORDER BY handed_at, id",
                  {"d": shift_date})
    return _watch(rows[0]) if rows else None


def _watch(r: dict[str, Any]) -> dict[str, Any]:
    r["details"] = json.loads(r["details"] or "{}")
    r["summary"] = json.loads(r["summary"]) if r["summary"] else None
    return r


def duty_pattern_raw(session: Session) -> Any:
    """The street's duty pattern as the platform sent it (``settings_kv``), or None."""
    v = session.execute(text("SELECT value FROM settings_kv WHERE key='duty_pattern'")).scalar()
    return None if v is None else json.loads(v)


def tickets_created_between(session: Session, start: float, end: float, limit: int = 2000) -> list[dict[str, Any]]:
    """Tickets that arrived in [start, end) (the night's intake), oldest first."""
    return _dicts(session, "SELECT id, number, state, channel, priority, key_supervision, "
                           "category_name, address, created_at, limit_deadline FROM tickets "
                           "WHERE created_at >= :a AND created_at < :b ORDER BY created_at, id LIMIT :n",
                  {"a": start, "b": end, "n": limit})


def open_urgent(session: Session, limit: int = 200) -> list[dict[str, Any]]:
    """Open tickets that cannot wait for the morning (重点监管, IoT alarms, 特急)."""
    from console.domain.model import OPEN_STATES as _OPEN

    states = tuple(s.value for s in _OPEN)
    params: dict[str, Any] = {"n": limit}
    return _dicts(session, "SELECT id, number, state, channel, priority, key_supervision, "
                           "category_name, address, created_at, limit_deadline FROM tickets "
                           f"WHERE state IN ({_in(states, 's', params)}) AND (key_supervision = 1 "
                           "OR channel = 'iot_alarm' OR priority = 'critical') "
                           "ORDER BY created_at LIMIT :n", params)


def alarms_between(session: Session, start: float, end: float) -> int:
    return int(session.execute(text("SELECT count(*) FROM alarms WHERE raised_at >= :a AND raised_at < :b"),
                               {"a": start, "b": end}).scalar_one())
