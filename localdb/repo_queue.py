"""Read-only queries of the ticket queue panel (Qt-free).

The queue model holds row ids (``tickets.rid``) only and asks for rows when they are
drawn, so every query here is either "ids in this order, this page" or "these rows by
id". Filters and sort keys map to indexed columns of ``tickets`` (see
``localdb.models.TicketRow``); nothing is filtered in Python.

A queue filter is a plain dict (what ``Bus.sig_filter_queue`` carries):

``states``/``state``, ``channels``/``channel``, ``categories``/``category`` (codes),
``grids``/``grid`` (cell ids of any layer), ``departments``/``department``,
``priorities``, ``limit`` (list of LimitState values: on_time, warning, overdue,
suspended, done), ``mine`` (bool: last actor is the officer), ``needs_commander``,
``pending_sync`` (unsent or needing attention), ``bbox`` ([min_lat, min_lon,
max_lat, max_lon]), ``text`` (full-text search), ``open_only`` (bool), ``ids``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import and_, func, literal_column, or_, select, text, true
from sqlalchemy.orm import Session

from console.domain.model import DONE_STATES, OPEN_STATES, TicketState
from localdb import repo
from localdb.models import Attachment, Department, Grid, OutboxEntry, TicketRow, User

T = TicketRow.__table__.c
WARNING_LEAD_S = 7200.0

#: sort key (column name of the queue) -> ordered columns
SORT_COLUMNS: dict[str, tuple] = {
    "limit": (T.limit_deadline,),
    "priority": (T.priority_rank,),
    "channel": (T.channel,),
    "category": (T.category_code,),
    "grid": (T.grid_resp,),
    "address": (T.address,),
    "state": (T.state,),
    "department": (T.department_id,),
    "age": (T.created_at,),
    "sync": (T.pending,),
    "created": (T.created_at,),
    "updated": (T.updated_at,),
}

_OPEN = sorted(s.value for s in OPEN_STATES)
_DONE = sorted(s.value for s in DONE_STATES)


def _as_list(value: Any) -> list:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [v for v in value if v not in (None, "")]
    return [value]


#: TicketFilter field names accepted as aliases (the map and charts may send either)
_ALIASES = {"categories": "category_codes", "grids": "grid_ids", "departments": "department_ids",
            "limit": "limit_states"}


def _merged(f: Mapping[str, Any], plural: str, singular: str) -> list:
    out = _as_list(f.get(plural)) + _as_list(f.get(singular))
    if plural in _ALIASES:
        out += _as_list(f.get(_ALIASES[plural]))
    return out


def limit_clause(states: Iterable[str], now: float, lead_s: float = WARNING_LEAD_S):
    """SQL for "the ticket's LimitState is one of ``states``" (mirrors
    ``console.domain.timelimits.limit_state`` over the indexed ``limit_deadline``)."""
    parts = []
    for s in states:
        if s == "overdue":
            parts.append(T.limit_deadline < now)
        elif s == "warning":
            parts.append(and_(T.limit_deadline >= now, T.limit_deadline <= now + lead_s))
        elif s == "on_time":
            parts.append(or_(T.limit_deadline > now + lead_s,
                             and_(T.limit_deadline.is_(None), T.state.in_(_OPEN),
                                  T.state != TicketState.SUSPENDED.value)))
        elif s == "suspended":
            parts.append(T.state == TicketState.SUSPENDED.value)
        elif s == "done":
            parts.append(T.state.in_(_DONE))
    return or_(*parts) if parts else true()


def _repo_clause(f: "repo.TicketFilter"):
    """A shared-repo filter as a SQL clause (the same SQL the repo runs)."""
    where, params = repo.where_clause(f)
    where = where.replace(" WHERE ", "", 1) or "1"
    used = set(re.findall(r":(\w+)", where))
    return text(where).bindparams(**{k: v for k, v in params.items() if k in used})


def _text_clause(session: Session, q: str):
    """Full-text search exactly as ``localdb.repo`` does it (FTS5 trigram + short terms)."""
    return _repo_clause(repo.TicketFilter(text=q)) if q.strip() else None


def where_clauses(session: Session, f: Mapping[str, Any] | None, now: float,
                  actor_id: str | None = None, lead_s: float | None = None) -> list:
    f = f or {}
    # the hall's warning lead (setting warning_lead_minutes) rides on the outer filter
    lead_s = float(f.get("lead_s", lead_s if lead_s is not None else WARNING_LEAD_S))
    out: list = []
    for sub in f.get("all_of") or ():
        out.extend(where_clauses(session, sub, now, actor_id, lead_s))
    if tab := f.get("tab"):
        out.append(tab_clause(tab, now, actor_id, lead_s))
        if tab in ("warning", "overdue"):
            # the same condition over limit_deadline (the deadline while the clock
            # runs): lets SQLite range-scan ix_tickets_limit_deadline, which also
            # gives the tab's natural order (time left) without a sort step
            out.append(limit_clause([tab], now, lead_s))
    if states := _merged(f, "states", "state"):
        out.append(T.state.in_([str(s) for s in states]))
    elif f.get("open_only"):
        out.append(T.state.in_(_OPEN))
    if channels := _merged(f, "channels", "channel"):
        out.append(T.channel.in_([str(c) for c in channels]))
    if cats := _merged(f, "categories", "category"):
        out.append(T.category_code.in_([str(c).split(":")[-1] for c in cats]))
    if grids := _merged(f, "grids", "grid"):
        # each id only on its own layer's column (and index), as the shared repo does
        cols = repo.grid_columns(session, [str(g) for g in grids])
        out.append(or_(*[T[col].in_(ids) for col, ids in cols.items()]))
    if deps := _merged(f, "departments", "department"):
        out.append(T.department_id.in_(deps))
    if prios := _merged(f, "priorities", "priority"):
        out.append(T.priority.in_([str(p) for p in prios]))
    if limits := _merged(f, "limit", "limit_state"):
        out.append(limit_clause([str(x) for x in limits], now, lead_s))
    if mine := f.get("mine"):
        who = mine if isinstance(mine, str) else (f.get("actor_id") or actor_id or "")
        out.append(T.last_actor_id == who)
    if f.get("needs_commander"):
        out.append(T.needs_commander == true())
    if f.get("pending_sync") or f.get("pending") is True:
        out.append(or_(T.pending > 0, T.attention == true()))
    if f.get("attention"):
        out.append(T.attention == true())
    if f.get("key_supervision"):
        out.append(T.key_supervision == true())
    if bbox := f.get("bbox"):
        a, b, c, d = (float(x) for x in bbox)
        out.append(and_(T.lat.between(min(a, c), max(a, c)), T.lon.between(min(b, d), max(b, d))))
    if ids := _as_list(f.get("ids")):
        out.append(T.id.in_(ids))
    if q := (f.get("text") or "").strip():
        clause = _text_clause(session, q)
        if clause is not None:
            out.append(clause)
    return out


#: sort keys over columns that may be NULL: NULLs go last in both directions
NULLABLE_SORTS = frozenset({"limit", "grid", "department"})


def order_by(sort: str | None, descending: bool) -> list:
    """ORDER BY the sort column then the row id, in one direction: an index on the
    column (which holds the rowid) serves it without a sort step."""
    cols = SORT_COLUMNS.get(sort or "age", SORT_COLUMNS["age"])
    out = [c.desc() if descending else c.asc() for c in cols]
    out.append(T.rid.desc() if descending else T.rid.asc())
    return out


def _only_warning(f: Mapping[str, Any] | None) -> bool:
    if not f:
        return False
    if f.get("tab") == "warning" or _merged(f, "limit", "limit_state") == ["warning"]:
        return True
    return any(_only_warning(sub) for sub in f.get("all_of") or ())


#: queue column key -> localdb.repo sort name
REPO_SORTS = {"priority": "priority", "channel": "channel", "category": "category_code",
              "grid": "grid_resp", "state": "state", "department": "department_id",
              "age": "created_at", "created": "created_at", "updated": "updated_at",
              "limit": "deadline"}
_NOTHING = "\x00none"
_TUPLE_FIELDS = {  # TicketFilter field -> (plural key, singular key) of the queue dict
    "states": ("states", "state"), "channels": ("channels", "channel"),
    "category_codes": ("categories", "category"), "grid_ids": ("grids", "grid"),
    "department_ids": ("departments", "department"), "priorities": ("priorities", "priority"),
    "limit_states": ("limit", "limit_state"),
}


def _part_filter(f: Mapping[str, Any], now: float, actor_id: str | None) -> dict[str, Any] | None:
    """One queue dict as TicketFilter fields, or None if it has no TicketFilter form."""
    if f.get("bbox") or f.get("ids") or f.get("pending_sync"):
        return None
    out: dict[str, Any] = {}
    if tab := f.get("tab"):
        tf = repo.tab_filter(tab, now, actor_id)
        out.update({k: v for k, v in vars(tf).items() if k in _TUPLE_FIELDS and v})
        for k in ("mine", "needs_commander"):
            if getattr(tf, k) is not None:
                out[k] = getattr(tf, k)
    for field, (plural, singular) in _TUPLE_FIELDS.items():
        vals = tuple(str(v).split(":")[-1] if field == "category_codes" else str(v)
                     for v in _merged(f, plural, singular))
        if vals:
            out[field] = _intersect(out.get(field), vals)
    if f.get("open_only"):
        out["states"] = _intersect(out.get("states"), tuple(_OPEN))
    if mine := f.get("mine"):
        out["mine"] = mine if isinstance(mine, str) else (f.get("actor_id") or actor_id or "\x00")
    for k in ("needs_commander", "attention", "key_supervision"):
        if f.get(k):
            out[k] = True
    if f.get("pending") is True:
        out["pending"] = True
    if (q := (f.get("text") or "").strip()):
        out["text"] = q
    return out


def _intersect(a: tuple | None, b: tuple) -> tuple:
    if not a:
        return tuple(dict.fromkeys(b))
    both = tuple(x for x in a if x in set(b))
    return both or (_NOTHING,)


def ticket_filter(f: Mapping[str, Any] | None, now: float,
                  actor_id: str | None = None) -> "repo.TicketFilter | None":
    """The queue dict (with its ``all_of`` parts) as one ``repo.TicketFilter``: every
    part must hold, so lists intersect. None when a part has no TicketFilter form
    (bbox, ids, "pending or needing attention"): then this module's own SQL runs."""
    merged: dict[str, Any] = {}
    for part in [f or {}, *((f or {}).get("all_of") or ())]:
        own = {k: v for k, v in part.items() if k != "all_of"}
        pf = _part_filter(own, now, actor_id)
        if pf is None:
            return None
        for k, v in pf.items():
            if k in _TUPLE_FIELDS:
                merged[k] = _intersect(merged.get(k), v)
            elif k == "text":
                merged[k] = f"{merged.get(k, '')} {v}".strip()
            elif k in merged and merged[k] != v:
                merged["states"] = (_NOTHING,)
            else:
                merged[k] = v
    return repo.TicketFilter(now=now, warning_lead_s=float((f or {}).get("lead_s", WARNING_LEAD_S)),
                             **merged)


