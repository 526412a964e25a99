"""The duty log (值班日志) of one shift: manual notes and automatic entries.

Automatic lines are written by the operations themselves (commander decisions,
emergencies, handover signatures, roster changes, link outages through
``commander.link_changed``); IoT alarms raised in the shift are merged in at read
time from the ``alarms`` table, so two workstations never log the same alarm twice.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain import roster as R
from console.domain.formatting import format_epoch
from console.operations import commander as ops
from console.operations import duty_pattern
from localdb import repo
from localdb import repo_commander as rc

if TYPE_CHECKING:
    from console.qt.context import AppContext

KINDS = {
    "note": QT_TRANSLATE_NOOP("DutyLogView", "Note"),
    "call": QT_TRANSLATE_NOOP("DutyLogView", "Call"),
    "incident": QT_TRANSLATE_NOOP("DutyLogView", "Incident"),
    "link": QT_TRANSLATE_NOOP("DutyLogView", "Link"),
    "handover": QT_TRANSLATE_NOOP("DutyLogView", "Handover"),
    "emergency": QT_TRANSLATE_NOOP("DutyLogView", "Emergency"),
    "decision": QT_TRANSLATE_NOOP("DutyLogView", "Decision"),
    "roster": QT_TRANSLATE_NOOP("DutyLogView", "Roster"),
    "alarm": QT_TRANSLATE_NOOP("DutyLogView", "Alarm"),
}
KIND_COLORS = {"link": "#ef6c00", "emergency": "#c62828", "decision": "#1565c0", "alarm": "#ad1457"}


def kind_label(kind: str) -> str:
    src = KINDS.get(kind)
    return QCoreApplication.translate("DutyLogView", src) if src else kind


def shift_window(now: float, plan: R.ShiftPlan, back: int = 0) -> tuple[str, str, float, float]:
    """(date ISO, shift, start, end) of the current shift, or ``back`` shifts earlier."""
    date, name = plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))
    start, end = plan.shift_bounds(date, name)
    for _ in range(back):
        date, name = plan.shift_at(start - dt.timedelta(seconds=1))
        start, end = plan.shift_bounds(date, name)
    return date.isoformat(), name, start.timestamp(), end.timestamp()


class DutyLogView(QWidget):
    COLUMNS = (QT_TRANSLATE_NOOP("DutyLogView", "Time"), QT_TRANSLATE_NOOP("DutyLogView", "Kind"),
               QT_TRANSLATE_NOOP("DutyLogView", "Entry"), QT_TRANSLATE_NOOP("DutyLogView", "By"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[dict[str, Any]] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        top = QHBoxLayout()
        self.shift_combo = QComboBox(self)
        self.shift_combo.setObjectName("log_shift")
        self.shift_combo.addItem(self.tr("This shift"), 0)
        self.shift_combo.addItem(self.tr("Previous shift"), 1)
        self.shift_combo.addItem(self.tr("Two shifts ago"), 2)
        self.shift_combo.currentIndexChanged.connect(lambda _i: self.reload())
        top.addWidget(self.shift_combo)
        top.addStretch(1)
        lay.addLayout(top)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("duty_log_table")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemDoubleClicked.connect(self._on_item_double_clicked)
        lay.addWidget(self.table, 1)
        add = QHBoxLayout()
        self.kind_combo = QComboBox(self)
        for k in ("note", "call", "incident"):
            self.kind_combo.addItem(kind_label(k), k)
        add.addWidget(self.kind_combo)
        self.entry = QLineEdit(self)
        self.entry.setObjectName("log_entry")
        self.entry.setPlaceholderText(self.tr("Write a duty-log entry and press Enter"))
        self.entry.returnPressed.connect(self.add_entry)
        add.addWidget(self.entry, 1)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.setObjectName("log_add")
        self.add_button.clicked.connect(self.add_entry)
        add.addWidget(self.add_button)
        lay.addLayout(add)
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_store_changed)
        self.reload()

    def _on_store_changed(self, changed: dict) -> None:
        if "duty_log" in changed or "alarm" in changed:
            self.reload()

    def _on_item_double_clicked(self, item: QTableWidgetItem) -> None:
        row = self.rows[item.row()] if item.row() < len(self.rows) else None
        if row and row.get("ticket_id"):
            self.ctx.bus.sig_select_ticket.emit(row["ticket_id"])

    def add_entry(self) -> None:
        text = self.entry.text().strip()
        if not text:
            return
        self.ctx.run_action(ops.add_note, text, float(self.ctx.clock()),
                            kind=self.kind_combo.currentData() or "note",
                            on_done=lambda _r: self.reload())
        self.entry.clear()

    def load_rows(self) -> list[dict[str, Any]]:
        _d, _s, start, end = shift_window(float(self.ctx.clock()), duty_pattern.plan_of(self.ctx.store),
                                      int(self.shift_combo.currentData() or 0))
        with self.ctx.store.session() as s:
            rows = rc.duty_log(s, start, end)
            alarms = rc.device_faults(s, start, end)["alarms"]
            names = {u: v["name"] for u, v in repo.users(s).items()}
        for a in alarms:
            rows.append({"at": a["raised_at"], "kind": "alarm", "actor_id": "system",
                         "text": self.tr("IoT alarm %1 from sensor %2").replace("%1", a["type"] or "")
                         .replace("%2", a["sensor_id"] or ""), "ticket_id": a["ticket_id"]})
        for r in rows:
            r["who"] = "系统" if r["actor_id"] == "system" else names.get(r["actor_id"], r["actor_id"])
        rows.sort(key=lambda r: r["at"])
        return rows

    def reload(self) -> None:
        self.rows = self.load_rows()
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            when = format_epoch(r["at"], "%H:%M:%S")
            cells = (when, kind_label(r["kind"]), r["text"], r["who"])
            for j, c in enumerate(cells):
                item = QTableWidgetItem(c)
                if j == 1 and r["kind"] in KIND_COLORS:
                    item.setForeground(QColor(KIND_COLORS[r["kind"]]))
                if j == 2:
                    item.setToolTip(c)
                self.table.setItem(i, j, item)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        if self.rows:
            self.table.scrollToBottom()
