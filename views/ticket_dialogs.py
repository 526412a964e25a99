"""Small parameter dialogs of the ticket actions (reason, note, extension, verify, photo).

Each dialog validates at the field (the error shows under the field, nothing is sent)
and emits ``sig_params(dict)`` with the verb's parameters when the officer confirms.
Opened with ``QDialog.open()``: no nested event loop.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QCoreApplication, QIODevice, Qt, Signal
from PySide6.QtGui import QImageReader
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from console.domain import category_rules, joint, lifecycle, urge_levels
from console.domain.model import Ticket
from views import queue_labels as L

if TYPE_CHECKING:
    from console.qt.context import AppContext

MAX_TEXT = 2000
MAX_PHOTO_BYTES = 10 * 1024 * 1024


def error_label() -> QLabel:
    lab = QLabel()
    lab.setObjectName("field_error")
    lab.setStyleSheet("color: #c62828;")
    lab.setWordWrap(True)
    lab.hide()
    return lab


def show_error(lab: QLabel, text: str | None) -> None:
    lab.setText(text or "")
    lab.setVisible(bool(text))


def check_image(path: str) -> str | None:
    """None if ``path`` is a readable image of at most 10 MB, else the reason."""
    p = Path(path)
    if not path or not p.is_file():
        return QCoreApplication.translate("TicketDialogs", "Choose a photo file")
    if p.stat().st_size > MAX_PHOTO_BYTES:
        return QCoreApplication.translate("TicketDialogs", "The photo is larger than 10 MB")
    reader = QImageReader(str(p))
    if not reader.canRead():
        return QCoreApplication.translate("TicketDialogs", "This file is not an image Qt can read")
    size = reader.size()
    if size.isValid() and (size.width() <= 0 or size.height() <= 0):
        return QCoreApplication.translate("TicketDialogs", "This file is not an image Qt can read")
    return None




def png_bytes(path: str) -> bytes | None:
    """The photo re-encoded as PNG (the attachment store keeps PNG; EXIF rotation applied)."""
    reader = QImageReader(path)
    reader.setAutoTransform(True)
    image = reader.read()
    if image.isNull():
        return None
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(buf.data())


class ParamsDialog(QDialog):
    """Reason / note / extension / verify / photo, by ``kind``."""

    #: dict of the verb's parameters
    sig_params = Signal(dict)

    def __init__(self, kind: str, action: str, ctx: AppContext, ticket: Ticket | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.ctx = ctx
        self.ticket = ticket
        self.setObjectName(f"params_{action}")
        title = L.action_label(action)
        if ticket is not None:
            title = f"{title} — {ticket.number or ticket.id[:8]}"
        self.setWindowTitle(title)
        lay = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setObjectName("decision_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        if action in ("approve_extension", "deny_extension") and ticket is not None:
            # a decision shows what it decides: the hours, the reason, who asked, when
            self.summary.setText(extension_summary(ctx, ticket, action))
            lay.addWidget(self.summary)
        form = QFormLayout()
        lay.addLayout(form)
        self.text = QPlainTextEdit()
        self.text.setObjectName("text")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(80)
        self.text_error = error_label()
        self.hours = QDoubleSpinBox()
        self.hours.setObjectName("hours")
        self.hours.setRange(0, 720)
        self.hours.setValue(24)
        self.hours.setSuffix(self.tr(" h"))
        self.hours_error = error_label()
        self.passed = QRadioButton(self.tr("Passed"))
        self.failed = QRadioButton(self.tr("Not passed (back to the department)"))
        self.passed.setChecked(True)
        self.photo = QLineEdit()
        self.photo.setObjectName("photo")
        self.photo.setPlaceholderText(self.tr("Photo file (JPEG/PNG, at most 10 MB)"))
        self.photo_error = error_label()
        if kind == "verify":
            group = QButtonGroup(self)
            group.addButton(self.passed)
            group.addButton(self.failed)
            box = QVBoxLayout()
            box.addWidget(self.passed)
            box.addWidget(self.failed)
            form.addRow(self.tr("Result"), box)
            # 结案标准: each item of the category's closure standard is confirmed by a tick
            self.standard = self._closure_standard()
            self.standard_checks: list[QCheckBox] = []
            std_box = QVBoxLayout()
            for i, item in enumerate(self.standard or ()):
                check = QCheckBox(item)
                check.setObjectName(f"closure_item_{i}")
                self.standard_checks.append(check)
                std_box.addWidget(check)
            self.standard_error = error_label()
            self.standard_error.setObjectName("closure_error")
            if self.standard_checks:
                form.addRow(self.tr("Closure standard"), std_box)
                form.addRow("", self.standard_error)
        if kind == "urge":  # 督办: plain, or at a level (街道/区级) with its target
            self.urge_level = QComboBox()
            self.urge_level.setObjectName("urge_level")
            self.urge_level.addItem(self.tr("Plain"), None)
            self.urge_level.addItem(self.tr("Street level"), "street")
            self.urge_level.addItem(self.tr("District level"), "district")
            self.urge_target = QLineEdit()
            self.urge_target.setObjectName("urge_target")
            self.urge_error = error_label()
            form.addRow(self.tr("Level"), self.urge_level)
            form.addRow(self.tr("Urge whom"), self.urge_target)
            form.addRow("", self.urge_error)
        self.reason_required = False
        if kind == "release_co":  # 解除协办: which co-handler (those still owing feedback), and why
            self.co_handler = QComboBox()
            self.co_handler.setObjectName("co_handler")
            for dep, name in self._pending_co_handlers():
                self.co_handler.addItem(f"{name}（{dep}）" if name != dep else dep, dep)
            self.co_error = error_label()
            self.co_error.setObjectName("release_error")
            form.addRow(self.tr("Co-handler to release"), self.co_handler)
            form.addRow("", self.co_error)
            self.reason_required = ticket is not None and "reason" in lifecycle.required_params(ticket, action)
        if kind == "extension":
            form.addRow(self.tr("Extra time"), self.hours)
            form.addRow("", self.hours_error)
        if kind == "photo":
            row = QHBoxLayout()
            row.addWidget(self.photo, 1)
            browse = QPushButton(self.tr("Browse…"))
            browse.clicked.connect(self._on_browse_clicked)
            row.addWidget(browse)
            form.addRow(self.tr("Site photo"), row)
            form.addRow("", self.photo_error)
        text_label = {
            "reason": self.tr("Reason"), "reason_optional": self.tr("Reason (optional)"),
            "note_optional": self.tr("Note (optional)"),
            "extension": self.tr("Reason"), "note": self.tr("Note"), "verify": self.tr("Note"),
            "photo": self.tr("What was done"),
            "release_co": self.tr("Reason") if self.reason_required else self.tr("Reason (optional)"),
        }.get(kind, self.tr("Note"))
        form.addRow(text_label, self.text)
        form.addRow("", self.text_error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(L.action_label(action))
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.buttons = buttons

    def _closure_standard(self) -> list[str] | None:
        if self.ticket is None:
            return None
        from localdb import repo
        with self.ctx.store.session() as s:
            return repo.category_closure_standard(s, self.ticket.category_kind.value,
                                                  self.ticket.category_code)

    def _pending_co_handlers(self) -> list[tuple[str, str]]:
        """(department id, name) of the ticket's co-handlers still owing their feedback."""
        if self.ticket is None:
            return []
        from localdb import repo_queue as rq
        with self.ctx.store.session() as s:
            names = rq.department_names(s)
        return [(d, names.get(d, d)) for d in joint.pending(self.ticket)]

    def _release_refusal(self, params: dict[str, Any]) -> str | None:
        """The domain's answer to this release on the ticket as it is in the store now (a
        co-handler may have answered since the form opened), or None if it would be done."""
        from localdb import repo
        if self.ticket is None:
            return None
        with self.ctx.store.session() as s:
            current = repo.get_ticket(s, self.ticket.id) or self.ticket
        return lifecycle.refusal(current, "release_co", self.ctx.actor, params, float(self.ctx.clock()))

    def ticked(self) -> list[str]:
        return [c.text() for c in self.standard_checks if c.isChecked()]

    def _on_browse_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the site photo"), "",
            self.tr("Images (*.jpg *.jpeg *.png *.bmp *.webp)"))
        if path:
            self.photo.setText(path)
            show_error(self.photo_error, check_image(path))

    def validate(self) -> dict[str, Any] | None:
        ok = True
        text = self.text.toPlainText().strip()
        err = None
        if self.kind in ("reason", "note", "extension") and not text:
            err = self.tr("This field is required")
        elif len(text) > MAX_TEXT:
            err = self.tr("At most 2000 characters")
        show_error(self.text_error, err)
        ok &= err is None
        params: dict[str, Any] = {}
        if self.kind == "extension":
            herr = None if self.hours.value() > 0 else self.tr("Enter the extra hours")
            show_error(self.hours_error, herr)
            ok &= herr is None
            params["hours"] = float(self.hours.value())
        if self.kind == "photo":
            perr = check_image(self.photo.text().strip())
            show_error(self.photo_error, perr)
            ok &= perr is None
            if perr is None:
                png = png_bytes(self.photo.text().strip())
                if png is None:
                    show_error(self.photo_error, self.tr("This file is not an image Qt can read"))
                    ok = False
                else:
                    params["photo_png"] = png
                    params["photo"] = hashlib.sha256(png).hexdigest()
        if self.kind == "urge":
            level, target = self.urge_level.currentData(), self.urge_target.text().strip() or None
            uerr = urge_levels.params_problem({"level": level, "target": target})
            show_error(self.urge_error, uerr)
            ok &= uerr is None
            params.update({k: v for k, v in (("level", level), ("target", target)) if v is not None})
        if self.kind == "verify":
            params["passed"] = self.passed.isChecked()
            refusal = category_rules.closure_refusal(
                self.ticket.category_name if self.ticket else "", self.standard,
                params["passed"], self.ticked())
            show_error(self.standard_error, refusal.message if refusal else None)
            ok &= refusal is None
            if self.standard_checks and params["passed"]:
                params["checked"] = self.ticked()
        if text:
            key = {"note": "text", "verify": "note", "photo": "result", "urge": "note",
                   "note_optional": "note"}.get(self.kind, "reason")
            params[key] = text
        if self.kind == "release_co" and ok:
            params["department_id"] = self.co_handler.currentData()
            rerr = self._release_refusal(params)
            show_error(self.co_error, rerr)
            ok &= rerr is None
        return params if ok else None

    def _on_ok_clicked(self) -> None:
        params = self.validate()
        if params is None:
            return
        self.sig_params.emit(params)
        self.accept()


