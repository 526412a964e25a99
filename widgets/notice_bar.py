"""A non-modal bar for errors and warnings (napari's notification area, simplified).

Fed by ``Notifier.sig_message(level, text)``. Shows the newest error or warning with
a count of earlier ones; "Details" lists them all, "Dismiss" hides the bar until
the next one. Info messages are not shown here (they go to the status bar).
"""

from __future__ import annotations

import time

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

STYLES = {
    "error": "background:#fdecea; color:#8a1c1c; border-bottom:1px solid #e0a0a0;",
    "warning": "background:#fff6db; color:#6b4e00; border-bottom:1px solid #e6cf86;",
}
MAX_KEPT = 200


class NoticeBar(QFrame):
    """``self_hiding=False`` when a container (a toolbar) owns the visibility: then
    follow ``sig_shown`` / ``sig_dismissed`` instead of calling show()/hide()."""

    #: level, text of the notice now shown
    sig_shown = Signal(str, str)
    #: the officer dismissed the bar
    sig_dismissed = Signal()

    def __init__(self, parent: QWidget | None = None, self_hiding: bool = True) -> None:
        super().__init__(parent)
        self.self_hiding = self_hiding
        self.active = False
        self.setObjectName("NoticeBar")
        self.messages: list[tuple[float, str, str]] = []
        self.label = QLabel(self)
        self.label.setWordWrap(False)
        self.count_label = QLabel(self)
        self.details_button = QPushButton(self.tr("Details"), self)
        self.details_button.clicked.connect(self._on_details_clicked)
        self.dismiss_button = QPushButton(self.tr("Dismiss"), self)
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 4, 10, 4)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.count_label)
        lay.addWidget(self.details_button)
        lay.addWidget(self.dismiss_button)
        if self_hiding:
            self.hide()

    def text(self) -> str:
        return self.label.text()

    @Slot(str, str)
    def add_message(self, level: str, text: str) -> None:
        if level not in STYLES:
            return
        self.messages.append((time.time(), level, text))
        del self.messages[:-MAX_KEPT]
        self.setStyleSheet(f"#NoticeBar {{{STYLES[level]}}} QLabel {{ background: transparent; }}")
        icon = "⛔" if level == "error" else "⚠"
        self.label.setText(f"{icon} {text}")
        self.label.setToolTip(text)
        earlier = len(self.messages) - 1
        self.count_label.setText(self.tr("(%1 earlier)").replace("%1", str(earlier)) if earlier else "")
        self.active = True
        if self.self_hiding:
            self.show()
        self.sig_shown.emit(level, text)

    @Slot()
    def _on_dismiss_clicked(self) -> None:
        self.active = False
        if self.self_hiding:
            self.hide()
        self.sig_dismissed.emit()

    @Slot()
    def _on_details_clicked(self) -> None:
        lines = [f"{time.strftime('%H:%M:%S', time.localtime(t))}  {text}" for t, _lvl, text in self.messages]
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Notices"), self.tr("Recent errors and warnings"),
                          QMessageBox.StandardButton.Close, self)
        box.setDetailedText("\n".join(reversed(lines)))
        box.setModal(False)
        box.show()
