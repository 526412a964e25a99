"""The commander's decision dialog (指挥长批示): instruct, approve or deny an extension."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from console.domain import lifecycle
from console.domain.model import Action, Actor, Ticket, TicketState


class DecisionDialog(QDialog):
    """Choose the decision; only the choices the lifecycle allows are enabled."""

    def __init__(self, ticket: Ticket, actor: Actor, departments: dict[str, str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Commander's decision"))
        self.ticket = ticket
        lay = QVBoxLayout(self)
        head = QLabel(f"<b>{ticket.number or ticket.id[:8]}</b> {ticket.category_name} · {ticket.address}<br>"
                      f"{ticket.description}", self)
        head.setWordWrap(True)
        lay.addWidget(head)
        if ticket.extension_request:
            req = ticket.extension_request
            lay.addWidget(QLabel(self.tr("Extension requested: %1 h — %2")
                                 .replace("%1", f"{req.get('hours', 0):g}").replace("%2", str(req.get("reason", ""))),
                                 self))
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        choices = (("instruct", Action.INSTRUCT, self.tr("Instruction (批示)")),
                   ("approve_extension", Action.APPROVE_EXTENSION, self.tr("Approve the extension")),
                   ("deny_extension", Action.DENY_EXTENSION, self.tr("Deny the extension")))
        for key, action, text in choices:
            rb = QRadioButton(text, self)
            rb.setObjectName(f"decision_{key}")
            why = lifecycle.why_not(ticket, action, actor)
            rb.setEnabled(why is None)
            if why:
                rb.setToolTip(why)
            self.group.addButton(rb)
            self.buttons[key] = rb
            lay.addWidget(rb)
        first = next((b for b in self.buttons.values() if b.isEnabled()), None)
        if first is not None:
            first.setChecked(True)
        form = QFormLayout()
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("decision_text")
        self.text.setPlaceholderText(self.tr("Instruction, note or reason"))
        self.text.setMaximumHeight(90)
        form.addRow(self.tr("Text"), self.text)
        self.department = QComboBox(self)
        self.department.addItem(self.tr("(no dispatch)"), None)
        for did, name in sorted(departments.items(), key=lambda kv: kv[1]):
            self.department.addItem(name, did)
        self.department.setEnabled(ticket.state == TicketState.REGISTERED)
        self.department.setToolTip(self.tr("Dispatch with the instruction (registered tickets only)"))
        form.addRow(self.tr("Dispatch to"), self.department)
        lay.addLayout(form)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        box.accepted.connect(self._on_accepted)
        box.rejected.connect(self.reject)
        self.ok = box.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setEnabled(first is not None)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        lay.addWidget(self.error)
        lay.addWidget(box)

    def decision(self) -> dict[str, Any]:
        key = next((k for k, b in self.buttons.items() if b.isChecked()), "instruct")
        return {"decision": key, "text": self.text.toPlainText().strip(),
                "department_id": self.department.currentData() if key == "instruct" else None}

    def _on_accepted(self) -> None:
        d = self.decision()
        if d["decision"] == "instruct" and not d["text"]:
            self.error.setText(self.tr("An instruction needs its text."))
            return
        self.accept()
