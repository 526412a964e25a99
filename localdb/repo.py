"""Read side of the store: queue rows by id, ticket detail, reference data.

The queue's filters, sorts, pages and counts are ``localdb.queue_query``.
All functions take a Session from ``Store.session()`` (or ``Store.write()``).
"""

from __future__ import annotations

import json
import math
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from console.domain.model import OPEN_STATES, Ticket
from localdb import crypto, journal
from localdb.convert import row_to_ticket

#: Columns the queue shows (never the reporter's phone).
ROW_COLUMNS = (
    "rid", "id", "number", "state", "channel", "category_kind", "category_code",
    "category_name", "priority", "address", "description", "grid_street", "grid_resp",
    "grid_committee", "grid_micro", "department_id", "created_at", "updated_at", "deadline",
    "pending", "attention", "needs_commander", "commander_reason", "key_supervision",
    "urge_count", "escalation_level", "last_actor_id", "lat", "lon", "version",
    "suspended_since", "extension_request", "warn_lead_s",
)


def get_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """Queue rows for the given row ids, in the same order (missing ids skipped)."""
    if not ids:
        return []
    out: dict[int, dict] = {}
    cols = ", ".join(ROW_COLUMNS)
    con = journal.raw(session)  # plain tuples: no Row objects
    names = ROW_COLUMNS
    for i in range(0, len(ids), 900):
        chunk = [int(x) for x in ids[i : i + 900]]
        ph = ",".join(str(x) for x in chunk)  # ints only: safe to inline
        for r in con.execute(f"SELECT {cols} FROM tickets WHERE rid IN ({ph})"):
            d = dict(zip(names, r))
            d["attention"] = bool(d["attention"])
            d["needs_commander"] = bool(d["needs_commander"])
            d["key_supervision"] = bool(d["key_supervision"])
            out[d["rid"]] = d
    return [out[i] for i in ids if i in out]


def rowids_for(session: Session, ticket_ids: list[str]) -> dict[str, int]:
    """Ticket id -> row id (the journal speaks ticket ids, the queue row ids)."""
    out: dict[str, int] = {}
    for i in range(0, len(ticket_ids), 900):
        chunk = list(ticket_ids[i : i + 900])
        params = {f"p{n}": v for n, v in enumerate(chunk)}
        ph = ", ".join(f":p{n}" for n in range(len(chunk)))
        out.update(session.execute(text(f"SELECT id, rid FROM tickets WHERE id IN ({ph})"), params).all())
    return out


def get_ticket(session: Session, ticket_id: str | int) -> Ticket | None:
    col = "rid" if isinstance(ticket_id, int) else "id"
    r = session.execute(text(f"SELECT * FROM tickets WHERE {col} = :v"), {"v": ticket_id}).first()
    return None if r is None else row_to_ticket(r)


def ticket_local_state(session: Session, ticket_id: str) -> dict[str, Any] | None:
    r = session.execute(
        text("SELECT rid, pending, attention, last_actor_id, warn_lead_s FROM tickets WHERE id=:i"),
        {"i": ticket_id},
    ).first()
    return None if r is None else dict(r._mapping)


def base_ticket(session: Session, ticket_id: str) -> Ticket | None:
    """The platform's state of a ticket with unconfirmed local actions (else None)."""
    v = session.execute(text("SELECT data FROM ticket_base WHERE id=:i"), {"i": ticket_id}).scalar()
    return None if v is None else Ticket.from_dict(crypto.loads(v))


def ticket_events(session: Session, ticket_id: str) -> list[dict[str, Any]]:
    """The ticket's timeline, oldest first; ``local`` marks not-yet-confirmed entries."""
    rows = session.execute(
        text("SELECT event_id, ticket_id, action, actor, at, from_state, to_state, params, "
             "local, command_id FROM ticket_events WHERE ticket_id=:i ORDER BY at, rowid"),
        {"i": ticket_id},
    )
    out = []
    for r in rows:
        d = dict(r._mapping)
        d["actor"] = json.loads(d["actor"])
        d["params"] = crypto.loads(d["params"] or "{}")
        d["local"] = bool(d["local"])
        out.append(d)
    return out


def last_ticket_event(session: Session, ticket_id: str) -> dict[str, Any] | None:
    """The ticket's newest event (``action``, ``actor`` dict, ``at``), or None."""
    r = session.execute(
        text("SELECT action, actor, at FROM ticket_events WHERE ticket_id=:i "
             "ORDER BY at DESC, rowid DESC LIMIT 1"), {"i": ticket_id}).first()
    if r is None:
        return None
    try:
        who = json.loads(r[1])
    except (TypeError, ValueError):
        who = {}
    return {"action": r[0], "actor": who if isinstance(who, dict) else {}, "at": r[2]}


