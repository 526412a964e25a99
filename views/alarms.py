"""The alarm list (告警处置): every IoT alarm whose loop is open, and the three answers.

Shown in the commander panel and from the map. Each open alarm is turned into a ticket
(pre-filled from the sensor, the nearest camera named), linked to an existing ticket
(picked from the tickets nearby in the last seven days, or typed by number), or
dismissed with a reason (误报 / 测试 / 重复 / 维护). The actions are
``console.operations.alarms``; an alarm left open longer than the hall's limit
(``alarm_open_alert_minutes``) is drawn red and alerts once with a sound.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console import settings as S
from console.domain import devices, formatting
from console.operations import alarms as aops
from console.qt.i18n import ui_language
from localdb import repo, repo_devices

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)
_Index = QModelIndex | QPersistentModelIndex
NEARBY_M, NEARBY_DAYS = 300.0, 7


def _label(kind: str) -> str:
    from PySide6.QtCore import QCoreApplication

    tr = lambda s: QCoreApplication.translate("AlarmsView", s)  # noqa: E731
    return {
        "smoke": tr("Smoke"), "water_level": tr("Water level"), "manhole": tr("Manhole cover"),
        "gas": tr("Gas"), "fire_hydrant": tr("Hydrant pressure"), "ebike_charging": tr("E-bike charger"),
        "low": tr("Low"), "medium": tr("Medium"), "high": tr("High"),
        "device": tr("Device direct"), "platform": tr("Via platform"),
        "false_alarm": tr("False alarm"), "test": tr("Test"), "duplicate": tr("Duplicate"),
        "maintenance": tr("Maintenance"),
    }.get(kind, kind or "")


class AlarmModel(QAbstractTableModel):
    COLUMNS = ("raised", "sensor", "type", "level", "reading", "access", "open_for")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.now = 0.0
        self.limit_s = devices.DEFAULT_ALARM_OPEN_LIMIT_S

    def set_rows(self, rows: list[dict[str, Any]], now: float, limit_s: float) -> None:
        self.beginResetModel()
        self.rows, self.now, self.limit_s = rows, now, limit_s
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        names = (self.tr("Raised"), self.tr("Device"), self.tr("Type"), self.tr("Level"),
                 self.tr("Reading"), self.tr("Access"), self.tr("Open for"))
        return names[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        a = self.rows[index.row()]
        col = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == "raised":
                return formatting.format_epoch(a.get("raised_at"), "%m-%d %H:%M")
            if col == "sensor":
                if not a.get("sensor_known"):  # the feed named a device the desk does not know
                    return self.tr("%1 (unregistered device)").replace("%1", a.get("sensor_id") or "?")
                return a.get("sensor_name") or a.get("sensor_id") or ""
            if col in ("type", "level"):
                return _label(a.get(col) or "")
            if col == "reading":
                value = formatting.format_number(a.get("value"), 2)
                return f"{value} {a.get('unit') or ''}".strip() if a.get("value") is not None else "—"
            if col == "access":
                via = a.get("via") or ""
                return f"{_label(a.get('access_mode') or '')} · {via}" if via else _label(a.get("access_mode") or "")
            if col == "open_for":
                raised = formatting.finite_number(a.get("raised_at"))
                return formatting.format_duration(self.now - raised, ui_language()) if raised is not None else "—"
        if role == Qt.ItemDataRole.ToolTipRole and col == "sensor" and not a.get("sensor_known"):
            return self.tr("The platform sent an alarm for a device this desk has no record of: "
                           "check the device list with the platform; the alarm can still be answered")
        if role == Qt.ItemDataRole.ForegroundRole and devices.alarm_overdue(a, self.now, self.limit_s):
            return QColor("#c62828")
        if role == Qt.ItemDataRole.UserRole:
            return a["id"]
        return None


class DismissDialog(QDialog):
    """Reason (required) and a note for dismissing an alarm."""

    def __init__(self, alarm: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dismiss alarm"))
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Alarm %1 from %2").replace("%1", alarm["id"])
                           .replace("%2", alarm.get("sensor_name") or alarm.get("sensor_id") or ""), self))
        self.reason = QComboBox(self)
        self.reason.setObjectName("dismiss_reason")
        for r in devices.DISMISS_REASONS:
            self.reason.addItem(_label(r), r)
        form.addRow(self.tr("Reason"), self.reason)
        self.note = QLineEdit(self)
        self.note.setObjectName("dismiss_note")
        self.note.setPlaceholderText(self.tr("What was found (optional)"))
        form.addRow(self.tr("Note"), self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Dismiss"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class LinkDialog(QDialog):
    """Pick the ticket an alarm belongs to: nearby recent tickets, or a number typed."""

    def __init__(self, tickets: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Link alarm to a ticket"))
        lay = QVBoxLayout(self)
        lay.addWidget(QLabel(self.tr("Tickets within 300 m in the last 7 days:"), self))
        self.list = QListWidget(self)
        self.list.setObjectName("link_candidates")
        for t in tickets:
            item = QListWidgetItem(f"{t.get('number') or t['id'][:8]} · {t.get('category_name', '')} · "
                                   f"{t.get('address', '')} · {int(t.get('distance_m', 0))} m")
            item.setData(Qt.ItemDataRole.UserRole, t["id"])
            self.list.addItem(item)
        if tickets:
            self.list.setCurrentRow(0)
        lay.addWidget(self.list, 1)
        self.number = QLineEdit(self)
        self.number.setObjectName("link_number")
        self.number.setPlaceholderText(self.tr("…or type a ticket number"))
        lay.addWidget(self.number)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Link"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def choice(self) -> tuple[str, str]:
        """("number", text) when a number was typed, else ("id", the picked ticket id)."""
        if self.number.text().strip():
            return "number", self.number.text().strip()
        item = self.list.currentItem()
        return "id", (item.data(Qt.ItemDataRole.UserRole) if item is not None else "")


class AlarmsView(QWidget):
    """Open alarms and the buttons that close their loops."""

    #: number of open alarms, number of them overdue
    sig_count = Signal(int, int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AlarmsView")
        self.ctx = ctx
        self.model = AlarmModel(self)
        self._alerted: set[str] = set()
        self._busy = self._dirty = False
        self._build()
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_store_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(30_000)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        self.reload()

    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.table = QTableView(self)
        self.table.setObjectName("alarm_table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        lay.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("alarm_count")
        bar.addWidget(self.count_label, 1)
        self.ticket_button = QPushButton(self.tr("To ticket (T)"), self)
        self.ticket_button.setObjectName("alarm_to_ticket")
        self.ticket_button.clicked.connect(self._on_ticket_clicked)
        self.link_button = QPushButton(self.tr("Link to ticket (L)"), self)
        self.link_button.setObjectName("alarm_link")
        self.link_button.clicked.connect(self._on_link_clicked)
        self.dismiss_button = QPushButton(self.tr("Dismiss (D)"), self)
        self.dismiss_button.setObjectName("alarm_dismiss")
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)
        for b in (self.ticket_button, self.link_button, self.dismiss_button):
            bar.addWidget(b)
        lay.addLayout(bar)
        for key, slot in (("T", self._on_ticket_clicked), ("L", self._on_link_clicked),
                          ("D", self._on_dismiss_clicked)):
            sc = QShortcut(QKeySequence(key), self.table)
            sc.setContext(Qt.ShortcutContext.WidgetShortcut)
            sc.activated.connect(slot)
        self._update_buttons()

    # -- data --------------------------------------------------------------------------
    def limit_s(self) -> float:
        return float(self.ctx.settings.get(S.ALARM_OPEN_ALERT_MINUTES)) * 60.0

    def reload(self) -> None:
        if self._busy:
            self._dirty = True
            return
        self._busy = True
        self.ctx.tasks.run(_do_load, self.ctx.store, on_done=self._on_loaded, on_error=self._on_load_failed)

    def _on_loaded(self, rows: list[dict[str, Any]]) -> None:
        self._busy = False
        selected = self.selected()
        now = float(self.ctx.clock())
        self.model.set_rows(rows, now, self.limit_s())
        for r, a in enumerate(rows):  # the officer's pick stays picked
            if selected is not None and a["id"] == selected["id"]:
                self.table.selectRow(r)
        overdue = [a for a in rows if devices.alarm_overdue(a, now, self.limit_s())]
        self.count_label.setText(self.tr("%1 open alarms, %2 overdue").replace("%1", str(len(rows)))
                                 .replace("%2", str(len(overdue))))
        for a in overdue:
            if a["id"] not in self._alerted:
                self._alerted.add(a["id"])
                self.ctx.notify.toast(self.tr("Alarm not answered"),
                                      self.tr("%1: alarm open for %2 — make a ticket, link or dismiss it")
                                      .replace("%1", a.get("sensor_name") or a["id"])
                                      .replace("%2", self.model.data(self.model.index(rows.index(a), 6)) or ""))
        self._update_buttons()
        self.sig_count.emit(len(rows), len(overdue))
        if self._dirty:
            self._dirty = False
            self.reload()

    def _on_load_failed(self, exc: BaseException) -> None:
        self._busy = False
        log.error("alarm list: %s", exc)
        self.count_label.setText(self.tr("The alarm list could not be read: %1").replace("%1", str(exc)))

    def _on_store_changed(self, changed: dict) -> None:
        if changed.get("alarm") or changed.get("sensor"):
            self.reload()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows and rows[0].row() < len(self.model.rows) else None

    def _update_buttons(self) -> None:
        on = self.selected() is not None and self.ctx.actor is not None
        for b in (self.ticket_button, self.link_button, self.dismiss_button):
            b.setEnabled(on)

    # -- actions -------------------------------------------------------------------------
    def _what(self, alarm: dict[str, Any]) -> str:
        return self.tr("Alarm %1").replace("%1", alarm["id"])

    def _done(self, text: str) -> None:
        self.ctx.notify.info(text)
        self.reload()

    def _on_ticket_clicked(self) -> None:
        a = self.selected()
        if a is None:
            return
        with self.ctx.store.session() as s:
            try:
                fields = aops.ticket_fields(s, a)
                camera = aops.nearest_camera(s, a)
            except devices.DeviceError as exc:
                self.ctx.notify.error(f"{self._what(a)}: {exc}")
                return
        answer = QMessageBox.question(
            self, self.tr("Alarm to ticket"),
            self.tr("Make a ticket of alarm %1?\n\n%2\n%3").replace("%1", a["id"])
            .replace("%2", fields["category_name"]).replace("%3", fields["description"]))
        if answer != QMessageBox.StandardButton.Yes:
            return

        def made(ticket: Any) -> None:
            self._done(self.tr("Alarm %1 became a new ticket").replace("%1", a["id"]))
            if camera is not None:  # the nearest camera's picture goes on the ticket (video wall)
                self.ctx.bus.sig_snapshot_to_ticket.emit(camera["id"], ticket.id)

        self.ctx.run_action(aops.alarm_to_ticket, a["id"], float(self.ctx.clock()), what=self._what(a),
                            on_done=made)

    def _on_link_clicked(self) -> None:
        a = self.selected()
        if a is None:
            return
        now = float(self.ctx.clock())
        with self.ctx.store.session() as s:
            near = [] if a.get("lat") is None else repo.nearby_tickets(
                s, float(a["lat"]), float(a["lon"]), NEARBY_M, since=now - NEARBY_DAYS * 86400, limit=50)
        dlg = LinkDialog(near, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        how, value = dlg.choice()
        if how == "number":
            with self.ctx.store.session() as s:
                value = repo_devices.ticket_id_by_number(s, value) or ""
        if not value:
            self.ctx.notify.error(f"{self._what(a)}: " + self.tr("no such ticket in the local store"))
            return
        self.ctx.run_action(aops.link_alarm, a["id"], value, now, what=self._what(a),
                            on_done=lambda _r: self._done(self.tr("Alarm %1 linked to its ticket")
                                                          .replace("%1", a["id"])))

    def _on_dismiss_clicked(self) -> None:
        a = self.selected()
        if a is None:
            return
        dlg = DismissDialog(a, self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        self.ctx.run_action(aops.dismiss_alarm, a["id"], dlg.reason.currentData(), float(self.ctx.clock()),
                            note=dlg.note.text().strip(), what=self._what(a),
                            on_done=lambda _r: self._done(self.tr("Alarm %1 dismissed").replace("%1", a["id"])))


def _do_load(store: Any) -> list[dict[str, Any]]:
    with store.session() as s:
        return repo_devices.open_alarms(s)
