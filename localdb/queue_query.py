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

from sqlalchemy import Table, and_, func, literal_column, or_, select, text
from sqlalchemy.ext.compiler import compiles
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
    "sync": (T.pending, T.created_at),
    "created": (T.created_at,),
    "updated": (T.updated_at,),
}
#: sort keys over columns that may be NULL: NULLs go last in both directions
NULLABLE_SORTS = frozenset({"limit", "grid", "department"})


#: the constants of the partial indexes' WHERE (``localdb.models``), written into the SQL
#: as literals: SQLite proves a partial index usable only from a literal, not from a
#: bound parameter ("needs_commander = ?" never reads ix_tickets_needs_commander)
_ONE, _ZERO = literal_column("1"), literal_column("0")


def _yes(flag):
    """A flag column is set: flags are 0/1 integers in both stores (SMALLINT on
    PostgreSQL, see localdb.pg), so compare with 1, not with TRUE."""
    return flag == _ONE


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
        out.append(or_(T.pending > _ZERO, _yes(T.attention)))
    if f.get("pending") is True:
        out.append(T.pending > _ZERO)
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


def _has(f: Mapping[str, Any] | None, key: str) -> bool:
    if not f:
        return False
    return bool(f.get(key)) or any(_has(sub, key) for sub in f.get("all_of") or ())


def _only_warning(f: Mapping[str, Any] | None) -> bool:
    if not f:
        return False
    if f.get("tab") == "warning" or _merged(f, "limit", "limit_state") == ["warning"]:
        return True
    return any(_only_warning(sub) for sub in f.get("all_of") or ())


#: flags and tabs whose tickets a partial index lists (``localdb.models.TicketRow``), in
#: the order a filter with several of them is read from: (filter key, tab, index)
FEW_ROWS = (
    ("key_supervision", None, "ix_tickets_key_supervision"),
    ("needs_commander", "needs_commander", "ix_tickets_needs_commander"),
    ("attention", None, "ix_tickets_attention"),
    ("pending", None, "ix_tickets_pending"),
    ("mine", "mine", "ix_tickets_last_actor"),
)


def _find(f: Mapping[str, Any] | None, key: str, tab: str | None) -> Mapping[str, Any] | None:
    """The (sub-)filter that sets ``key`` (the ``pending`` flag only when it is True) or
    selects ``tab``."""
    if not f:
        return None
    value = f.get(key)
    if (value is True if key == "pending" else bool(value)) or (tab and f.get("tab") == tab):
        return f
    return next((hit for sub in f.get("all_of") or () if (hit := _find(sub, key, tab))), None)


def driver(session: Session, f: Mapping[str, Any] | None, now: float,
           actor_id: str | None = None) -> tuple[str, list] | None:
    """The partial index the filter's few tickets are read from, and the clauses it
    lists them by: a flag or tab of ``FEW_ROWS``, else the warning tab or filter
    (tickets due soon, ``ix_tickets_limit_deadline``); None when the filter keeps no
    such small set.

    The index is chosen here, not left to ANALYZE: a partial index that is empty (no
    重点监管 ticket yet) has no statistics, and the planner then takes it for a big one."""
    f = f or {}
    lead_s = float(f.get("lead_s", DEFAULT_WARNING_LEAD_S))
    for key, tab, index in FEW_ROWS:
        if (sub := _find(f, key, tab)) is not None:
            one = {"tab": tab} if tab and sub.get("tab") == tab and not sub.get(key) else {
                key: sub[key], **({"actor_id": sub["actor_id"]} if "actor_id" in sub else {})}
            return index, where_clauses(session, {**one, "lead_s": lead_s}, now, actor_id)
    if _only_warning(f):
        return "ix_tickets_limit_deadline", where_clauses(
            session, {"limit": ["warning"], "lead_s": lead_s}, now, actor_id)
    return None


def _few_rows(f: Mapping[str, Any] | None) -> bool:
    """The filter keeps few tickets, found by a partial index (``driver``)."""
    return _only_warning(f) or any(_find(f, key, tab) is not None for key, tab, _ in FEW_ROWS)


def _plain(col):
    """``+col``: the same value, but no index serves ORDER BY on it (SQLite)."""
    return literal_column(f"+tickets.{col.name}" if col.table is not None else f"+({col.name})")


def _order(cols: Sequence, descending: bool, plain: bool) -> list:
    out = [(_plain(c) if plain else c) for c in (*cols, T.rid)]
    return [c.desc() if descending else c.asc() for c in out]


