"""Past cases for 案例派单: closed tickets of the same category near this one.

Read from the local store, so dispatch by past cases works through a district outage.
The candidates are the most recent closed tickets of the category in the same residents'
committee (or within ``radius_m`` when the ticket has no committee cell), each with the
department that closed it, how long it took, whether it was reworked and its text; the
ranking is ``console.domain.dispatch_advice``'s.
"""

from __future__ import annotations

import math
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

#: closed-work states whose department is the one that finally handled the ticket
DONE_STATES = ("closed", "archived")
#: how many recent candidates are compared by text at the most
MAX_CANDIDATES = 300


def closed_cases(session: Session, category_code: str, *, committee: str | None, lat: float | None,
                 lon: float | None, before: float, exclude_id: str | None = None,
                 radius_m: float = 500.0, limit: int = MAX_CANDIDATES) -> list[dict[str, Any]]:
    """Closed tickets of ``category_code`` closed before ``before`` (newest first), in the
    same committee, or within ``radius_m`` of ``lat, lon`` when there is no committee."""
    params: dict[str, Any] = {"c": category_code, "b": before, "n": limit, "x": exclude_id or ""}
    where = ["category_code = :c", "state IN ('closed', 'archived')", "department_id IS NOT NULL",
             "closed_at IS NOT NULL", "closed_at < :b", "id <> :x"]
    if committee:
        where.append("grid_committee = :g")
        params["g"] = committee
    elif lat is not None and lon is not None:
        dlat = radius_m / 111_320.0
        dlon = radius_m / (111_320.0 * max(0.1, math.cos(math.radians(lat))))
        where.append("lat BETWEEN :la0 AND :la1 AND lon BETWEEN :lo0 AND :lo1")
        params.update(la0=lat - dlat, la1=lat + dlat, lo0=lon - dlon, lo1=lon + dlon)
    else:
        return []
    rows = session.execute(text(
        "SELECT id, number, department_id, grid_micro, lat, lon, description, address, clock_start, "
        "created_at, closed_at, closed_on_time, rework_count FROM tickets WHERE "
        + " AND ".join(where) + " ORDER BY closed_at DESC LIMIT :n"), params)
    return [dict(r._mapping) for r in rows]


def department_records(session: Session, since: float) -> dict[str, dict[str, float]]:
    """Per department: tickets closed since ``since`` and the share closed on time."""
    rows = session.execute(text(
        "SELECT department_id, count(*), sum(CASE WHEN closed_on_time THEN 1 ELSE 0 END) FROM tickets "
        "WHERE state IN ('closed', 'archived') AND department_id IS NOT NULL AND closed_at >= :s "
        "GROUP BY department_id"), {"s": since}).all()
    return {r[0]: {"closed": float(r[1]), "on_time_rate": (float(r[2] or 0) / r[1]) if r[1] else 0.0}
            for r in rows}


#: the on-time record looks back this far
RECORD_DAYS = 30.0


def advice(session: Session, ticket: Any, now: float) -> tuple[list[Any], list[Any]]:
    """Ranked suggestions and the weighed past cases for ``ticket`` (a domain Ticket)."""
    from console.domain import dispatch_advice as adv
    from localdb import repo

    grids = dict(ticket.grids or {})
    matrix = repo.suggested_department(session, ticket.category_code, grids)
    rows = closed_cases(session, ticket.category_code, committee=grids.get("committee"), lat=ticket.lat,
                        lon=ticket.lon, before=now, exclude_id=ticket.id)
    cases = adv.cases_from_rows(rows, description=f"{ticket.description or ''}{ticket.address or ''}",
                                micro_grid=grids.get("micro_grid"), now=now)
    deps = repo.departments(session, with_load=True)
    records = department_records(session, now - RECORD_DAYS * 86400)
    ranked = adv.rank(matrix, cases, loads={d["id"]: d.get("open_load", 0) for d in deps},
                      on_time={k: v["on_time_rate"] for k, v in records.items()},
                      names={d["id"]: d["name"] for d in deps})
    return ranked, cases
