"""Read side of the store: queue queries, ticket detail, reference data.

The queue holds row ids (``tickets.rid``) and fetches the visible rows on demand.
Filters and sorts run in SQL on indexed columns; limit states are ranges on
``limit_deadline`` (the deadline while the clock runs), so they use an index too.
All functions take a Session from ``Store.session()`` (or ``Store.write()``).
"""

from __future__ import annotations

import json
import math
import sqlite3
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from console.domain.model import DONE_STATES, OPEN_STATES, LimitState, Ticket, TicketState
from localdb import fts
from localdb.convert import GRID_COLUMNS, row_to_ticket

DEFAULT_WARNING_LEAD_S = 7200.0
_RUNNING = tuple(sorted(s.value for s in OPEN_STATES if s != TicketState.SUSPENDED))
#: Literal (not bound) so that SQLite can match the partial index's WHERE clause.
_RUNNING_SQL = "state IN (" + ", ".join(f"'{v}'" for v in _RUNNING) + ")"
_DONE = tuple(sorted(s.value for s in DONE_STATES))

#: Sortable columns: public name -> (ORDER BY columns, index that yields that order).
#: Ties are broken by the row id, so the order is total and matches the index.
SORT_COLUMNS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "created_at": (("created_at",), "ix_tickets_created"),
    "updated_at": (("updated_at",), "ix_tickets_updated"),
    "deadline": (("deadline",), "ix_tickets_deadline"),
    "priority": (("priority_rank", "created_at"), "ix_tickets_priority_created"),
    "number": (("number",), None),
    "state": (("state", "created_at"), "ix_tickets_state_cover"),
    "channel": (("channel", "state", "created_at"), "ix_tickets_channel_cover"),
    "category_code": (("category_code", "state", "created_at"), "ix_tickets_category_cover"),
    "department_id": (("department_id", "state", "created_at"), "ix_tickets_department_cover"),
    "urge_count": (("urge_count",), None),
    "grid_resp": (("grid_resp", "state", "created_at"), "ix_tickets_grid_resp_cover"),
}
#: Walking the sort index (and filtering) beats fetching and sorting every match above
#: a number of matches worked out in ``_choose_plan``; never below this many.
SORTED_SCAN_THRESHOLD = 2000

#: Columns the queue shows (never the reporter's phone).
ROW_COLUMNS = (
    "rid", "id", "number", "state", "channel", "category_kind", "category_code",
    "category_name", "priority", "address", "description", "grid_street", "grid_resp",
    "grid_committee", "grid_micro", "department_id", "created_at", "updated_at", "deadline",
    "pending", "attention", "needs_commander", "commander_reason", "key_supervision",
    "urge_count", "escalation_level", "last_actor_id", "lat", "lon", "version",
    "suspended_since", "extension_request",
)


@dataclass(frozen=True)
class TicketFilter:
    """What the queue shows. Empty tuples / None mean "no restriction"."""

    states: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    category_codes: tuple[str, ...] = ()
    grid_ids: tuple[str, ...] = ()  # any layer
    department_ids: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    limit_states: tuple[str, ...] = ()  # LimitState values
    mine: str | None = None  # actor id: tickets this officer acted on last
    needs_commander: bool | None = None
    pending: bool | None = None  # has local actions not yet confirmed
    attention: bool | None = None
    key_supervision: bool | None = None
    text: str = ""
    now: float | None = None  # platform time for limit states (default: time.time())
    warning_lead_s: float = DEFAULT_WARNING_LEAD_S


def _in(col: str, values, params: dict, name: str) -> str:
    keys = []
    for i, v in enumerate(values):
        k = f"{name}{i}"
        params[k] = getattr(v, "value", v)
        keys.append(f":{k}")
    return f"{col} IN ({', '.join(keys)})"


