"""The keyboard shortcut sheet of the ticket queue (Help menu and "?" in the queue)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from views import queue_labels as L
from views.ticket_actions import VERBS


def shortcut_rows() -> list[tuple[str, str]]:
    """(keys, what) for every queue shortcut, in the order of the sheet."""
    rows = [
        ("Ctrl+N", QCoreApplication.translate("ShortcutSheet", "New ticket")),
        ("F3 / Ctrl+F", QCoreApplication.translate("ShortcutSheet", "Search tickets")),
        ("Esc", QCoreApplication.translate("ShortcutSheet", "Leave the search box")),
        ("Ctrl+1 … Ctrl+6", QCoreApplication.translate("ShortcutSheet", "Tabs: to accept, due soon, overdue, to verify, needs commander, mine")),
        ("Ctrl+0", QCoreApplication.translate("ShortcutSheet", "All tickets")),
        ("↑ / ↓, Shift+↑ / ↓", QCoreApplication.translate("ShortcutSheet", "Move / extend the selection")),
        ("G", QCoreApplication.translate("ShortcutSheet", "Locate the ticket on the map")),
        ("Ctrl+Shift+A", QCoreApplication.translate("ShortcutSheet", "Failed sync actions")),
        ("?", QCoreApplication.translate("ShortcutSheet", "This sheet")),
    ]
    for v in VERBS:
        if v.shortcut:
            rows.append((QKeySequence(v.shortcut).toString(QKeySequence.SequenceFormat.NativeText),
                         L.action_label(v.action)))
    return rows


class ShortcutSheet(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcut_sheet")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.resize(660, 600)
        lay = QVBoxLayout(self)
        rows = shortcut_rows()
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, (keys, what) in enumerate(rows):
            k = QTableWidgetItem(keys)
            k.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            self.table.setItem(r, 0, k)
            self.table.setItem(r, 1, QTableWidgetItem(what))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        lay.addWidget(self.table)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)


def show_shortcut_sheet(parent: QWidget | None = None) -> ShortcutSheet:
    """Open the sheet (non-blocking) and return it."""
    d = ShortcutSheet(parent)
    d.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    d.open() if parent is not None else d.show()
    return d
