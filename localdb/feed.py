"""Applying the platform's change feed to the local store.

``apply_changes`` stores one feed batch and its ``next_cursor`` in ONE transaction:
either both are stored or neither (a crash mid-batch re-fetches the same batch).
Items that cannot be stored (malformed, unknown kind, older than what we have,
invalid geometry, too large) go to the ``quarantine`` table with the reason; the
good items of the batch still apply. Tickets with local actions not yet confirmed
keep their optimistic row; the platform's row is kept in ``ticket_base``.

Bootstrap fast path (``bootstrap=True``, passed by the puller while it reads the
whole history): once a page brings many new ticket rows, the secondary indexes of
``tickets``/``ticket_events`` and the FTS triggers are dropped in that page's
transaction (their DDL saved in ``sync_state``), and the rows go in without index
upkeep; ``finish_bootstrap`` recreates them once (``Store.ensure_indexes``, which
``Store.open`` also runs, so a crash mid-bootstrap leaves a complete store at the
next open). Cursor and rows still commit together, page by page.
"""

from __future__ import annotations

import json
import logging
import math
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from console import failpoints
from console.domain import devices, joint, wire_rules
from console.domain.formatting import plausible_epoch
from console.domain.auth import Kdf, is_legacy
from console.domain.grids import validate_feature
from console.domain.model import CategoryKind, Channel, Datum, LimitMode, Priority, TicketState
from localdb import crypto, dbapi, journal, syncstate
from localdb import store as _store
from localdb.convert import PRIORITY_RANK, category_leads, co_handlers_json, limit_deadline, upsert_sql
from localdb.store import Store

log = logging.getLogger(__name__)

MAX_ITEM_CHARS = 256_000  # text fields of one ticket / one small entity
MAX_GRID_CHARS = 4_000_000  # a grid polygon can be big, but not unbounded
QUARANTINE_PAYLOAD_CHARS = 8_000
_CHUNK = 900  # SQLite host-parameter budget per IN (...) list
JOURNAL_KEEP = 200_000  # followers further behind than this reload everything
#: A bootstrap page with at least this many new ticket rows switches the store to bulk
#: mode (indexes off until ``finish_bootstrap``); smaller pages are not worth it.
BULK_MIN_ROWS = 500


class Skip(Exception):
    """An item that cannot be applied; the message is the quarantine reason."""


@dataclass
class ApplyReport:
    applied: int = 0
    unchanged: int = 0  # same version as stored (re-delivered)
    quarantined: int = 0
    deleted: int = 0
    to_base: int = 0  # tickets with pending local actions: stored in ticket_base
    by_kind: dict[str, int] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    cursor: str = ""
    changed: dict[str, list[str]] = field(default_factory=dict)  # kind -> ids (journaled)
    bootstrap: bool = False  # the caller reads the whole history (may use bulk mode)
    bulk: bool = False  # the store is in bulk mode (indexes off) after this batch


# ---------------------------------------------------------------------------
def apply_changes(
    store: Store, changes: list[dict], next_cursor: str, *, now: float | None = None,
    bootstrap: bool = False,
) -> ApplyReport:
    now = time.time() if now is None else now
    report = ApplyReport(cursor=next_cursor, bootstrap=bootstrap)
    with store.write() as s:
        groups, bad = _partition(changes)
        for item, reason in bad:
            _quarantine(s, item, reason, now, report)
        for kind in _ORDER:
            items = groups.get(kind)
            if items:
                _HANDLERS[kind](s, items, now, report)
                if kind == "ticket":  # tickets written, their events and the cursor not yet
                    failpoints.hit("feed_mid_batch")
        if journal.head(s) - journal.oldest(s) > 2 * JOURNAL_KEEP:  # O(1): rowid min/max
            journal.prune(s, keep=JOURNAL_KEEP)
        syncstate.set_value(s, syncstate.CURSOR, next_cursor)
        syncstate.set_value(s, syncstate.CURSOR_AT, repr(now))
        if bootstrap and not report.bulk:
            report.bulk = _store.in_bulk(journal.raw(s))
    return report


def finish_bootstrap(store: Store) -> list[str]:
    """End a bulk load: recreate the indexes and FTS triggers it dropped (and rebuild
    the full-text index) in one transaction. Returns what was created."""
    return store.ensure_indexes()


def in_bulk(store: Store) -> bool:
    with store.session() as s:
        return _store.in_bulk(journal.raw(s))


