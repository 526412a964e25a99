"""Where the wall's tiles live: inside the panel, or in their own top-level window.

The duty hall puts the wall on a second screen; the panel then shows a short notice
and a button to bring it back. Closing the window brings it back too.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget


class _WallWindow(QWidget):
    #: the officer closed the window
    sig_closed = Signal()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.sig_closed.emit()
        super().closeEvent(event)


class WallHost(QWidget):
    """Holds ``wall`` in the panel or moves it to a window of its own."""

    #: detached (bool) — the wall moved out (True) or came back (False)
    sig_detached_changed = Signal(bool)

    def __init__(self, wall: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.wall = wall
        self.window_geometry = b""  # saved geometry of the wall's own window
        self._window: _WallWindow | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(wall, 1)
        self._away = QWidget(self)
        away = QVBoxLayout(self._away)
        away.addStretch(1)
        away.addWidget(QLabel(self.tr("The video wall is in its own window."), self._away),
                       0, Qt.AlignmentFlag.AlignCenter)
        back = QPushButton(self.tr("Bring the wall back"), self._away)
        back.clicked.connect(lambda: self.set_detached(False))
        away.addWidget(back, 0, Qt.AlignmentFlag.AlignCenter)
        away.addStretch(1)
        lay.addWidget(self._away, 1)
        self._away.hide()

    @property
    def window_widget(self) -> QWidget | None:
        return self._window

    def set_detached(self, on: bool) -> None:
        if on == (self._window is not None):
            return
        if on:
            win = _WallWindow()
            win.setWindowTitle(self.tr("Video wall"))
            lay = QVBoxLayout(win)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.addWidget(self.wall)
            self._away.show()
            self._window = win
            win.sig_closed.connect(self._on_window_closed)
            if self.window_geometry:
                win.restoreGeometry(QByteArray(self.window_geometry))
            else:  # first time: the second screen if there is one
                screens = QGuiApplication.screens()
                target = screens[1] if len(screens) > 1 else (screens[0] if screens else None)
                if target is not None:
                    win.setGeometry(target.availableGeometry())
            win.show()
        else:
            win, self._window = self._window, None
            self.window_geometry = bytes(win.saveGeometry().data())
            win.sig_closed.disconnect(self._on_window_closed)
            self.layout().insertWidget(0, self.wall, 1)
            self._away.hide()
            self.wall.show()
            win.close()
            win.deleteLater()
        self.sig_detached_changed.emit(on)

    def _on_window_closed(self) -> None:
        self.set_detached(False)