def merged_ids(session: Session, ticket_ids: list[str]) -> set[str]:
    """Which of ``ticket_ids`` are merged into another ticket (并案)."""
    if not ticket_ids:
        return set()
    params = {f"i{n}": t for n, t in enumerate(ticket_ids)}
    ph = ", ".join(f":{k}" for k in params)
    return set(session.execute(text(
        f"SELECT id FROM tickets WHERE duplicate_of IS NOT NULL AND id IN ({ph})"), params).scalars())


def duplicates_of(session: Session, main_id: str) -> list[dict[str, Any]]:
    """The tickets merged into ``main_id`` ({"id", "number", "state"}), oldest first."""
    return _dicts(session, "SELECT id, number, state FROM tickets WHERE duplicate_of = :m "
                           "ORDER BY created_at, rid", {"m": main_id})


def nearby_tickets(session: Session, lat: float, lon: float, radius_m: float,
                   since: float | None = None, limit: int = 500) -> list[dict[str, Any]]:
    """Tickets within ``radius_m`` of a WGS-84 point (created at/after ``since``),
    nearest first, each with ``distance_m``."""
    dlat = radius_m / 111_320.0
    dlon = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 1e-6))
    params = {"a": lat - dlat, "b": lat + dlat, "c": lon - dlon, "d": lon + dlon,
              "s": since if since is not None else -1e18}
    cols = ", ".join(ROW_COLUMNS)
    rows = session.execute(
        text(f"SELECT {cols} FROM tickets WHERE lat BETWEEN :a AND :b AND lon BETWEEN :c AND :d "
             "AND created_at >= :s"), params)
    out = []
    for r in rows:
        d = dict(r._mapping)
        dist = _haversine(lat, lon, d["lat"], d["lon"])
        if dist <= radius_m:
            d["distance_m"] = dist
            out.append(d)
    out.sort(key=lambda d: d["distance_m"])
    return out[:limit]


def _haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(a))


# --- reference data ------------------------------------------------------------------
def _dicts(session: Session, sql: str, params: dict | None = None) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in session.execute(text(sql), params or {})]


def grid_features(session: Session, layer: str | None = None,
                  bbox: tuple[float, float, float, float] | None = None) -> list[dict]:
    """GeoJSON Features (WGS-84), optionally one layer and/or intersecting
    bbox = (min_lat, min_lon, max_lat, max_lon)."""
    conds, params = [], {}
    if layer:
        conds.append("layer = :layer")
        params["layer"] = getattr(layer, "value", layer)
    if bbox:
        conds.append("max_lat >= :a AND min_lat <= :c AND max_lon >= :b AND min_lon <= :d")
        params.update(a=bbox[0], b=bbox[1], c=bbox[2], d=bbox[3])
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    return [json.loads(r[0]) for r in session.execute(
        text(f"SELECT feature FROM grids{where} ORDER BY layer, id"), params)]


grids = grid_features


def grid_rows(session: Session, layer: str | None = None) -> list[dict[str, Any]]:
    """Grid cells without geometry (id, layer, name, code, parent_id, micro_type, bbox)."""
    where = " WHERE layer = :l" if layer else ""
    return _dicts(session, "SELECT id, layer, name, code, parent_id, micro_type, min_lat, "
                  f"min_lon, max_lat, max_lon FROM grids{where} ORDER BY id", {"l": layer})


def cameras(session: Session, bbox: tuple[float, float, float, float] | None = None,
            online: bool | None = None) -> list[dict[str, Any]]:
    conds, params = [], {}
    if bbox:
        conds.append("lat BETWEEN :a AND :c AND lon BETWEEN :b AND :d")
        params.update(a=bbox[0], b=bbox[1], c=bbox[2], d=bbox[3])
    if online is not None:
        conds.append(f"online = {1 if online else 0}")
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    rows = _dicts(session, f"SELECT * FROM cameras{where} ORDER BY id", params)
    for r in rows:
        r["online"] = bool(r["online"])
    return rows


def cameras_near(session: Session, lat: float, lon: float, radius_m: float) -> list[dict]:
    dlat = radius_m / 111_320.0
    dlon = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 1e-6))
    rows = cameras(session, (lat - dlat, lon - dlon, lat + dlat, lon + dlon))
    out = []
    for r in rows:
        if r["lat"] is None or r["lon"] is None:
            continue
        r["distance_m"] = _haversine(lat, lon, r["lat"], r["lon"])
        if r["distance_m"] <= radius_m:
            out.append(r)
    return sorted(out, key=lambda r: r["distance_m"])


def sensors(session: Session, status: str | None = None) -> list[dict[str, Any]]:
    where = " WHERE status = :s" if status else ""
    return _dicts(session, f"SELECT * FROM sensors{where} ORDER BY id", {"s": status})