def extension_summary(ctx: AppContext, ticket: Ticket, action: str) -> str:
    """What approving (or denying) the ticket's extension request decides, in words."""
    from console.domain import formatting
    from console.qt.i18n import ui_language
    from localdb import repo_queue as rq

    req = ticket.extension_request or {}
    with ctx.store.session() as s:
        names = rq.department_names(s)
    by = str(req.get("by") or "")
    who = names.get(by, by) or "—"
    hours = formatting.format_number(req.get("hours"), 1).removesuffix(".0")
    lines = [
        QCoreApplication.translate("TicketDialogs", "Ticket %1 · %2").replace("%1", ticket.number or ticket.id[:8])
        .replace("%2", ticket.category_name),
        QCoreApplication.translate("TicketDialogs", "Extra time asked: %1 h").replace("%1", hours),
        QCoreApplication.translate("TicketDialogs", "Reason: %1").replace("%1", str(req.get("reason") or "—")),
        QCoreApplication.translate("TicketDialogs", "Asked by: %1, %2").replace("%1", who)
        .replace("%2", formatting.format_epoch(req.get("at"), "%m-%d %H:%M")),
    ]
    if ticket.deadline is not None:
        left = formatting.format_time_left(ticket.deadline - float(ctx.clock()), ui_language())
        lines.append(QCoreApplication.translate("TicketDialogs", "Deadline now: %1 (%2)").replace(
            "%1", formatting.format_epoch(ticket.deadline, "%m-%d %H:%M")).replace("%2", left))
    if action == "approve_extension":
        lines.append(QCoreApplication.translate("TicketDialogs", "Approve: the deadline moves %1 h later.").replace("%1", hours))
    else:
        lines.append(QCoreApplication.translate("TicketDialogs", "Deny: the deadline stays; the department is told."))
    return "\n".join(lines)


def params_dialog(kind: str, action: str, ctx: AppContext, ticket: Ticket | None,
                  parent: QWidget | None = None) -> ParamsDialog:
    d = ParamsDialog(kind, action, ctx, ticket, parent)
    d.setWindowModality(Qt.WindowModality.WindowModal)
    return d