def _partition(changes: list[dict]) -> tuple[dict[str, list[dict]], list[tuple[Any, str]]]:
    """Group by kind, keeping only the last change per (kind, id) (the newest)."""
    latest: dict[tuple[str, str], dict] = {}
    bad: list[tuple[Any, str]] = []
    for item in changes:
        if not isinstance(item, dict):
            bad.append((item, "not an object"))
            continue
        kind, op, eid = item.get("kind"), item.get("op"), item.get("id")
        if not isinstance(kind, str) or kind not in _HANDLERS:
            bad.append((item, f"unknown kind {str(kind)[:40]!r}"))
            continue
        if not isinstance(op, str) or op not in ("upsert", "delete"):
            bad.append((item, f"unknown op {str(op)[:40]!r}"))
            continue
        if not isinstance(eid, str | int) or eid == "":
            bad.append((item, "missing id"))
            continue
        if op == "upsert" and not isinstance(item.get("data"), dict):
            bad.append((item, "upsert without data object"))
            continue
        key = (kind, str(eid))
        latest.pop(key, None)  # re-insert so dict order follows the newest seq
        latest[key] = item
    groups: dict[str, list[dict]] = {}
    for (kind, _), item in latest.items():
        groups.setdefault(kind, []).append(item)
    return groups, bad


def _quarantine(s: Session, item: Any, reason: str, now: float, report: ApplyReport) -> None:
    try:
        payload = crypto.dumps(item)
    except (TypeError, ValueError):
        payload = repr(item)
    get = item.get if isinstance(item, dict) else (lambda _k: None)
    seq = get("seq")
    journal.raw(s).execute(
        "INSERT INTO quarantine (seq, kind, entity_id, reason, payload, at) VALUES (?,?,?,?,?,?)",
        (
            seq if isinstance(seq, int) else None,
            str(get("kind")) if get("kind") is not None else None,
            str(get("id")) if get("id") is not None else None,
            reason,
            payload[:QUARANTINE_PAYLOAD_CHARS],
            now,
        ),
    )
    report.quarantined += 1
    if len(report.reasons) < 50:
        report.reasons.append(f"{get('kind')}:{get('id')}: {reason}")
    log.warning("feed item quarantined (%s %s): %s", get("kind"), get("id"), reason)


def _changed(report: ApplyReport, kind: str, ids: list[str]) -> None:
    if ids:
        report.changed.setdefault(kind, []).extend(ids)
        report.by_kind[kind] = report.by_kind.get(kind, 0) + len(ids)
        report.applied += len(ids)


def _text_size(d: dict) -> int:
    n = 0
    for v in d.values():
        if type(v) is str:
            n += len(v)
    return n


def _fetch_map(s: Session, sql: str, ids: list[str]) -> dict[str, Any]:
    cur = journal.raw(s).cursor()
    out: dict[str, Any] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        q = sql.format(ph=",".join("?" * len(chunk)))
        out.update(cur.execute(q, chunk).fetchall())
    return out


def _bulk(s: Session, sql: str, rows: list[tuple], items: list[dict], now: float,
          report: ApplyReport) -> list[tuple]:
    """executemany; a row the database refuses (constraint) is quarantined and the batch
    goes on without it. Returns the rows that were stored."""
    con = journal.raw(s)
    if isinstance(con, sqlite3.Connection):
        return _bulk_sqlite(s, con, sql, rows, items, now, report)
    try:
        with dbapi.savepoint(con):  # PostgreSQL aborts the whole transaction on a refused row
            dbapi.insert_many(con, sql, rows)  # COPY into a staging table, one upsert
        return rows
    except dbapi.INTEGRITY_ERRORS:
        pass
    kept = []
    for row, item in zip(rows, items):
        try:
            with dbapi.savepoint(con):
                con.execute(sql, row)
            kept.append(row)
        except dbapi.INTEGRITY_ERRORS as exc:
            _quarantine(s, item, f"refused by the store: {exc}", now, report)
    return kept


def _bulk_sqlite(s: Session, con: sqlite3.Connection, sql: str, rows: list[tuple], items: list[dict],
                 now: float, report: ApplyReport) -> list[tuple]:
    """No savepoint around the batch: inside one, SQLite's upserts (its FTS5 index above
    all) grow slower with the size of the store — 5,000 ticket upserts took 0.4 s into an
    empty store and 12 s once it held 15,000. A refused row ends ``executemany`` with the
    rows before it applied (SQLite undoes the one statement): quarantine it, go on after it."""
    kept: list[tuple] = []
    start = 0
    while start < len(rows):
        fed = 0

        def feed_rows(first: int = start):
            nonlocal fed
            for row in rows[first:]:
                fed += 1
                yield row

        try:
            con.executemany(sql, feed_rows())
            kept.extend(rows[start:])
            break
        except dbapi.INTEGRITY_ERRORS as exc:
            bad = start + fed - 1
            kept.extend(rows[start:bad])
            _quarantine(s, items[bad], f"refused by the store: {exc}", now, report)
            start = bad + 1
    return kept


