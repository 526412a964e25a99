"""Emergency switch (平战转换): start an incident, run the plan's checklist, switch back.

Starting records the incident (``commander.start_emergency``) and emits
``ctx.bus.sig_emergency`` so the video wall and the map turn to the scene. While it
runs, a one-second timer redraws the elapsed time and each item's countdown
(platform time from ``ctx.clock``); an item past its limit turns red. Ticking an
item records who did it and when. Ending writes the summary to the duty log and
emits ``sig_emergency_end``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.formatting import format_epoch
from console.operations import commander as ops
from localdb import repo
from localdb import repo_commander as rc

if TYPE_CHECKING:
    from console.qt.context import AppContext

TYPES = {
    "fire": QT_TRANSLATE_NOOP("EmergencyView", "Fire"),
    "flood": QT_TRANSLATE_NOOP("EmergencyView", "Flooding"),
    "gas": QT_TRANSLATE_NOOP("EmergencyView", "Gas leak"),
    "collapse": QT_TRANSLATE_NOOP("EmergencyView", "Structural collapse"),
    "traffic": QT_TRANSLATE_NOOP("EmergencyView", "Traffic accident"),
    "public_health": QT_TRANSLATE_NOOP("EmergencyView", "Public health"),
    "other": QT_TRANSLATE_NOOP("EmergencyView", "Other"),
}
RED, GREEN, AMBER = QColor("#c62828"), QColor("#2e7d32"), QColor("#ef6c00")


def type_label(kind: str) -> str:
    src = TYPES.get(kind)
    return QCoreApplication.translate("EmergencyView", src) if src else kind


def _mmss(seconds: float) -> str:
    s = int(abs(seconds))
    text = f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"
    return ("-" if seconds < 0 else "") + text


class StartDialog(QDialog):
    """The incident: type, title, place (lat/lon), level."""

    def __init__(self, parent: QWidget | None = None, lat: float = 31.184, lon: float = 121.49) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Switch to emergency command"))
        form = QFormLayout(self)
        self.kind = QComboBox(self)
        for k in ops.INCIDENT_TYPES:
            self.kind.addItem(type_label(k), k)
        self.title = QLineEdit(self)
        self.title.setObjectName("incident_title")
        self.place = QLineEdit(self)
        self.lat = QDoubleSpinBox(self)
        self.lon = QDoubleSpinBox(self)
        for box, v, lo, hi in ((self.lat, lat, -90, 90), (self.lon, lon, -180, 180)):
            box.setDecimals(6)
            box.setRange(lo, hi)
            box.setValue(v)
        self.level = QComboBox(self)
        for lv in ops.LEVELS:
            self.level.addItem(self.tr("Level %1").replace("%1", lv), lv)
        self.level.setCurrentIndex(len(ops.LEVELS) - 1)
        form.addRow(self.tr("Type"), self.kind)
        form.addRow(self.tr("Incident"), self.title)
        form.addRow(self.tr("Place"), self.place)
        form.addRow(self.tr("Latitude"), self.lat)
        form.addRow(self.tr("Longitude"), self.lon)
        form.addRow(self.tr("Level"), self.level)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def incident(self) -> dict[str, Any]:
        title = self.title.text().strip()
        if self.place.text().strip():
            title = f"{title}（{self.place.text().strip()}）"
        return {"kind": self.kind.currentData(), "title": title, "level": self.level.currentData(),
                "lat": self.lat.value(), "lon": self.lon.value()}


class EmergencyView(QWidget):
    #: emergency mode changed (True: emergency command, False: normal duty)
    sig_mode = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.active: dict[str, Any] | None = None
        self.items: list[dict[str, Any]] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.header = QLabel(self)
        self.header.setObjectName("emergency_header")
        self.header.setWordWrap(True)
        lay.addWidget(self.header)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("emergency_checklist")
        self.table.setHorizontalHeaderLabels([self.tr("Plan item"), self.tr("Time left"), self.tr("Done by"),
                                              self.tr("Done at")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._on_item_changed)
        lay.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Switch to emergency command…"), self)
        self.start_button.setObjectName("emergency_start")
        self.start_button.setStyleSheet("QPushButton { color: white; background: #c62828; padding: 4px 10px; }")
        self.start_button.clicked.connect(self._on_start_clicked)
        self.end_button = QPushButton(self.tr("Back to normal duty…"), self)
        self.end_button.setObjectName("emergency_end")
        self.end_button.clicked.connect(self._on_end_clicked)
        bar.addStretch(1)
        bar.addWidget(self.start_button)
        bar.addWidget(self.end_button)
        lay.addLayout(bar)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self.tick)
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_store_changed)
        self.reload(announce=True)

    # -- data -------------------------------------------------------------------------------------
    def _on_store_changed(self, changed: dict) -> None:
        if "emergency" in changed:
            self.reload()

    def reload(self, announce: bool = False) -> None:
        was = self.active["id"] if self.active else None
        with self.ctx.store.session() as s:
            self.active = rc.active_emergency(s)
            self.items = rc.emergency_items(s, self.active["id"]) if self.active else []
            self._names = {u: v["name"] for u, v in repo.users(s).items()}
        now_id = self.active["id"] if self.active else None
        if now_id != was or announce:
            if self.active is not None:
                self.ctx.bus.sig_emergency.emit(self.incident())
            elif was is not None:
                self.ctx.bus.sig_emergency_end.emit()
            if now_id != was:
                self.sig_mode.emit(self.active is not None)
        self._fill()
        if self.active is not None:
            self.timer.start()
        else:
            self.timer.stop()

    def incident(self) -> dict[str, Any]:
        e = self.active or {}
        return {"id": e.get("id"), "type": e.get("kind"), "lat": e.get("lat"), "lon": e.get("lon"),
                "level": e.get("level"), "title": e.get("title"), "started_at": e.get("started_at")}

    def _fill(self) -> None:
        self.start_button.setVisible(self.active is None)
        self.end_button.setVisible(self.active is not None)
        self.table.setVisible(self.active is not None)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.items))
        for i, it in enumerate(self.items):
            check = QTableWidgetItem(it["text"])
            check.setCheckState(_checked(it["done_at"] is not None))
            self.table.setItem(i, 0, check)
            for j in (1, 2, 3):
                self.table.setItem(i, j, QTableWidgetItem(""))
            who = self._names.get(it["done_by"] or "", it["done_by"] or "")
            self.table.item(i, 2).setText(who)
            if it["done_at"] is not None:
                self.table.item(i, 3).setText(format_epoch(it["done_at"], "%H:%M:%S"))
        self.table.blockSignals(False)
        self.tick()

    def item_states(self, now: float | None = None) -> list[str]:
        """Per item: "done", "done_late", "open", "overdue" (what the colours show)."""
        now = float(self.ctx.clock()) if now is None else now
        out = []
        e = self.active or {}
        for it in self.items:
            due = ops.item_deadline(e.get("started_at", now), e.get("kind", ""), it["position"])
            if it["done_at"] is not None:
                out.append("done_late" if due is not None and it["done_at"] > due else "done")
            else:
                out.append("overdue" if due is not None and now > due else "open")
        return out

    def tick(self) -> None:
        if self.active is None:
            self.header.setText(self.tr("Normal duty (平时). No emergency in progress."))
            self.header.setStyleSheet("")
            return
        now = float(self.ctx.clock())
        e = self.active
        self.header.setText(self.tr("EMERGENCY: %1 — %2, level %3 — elapsed %4")
                            .replace("%1", e["title"]).replace("%2", type_label(e["kind"]))
                            .replace("%3", e["level"] or "—").replace("%4", _mmss(now - e["started_at"])))
        self.header.setStyleSheet("QLabel { color: white; background: #b71c1c; padding: 6px; font-weight: bold; }")
        self.table.blockSignals(True)
        for i, (it, state) in enumerate(zip(self.items, self.item_states(now))):
            due = ops.item_deadline(e["started_at"], e["kind"], it["position"])
            cell = self.table.item(i, 1)
            if cell is None:
                continue
            if state in ("done", "done_late"):
                cell.setText(self.tr("late") if state == "done_late" else self.tr("done"))
            elif due is None:
                cell.setText("—")
            else:
                cell.setText(_mmss(due - now))
            color = {"overdue": RED, "done_late": AMBER, "done": GREEN}.get(state)
            for j in range(4):
                c = self.table.item(i, j)
                if c is not None:
                    c.setForeground(color if color is not None else QColor("#222"))
                    c.setBackground(QColor("#ffebee") if state == "overdue" else QColor("white"))
        self.table.blockSignals(False)

    # -- actions -------------------------------------------------------------------------------------
    def _on_start_clicked(self) -> None:
        dlg = StartDialog(self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            inc = dlg.incident()
            if inc["title"]:
                self.start(**inc)

    def start(self, kind: str, title: str, level: str, lat: float | None = None,
              lon: float | None = None) -> None:
        self.ctx.run_action(ops.start_emergency, kind, title, level, float(self.ctx.clock()), lat=lat, lon=lon,
                            on_done=lambda _id: self.reload())

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != 0 or self.active is None:
            return
        self.check(item.row(), item.checkState() == _checked(True))

    def check(self, row: int, done: bool = True) -> None:
        it = self.items[row]
        self.ctx.run_action(ops.check_item, self.active["id"], it["position"], float(self.ctx.clock()), done,
                            on_done=lambda _r: self.reload())

    def _on_end_clicked(self) -> None:
        if self.active is None:
            return
        note, ok = QInputDialog.getText(self, self.tr("Back to normal duty"),
                                        self.tr("Closing note for the duty log (optional):"))
        if ok:
            self.end(note)

    def end(self, note: str = "") -> None:
        self.ctx.run_action(ops.end_emergency, self.active["id"], float(self.ctx.clock()), note,
                            on_done=lambda _s: self.reload())


def _checked(on: bool):
    from PySide6.QtCore import Qt

    return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