def _limit_clause(states, now: float, lead: float, params: dict) -> str:
    """Limit states in SQL, mirroring timelimits.limit_state: the clock runs in the open
    states except 挂账; due exactly at the deadline is still on time."""
    params["ls_now"], params["ls_warn"] = now, now + lead
    running, other = [], []
    for st in states:
        st = LimitState(st)
        if st is LimitState.OVERDUE:
            running.append("deadline < :ls_now")
        elif st is LimitState.WARNING:
            running.append("(deadline >= :ls_now AND deadline <= :ls_warn)")
        elif st is LimitState.ON_TIME:
            running.append("(deadline IS NULL OR deadline > :ls_warn)")
        elif st is LimitState.SUSPENDED:
            other.append("state = 'suspended'")
        else:
            other.append(_in("state", _DONE, params, "lsd"))
    parts = []
    if running:
        parts.append(f"{_RUNNING_SQL} AND (" + " OR ".join(running) + ")")
    parts += other
    return parts[0] if len(parts) == 1 else "((" + ") OR (".join(parts) + "))"


_LAYER_COLUMN = {"district": "grid_district", "street": "grid_street", "resp_grid": "grid_resp",
                 "committee": "grid_committee", "micro_grid": "grid_micro"}


def grid_columns(session: Session, grid_ids) -> dict[str, list[str]]:
    """Column -> ids, using each grid's known layer so that the filter touches only
    the column (and index) it can match; unknown ids are tried in every layer."""
    params = {f"g{i}": g for i, g in enumerate(grid_ids)}
    ph = ", ".join(f":g{i}" for i in range(len(params)))
    known = dict(session.execute(text(f"SELECT id, layer FROM grids WHERE id IN ({ph})"), params).all())
    out: dict[str, list[str]] = {}
    for g in grid_ids:
        cols = [_LAYER_COLUMN[known[g]]] if known.get(g) in _LAYER_COLUMN else list(GRID_COLUMNS.values())
        for c in cols:
            out.setdefault(c, []).append(g)
    return out


def where_clause(f: TicketFilter, grid_cols: dict[str, list[str]] | None = None
                 ) -> tuple[str, dict[str, Any]]:
    params: dict[str, Any] = {}
    conds: list[str] = []
    if f.states:
        conds.append(_in("state", f.states, params, "st"))
    if f.channels:
        conds.append(_in("channel", f.channels, params, "ch"))
    if f.category_codes:
        conds.append(_in("category_code", f.category_codes, params, "cc"))
    if f.department_ids:
        conds.append(_in("department_id", f.department_ids, params, "dp"))
    if f.priorities:
        conds.append(_in("priority", f.priorities, params, "pr"))
    if f.grid_ids:
        cols = grid_cols or {c: list(f.grid_ids) for c in GRID_COLUMNS.values()}
        ors = [_in(col, ids, params, f"g{n}_") for n, (col, ids) in enumerate(cols.items())]
        conds.append("(" + " OR ".join(ors) + ")")
    if f.limit_states:
        now = time.time() if f.now is None else f.now
        conds.append(_limit_clause(f.limit_states, now, f.warning_lead_s, params))
    if f.mine:
        params["mine"] = f.mine
        conds.append("last_actor_id = :mine")
    for name in ("needs_commander", "attention", "key_supervision"):
        v = getattr(f, name)
        if v is not None:
            conds.append(f"{name} = {1 if v else 0}")
    if f.pending is not None:
        conds.append("pending > 0" if f.pending else "pending = 0")
    if f.text.strip():
        terms = fts.split_terms(f.text)
        match = fts.match_expression(terms)
        if match:
            params["fts"] = match
            conds.append(f"rid IN (SELECT rowid FROM {fts.FTS_TABLE} WHERE {fts.FTS_TABLE} MATCH :fts)")
        for i, t in enumerate(fts.short_terms(terms)):
            params[f"tx{i}"] = t.lower()
            conds.append(
                f"(instr(lower(description), :tx{i}) > 0 OR instr(lower(address), :tx{i}) > 0 "
                f"OR instr(lower(coalesce(number, '')), :tx{i}) > 0)"
            )
    return (" WHERE " + " AND ".join(conds)) if conds else "", params


_CLOCK_RUNNING = frozenset({"overdue", "warning"})


