"""The local store: one SQLite file, many readers, one writer.

``Store.open(path)`` checks the file, migrates it to the newest revision and returns
a store. Reads use ``store.session()``; every write goes through ``store.write()``,
which holds a process-wide lock and a ``BEGIN IMMEDIATE`` transaction so that two
writers never interleave and a write never fails half way on a busy lock.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).with_name("migrations")

#: Page cache per pooled connection (KiB). The pool holds up to 12 connections and
#: each fills its cache on a big store; the OS page cache keeps the hot pages of the
#: file anyway (a miss is one pread). The writer raises its own cache while it holds
#: the write lock (bulk loads, index builds) and gives the memory back after.
CACHE_KIB = 8192
WRITE_CACHE_KIB = 65536
#: Memory map per connection: none. Every pooled connection maps the file separately
#: and every touched page counts in the process's RSS once per mapping: mapping the
#: whole file (2 GiB) made a console on a 1M-ticket store 2.6 GB resident, and the
#: queue's page queries were measured no slower without it.
MMAP_BYTES = 0

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    f"PRAGMA cache_size=-{CACHE_KIB}",
    f"PRAGMA mmap_size={MMAP_BYTES}",
    "PRAGMA temp_store=MEMORY",
    "PRAGMA busy_timeout=5000",
    "PRAGMA analysis_limit=1000",  # keeps PRAGMA optimize / ANALYZE quick on big files
)


class StoreError(Exception):
    """The store cannot be opened or used. ``kind`` is corrupt|locked|unreadable|
    disk_full|other (and key: the contact key, see ``use_key``);
    for ``corrupt`` call ``localdb.recovery.recover(path)``."""

    def __init__(self, message: str, *, kind: str = "other", path: Path | None = None):
        super().__init__(message)
        self.kind = kind
        self.path = path


def classify(exc: BaseException, path: Path) -> StoreError:
    msg = str(getattr(exc, "orig", exc) or exc)
    low = msg.lower()
    if "locked" in low or "busy" in low:
        return StoreError(
            f"Local store {path} is locked by another program; close other console "
            f"windows using it and try again ({msg}).",
            kind="locked",
            path=path,
        )
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return StoreError(
            f"Local store {path} is damaged ({msg}). Run recovery (in the window, or: "
            f"duty-console recover): the file is moved aside, unsent actions are kept and "
            f"the cache is rebuilt from the platform.",
            kind="corrupt",
            path=path,
        )
    if "disk is full" in low or "database or disk is full" in low or "no space" in low:
        return StoreError(
            f"The disk of the local store {path} is full ({msg}). Nothing is lost: what was "
            f"not written is still on screen or in the outbox. Free some space on that disk "
            f"(old logs, downloads), then retry; the file itself is sound.",
            kind="disk_full",
            path=path,
        )
    if "unable to open" in low or "readonly" in low or "permission" in low or "disk i/o" in low:
        return StoreError(
            f"Local store {path} cannot be opened or written ({msg}); check the data "
            f"directory's permissions and free space.",
            kind="unreadable",
            path=path,
        )
    return StoreError(f"Local store {path}: {msg}", kind="other", path=path)


def is_store_url(target) -> bool:
    """True for a hall-store URL (``postgresql://...``), false for a file path."""
    return str(target).startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def _alembic_config(connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def make_engine(path: Path, *, foreign_keys: bool = True) -> Engine:
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": 5.0},
        pool_size=4,
        max_overflow=8,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy (not the driver) own BEGIN, so that writes can BEGIN IMMEDIATE.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        for p in PRAGMAS:
            cur.execute(p)
        # Alembic's batch mode recreates tables: foreign keys stay off while migrating.
        cur.execute(f"PRAGMA foreign_keys={'ON' if foreign_keys else 'OFF'}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        mode = conn.get_execution_options().get("sqlite_begin", "")
        conn.exec_driver_sql(f"BEGIN {mode}".strip())

    return engine


def migrate(path: str | Path, revision: str = "head") -> None:
    """Bring the file at ``path`` to ``revision`` (creating it if needed)."""
    path = Path(path)
    engine = make_engine(path, foreign_keys=False)
    try:
        with engine.begin() as conn:
            command.upgrade(_alembic_config(conn), revision)
    finally:
        engine.dispose()


def current_revision(path: str | Path) -> str | None:
    engine = make_engine(Path(path))
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


class Store:
    """Handle on one local store file. Thread-safe; writes are serialised.

    ``Store.open`` also takes a ``postgresql://`` URL: then it returns the hall store
    (``localdb.pg.PgStore``, same interface) shared by every desk of the hall."""

    dialect = "sqlite"

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        self._lock = threading.RLock()
        self._write_depth = 0
        #: seals citizens' contact fields (localdb.crypto); set by ``open``
        self.cipher = None
        #: the integrity check at open covered the whole file
        self.checked = False

    # -- life cycle -------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, check: bool | None = None,
             key_file: str | Path | None = None) -> "Store":
        """Open (creating if absent) and migrate to head. The file's integrity is
        checked first (``PRAGMA quick_check``; a damaged file is ``StoreError`` kind
        ``corrupt``): by default for at most ``QUICK_CHECK_S`` (``store.checked`` says
        whether it finished; if not, run ``store.verify()`` in the background),
        ``check=True`` in full however long, ``check=False`` not at all.
        A ``postgresql://`` URL opens the hall store instead. ``key_file``: the key
        of the citizens' contact fields (``localdb.crypto``; default beside the store)."""
        if cls is Store and is_store_url(path):
            from localdb.pg import PgStore

            return PgStore.open(str(path), check=check, key_file=key_file)
        path = Path(path)
        if path.exists() and not path.is_file():
            raise StoreError(f"Local store {path} is not a file", kind="unreadable", path=path)
        path.parent.mkdir(parents=True, exist_ok=True)
        _private_file(path)
        checked = _probe(path, check)
        try:
            migrate(path)
        except (DBAPIError, sqlite3.Error) as exc:
            raise classify(exc, path) from exc
        engine = make_engine(path)
        store = cls(path, engine)
        store.checked = checked
        try:
            store.ensure_indexes()
        except (DBAPIError, sqlite3.Error) as exc:
            engine.dispose()
            raise classify(exc, path) from exc
        store.use_key(key_file)
        log.info("local store open: %s", path)
        return store

    def use_key(self, key_file: str | Path | None) -> None:
        """Attach the contact key (``localdb.crypto.attach``); a missing, wrong or
        loose key is a StoreError of kind ``key`` and the store is closed untouched."""
        from localdb import crypto

        try:
            self.cipher = crypto.attach(self, key_file)
        except crypto.KeyProblem as exc:
            self.engine.dispose()
            raise StoreError(f"Contact data key: {exc.message}", kind="key", path=self.path) from exc
        except BaseException:
            self.engine.dispose()
            raise
        crypto.set_default(self.cipher)

    def verify(self) -> str | None:
        """The whole ``quick_check`` on its own connection (for the background, after an
        open whose time-boxed check did not finish): None if the file is sound, else
        what is wrong. Never raises."""
        try:
            con = sqlite3.connect(str(self.path), timeout=5.0)
            try:
                problem = quick_check(con)
            finally:
                con.close()
        except sqlite3.Error as exc:
            problem = str(exc)
        if problem:
            log.error("local store %s is damaged: %s", self.path, problem)
            return problem
        self.checked = True
        return None

    @property
    def location(self) -> str:
        """Where the store is, for messages (a path, or the hall URL without password)."""
        return str(self.path)

    def close(self) -> None:
        with self._lock:
            try:
                self._autocommit("PRAGMA optimize")  # refresh planner stats if worthwhile
            except sqlite3.Error:
                pass
            self.engine.dispose()

    def _autocommit(self, statement: str) -> list:
        """Run a statement outside any transaction (ANALYZE must commit; a checkpoint
        cannot run inside one)."""
        raw = self.engine.raw_connection()
        try:
            return raw.driver_connection.execute(statement).fetchall()
        finally:
            raw.close()

    # -- transactions -------------------------------------------------------------
    @contextmanager
    def session(self) -> Iterator[Session]:
        """A read session in one (deferred) transaction: a consistent snapshot."""
        from localdb import crypto

        with crypto.active(self.cipher), self._session() as s:
            yield s

    @contextmanager
    def write(self) -> Iterator[Session]:
        """The one writer: lock + ``BEGIN IMMEDIATE``; commits on success, rolls back
        on any exception. Nested use joins the outer transaction."""
        from localdb import crypto

        with crypto.active(self.cipher), self._write() as s:
            yield s

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as s:
            try:
                yield s
            finally:
                s.rollback()

    @contextmanager
    def _write(self) -> Iterator[Session]:
        with self._lock:
            if self._write_depth:
                yield self._current
                return
            s = Session(self._writer, expire_on_commit=False)
            self._current = s
            self._write_depth = 1
            try:
                raw = s.connection().connection.driver_connection  # BEGIN IMMEDIATE now
                raw.execute(f"PRAGMA cache_size=-{WRITE_CACHE_KIB}")
                try:
                    yield s
                finally:  # still ours: the pool gets it back at commit/rollback
                    raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")  # shrinking frees pages
                s.commit()
            except (DBAPIError, sqlite3.Error) as exc:
                s.rollback()
                if _is_storage_error(exc):
                    raise classify(exc, self.path) from exc
                raise
            except BaseException:
                s.rollback()
                raise
            finally:
                self._write_depth = 0
                self._current = None
                s.close()

    def checkpoint(self) -> None:
        with self._lock:
            self._autocommit("PRAGMA wal_checkpoint(TRUNCATE)")

    def ensure_indexes(self) -> list[str]:
        """Recreate what a bulk load (``localdb.feed`` bootstrap fast path) dropped: the
        secondary indexes of ``tickets``/``ticket_events`` and the FTS triggers (the
        full-text index is rebuilt from the rows). A no-op when nothing is missing;
        after a crash mid-bootstrap it restores the indexes at the next open.
        Returns the names of what was created."""
        raw = self.engine.raw_connection()
        try:
            needed = bool(missing_ddl(raw.driver_connection))
        finally:
            raw.close()
        if not needed:
            return []
        with self.write() as s:
            return bulk_end(s.connection().connection.driver_connection)

    def analyze(self) -> None:
        """Refresh planner statistics (after a bulk load, e.g. the first full sync)."""
        with self._lock:
            self._autocommit("ANALYZE")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# -- bulk load: secondary indexes and FTS triggers off, rebuilt once -------------------
#: sync_state key holding the DDL dropped by ``bulk_begin`` (JSON [[type, name, sql]]).
BULK_DDL_KEY = "bulk_ddl"
#: Tables whose secondary indexes a bulk load drops (the unique ``tickets.id`` and the
#: primary keys stay: the upserts need them).
BULK_TABLES = ("tickets", "ticket_events")
#: Kept during a bulk load: the creation-time index (the queue's default order; the
#: feed delivers history roughly in creation order, so its inserts are appends) and
#: the partial indexes over open/flagged tickets (history is closed: nearly free).
#: Without them the panels re-read a growing table by full scans on every journal
#: batch while the load runs.
BULK_KEEP = frozenset({
    "ix_tickets_created", "ix_tickets_limit_deadline",
    "ix_tickets_needs_commander", "ix_tickets_pending", "ix_tickets_attention",
    "ix_tickets_last_actor",
})
FTS_TRIGGERS = ("tickets_fts_ai", "tickets_fts_ad", "tickets_fts_au")


def _saved_ddl(con: sqlite3.Connection) -> list[list[str]] | None:
    row = con.execute("SELECT value FROM sync_state WHERE key=?", (BULK_DDL_KEY,)).fetchone()
    return json.loads(row[0]) if row else None


def in_bulk(con: sqlite3.Connection) -> bool:
    return _saved_ddl(con) is not None


def bulk_begin(con: sqlite3.Connection) -> bool:
    """Drop the secondary indexes of ``BULK_TABLES`` and the FTS triggers, saving their
    DDL in ``sync_state`` — all inside the caller's transaction, so the drop commits
    with the first bulk-loaded rows or not at all. False if already in bulk mode."""
    if not isinstance(con, sqlite3.Connection):
        from localdb import pg

        return pg.bulk_begin(con)
    if in_bulk(con):
        return False
    marks = ",".join("?" * len(BULK_TABLES))
    rows = con.execute(
        f"SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ({marks}) "
        f"AND sql IS NOT NULL AND type IN ('index', 'trigger') ORDER BY type, name",
        BULK_TABLES).fetchall()
    saved = [[t, n, q] for t, n, q in rows
             if (t == "index" and n not in BULK_KEEP) or n in FTS_TRIGGERS]
    con.execute("INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                "UPDATE SET value=excluded.value", (BULK_DDL_KEY, json.dumps(saved)))
    for kind, name, _sql in saved:
        con.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    log.info("bulk load: %d indexes/triggers off until the load ends", len(saved))
    return True


def _model_ddl() -> list[tuple[str, str, str]]:
    """(type, name, sql) of every index the models declare on ``BULK_TABLES`` and of
    the FTS triggers: the reference when a store lost one without a saved copy."""
    from sqlalchemy.dialects import sqlite as sqlite_dialect
    from sqlalchemy.schema import CreateIndex

    from localdb import fts
    from localdb.models import Base

    out = []
    for table in BULK_TABLES:
        for ix in sorted(Base.metadata.tables[table].indexes, key=lambda i: i.name):
            sql = str(CreateIndex(ix).compile(dialect=sqlite_dialect.dialect())).strip()
            out.append(("index", ix.name, sql))
    for stmt, name in zip(fts.create_fts_sql()[1:], ("tickets_fts_ai", "tickets_fts_ad",
                                                     "tickets_fts_au")):
        out.append(("trigger", name, stmt))
    return out


def missing_ddl(con: sqlite3.Connection) -> list[tuple[str, str, str]]:
    """What ``bulk_end`` would create (saved by a bulk load, or declared by the models)."""
    have = {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
    if "sync_state" not in have:
        return []
    wanted: dict[str, tuple[str, str, str]] = {n: (t, n, q) for t, n, q in _model_ddl()}
    for t, n, q in _saved_ddl(con) or ():
        wanted[n] = (t, n, q)  # the store's own text wins (partial-index WHERE clauses)
    out = [w for n, w in wanted.items() if n not in have]
    if in_bulk(con) and not out:
        out.append(("mark", BULK_DDL_KEY, ""))  # only the mark is left: clear it
    return out


def bulk_end(con: sqlite3.Connection) -> list[str]:
    """Create the missing indexes, rebuild the full-text index and restore its triggers
    if they were off, and clear the bulk mark (inside the caller's transaction)."""
    todo = missing_ddl(con)
    created = []
    for kind, name, sql in sorted(todo, key=lambda w: w[0] != "index"):
        if kind == "index":
            con.execute(sql)
            created.append(name)
    triggers = [w for w in todo if w[0] == "trigger"]
    if triggers:
        from localdb import fts

        con.execute(f"INSERT INTO {fts.FTS_TABLE}({fts.FTS_TABLE}) VALUES ('rebuild')")
        for _kind, name, sql in triggers:
            con.execute(sql)
            created.append(name)
    con.execute("DELETE FROM sync_state WHERE key=?", (BULK_DDL_KEY,))
    if created:
        log.info("bulk load ended: %d indexes/triggers recreated", len(created))
    return created


def _private_file(path: Path) -> None:
    """The store is readable by the console's user only (0600): created so, tightened if
    an older file is looser. SQLite gives its -wal and -shm files the database's mode."""
    import os

    if not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        except OSError as exc:
            raise StoreError(f"Local store {path} cannot be created: {exc}", kind="unreadable",
                             path=path) from exc
        return
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            st = p.stat()
            if st.st_mode & 0o077 and st.st_uid == os.getuid():
                os.chmod(p, 0o600)
        except FileNotFoundError:
            pass
        except OSError as exc:
            log.warning("cannot restrict %s: %s", p, exc)


#: how long the integrity check at open may take before it is left to the background
QUICK_CHECK_S = 2.0


def _probe(path: Path, check: bool | None) -> bool:
    """Fail early, with a clear StoreError, on files SQLite cannot use or that are
    damaged. ``check``: None = ``PRAGMA quick_check`` for at most ``QUICK_CHECK_S``
    (a big store is then checked in full in the background: ``Store.verify``), True =
    the whole quick_check however long, False = none. True if the file was checked
    completely (or is new)."""
    if not path.exists():
        return True
    try:
        con = sqlite3.connect(str(path), timeout=2.0)
    except sqlite3.Error as exc:
        raise classify(exc, path) from exc
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # journal_mode=WAL needs a write lock briefly: also reveals a locked file.
        con.execute("PRAGMA journal_mode=WAL").fetchone()
        if check is False:
            return False
        problem = quick_check(con, None if check else QUICK_CHECK_S)
        if problem is None:
            return False
        if problem:
            raise StoreError(
                f"Local store {path} is damaged (integrity check: {problem}). Run recovery: the "
                f"file is moved aside, unsent actions are kept and the cache is rebuilt from the "
                f"platform (in the window, or: duty-console recover).",
                kind="corrupt", path=path)
        return True
    except sqlite3.Error as exc:
        raise classify(exc, path) from exc
    finally:
        con.close()


def quick_check(con: sqlite3.Connection, limit_s: float | None = None) -> str | None:
    """``PRAGMA quick_check`` on ``con``: "" when the file is sound, the first problems
    found otherwise, None when it did not finish within ``limit_s`` seconds. Raises
    sqlite3 errors (a page so damaged that SQLite cannot even walk it)."""
    if limit_s is not None and limit_s <= 0:
        return None   # no time at all: the background check does it
    # The check is one long step of SQLite's VM (no progress handler runs inside it):
    # past the deadline a watcher interrupts it, again every 10 ms (an interrupt that
    # lands before the statement runs does nothing).
    finished = threading.Event()
    watcher = None
    if limit_s is not None:
        def watch() -> None:
            if finished.wait(limit_s):
                return
            while not finished.wait(0.01):
                con.interrupt()
        watcher = threading.Thread(target=watch, name="store-check-timer", daemon=True)
        watcher.start()
    try:
        rows = con.execute("PRAGMA quick_check(5)").fetchall()
    except sqlite3.OperationalError as exc:
        if watcher is not None and "interrupt" in str(exc).lower():
            return None
        raise
    finally:
        finished.set()
        if watcher is not None:
            watcher.join()
    found = [str(r[0]) for r in rows]
    return "" if found == ["ok"] else "; ".join(found)[:500]


def _is_storage_error(exc: BaseException) -> bool:
    """Locked, damaged or unwritable file (not a constraint or programming error)."""
    orig = getattr(exc, "orig", exc)
    return type(orig) in (sqlite3.OperationalError, sqlite3.DatabaseError)
