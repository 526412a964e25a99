"""Patrol (轮巡): a group of cameras cycles through the wall's tiles on a timer."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal


class Patrol(QObject):
    """Every interval, the next ``slots()`` cameras of the group go onto the tiles."""

    #: camera ids for slots 0, 1, … of this step
    sig_step = Signal(list)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ids: list[str] = []
        self._pos = 0
        self._slots: Callable[[], int] = lambda: 1
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_timer_timeout)

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def start(self, ids: list[str], slots: Callable[[], int], interval_ms: int) -> None:
        """Start with the first step at once; ``slots`` says how many tiles are shown."""
        self._ids = list(ids)
        self._pos = 0
        self._slots = slots
        self._timer.start(max(50, interval_ms))
        self._on_timer_timeout()

    def stop(self) -> None:
        self._timer.stop()

    def set_interval(self, interval_ms: int) -> None:
        if self._timer.isActive():
            self._timer.setInterval(max(50, interval_ms))

    def _on_timer_timeout(self) -> None:
        if not self._ids:
            return
        n = min(self._slots(), len(self._ids))
        step = [self._ids[(self._pos + i) % len(self._ids)] for i in range(n)]
        self._pos = (self._pos + n) % len(self._ids)
        self.sig_step.emit(step)
