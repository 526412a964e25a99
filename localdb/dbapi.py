"""The raw DB-API connection of a write or read session, the same for both stores.

The feed, the outbox and the actions write through the driver connection
(``executemany`` of plain tuples is several times faster than ORM rows). SQLite's
``sqlite3`` connection is used as it is; on PostgreSQL ``PgRaw`` gives psycopg the
same face: ``?`` and ``:name`` placeholders, ``execute`` returning a cursor,
``lastrowid``, ``executemany``. ``savepoint`` lets a caller try a statement and carry
on after a refused row (PostgreSQL aborts the whole transaction otherwise);
``INTEGRITY_ERRORS`` are the "row refused" errors of both drivers.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg

INTEGRITY_ERRORS: tuple[type[BaseException], ...] = (sqlite3.IntegrityError, psycopg.IntegrityError)

# string literal | ? | :name (not ::cast) | a literal %
_TOKEN = re.compile(r"'(?:[^']|'')*'|\?|(?<![:\w]):([A-Za-z_]\w*)|%")


@lru_cache(maxsize=2048)
def to_pyformat(sql: str) -> str:
    """``?`` / ``:name`` placeholders (sqlite3 style) as psycopg's ``%s`` / ``%(name)s``."""

    def rep(m: re.Match) -> str:
        t = m.group(0)
        if t.startswith("'"):
            return t.replace("%", "%%")
        if t == "?":
            return "%s"
        if t == "%":
            return "%%"
        return f"%({m.group(1)})s"

    return _TOKEN.sub(rep, sql)


class PgCursor:
    """A psycopg cursor that reads like a sqlite3 cursor."""

    def __init__(self, cur: Any):
        self._cur = cur

    def execute(self, sql: str, params: Any = ()) -> "PgCursor":
        self._cur.execute(to_pyformat(sql), params if params else None)
        return self

    def executemany(self, sql: str, seq: Any) -> "PgCursor":
        rows = list(seq)
        if rows:
            self._cur.executemany(to_pyformat(sql), rows)
        return self

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list:
        return self._cur.fetchall() if self._cur.description else []

    def fetchmany(self, n: int) -> list:
        return self._cur.fetchmany(n)

    def __iter__(self) -> Iterator:
        if self._cur.description is None:
            return iter(())
        return iter(self._cur)

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    @property
    def description(self) -> Any:
        return self._cur.description

    @property
    def lastrowid(self) -> int | None:
        raise AttributeError("lastrowid is not portable: write INSERT ... RETURNING id")

    def close(self) -> None:
        self._cur.close()


class PgRaw:
    """A psycopg connection that reads like a sqlite3 connection."""

    dialect = "postgresql"

    def __init__(self, con: Any):
        self.con = con

    def cursor(self) -> PgCursor:
        return PgCursor(self.con.cursor())

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        return self.cursor().execute(sql, params)

    def executemany(self, sql: str, seq: Any) -> PgCursor:
        return self.cursor().executemany(sql, seq)


def raw(session: Any) -> Any:
    """The driver connection of the session's transaction: ``sqlite3.Connection`` or
    ``PgRaw``."""
    con = session.connection().connection.driver_connection
    if isinstance(con, sqlite3.Connection):
        return con
    return PgRaw(con)


def insert_many(con: Any, sql: str, rows: list[tuple]) -> None:
    """``executemany`` of one INSERT (or upsert) statement; on PostgreSQL a batch of
    ``localdb.pg.COPY_MIN_ROWS`` rows or more goes in through COPY
    (``localdb.pg.copy_insert``, the one home of the bulk-load SQL)."""
    if isinstance(con, PgRaw):
        from localdb import pg

        if len(rows) >= pg.COPY_MIN_ROWS:
            try:
                with savepoint(con):
                    pg.copy_insert(con, sql, rows)
                return
            except psycopg.errors.CardinalityViolation:
                pass  # a conflict key twice in one batch: row by row, the later row wins
    if rows:
        con.executemany(sql, rows)


def dialect_of(session_or_con: Any) -> str:
    if isinstance(session_or_con, sqlite3.Connection):
        return "sqlite"
    if isinstance(session_or_con, PgRaw):
        return "postgresql"
    return session_or_con.get_bind().dialect.name


_sp = [0]


@contextmanager
def savepoint(con: Any) -> Iterator[None]:
    """Undo only what the block did if it raises (the transaction carries on)."""
    _sp[0] += 1
    name = f"sp_{_sp[0]}"
    con.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        con.execute(f"ROLLBACK TO SAVEPOINT {name}")
        con.execute(f"RELEASE SAVEPOINT {name}")
        raise
    else:
        con.execute(f"RELEASE SAVEPOINT {name}")
