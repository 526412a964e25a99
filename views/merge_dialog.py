"""并案 dialog: pick the main ticket this report duplicates.

Several citizens report the same fallen tree: the officer marks the later reports as
duplicates of one main ticket, picked from the open tickets nearby in the last days
(nearest first, the same category marked) or by typing its number. The duplicate then
follows the main ticket and closes with it (``console.operations.tickets.merge``).
Enter confirms, Esc cancels; ``QDialog.open()``, no nested event loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import OPEN_STATES, Ticket
from localdb import repo, repo_devices

if TYPE_CHECKING:
    from console.qt.context import AppContext

#: where and how recent a main ticket is looked for
NEAR_M, RECENT_DAYS = 300.0, 7


class MergeDialog(QDialog):
    #: {"main_id": ..., "note": ...}
    sig_params = Signal(dict)

    def __init__(self, ctx: AppContext, ticket: Ticket, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("merge_dialog")
        self.ctx = ctx
        self.ticket = ticket
        self.setWindowTitle(self.tr("Merge %1 into a main ticket").replace("%1", ticket.number or ticket.id[:8]))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Open tickets within 300 m in the last 7 days (same category first):"), self))
        self.list = QListWidget(self)
        self.list.setObjectName("merge_candidates")
        for t in self.candidates():
            same = t.get("category_code") == ticket.category_code
            text = (f"{t.get('number') or t['id'][:8]} · {t.get('category_name', '')} · {t.get('address', '')}"
                    f" · {int(t.get('distance_m', 0))} m")
            item = QListWidgetItem(self.tr("%1 (same category)").replace("%1", text) if same else text)
            item.setData(Qt.ItemDataRole.UserRole, t["id"])
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _i: self._confirm())
        lay.addWidget(self.list, 1)
        self.number = QLineEdit(self)
        self.number.setObjectName("merge_number")
        self.number.setPlaceholderText(self.tr("…or type the main ticket's number"))
        lay.addWidget(self.number)
        self.note = QLineEdit(self)
        self.note.setObjectName("merge_note")
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        lay.addWidget(self.note)
        self.error = QLabel(self)
        self.error.setObjectName("merge_error")
        self.error.setStyleSheet("color: #c62828")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Merge"))
        buttons.accepted.connect(self._confirm)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.list.setFocus()

    def candidates(self) -> list[dict[str, Any]]:
        """Open, not merged, not this one; the same category first, then the nearest."""
        t = self.ticket
        if t.lat is None or t.lon is None:
            return []
        now = float(self.ctx.clock())
        open_states = {s.value for s in OPEN_STATES}
        with self.ctx.store.session() as s:
            rows = repo.nearby_tickets(s, t.lat, t.lon, NEAR_M, since=now - RECENT_DAYS * 86400, limit=200)
            merged = repo.merged_ids(s, [r["id"] for r in rows])
        rows = [r for r in rows if r["id"] != t.id and r["state"] in open_states and r["id"] not in merged]
        rows.sort(key=lambda r: (r.get("category_code") != t.category_code, r["distance_m"]))
        return rows[:50]

    def main_id(self) -> str | None:
        typed = self.number.text().strip()
        if typed:
            with self.ctx.store.session() as s:
                return repo_devices.ticket_id_by_number(s, typed)
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _confirm(self) -> None:
        main = self.main_id()
        if not main:
            self.error.setText(self.tr("No such ticket in the local store") if self.number.text().strip()
                               else self.tr("Pick the main ticket or type its number"))
            return
        params: dict[str, Any] = {"main_id": main}
        if self.note.text().strip():
            params["note"] = self.note.text().strip()
        self.sig_params.emit(params)
        self.accept()
