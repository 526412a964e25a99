"""Toasts: small non-modal notices stacked in the window's bottom-right corner.

Fed by ``Notifier.sig_toast(title, text, with_sound)``. Each toast hides itself
after a few seconds (or on click); at most ``MAX_VISIBLE`` are shown, the oldest
goes first. Toasts are children of the main window, never top-level windows, so
they never take the keyboard focus from the officer.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

MAX_VISIBLE = 5
MARGIN = 16
SPACING = 8
WIDTH = 340


class Toast(QFrame):
    #: emitted once when the toast is done (timed out or clicked)
    sig_closed = Signal()

    def __init__(self, title: str, text: str, seconds: float, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("Toast")
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "#Toast { background: rgba(32, 41, 56, 235); border: 1px solid #4a90d9;"
            " border-radius: 6px; } QLabel { color: white; background: transparent; }")
        self.title_label = QLabel(title, self)
        self.title_label.setStyleSheet("font-weight: bold;")
        self.text_label = QLabel(text, self)
        self.text_label.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 10)
        lay.addWidget(self.title_label)
        lay.addWidget(self.text_label)
        self.setFixedWidth(WIDTH)
        self._closed = False
        #: set by ToastManager.show_keyed: a later toast of this key updates this one
        self.key = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(500, int(seconds * 1000)))
        self._timer.timeout.connect(self.dismiss)

    def start(self) -> None:
        self.adjustSize()
        self.show()
        self.raise_()
        self._timer.start()

    def update_text(self, title: str, text: str) -> None:
        """New words for a toast on screen; it stays its full time from now."""
        self.title_label.setText(title)
        self.text_label.setText(text)
        self.adjustSize()
        self._timer.start()

    def mousePressEvent(self, event: Any) -> None:  # noqa: N802
        self.dismiss()

    @Slot()
    def dismiss(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._timer.stop()
        self.hide()
        self.sig_closed.emit()
        self.deleteLater()


class ToastManager(QObject):
    """Owns the toasts of one window and keeps them stacked in its corner."""

    #: title, text of a toast just shown
    sig_shown = Signal(str, str)

    def __init__(self, window: QWidget, seconds: Callable[[], float] | float = 8.0,
                 play_sound: Callable[[], None] | None = None) -> None:
        super().__init__(window)
        self.window = window
        self._seconds = seconds
        self._play_sound = play_sound
        self.toasts: list[Toast] = []
        window.installEventFilter(self)

    @Slot(str, str, bool)
    def show_toast(self, title: str, text: str, sound: bool = False) -> Toast:
        seconds = self._seconds() if callable(self._seconds) else self._seconds
        toast = Toast(title, text, seconds, self.window)
        toast.sig_closed.connect(lambda t=toast: self._on_toast_closed(t))
        self.toasts.append(toast)
        while len(self.toasts) > MAX_VISIBLE:
            self.toasts[0].dismiss()
        toast.start()
        self._relayout()
        if sound and self._play_sound is not None:
            try:
                self._play_sound()
            except Exception:  # noqa: BLE001
                log.warning("toast sound failed", exc_info=True)
        self.sig_shown.emit(title, text)
        return toast

    @Slot(str, str, str, bool)
    def show_keyed(self, key: str, title: str, text: str, sound: bool = False) -> Toast:
        """Update the toast of ``key`` still on screen, or show a new one with that key."""
        live = next((t for t in self.toasts if t.key == key), None)
        if live is None:
            toast = self.show_toast(title, text, sound)
            toast.key = key
            return toast
        live.update_text(title, text)
        self._relayout()
        self.sig_shown.emit(title, text)
        return live

    def visible_toasts(self) -> list[Toast]:
        return [t for t in self.toasts if t.isVisible()]

    def _on_toast_closed(self, toast: Toast) -> None:
        if toast in self.toasts:
            self.toasts.remove(toast)
        self._relayout()

    def _relayout(self) -> None:
        area = self.window.rect()
        status = getattr(self.window, "statusBar", None)
        bottom = area.bottom() - MARGIN
        if callable(status) and self.window.statusBar().isVisible():
            bottom -= self.window.statusBar().height()
        for toast in reversed(self.toasts):
            # word-wrapped text: the height the layout needs at the toast's width
            h = max(toast.sizeHint().height(), toast.heightForWidth(WIDTH))
            toast.setGeometry(area.right() - MARGIN - WIDTH, bottom - h, WIDTH, h)
            toast.raise_()
            bottom -= h + SPACING

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if obj is self.window and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._relayout()
        return False