_EVENT_UPSERT = (
    "INSERT INTO ticket_events (event_id, ticket_id, action, actor, actor_id, at, "
    "from_state, to_state, params, local, command_id) VALUES (?,?,?,?,?,?,?,?,?,0,NULL) "
    "ON CONFLICT(event_id) DO UPDATE SET ticket_id=excluded.ticket_id, "
    "action=excluded.action, actor=excluded.actor, actor_id=excluded.actor_id, "
    "at=excluded.at, from_state=excluded.from_state, to_state=excluded.to_state, "
    "params=excluded.params, local=0"
)


def pending_ticket_ids(s: Session) -> set[str]:
    rows = journal.raw(s).execute(
        "SELECT DISTINCT ticket_id FROM outbox WHERE status IN ('queued','inflight')"
    )
    return {r[0] for r in rows}


# --- tickets ------------------------------------------------------------------
_STATES = frozenset(x.value for x in TicketState)
_CHANNELS = frozenset(x.value for x in Channel)
_KINDS = frozenset(x.value for x in CategoryKind)
_PRIORITIES = frozenset(x.value for x in Priority)
_DATUMS = frozenset(x.value for x in Datum)
_LIMIT_MODES = frozenset(x.value for x in LimitMode)


def _enum(value: Any, allowed: frozenset, name: str) -> str:
    if value not in allowed:
        raise ValueError(f"{value!r} is not a valid {name}")
    return str(value)


def _ticket_row(d: dict, leads: dict[str, float]) -> tuple:
    """The ``tickets`` row (ALL_COLUMNS order, local columns at their insert values) of
    a wire ticket, checked as ``Ticket.from_dict`` checks it (enums, required fields)
    without building the dataclass: the same tuple as
    ``convert.ticket_to_row(d, leads) + (0, False, None)`` at a fraction of the cost."""
    state = _enum(d["state"], _STATES, "TicketState")
    channel = _enum(d["channel"], _CHANNELS, "Channel")
    kind = _enum(d["category_kind"], _KINDS, "CategoryKind")
    code, name = d["category_code"], d["category_name"]
    g = d.get
    prio = _enum(g("priority", "normal"), _PRIORITIES, "Priority")
    datum = _enum(g("source_datum", "WGS84"), _DATUMS, "Datum")
    mode = _enum(g("limit_mode", "calendar"), _LIMIT_MODES, "LimitMode")
    resume = g("resume_state")
    if resume is not None:
        resume = _enum(resume, _STATES, "TicketState")
    grids = g("grids") or {}
    if type(grids) is not dict:
        grids = dict(grids)
    atts = g("attachments") or ()
    atts = json.dumps(list(atts)) if atts else "[]"
    ext = g("extension_request")
    deadline = g("deadline")
    cot = g("closed_on_time")
    return (
        d["id"], state, channel, kind, code, name, g("big_code", ""), g("big_name", ""), prio,
        PRIORITY_RANK.get(prio, 0), g("number"), int(g("version", 0)), g("lat"), g("lon"),
        datum, g("address", ""), grids.get("district"), grids.get("street"),
        grids.get("resp_grid"), grids.get("committee"), grids.get("micro_grid"),
        g("description", ""), crypto.seal(g("reporter_name", "")), crypto.seal(g("reporter_phone", "")), atts,
        g("department_id"), g("created_at", 0.0), g("updated_at", 0.0), g("clock_start"),
        g("limit_hours", 72.0), mode, g("extension_hours", 0.0), g("suspended_seconds", 0.0),
        g("suspended_since"), resume, deadline,
        json.dumps(ext, ensure_ascii=False) if ext is not None else None,
        int(g("urge_count", 0)), int(g("escalation_level", 0)), bool(g("needs_commander", False)),
        g("commander_reason", ""), bool(g("key_supervision", False)), g("verified_by"),
        g("reviewed_by"), int(g("rework_count", 0)), g("closed_at"),
        None if cot is None else bool(cot), limit_deadline(state, deadline),
        leads.get(f"{kind}:{code}") if leads else None, _dup(g("duplicate_of")),
        _co(g("co_handlers")), 0, False, None,
    )


