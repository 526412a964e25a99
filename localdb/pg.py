"""The hall store: every desk of a duty hall on one PostgreSQL database.

``Store.open("postgresql://user:pw@host/db")`` returns a ``PgStore``: the same
interface, repositories, migrations and journal as the desk's SQLite file, on a
server shared by the whole hall (psycopg 3).

Writes: ``write()`` is one transaction that first takes the hall's write lock, a
transaction-level advisory lock, and holds it to its commit. Hall writes are short
(an officer's action, one feed page) and serialising them buys three things at
once: journal numbers drawn in commit order (``localdb.journal``: a follower can
never pass over a late commit), no deadlocks (one lock, always taken first), and no
lost update (each write reads the rows after every earlier write committed).

Reads: ``session()`` is a REPEATABLE READ, READ ONLY transaction: one consistent
snapshot, no transaction id, so it never holds back anyone.

Booleans are SMALLINT on PostgreSQL (0/1, as SQLite stores them), so the SQL the
repositories share (``attention = 1``) means the same on both; Python ``bool``
parameters are sent as integers.
"""

from __future__ import annotations

import logging
import re
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError as SAOperationalError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session

from localdb.store import Store, StoreError

log = logging.getLogger(__name__)

#: Advisory lock keys (one namespace: the first argument of the two-key form).
LOCK_SPACE = 0x64757479  # "duty"
WRITE_LOCK = 1      # transaction-level: every hall write transaction
MIGRATE_LOCK = 2    # session-level: one desk migrates, the others wait
SYNC_LOCK = 3       # session-level: the one district sync of the hall

CONNECT_TIMEOUT_S = 4
#: A desk that dies inside a transaction (power cut) must not hold the write lock:
#: the server ends such a session after this long.
IDLE_IN_TX_TIMEOUT_MS = 15000
#: A write waits at most this long for the hall's write lock.
LOCK_TIMEOUT_MS = 20000

PG_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")


def is_pg_url(target: Any) -> bool:
    s = str(target)
    return any(s.startswith(f"{sch}://") for sch in PG_SCHEMES)


def sa_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(("postgresql+psycopg", *parts[1:]))


