"""The local store: one SQLite file, many readers, one writer.

``Store.open(path)`` checks the file, migrates it to the newest revision and returns
a store. Reads use ``store.session()``; every write goes through ``store.write()``,
which holds a process-wide lock and a ``BEGIN IMMEDIATE`` transaction so that two
writers never interleave and a write never fails half way on a busy lock.
"""

from __future__ import annotations

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

PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
    "PRAGMA cache_size=-65536",  # 64 MiB page cache per connection
    "PRAGMA mmap_size=2147418112",  # map the whole file (up to 2 GiB): reads without syscalls
    "PRAGMA temp_store=MEMORY",
    "PRAGMA busy_timeout=5000",
    "PRAGMA analysis_limit=1000",  # keeps PRAGMA optimize / ANALYZE quick on big files
)


class StoreError(Exception):
    """The store cannot be opened or used. ``kind`` is corrupt|locked|unreadable|other;
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
            f"Local store {path} is damaged ({msg}). Run recovery: the file is moved "
            f"aside, unsent actions are kept and the cache is rebuilt from the platform.",
            kind="corrupt",
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
    """Handle on one local store file. Thread-safe; writes are serialised."""

    def __init__(self, path: Path, engine: Engine):
        self.path = path
        self.engine = engine
        self._writer = engine.execution_options(sqlite_begin="IMMEDIATE")
        self._lock = threading.RLock()
        self._write_depth = 0

    # -- life cycle -------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, *, check: bool = False) -> "Store":
        """Open (creating if absent) and migrate to head. ``check`` runs
        ``PRAGMA quick_check`` (slow on big files; use after a crash)."""
        path = Path(path)
        if path.exists() and not path.is_file():
            raise StoreError(f"Local store {path} is not a file", kind="unreadable", path=path)
        path.parent.mkdir(parents=True, exist_ok=True)
        _probe(path, check)
        try:
            migrate(path)
        except (DBAPIError, sqlite3.Error) as exc:
            raise classify(exc, path) from exc
        engine = make_engine(path)
        store = cls(path, engine)
        log.info("local store open: %s", path)
        return store

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
        with Session(self.engine, expire_on_commit=False) as s:
            try:
                yield s
            finally:
                s.rollback()

    @contextmanager
    def write(self) -> Iterator[Session]:
        """The one writer: lock + ``BEGIN IMMEDIATE``; commits on success, rolls back
        on any exception. Nested use joins the outer transaction."""
        with self._lock:
            if self._write_depth:
                yield self._current
                return
            s = Session(self._writer, expire_on_commit=False)
            self._current = s
            self._write_depth = 1
            try:
                s.connection()  # BEGIN IMMEDIATE now, not at the first statement
                yield s
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

    def analyze(self) -> None:
        """Refresh planner statistics (after a bulk load, e.g. the first full sync)."""
        with self._lock:
            self._autocommit("ANALYZE")

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _probe(path: Path, check: bool) -> None:
    """Fail early, with a clear StoreError, on files SQLite cannot use."""
    if not path.exists():
        return
    try:
        con = sqlite3.connect(str(path), timeout=2.0)
    except sqlite3.Error as exc:
        raise classify(exc, path) from exc
    try:
        con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        # journal_mode=WAL needs a write lock briefly: also reveals a locked file.
        con.execute("PRAGMA journal_mode=WAL").fetchone()
        if check:
            res = con.execute("PRAGMA quick_check(1)").fetchone()
            if not res or res[0] != "ok":
                raise StoreError(
                    f"Local store {path} is damaged (quick_check: {res and res[0]}).",
                    kind="corrupt",
                    path=path,
                )
    except sqlite3.Error as exc:
        raise classify(exc, path) from exc
    finally:
        con.close()


def _is_storage_error(exc: BaseException) -> bool:
    """Locked, damaged or unwritable file (not a constraint or programming error)."""
    orig = getattr(exc, "orig", exc)
    return type(orig) in (sqlite3.OperationalError, sqlite3.DatabaseError)
