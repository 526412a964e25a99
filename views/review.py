"""Second review (双审): a second officer confirms the closure with their own id and PIN.

The PIN is checked by ``console.operations.auth.verify`` (wrong PINs count towards the
lockout and are audited); the reviewer must differ from the officer who verified the
ticket and hold a role the lifecycle allows for 双审. The action then runs as that
officer, signed with their key.
"""

from __future__ import annotations

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
from console.domain.model import Actor, Ticket
from console.operations.auth import AuthRefused
from console.qt import duty
from console.qt.auth_text import refusal_text
from views.ticket_dialogs import error_label, show_error

if TYPE_CHECKING:
    from console.qt.context import AppContext


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
        try:
            actor = duty.authenticate(self.ctx.store, uid, pin,
                                      getattr(self.ctx.actor, "workstation", ""),
                                      lockout=duty.lockout_from(self.ctx.settings),
                                      purpose="second_review")
        except AuthRefused as exc:
            target = self.user_error if exc.code == "unknown_user" else self.pin_error
            show_error(target, self.tr("Unknown officer id") if exc.code == "unknown_user"
                       else refusal_text(exc))
            return None
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
