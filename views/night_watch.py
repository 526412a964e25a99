"""The night hand-off panel (三班二运转): hand the live video watch to the police station at
the end of the last staffed shift, see the night list while the station holds it, take it
back in the morning with the night's summary. Thin: the rules and records are
``console.operations.night``'s; the leader signs with their own id and PIN."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain import night as N
from console.domain.formatting import format_epoch
from console.operations import duty_pattern, night
from views.handover import PinDialog

if TYPE_CHECKING:
    from console.qt.context import AppContext


class NightWatchView(QWidget):
    #: the watch changed hands (True: the police station holds it now)
    sig_night_mode = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.watch: dict[str, Any] | None = None
        self.rows: list[dict[str, Any]] = []
        self.summary: dict[str, Any] | None = None
        self._alerted: set[str] | None = None   # urgent arrivals already announced
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.status = QLabel(self)
        self.status.setObjectName("night_status")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        bar = QHBoxLayout()
        self.hand_off_button = QPushButton(self.tr("Hand the video watch to the police station…"), self)
        self.hand_off_button.setObjectName("night_hand_off")
        self.hand_off_button.clicked.connect(self._on_hand_off_clicked)
        self.take_back_button = QPushButton(self.tr("Take the watch back…"), self)
        self.take_back_button.setObjectName("night_take_back")
        self.take_back_button.clicked.connect(self._on_take_back_clicked)
        bar.addWidget(self.hand_off_button)
        bar.addWidget(self.take_back_button)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.list_label = QLabel(self.tr("Night list: urgent arrivals (key supervision, IoT alarms, top priority)"), self)
        lay.addWidget(self.list_label)
        self.table = QTableWidget(0, 4, self)
        self.table.setObjectName("night_list")
        self.table.setHorizontalHeaderLabels([self.tr("Arrived"), self.tr("Number"), self.tr("Why"),
                                              self.tr("Matter")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lay.addWidget(self.table, 1)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("night_summary")
        self.summary_label.setWordWrap(True)
        lay.addWidget(self.summary_label)
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_store_changed)
        self.reload()

    def _on_store_changed(self, changed: dict) -> None:
        if {"night_watch", "ticket", "duty_pattern"} & changed.keys():
            self.reload()

    def reload(self) -> None:
        now = float(self.ctx.clock())
        pattern = duty_pattern.pattern_of(self.ctx.store)
        was = self.watch is not None
        self.watch = night.night_watch(self.ctx.store)
        self.rows = night.night_list(self.ctx.store, now)
        ids = {r["id"] for r in self.rows}
        if self._alerted is not None and self.watch is not None:
            for r in self.rows:   # the on-call leader hears of what cannot wait for the morning
                if r["id"] not in self._alerted:
                    self.ctx.notify.toast(self.tr("Urgent at night"),
                                          f"{r['why']}：{r['number'] or ''} {r['category_name'] or ''}", True)
        self._alerted = ids if self.watch is not None else set()
        if pattern.handoff_shift is None:
            self.status.setText(self.tr("This street staffs the hall around the clock: no night hand-off."))
        elif self.watch is not None:
            self.status.setText(self.tr("Night mode: the video watch is with %1 since %2 (handed over by %3). "
                                        "New tickets wait for the morning crew.")
                                .replace("%1", self.watch["station"])
                                .replace("%2", format_epoch(self.watch["handed_at"], "%H:%M"))
                                .replace("%3", self.watch["handed_by"]))
        else:
            s = pattern.handoff_shift
            self.status.setText(self.tr("The hall holds the video watch; from %1 to %2 it goes to %3.")
                                .replace("%1", f"{s.start:%H:%M}").replace("%2", f"{s.end:%H:%M}")
                                .replace("%3", pattern.night_station))
        why = N.hand_off_problem(pattern, now, self.watch is not None)
        self.hand_off_button.setEnabled(why is None)
        self.hand_off_button.setToolTip(why or "")
        self.take_back_button.setEnabled(self.watch is not None)
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            cells = (format_epoch(r["created_at"], "%H:%M"), r["number"] or "", r["why"], r["category_name"] or "")
            for j, c in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(c))
        if was != (self.watch is not None):
            self.sig_night_mode.emit(self.watch is not None)

    # -- actions ----------------------------------------------------------------------------------
    def _on_hand_off_clicked(self) -> None:
        dlg = PinDialog(self.tr("Night hand-off"),
                        self.tr("Shift leader: enter your own user id and PIN to hand the watch over."),
                        self.ctx.actor.user_id, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.hand_off(*dlg.credentials())

    def hand_off(self, user_id: str, pin: str, layouts: tuple[str, ...] = ()) -> None:
        self.ctx.run_action(night.hand_off, user_id, pin, float(self.ctx.clock()), layouts=list(layouts),
                            on_done=lambda _w: self.reload())

    def _on_take_back_clicked(self) -> None:
        dlg = PinDialog(self.tr("Morning take-back"),
                        self.tr("Morning shift leader: enter your own user id and PIN."), self.ctx.actor.user_id, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.take_back(*dlg.credentials())

    def take_back(self, user_id: str, pin: str) -> None:
        self.ctx.run_action(night.take_back, user_id, pin, float(self.ctx.clock()), on_done=self._on_taken_back)

    def _on_taken_back(self, summary: dict[str, Any]) -> None:
        self.summary = summary
        urgent = "、".join(f"{u['number']}（{u['why']}）" for u in summary["urgent"][:10])
        self.summary_label.setText(
            self.tr("Overnight: %1 new tickets, %2 urgent, %3 IoT alarms.").replace("%1", str(summary["arrived"]))
            .replace("%2", str(len(summary["urgent"]))).replace("%3", str(summary["alarms"]))
            + (f" {urgent}" if urgent else ""))
        self.reload()
