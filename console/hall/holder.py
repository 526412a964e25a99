"""One district sync per hall: the process that holds the hall's sync lock syncs.

Every desk in hall mode (and the optional ``duty-console hall-sync`` service on the
hall server) runs a ``HallSync``. It keeps one connection of its own to the hall
database and asks for a session-level advisory lock (``localdb.pg.SYNC_LOCK``) once a
second. The one that gets it starts the real ``SyncEngine`` (puller, pusher, pinger)
and publishes itself and the district link every second (``localdb.hall``); the
others wait on standby and show the holder's record.

Hand-over: the server releases a session lock the moment the session ends. A killed
holder's socket is closed by its kernel, so the next desk gets the lock within its
next retry (about a second). A power cut or a pulled cable leaves a half-open TCP
connection: the lock connection asks the server to probe it (TCP keepalive 3 s +
3 × 1 s, ``tcp_user_timeout`` 5 s), so the server ends that session, and frees the
lock, in about 6-8 s. A holder that can no longer reach the hall database stops its
engine when its own check of the lock connection fails (``tcp_user_timeout`` on the
client side too). For a moment two engines may overlap; the outbox's idempotency
keys make the district apply each command once, and a feed page applied twice
changes nothing (versions), so a hand-over loses and duplicates nothing.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from localdb import hall
from localdb.pg import LOCK_SPACE, SYNC_LOCK

log = logging.getLogger(__name__)

STANDBY, HOLDING, DOWN = "standby", "holding", "down"

#: libpq options of the lock connection: dead peers noticed in seconds on both sides.
LOCK_CONN_OPTS = {
    "connect_timeout": 3, "keepalives": 1, "keepalives_idle": 3, "keepalives_interval": 1,
    "keepalives_count": 3, "tcp_user_timeout": 5000,
    "options": "-c tcp_keepalives_idle=3 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=3"
               " -c tcp_user_timeout=5000 -c statement_timeout=5000",
}


class HallSync:
    """Contends for the sync lock; runs an engine from ``make_engine()`` while it holds it.

    The face the Qt bridge and the console use is the engine's (``kick``,
    ``outbox_depth``, ``link_state``, ``last_ok_at``, ``platform_now``, ``client``):
    while holding, the own engine answers; on standby, the holder's published record.
    """

    RETRY_S = 1.0

    def __init__(self, store: Any, make_engine: Callable[[], Any], workstation: str, *,
                 label: str = "", client: Any = None,
                 on_role: Callable[[str], None] | None = None) -> None:
        self.store = store
        self.make_engine = make_engine
        self.workstation = workstation
        self.label = label
        self.client = client
        self.on_role = on_role
        self.role = DOWN
        self.engine: Any = None
        self.holds_since: float | None = None
        self.takeovers = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listener: Any = None
        self._record: dict[str, Any] | None = None

    # -- life ----------------------------------------------------------------------
    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"hall-sync-{self.workstation}",
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> bool:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            alive = self._thread.is_alive()
            self._thread = None if not alive else self._thread
            return not alive
        return True

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the engine's face ----------------------------------------------------------
    def kick(self) -> None:
        eng = self.engine
        if eng is not None:
            eng.kick()

    def pull_now(self) -> None:
        eng = self.engine
        if eng is not None:
            eng.pull_now()

    def outbox_depth(self) -> int:
        from console.sync import storeapi

        return storeapi.outbox_depth(self.store)  # the hall's outbox: one table for all desks

    def holder(self) -> dict[str, Any] | None:
        """The holder's record as this desk last read it (None: nobody syncs now)."""
        eng = self.engine
        if eng is not None:
            return self._info(eng)
        try:
            with self.store.session() as s:
                self._record = hall.holder(s)
        except Exception:  # noqa: BLE001 - the hall database is unreachable: nobody known
            self._record = None
        return self._record

    @property
    def link(self) -> Any:
        eng = self.engine
        return eng.link if eng is not None else None

    @property
    def link_state(self) -> str:
        eng = self.engine
        if eng is not None:
            return eng.link_state
        rec = self._record
        return str(rec.get("link") or "offline") if rec else "offline"

    @property
    def last_ok_at(self) -> float | None:
        eng = self.engine
        if eng is not None:
            return eng.last_ok_at
        rec = self._record
        return rec.get("last_ok_at") if rec else None

    def platform_now(self) -> float:
        eng = self.engine
        return eng.platform_now() if eng is not None else time.time()

    @property
    def stats(self) -> dict[str, int]:
        eng = self.engine
        return eng.stats if eng is not None else {}

    # -- the lock ------------------------------------------------------------------
    def _set_role(self, role: str) -> None:
        if role == self.role:
            return
        self.role = role
        log.info("hall sync %s: %s", self.workstation, role)
        if self.on_role:
            try:
                self.on_role(role)
            except Exception:  # noqa: BLE001
                log.exception("hall sync role listener failed")

    def _run(self) -> None:
        import psycopg

        from localdb.pg import redact

        delay = self.RETRY_S
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.store.url, autocommit=True,
                                     application_name=f"duty-console sync-lock {self.workstation}",
                                     **LOCK_CONN_OPTS) as con:
                    delay = self.RETRY_S
                    self._contend(con)
            except psycopg.Error as exc:
                log.info("hall sync %s: lock connection to %s: %s", self.workstation,
                         redact(self.store.url), str(exc).strip().splitlines()[0] if str(exc) else exc)
            except Exception:  # noqa: BLE001 - the contender must survive anything
                log.exception("hall sync %s failed", self.workstation)
            self._set_role(DOWN)
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, 4.0)

    def _contend(self, con: Any) -> None:
        while not self._stop.is_set():
            got = con.execute("SELECT pg_try_advisory_lock(%s, %s)", (LOCK_SPACE, SYNC_LOCK)).fetchone()[0]
            if got:
                try:
                    self._hold(con)
                finally:
                    if self._stop.is_set():
                        self._withdraw(con)
                return
            self._set_role(STANDBY)
            self.holder()
            if self._stop.wait(self.RETRY_S):
                return

    def _hold(self, con: Any) -> None:
        from localdb.wakeup import Listener

        self.holds_since = time.time()
        self.takeovers += 1
        engine = self.make_engine()
        self.engine = engine
        engine.start()
        # an action at any desk of the hall wakes this desk's pusher at once
        self._listener = Listener(self.store.url, engine.kick, name=f"hall-sync-listen-{self.workstation}")
        self._listener.start()
        self._set_role(HOLDING)
        try:
            while not self._stop.is_set():
                con.execute("SELECT 1")  # the session, and so the lock, is still ours
                with self.store.write() as s:
                    hall.publish_holder(s, self._info(engine))
                if self._stop.wait(hall.HOLDER_BEAT_S):
                    break
        finally:
            self._listener.stop(1.0)
            self._listener = None
            self.engine = None
            if not engine.stop(5.0):
                log.warning("hall sync %s: engine threads still running after stop", self.workstation)

    def _info(self, engine: Any) -> dict[str, Any]:
        monitor = getattr(engine, "link", None)
        heard = engine.last_ok_at is not None or bool(getattr(monitor, "decisions", None))
        return {"workstation": self.workstation, "label": self.label, "pid": os.getpid(),
                "host": socket.gethostname(), "since": self.holds_since,
                "link": engine.link_state if heard else None, "last_ok_at": engine.last_ok_at,
                "outbox": self.outbox_depth()}

    def _withdraw(self, con: Any) -> None:
        """A clean stop: the record goes and the lock is released at once."""
        try:
            with self.store.write() as s:
                hall.release_holder(s, self.workstation)
        except Exception:  # noqa: BLE001 - the next holder overwrites it anyway
            log.info("hall sync %s: could not withdraw the holder record", self.workstation)
        try:
            con.execute("SELECT pg_advisory_unlock(%s, %s)", (LOCK_SPACE, SYNC_LOCK))
        except Exception:  # noqa: BLE001 - closing the connection releases it too
            pass