def alarms(session: Session, active_only: bool = True) -> list[dict[str, Any]]:
    where = " WHERE cleared_at IS NULL" if active_only else ""
    return _dicts(session, f"SELECT * FROM alarms{where} ORDER BY raised_at DESC")


def departments(session: Session, with_load: bool = True) -> list[dict[str, Any]]:
    """Departments; with ``open_load`` = open tickets currently assigned to each."""
    rows = _dicts(session, "SELECT * FROM departments ORDER BY id")
    if with_load:
        params = {f"o{i}": v for i, v in enumerate(sorted(s.value for s in OPEN_STATES))}
        cond = f"state IN ({', '.join(':' + k for k in params)})"
        load = dict(session.execute(text(
            f"SELECT department_id, count(*) FROM tickets WHERE department_id IS NOT NULL "
            f"AND {cond} GROUP BY department_id"), params).all())
        for r in rows:
            r["open_load"] = int(load.get(r["id"], 0))
    return rows


def categories(session: Session, kind: str | None = None) -> list[dict[str, Any]]:
    where = " WHERE kind = :k" if kind else ""
    return _dicts(session, f"SELECT * FROM categories{where} ORDER BY kind, code", {"k": kind})


def category_is_simple(session: Session, kind: str, code: str) -> bool | None:
    """The catalogue's 自行处置 mark of a category, None when the catalogue lacks it."""
    row = session.execute(text("SELECT simple FROM categories WHERE id = :i"),
                          {"i": f"{kind}:{code}"}).first()
    return None if row is None else bool(row[0])


def category_is_dangerous(session: Session, kind: str, code: str) -> bool | None:
    """The catalogue's 重点监管-at-intake mark of a category, None when the catalogue lacks it."""
    row = session.execute(text("SELECT dangerous FROM categories WHERE id = :i"),
                          {"i": f"{kind}:{code}"}).first()
    return None if row is None else bool(row[0])


def category_closure_standard(session: Session, kind: str, code: str) -> list[str] | None:
    """The catalogue's closure standard (结案标准) of a category, None when the catalogue lacks it."""
    row = session.execute(text("SELECT closure_standard FROM categories WHERE id = :i"),
                          {"i": f"{kind}:{code}"}).first()
    if row is None:
        return None
    try:
        items = json.loads(row[0] or "[]")
    except ValueError:
        return []
    return [str(x) for x in items] if isinstance(items, list) else []


def responsibilities(session: Session, category_code: str | None = None) -> list[dict[str, Any]]:
    where = " WHERE category_code = :c" if category_code else ""
    return _dicts(session, f"SELECT * FROM responsibilities{where} ORDER BY id", {"c": category_code})


_SPECIFIC_FIRST = ("micro_grid", "committee", "resp_grid", "street", "district")


def suggested_department(session: Session, category_code: str,
                         grids: dict[str, str]) -> str | None:
    """The department responsible for this category in the most specific grid cell
    of the ticket (micro grid first, district last), or None."""
    cells = [grids[layer] for layer in _SPECIFIC_FIRST if grids.get(layer)]
    if not cells:
        return None
    params = {"c": category_code, **{f"g{i}": g for i, g in enumerate(cells)}}
    ph = ", ".join(f":g{i}" for i in range(len(cells)))
    found = dict(session.execute(text(
        f"SELECT grid_id, department_id FROM responsibilities WHERE category_code = :c "
        f"AND grid_id IN ({ph})"), params).all())
    for g in cells:
        if g in found:
            return found[g]
    return None


def roster_entries(session: Session, date: str | None = None,
                   include_superseded: bool = False) -> list[dict[str, Any]]:
    conds, params = [], {}
    if date:
        conds.append("date = :d")
        params["d"] = date
    if not include_superseded:
        conds.append("superseded_by IS NULL")
    where = (" WHERE " + " AND ".join(conds)) if conds else ""
    rows = _dicts(session, f"SELECT * FROM roster{where} ORDER BY date, shift, role, id", params)
    for r in rows:
        r["local"] = bool(r["local"])
    return rows


def users(session: Session) -> dict[str, dict[str, Any]]:
    """Every user ({"id", "name", "role", "disabled"}) by id, in role then id order."""
    return {r["id"]: r for r in _dicts(session, "SELECT id, name, role, disabled FROM users ORDER BY role, id")}


def quarantine(session: Session, limit: int = 500) -> list[dict[str, Any]]:
    return _dicts(session, "SELECT * FROM quarantine ORDER BY id DESC LIMIT :n", {"n": limit})


def audit_log(session: Session, ticket_id: str | None = None) -> list[dict[str, Any]]:
    where = " WHERE ticket_id = :t" if ticket_id else ""
    return _dicts(session, f"SELECT * FROM audit_log{where} ORDER BY id", {"t": ticket_id})
