"""``--user/--pin`` (and the demo's automatic login) without a dialog.

On a fresh workstation the user list arrives with the first sync, so the check
waits for it (polling the tiny ``users`` table on a timer, never blocking) and
gives up after ``timeout_s``.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from console.operations.auth import AuthRefused
from console.qt import duty
from console.qt.auth_text import refusal_text
from localdb import repo

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)


class AutoLogin(QObject):
    #: the logged-in console.domain.model.Actor
    sig_done = Signal(object)
    #: message for the officer
    sig_failed = Signal(str)

    def __init__(self, store: Store, user_id: str, pin: str, workstation: str, timeout_s: float = 90.0,
                 interval_ms: int = 200, parent: QObject | None = None, lockout: Any = None,
                 confirm: Any = None) -> None:
        super().__init__(parent)
        self.lockout, self.confirm = lockout, confirm
        self.store, self.user_id, self.pin, self.workstation = store, user_id, pin, workstation
        self.deadline = time.monotonic() + timeout_s
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_timer_timeout)

    def start(self) -> None:
        self._on_timer_timeout()
        if not self._done:
            self._timer.start()

    _done = False

    @Slot()
    def _on_timer_timeout(self) -> None:
        try:
            with self.store.session() as s:
                known = self.user_id in repo.users(s)
        except Exception:  # noqa: BLE001 - the users table may not be filled yet
            known = False
        if known:
            self._finish()
            try:
                actor = duty.authenticate(self.store, self.user_id, self.pin, self.workstation,
                                          lockout=self.lockout, confirm=self.confirm)
            except AuthRefused as exc:
                self.sig_failed.emit(refusal_text(exc))
            else:
                self.sig_done.emit(actor)
        elif time.monotonic() > self.deadline:
            self._finish()
            self.sig_failed.emit(QCoreApplication.translate(
                "AutoLogin", "User %1 is not known at this workstation (no user list from the platform yet?)")
                .replace("%1", self.user_id))

    def _finish(self) -> None:
        self._done = True
        self._timer.stop()