def _sort_spec(sort: tuple[str, str] | None, f: TicketFilter | None) -> tuple[tuple[str, ...], str | None, str]:
    col, direction = sort or ("created_at", "desc")
    if col not in SORT_COLUMNS:
        raise ValueError(f"cannot sort by {col!r}")
    cols, index = SORT_COLUMNS[col]
    d = "DESC" if str(direction).lower() == "desc" else "ASC"
    if (col == "deadline" and f is not None and f.limit_states
            and set(map(str, f.limit_states)) <= _CLOCK_RUNNING):
        # The partial index of running deadlines serves both the filter and the sort.
        index = "ix_tickets_running_deadline"
    return cols, index, d


def _order(sort: tuple[str, str] | None, f: TicketFilter | None = None) -> str:
    cols, _, d = _sort_spec(sort, f)
    return " ORDER BY " + ", ".join(f"{c} {d}" for c in cols) + f", rid {d}"


def ticket_query_sql(filters: TicketFilter, sort=None, grid_cols=None) -> tuple[str, dict]:
    where, params = where_clause(filters, grid_cols)
    return f"SELECT rid FROM tickets{where}{_order(sort, filters)} LIMIT :lim OFFSET :off", params


def query_ticket_ids(
    session: Session,
    filters: TicketFilter | None = None,
    sort: tuple[str, str] | None = ("created_at", "desc"),
    offset: int = 0,
    limit: int = 200,
) -> list[int]:
    """Row ids of one page of the queue (NULLs sort first ascending, last descending;
    ties broken by the sort's secondary column, then row id)."""
    filters = filters or TicketFilter()
    gc = grid_columns(session, filters.grid_ids) if filters.grid_ids else None
    sql, params = ticket_query_sql(filters, sort, gc)
    params.update(lim=int(limit), off=int(offset))
    walk_sql, budget = _choose_plan(session, sql, params, filters, sort, gc)
    con = session.connection().connection.driver_connection
    if walk_sql is not None:
        key = (str(session.get_bind().url), walk_sql,
               tuple(sorted((k, str(v)) for k, v in params.items() if k not in ("lim", "off"))))
        failed = _walk_failed.get(key)
        if failed is None or time.monotonic() - failed > _PROBE_TTL_S:
            ids = _bounded(con, walk_sql, params, budget)
            if ids is not None:
                return ids
            if len(_walk_failed) > 512:
                _walk_failed.clear()
            _walk_failed[key] = time.monotonic()  # the next pages sort straight away
    return [r[0] for r in con.execute(sql, params)]


_walk_failed: dict[tuple, float] = {}


#: SQLite virtual-machine steps per index entry of a filtered walk (measured: ~4).
OPS_PER_ENTRY = 4
_PROGRESS_EVERY = 1000


def _bounded(con: sqlite3.Connection, sql: str, params: dict, budget_entries: float) -> list[int] | None:
    """Run a sort-index walk, giving up (None) after about ``budget_entries`` index
    entries: when the sort key and the filter are correlated (e.g. open tickets all
    have recent deadlines), the matches are not spread evenly along the index and the
    walk may pass most of the table before it fills a page; then sorting is cheaper."""
    calls = [0]
    limit = max(1, int(budget_entries * OPS_PER_ENTRY / _PROGRESS_EVERY))

    def progress() -> int:
        calls[0] += 1
        return 1 if calls[0] > limit else 0

    con.set_progress_handler(progress, _PROGRESS_EVERY)
    try:
        return [r[0] for r in con.execute(sql, params)]
    except sqlite3.OperationalError as exc:
        if "interrupt" not in str(exc).lower():
            raise
        return None
    finally:
        con.set_progress_handler(None, 0)


#: Plan probes (bounded match counts) remembered per filter for a few seconds: the
#: queue asks for page after page of the same filter, and the count does not change
#: the decision unless thousands of tickets arrive meanwhile.
_PROBE_TTL_S = 15.0
_probe_cache: dict[tuple, tuple[int, int, float]] = {}


