"""This desk's presence in the hall: who is logged in here and which ticket is open.

A small thread keeps the desk's row in ``desks`` fresh (``localdb.hall``): every
``hall.BEAT_S`` and at once when the officer opens, leaves or acts on a ticket. The
thread, not the UI, talks to the hall database: a slow or unreachable server delays
the next beat, never a click. ``close()`` removes the row (a clean exit shows at once
on the other desks); a killed desk stops beating and expires after ``hall.EXPIRY_S``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from localdb import hall

log = logging.getLogger(__name__)


class PresenceBeat:
    def __init__(self, store: Any, workstation: str, label: str = "") -> None:
        self.store = store
        self.workstation = workstation
        self.label = label
        self.user_id: str | None = None
        self.user_name: str | None = None
        self.ticket_id: str | None = None
        self.activity: str | None = None
        self.beats = 0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self) -> "PresenceBeat":
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"presence-{self.workstation}",
                                            daemon=True)
            self._thread.start()
        return self

    def set_user(self, user_id: str | None, name: str | None) -> None:
        with self._lock:
            self.user_id, self.user_name = user_id, name
            if user_id is None:
                self.ticket_id = self.activity = None
        self._wake.set()

    def set_ticket(self, ticket_id: str | None, activity: str = hall.VIEWING) -> None:
        with self._lock:
            if (ticket_id, activity) == (self.ticket_id, self.activity):
                return
            self.ticket_id, self.activity = ticket_id, (activity if ticket_id else None)
        self._wake.set()

    def _beat(self) -> None:
        with self._lock:
            state = dict(label=self.label, user_id=self.user_id, user_name=self.user_name,
                         ticket_id=self.ticket_id if self.user_id else None,
                         activity=self.activity)
        with self.store.write() as s:
            hall.beat(s, self.workstation, pid=os.getpid(), host=socket.gethostname(), **state)
        self.beats += 1

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self._beat()
            except Exception as exc:  # noqa: BLE001 - the hall database away: beat again later
                log.info("presence beat failed: %s", exc)
            self._wake.wait(hall.BEAT_S)

    def close(self, timeout: float = 3.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        try:
            with self.store.write() as s:
                hall.leave(s, self.workstation)
        except Exception as exc:  # noqa: BLE001 - the row expires by itself
            log.info("presence: could not leave: %s", exc)
