"""Change journal: a local, monotonically increasing record of what changed.

Every write that changes an entity appends ``(kind, entity_id)`` in the same
transaction (``record``), so a follower that reads ``since(seq)`` never misses a
change and never sees one that was rolled back. Kinds are the feed's kinds
(``ticket``, ``ticket_event``, ``grid``, ...) plus local ones (``outbox``,
``duty_log``, ``handover``, ``emergency``, ``roster``, ``sync``).

On PostgreSQL (hall mode) many desks write at once, and a sequence number is drawn
when a row is inserted, not when its transaction commits: a follower reading
``seq > last`` could pass over a slow transaction's lower number that commits later.
Every hall write transaction therefore takes one transaction-level advisory lock as
its first statement (``localdb.pg.PgStore.write``) and holds it to its commit, so
journal numbers are drawn in commit order: once a follower sees number n, every
lower number is committed or will never exist. Followers are woken by
LISTEN/NOTIFY (``localdb.wakeup``).
"""

from __future__ import annotations

import time
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.orm import Session

from localdb import dbapi, wakeup

#: sync_state key: the newest number pruned (PostgreSQL's high-water mark).
PRUNED_KEY = "journal_pruned"

_INSERT = "INSERT INTO journal (kind, entity_id, at) VALUES (?, ?, ?)"


def record(session: Session, kind: str, entity_id: str, at: float | None = None) -> None:
    record_many(session, kind, (entity_id,), at)


def record_many(
    session: Session, kind: str, entity_ids: Iterable[str], at: float | None = None
) -> None:
    at = time.time() if at is None else at
    rows = [(kind, str(i), at) for i in entity_ids]
    if rows:
        con = raw(session)
        dbapi.insert_many(con, _INSERT, rows)
        if dbapi.dialect_of(con) == "postgresql":
            wakeup.notify(con)


def head(session: Session) -> int:
    """The newest sequence number (0 for an empty journal)."""
    v = session.execute(text("SELECT max(seq) FROM journal")).scalar()
    if v is None and dbapi.dialect_of(session) == "postgresql":
        # pruned to empty: prune() kept the high-water mark (the sequence's own value
        # may include numbers of transactions still in flight, or rolled back)
        v = session.execute(text("SELECT value FROM sync_state WHERE key = :k"),
                            {"k": PRUNED_KEY}).scalar()
    elif v is None:  # pruned to empty: AUTOINCREMENT keeps the high-water mark
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
    if dbapi.dialect_of(session) == "postgresql" and res.rowcount:
        session.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, :v) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"),
                        {"k": PRUNED_KEY, "v": str(h)})
    return res.rowcount or 0


def raw(session: Session):
    """The DB-API connection of the session's transaction (for executemany):
    ``sqlite3.Connection``, or its look-alike on PostgreSQL (``localdb.dbapi``)."""
    return dbapi.raw(session)