#: Run pages through ``localdb.repo.query_ticket_ids`` when the filter has a
#: TicketFilter form. Off for now: the repo's plan choice is still changing (it names
#: an index no migration creates yet) and on the 1M bench store it walked the
#: created_at index for the due-soon tab (~500 ms) where the SQL below takes ~5-30 ms.
USE_REPO_QUERY = False


def query_ids(session: Session, f: Mapping[str, Any] | None, sort: str | None, descending: bool,
              offset: int, limit: int, now: float, actor_id: str | None = None) -> list[int]:
    """One page of row ids (see ``own_query_ids``; ``USE_REPO_QUERY`` for the repo path)."""
    key = sort or "age"
    if USE_REPO_QUERY:
        tf = ticket_filter(f, now, actor_id)
        if tf is not None and key in REPO_SORTS and (
                key != "limit" or (tf.limit_states and set(tf.limit_states) <= {"warning", "overdue"})):
            return repo.query_ticket_ids(session, tf, (REPO_SORTS[key], "desc" if descending else "asc"),
                                         offset, limit)
    return own_query_ids(session, f, sort, descending, offset, limit, now, actor_id)


def own_query_ids(session: Session, f: Mapping[str, Any] | None, sort: str | None, descending: bool,
                  offset: int, limit: int, now: float, actor_id: str | None = None) -> list[int]:
    where = where_clauses(session, f, now, actor_id)
    base = select(T.rid).where(*where)
    order = order_by(sort, descending)
    if sort != "limit" and _only_warning(f):
        # Few tickets are due soon: read them by the limit_deadline range and sort
        # them, rather than let SQLite walk the sort column's index through the
        # whole table looking for them ("+col" keeps the index out of ORDER BY).
        order = [literal_column(f"+tickets.{c.name}").desc() if descending
                 else literal_column(f"+tickets.{c.name}").asc() for c in SORT_COLUMNS.get(sort or "age", SORT_COLUMNS["age"])]
        order.append(T.rid.desc() if descending else T.rid.asc())
    if sort not in NULLABLE_SORTS:
        return list(session.execute(base.order_by(*order).offset(offset).limit(limit)).scalars())
    # NULLs last either way, still on the index: the non-NULL range first, then the NULLs.
    col = SORT_COLUMNS[sort][0]
    got = list(session.execute(base.where(col.is_not(None)).order_by(*order)
                               .offset(offset).limit(limit)).scalars())
    if len(got) >= limit:
        return got
    if got:
        n_values = offset + len(got)
    else:
        n_values = int(session.execute(select(func.count()).select_from(TicketRow.__table__)
                                       .where(*where, col.is_not(None))).scalar_one())
    rid_order = T.rid.desc() if descending else T.rid.asc()
    rest = session.execute(base.where(col.is_(None)).order_by(rid_order)
                           .offset(max(0, offset - n_values)).limit(limit - len(got))).scalars()
    return got + list(rest)