def _dup(v: Any) -> str | None:
    """The main ticket of a merged one (并案): an id, or None."""
    if v is None:
        return None
    if type(v) is not str or not v or len(v) > 64:
        raise ValueError(f"duplicate_of must be a ticket id, not {v!r}")
    return v


def _co(v: Any) -> str | None:
    """The co-handlers of a joint ticket (console.domain.joint), stored as JSON."""
    if (problem := joint.wire_problem(v)) is not None:
        raise ValueError(problem)
    return co_handlers_json(v)


_NUMERIC = ("created_at", "updated_at", "deadline", "clock_start", "lat", "lon", "limit_hours",
            "extension_hours", "suspended_seconds", "suspended_since", "closed_at")


def _apply_tickets(s: Session, items: list[dict], now: float, report: ApplyReport) -> None:
    con = journal.raw(s)
    deletes = [str(it["id"]) for it in items if it["op"] == "delete"]
    upserts: list[tuple[dict, dict]] = []
    leads = category_leads(con)
    for it in items:
        if it["op"] != "upsert":
            continue
        d = it["data"]
        try:
            if type(d.get("id")) is not str or d["id"] != str(it["id"]):  # (a list's text can match)
                raise Skip("data.id does not match the change id")
            if _text_size(d) > MAX_ITEM_CHARS:
                raise Skip("payload too large")
            row = _ticket_row(d, leads)  # validates enums and required fields as Ticket.from_dict
            if not isinstance(d.get("version"), int) or d["version"] < 0:
                raise Skip("bad version")
            for k in _NUMERIC:
                v = d.get(k)
                if v is not None and (isinstance(v, bool) or not isinstance(v, int | float)):
                    raise Skip(f"{k} is not a number")
            why = wire_rules.ticket_problem(d)   # the platform's own rule for what a ticket holds
            if why:
                raise Skip(why)
        except Skip as exc:
            _quarantine(s, it, str(exc), now, report)
            continue
        except (KeyError, ValueError, TypeError, AttributeError) as exc:
            _quarantine(s, it, f"malformed ticket: {exc!r}", now, report)
            continue
        upserts.append((it, d, row))

    pending = pending_ticket_ids(s)
    ids = [d["id"] for _, d, _ in upserts]
    stored = _fetch_map(s, "SELECT id, version FROM tickets WHERE id IN ({ph})", ids)
    base_ids = [i for i in ids if i in pending]
    base = _fetch_map(s, "SELECT id, version FROM ticket_base WHERE id IN ({ph})", base_ids)

    rows: list[tuple] = []
    row_items: list[dict] = []
    base_rows: list[tuple] = []
    missing_local: list[tuple] = []
    changed: list[str] = []
    for it, d, row in upserts:
        tid, v = d["id"], d["version"]
        if tid in pending:
            have = base.get(tid)
            if have is not None and v < have:
                _quarantine(s, it, f"stale version {v} < stored {have}", now, report)
                continue
            if have is not None and v == have:
                report.unchanged += 1
                continue
            base_rows.append((tid, v, crypto.dumps(d)))
            if tid not in stored:  # e.g. after recovery: show the platform row meanwhile
                missing_local.append(row)
            report.to_base += 1
            continue
        have = stored.get(tid)
        if have is not None:
            if v < have:
                _quarantine(s, it, f"stale version {v} < stored {have}", now, report)
                continue
            if v == have:
                report.unchanged += 1
                continue
        rows.append(row)
        row_items.append(it)
    if report.bootstrap and len(rows) >= BULK_MIN_ROWS and _store.bulk_begin(con):
        report.bulk = True
    if rows:
        rows = _bulk(s, upsert_sql(), rows, row_items, now, report)
        changed.extend(r[0] for r in rows)
    if missing_local:
        con.executemany(upsert_sql(), missing_local)
        changed.extend(r[0] for r in missing_local)
    if base_rows:
        con.executemany(
            "INSERT INTO ticket_base (id, version, data) VALUES (?,?,?) "
            "ON CONFLICT(id) DO UPDATE SET version=excluded.version, data=excluded.data",
            base_rows,
        )
    if missing_local:
        _recount_pending(s, [r[0] for r in missing_local])
    if deletes:
        con.executemany("DELETE FROM tickets WHERE id=?", [(i,) for i in deletes])
        con.executemany("DELETE FROM ticket_base WHERE id=?", [(i,) for i in deletes])
        report.deleted += len(deletes)
        changed.extend(deletes)
    journal.record_many(s, "ticket", changed, now)
    _changed(report, "ticket", changed)


