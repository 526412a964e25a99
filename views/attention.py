"""Failed sync actions (同步失败待处理; once 需处理): actions the district platform refused.

Each row says what the officer had done (verb, parameters, when, who) and why the
platform refused it (conflict: the ticket moved on; rejected: not allowed). The
officer redoes it on the ticket as it is now (a new command) or discards it
(audited). Both run on the writer thread; the list follows the journal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.operations import sync_actions
from localdb import repo_queue as rq
from views import queue_labels as L
from views.ticket_detail import fmt_time

if TYPE_CHECKING:
    from console.qt.context import AppContext


def describe_params(params: dict[str, Any]) -> str:
    return "; ".join(f"{k}: {v}" for k, v in (params or {}).items()
                     if v not in (None, "") and k not in ("ticket", "photo"))


class AttentionList(QWidget):
    #: ticket_id — open this ticket in the queue
    sig_open_ticket = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attention_list")
        self.ctx = ctx
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self.empty = QLabel(self.tr("Nothing needs attention: every action reached the platform."))
        lay.addWidget(self.empty)
        self.tree = QTreeWidget()
        self.tree.setObjectName("attention_tree")
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([self.tr("When"), self.tr("Ticket"), self.tr("What you did"),
                                   self.tr("By"), self.tr("Why it failed")])
        self.tree.itemActivated.connect(self._on_item_activated)
        lay.addWidget(self.tree, 1)
        row = QHBoxLayout()
        self.redo_button = QPushButton(self.tr("Redo on the current ticket"))
        self.redo_button.setObjectName("redo_button")
        self.discard_button = QPushButton(self.tr("Discard"))
        self.discard_button.setObjectName("discard_button")
        self.open_button = QPushButton(self.tr("Open ticket"))
        self.redo_button.clicked.connect(self._on_redo_clicked)
        self.discard_button.clicked.connect(self._on_discard_clicked)
        self.open_button.clicked.connect(self._on_open_clicked)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        for b in (self.redo_button, self.discard_button, self.open_button):
            row.addWidget(b)
        row.addStretch(1)
        lay.addLayout(row)
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_journal_changed)
        self.reload()

    def entries(self) -> list[dict[str, Any]]:
        with self.ctx.store.session() as s:
            rows = sync_actions.needs_attention(s)
            info = {r["command_id"]: r for r in rq.needs_attention(s)}
        for r in rows:
            extra = info.get(r["command_id"], {})
            r["number"] = extra.get("number")
            r["category_name"] = extra.get("category_name")
        return rows

    def reload(self) -> None:
        current = self.current_command()
        self.tree.clear()
        rows = self.entries()
        duty_kinds = {"handover": self.tr("Shift handover"), "roster": self.tr("Roster change"),
                      "emergency": self.tr("Emergency"), "emergency_item": self.tr("Emergency checklist"),
                      "duty_log": self.tr("Duty log entry")}
        for e in rows:
            actor = e.get("actor") or {}
            is_duty = e.get("verb") == "duty_record"
            if is_duty:
                # Not a ticket: a duty record (handover, roster, ...) sent to the platform.
                kind = (e.get("params") or {}).get("kind") or (e.get("ticket_id") or "").split(":")[0]
                what = self.tr("Report to the platform: %1").replace("%1", duty_kinds.get(kind, kind))
                e["ticket_id"], e["number"] = None, self.tr("Duty record")
            else:
                what = L.action_label(e.get("verb"))
                if params := describe_params(e.get("params") or {}):
                    what = f"{what} ({params})"
            code = {"version_conflict": self.tr("The ticket changed on the platform"),
                    "conflict": self.tr("The ticket changed on the platform"),
                    "platform_error": self.tr("The platform failed on this action several times; "
                                              "the actions after it went on"),
                    "idempotency_key_reused": self.tr("The platform already has a different action "
                                                      "under this number"),
                    "invalid_param": self.tr("The platform refused a value of this action"),
                    "unsendable_value": self.tr("The action holds a value that cannot be sent; "
                                                "it was set aside"),
                    # who acted: the platform checks the person an action names
                    "unknown_actor": self.tr("Refused: the platform has no account for the person "
                                             "this action names"),
                    "role_mismatch": self.tr("Refused: the person this action names does not hold "
                                             "that role"),
                    "bad_signature": self.tr("Refused: the signature does not match the person this "
                                             "action names (changed, or sent in someone else's name)"),
                    "unsigned": self.tr("Refused: the action carries no signature of its officer"),
                    "not_logged_in": self.tr("Refused: the officer was not logged in at this desk"),
                    "actor_disabled": self.tr("Refused: the account is disabled on the platform")}.get(
                        e.get("result_code") or "", "")
            why = " — ".join(x for x in (code, e.get("reason") or "", e.get("result_code") or "") if x)
            ticket = e.get("number") or (e.get("ticket_id") or "")[:8]
            if e.get("category_name"):
                ticket = f"{ticket} · {e['category_name']}"
            item = QTreeWidgetItem([fmt_time(e.get("issued_at")), ticket, what,
                                    actor.get("name") or actor.get("user_id") or "", why])
            item.setData(0, Qt.ItemDataRole.UserRole, e["command_id"])
            item.setData(0, Qt.ItemDataRole.UserRole + 1, e.get("ticket_id"))
            item.setToolTip(4, why)
            self.tree.addTopLevelItem(item)
            if e["command_id"] == current:
                self.tree.setCurrentItem(item)
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        for c in range(4):
            self.tree.resizeColumnToContents(c)
        self.empty.setVisible(not rows)
        for b in (self.redo_button, self.discard_button, self.open_button):
            b.setEnabled(bool(rows))
        self._on_current_changed()

    def _on_current_changed(self, *_args: Any) -> None:
        item = self.tree.currentItem()
        self.open_button.setEnabled(item is not None and bool(item.data(0, Qt.ItemDataRole.UserRole + 1)))

    def current_command(self) -> str | None:
        item = self.tree.currentItem() if hasattr(self, "tree") else None
        return None if item is None else item.data(0, Qt.ItemDataRole.UserRole)

    def _on_journal_changed(self, changed: dict) -> None:
        if changed.get("outbox") or changed.get("ticket"):
            self.reload()

    def _on_redo_clicked(self) -> None:
        cid = self.current_command()
        if cid:
            self.ctx.run_action(sync_actions.redo, cid, float(self.ctx.clock()),
                                on_done=lambda _r: self.reload(), on_error=lambda _e: self.reload())

    def _on_discard_clicked(self) -> None:
        cid = self.current_command()
        if cid:
            self.ctx.run_action(sync_actions.discard, cid, float(self.ctx.clock()),
                                on_done=lambda _r: self.reload(), on_error=lambda _e: self.reload())

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if ticket_id := item.data(0, Qt.ItemDataRole.UserRole + 1):
            self.sig_open_ticket.emit(ticket_id)

    def _on_open_clicked(self) -> None:
        item = self.tree.currentItem()
        if item is not None:
            self._on_item_activated(item, 0)


class AttentionDialog(QDialog):
    #: ticket_id — open this ticket in the queue
    sig_open_ticket = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attention_dialog")
        self.setWindowTitle(self.tr("Failed sync actions"))
        self.resize(860, 360)
        lay = QVBoxLayout(self)
        self.list = AttentionList(ctx, self)
        self.list.sig_open_ticket.connect(self.sig_open_ticket)
        lay.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