def redact(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    parts = urlsplit(str(url))
    if parts.password is None:
        return str(url)
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit((parts.scheme, netloc, *parts[2:]))


@compiles(sa.Boolean, "postgresql")
def _bool_as_smallint(_type, _compiler, **_kw) -> str:  # noqa: ANN001
    return "SMALLINT"


def _register_bool_dumper(con: Any) -> None:
    from psycopg.adapt import Dumper
    from psycopg.postgres import types as pgtypes
    from psycopg.pq import Format

    int2 = pgtypes["int2"].oid

    class BoolText(Dumper):
        oid = int2

        def dump(self, obj: bool) -> bytes:
            return b"1" if obj else b"0"

    class BoolBinary(Dumper):
        oid = int2
        format = Format.BINARY

        def dump(self, obj: bool) -> bytes:
            return struct.pack("!h", 1 if obj else 0)

    con.adapters.register_dumper(bool, BoolText)
    con.adapters.register_dumper(bool, BoolBinary)


def make_engine(url: str, *, app_name: str = "duty-console") -> Engine:
    engine = create_engine(
        sa_url(url),
        pool_size=4, max_overflow=8, pool_pre_ping=True, pool_recycle=600,
        connect_args={
            "connect_timeout": CONNECT_TIMEOUT_S,
            "application_name": app_name,
            "options": f"-c idle_in_transaction_session_timeout={IDLE_IN_TX_TIMEOUT_MS} "
                       f"-c lock_timeout={LOCK_TIMEOUT_MS} -c TimeZone=UTC",
            # a dead server or a cut LAN is noticed in seconds, not hours
            "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 3,
            # a write into a cut LAN fails after 5 s instead of waiting out TCP retries
            "tcp_user_timeout": 5000,
        },
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        _register_bool_dumper(dbapi_conn)

    return engine


def classify(exc: BaseException, url: str) -> StoreError:
    """A clear StoreError for the failures of a hall database."""
    orig = getattr(exc, "orig", exc)
    msg = str(orig).strip() or exc.__class__.__name__
    low = msg.lower()
    where = redact(url)
    if "password authentication failed" in low or "no password supplied" in low:
        return StoreError(f"Hall database {where}: the user name or password is wrong ({msg}).",
                          kind="auth", path=None)
    if "does not exist" in low and "database" in low:
        return StoreError(f"Hall database {where}: no such database on the server ({msg}). "
                          f"Check the database name in the store URL (docs/HALL.md).",
                          kind="auth", path=None)
    if "role" in low and "does not exist" in low:
        return StoreError(f"Hall database {where}: no such user on the server ({msg}).",
                          kind="auth", path=None)
    if "permission denied" in low:
        return StoreError(f"Hall database {where}: the console's role lacks a privilege ({msg}); "
                          f"see docs/HALL.md for the grants.", kind="auth", path=None)
    if ("connection refused" in low or "could not connect" in low or "timeout" in low
            or "server closed" in low or "terminating connection" in low or "connection" in low
            and ("lost" in low or "failed" in low or "reset" in low or "broken" in low)
            or "the database system is" in low or "no route" in low or "network" in low):
        return StoreError(f"Hall database {where} is unreachable ({msg}). Nothing was written "
                          f"and the action's form is kept: do it again when the status bar "
                          f"shows the hall database back (the console reconnects by itself).", kind="unreachable", path=None)
    return StoreError(f"Hall database {where}: {msg}", kind="other", path=None)


def is_connection_error(exc: BaseException) -> bool:
    import psycopg

    orig = getattr(exc, "orig", exc)
    if isinstance(exc, SAOperationalError) or isinstance(orig, psycopg.OperationalError):
        return True
    return bool(getattr(exc, "connection_invalidated", False))


# -- migrations ----------------------------------------------------------------------
def migrate(url: str, revision: str = "head", *, wait_s: float = 120.0) -> str | None:
    """Bring the hall database to ``revision``; one desk at a time (a session advisory
    lock around the upgrade: a second desk waits and then finds nothing to do).
    Refuses a database newer than this code. Returns the revision found before."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from localdb.store import _alembic_config

    engine = make_engine(url, app_name="duty-console migrate")
    try:
        with engine.connect() as conn:
            _refuse_superuser(conn, url)
            conn.execute(text("SET lock_timeout = 0"))
            deadline = time.monotonic() + wait_s
            while not conn.execute(text("SELECT pg_try_advisory_lock(:a, :b)"),
                                   {"a": LOCK_SPACE, "b": MIGRATE_LOCK}).scalar():
                if time.monotonic() > deadline:
                    raise StoreError(f"Hall database {redact(url)}: another desk has been "
                                     f"migrating it for {wait_s:.0f} s; try again later.",
                                     kind="locked", path=None)
                conn.commit()
                time.sleep(0.2)
            conn.commit()
            try:
                before = MigrationContext.configure(conn).get_current_revision()
                conn.commit()
                script = ScriptDirectory.from_config(_alembic_config(conn))
                if before is not None and before not in {r.revision for r in script.walk_revisions()}:
                    raise StoreError(
                        f"Hall database {redact(url)} has schema revision {before}, newer than "
                        f"this console (head {script.get_current_head()}). Update the console on "
                        f"this desk; the database was not changed.", kind="newer", path=None)
                if before != script.get_current_head():
                    log.info("hall database: migrating %s -> %s", before, revision)
                    with conn.begin():
                        command.upgrade(_alembic_config(conn), revision)
                return before
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"),
                             {"a": LOCK_SPACE, "b": MIGRATE_LOCK})
                conn.commit()
    except DBAPIError as exc:
        raise classify(exc, url) from exc
    finally:
        engine.dispose()


def _refuse_superuser(conn, url: str) -> None:
    sup = conn.execute(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")).scalar()
    conn.commit()
    if sup:
        raise StoreError(f"Hall database {redact(url)}: the console must not connect as a "
                         f"superuser; create the application role of docs/HALL.md.",
                         kind="auth", path=None)


class PgStore(Store):
    """Handle on the hall database. Thread-safe; writes serialised hall-wide."""

    dialect = "postgresql"

    def __init__(self, url: str, engine: Engine):
        self.url = url
        self.path = None
        self.engine = engine
        self._reader = engine.execution_options(isolation_level="REPEATABLE READ",
                                                postgresql_readonly=True)
        self._lock = threading.RLock()
        self._write_depth = 0
        self._current = None
        self.cipher = None

    def __repr__(self) -> str:
        return f"PgStore({redact(self.url)})"

    @property
    def location(self) -> str:
        return redact(self.url)

    @classmethod
    def open(cls, url: str, *, check: bool = False, key_file=None) -> "PgStore":  # noqa: ARG003 - same signature
        migrate(url)
        store = cls(url, make_engine(url))
        store.use_key(key_file)
        log.info("hall store open: %s", redact(url))
        return store

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with Session(self._reader, expire_on_commit=False) as s:
                try:
                    yield s
                finally:
                    s.rollback()
        except DBAPIError as exc:
            if is_connection_error(exc):
                raise classify(exc, self.url) from exc
            raise

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._lock:
            if self._write_depth:
                yield self._current
                return
            s = Session(self.engine, expire_on_commit=False)
            self._current = s
            self._write_depth = 1
            try:
                s.execute(text("SELECT pg_advisory_xact_lock(:a, :b)"),
                          {"a": LOCK_SPACE, "b": WRITE_LOCK})
                yield s
                s.commit()
            except DBAPIError as exc:
                _quiet_rollback(s)
                if is_connection_error(exc):
                    raise classify(exc, self.url) from exc
                raise
            except BaseException:
                _quiet_rollback(s)
                raise
            finally:
                self._write_depth = 0
                self._current = None
                s.close()

    def _autocommit(self, statement: str) -> list:
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            res = c.execute(text(statement))
            return res.fetchall() if res.returns_rows else []

    def checkpoint(self) -> None:
        return None  # the server checkpoints by itself

    def ensure_indexes(self) -> list[str]:
        """Build once what a bulk load dropped (``bulk_begin``); a no-op otherwise.
        Not run at open, unlike the desk's file: in the hall another desk opening
        mid-load must not rebuild the indexes under the sync holder's feet. A load cut
        short (holder killed) stays pending in the store; the next holder resumes it
        and builds the indexes when it ends. Meanwhile every query is still right."""
        from localdb import dbapi
        from localdb.store import BULK_DDL_KEY, _saved_ddl

        with self.session() as s:
            if _saved_ddl(dbapi.raw(s)) is None:
                return []
        with self.write() as s:
            con = dbapi.raw(s)
            saved = _saved_ddl(con) or []
            con.execute(f"SET LOCAL maintenance_work_mem = '{BULK_INDEX_MEM}'")
            for _kind, _name, ddl in saved:
                con.execute(re.sub(r"^CREATE (UNIQUE )?INDEX ", r"CREATE \1INDEX IF NOT EXISTS ", ddl))
            con.execute("DELETE FROM sync_state WHERE key=?", (BULK_DDL_KEY,))
        log.info("bulk load over: %d indexes built", len(saved))
        return [name for _, name, _ in saved]

    def analyze(self) -> None:
        """Planner statistics after a first full load: the tables it filled (every
        table and the system catalogues took three times as long; the server's
        autovacuum keeps the small ones up to date)."""
        self._autocommit(f"ANALYZE {', '.join(ANALYZE_TABLES)}")


def _quiet_rollback(s: Session) -> None:
    try:
        s.rollback()
    except DBAPIError:
        pass


_PW = re.compile(r"(://[^:/@]*:)[^@]*@")


# --- bulk load: indexes off during a first full load ---------------------------------
#: Memory for building the dropped indexes at the end of a load (the GIN trigram index
#: builds several times faster in memory); the application role may set it per transaction.
BULK_INDEX_MEM = "128MB"
#: Tables a first full load fills in bulk: ANALYZEd when it ends.
ANALYZE_TABLES = ("tickets", "ticket_events", "journal")


def bulk_begin(con: Any) -> bool:
    """The hall store's half of ``localdb.store.bulk_begin``: drop the secondary
    (non-unique) indexes of ``BULK_TABLES`` except ``BULK_KEEP`` (above all the GIN
    trigram search index, which costs most per row), saving their definitions in
    ``sync_state`` in the caller's transaction; ``PgStore.ensure_indexes`` builds them
    once at the end. The unique keys the upserts need stay. False if already in bulk mode."""
    import json

    from localdb.store import BULK_DDL_KEY, BULK_KEEP, BULK_TABLES, in_bulk

    if in_bulk(con):
        return False
    marks = ",".join("?" * len(BULK_TABLES))
    rows = con.execute(
        "SELECT ic.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
        "JOIN pg_namespace n ON n.oid = t.relnamespace "
        f"WHERE n.nspname = current_schema() AND t.relname IN ({marks}) "
        "AND NOT i.indisunique AND NOT i.indisprimary ORDER BY ic.relname",
        BULK_TABLES).fetchall()
    # An index over an IN list stays: its definition does not read back as the same
    # expression (the array's casts move), and the planner would no longer match the
    # queue's own expression to it.
    saved = [["index", name, ddl] for name, ddl in rows if name not in BULK_KEEP and "ARRAY[" not in ddl]
    if not saved:
        return False
    con.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                "UPDATE SET value=excluded.value", (BULK_DDL_KEY, json.dumps(saved)))
    for _kind, name, _ddl in saved:
        con.execute(f'DROP INDEX IF EXISTS "{name}"')
    log.info("hall bulk load: %d indexes off until the load ends", len(saved))
    return True


# --- bulk load: COPY ---------------------------------------------------------------
#: Fewer rows than this go in with executemany (a temporary table costs more than it saves).
COPY_MIN_ROWS = 64
_INSERT_RE = re.compile(
    r"^\s*INSERT INTO (\w+) \(([^)]*)\) VALUES \(([^)]*)\)\s*(.*)$", re.S | re.I)
_stage_n = [0]


def copy_insert(con: Any, sql: str, rows: list[tuple]) -> None:
    """``con.executemany(sql, rows)`` for an ``INSERT INTO t (cols) VALUES (?, …, literal)
    [ON CONFLICT …]`` statement, through COPY: a plain insert COPYs straight into the
    table; an upsert COPYs into a temporary staging table (dropped at commit) and then
    runs ONE ``INSERT … SELECT … ON CONFLICT …`` with the statement's own conflict
    clause, so triggers (the trigram/full-text upkeep), defaults and sequences behave
    as for row-by-row inserts. The rows of one call must not repeat a conflict key
    (the feed keeps the newest change per id); PostgreSQL refuses such a batch
    (CardinalityViolation) and the caller's fallback takes over."""
    m = _INSERT_RE.match(sql)
    if m is None:
        raise ValueError(f"not a simple INSERT … VALUES statement: {sql[:80]}")
    table, cols_s, vals_s, tail = m.groups()
    cols = [c.strip() for c in cols_s.split(",")]
    vals = [v.strip() for v in vals_s.split(",")]
    if len(cols) != len(vals):
        raise ValueError(f"{len(cols)} columns but {len(vals)} values: {sql[:80]}")
    fed = [c for c, v in zip(cols, vals) if v == "?"]
    pg = con.con
    if not tail.strip() and len(fed) == len(cols):
        with pg.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
        return
    _stage_n[0] += 1
    stage = f"_stage_{table}_{_stage_n[0]}"
    select = ", ".join(c if v == "?" else v for c, v in zip(cols, vals))
    with pg.cursor() as cur:
        # the fed columns' types only: no constraints, no defaults (the upsert applies them)
        cur.execute(f"CREATE TEMPORARY TABLE {stage} ON COMMIT DROP AS "
                    f"SELECT {', '.join(fed)} FROM {table} WITH NO DATA")
        with cur.copy(f"COPY {stage} ({', '.join(fed)}) FROM STDIN") as cp:
            for row in rows:
                cp.write_row(row)
        cur.execute(f"INSERT INTO {table} ({', '.join(cols)}) SELECT {select} FROM {stage} {tail}")
        cur.execute(f"DROP TABLE {stage}")