def _recount_pending(s: Session, ids: list[str]) -> None:
    journal.raw(s).executemany(
        "UPDATE tickets SET pending=(SELECT count(*) FROM outbox WHERE outbox.ticket_id=tickets.id "
        "AND status IN ('queued','inflight')) WHERE id=?",
        [(i,) for i in ids],
    )


def _apply_ticket_events(s: Session, items: list[dict], now: float, report: ApplyReport) -> None:
    con = journal.raw(s)
    rows, tickets, deletes = [], [], []
    for it in items:
        if it["op"] == "delete":
            deletes.append((str(it["id"]),))
            continue
        d = it["data"]
        try:
            actor = d.get("actor") or {}
            if not isinstance(actor, dict):
                raise TypeError("actor is not an object")
            params = d.get("params") or {}
            if plausible_epoch(d.get("at")) is None:
                raise ValueError(f"at is not a plausible time: {str(d.get('at'))[:40]}")
            row = (
                str(d.get("event_id") or it["id"]), str(d["ticket_id"]), str(d["action"]),
                json.dumps(actor, ensure_ascii=False), actor.get("user_id"), float(d["at"]),
                d.get("from_state"), d.get("to_state"), crypto.dumps(params),
            )
            if len(row[-1]) > MAX_ITEM_CHARS:
                raise ValueError("payload too large")
        except (KeyError, ValueError, TypeError) as exc:
            _quarantine(s, it, f"malformed ticket_event: {exc!r}", now, report)
            continue
        rows.append(row)
        tickets.append(row[1])
    if rows:
        # Event ids are uuid5(ticket, version): the platform's copy of an action we
        # made optimistically has the same id and replaces it (local=0).
        dbapi.insert_many(con, _EVENT_UPSERT, rows)
    if deletes:
        owners = _fetch_map(s, "SELECT event_id, ticket_id FROM ticket_events "
                                "WHERE event_id IN ({ph})", [d[0] for d in deletes])
        tickets += list(owners.values())
        con.executemany("DELETE FROM ticket_events WHERE event_id=?", deletes)
        report.deleted += len(deletes)
    # journal: kind ticket_event, entity = the ticket whose timeline changed
    uniq = list(dict.fromkeys(tickets))
    journal.record_many(s, "ticket_event", uniq, now)
    report.by_kind["ticket_event"] = report.by_kind.get("ticket_event", 0) + len(rows)
    report.applied += len(rows)
    if uniq:
        report.changed.setdefault("ticket_event", []).extend(uniq)


# --- simple reference kinds -----------------------------------------------------
def _num(v):
    return None if v is None else float(v)


def _standard(v) -> str:
    """A catalogue closure standard (结案标准): a list of 0..20 short texts, stored as JSON."""
    if v is None:
        return "[]"
    if not isinstance(v, list) or len(v) > 20 or not all(
            isinstance(x, str) and x.strip() and len(x) <= 200 for x in v):
        raise ValueError(f"closure_standard is not a list of short texts: {v!r}"[:200])
    return json.dumps(v, ensure_ascii=False)


def _lead(v):
    """A catalogue warning lead in minutes: None (the hall's default) or 0..30 days."""
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float) or not 0 <= v <= 43200:
        raise ValueError(f"warning_lead_minutes out of range: {v!r}")
    return float(v)


def _propagate_leads(s: Session, rows: list[tuple], now: float, report: ApplyReport) -> None:
    """A category's warning lead changed: copy it onto its tickets whose clock runs (the
    others get it when next written) and report them changed, so panels recolour."""
    con = journal.raw(s)
    changed: list[str] = []
    for row in rows:
        kind, code, lead = row[1], row[2], row[9]  # the "category" columns of _REF
        lead_s = None if lead is None else lead * 60.0
        ids = [r[0] for r in con.execute(
            "SELECT id FROM tickets WHERE category_code = ? AND category_kind = ? "
            "AND limit_deadline IS NOT NULL AND warn_lead_s IS DISTINCT FROM ?", (code, kind, lead_s))]
        if ids:
            con.executemany("UPDATE tickets SET warn_lead_s = ? WHERE id = ?", [(lead_s, i) for i in ids])
            changed.extend(ids)
    if changed:
        journal.record_many(s, "ticket", changed, now)
        _changed(report, "ticket", changed)


