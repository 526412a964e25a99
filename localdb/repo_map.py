"""Read-only queries for the map panel (grids, ticket points, cameras, sensors, alarms).

Only the columns the map draws are read, as plain tuples: loading 50,000 ticket points
must not build 50,000 ORM objects. The time-limit colour of a ticket is
``localdb.limits.limit_code`` (the SQL twin of ``timelimits.limit_state_at``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from console.domain.model import OPEN_STATES
from console.domain.timelimits import DEFAULT_WARNING_LEAD_S as WARNING_LEAD_S
from localdb import limits
from localdb.limits import crossing_clause, limit_code, max_lead_s
from localdb.models import Alarm, Camera, Grid, Sensor, TicketRow as T

#: Limit-state codes sent to the page (index into this tuple).
LIMIT_CODES = limits.LIMIT_CODES
_OPEN = tuple(s.value for s in OPEN_STATES)
_CHUNK = 900  # SQLite host-parameter budget per IN (...) list


def _chunks(ids: Sequence[str]) -> Iterable[list[str]]:
    ids = list(ids)
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


# --- grids -------------------------------------------------------------------------
def grid_rows(s: Session) -> list[tuple[str, str, str, str | None, str]]:
    """(id, layer, name, micro_type, feature GeoJSON text) of every grid cell."""
    q = select(Grid.id, Grid.layer, Grid.name, Grid.micro_type, Grid.feature).order_by(Grid.layer, Grid.id)
    return [tuple(r) for r in s.execute(q)]


def place_rows(s: Session) -> list[tuple[str, str, str, float | None, float | None, float | None, float | None]]:
    """(id, layer, name, min_lat, min_lon, max_lat, max_lon) for the place search."""
    q = select(Grid.id, Grid.layer, Grid.name, Grid.min_lat, Grid.min_lon, Grid.max_lat, Grid.max_lon)
    return [tuple(r) for r in s.execute(q.order_by(Grid.name))]


# --- tickets -----------------------------------------------------------------------
#: Most ticket markers the map loads at once (the newest open tickets): a store of a
#: million tickets may hold 150k+ open ones, and loading every one at start-up cost
#: hundreds of MB and seconds for markers nobody can tell apart at street scale.
MAX_POINTS = 50_000


def ticket_points(s: Session, now: float, lead_s: float = WARNING_LEAD_S,
                  ids: Sequence[str] | None = None,
                  limit: int | None = MAX_POINTS) -> list[tuple[str, float, float, int]]:
    """(id, lat, lon, limit code) of open tickets with a location, newest first, at
    most ``limit`` of them (None: all); ``ids`` narrows it (no limit then)."""
    code = limit_code(now, lead_s)
    if ids is None:
        q = select(T.id, T.lat, T.lon, code).where(T.state.in_(_OPEN), T.lat.is_not(None), T.lon.is_not(None))
        if limit is not None:
            # Walk ix_tickets_created (it carries the state) newest first and stop at the
            # limit; "+state" keeps SQLite from reading every open ticket by the state
            # index and sorting them all.
            q = (select(T.id, T.lat, T.lon, code)
                 .where((literal_column("+tickets.state") if s.get_bind().dialect.name == "sqlite"
                         else T.state).in_(list(_OPEN)), T.lat.is_not(None),
                        T.lon.is_not(None))
                 .order_by(T.created_at.desc()).limit(int(limit)))
        return [tuple(r) for r in s.execute(q)]
    # By id only, so SQLite looks rows up by the unique id index (with the state
    # condition in SQL it may scan every open ticket); state is filtered here.
    out: list[tuple[str, float, float, int]] = []
    open_states = set(_OPEN)
    for chunk in _chunks(ids):
        q = select(T.id, T.lat, T.lon, code, T.state).where(T.id.in_(chunk))
        out.extend((r[0], r[1], r[2], r[3]) for r in s.execute(q)
                   if r[4] in open_states and r[1] is not None and r[2] is not None)
    return out


def ticket_location(s: Session, ticket_id: str) -> tuple[float, float] | None:
    row = s.execute(select(T.lat, T.lon).where(T.id == ticket_id)).first()
    if row is None or row[0] is None or row[1] is None:
        return None
    return float(row[0]), float(row[1])


def ticket_summary(s: Session, ticket_id: str, now: float,
                   lead_s: float = WARNING_LEAD_S) -> tuple[str | None, str, str, str, int] | None:
    """(number, category name, address, state, limit code) for a marker's tooltip."""
    q = select(T.number, T.category_name, T.address, T.state, limit_code(now, lead_s)).where(T.id == ticket_id)
    row = s.execute(q).first()
    return tuple(row) if row else None


def tickets_crossing(s: Session, t0: float, t1: float, lead_s: float = WARNING_LEAD_S) -> list[str]:
    """Ids whose limit colour changed between ``t0`` and ``t1`` by the clock alone
    (became overdue, or entered the warning lead): two index range scans."""
    q = select(T.id).where(crossing_clause(t0, t1, lead_s, max_lead_s(s, lead_s)))
    return [r[0] for r in s.execute(q)]


def heat_points(s: Session, since: float) -> list[tuple[float, float]]:
    """(lat, lon) of every ticket created since ``since`` (open or not)."""
    q = select(T.lat, T.lon).where(T.created_at >= since, T.lat.is_not(None), T.lon.is_not(None))
    return [tuple(r) for r in s.execute(q)]


# --- cameras, sensors, alarms -------------------------------------------------------
def _by_ids(s: Session, cols, key, ids: Sequence[str] | None, *where) -> list[tuple]:
    base = select(*cols).where(*where) if where else select(*cols)
    if ids is None:
        return [tuple(r) for r in s.execute(base)]
    out: list[tuple] = []
    for chunk in _chunks(ids):
        out.extend(tuple(r) for r in s.execute(base.where(key.in_(chunk))))
    return out


def cameras(s: Session, ids: Sequence[str] | None = None) -> list[tuple[str, str, float | None, float | None, bool]]:
    """(id, name, lat, lon, online)."""
    return _by_ids(s, (Camera.id, Camera.name, Camera.lat, Camera.lon, Camera.online), Camera.id, ids)


def sensors(s: Session, ids: Sequence[str] | None = None) -> list[tuple[str, str, str, float | None, float | None, str]]:
    """(id, name, type, lat, lon, status)."""
    return _by_ids(s, (Sensor.id, Sensor.name, Sensor.type, Sensor.lat, Sensor.lon, Sensor.status),
                   Sensor.id, ids)


def active_alarms(s: Session, ids: Sequence[str] | None = None) -> list[tuple[str, str, float | None, float | None, str | None]]:
    """(id, type, lat, lon, level) of alarms not cleared yet."""
    return _by_ids(s, (Alarm.id, Alarm.type, Alarm.lat, Alarm.lon, Alarm.level), Alarm.id, ids,
                   Alarm.cleared_at.is_(None))
