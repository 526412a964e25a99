"""Open supervision alerts (警示提醒) on the commander panel: the alerts nobody has
acknowledged yet, with the level each has climbed to, and an acknowledge key.

A timer (every 0.25 s) runs the desk's incremental scan (``console.operations.supervision.Scanner``:
raise, escalate, remind; a few index reads when nothing happened) off the UI thread, one at a time; a reminder addressed to this desk's role (or to a role below it that
nobody answered) makes a toast with sound. Acknowledging writes through the store, so
in hall mode the alert disappears from every desk at the next journal report; in desk
mode (SQLite) its ``alert_ack`` duty record goes through the platform's feed to the other
desks (kept in the outbox while the link is down) and arrives there as a journal report too."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import settings as S
from console.domain import supervision as SV
from console.domain.roster import SHANGHAI
from console.operations import supervision as ops
from console.qt.context import AppContext
from localdb import repo_supervision as repo

#: how often the desk scans for crossings and due reminders (ms): a scan with nothing to do only reads
#: (index range scans since the previous scan and one aggregate), so the desk speaks up well within a second
SCAN_MS = 250
#: rows the list shows at most (the count says how many wait in all)
SHOWN = 300
#: more reminders than this in one scan make one counting notice instead of a toast each
TOASTS_PER_SCAN = 3


class SupervisionAlertsView(QWidget):
    COLUMNS = ("Raised", "Ticket", "Alert", "Reached", "Reminders")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None,
                 policy: SV.Policy | None = None, scan_ms: int = SCAN_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.policy = policy or SV.Policy(hall_lead_s=ctx.settings.warning_lead_s)
        self.rows: list[dict[str, Any]] = []
        self.scanner = ops.Scanner(self.policy)
        self._scanning = False
        # the backlog notice's running count by kind, and when it was last shown (monotonic)
        self._backlog: dict[str, int] = {}
        self._backlog_at = float("-inf")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("supervision_alerts")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        lay.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.count = QLabel(self)
        self.count.setObjectName("supervision_count")
        bar.addWidget(self.count, 1)
        self.ack_button = QPushButton(self.tr("Acknowledge (A)"), self)
        self.ack_button.setObjectName("supervision_ack")
        self.ack_button.clicked.connect(self.acknowledge_selected)
        bar.addWidget(self.ack_button)
        lay.addLayout(bar)
        self.table.installEventFilter(self)  # the acknowledge key A while the list has focus
        self.timer = QTimer(self)
        self.timer.setInterval(scan_ms)
        self.timer.timeout.connect(self.scan)
        if scan_ms > 0:
            self.timer.start()
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_store_changed)
        self.reload()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt name
        if obj is self.table and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_A \
                and not event.modifiers():
            self.acknowledge_selected()
            return True
        return super().eventFilter(obj, event)

    # -- data ------------------------------------------------------------------------------------
    def _on_store_changed(self, changed: dict) -> None:
        if "alert" in changed:
            self.reload()

    def reload(self) -> None:
        with self.ctx.store.session() as s:
            self.total = repo.count_unacknowledged(s)
            # newest first; a hall drowning in backlog still sees what just happened
            self.rows = repo.unacknowledged(s, newest=SHOWN)
        self.table.setRowCount(len(self.rows))
        for i, a in enumerate(self.rows):
            when = dt.datetime.fromtimestamp(float(a["raised_at"]), SHANGHAI).strftime("%m-%d %H:%M")
            role = self.policy.chain[min(int(a["level"]), len(self.policy.chain) - 1)]
            cells = (when, a.get("number") or a["ticket_id"], SV.KIND_ZH.get(a["kind"], a["kind"]),
                     ops.ROLE_ZH.get(role, role), str(a["reminders"]))
            for j, c in enumerate(cells):
                item = QTableWidgetItem(str(c))
                item.setData(Qt.ItemDataRole.UserRole, a["id"])
                self.table.setItem(i, j, item)
        self.count.setText(self.tr("%1 alert(s) waiting for acknowledgement").replace("%1", str(self.total)))
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.ack_button.setEnabled(self.ctx.actor is not None and self.table.currentRow() >= 0 and bool(self.rows))

    # -- scan and reminders ---------------------------------------------------------------------
    def scan(self) -> None:
        if self.ctx.actor is None or self._scanning:
            return  # one scan at a time: the scanner remembers where the previous one got to
        self._scanning = True
        self.ctx.tasks.run(self.scanner.scan, self.ctx.store, self.ctx.actor, float(self.ctx.clock()),
                           on_done=self._on_scanned, on_error=self._on_scan_failed, write=True)

    def _on_scan_failed(self, exc: BaseException) -> None:
        self._scanning = False
        self.ctx.notify.error(str(exc))

    def _mine(self, role: str) -> bool:
        """A reminder addressed to this desk's role, or to one below it on the chain."""
        me = str(getattr(self.ctx.actor, "role", ""))
        chain = self.policy.chain
        return me in chain and role in chain and chain.index(role) <= chain.index(me)

    def _on_scanned(self, res: ops.ScanResult) -> None:
        self._scanning = False
        mine = [r for r in res.reminders if self._mine(r["role"])]
        if len(mine) > TOASTS_PER_SCAN:
            # a backlog (a desk starting on a busy street, a feed catching up): one notice
            # that counts them, updated while it is on screen, not a stack of toasts over
            # the panels; the list below has them all
            now = time.monotonic()
            if now - self._backlog_at > float(self.ctx.settings.get(S.TOAST_SECONDS)):
                self._backlog = {}
            self._backlog_at = now
            for r in mine:
                self._backlog[r["kind"]] = self._backlog.get(r["kind"], 0) + 1
            kinds = "，".join(f"{SV.KIND_ZH.get(k, k)} {n}"
                             for k, n in sorted(self._backlog.items(), key=lambda kv: -kv[1]))
            total = sum(self._backlog.values())
            self.ctx.notify.toast(self.tr("%1 alerts waiting for acknowledgement").replace("%1", str(total)),
                                  self.tr("%1 — see the alerts list").replace("%1", kinds), True,
                                  key="supervision-backlog")
        else:
            for r in mine:
                self.ctx.notify.toast(self.tr("Alert: %1").replace("%1", SV.KIND_ZH.get(r["kind"], r["kind"])),
                                      SV.describe(r["kind"], r.get("number"), r["ticket_id"]), True)
        if res.raised or res.reminders:
            self.reload()

    # -- acknowledge ----------------------------------------------------------------------------
    def acknowledge_selected(self) -> None:
        row = self.table.currentRow()
        if self.ctx.actor is None or not 0 <= row < len(self.rows):
            return
        self.acknowledge(self.rows[row]["id"])

    def acknowledge(self, alert_id: str, note: str = "") -> None:
        self.ctx.run_action(ops.acknowledge, alert_id, float(self.ctx.clock()), note,
                            on_done=lambda _a: self.reload(), on_error=lambda _e: self.reload())
