"""The queue's query engine (Qt-free): the one the panel, its tab counts, the map's
lasso, the benchmarks and the tests all run.

The queue model holds row ids (``tickets.rid``) only and asks for rows when they are
drawn, so every query here is "ids in this order, this page", a count, or "which of
these pass". Filters and sort keys map to indexed columns of ``tickets`` (see
``localdb.models.TicketRow``); nothing is filtered in Python.

A queue filter is a plain dict (what ``Bus.sig_filter_queue`` carries):

``tab`` (a key of ``TAB_NAMES``), ``states``/``state``, ``channels``/``channel``,
``categories``/``category`` (codes), ``grids``/``grid`` (cell ids of any layer),
``departments``/``department``, ``priorities``, ``limit`` (LimitState values:
on_time, warning, overdue, suspended, done), ``mine`` (bool: last actor is the
officer, or an actor id), ``needs_commander``, ``pending`` (unsent local actions),
``pending_sync`` (unsent or needing attention), ``attention``, ``key_supervision``,
``bbox`` ([min_lat, min_lon, max_lat, max_lon]), ``text`` (full-text search),
``open_only``, ``ids``; ``all_of`` (a list of such dicts that must all hold) and
``lead_s`` (the hall's warning lead, seconds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from console.domain.model import OPEN_STATES
from console.domain.timelimits import DEFAULT_WARNING_LEAD_S
from localdb import fts
from localdb.convert import GRID_COLUMNS
from localdb.limits import limit_clause, max_lead_s
from localdb.models import PRIORITY_ORDER, Grid, TicketRow

T = TicketRow.__table__.c
_OPEN = sorted(s.value for s in OPEN_STATES)

#: tab key -> zh_CN label (views/queue_labels.py owns the display)
TAB_NAMES = {
    "pending": "待受理",
    "warning": "即将超时",
    "overdue": "已超时",
    "feedback": "待核查",
    "needs_commander": "需指挥长",
    "mine": "我的",
}

#: sort key (column name of the queue) -> ordered columns. "priority" descending is the
#: priority order (issue 13): 特急 first, then by time left (overdue first), tickets
#: whose clock has not started after them, newest first (ix_tickets_priority_order,
#: ix_tickets_state_priority).
SORT_COLUMNS: dict[str, tuple] = {
    "limit": (T.limit_deadline,),
    "priority": (*PRIORITY_ORDER, T.created_at),
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
#: sort keys over columns that may be NULL: NULLs go last in both directions
NULLABLE_SORTS = frozenset({"limit", "grid", "department"})


def _yes(flag):
    """A flag column is set: flags are 0/1 integers in both stores (SMALLINT on
    PostgreSQL, see localdb.pg), so compare with 1, not with TRUE."""
    return flag == 1


def _as_list(value: Any) -> list:
    if value is None or value == "" or value == []:
        return []
    if isinstance(value, (list, tuple, set, frozenset)):
        return [v for v in value if v not in (None, "")]
    return [value]


#: alternative key names accepted (the map and charts may send either)
_ALIASES = {"categories": "category_codes", "grids": "grid_ids", "departments": "department_ids",
            "limit": "limit_states"}


def _merged(f: Mapping[str, Any], plural: str, singular: str) -> list:
    out = _as_list(f.get(plural)) + _as_list(f.get(singular))
    if plural in _ALIASES:
        out += _as_list(f.get(_ALIASES[plural]))
    return out


_LAYER_COLUMN = {"district": "grid_district", "street": "grid_street", "resp_grid": "grid_resp",
                 "committee": "grid_committee", "micro_grid": "grid_micro"}


def grid_columns(session: Session, grid_ids: Sequence[str]) -> dict[str, list[str]]:
    """Column -> ids, using each grid's known layer so that the filter touches only
    the column (and index) it can match; unknown ids are tried in every layer."""
    known = dict(session.execute(select(Grid.id, Grid.layer).where(Grid.id.in_(list(grid_ids)))).all())
    out: dict[str, list[str]] = {}
    for g in grid_ids:
        cols = [_LAYER_COLUMN[known[g]]] if known.get(g) in _LAYER_COLUMN else list(GRID_COLUMNS.values())
        for c in cols:
            out.setdefault(c, []).append(g)
    return out


def text_clause(q: str, dialect: str = "sqlite"):
    """Full-text search, written by ``localdb.fts`` (FTS5 trigram on SQLite, pg_trgm on
    PostgreSQL)."""
    return fts.search_clause(q, dialect)


def tab_clause(tab: str, now: float, actor_id: str | None, lead_s: float = DEFAULT_WARNING_LEAD_S,
               max_lead: float | None = None):
    """What a tab lists (and counts)."""
    if tab == "pending":
        return T.state == "pending"
    if tab in ("warning", "overdue"):
        return limit_clause([tab], now, lead_s, max_lead)
    if tab == "feedback":
        return T.state == "feedback"
    if tab == "needs_commander":
        return _yes(T.needs_commander)
    if tab == "mine":
        return T.last_actor_id == (actor_id or "\x00")
    raise ValueError(f"unknown tab {tab!r}")


def where_clauses(session: Session, f: Mapping[str, Any] | None, now: float,
                  actor_id: str | None = None, lead_s: float | None = None,
                  max_lead: float | None = None) -> list:
    f = f or {}
    # the hall's warning lead (setting warning_lead_minutes) rides on the outer filter;
    # categories may set their own (``localdb.limits``)
    lead_s = float(f.get("lead_s", lead_s if lead_s is not None else DEFAULT_WARNING_LEAD_S))
    if max_lead is None:
        max_lead = max_lead_s(session, lead_s)
    out: list = []
    for sub in f.get("all_of") or ():
        out.extend(where_clauses(session, sub, now, actor_id, lead_s, max_lead))
    if tab := f.get("tab"):
        out.append(tab_clause(tab, now, actor_id, lead_s, max_lead))
    if states := _merged(f, "states", "state"):
        out.append(T.state.in_([str(s) for s in states]))
    elif f.get("open_only"):
        out.append(T.state.in_(_OPEN))
    if channels := _merged(f, "channels", "channel"):
        out.append(T.channel.in_([str(c) for c in channels]))
    if cats := _merged(f, "categories", "category"):
        out.append(T.category_code.in_([str(c).split(":")[-1] for c in cats]))
    if grids := _merged(f, "grids", "grid"):
        cols = grid_columns(session, [str(g) for g in grids])
        out.append(or_(*[T[col].in_(ids) for col, ids in cols.items()]))
    if deps := _merged(f, "departments", "department"):
        out.append(T.department_id.in_(deps))
    if prios := _merged(f, "priorities", "priority"):
        out.append(T.priority.in_([str(p) for p in prios]))
    if limits := _merged(f, "limit", "limit_state"):
        out.append(limit_clause([str(x) for x in limits], now, lead_s, max_lead))
    if mine := f.get("mine"):
        who = mine if isinstance(mine, str) else (f.get("actor_id") or actor_id or "\x00")
        out.append(T.last_actor_id == who)
    if f.get("needs_commander"):
        out.append(_yes(T.needs_commander))
    if f.get("pending_sync"):
        out.append(or_(T.pending > 0, _yes(T.attention)))
    if f.get("pending") is True:
        out.append(T.pending > 0)
    if f.get("attention"):
        out.append(_yes(T.attention))
    if f.get("key_supervision"):
        out.append(_yes(T.key_supervision))
    if bbox := f.get("bbox"):
        a, b, c, d = (float(x) for x in bbox)
        out.append(and_(T.lat.between(min(a, c), max(a, c)), T.lon.between(min(b, d), max(b, d))))
    if ids := _as_list(f.get("ids")):
        out.append(T.id.in_(ids))
    if (q := (f.get("text") or "").strip()) and (
            clause := text_clause(q, session.get_bind().dialect.name)) is not None:
        out.append(clause)
    return out


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


def query_ids(session: Session, f: Mapping[str, Any] | None, sort: str | None, descending: bool,
              offset: int, limit: int, now: float, actor_id: str | None = None) -> list[int]:
    """One page of row ids in the order ``sort`` (a ``SORT_COLUMNS`` key), ties by row id;
    NULLs of a nullable sort column last in both directions."""
    where = where_clauses(session, f, now, actor_id)
    base = select(T.rid).where(*where)
    order = order_by(sort, descending)
    if sort != "limit" and _only_warning(f) and session.get_bind().dialect.name == "sqlite":
        # Few tickets are due soon: read them by the limit_deadline range and sort
        # them, rather than let SQLite walk the sort column's index through the
        # whole table looking for them ("+col" keeps the index out of ORDER BY).
        plain = [literal_column(f"+tickets.{c.name}" if c.table is not None else f"+({c.name})")
                 for c in SORT_COLUMNS.get(sort or "age", SORT_COLUMNS["age"])]
        order = [c.desc() if descending else c.asc() for c in plain]
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


def tab_counts(session: Session, now: float, actor_id: str | None,
               lead_s: float = DEFAULT_WARNING_LEAD_S) -> dict[str, int]:
    """Tickets per tab: the same clauses the tab lists."""
    return {tab: count(session, {"tab": tab, "lead_s": lead_s}, now, actor_id) for tab in TAB_NAMES}


def total(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(TicketRow.__table__)).scalar_one())


def matching(session: Session, f: Mapping[str, Any] | None, ticket_ids: Sequence[str], now: float,
             actor_id: str | None = None) -> set[str]:
    """Which of ``ticket_ids`` pass the filter now (decides whether to re-query)."""
    if not ticket_ids:
        return set()
    stmt = select(T.id).where(T.id.in_(list(ticket_ids)), *where_clauses(session, f, now, actor_id))
    return set(session.execute(stmt).scalars())


def search(session: Session, q: str, limit: int = 200) -> list[int]:
    """Row ids of the tickets matching a free-text search, newest first."""
    return query_ids(session, {"text": q}, "age", True, 0, limit, 0.0)


def explain(session: Session, f: Mapping[str, Any] | None, sort: str | None = "age",
            descending: bool = True, now: float = 0.0, actor_id: str | None = None) -> list[str]:
    """EXPLAIN QUERY PLAN lines of the first page's query (tests and benchmarks)."""
    stmt = (select(T.rid).where(*where_clauses(session, f, now, actor_id))
            .order_by(*order_by(sort, descending)).limit(200))
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        # the index plan the server has once the table is big (seq scans priced out)
        sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        session.execute(text("SET LOCAL enable_seqscan = off"))
        return [r[0] for r in session.execute(text("EXPLAIN " + sql.replace(":", r"\:")))]
    sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
    con = session.connection().connection.driver_connection
    return [r[-1] for r in con.execute("EXPLAIN QUERY PLAN " + sql)]