def _probe_count(session: Session, where: str, params: dict, cap: int) -> int:
    """min(matches, cap), from the cache when a recent probe answers it."""
    key = (str(session.get_bind().url), where, tuple(sorted((k, str(v)) for k, v in params.items())))
    now = time.monotonic()
    hit = _probe_cache.get(key)
    if hit is not None and now - hit[2] < _PROBE_TTL_S:
        n, cap0, _ = hit
        if n < cap0:
            return min(n, cap)  # the exact count
        if cap <= cap0:
            return cap  # at least cap0 >= cap
    con = session.connection().connection.driver_connection
    n = con.execute(f"SELECT count(*) FROM (SELECT 1 FROM tickets{where} LIMIT :cap)",
                    {**params, "cap": cap}).fetchone()[0]
    if len(_probe_cache) > 512:
        _probe_cache.clear()
    _probe_cache[key] = (n, cap, now)
    return n


#: Relative cost per entry (measured on a 1M-ticket store): reading an index entry
#: in a scan, reading a wide table row by row id, inserting into the ORDER BY sorter.
COST_INDEX_ENTRY = 0.05
COST_ROW_READ = 3.0
COST_SORTER = 0.8


def _choose_plan(session: Session, sql: str, params: dict, f: TicketFilter, sort, gc
                 ) -> tuple[str | None, float]:
    """SQLite plans without regard to LIMIT: with a filter that matches many rows and a
    sort no filter index delivers, it fetches and sorts every match. Walking the sort
    column's index and stopping after one page can be far cheaper (the sort indexes
    carry the common filter columns, so the walk often reads index entries only).

    Cost of sorting: matches x (sorter + reading each match); of walking:
    (offset + limit) x rows / matches x (entry or row read). Walking wins above
    matches = sqrt(needed x rows x walk / (sorter + read)); a count bounded by that
    tells which side we are on. Returns (the walk's SQL or None, its budget in index
    entries: what sorting would cost; the walk is abandoned beyond it)."""
    _, index, _ = _sort_spec(sort, f)
    if index is None or " WHERE " not in sql or f.text.strip():
        return None, 0
    con = session.connection().connection.driver_connection
    plan = " ".join(r[-1] for r in con.execute("EXPLAIN QUERY PLAN " + sql, params))
    if "TEMP B-TREE FOR ORDER BY" not in plan:
        return None, 0  # an index gives the order (a "RIGHT PART" sort only orders ties)
    walk_sql = sql.replace("FROM tickets", f"FROM tickets INDEXED BY {index}", 1)
    walk_plan = " ".join(r[-1] for r in con.execute("EXPLAIN QUERY PLAN " + walk_sql, params))
    walk = COST_INDEX_ENTRY if "COVERING INDEX" in walk_plan else COST_ROW_READ
    read = COST_INDEX_ENTRY if "COVERING INDEX" in plan else COST_ROW_READ
    rows = con.execute("SELECT max(rid) FROM tickets").fetchone()[0] or 0
    needed = params["off"] + params["lim"]
    cap = max(SORTED_SCAN_THRESHOLD, int(math.sqrt(needed * rows * walk / (COST_SORTER + read))))
    where, wparams = where_clause(f, gc)
    if _probe_count(session, where, wparams, cap) < cap:
        return None, 0
    # at least cap matches: sorting them costs >= cap x (sorter + read); twice that
    # in walked entries is the walk's allowance
    return walk_sql, 2 * cap * (COST_SORTER + read) / walk


query_tickets = query_ticket_ids  # the name used in docs/INTERFACES.md


def count_tickets(session: Session, filters: TicketFilter | None = None) -> int:
    filters = filters or TicketFilter()
    gc = grid_columns(session, filters.grid_ids) if filters.grid_ids else None
    where, params = where_clause(filters, gc)
    return int(session.execute(text(f"SELECT count(*) FROM tickets{where}"), params).scalar())


def explain(session: Session, filters: TicketFilter, sort=None) -> list[str]:
    """EXPLAIN QUERY PLAN lines of the queue query (for tests and benchmarks)."""
    gc = grid_columns(session, filters.grid_ids) if filters.grid_ids else None
    sql, params = ticket_query_sql(filters, sort, gc)
    params.update(lim=200, off=0)
    return [r[-1] for r in session.execute(text("EXPLAIN QUERY PLAN " + sql), params)]


