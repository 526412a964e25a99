"""Duty roster editing for the shift leader: swaps and gap fills, with history.

A change never overwrites: ``commander.roster_swap`` writes a NEW entry that
``replaces`` the old one (which stays, marked ``superseded_by``), so the history view
shows who was planned and who served. Unfilled slots of the coming 7 days
(``roster.gaps``) are listed in a warning line.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
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
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain import command as C
from console.domain import privacy
from console.domain import roster as R
from console.domain.formatting import format_epoch
from console.domain.model import Role
from console.handover import SHIFT_ZH
from console.operations import commander as ops
from console.operations import duty_pattern
from localdb import repo
from localdb import repo_commander as rc

if TYPE_CHECKING:
    from console.qt.context import AppContext

ROLES = {
    "commander": QT_TRANSLATE_NOOP("RosterView", "Rotating commander"),
    "executive_deputy": QT_TRANSLATE_NOOP("RosterView", "Executive deputy commander"),
    "deputy": QT_TRANSLATE_NOOP("RosterView", "Deputy commander"),
    "shift_leader": QT_TRANSLATE_NOOP("RosterView", "Shift leader"),
    "officer": QT_TRANSLATE_NOOP("RosterView", "Information officer"),
}
SHIFTS = {
    "day": QT_TRANSLATE_NOOP("RosterView", "Day"),
    "evening": QT_TRANSLATE_NOOP("RosterView", "Evening"),
    "night": QT_TRANSLATE_NOOP("RosterView", "Night"),
    "all": QT_TRANSLATE_NOOP("RosterView", "All day"),
}
EDITORS = (Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN)
#: Roles that may see colleagues' phone numbers unmasked
PHONE_ROLES = privacy.CONTACT_ROLES
DAYS = 7


def role_label(role: str) -> str:
    src = ROLES.get(role)
    return QCoreApplication.translate("RosterView", src) if src else role


def shift_name(shift: str) -> str:
    src = SHIFTS.get(shift)
    return QCoreApplication.translate("RosterView", src) if src else SHIFT_ZH.get(shift, shift)


def mask_phone(phone: str, reveal: bool) -> str:
    return phone if reveal else privacy.mask_phone(phone)


def today(now: float, plan: R.ShiftPlan) -> dt.date:
    return plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))[0]


class SwapDialog(QDialog):
    def __init__(self, users: dict[str, dict], slot: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Change duty"))
        form = QFormLayout(self)
        form.addRow(QLabel(slot, self))
        self.person = QComboBox(self)
        self.person.setEditable(True)
        self.person.setObjectName("swap_person")
        for uid, u in sorted(users.items()):
            self.person.addItem(f"{u['name']} ({uid})", uid)
        self.person.setCurrentIndex(-1)
        self.name = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.reason = QLineEdit(self)
        self._users = users
        self.person.currentIndexChanged.connect(self._on_person_changed)
        form.addRow(self.tr("Person"), self.person)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Reason"), self.reason)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _on_person_changed(self, _i: int) -> None:
        uid = self.person.currentData()
        if uid in self._users:
            self.name.setText(self._users[uid]["name"])

    def values(self) -> dict[str, str]:
        uid = self.person.currentData() or self.person.currentText().strip()
        return {"person_id": str(uid), "name": self.name.text().strip() or str(uid),
                "phone": self.phone.text().strip(), "reason": self.reason.text().strip()}


class RosterView(QWidget):
    COLUMNS = (QT_TRANSLATE_NOOP("RosterView", "Date"), QT_TRANSLATE_NOOP("RosterView", "Shift"),
               QT_TRANSLATE_NOOP("RosterView", "Post"), QT_TRANSLATE_NOOP("RosterView", "Name"),
               QT_TRANSLATE_NOOP("RosterView", "Phone"), QT_TRANSLATE_NOOP("RosterView", "Changed"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entries: list[R.RosterEntry] = []
        self.current: list[R.RosterEntry] = []
        self.gaps: list[R.Gap] = []
        self.problems: list[str] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        self.gap_label = QLabel(self)
        self.gap_label.setObjectName("roster_gaps")
        self.gap_label.setWordWrap(True)
        lay.addWidget(self.gap_label)
        self.problem_label = QLabel(self)   # the command chain and the crews over the week
        self.problem_label.setObjectName("roster_problems")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("QLabel { color: #b71c1c; }")
        lay.addWidget(self.problem_label)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("roster_table")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        lay.addWidget(self.table, 1)
        bar = QHBoxLayout()
        self.swap_button = QPushButton(self.tr("Swap / replace…"), self)
        self.swap_button.setObjectName("roster_swap")
        self.swap_button.clicked.connect(self._on_swap_clicked)
        self.fill_button = QPushButton(self.tr("Fill first gap…"), self)
        self.fill_button.setObjectName("roster_fill")
        self.fill_button.clicked.connect(self._on_fill_clicked)
        self.take_over_button = QPushButton(self.tr("Take over now"), self)
        self.take_over_button.setObjectName("roster_take_over")
        self.take_over_button.setToolTip(self.tr("Take the selected slot of the running shift yourself"))
        self.take_over_button.clicked.connect(self._on_take_over_clicked)
        bar.addWidget(self.swap_button)
        bar.addWidget(self.fill_button)
        bar.addWidget(self.take_over_button)
        bar.addStretch(1)
        lay.addLayout(bar)
        lay.addWidget(QLabel(self.tr("History of the selected slot"), self))
        self.history = QListWidget(self)
        self.history.setObjectName("roster_history")
        self.history.setMaximumHeight(90)
        lay.addWidget(self.history)
        self.can_edit = ctx.actor.role in EDITORS
        if not self.can_edit:
            why = self.tr("Only the shift leader may change the roster")
            for b in (self.swap_button, self.fill_button):
                b.setEnabled(False)
                b.setToolTip(why)
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(lambda ch: "roster" in ch and self.reload())
        self.reload()

    def reload(self) -> None:
        pattern = duty_pattern.pattern_of(self.ctx.store)
        first = today(float(self.ctx.clock()), pattern.plan)
        with self.ctx.store.session() as s:
            self.entries = rc.roster_entries(s, first.isoformat(), (first + dt.timedelta(days=DAYS)).isoformat())
            self.users = repo.users(s)
        self.current = R.effective(self.entries)
        self.gaps = R.gaps(self.entries, first, DAYS, pattern.plan)
        dates = [first + dt.timedelta(days=i) for i in range(DAYS)]
        self.problems = C.roster_problems(self.entries, dates) + R.crew_problems(self.entries, dates, pattern)
        self.problem_label.setText("；".join(self.problems[:6]) + (f" …(+{len(self.problems) - 6})"
                                                                  if len(self.problems) > 6 else ""))
        self.problem_label.setVisible(bool(self.problems))
        reveal = self.ctx.actor.role in PHONE_ROLES
        order = {"all": 0, "day": 1, "evening": 2, "night": 3}
        roles = {"commander": 0, "executive_deputy": 1, "deputy": 2, "shift_leader": 3, "officer": 4}
        self.current.sort(key=lambda e: (e.date, order.get(e.shift, 9), roles.get(e.role, 9), e.created_at))
        self.table.setRowCount(len(self.current))
        for i, e in enumerate(self.current):
            changed = e.reason or ("✓" if e.replaces else "")
            cells = (e.date.isoformat(), shift_name(e.shift), role_label(e.role), e.name or e.person_id or "—",
                     mask_phone(e.phone, reveal), changed)
            for j, c in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(c))
        if self.gaps:
            shown = [f"{g.date:%m-%d} {shift_name(g.shift)} {role_label(g.role)}" for g in self.gaps[:8]]
            more = len(self.gaps) - len(shown)
            self.gap_label.setText(self.tr("Roster gaps in the coming 7 days: %1").replace(
                "%1", "、".join(shown) + (f" …(+{more})" if more > 0 else "")))
            self.gap_label.setStyleSheet("QLabel { color: #b71c1c; font-weight: bold; }")
        else:
            self.gap_label.setText(self.tr("No roster gaps in the coming 7 days."))
            self.gap_label.setStyleSheet("QLabel { color: #2e7d32; }")
        self.fill_button.setEnabled(self.can_edit and bool(self.gaps))
        self._on_selection_changed()  # the selected row may now hold another entry

    def selected(self) -> R.RosterEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.current[rows[0].row()] if rows and rows[0].row() < len(self.current) else None

    def _on_selection_changed(self) -> None:
        e = self.selected()
        self.history.clear()
        if e is None:
            return
        with self.ctx.store.session() as s:
            chain = rc.roster_history(s, e.id)
        for r in chain:
            when = format_epoch(r["created_at"], "%m-%d %H:%M", placeholder="")
            state = self.tr("current") if not r["superseded_by"] else self.tr("replaced")
            self.history.addItem(f"{r['name'] or r['person_id'] or '—'} · {state} {when} {r['reason'] or ''}".strip())

    def _on_swap_clicked(self) -> None:
        e = self.selected()
        if e is None:
            return
        slot = f"{e.date} {shift_name(e.shift)} {role_label(e.role)}: {e.name}"
        dlg = SwapDialog(self.users, slot, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.swap(e.id, **dlg.values())

    def swap(self, entry_id: str, person_id: str, name: str, phone: str = "", reason: str = "") -> None:
        self.ctx.run_action(ops.roster_swap, entry_id, person_id, name, float(self.ctx.clock()), phone=phone,
                            reason=reason, on_done=lambda _id: self.reload())

    def _on_take_over_clicked(self) -> None:
        e = self.selected()
        if e is not None:
            self.take_over(e.id)

    def take_over(self, entry_id: str, reason: str = "") -> None:
        self.ctx.run_action(ops.take_over_now, entry_id, float(self.ctx.clock()), reason=reason,
                            on_done=lambda _id: self.reload())

    def _on_fill_clicked(self) -> None:
        if not self.gaps:
            return
        g = self.gaps[0]
        slot = f"{g.date} {shift_name(g.shift)} {role_label(g.role)}"
        dlg = SwapDialog(self.users, slot, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            v = dlg.values()
            self.ctx.run_action(ops.roster_fill, g.date.isoformat(), g.shift, g.role, v["person_id"], v["name"],
                                float(self.ctx.clock()), phone=v["phone"], reason=v["reason"],
                                on_done=lambda _id: self.reload())
