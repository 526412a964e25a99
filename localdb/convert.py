"""Ticket <-> row: the flattened ``tickets`` columns and back.

Kept as plain tuples in one fixed column order so that bulk feed upserts can use
``executemany`` without per-row dict handling.
"""

from __future__ import annotations

import json
from typing import Any

from console.domain.model import OPEN_STATES, Ticket, TicketState
from localdb import crypto

GRID_COLUMNS = {
    "district": "grid_district",
    "street": "grid_street",
    "resp_grid": "grid_resp",
    "committee": "grid_committee",
    "micro_grid": "grid_micro",
}
PRIORITY_RANK = {"normal": 0, "urgent": 1, "critical": 2}

#: Columns taken from the Ticket record (platform data), in row order.
TICKET_COLUMNS: tuple[str, ...] = (
    "id", "state", "channel", "category_kind", "category_code", "category_name",
    "big_code", "big_name", "priority", "priority_rank", "number", "version", "lat", "lon",
    "source_datum", "address", "grid_district", "grid_street", "grid_resp",
    "grid_committee", "grid_micro", "description", "reporter_name", "reporter_phone",
    "attachments", "department_id", "created_at", "updated_at", "clock_start",
    "limit_hours", "limit_mode", "extension_hours", "suspended_seconds",
    "suspended_since", "resume_state", "deadline", "extension_request", "urge_count",
    "escalation_level", "needs_commander", "commander_reason", "key_supervision",
    "verified_by", "reviewed_by", "rework_count", "closed_at", "closed_on_time",
    "limit_deadline", "warn_lead_s", "duplicate_of", "co_handlers",
)
#: Local columns, after the platform ones.
LOCAL_COLUMNS: tuple[str, ...] = ("pending", "attention", "last_actor_id")
ALL_COLUMNS = TICKET_COLUMNS + LOCAL_COLUMNS

_OPEN_RUNNING = frozenset(s.value for s in OPEN_STATES) - {TicketState.SUSPENDED.value}
_ENUMS = ("state", "channel", "category_kind", "priority", "source_datum", "limit_mode",
          "resume_state")


def _val(v: Any) -> Any:
    return getattr(v, "value", v)


def limit_deadline(state: str, deadline: float | None) -> float | None:
    return deadline if state in _OPEN_RUNNING else None


#: categories.warning_lead_minutes -> tickets.warn_lead_s, per category id
#: ("<kind>:<code>"), for the categories that set one
LEADS_SQL = ("SELECT id, warning_lead_minutes * 60.0 FROM categories "
             "WHERE warning_lead_minutes IS NOT NULL")


def category_leads(con: Any) -> dict[str, float]:
    """The catalogue's warning leads in seconds (a raw sqlite3 connection)."""
    return dict(con.execute(LEADS_SQL).fetchall())


def ticket_to_row(t: Ticket | dict[str, Any], leads: dict[str, float] | None = None) -> tuple:
    """Platform columns of a ticket (a Ticket or its wire dict), in TICKET_COLUMNS order;
    ``leads`` (``category_leads``) gives its category's warning lead."""
    d = t.to_dict() if isinstance(t, Ticket) else t
    grids = d.get("grids") or {}
    state = _val(d["state"])
    prio = _val(d.get("priority", "normal"))
    ext = d.get("extension_request")
    resume = d.get("resume_state")
    deadline = d.get("deadline")
    closed_on_time = d.get("closed_on_time")
    return (
        d["id"], state, _val(d["channel"]), _val(d["category_kind"]), d["category_code"],
        d.get("category_name", ""), d.get("big_code", ""), d.get("big_name", ""), prio,
        PRIORITY_RANK.get(prio, 0), d.get("number"), int(d.get("version", 0)), d.get("lat"),
        d.get("lon"), _val(d.get("source_datum", "WGS84")), d.get("address", ""),
        grids.get("district"), grids.get("street"), grids.get("resp_grid"),
        grids.get("committee"), grids.get("micro_grid"), d.get("description", ""),
        crypto.seal(d.get("reporter_name", "")), crypto.seal(d.get("reporter_phone", "")),
        json.dumps(list(d.get("attachments") or ())), d.get("department_id"),
        d.get("created_at", 0.0), d.get("updated_at", 0.0), d.get("clock_start"),
        d.get("limit_hours", 72.0), _val(d.get("limit_mode", "calendar")),
        d.get("extension_hours", 0.0), d.get("suspended_seconds", 0.0),
        d.get("suspended_since"), _val(resume) if resume is not None else None, deadline,
        json.dumps(ext, ensure_ascii=False) if ext is not None else None,
        int(d.get("urge_count", 0)), int(d.get("escalation_level", 0)),
        bool(d.get("needs_commander", False)), d.get("commander_reason", ""),
        bool(d.get("key_supervision", False)), d.get("verified_by"), d.get("reviewed_by"),
        int(d.get("rework_count", 0)), d.get("closed_at"),
        None if closed_on_time is None else bool(closed_on_time),
        limit_deadline(state, deadline),
        (leads or {}).get(f"{_val(d['category_kind'])}:{d['category_code']}"),
        d.get("duplicate_of"), co_handlers_json(d.get("co_handlers")),
    )


def co_handlers_json(co: Any) -> str | None:
    """The co-handlers of a joint ticket as stored (JSON), None for a single department."""
    return json.dumps([dict(e) for e in co], ensure_ascii=False) if co else None


def row_to_dict(row: Any) -> dict[str, Any]:
    """Wire dict (Ticket.to_dict() form) from a tickets row mapping."""
    m = row._mapping if hasattr(row, "_mapping") else row
    d: dict[str, Any] = {}
    for c in TICKET_COLUMNS:
        if c in ("priority_rank", "limit_deadline", "warn_lead_s") or c.startswith("grid_"):
            continue
        d[c] = m[c]
    d["grids"] = {k: m[c] for k, c in GRID_COLUMNS.items() if m[c] is not None}
    d["reporter_name"] = crypto.unseal(d["reporter_name"])
    d["reporter_phone"] = crypto.unseal(d["reporter_phone"])
    d["attachments"] = json.loads(m["attachments"] or "[]")
    d["extension_request"] = json.loads(m["extension_request"]) if m["extension_request"] else None
    d["co_handlers"] = json.loads(m["co_handlers"]) if m["co_handlers"] else []
    for b in ("needs_commander", "key_supervision"):
        d[b] = bool(d[b])
    if d["closed_on_time"] is not None:
        d["closed_on_time"] = bool(d["closed_on_time"])
    return d


def row_to_ticket(row: Any) -> Ticket:
    return Ticket.from_dict(row_to_dict(row))


def upsert_sql(table: str = "tickets", *, with_local: bool = True) -> str:
    """INSERT ... ON CONFLICT(id) DO UPDATE for the platform columns.

    The local columns are written on insert only; an update keeps ``pending``,
    ``attention`` and ``last_actor_id`` unless the caller sets them separately.
    """
    cols = ALL_COLUMNS if with_local else TICKET_COLUMNS
    ph = ", ".join("?" for _ in cols)
    sets = ", ".join(f"{c}=excluded.{c}" for c in TICKET_COLUMNS if c != "id")
    return (
        f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({ph}) "
        f"ON CONFLICT(id) DO UPDATE SET {sets}"
    )