TAB_NAMES = {  # tab key -> zh_CN label (views/labels.py owns the display)
    "pending": "待受理",
    "warning": "即将超时",
    "overdue": "已超时",
    "feedback": "待核查",
    "needs_commander": "需指挥长",
    "mine": "我的",
}


def tab_filter(tab: str, now: float, actor_id: str | None,
               warning_lead_s: float = DEFAULT_WARNING_LEAD_S) -> TicketFilter:
    if tab == "pending":
        return TicketFilter(states=("pending",))
    if tab == "warning":
        return TicketFilter(limit_states=("warning",), now=now, warning_lead_s=warning_lead_s)
    if tab == "overdue":
        return TicketFilter(limit_states=("overdue",), now=now, warning_lead_s=warning_lead_s)
    if tab == "feedback":
        return TicketFilter(states=("feedback",))
    if tab == "needs_commander":
        return TicketFilter(needs_commander=True)
    if tab == "mine":
        return TicketFilter(mine=actor_id or "\x00")
    raise ValueError(f"unknown tab {tab!r}")


def tab_counts(session: Session, now: float, actor_id: str | None,
               warning_lead_s: float = DEFAULT_WARNING_LEAD_S) -> dict[str, int]:
    return {
        tab: count_tickets(session, tab_filter(tab, now, actor_id, warning_lead_s))
        for tab in TAB_NAMES
    }


def get_rows(session: Session, ids: list[int]) -> list[dict[str, Any]]:
    """Queue rows for the given row ids, in the same order (missing ids skipped)."""
    if not ids:
        return []
    out: dict[int, dict] = {}
    cols = ", ".join(ROW_COLUMNS)
    con = session.connection().connection.driver_connection  # plain tuples: no Row objects
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
        text("SELECT rid, pending, attention, last_actor_id FROM tickets WHERE id=:i"),
        {"i": ticket_id},
    ).first()
    return None if r is None else dict(r._mapping)


def base_ticket(session: Session, ticket_id: str) -> Ticket | None:
    """The platform's state of a ticket with unconfirmed local actions (else None)."""
    v = session.execute(text("SELECT data FROM ticket_base WHERE id=:i"), {"i": ticket_id}).scalar()
    return None if v is None else Ticket.from_dict(json.loads(v))


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
        d["params"] = json.loads(d["params"] or "{}")
        d["local"] = bool(d["local"])
        out.append(d)
    return out


def search(session: Session, query: str, limit: int = 200) -> list[int]:
    return query_ticket_ids(session, TicketFilter(text=query), ("created_at", "desc"), 0, limit)


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
        params: dict = {}
        cond = _in("state", sorted(s.value for s in OPEN_STATES), params, "o")
        load = dict(session.execute(text(
            f"SELECT department_id, count(*) FROM tickets WHERE department_id IS NOT NULL "
            f"AND {cond} GROUP BY department_id"), params).all())
        for r in rows:
            r["open_load"] = int(load.get(r["id"], 0))
    return rows


def categories(session: Session, kind: str | None = None) -> list[dict[str, Any]]:
    where = " WHERE kind = :k" if kind else ""
    return _dicts(session, f"SELECT * FROM categories{where} ORDER BY kind, code", {"k": kind})


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


def users(session: Session) -> list[dict[str, Any]]:
    return _dicts(session, "SELECT id, name, role, pin_hash FROM users ORDER BY id")


def quarantine(session: Session, limit: int = 500) -> list[dict[str, Any]]:
    return _dicts(session, "SELECT * FROM quarantine ORDER BY id DESC LIMIT :n", {"n": limit})


def audit_log(session: Session, ticket_id: str | None = None) -> list[dict[str, Any]]:
    where = " WHERE ticket_id = :t" if ticket_id else ""
    return _dicts(session, f"SELECT * FROM audit_log{where} ORDER BY id", {"t": ticket_id})
