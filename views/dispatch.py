"""Dispatch dialog (派遣): choose the department, or send to the commander (领导派单).

The department responsible for the ticket's category in its grid cell (the
responsibility matrix) is suggested and preselected; every department shows its
current open load so that the officer can see who is overloaded. Enter dispatches to
the selected department: dispatching works from the keyboard alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain.model import Ticket
from localdb import repo

if TYPE_CHECKING:
    from console.qt.context import AppContext


class DispatchDialog(QDialog):
    #: department_id — dispatch the ticket(s) to this department
    sig_dispatch = Signal(str)
    #: reason — send the ticket(s) to the commander's inbox instead
    sig_leader_dispatch = Signal(str)

    def __init__(self, ctx: AppContext, tickets: Sequence[Ticket], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatch_dialog")
        self.ctx = ctx
        self.tickets = list(tickets)
        first = self.tickets[0]
        if len(self.tickets) == 1:
            self.setWindowTitle(self.tr("Dispatch %1").replace("%1", first.number or first.id[:8]))
        else:
            self.setWindowTitle(self.tr("Dispatch %1 tickets").replace("%1", str(len(self.tickets))))
        with ctx.store.session() as s:
            deps = repo.departments(s, with_load=True)
            self.suggested = repo.suggested_department(s, first.category_code, dict(first.grids))
        lay = QVBoxLayout(self)
        info = QLabel(f"{first.category_name} · {first.address}")
        info.setWordWrap(True)
        lay.addWidget(info)
        lay.addWidget(QLabel(self.tr("Department (suggested by the responsibility matrix):")))
        self.list = QListWidget()
        self.list.setObjectName("departments")
        for d in deps:
            text = self.tr("%1 — %2 open").replace("%1", d["name"]).replace("%2", str(d.get("open_load", 0)))
            if d["id"] == self.suggested:
                text = self.tr("%1 (suggested)").replace("%1", text)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, d["id"])
            if d["id"] == self.suggested:
                f = QFont(item.font())
                f.setBold(True)
                item.setFont(f)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _i: self._on_dispatch_clicked())
        lay.addWidget(self.list)
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == self.suggested:
                self.list.setCurrentRow(row)
                break
        else:
            if self.list.count():
                self.list.setCurrentRow(0)
        self.reason = QLineEdit()
        self.reason.setObjectName("leader_reason")
        self.reason.setPlaceholderText(self.tr("Reason for the commander (leader dispatch)"))
        lay.addWidget(self.reason)
        self.buttons = QDialogButtonBox()
        self.dispatch_button = self.buttons.addButton(self.tr("Dispatch"),
                                                      QDialogButtonBox.ButtonRole.AcceptRole)
        self.dispatch_button.setObjectName("dispatch_button")
        self.leader_button: QPushButton = self.buttons.addButton(
            self.tr("Leader dispatch"), QDialogButtonBox.ButtonRole.ActionRole)
        self.leader_button.setObjectName("leader_button")
        self.leader_button.setToolTip(self.tr("Send to the commander's inbox to decide"))
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.dispatch_button.setDefault(True)
        self.dispatch_button.clicked.connect(self._on_dispatch_clicked)
        self.leader_button.clicked.connect(self._on_leader_clicked)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.list.setFocus()

    def selected_department(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _on_dispatch_clicked(self) -> None:
        dep = self.selected_department()
        if not dep:
            return
        self.sig_dispatch.emit(dep)
        self.accept()

    def _on_leader_clicked(self) -> None:
        self.sig_leader_dispatch.emit(self.reason.text().strip())
        self.accept()
