"""Shift handover (交接班): prepare, sign (outgoing), acknowledge (incoming), print, PDF.

The record is built by ``console.handover.build_record`` off the UI thread. Signing
and acknowledging ask for the person's OWN user id and PIN (``PinDialog``): the
workstation may be logged in as someone else. Everything is local, so it works
offline. Past handovers are listed and show the record as it was signed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from console import handover as H
from console.operations import commander as ops
from console.operations import duty_pattern
from localdb import repo
from localdb import repo_commander as rc

if TYPE_CHECKING:
    from console.qt.context import AppContext


class PinDialog(QDialog):
    """User id + PIN of the person who signs (checked by the operation, not here)."""

    def __init__(self, title: str, prompt: str, user_id: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(prompt, self))
        form = QFormLayout()
        self.user = QLineEdit(user_id, self)
        self.user.setObjectName("pin_user")
        self.pin = QLineEdit(self)
        self.pin.setObjectName("pin_pin")
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("User id"), self.user)
        form.addRow(self.tr("PIN"), self.pin)
        lay.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        (self.pin if user_id else self.user).setFocus()

    def credentials(self) -> tuple[str, str]:
        return self.user.text().strip(), self.pin.text()


class HandoverView(QWidget):
    #: the handover record shown changed (record dict)
    sig_record = Signal(dict)
    #: a handover was signed or acknowledged (handover id)
    sig_saved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.record: dict[str, Any] | None = None
        self.current: dict[str, Any] | None = None  # the stored handover shown, if any
        self._build()
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_store_changed)
        self.reload_history()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        bar = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setObjectName("handover_status")
        bar.addWidget(self.status, 1)
        self.prepare_button = QPushButton(self.tr("Prepare handover"), self)
        self.prepare_button.setObjectName("handover_prepare")
        self.prepare_button.clicked.connect(self.prepare)
        self.sign_button = QPushButton(self.tr("Sign (outgoing)…"), self)
        self.sign_button.setObjectName("handover_sign")
        self.sign_button.clicked.connect(self._on_sign_clicked)
        self.ack_button = QPushButton(self.tr("Acknowledge (incoming)…"), self)
        self.ack_button.setObjectName("handover_ack")
        self.ack_button.clicked.connect(self._on_ack_clicked)
        self.print_button = QPushButton(self.tr("Print…"), self)
        self.print_button.clicked.connect(self.print_record)
        self.pdf_button = QPushButton(self.tr("Export PDF…"), self)
        self.pdf_button.setObjectName("handover_pdf")
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        # Status on its own row so the panel fits under the map on a wall screen.
        lay.addLayout(bar)
        buttons = QHBoxLayout()
        for b in (self.prepare_button, self.sign_button, self.ack_button, self.print_button, self.pdf_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        lay.addLayout(buttons)
        split = QSplitter(self)
        left = QWidget(split)
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(QLabel(self.tr("Past handovers"), left))
        self.history = QListWidget(left)
        self.history.setObjectName("handover_history")
        self.history.currentItemChanged.connect(self._on_history_current_changed)
        ll.addWidget(self.history, 1)
        right = QWidget(split)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        self.preview = QTextBrowser(right)
        self.preview.setObjectName("handover_preview")
        rl.addWidget(self.preview, 1)
        self.notes = QPlainTextEdit(right)
        self.notes.setObjectName("handover_notes")
        self.notes.setPlaceholderText(self.tr("Notes for the incoming shift"))
        self.notes.setMaximumHeight(70)
        rl.addWidget(self.notes)
        split.setStretchFactor(1, 3)
        lay.addWidget(split, 1)
        self._update_buttons()

    # -- state ------------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        state = (self.current or {}).get("state")
        self.sign_button.setEnabled(self.record is not None and self.current is None)
        self.ack_button.setEnabled(state == "signed")
        has = self.record is not None
        self.print_button.setEnabled(has)
        self.pdf_button.setEnabled(has)
        self.notes.setReadOnly(self.current is not None)
        if self.record is None:
            self.status.setText(self.tr("No handover prepared"))
        else:
            head = f"{self.record['shift_date']} {self.record['shift_label']}"
            text = {None: self.tr("%1: draft, not signed"), "draft": self.tr("%1: draft, not signed"),
                    "signed": self.tr("%1: signed by the outgoing shift, waiting for acknowledgement"),
                    "acknowledged": self.tr("%1: handed over and acknowledged")}[state]
            self.status.setText(text.replace("%1", head))

    def _on_store_changed(self, changed: dict) -> None:
        if "handover" in changed:
            self.reload_history()
            if self.current is not None:
                self.show_handover(self.current["id"])

    def reload_history(self) -> None:
        with self.ctx.store.session() as s:
            rows = rc.handovers(s)
        current = self.current["id"] if self.current else None
        self.history.blockSignals(True)
        self.history.clear()
        states = {"draft": self.tr("draft"), "signed": self.tr("signed"), "acknowledged": self.tr("acknowledged")}
        for r in rows:
            item = QListWidgetItem(f"{r['shift_date']} {H.shift_label(r['shift'], duty_pattern.plan_of(self.ctx.store))}"
                                   f" · {states.get(r['state'], r['state'])}")
            item.setData(256, r["id"])
            self.history.addItem(item)
            if r["id"] == current:
                self.history.setCurrentItem(item)
        self.history.blockSignals(False)

    def _on_history_current_changed(self, item: QListWidgetItem | None, _prev: Any = None) -> None:
        if item is not None:
            self.show_handover(item.data(256))

    def show_handover(self, handover_id: str) -> None:
        with self.ctx.store.session() as s:
            h = rc.handover(s, handover_id)
            users = repo.users(s)
        if h is None:
            return
        self.current = h
        self.record = h["summary"]
        self.notes.setPlainText(h.get("notes") or "")
        self.preview.setHtml(H.render_html(self.record, h, users))
        self._update_buttons()
        self.sig_record.emit(self.record)

    # -- prepare -------------------------------------------------------------------------------
    def prepare(self, shift_date: str | None = None, shift: str | None = None) -> None:
        """Build the record of the ending shift (or the one given) off the UI thread."""
        now = float(self.ctx.clock())
        if shift_date is None or shift is None:
            shift_date, shift = H.handover_shift(now, duty_pattern.plan_of(self.ctx.store))
        with self.ctx.store.session() as s:
            existing = rc.handover_for_shift(s, shift_date, shift)
        if existing is not None:
            self.show_handover(existing["id"])
            return
        self.current = None
        self.ctx.tasks.run(H.build_record, self.ctx.store, now, shift_date=shift_date, shift=shift,
                           link_state=self.ctx.link.state, notes=self.notes.toPlainText(),
                           on_done=self._on_record_built,
                           on_error=lambda exc: self.ctx.notify.error(str(exc)))

    def _on_record_built(self, rec: dict[str, Any]) -> None:
        self.record = rec
        self.preview.setHtml(H.render_html(rec))
        self._update_buttons()
        self.sig_record.emit(rec)

    # -- sign / acknowledge ---------------------------------------------------------------------
    def _on_sign_clicked(self) -> None:
        if self.record is None:
            return
        leader = self.record["on_duty"].get("shift_leader_id", "")
        carry: dict[str, str] = {}
        for u in self.record.get("unresolved") or []:   # nothing unresolved goes unmentioned
            note, ok = QInputDialog.getText(
                self, self.tr("Carry over"),
                self.tr("Unresolved: %1 %2 (%3). Note for the incoming shift:")
                .replace("%1", u["number"] or "—").replace("%2", u["verb"]).replace("%3", u["reason"]))
            if not ok:
                return
            carry[u["command_id"]] = note
        dlg = PinDialog(self.tr("Sign the handover"),
                        self.tr("Outgoing shift leader: enter your own user id and PIN."), leader, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.sign(*dlg.credentials(), carry=carry)

    def sign(self, user_id: str, pin: str, carry: dict[str, str] | None = None) -> None:
        rec = dict(self.record or {})
        rec["notes"] = self.notes.toPlainText()
        self.ctx.run_action(ops.sign_handover_as, user_id, pin, rec["shift_date"], rec["shift"], rec,
                            float(self.ctx.clock()), rec["notes"], carry=carry, on_done=self._on_saved)

    def _on_ack_clicked(self) -> None:
        if self.current is None:
            return
        nxt = (self.record or {}).get("next_on_duty", {}).get("shift_leader_id", "")
        dlg = PinDialog(self.tr("Acknowledge the handover"),
                        self.tr("Incoming shift leader: enter your own user id and PIN."), nxt, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.acknowledge(*dlg.credentials())

    def acknowledge(self, user_id: str, pin: str) -> None:
        if self.current is None:
            return
        hid = self.current["id"]
        self.ctx.run_action(ops.acknowledge_handover_as, user_id, pin, hid, float(self.ctx.clock()),
                            on_done=lambda _u: self._on_saved(hid))

    def _on_saved(self, handover_id: str) -> None:
        self.show_handover(handover_id)
        self.reload_history()
        self.sig_saved.emit(handover_id)

    # -- print / PDF ----------------------------------------------------------------------------
    def document(self) -> QTextDocument:
        doc = QTextDocument(self)
        with self.ctx.store.session() as s:
            users = repo.users(s)
        doc.setHtml(H.render_html(self.record or {}, self.current, users) if self.record else "")
        return doc

    def print_record(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.record is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(printer, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.document().print_(printer)

    def _on_pdf_clicked(self) -> None:
        if self.record is None:
            return
        name = f"交接班_{self.record['shift_date']}_{self.record['shift']}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export handover as PDF"), str(Path.home() / name),
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.export_pdf(path)

    def export_pdf(self, path: str) -> None:
        with self.ctx.store.session() as s:
            users = repo.users(s)
        self.ctx.tasks.run(H.export_pdf, self.record, path, self.current, users,
                           on_done=lambda p: self.ctx.notify.info(self.tr("Saved %1").replace("%1", str(p))),
                           on_error=lambda exc: self.ctx.notify.error(str(exc)))

