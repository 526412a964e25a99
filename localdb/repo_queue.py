"""Reference reads of the queue panel and its dialogs (Qt-free): names, places,
rows by id, attachments, refused outbox entries. The queue's filters, sorts, pages
and counts are ``localdb.queue_query``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from localdb import repo
from localdb.models import Attachment, Department, Grid, OutboxEntry, TicketRow

T = TicketRow.__table__.c


def rids_of(session: Session, ticket_ids: Sequence[str]) -> dict[str, int]:
    return repo.rowids_for(session, list(ticket_ids)) if ticket_ids else {}


def get_rows(session: Session, rids: Sequence[int]) -> dict[int, dict[str, Any]]:
    return {r["rid"]: r for r in repo.get_rows(session, list(rids))}


# -- reference data ---------------------------------------------------------------------

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


def nearest_address(session: Session, lat: float, lon: float, radius_m: float) -> dict[str, Any] | None:
    """The known ticket address nearest to a point within ``radius_m`` (``address`` and
    ``distance_m``), for filling the address of a point picked on the map."""
    from localdb.repo import nearby_tickets

    for d in nearby_tickets(session, lat, lon, radius_m):
        if (d.get("address") or "").strip():
            return {"address": d["address"].strip(), "distance_m": d["distance_m"]}
    return None


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