def _str(v):
    return None if v is None else str(v)


def _one_of(v, allowed: tuple[str, ...]) -> str:
    if v not in allowed:
        raise ValueError(f"{v!r} is not one of {', '.join(allowed)}")
    return str(v)


def _level(v) -> int | None:
    """A camera's security level; anything but 1..3 is stored as None (= internal, 2)."""
    return v if type(v) is int and 1 <= v <= 3 else None


def _street_entity(kind: str, problem: Callable[[Any], str | None]) -> Callable[..., None]:
    """A handler for one of the street's single settings entities (camera policy, duty
    pattern, working calendar): kept as sent in ``settings_kv``; one that ``problem``
    finds unusable is quarantined with the reason and the previous one (or the default)
    stays."""

    def handler(s: Session, items: list[dict], now: float, report: ApplyReport) -> None:
        con = journal.raw(s)
        for it in items:
            if it["op"] == "upsert":
                why = problem(it.get("data"))
                if why is not None:
                    _quarantine(s, it, f"unusable {kind}: {why}", now, report)
                    continue
                con.execute("INSERT INTO settings_kv (key, value) VALUES (?, ?) "
                            "ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                            (kind, json.dumps(it["data"], ensure_ascii=False)))
            else:
                con.execute("DELETE FROM settings_kv WHERE key=?", (kind,))
            report.applied += 1
            journal.record(s, kind, "street", now)
            _changed(report, kind, ["street"])

    return handler


def _camera_policy_problem(data: Any) -> str | None:
    from console.domain import cameras

    return cameras.policy_from(data)[1]


def _raises(check: Callable[[Any], Any], error: type[Exception]) -> Callable[[Any], str | None]:
    def problem(data: Any) -> str | None:
        try:
            check(data)
        except error as exc:
            return str(exc)
        return None

    return problem


def _reading(d: dict) -> tuple:
    """(value, unit, threshold, reading_at, reading_error) of a sensor change: a reading
    that cannot be shown (unknown unit, impossible value) keeps the sensor and says why."""
    value, unit = d.get("value"), d.get("unit")
    error = devices.check_reading(str(d.get("type", "")), value, unit)
    threshold = d.get("threshold")
    if not isinstance(threshold, int | float) or isinstance(threshold, bool) or not math.isfinite(threshold):
        threshold = None
    shown = None if error or value is None else float(value)
    return (shown, _str(unit) if not error else None, threshold, _num(d.get("reading_at")),
            error)


_REF: dict[str, tuple[str, tuple[str, ...], Callable[[str, dict], tuple]]] = {
    "category": (
        "categories",
        ("id", "kind", "code", "big_code", "big_name", "small_name", "limit_hours",
         "limit_mode", "urgent_limit_hours", "warning_lead_minutes", "simple", "dangerous",
         "closure_standard"),
        lambda i, d: (i, str(d["kind"]), str(d["code"]), str(d.get("big_code", "")),
                      str(d.get("big_name", "")), str(d.get("small_name", "")),
                      float(d.get("limit_hours", 72.0)), str(d.get("limit_mode", "calendar")),
                      _num(d.get("urgent_limit_hours")), _lead(d.get("warning_lead_minutes")),
                      d.get("simple") is True, d.get("dangerous") is True,
                      _standard(d.get("closure_standard"))),
    ),
    "department": (
        "departments", ("id", "name", "kind", "phone"),
        lambda i, d: (i, str(d["name"]), str(d.get("kind", "other")), str(d.get("phone") or "")),
    ),
    "responsibility": (
        "responsibilities",
        ("id", "category_kind", "category_code", "grid_id", "department_id"),
        lambda i, d: (i, str(d.get("category_kind", "")), str(d["category_code"]),
                      str(d["grid_id"]), str(d["department_id"])),
    ),
    "camera": (
        "cameras",
        ("id", "name", "lat", "lon", "grid_id", "online", "stream_url", "substream_url", "source",
         "security_level"),
        lambda i, d: (i, str(d.get("name", "")), _num(d.get("lat")), _num(d.get("lon")),
                      _str(d.get("grid_id")), bool(d.get("online", True)),
                      str(d.get("stream_url") or ""), str(d.get("substream_url") or ""),
                      str(d.get("source", "street")), _level(d.get("security_level"))),
    ),
    "sensor": (
        "sensors", ("id", "name", "type", "lat", "lon", "grid_id", "status", "value", "unit",
                    "threshold", "reading_at", "reading_error", "access_mode", "via", "online"),
        lambda i, d: (i, str(d.get("name", "")), str(d.get("type", "")), _num(d.get("lat")),
                      _num(d.get("lon")), _str(d.get("grid_id")), str(d.get("status", "normal")),
                      *_reading(d), _str(d.get("access_mode")), _str(d.get("via")),
                      bool(d.get("online", True))),
    ),
    "alarm": (
        "alarms",
        ("id", "sensor_id", "type", "lat", "lon", "raised_at", "cleared_at", "ticket_id", "level",
         "disposition", "disposed_at", "disposed_by", "dismiss_reason", "note"),
        lambda i, d: (i, _str(d.get("sensor_id")), str(d.get("type", "")), _num(d.get("lat")),
                      _num(d.get("lon")), _num(d.get("raised_at")), _num(d.get("cleared_at")),
                      _str(d.get("ticket_id")), _str(d.get("level")), _str(d.get("disposition")),
                      _num(d.get("disposed_at")), _str(d.get("disposed_by")),
                      _str(d.get("dismiss_reason")), _str(d.get("note"))),
    ),
    "device_event": (
        "device_events", ("id", "device_kind", "device_id", "event", "at"),
        lambda i, d: (i, _one_of(d.get("device_kind"), ("camera", "sensor")), str(d["device_id"]),
                      _one_of(d.get("event"), ("offline", "online")), float(d["at"])),
    ),
    "roster": (
        "roster", ("id", "date", "shift", "role", "person_id", "name", "phone", "local", "reason"),
        lambda i, d: (i, str(d["date"]), str(d["shift"]), str(d["role"]), str(d["person_id"]),
                      str(d.get("name", "")), str(d.get("phone") or ""), False, ""),
    ),
    "resource": (  # 应急物资 (category supply) and 应急力量 (force); the rest of the entry as JSON
        "resources", ("id", "category", "name", "lat", "lon", "status", "data"),
        lambda i, d: (i, _one_of(d.get("category"), ("supply", "force")), str(d["name"]), _num(d.get("lat")),
                      _num(d.get("lon")), _str(d.get("status")), json.dumps(d, ensure_ascii=False)),
    ),
    "user": (
        "users", ("id", "name", "role", "kdf", "disabled", "verifier"),
        lambda i, d: (i, str(d["name"]), str(d["role"]), _kdf(d.get("kdf")), bool(d.get("disabled")),
                      _legacy_verifier(d.get("pin_hash"))),
    ),
}
#: a user's cached verifier is this desk's own: kept across feed updates, dropped when the
#: platform's salt changes (a new PIN); an old feed's sha256 ``pin_hash`` fills an empty one
_SETS = {
    "user": "name=excluded.name, role=excluded.role, disabled=excluded.disabled, "
            "verifier=CASE WHEN users.kdf <> excluded.kdf OR users.verifier = '' "
            "THEN excluded.verifier ELSE users.verifier END, kdf=excluded.kdf",
}


def _kdf(raw: Any) -> str:
    """The platform's public KDF half as canonical JSON ('' when absent); ValueError if bad."""
    if raw is None:
        return ""
    kdf = Kdf.from_dict(raw)
    if kdf is None:
        raise ValueError("bad kdf")
    return json.dumps(kdf.to_dict(), sort_keys=True)


def _legacy_verifier(raw: Any) -> str:
    return str(raw) if raw and is_legacy(str(raw)) else ""


def _make_ref_handler(kind: str):
    table, cols, conv = _REF[kind]

    def handler(s: Session, items: list[dict], now: float, report: ApplyReport) -> None:
        con = journal.raw(s)
        rows, row_items, deletes = [], [], []
        for it in items:
            eid = str(it["id"])
            if it["op"] == "delete":
                deletes.append((eid,))
                continue
            try:
                if _text_size(it["data"]) > MAX_ITEM_CHARS:
                    raise ValueError("payload too large")
                rows.append(conv(eid, it["data"]))
                row_items.append(it)
            except (KeyError, ValueError, TypeError) as exc:
                _quarantine(s, it, f"malformed {kind}: {exc!r}", now, report)
        if rows:
            sets = _SETS.get(kind) or ", ".join(f"{c}=excluded.{c}" for c in cols[1:])
            rows = _bulk(
                s,
                f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({','.join('?' * len(cols))}) "
                f"ON CONFLICT(id) DO UPDATE SET {sets}",
                rows, row_items, now, report,
            )
        if deletes:
            if kind == "roster":  # roster history is kept: mark, never delete
                con.executemany(
                    "UPDATE roster SET superseded_by=coalesce(superseded_by, '(deleted)') "
                    "WHERE id=?", deletes)
            else:
                con.executemany(f"DELETE FROM {table} WHERE id=?", deletes)
            report.deleted += len(deletes)
        if kind == "category" and rows:
            _propagate_leads(s, rows, now, report)
        ids = [r[0] for r in rows] + [d[0] for d in deletes]
        journal.record_many(s, kind, ids, now)
        _changed(report, kind, ids)

    return handler


# --- grids ------------------------------------------------------------------------
def _bbox(geom: dict) -> tuple[float, float, float, float]:
    polys = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    lons = [p[0] for poly in polys for ring in poly for p in ring]
    lats = [p[1] for poly in polys for ring in poly for p in ring]
    return min(lats), min(lons), max(lats), max(lons)


def _apply_grids(s: Session, items: list[dict], now: float, report: ApplyReport) -> None:
    con = journal.raw(s)
    rows, deletes = [], []
    for it in items:
        eid = str(it["id"])
        if it["op"] == "delete":
            deletes.append((eid,))
            continue
        f = it["data"]
        try:
            text = json.dumps(f, ensure_ascii=False, separators=(",", ":"))
        except (TypeError, ValueError) as exc:
            _quarantine(s, it, f"grid not JSON: {exc}", now, report)
            continue
        if len(text) > MAX_GRID_CHARS:
            _quarantine(s, it, "payload too large", now, report)
            continue
        err = validate_feature(f)
        if err:
            _quarantine(s, it, f"invalid GeoJSON: {err}", now, report)
            continue
        p = f["properties"]
        rows.append((eid, p["layer"], str(p.get("name", "")), str(p.get("code", "")),
                     _str(p.get("parent_id")), _str(p.get("micro_type")),
                     *_bbox(f["geometry"]), text))
    if rows:
        con.executemany(
            "INSERT INTO grids (id, layer, name, code, parent_id, micro_type, min_lat, min_lon, "
            "max_lat, max_lon, feature) VALUES (?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(id) DO UPDATE "
            "SET layer=excluded.layer, name=excluded.name, code=excluded.code, "
            "parent_id=excluded.parent_id, micro_type=excluded.micro_type, "
            "min_lat=excluded.min_lat, min_lon=excluded.min_lon, max_lat=excluded.max_lat, "
            "max_lon=excluded.max_lon, feature=excluded.feature",
            rows,
        )
    if deletes:
        con.executemany("DELETE FROM grids WHERE id=?", deletes)
        report.deleted += len(deletes)
    ids = [r[0] for r in rows] + [d[0] for d in deletes]
    journal.record_many(s, "grid", ids, now)
    _changed(report, "grid", ids)


_HANDLERS: dict[str, Callable[[Session, list[dict], float, ApplyReport], None]] = {
    kind: _make_ref_handler(kind) for kind in _REF
}
_HANDLERS["grid"] = _apply_grids
_HANDLERS["ticket"] = _apply_tickets
_HANDLERS["ticket_event"] = _apply_ticket_events
from console.domain import roster as _roster  # noqa: E402
from console.domain import timelimits as _timelimits  # noqa: E402

_HANDLERS["camera_policy"] = _street_entity("camera_policy", _camera_policy_problem)
_HANDLERS["duty_pattern"] = _street_entity("duty_pattern", _raises(_roster.pattern_from_dict, _roster.PatternError))
_HANDLERS["work_calendar"] = _street_entity("work_calendar",
                                            _raises(_timelimits.calendar_from_dict, _timelimits.CalendarError))
# reference data first, so a batch's tickets find their categories/grids
_ORDER = ("category", "department", "grid", "responsibility", "user", "duty_pattern", "work_calendar", "roster",
          "camera_policy", "camera",
          "sensor", "alarm", "device_event", "ticket", "ticket_event")

# duty-hall records (localdb/feed_duty.py), after "roster" so their history wins
from localdb.feed_duty import apply_duty_records as _apply_duty_records  # noqa: E402

_HANDLERS["duty_record"] = _apply_duty_records
# emergency plans (localdb/feed_plans.py), before the duty records that may refer to them
from localdb.feed_plans import apply_plans as _apply_plans  # noqa: E402

_HANDLERS["plan"] = _apply_plans
_ORDER = (*_ORDER, "plan", "resource", "duty_record")
