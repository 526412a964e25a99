"""Second review (双审): a second officer confirms the closure with their own id and PIN.

The PIN is checked against the local ``users`` table (``pin_hash`` = sha256 hex of
"<id>:<pin>"); the reviewer must differ from the officer who verified the ticket and
hold a role the lifecycle allows for 双审. The action then runs as that officer.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from console.domain import lifecycle
from console.domain.model import Actor, Role, Ticket
from localdb import repo_queue as rq
from views.ticket_dialogs import error_label, show_error

if TYPE_CHECKING:
    from console.qt.context import AppContext


def pin_hash(user_id: str, pin: str) -> str:
    return hashlib.sha256(f"{user_id}:{pin}".encode()).hexdigest()


class SecondReviewDialog(QDialog):
    #: Actor — the second officer, whose PIN was checked
    sig_reviewer = Signal(object)

    def __init__(self, ctx: AppContext, ticket: Ticket, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_dialog")
        self.ctx = ctx
        self.ticket = ticket
        self.setWindowTitle(self.tr("Second review — %1").replace("%1", ticket.number or ticket.id[:8]))
        lay = QVBoxLayout(self)
        note = QLabel(self.tr("A second officer, not the one who verified the ticket (%1), "
                              "confirms with their own id and PIN.").replace("%1", ticket.verified_by or "—"))
        note.setWordWrap(True)
        lay.addWidget(note)
        form = QFormLayout()
        self.user = QLineEdit()
        self.user.setObjectName("reviewer_id")
        self.pin = QLineEdit()
        self.pin.setObjectName("reviewer_pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.user_error = error_label()
        self.pin_error = error_label()
        form.addRow(self.tr("Officer id"), self.user)
        form.addRow("", self.user_error)
        form.addRow(self.tr("PIN"), self.pin)
        form.addRow("", self.pin_error)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Confirm review"))
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def check(self) -> Actor | None:
        uid = self.user.text().strip()
        pin = self.pin.text()
        show_error(self.user_error, None)
        show_error(self.pin_error, None)
        if not uid:
            show_error(self.user_error, self.tr("Enter the second officer's id"))
            return None
        if uid == (self.ticket.verified_by or ""):
            show_error(self.user_error, self.tr("The second review must be done by someone other than the verifier"))
            return None
        with self.ctx.store.session() as s:
            u = rq.user(s, uid)
        if u is None:
            show_error(self.user_error, self.tr("Unknown officer id"))
            return None
        if not pin or not hmac.compare_digest(pin_hash(uid, pin), u["pin_hash"] or ""):
            show_error(self.pin_error, self.tr("Wrong PIN"))
            return None
        try:
            role = Role(u["role"])
        except ValueError:
            role = Role.OFFICER
        actor = Actor(user_id=uid, name=u["name"], role=role,
                      workstation=getattr(self.ctx.actor, "workstation", ""))
        reason = lifecycle.why_not(self.ticket, "second_review", actor)
        if reason:
            show_error(self.user_error, reason)
            return None
        return actor

    def _on_ok_clicked(self) -> None:
        actor = self.check()
        if actor is None:
            return
        self.sig_reviewer.emit(actor)
        self.accept()
