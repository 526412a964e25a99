"""Journal wake-up: how a follower learns that the journal grew.

SQLite (desk mode): one process owns the file; its follower polls the journal on a
short timer (a read of ``max(seq)`` is an index probe) and is poked by local writes.

PostgreSQL (hall mode): every write transaction that journals sends
``NOTIFY duty_journal`` (delivered at commit, once per transaction however many rows
it wrote; nothing is sent for a rollback). ``Listener`` keeps one connection in
LISTEN and calls back on each notification, so a desk reads the journal the moment
another desk commits and otherwise stays idle. A lost notification costs nothing but
latency: the follower also reads on a slow safety timer, and the journal (not the
notification) says what changed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

CHANNEL = "duty_journal"


def notify(con: Any) -> None:
    """Queue the wake-up in the caller's transaction (PostgreSQL)."""
    con.execute(f"SELECT pg_notify('{CHANNEL}', '')")


class Listener:
    """A thread holding ``LISTEN duty_journal`` on its own connection; ``on_wake`` runs
    on that thread for every batch of notifications. Reconnects by itself (the hall
    database restarting, a cut LAN) and calls ``on_wake`` after each reconnect, since
    notifications sent meanwhile are lost."""

    #: First retry after a lost connection, and the longest wait between retries: a
    #: server restarting refuses at once, so retrying often is cheap, and every moment
    #: unheard is a moment the desk learns of other desks' work only by its safety poll.
    RETRY_S = 0.05
    RETRY_MAX_S = 0.5

    def __init__(self, conninfo: str, on_wake: Callable[[], None], *, name: str = "journal-listen"):
        self.conninfo = conninfo
        self.on_wake = on_wake
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._con: Any = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> "Listener":
        self._thread.start()
        return self

    def stop(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._thread.join(timeout)

    def _run(self) -> None:
        import psycopg

        delay = self.RETRY_S
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.conninfo, autocommit=True, connect_timeout=3,
                                     application_name="duty-console listen") as con:
                    con.execute(f"LISTEN {CHANNEL}")
                    self.connected.set()
                    delay = self.RETRY_S
                    self.on_wake()  # whatever was committed while we were not listening
                    while not self._stop.is_set():
                        got = sum(1 for _n in con.notifies(timeout=0.5, stop_after=1))
                        if got:
                            self.on_wake()
            except psycopg.Error as exc:
                log.info("journal listener: %s; reconnecting", exc)
            except Exception:  # noqa: BLE001 - a callback bug must not end the wake-ups
                log.exception("journal listener callback failed")
            self.connected.clear()
            if self._stop.wait(delay):
                break
            delay = min(delay * 2, self.RETRY_MAX_S)
        log.debug("journal listener stopped")


def wait_until(cond: Callable[[], bool], timeout: float, step: float = 0.02) -> bool:
    """Poll ``cond`` until true or ``timeout`` seconds pass (tests and tools)."""
    end = time.monotonic() + timeout
    while True:
        if cond():
            return True
        if time.monotonic() >= end:
            return False
        time.sleep(step)