def segments(session: Session, f: Mapping[str, Any] | None, sort: str | None,
             descending: bool) -> list[tuple[Any, list]]:
    """The parts of the order ``sort`` as (extra WHERE or None, ORDER BY), in the order
    they are listed; each part is one index walk, the page is read across them.

    - a nullable sort column: the non-NULL values by the column's index, then the NULLs
      by row id (NULLs last in both directions);
    - 同步 (``sync``): the order is (pending, created_at, row id); descending, the few
      tickets with unsent actions first (``ix_tickets_pending_order``), then the rest in
      the age order (``ix_tickets_created``); ascending, the reverse. ``pending`` is a
      count, never negative, so the rest all have ``pending = 0``;
    - any other sort: one part.

    When the filter keeps few rows (``_few_rows``), SQLite reads them by the filter's
    index (``driver``, named by ``_read_from``) and sorts them, rather than walk the sort
    column's index through the whole table looking for them ("+col" keeps the index
    out of ORDER BY and of the NULL tests of the parts); the limit sort too, unless the
    few rows are the tickets due soon, whose index is the limit order itself."""
    sort = sort if sort in SORT_COLUMNS else "age"
    flagged = any(_find(f, key, tab) is not None for key, tab, _ in FEW_ROWS)
    # the limit sort of tickets due soon walks their own index (limit_deadline) in order
    plain = (session.get_bind().dialect.name == "sqlite" and _few_rows(f)
             and (sort != "limit" or flagged))
    cols = SORT_COLUMNS[sort]
    if sort in NULLABLE_SORTS:
        col = _plain(cols[0]) if plain else cols[0]  # "+col IS NOT NULL" is no range scan
        return [(col.is_not(None), _order(cols, descending, plain)),
                (col.is_(None), _order((), descending, plain))]
    if sort == "sync":
        waiting = (T.pending > _ZERO, _order((T.pending, T.created_at), descending, plain))
        rest = (T.pending <= _ZERO, _order((T.created_at,), descending, plain))
        return [waiting, rest] if descending else [rest, waiting]
    return [(None, _order(cols, descending, plain))]


@compiles(Table, "sqlite")
def _table_with_hint(element, compiler, **kw):
    """SQLite's compiler drops FROM hints; write ``tickets INDEXED BY <index>`` (the
    hint ``_read_from`` puts on a query)."""
    sql = compiler.visit_table(element, **kw)
    hint = (kw.get("fromhints") or {}).get(element)
    return f"{sql} {hint}" if hint and not kw.get("ashint") else sql


def _read_from(session: Session, stmt, f: Mapping[str, Any] | None, now: float,
               actor_id: str | None = None):
    """On SQLite, a filter that keeps few rows is read from its partial index
    (``driver``): ``INDEXED BY`` names it, whatever the statistics say. The filter's
    own clause implies the index's WHERE, so the index always serves the query."""
    if session.get_bind().dialect.name == "sqlite" and (few := driver(session, f, now, actor_id)):
        return stmt.with_hint(TicketRow.__table__, f"INDEXED BY {few[0]}", "sqlite")
    return stmt


def query_ids(session: Session, f: Mapping[str, Any] | None, sort: str | None, descending: bool,
              offset: int, limit: int, now: float, actor_id: str | None = None) -> list[int]:
    """One page of row ids in the order ``sort`` (a ``SORT_COLUMNS`` key), ties by row id;
    NULLs of a nullable sort column last in both directions; read part by part
    (``segments``), each part on its index."""
    where = where_clauses(session, f, now, actor_id)
    parts = segments(session, f, sort, descending)
    out: list[int] = []
    before = 0  # rows of the parts already passed
    for i, (extra, order) in enumerate(parts):
        w = [*where, extra] if extra is not None else where
        skip = max(0, offset - before)
        stmt = select(T.rid).where(*w).order_by(*order).offset(skip).limit(limit - len(out))
        got = list(session.execute(_read_from(session, stmt, f, now, actor_id)).scalars())
        out += got
        if len(out) >= limit or i == len(parts) - 1:
            break
        if got:  # this part ended inside the page: it had skip + len(got) rows
            before += skip + len(got)
        else:  # the page starts past this part: count it to place the next one
            n = select(func.count()).select_from(TicketRow.__table__).where(*w)
            before += int(session.execute(_read_from(session, n, f, now, actor_id)).scalar_one())
    return out


def count(session: Session, f: Mapping[str, Any] | None, now: float,
          actor_id: str | None = None) -> int:
    stmt = select(func.count()).select_from(TicketRow.__table__).where(
        *where_clauses(session, f, now, actor_id))
    return int(session.execute(_read_from(session, stmt, f, now, actor_id)).scalar_one())


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
    """EXPLAIN QUERY PLAN lines of the first page's queries, one per part of the order
    (``segments``), as ``query_ids`` runs them (tests and benchmarks)."""
    where = where_clauses(session, f, now, actor_id)
    dialect = session.get_bind().dialect
    out: list[str] = []
    for extra, order in segments(session, f, sort, descending):
        w = [*where, extra] if extra is not None else where
        stmt = _read_from(session, select(T.rid).where(*w).order_by(*order).limit(200), f, now, actor_id)
        sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        if dialect.name == "postgresql":
            # the index plan the server has once the table is big (seq scans priced out)
            session.execute(text("SET LOCAL enable_seqscan = off"))
            out += [r[0] for r in session.execute(text("EXPLAIN " + sql.replace(":", r"\:")))]
        else:
            con = session.connection().connection.driver_connection
            out += [r[-1] for r in con.execute("EXPLAIN QUERY PLAN " + sql)]
    return out
