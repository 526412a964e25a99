"""Emergency switch (平战转换): start an incident, run the plan's checklist, switch back.

Starting records the incident under the desk's plan for its type
(``commander.start_emergency``; only the shift leader or the commander holding command).
When an emergency is running — started here or arriving from another desk of the hall
over the feed — the panel applies the plan's profile: the plan's thresholds go into the
settings' emergency layer, and ``ctx.bus.sig_emergency`` (with the profile) turns the
video wall and the map to the scene; ending drops the layer and emits
``sig_emergency_end``, after which every panel is as it was. While it runs, a
one-second timer redraws the elapsed time and each item's countdown (platform time
from ``ctx.clock``); an item past its limit turns red. Ending with items open asks
why (``views.emergency_start.EndDialog``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import settings as S
from console.domain import plans as P
from console import emergency_report
from console.domain.formatting import format_epoch
from console.operations import commander as ops
from localdb import repo
from localdb import repo_commander as rc
from views.emergency_sends import SendsView
from views.emergency_start import EndDialog, StartDialog, level_label, type_label

if TYPE_CHECKING:
    from console.qt.context import AppContext

RED, GREEN, AMBER = QColor("#c62828"), QColor("#2e7d32"), QColor("#ef6c00")


def _mmss(seconds: float) -> str:
    s = int(abs(seconds))
    text = f"{s // 3600:d}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60:02d}:{s % 60:02d}"
    return ("-" if seconds < 0 else "") + text


class EmergencyView(QWidget):
    #: emergency mode changed (True: emergency command, False: normal duty)
    sig_mode = Signal(bool)

    COLUMNS = 5  # item, owner, time left, done by, done at

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.active: dict[str, Any] | None = None
        self.items: list[dict[str, Any]] = []
        self.plan: P.Plan | None = None
        self._profile_for: str | None = None  # the emergency whose profile is applied
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.header = QLabel(self)
        self.header.setObjectName("emergency_header")
        self.header.setWordWrap(True)
        lay.addWidget(self.header)
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("emergency_checklist")
        self.table.setHorizontalHeaderLabels([self.tr("Plan item"), self.tr("Owner"), self.tr("Time left"),
                                              self.tr("Done by"), self.tr("Done at")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemChanged.connect(self._on_item_changed)
        lay.addWidget(self.table, 1)
        self.sends = SendsView(ctx, self)
        lay.addWidget(self.sends, 1)
        bar = QHBoxLayout()
        self.start_button = QPushButton(self.tr("Switch to emergency command…"), self)
        self.start_button.setObjectName("emergency_start")
        self.start_button.setStyleSheet("QPushButton { color: white; background: #c62828; padding: 4px 10px; }")
        self.start_button.clicked.connect(self._on_start_clicked)
        self.level_box = QComboBox(self)
        self.level_box.setObjectName("emergency_level")
        self.level_button = QPushButton(self.tr("Change level…"), self)
        self.level_button.setObjectName("emergency_level_change")
        self.level_button.clicked.connect(self._on_level_clicked)
        self.end_button = QPushButton(self.tr("Back to normal duty…"), self)
        self.end_button.setObjectName("emergency_end")
        self.end_button.clicked.connect(self._on_end_clicked)
        self.report_button = QPushButton(self.tr("Emergency report (PDF)…"), self)
        self.report_button.setObjectName("emergency_report")
        self.report_button.clicked.connect(self._on_report_clicked)
        bar.addWidget(self.report_button)
        bar.addWidget(self.level_box)
        bar.addWidget(self.level_button)
        bar.addStretch(1)
        bar.addWidget(self.start_button)
        bar.addWidget(self.end_button)
        lay.addLayout(bar)
        refusal = ops.start_why_not(ctx.store, ctx.actor, float(ctx.clock()))
        if refusal is not None:  # the switch is the shift leader's or the commander's
            self.start_button.setEnabled(False)
            self.start_button.setToolTip(refusal.message)
            self.level_button.setEnabled(False)
            self.end_button.setEnabled(False)
        # one key for the shift leader: the switch (Ctrl+Shift+E) wherever the panel is
        self.start_shortcut = QShortcut(QKeySequence("Ctrl+Shift+E"), self.window() or self)
        self.start_shortcut.setContext(Qt.ShortcutContext.ApplicationShortcut)
        self.start_shortcut.activated.connect(self._on_start_key)
        self.start_button.setToolTip(self.start_button.toolTip() or "Ctrl+Shift+E")
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
            self.plan = None
            if self.active is not None and self.active.get("plan_id"):
                try:
                    self.plan = ops.plan_of(s, self.active["plan_id"], self.active.get("plan_version"))
                except (ops.DutyError, P.PlanError):
                    self.plan = None  # the record came from another desk before its plan did
        now_id = self.active["id"] if self.active else None
        if now_id != was or announce:
            if self.active is not None:
                self._apply_profile()
                self.ctx.bus.sig_emergency.emit(self.incident())
            elif was is not None:
                self._restore_profile()
                self.ctx.bus.sig_emergency_end.emit()
            if now_id != was:
                self.sig_mode.emit(self.active is not None)
        self._fill()
        if self.active is not None:
            self.timer.start()
        else:
            self.timer.stop()

    def _apply_profile(self) -> None:
        """The plan's thresholds while it runs (a settings layer that is never saved)."""
        prof = self.plan.profile if self.plan is not None else None
        values: dict[Any, Any] = {}
        if prof is not None and prof.warning_lead_minutes is not None:
            values[S.WARNING_LEAD_MINUTES] = prof.warning_lead_minutes
        if prof is not None and prof.alarm_open_alert_minutes is not None:
            values[S.ALARM_OPEN_ALERT_MINUTES] = prof.alarm_open_alert_minutes
        self.ctx.settings.set_emergency(values)
        self._profile_for = self.active["id"] if self.active else None

    def _restore_profile(self) -> None:
        self.ctx.settings.clear_emergency()
        self._profile_for = None

    def incident(self) -> dict[str, Any]:
        e = self.active or {}
        prof = self.plan.profile if self.plan is not None else None
        profile = None if prof is None else {
            "wall_layout": prof.wall_layout, "ring_m": list(prof.ring_m), "layers": list(prof.layers),
            "cameras": list(self.plan.cameras)}
        return {"id": e.get("id"), "type": e.get("kind"), "lat": e.get("lat"), "lon": e.get("lon"),
                "level": e.get("level"), "title": e.get("title"), "started_at": e.get("started_at"),
                "address": e.get("address"), "plan_id": e.get("plan_id"),
                "plan_version": e.get("plan_version"), "profile": profile}

    def _fill(self) -> None:
        running = self.active is not None
        self.start_button.setVisible(not running)
        for w in (self.end_button, self.level_box, self.level_button, self.table, self.sends):
            w.setVisible(running)
        self.sends.show_emergency(self.active, self.plan)
        self.level_box.clear()
        if self.plan is not None:
            for lv in self.plan.levels:
                self.level_box.addItem(level_label(lv), lv)
            if running:
                self.level_box.setCurrentIndex(max(0, self.level_box.findData(self.active["level"])))
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.items))
        for i, it in enumerate(self.items):
            check = QTableWidgetItem(it["text"])
            check.setCheckState(_checked(it["done_at"] is not None))
            self.table.setItem(i, 0, check)
            for j in range(1, self.COLUMNS):
                self.table.setItem(i, j, QTableWidgetItem(""))
            self.table.item(i, 1).setText(it.get("owner") or "—")
            who = self._names.get(it["done_by"] or "", it["done_by"] or "")
            self.table.item(i, 3).setText(who)
            if it["done_at"] is not None:
                self.table.item(i, 4).setText(format_epoch(it["done_at"], "%H:%M:%S"))
        self.table.blockSignals(False)
        self.tick()

    def item_states(self, now: float | None = None) -> list[str]:
        """Per item: "done", "done_late", "open", "overdue" (what the colours show)."""
        now = float(self.ctx.clock()) if now is None else now
        out = []
        e = self.active or {}
        for it in self.items:
            due = ops.item_deadline(e.get("started_at", now), it)
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
        plan = f"{self.plan.name}（{self.plan.version}）" if self.plan is not None else type_label(e["kind"])
        self.header.setText(self.tr("EMERGENCY: %1 — %2, level %3 — elapsed %4")
                            .replace("%1", e["title"]).replace("%2", plan)
                            .replace("%3", e["level"] or "—").replace("%4", _mmss(now - e["started_at"])))
        self.header.setStyleSheet("QLabel { color: white; background: #b71c1c; padding: 6px; font-weight: bold; }")
        self.table.blockSignals(True)
        for i, (it, state) in enumerate(zip(self.items, self.item_states(now))):
            due = ops.item_deadline(e["started_at"], it)
            cell = self.table.item(i, 2)
            if cell is None:
                continue
            if state in ("done", "done_late"):
                cell.setText(self.tr("late") if state == "done_late" else self.tr("done"))
            elif due is None:
                cell.setText("—")
            else:
                cell.setText(_mmss(due - now))
            color = {"overdue": RED, "done_late": AMBER, "done": GREEN}.get(state)
            for j in range(self.COLUMNS):
                c = self.table.item(i, j)
                if c is not None:
                    c.setForeground(color if color is not None else QColor("#222"))
                    c.setBackground(QColor("#ffebee") if state == "overdue" else QColor("white"))
        self.table.blockSignals(False)

    # -- actions -------------------------------------------------------------------------------------
    def _on_start_key(self) -> None:
        if self.active is None and self.start_button.isEnabled():
            self._on_start_clicked()

    def _on_start_clicked(self) -> None:
        dlg = StartDialog(self.ctx, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.start(**dlg.incident())

    def start(self, kind: str, title: str, level: str, lat: float | None = None,
              lon: float | None = None, address: str = "", location_source: str | None = None) -> None:
        self.ctx.run_action(ops.start_emergency, kind, title, level, float(self.ctx.clock()), lat, lon,
                            address=address, location_source=location_source,
                            on_done=lambda _id: self.reload(), what=self.tr("Emergency start"))

    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if item.column() != 0 or self.active is None:
            return
        self.check(item.row(), item.checkState() == _checked(True))

    def check(self, row: int, done: bool = True) -> None:
        it = self.items[row]
        self.ctx.run_action(ops.check_item, self.active["id"], it["position"], float(self.ctx.clock()), done,
                            on_done=lambda _r: self.reload(), on_error=lambda _e: self.reload())

    def _on_level_clicked(self) -> None:
        if self.active is None or self.level_box.currentData() in (None, self.active["level"]):
            return
        reason, ok = QInputDialog.getText(self, self.tr("Change level"),
                                          self.tr("Reason for the change of level:"))
        if ok:
            self.change_level(self.level_box.currentData(), reason)

    def change_level(self, level: str, reason: str = "") -> None:
        self.ctx.run_action(ops.change_level, self.active["id"], level, float(self.ctx.clock()), reason,
                            on_done=lambda _r: self.reload(), what=self.tr("Change of level"))

    def _on_end_clicked(self) -> None:
        if self.active is None:
            return
        dlg = EndDialog(ops.open_items(self.items), self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.end(dlg.note.text(), dlg.reason.toPlainText())

    def _on_report_clicked(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        if self._report_id() is None:
            return
        path, _f = QFileDialog.getSaveFileName(self, self.tr("Emergency report"), "应急处置报告.pdf", "PDF (*.pdf)")
        if path:
            self.export_report(path)

    def _report_id(self) -> str | None:
        if self.active is not None:
            return self.active["id"]
        with self.ctx.store.session() as s:
            last = rc.last_emergency(s)
        return last["id"] if last else None

    def export_report(self, path: str) -> None:
        """The report of the running (or last) emergency as a PDF, and a duty-log line saying so."""
        eid = self._report_id()
        if eid is None:
            return

        def written(out: Any) -> None:
            self.ctx.notify.info(self.tr("Emergency report written: %1").replace("%1", str(out)))
            self.ctx.run_action(ops.add_note, f"应急处置报告已导出：{out}", float(self.ctx.clock()), "emergency")

        self.ctx.tasks.run(emergency_report.write_pdf, self.ctx.store, eid, path, float(self.ctx.clock()),
                           on_done=written,
                           on_error=lambda exc: self.ctx.notify.error(str(exc)))

    def end(self, note: str = "", reason: str = "") -> None:
        self.ctx.run_action(ops.end_emergency, self.active["id"], float(self.ctx.clock()), note, reason,
                            on_done=lambda _s: self.reload(), what=self.tr("Back to normal duty"))


def _checked(on: bool):
    from PySide6.QtCore import Qt

    return Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
