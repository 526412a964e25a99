"""Change journal: a local, monotonically increasing record of what changed.

Every write that changes an entity appends ``(kind, entity_id)`` in the same
transaction (``record``), so a follower that reads ``since(seq)`` never misses a
change and never sees one that was rolled back. Kinds are the feed's kinds
(``ticket``, ``ticket_event``, ``grid``, ...) plus local ones (``outbox``,
``duty_log``, ``handover``, ``emergency``, ``roster``, ``sync``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

_INSERT = "INSERT INTO journal (kind, entity_id, at) VALUES (?, ?, ?)"


def record(session: Session, kind: str, entity_id: str, at: float | None = None) -> None:
    record_many(session, kind, (entity_id,), at)


def record_many(
    session: Session, kind: str, entity_ids: Iterable[str], at: float | None = None
) -> None:
    at = time.time() if at is None else at
    rows = [(kind, str(i), at) for i in entity_ids]
    if rows:
        raw(session).executemany(_INSERT, rows)


def head(session: Session) -> int:
    """The newest sequence number (0 for an empty journal)."""
    v = session.execute(text("SELECT max(seq) FROM journal")).scalar()
    if v is None:  # pruned to empty: AUTOINCREMENT keeps the high-water mark
        v = session.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name='journal'")
        ).scalar()
    return int(v or 0)


def since(session: Session, seq: int, limit: int = 10_000) -> list[tuple[int, str, str]]:
    """Entries after ``seq``, oldest first."""
    rows = session.execute(
        text("SELECT seq, kind, entity_id FROM journal WHERE seq > :s ORDER BY seq LIMIT :n"),
        {"s": seq, "n": limit},
    ).all()
    return [(r[0], r[1], r[2]) for r in rows]


def oldest(session: Session) -> int:
    return int(session.execute(text("SELECT min(seq) FROM journal")).scalar() or 0)


def prune(session: Session, keep: int = 200_000, before_at: float | None = None) -> int:
    """Drop old entries: keep the newest ``keep`` and, if given, those at/after
    ``before_at``. A follower behind ``oldest()`` must reload everything."""
    h = head(session)
    cond = "seq <= :cut"
    params: dict = {"cut": h - keep}
    if before_at is not None:
        cond += " AND at < :at"
        params["at"] = before_at
    res = session.execute(text(f"DELETE FROM journal WHERE {cond}"), params)
    return res.rowcount or 0


def raw(session: Session):
    """The DB-API connection of the session's transaction (for executemany)."""
    return session.connection().connection.driver_connection