def count(session: Session, f: Mapping[str, Any] | None, now: float,
          actor_id: str | None = None) -> int:
    stmt = select(func.count()).select_from(TicketRow.__table__).where(
        *where_clauses(session, f, now, actor_id))
    return int(session.execute(stmt).scalar_one())


def total(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(TicketRow.__table__)).scalar_one())


def matching(session: Session, f: Mapping[str, Any] | None, ticket_ids: Sequence[str], now: float,
             actor_id: str | None = None) -> set[str]:
    """Which of ``ticket_ids`` pass the filter now (decides whether to re-query)."""
    if not ticket_ids:
        return set()
    stmt = select(T.id).where(T.id.in_(list(ticket_ids)), *where_clauses(session, f, now, actor_id))
    return set(session.execute(stmt).scalars())


def rids_of(session: Session, ticket_ids: Sequence[str]) -> dict[str, int]:
    return repo.rowids_for(session, list(ticket_ids)) if ticket_ids else {}


def get_rows(session: Session, rids: Sequence[int]) -> dict[int, dict[str, Any]]:
    return {r["rid"]: r for r in repo.get_rows(session, list(rids))}


def tab_clause(tab: str, now: float, actor_id: str | None, lead_s: float = WARNING_LEAD_S):
    """The shared repo's tab filter as a clause: the list shows what the tab counts."""
    return _repo_clause(repo.tab_filter(tab, now, actor_id, lead_s))


