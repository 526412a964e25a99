"""The rotating commander's panel (轮值指挥): who is on duty, the commander's inbox,
the situation charts, duty log, handover, roster and the emergency switch.

Time is platform time (``ctx.clock``). A single-shot timer is armed for the next shift
boundary (07:00, 15:00, 23:00 per ``roster.ShiftPlan``) and for the handover
reminder shortly before it; at the boundary the on-duty display switches. A night
shift belongs to the date it starts on (02:00 on the 23rd is the 22nd's night).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from console import handover as H
from console.domain import command as C
from console.domain import formatting, lifecycle
from console.domain import roster as R
from console.domain.model import Action, Role
from console.operations import command as command_ops
from console.operations import commander as ops
from console.operations import duty_pattern
from console.qt.i18n import ui_language
from localdb import repo, repo_commander as rc
from views.alarms import AlarmsView
from views.briefing import BriefingView
from views.night_watch import NightWatchView
from views.charts import ChartsView
from views.duty_log import DutyLogView
from views.emergency import EmergencyView, type_label
from views.evaluation import EvaluationView
from views.handover import HandoverView
from views.labels import state_label
from views.roster import PHONE_ROLES, RosterView, mask_phone, shift_name
from views.supervision import SupervisionAlertsView
from views.vital_signs import VitalSignsView

if TYPE_CHECKING:
    from console.qt.context import AppContext
    from localdb.store import Store

log = logging.getLogger(__name__)

REASONS = {
    "escalate": QT_TRANSLATE_NOOP("CommanderPanel", "Escalated one level"),
    "leader_dispatch": QT_TRANSLATE_NOOP("CommanderPanel", "Leader dispatch request"),
    "extension": QT_TRANSLATE_NOOP("CommanderPanel", "Extension approval"),
    "urge_district": QT_TRANSLATE_NOOP("CommanderPanel", "District-level supervision"),
    "overdue_key": QT_TRANSLATE_NOOP("CommanderPanel", "Key supervision overdue"),
    "emergency": QT_TRANSLATE_NOOP("CommanderPanel", "Emergency in progress"),
}
HANDOVER_LEAD_S = 600  # prepare the handover record 10 minutes before the shift ends
COMMAND_REFRESH_MS = 20_000  # who holds command is re-read this often (well within a minute)


def _do_load_inbox(store: Store, now: float) -> list[dict[str, Any]]:
    """Worker: tickets waiting on the commander, the running emergency first."""
    with store.session() as s:
        rows = rc.inbox(s, now)
        active = rc.active_emergency(s)
    if active is not None:
        rows.insert(0, {"id": "", "emergency_id": active["id"], "number": active["title"], "reason": "emergency",
                        "category_name": active["kind"], "address": "", "state": "", "limit_deadline": None})
    return rows


def reason_label(reason: str) -> str:
    src = REASONS.get(reason)
    return QCoreApplication.translate("CommanderPanel", src) if src else reason


class CommanderPanel(QWidget):
    panel_name = "commander"

    #: the shift changed (duty date ISO, shift name)
    sig_shift_changed = Signal(str, str)

    INBOX_COLUMNS = (QT_TRANSLATE_NOOP("CommanderPanel", "Number"), QT_TRANSLATE_NOOP("CommanderPanel", "Why"),
                     QT_TRANSLATE_NOOP("CommanderPanel", "Category"), QT_TRANSLATE_NOOP("CommanderPanel", "Address"),
                     QT_TRANSLATE_NOOP("CommanderPanel", "State"), QT_TRANSLATE_NOOP("CommanderPanel", "Limit"))

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CommanderPanel")
        self.ctx = ctx
        self.plan: R.ShiftPlan = R.DEFAULT_PLAN  # refreshed from the street's pattern
        self.last_notice = ""
        self.duty: R.OnDuty | None = None
        self.next_duty: R.OnDuty | None = None
        self.inbox_rows: list[dict[str, Any]] = []
        self._inbox_busy = self._inbox_dirty = False
        self._build()
        self._shift_timer = QTimer(self)
        self._shift_timer.setSingleShot(True)
        self._shift_timer.timeout.connect(self.on_shift_boundary)
        self._handover_timer = QTimer(self)
        self._handover_timer.setSingleShot(True)
        self._handover_timer.timeout.connect(self._on_handover_due)
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_store_changed)
        ctx.link.sig_changed.connect(self._on_link_changed)
        self.emergency.sig_mode.connect(self._on_emergency_mode)
        if self.emergency.active is not None:
            self._on_emergency_mode(True)
        self.command: Any = None
        self._command_timer = QTimer(self)   # a grace running out moves command without a change
        self._command_timer.setInterval(COMMAND_REFRESH_MS)
        self._command_timer.timeout.connect(self.refresh_command)
        self._command_timer.start()
        self.refresh_duty()
        self.refresh_command()
        self.reload_inbox()
        self.charts.refresh()

    # -- layout ------------------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.banner = QLabel(self)
        self.banner.setObjectName("emergency_banner")
        self.banner.setVisible(False)
        self.banner.setStyleSheet("QLabel { color: white; background: #b71c1c; padding: 4px; font-weight: bold; }")
        lay.addWidget(self.banner)
        top = QHBoxLayout()
        self.duty_label = QLabel(self)
        self.duty_label.setObjectName("on_duty")
        self.duty_label.setTextFormat(Qt.TextFormat.RichText)
        self.duty_label.setWordWrap(True)
        top.addWidget(self.duty_label, 3)
        self.next_label = QLabel(self)
        self.next_label.setObjectName("next_shift")
        self.next_label.setWordWrap(True)
        self.next_label.setStyleSheet("color: #555;")
        top.addWidget(self.next_label, 2)
        lay.addLayout(top)
        chain = QHBoxLayout()
        self.command_label = QLabel(self)
        self.command_label.setObjectName("command_holder")
        self.command_label.setTextFormat(Qt.TextFormat.RichText)
        self.command_label.setWordWrap(True)
        chain.addWidget(self.command_label, 1)
        self.off_post_button = QPushButton(self.tr("Go off post"), self)
        self.off_post_button.setObjectName("off_post")
        self.off_post_button.clicked.connect(lambda: self.set_post("off_post"))
        self.on_post_button = QPushButton(self.tr("Back on post"), self)
        self.on_post_button.setObjectName("on_post")
        self.on_post_button.clicked.connect(lambda: self.set_post("on_post"))
        self.hand_over_button = QPushButton(self.tr("Hand over command…"), self)
        self.hand_over_button.setObjectName("hand_over_command")
        self.hand_over_button.clicked.connect(self._on_hand_over_clicked)
        for b in (self.off_post_button, self.on_post_button, self.hand_over_button):
            chain.addWidget(b)
        lay.addLayout(chain)
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("commander_tabs")
        lay.addWidget(self.tabs, 1)

        inbox = QWidget(self)
        il = QVBoxLayout(inbox)
        il.setContentsMargins(2, 2, 2, 2)
        self.inbox = QTableWidget(0, len(self.INBOX_COLUMNS), inbox)
        self.inbox.setObjectName("commander_inbox")
        self.inbox.setHorizontalHeaderLabels([self.tr(c) for c in self.INBOX_COLUMNS])
        self.inbox.verticalHeader().setVisible(False)
        self.inbox.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.inbox.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.inbox.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.inbox.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.inbox.itemSelectionChanged.connect(self._update_inbox_buttons)
        self.inbox.itemDoubleClicked.connect(lambda _i: self._on_show_clicked())
        il.addWidget(self.inbox, 1)
        bar = QHBoxLayout()
        self.decide_button = QPushButton(self.tr("Decide / instruct…"), inbox)
        self.decide_button.setObjectName("inbox_decide")
        self.decide_button.clicked.connect(self._on_decide_clicked)
        self.show_button = QPushButton(self.tr("Show in queue"), inbox)
        self.show_button.clicked.connect(self._on_show_clicked)
        self.inbox_count = QLabel(inbox)
        bar.addWidget(self.inbox_count, 1)
        bar.addWidget(self.show_button)
        bar.addWidget(self.decide_button)
        il.addLayout(bar)

        self.charts = ChartsView(self.ctx, self)
        self.duty_log = DutyLogView(self.ctx, self)
        self.handover = HandoverView(self.ctx, self)
        self.roster = RosterView(self.ctx, self)
        self.emergency = EmergencyView(self.ctx, self)
        self.alarms = AlarmsView(self.ctx, self)
        self.vitals = VitalSignsView(self.ctx, self)
        self.night = NightWatchView(self.ctx, self)
        self.tabs.addTab(inbox, self.tr("Inbox"))
        self.tabs.addTab(self.charts, self.tr("Situation"))
        self.tabs.addTab(self.vitals, self.tr("Vital signs"))
        self._alarm_tab = self.tabs.addTab(self.alarms, self.tr("Alarms"))
        self.alarms.sig_count.connect(self._on_alarm_count)
        self.tabs.addTab(self.duty_log, self.tr("Duty log"))
        self.tabs.addTab(self.handover, self.tr("Handover"))
        self.tabs.addTab(self.roster, self.tr("Roster"))
        self.tabs.addTab(self.emergency, self.tr("Emergency"))
        self.briefing = BriefingView(self.ctx, self)
        self.tabs.addTab(self.briefing, self.tr("Briefing"))
        self.evaluation = EvaluationView(self.ctx, self)
        self.tabs.addTab(self.evaluation, self.tr("Evaluation"))
        self.supervision = SupervisionAlertsView(self.ctx, self)
        self.tabs.addTab(self.supervision, self.tr("Supervision alerts"))
        self.tabs.addTab(self.night, self.tr("Night watch"))
        self._update_inbox_buttons()

    def _on_alarm_count(self, open_n: int, overdue: int) -> None:
        text = self.tr("Alarms") + (f" ({open_n})" if open_n else "")
        self.tabs.setTabText(self._alarm_tab, text)
        self.tabs.tabBar().setTabTextColor(self._alarm_tab, QColor("#c62828") if overdue else QColor())

    # -- on duty -------------------------------------------------------------------------------------
    def now(self) -> float:
        return float(self.ctx.clock())

    def refresh_duty(self) -> None:
        """Read who is on duty now and next; arm the timers for the next boundary."""
        now = self.now()
        self.plan = plan = duty_pattern.plan_of(self.ctx.store)  # the street's shift times
        at = dt.datetime.fromtimestamp(now, plan.tz)
        date, shift = plan.shift_at(at)
        _start, end = plan.shift_bounds(date, shift)
        ndate, nshift = plan.next_shift(date, shift)
        with self.ctx.store.session() as s:
            entries = rc.roster_entries(s, (date - dt.timedelta(days=1)).isoformat(), ndate.isoformat())
        old = (self.duty.date, self.duty.shift) if self.duty else None
        self.duty = R.on_duty(entries, at, plan)
        self.next_duty = R.on_duty(entries, end, plan)
        self._show_duty()
        left_ms = max(0, int((end.timestamp() - now) * 1000))
        self._shift_timer.start(left_ms + 200)
        if left_ms > HANDOVER_LEAD_S * 1000:
            self._handover_timer.start(left_ms - HANDOVER_LEAD_S * 1000)
        if old is not None and old != (self.duty.date, self.duty.shift):
            self.sig_shift_changed.emit(self.duty.date.isoformat(), self.duty.shift)
            self._shift_change_notice()

    def _person(self, e: R.RosterEntry | None, reveal: bool) -> str:
        if e is None:
            missing = self.tr("not on roster")
            return f'<span style="color:#c62828">{missing}</span>'
        phone = mask_phone(e.phone, reveal) if e.phone else ""
        return f"{e.name or e.person_id}" + (f" <span style='color:#666'>{phone}</span>" if phone else "")

    def _show_duty(self) -> None:
        d, n = self.duty, self.next_duty
        reveal = self.ctx.actor.role in PHONE_ROLES
        officers = "、".join(self._person(o, reveal) for o in d.officers) or self._person(None, reveal)
        commander, leader, staff = self.tr("Rotating commander"), self.tr("Shift leader"), self.tr("Officers")
        self.duty_label.setText(
            f"<b>{d.date.isoformat()} {self._shift_title(d.shift)}</b><br>"
            f"{commander}: <b>{self._person(d.commander, reveal)}</b>　"
            f"{leader}: {self._person(d.shift_leader, reveal)}<br>"
            f"{staff}: {officers}")
        self.next_label.setText(
            self.tr("Next: %1 %2 — commander %3, shift leader %4")
            .replace("%1", n.date.isoformat()).replace("%2", shift_name(n.shift))
            .replace("%3", n.commander.name if n.commander else "—")
            .replace("%4", n.shift_leader.name if n.shift_leader else "—"))

    def _shift_title(self, shift: str) -> str:
        """"中班 15:00–23:00" in the interface language (the printed handover keeps Chinese)."""
        try:
            s = self.plan._shift(shift)
        except KeyError:
            return shift_name(shift)
        return f"{shift_name(shift)} {s.start:%H:%M}–{s.end:%H:%M}"

    def _shift_change_notice(self) -> None:
        """Who comes on now, by the roster as it stands (swaps and take-overs included)."""
        d = self.duty
        if d is None:
            return
        if not self.plan._shift(d.shift).staffed:
            text = self.tr("%1: the hall is unstaffed; the video watch goes to the police station.")
        else:
            people = "、".join(e.name or e.person_id for e in d.officers) or "—"
            leader = d.shift_leader.name if d.shift_leader else "—"
            text = self.tr("%1: shift leader %2, officers %3").replace("%2", leader).replace("%3", people)
        self.last_notice = text.replace("%1", H.shift_label(d.shift, self.plan))
        self.ctx.notify.toast(self.tr("Shift change"), self.last_notice, False)

    def on_shift_boundary(self) -> None:
        """The shift changed (timer, or a test moving the clock): redisplay and reload."""
        self.refresh_duty()
        self.duty_log.reload()
        self.roster.reload()
        self.charts.refresh()  # a new day resets the hourly intake

    def _on_handover_due(self) -> None:
        self.handover.prepare()
        self.ctx.notify.toast(self.tr("Shift handover"),
                              self.tr("The shift ends soon: the handover record is ready to sign."), False)

    def snapshot_info(self) -> dict[str, Any]:
        d = self.duty
        if d is None:
            return {"shift": "", "commander": ""}
        return {"shift": H.shift_label(d.shift, self.plan),
                "commander": d.commander.name if d.commander else ""}

    # -- inbox ---------------------------------------------------------------------------------------
    def _on_store_changed(self, changed: dict) -> None:
        if "command" in changed or "roster" in changed:
            self.refresh_command()
        if "ticket" in changed or "emergency" in changed:
            self.reload_inbox()
        if "roster" in changed:
            self.refresh_duty()

    def reload_inbox(self) -> None:
        """Re-read the inbox off the UI thread (the overdue key-supervision scan is a range
        over every overdue ticket)."""
        if self._inbox_busy:
            self._inbox_dirty = True
            return
        self._inbox_busy = True
        self.ctx.tasks.run(_do_load_inbox, self.ctx.store, self.now(), on_done=self._on_inbox_loaded,
                           on_error=self._on_inbox_failed)

    def _on_inbox_failed(self, exc: BaseException) -> None:
        self._inbox_busy = False
        self.ctx.notify.error(str(exc))

    def _on_inbox_loaded(self, rows: list[dict[str, Any]]) -> None:
        self._inbox_busy = False
        if self._inbox_dirty:  # changed meanwhile: these rows are stale
            self._inbox_dirty = False
            self.reload_inbox()
            return
        now = self.now()
        selected = self._selected_row()
        self.inbox_rows = rows
        self.inbox.setRowCount(len(rows))
        for i, r in enumerate(rows):
            limit = ""
            if r.get("limit_deadline"):
                limit = formatting.format_time_left(r["limit_deadline"] - now, ui_language())
            category = type_label(r["category_name"]) if r["reason"] == "emergency" else r.get("category_name") or ""
            cells = (r.get("number") or r["id"][:8], reason_label(r["reason"]), category,
                     r.get("address") or "", state_label(r["state"]) if r.get("state") else "", limit)
            for j, c in enumerate(cells):
                item = QTableWidgetItem(c)
                late = r.get("limit_deadline") is not None and r["limit_deadline"] < now
                if r["reason"] in ("overdue_key", "emergency") or (j == 5 and late):
                    item.setForeground(QColor("#c62828"))
                self.inbox.setItem(i, j, item)
            if selected and r.get("id") == selected.get("id") and r.get("id"):
                self.inbox.selectRow(i)
        for j in range(self.inbox.columnCount()):  # the address (stretched) takes the rest
            if j != 3:
                self.inbox.resizeColumnToContents(j)  # "Key supervision overdue" read "Key …"
        self.inbox_count.setText(self.tr("%1 items waiting for the commander").replace("%1", str(len(rows))))
        self._update_inbox_buttons()

    def _selected_row(self) -> dict[str, Any] | None:
        rows = self.inbox.selectionModel().selectedRows() if self.inbox.selectionModel() else []
        if rows and rows[0].row() < len(self.inbox_rows):
            return self.inbox_rows[rows[0].row()]
        return None

    # -- command chain ---------------------------------------------------------------------------------
    def refresh_command(self) -> None:
        """Who holds command now (console.domain.command): the inbox follows the holder."""
        # whoever is logged in at this desk is in the hall (as when they act)
        held = command_ops.command_now(self.ctx.store, self.now(), acting=self.ctx.actor)
        old = getattr(self.command, "person_id", None)
        self.command = held
        me = self.ctx.actor.user_id
        if held is None:
            self.command_label.setText(self.tr("Command chain: not on this desk's roster"))
        elif isinstance(held, C.CommandGap):
            self.command_label.setText(f'<span style="color:#c62828"><b>{held.message}</b></span>')
        else:
            who = f"{held.role_zh} {held.name or held.person_id}"
            text = self.tr("Command: %1").replace("%1", f"<b>{who}</b>")
            if held.acting:
                text += f"（{C.ACTING}，{held.commander_name or C.ROLE_ZH[C.COMMANDER]}不在岗）"
            if held.person_id == me:
                text += " · " + self.tr("you hold command")
            self.command_label.setText(text)
        mine = self._my_chain_role()
        self.off_post_button.setVisible(mine is not None)
        self.on_post_button.setVisible(mine is not None)
        self.hand_over_button.setVisible(mine is not None)
        holds = isinstance(held, C.Holder) and held.person_id == me
        self.hand_over_button.setEnabled(holds)
        self.off_post_button.setEnabled(mine is not None)
        if old != getattr(held, "person_id", None):
            self._update_inbox_buttons()

    def _my_chain_role(self) -> str | None:
        now = self.now()
        plan = self.plan
        date, _ = plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))
        with self.ctx.store.session() as s:
            entries = rc.roster_entries(s, date.isoformat(), date.isoformat())
        return next((r for r, e in C.chain_for(entries, date).items()
                     if e.person_id == self.ctx.actor.user_id), None)

    def set_post(self, event: str, to: str = "", note: str = "") -> None:
        """Mark yourself off or back on post, or hand command over (``to``)."""
        self.ctx.run_action(command_ops.set_post, event, self.now(), to=to, note=note,
                            on_done=lambda _r: self.refresh_command())

    def _on_hand_over_clicked(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        now = self.now()
        date, _ = self.plan.shift_at(dt.datetime.fromtimestamp(now, self.plan.tz))
        with self.ctx.store.session() as s:
            entries = rc.roster_entries(s, date.isoformat(), date.isoformat())
        others = [(f"{C.ROLE_ZH[r]} {e.name or e.person_id}", e.person_id)
                  for r, e in C.chain_for(entries, date).items() if e.person_id != self.ctx.actor.user_id]
        if not others:
            return
        label, ok = QInputDialog.getItem(self, self.tr("Hand over command"), self.tr("To:"),
                                         [o[0] for o in others], 0, False)
        if ok:
            self.set_post("handover", to=dict(others)[label])

    def _update_inbox_buttons(self) -> None:
        row = self._selected_row()
        self.show_button.setEnabled(row is not None)
        if row is None or not row.get("id"):
            self.decide_button.setEnabled(False)
            self.decide_button.setToolTip(self.tr("Select a ticket in the inbox"))
            return
        with self.ctx.store.session() as s:
            ticket = repo.get_ticket(s, row["id"])
        reasons = [lifecycle.why_not(ticket, a, self.ctx.actor) for a in
                   (Action.INSTRUCT, Action.APPROVE_EXTENSION, Action.DENY_EXTENSION)] if ticket else ["?"]
        if self.ctx.actor.role != Role.COMMANDER:
            why = lifecycle.why_not(ticket, Action.INSTRUCT, self.ctx.actor) if ticket else None
            allowed_ext = ticket is not None and reasons[1] is None
            self.decide_button.setEnabled(allowed_ext)
            self.decide_button.setToolTip(
                (why or "") + ("" if not allowed_ext else "\n" + self.tr("You may approve or deny the extension.")))
            return
        ok = any(r is None for r in reasons)
        chain_says = C.refusal(getattr(self, "command", None), self.ctx.actor.user_id)
        if ok and chain_says:   # the inbox follows whoever holds command now
            reasons, ok = [chain_says], False
        self.decide_button.setEnabled(ok)
        self.decide_button.setToolTip("" if ok else "\n".join(r for r in reasons if r))

    def _on_show_clicked(self) -> None:
        row = self._selected_row()
        if row is None:
            return
        if row["reason"] == "emergency":
            self.tabs.setCurrentWidget(self.emergency)
            return
        self.ctx.bus.sig_select_ticket.emit(row["id"])

    def _on_decide_clicked(self) -> None:
        from views.commander_decision import DecisionDialog

        row = self._selected_row()
        if row is None or not row.get("id"):
            return
        with self.ctx.store.session() as s:
            ticket = repo.get_ticket(s, row["id"])
            depts = rc.department_names(s)
        if ticket is None:
            return
        dlg = DecisionDialog(ticket, self.ctx.actor, depts, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            d = dlg.decision()
            self.decide(ticket.id, d["decision"], d["text"], d["department_id"])

    def decide(self, ticket_id: str, decision: str, text: str, department_id: str | None = None) -> None:
        """Record the decision via the writer thread (audited, queued for the platform)."""
        self.ctx.run_action(ops.decide, ticket_id, decision, text, self.now(), department_id=department_id,
                            on_done=lambda _t: self.reload_inbox())

    # -- link and emergency --------------------------------------------------------------------------
    def _on_link_changed(self, state: str) -> None:
        if state in ("offline", "online"):
            self.ctx.run_action(ops.link_changed, state, self.now(), int(self.ctx.link.outbox_depth or 0))

    def _on_emergency_mode(self, on: bool) -> None:
        e = self.emergency.active
        self.banner.setVisible(on)
        if on and e is not None:
            self.banner.setText(self.tr("EMERGENCY COMMAND: %1").replace("%1", e["title"]))
            self.tabs.setCurrentWidget(self.emergency)
        self.reload_inbox()
