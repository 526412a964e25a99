"""Dispatch dialog (派遣): choose the department, or send to the commander (领导派单).

The suggestion (智能派单, ``localdb.repo_cases.advice``) weighs the responsibility matrix,
past cases of the same kind here (案例派单) and each department's load and on-time record;
it is preselected and says why. The past cases are listed with who closed each, how long
it took and whether it was reworked; keys 1–5 pick a case's department. Every department
shows its current open load. Enter dispatches to the selected department: dispatching
works from the keyboard alone.

Joint dispatch (联合派遣, "2+X"): J adds the suggested co-handler (the best-ranked joining
department of the 2+X pattern, ``console.domain.joint.two_plus_x``, else the next suggestion;
again for one more), Backspace clears them; Enter then dispatches to the lead (the selected department) with the co-handlers. D, J, Enter: a
hawker complaint goes to 城管 with 市场监管.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain import joint
from console.domain.dispatch_advice import SHOWN_CASES
from console.domain.model import Ticket
from localdb import repo, repo_cases

if TYPE_CHECKING:
    from console.qt.context import AppContext


class DispatchDialog(QDialog):
    #: department_id — dispatch the ticket(s) to this department
    sig_dispatch = Signal(str)
    #: reason — send the ticket(s) to the commander's inbox instead
    sig_leader_dispatch = Signal(str)
    #: lead department_id, co-handler ids — a joint dispatch (联合派遣)
    sig_joint_dispatch = Signal(str, list)

    def __init__(self, ctx: AppContext, tickets: Sequence[Ticket], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dispatch_dialog")
        self.ctx = ctx
        self.tickets = list(tickets)
        first = self.tickets[0]
        if len(self.tickets) == 1:
            self.setWindowTitle(self.tr("Dispatch %1").replace("%1", first.number or first.id[:8]))
        else:
            self.setWindowTitle(self.tr("Dispatch %1 tickets").replace("%1", str(len(self.tickets))))
        with ctx.store.session() as s:
            deps = repo.departments(s, with_load=True)
            self.ranked, self.cases = repo_cases.advice(s, first, float(ctx.clock()))
        self.suggested = self.ranked[0].department_id if self.ranked else None
        self._names = {d["id"]: d["name"] for d in deps}
        lay = QVBoxLayout(self)
        info = QLabel(f"{first.category_name} · {first.address}")
        info.setWordWrap(True)
        lay.addWidget(info)
        lay.addWidget(QLabel(self.tr("Department (suggested from the responsibility matrix and past cases):")))
        self.list = QListWidget()
        self.list.setObjectName("departments")
        for d in deps:
            text = self.tr("%1 — %2 open").replace("%1", d["name"]).replace("%2", str(d.get("open_load", 0)))
            if d["id"] == self.suggested:
                text = self.tr("%1 (suggested)").replace("%1", text)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, d["id"])
            if d["id"] == self.suggested:
                f = QFont(item.font())
                f.setBold(True)
                item.setFont(f)
            self.list.addItem(item)
        self.list.itemDoubleClicked.connect(lambda _i: self._on_dispatch_clicked())
        lay.addWidget(self.list)
        self.why = QLabel()
        self.why.setObjectName("dispatch_why")
        self.why.setWordWrap(True)
        lay.addWidget(self.why)
        self.co_handlers: list[str] = []
        self.co_label = QLabel()
        self.co_label.setObjectName("co_handlers")
        self.co_label.setWordWrap(True)
        lay.addWidget(self.co_label)
        self._build_cases(lay)
        self.list.currentItemChanged.connect(lambda *_: (self._show_why(), self._show_co()))
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == self.suggested:
                self.list.setCurrentRow(row)
                break
        else:
            if self.list.count():
                self.list.setCurrentRow(0)
        self.reason = QLineEdit()
        self.reason.setObjectName("leader_reason")
        self.reason.setPlaceholderText(self.tr("Reason for the commander (leader dispatch)"))
        lay.addWidget(self.reason)
        self.buttons = QDialogButtonBox()
        self.dispatch_button = self.buttons.addButton(self.tr("Dispatch"),
                                                      QDialogButtonBox.ButtonRole.AcceptRole)
        self.dispatch_button.setObjectName("dispatch_button")
        self.leader_button: QPushButton = self.buttons.addButton(
            self.tr("Leader dispatch"), QDialogButtonBox.ButtonRole.ActionRole)
        self.leader_button.setObjectName("leader_button")
        self.leader_button.setToolTip(self.tr("Send to the commander's inbox to decide"))
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.dispatch_button.setDefault(True)
        self.dispatch_button.clicked.connect(self._on_dispatch_clicked)
        self.leader_button.clicked.connect(self._on_leader_clicked)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)
        self.list.setFocus()

    def _build_cases(self, lay: QVBoxLayout) -> None:
        """Past cases (案例派单): the closed tickets most like this one, keys 1–5 pick one's department."""
        lay.addWidget(QLabel(self.tr("Past cases here (1–5 picks the department that closed it):")))
        self.case_list = QListWidget()
        self.case_list.setObjectName("past_cases")
        for i, c in enumerate(self.cases[:SHOWN_CASES], 1):
            hours = "—" if c.hours is None else self.tr("%1 h").replace("%1", f"{c.hours:.0f}")
            text = self.tr("%1. %2 · %3 · %4 · %5").replace("%1", str(i)) \
                .replace("%2", c.number or c.ticket_id[:8]).replace("%3", self._names.get(c.department_id, c.department_id)) \
                .replace("%4", hours).replace("%5", self.tr("reworked") if c.reworked else self.tr("no rework"))
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, c.department_id)
            self.case_list.addItem(item)
        if not self.cases:
            self.case_list.addItem(self.tr("No closed case of this kind here yet"))
        self.case_list.setMaximumHeight(110)
        for owner in (self.list, self.case_list):  # digits pick a case; not while typing the reason
            owner.installEventFilter(self)
        self.case_list.itemActivated.connect(
            lambda item: self.pick_department(item.data(Qt.ItemDataRole.UserRole)))
        lay.addWidget(self.case_list)
        self._show_why()

    def suggested_co(self) -> str | None:
        """The co-handler J adds: the best-ranked 2+X joining department, else the next suggestion."""
        lead = self.selected_department()
        _leads, joins = joint.two_plus_x(self._names)
        order = [r.department_id for r in self.ranked] + sorted(self._names)
        for pool in (joins, order):
            for d in sorted(pool, key=lambda x: order.index(x) if x in order else len(order)):
                if d != lead and d not in self.co_handlers:
                    return d
        return None

    def toggle_co(self, department_id: str | None) -> None:
        """Add or remove a co-handler (the lead itself cannot be one)."""
        if not department_id:
            return
        if department_id in self.co_handlers:
            self.co_handlers.remove(department_id)
        elif department_id == self.selected_department():
            self.co_label.setText(self.tr("The lead cannot also co-handle; pick another department"))
            return
        else:
            self.co_handlers.append(department_id)
        self._show_co()

    def _show_co(self) -> None:
        if not self.co_handlers:
            self.co_label.setText("")
            return
        lead = self._names.get(self.selected_department() or "", "—")
        names = "、".join(self._names.get(d, d) for d in self.co_handlers)
        self.co_label.setText(self.tr("Joint dispatch — lead: %1; co-handling: %2 (Backspace clears)")
                              .replace("%1", lead).replace("%2", names))

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.KeyPress and obj is self.list:
            if event.key() == Qt.Key.Key_J:
                self.toggle_co(self.suggested_co())
                return True
            if event.key() == Qt.Key.Key_Backspace:
                self.co_handlers.clear()
                self._show_co()
                return True
        if event.type() == QEvent.Type.KeyPress and obj in (self.list, self.case_list):
            digit = event.text()
            if digit.isdigit() and 1 <= int(digit) <= min(len(self.cases), SHOWN_CASES):
                self.pick_department(self.cases[int(digit) - 1].department_id)
                return True
        return super().eventFilter(obj, event)

    def pick_department(self, department_id: str | None) -> None:
        """Select ``department_id`` in the department list (a past case's handler)."""
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == department_id:
                self.list.setCurrentRow(row)
                self.list.setFocus()
                return

    def _show_why(self) -> None:
        dep = self.selected_department()
        s = next((x for x in self.ranked if x.department_id == dep), None)
        self.why.setText("；".join(s.reasons) if s is not None else self.tr("Not suggested: no matrix entry "
                                                                           "and no past case here"))

    def selected_department(self) -> str | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _on_dispatch_clicked(self) -> None:
        dep = self.selected_department()
        if not dep:
            return
        if dep in self.co_handlers:  # the lead moved onto a co-handler: say so, send nothing
            self.co_label.setText(self.tr("The lead cannot also co-handle; pick another department"))
            return
        if self.co_handlers:
            self.sig_joint_dispatch.emit(dep, list(self.co_handlers))
        else:
            self.sig_dispatch.emit(dep)
        self.accept()

    def _on_leader_clicked(self) -> None:
        self.sig_leader_dispatch.emit(self.reason.text().strip())
        self.accept()