def tab_counts(session: Session, now: float, actor_id: str | None,
               lead_s: float = WARNING_LEAD_S) -> dict[str, int]:
    return repo.tab_counts(session, now, actor_id, lead_s)


# -- reference data the shared repo does not have ---------------------------------------

def grid_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Grid.id, Grid.name)).all())


def department_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Department.id, Department.name)).all())


def grid_places(session: Session) -> list[dict[str, Any]]:
    """Named cells with their bbox centre (address search over local data)."""
    out = []
    for g in session.scalars(select(Grid).where(Grid.layer.in_(["resp_grid", "committee", "micro_grid"]))):
        if g.min_lat is None:
            continue
        out.append({"name": g.name, "layer": g.layer, "id": g.id,
                    "lat": (g.min_lat + g.max_lat) / 2, "lon": (g.min_lon + g.max_lon) / 2})
    return out


def address_matches(session: Session, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Places for the new-ticket address box: grid/committee names and known ticket addresses."""
    q = q.strip()
    if not q:
        return []
    out = [p for p in grid_places(session) if q in p["name"]][:limit]
    stmt = (select(T.address, func.min(T.lat), func.min(T.lon))
            .where(func.instr(T.address, q) > 0, T.lat.is_not(None))
            .group_by(T.address).limit(limit))
    for addr, lat, lon in session.execute(stmt):
        out.append({"name": addr, "layer": "address", "id": "", "lat": lat, "lon": lon})
    return out[:limit]


def user(session: Session, user_id: str) -> dict[str, str] | None:
    u = session.get(User, user_id)
    return None if u is None else {"id": u.id, "name": u.name, "role": u.role, "pin_hash": u.pin_hash}


def attachments(session: Session, ticket_id: str, digests: Sequence[str]) -> list[dict[str, Any]]:
    rows = {a.sha256: a for a in session.scalars(
        select(Attachment).where(or_(Attachment.ticket_id == ticket_id,
                                     Attachment.sha256.in_(list(digests) or [""]))))}
    out = []
    for d in list(dict.fromkeys(list(digests) + list(rows))):
        a = rows.get(d)
        out.append({"sha256": d, "path": a.path if a else None, "size": a.size if a else None,
                    "content_type": a.content_type if a else "", "state": a.state if a else "remote"})
    return out


def needs_attention(session: Session) -> list[dict[str, Any]]:
    """Outbox entries the platform refused (rejected/conflict), newest first."""
    stmt = (select(OutboxEntry, T.number, T.category_name, T.address)
            .join(TicketRow.__table__, T.id == OutboxEntry.ticket_id, isouter=True)
            .where(OutboxEntry.status == "needs_attention").order_by(OutboxEntry.seq.desc()))
    out = []
    for e, number, cat, addr in session.execute(stmt):
        try:
            params = json.loads(e.params or "{}")
        except ValueError:
            params = {}
        out.append({"command_id": e.command_id, "ticket_id": e.ticket_id, "verb": e.verb,
                    "params": params, "issued_at": e.issued_at, "result_code": e.result_code,
                    "reason": e.reason, "number": number, "category_name": cat, "address": addr})
    return out
