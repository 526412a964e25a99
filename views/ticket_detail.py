"""The ticket detail pane: the whole ticket, its timeline, attachments, cameras and
likely duplicates, with a button for every lifecycle verb.

The reporter's phone is masked (138****1234); roles allowed to see it press "Show",
which runs ``operations.reveal_contact`` (audited) and shows the number until another
ticket is opened.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain.formatting import format_epoch
from console.domain.privacy import CONTACT_ROLES, mask_phone
from console.domain import formatting, timelimits
from console.domain.model import Ticket
from localdb import repo
from localdb import repo_queue as rq
from views import queue_labels as L
from console.operations.tickets import annotate, reveal_contact
from views.ticket_actions import VERBS, TicketActions
from widgets.flow_layout import FlowLayout
from widgets.limit_badge import LimitBadge

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)
TZ = ZoneInfo("Asia/Shanghai")
#: roles that may see a reporter's full phone number (the reveal is audited)
REVEAL_ROLES = CONTACT_ROLES
RELATED_RADIUS_M = 50.0
RELATED_DAYS = 7.0
CAMERA_RADIUS_M = 300.0




def fmt_time(ts: float | None) -> str:
    return format_epoch(ts, "%Y-%m-%d %H:%M", TZ)


class TicketDetail(QWidget):
    """Detail of one ticket. ``actions`` (TicketActions) is shared with the queue."""

    #: ticket_id — the officer asked to open another ticket (related list)
    sig_open_ticket = Signal(str)

    def __init__(self, ctx: AppContext, actions: TicketActions | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket_detail")
        self.ctx = ctx
        self.ticket: Ticket | None = None
        self.revealed: str | None = None
        self._dept_names: dict[str, str] = {}
        self.actions = actions
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        self._scroll = scroll
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        outer.addWidget(scroll)
        body = QWidget()
        scroll.setWidget(body)
        lay = QVBoxLayout(body)
        self._build_head(lay)
        self.buttons_box = QGroupBox(self.tr("Actions"))
        # wraps the buttons to the pane's width: none is cut off at the right edge
        self.buttons_grid = FlowLayout(self.buttons_box, spacing=4, stretch_items=True)
        self.buttons: dict[str, QToolButton] = {}
        lay.addWidget(self.buttons_box)
        if actions is not None:
            self.set_actions(actions)
        lay.addWidget(self._build_fields())
        lay.addWidget(self._build_cameras())
        lay.addWidget(self._build_timeline())
        lay.addWidget(self._build_attachments())
        lay.addWidget(self._build_related())
        lay.addStretch(1)
        self._set_enabled(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """As wide as the pane's content needs (the scroll area alone would let the
        splitter squeeze it until buttons and values are cut off at the right edge)."""
        body = self._scroll.widget()
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        frame = 2 * self._scroll.frameWidth()
        return QSize(body.minimumSizeHint().width() + bar + frame, 200)

    # -- building ----------------------------------------------------------------------------
    def _build_head(self, lay: QVBoxLayout) -> None:
        # the badge under the title: side by side, the ticket number and the badge's
        # "剩余 23小时32分" together would be wider than the pane at a 1920 desk
        head = QVBoxLayout()
        head.setSpacing(2)
        self.title = QLabel(self.tr("No ticket selected"))
        self.title.setObjectName("detail_title")
        self.title.setWordWrap(True)
        f = QFont(self.title.font())
        f.setPointSizeF(f.pointSizeF() * 1.25)
        f.setBold(True)
        self.title.setFont(f)
        self.badge = LimitBadge()
        head.addWidget(self.title)
        head.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addLayout(head)
        # said when the shown ticket is no longer in the queue's list (dispatched out of
        # a filtered tab, hidden by a search): it stays shown, nothing else is picked
        self.left_list = QLabel()
        self.left_list.setObjectName("detail_left_list")
        self.left_list.setWordWrap(True)
        self.left_list.setStyleSheet("background: #fff3cd; color: #5d4200; padding: 4px;")
        self.left_list.hide()
        lay.addWidget(self.left_list)
        # hall mode: who else has this ticket open or is acting on it, refreshed off the
        # UI thread every few seconds (a desk that closes or dies drops out)
        self.presence = QLabel()
        self.presence.setObjectName("detail_presence")
        self.presence.setWordWrap(True)
        self.presence.setStyleSheet("background: #fff3cd; color: #5d4200; padding: 4px; font-weight: bold;")
        self.presence.hide()
        lay.addWidget(self.presence)
        self._presence_reading = False
        self._presence_timer = QTimer(self)
        self._presence_timer.setInterval(3000)
        self._presence_timer.timeout.connect(self._on_presence_timer)
        if getattr(self.ctx.store, "dialect", "sqlite") == "postgresql":
            self._presence_timer.start()

    def _build_fields(self) -> QGroupBox:
        form_box = QGroupBox(self.tr("Ticket"))
        self.form = QFormLayout(form_box)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("state", self.tr("State")), ("priority", self.tr("Priority")),
            ("channel", self.tr("Channel")), ("category", self.tr("Category")),
            ("description", self.tr("Description")), ("grids", self.tr("Grid")),
            ("department", self.tr("Department")), ("reporter", self.tr("Reporter")),
            ("created", self.tr("Created")), ("deadline", self.tr("Deadline")),
            ("flags", self.tr("Supervision")), ("review", self.tr("Verified / reviewed by")),
        ):
            lab = QLabel()
            lab.setObjectName(f"field_{key}")
            lab.setWordWrap(True)
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.fields[key] = lab
            self.form.addRow(label, lab)
        # address, and the locate button under it: side by side, a narrow pane squeezed
        # the address into a column one character wide
        addr_row = QVBoxLayout()
        addr_row.setSpacing(2)
        self.address = QLabel()
        self.address.setObjectName("field_address")
        self.address.setWordWrap(True)
        self.locate_button = QPushButton(self.tr("Locate"))
        self.locate_button.setObjectName("locate_button")
        self.locate_button.setToolTip(self.tr("Centre the map on this ticket"))
        self.locate_button.clicked.connect(self._on_locate_clicked)
        addr_row.addWidget(self.address)
        addr_row.addWidget(self.locate_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.form.insertRow(5, self.tr("Address"), addr_row)
        # phone + reveal
        phone_row = QHBoxLayout()
        self.phone = QLabel()
        self.phone.setObjectName("field_phone")
        self.reveal_button = QPushButton(self.tr("Show"))
        self.reveal_button.setObjectName("reveal_button")
        self.reveal_button.clicked.connect(self._on_reveal_clicked)
        phone_row.addWidget(self.phone, 1)
        phone_row.addWidget(self.reveal_button)
        self.form.insertRow(9, self.tr("Phone"), phone_row)
        return form_box

    def _build_cameras(self) -> QGroupBox:
        cam_box = QGroupBox(self.tr("Nearest cameras"))
        self.cam_layout = FlowLayout(cam_box, spacing=4)
        self.cams_near_button = QPushButton(self.tr("Open cameras nearby"))
        self.cams_near_button.setObjectName("cameras_near_button")
        self.cams_near_button.clicked.connect(self._on_cameras_near_clicked)
        self.cam_buttons: list[QPushButton] = []
        self.cam_layout.addWidget(self.cams_near_button)
        # said here, where the officer is looking, not only in the status bar
        self.cams_none_label = QLabel(cam_box)
        self.cams_none_label.setObjectName("cameras_none")
        self.cams_none_label.setStyleSheet("color: #a61e4d; font-weight: bold;")
        self.cams_none_label.hide()
        self.cam_layout.addWidget(self.cams_none_label)
        return cam_box

    def _build_timeline(self) -> QGroupBox:
        tl_box = QGroupBox(self.tr("Timeline"))
        tl_lay = QVBoxLayout(tl_box)
        self.timeline = QTreeWidget()
        self.timeline.setObjectName("timeline")
        self.timeline.setHeaderLabels([self.tr("When"), self.tr("Who"), self.tr("What"), self.tr("Details")])
        self.timeline.setRootIsDecorated(False)
        self.timeline.setMinimumHeight(140)
        tl_lay.addWidget(self.timeline)
        return tl_box

    def _build_attachments(self) -> QGroupBox:
        att_box = QGroupBox(self.tr("Attachments"))
        att_lay = QVBoxLayout(att_box)
        self.attachments = QListWidget()
        self.attachments.setObjectName("attachments")
        self.attachments.setMaximumHeight(90)
        self.attachments.itemActivated.connect(self._on_attachment_activated)
        att_lay.addWidget(self.attachments)
        return att_box

    def _build_related(self) -> QGroupBox:
        rel_box = QGroupBox(self.tr("Related tickets (within 50 m and 7 days)"))
        rel_lay = QVBoxLayout(rel_box)
        self.related = QListWidget()
        self.related.setObjectName("related")
        self.related.setMaximumHeight(110)
        self.related.itemActivated.connect(
            lambda item: self.sig_open_ticket.emit(item.data(Qt.ItemDataRole.UserRole)))
        rel_lay.addWidget(self.related)
        self.link_button = QPushButton(self.tr("Link as duplicate"))
        self.link_button.setObjectName("link_button")
        self.link_button.clicked.connect(self._on_link_clicked)
        rel_lay.addWidget(self.link_button)
        return rel_box

    def set_left_list(self, left: bool) -> None:
        """Say (or stop saying) that the shown ticket is not in the queue's list."""
        t = self.ticket
        if left and t is not None:
            self.left_list.setText(self.tr("Ticket %1 is no longer in this list (now: %2). It stays shown "
                                           "here and actions apply to it; pick another row to move on.")
                                   .replace("%1", t.number or t.id[:8]).replace("%2", L.state_label(t.state.value)))
            self.left_list.show()
        else:
            self.left_list.hide()

    def set_actions(self, actions: TicketActions) -> None:
        self.actions = actions
        for i, verb in enumerate(VERBS):
            b = QToolButton()
            b.setObjectName(f"button_{verb.action}")
            b.setDefaultAction(actions.actions[verb.action])
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            b.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.buttons[verb.action] = b
            self.buttons_grid.addWidget(b)

    def _set_enabled(self, on: bool) -> None:
        for w in (self.locate_button, self.cams_near_button, self.link_button):
            w.setEnabled(on)
        if not on:
            self.cams_none_label.hide()
            self.cams_near_button.show()
        self.reveal_button.setEnabled(on and self._may_reveal())

    def _may_reveal(self) -> bool:
        return self.ctx.actor.role in REVEAL_ROLES

    # -- presence (hall mode) ----------------------------------------------------------------
    def _on_presence_timer(self) -> None:
        if self._presence_reading:
            return
        ticket_id = self.ticket.id if self.ticket else None
        if ticket_id is None:
            self.presence.hide()
            return
        me = getattr(getattr(self.ctx, "presence", None), "workstation", None)
        store = self.ctx.store
        self._presence_reading = True

        def _read() -> list:
            from localdb import hall

            with store.session() as s:
                return hall.on_tickets(s, [ticket_id], exclude=me).get(ticket_id, [])

        def _done(desks: list) -> None:
            self._presence_reading = False
            if self.ticket is None or self.ticket.id != ticket_id:
                return
            text = L.presence_label(desks)
            self.presence.setText(text)
            self.presence.setVisible(bool(text))

        def _failed(_exc: BaseException) -> None:
            self._presence_reading = False

        self.ctx.tasks.run(_read, on_done=_done, on_error=_failed)

    # -- showing ---------------------------------------------------------------------------
    def show_ticket(self, ticket_id: str | None) -> None:
        if ticket_id != (self.ticket.id if self.ticket else None):
            self.revealed = None
            self.left_list.hide()
            self.presence.hide()
            if getattr(self.ctx, "presence", None) is not None:
                self.ctx.presence.set_ticket(ticket_id or None)  # the hall sees what this desk has open
        if not ticket_id:
            self.ticket = None
            self.title.setText(self.tr("No ticket selected"))
            self._set_enabled(False)
            return
        with self.ctx.store.session() as s:
            t = repo.get_ticket(s, ticket_id)
            if t is None:
                self.ticket = None
                self._set_enabled(False)
                return
            self._warn_lead_s = (repo.ticket_local_state(s, ticket_id) or {}).get("warn_lead_s")
            events = repo.ticket_events(s, ticket_id)
            atts = rq.attachments(s, ticket_id, list(t.attachments))
            cams = repo.cameras_near(s, t.lat, t.lon, CAMERA_RADIUS_M)[:4] if t.lat is not None else []
            related = []
            if t.lat is not None:
                related = [r for r in repo.nearby_tickets(
                    s, t.lat, t.lon, RELATED_RADIUS_M, since=t.created_at - RELATED_DAYS * 86400)
                    if r["id"] != t.id and abs((r["created_at"] or 0) - t.created_at) <= RELATED_DAYS * 86400][:20]
            grid_names = rq.grid_names(s)
            dept_names = rq.department_names(s)
            main = repo.get_ticket(s, t.duplicate_of) if t.duplicate_of else None
            self._merge_info = (main.number or main.id[:8] if main else t.duplicate_of,
                                [d["number"] or d["id"][:8] for d in repo.duplicates_of(s, t.id)])
        self.ticket = t
        self._dept_names = dept_names
        self._fill(t, grid_names, dept_names)
        self._fill_timeline(events)
        self._fill_attachments(atts)
        self._fill_cameras(cams)
        self._fill_related(related)
        self._set_enabled(True)
        if not self.left_list.isHidden():
            self.set_left_list(True)
        self.refresh_limit()
        if self.actions is not None:
            self.actions.refresh()
        if self._presence_timer.isActive():
            self._on_presence_timer()

    def refresh(self) -> None:
        if self.ticket is not None:
            self.show_ticket(self.ticket.id)

    def refresh_limit(self) -> None:
        t = self.ticket
        if t is None:
            return
        now = float(self.ctx.clock())
        state = timelimits.limit_state(t, now, self.ctx.settings.warning_lead_s, getattr(self, "_warn_lead_s", None))
        self.badge.set_limit(state.value, timelimits.remaining_s(t, now))

    def _fill(self, t: Ticket, grid_names: dict[str, str], dept_names: dict[str, str]) -> None:
        self.title.setText(f"{t.number or t.id[:8]} · {t.category_name}")
        F = self.fields
        F["state"].setText(L.state_label(t.state.value))
        F["priority"].setText(L.priority_label(t.priority.value))
        F["channel"].setText(L.channel_label(t.channel.value))
        F["category"].setText(f"{t.big_name} / {t.category_name} ({t.category_code})")
        F["description"].setText(t.description)
        self.address.setText(t.address or (f"{t.lat:.6f}, {t.lon:.6f}" if t.lat is not None else "—"))
        F["grids"].setText(" / ".join(grid_names.get(t.grids[k], t.grids[k]) for k in
                                      ("resp_grid", "committee", "micro_grid") if t.grids.get(k)))
        F["department"].setText(dept_names.get(t.department_id or "", t.department_id or "—"))
        F["reporter"].setText(t.reporter_name or "—")
        self.phone.setText(self.revealed or mask_phone(t.reporter_phone) or "—")
        F["created"].setText(fmt_time(t.created_at))
        F["deadline"].setText(fmt_time(t.deadline))
        flags = []
        if t.key_supervision:
            flags.append(self.tr("Key supervision"))
        if t.urge_count:
            flags.append(self.tr("Urged %1×").replace("%1", str(t.urge_count)))
        if t.escalation_level:
            flags.append(self.tr("Escalated (level %1)").replace("%1", str(t.escalation_level)))
        if t.extension_request:
            # a shift leader may decide an extension too: the pane must not say "commander"
            hours = formatting.format_number(t.extension_request.get("hours"), 1).removesuffix(".0")
            flags.append(self.tr("Extension of %1 h requested: a shift leader or the commander decides")
                         .replace("%1", hours))
        elif t.needs_commander:
            flags.append(self.tr("Waiting for the commander"))
        main_no, dups = getattr(self, "_merge_info", (None, []))
        if t.duplicate_of:
            flags.append(self.tr("Merged into %1: follows it and closes with it").replace("%1", str(main_no)))
        if dups:
            flags.append(self.tr("Main ticket of %1 merged reports: %2").replace("%1", str(len(dups)))
                         .replace("%2", "、".join(dups[:5]) + ("…" if len(dups) > 5 else "")))
        if t.co_handlers:  # 联合派遣: each co-handler's own state
            states = {"pending": self.tr("waiting"), "answered": self.tr("answered"), "released": self.tr("released")}
            flags.append(self.tr("Joint: co-handling %1").replace("%1", "、".join(
                f"{self._co_name(c['department_id'])} {states.get(c.get('state'), c.get('state'))}"
                for c in t.co_handlers)))
        F["flags"].setText("; ".join(flags) or "—")
        F["review"].setText(f"{t.verified_by or '—'} / {t.reviewed_by or '—'}")
        self.reveal_button.setToolTip("" if self._may_reveal() else
                                      self.tr("Only the shift leader or the commander may see the number"))

    def _co_name(self, department_id: str) -> str:
        """A co-handler as the officer knows it: its name, with its id when the name is known."""
        name = self._dept_names.get(department_id)
        return f"{name}（{department_id}）" if name and name != department_id else department_id

    def _fill_timeline(self, events: list[dict[str, Any]]) -> None:
        self.timeline.clear()
        for e in events:
            actor = e.get("actor") or {}
            who = actor.get("name") or actor.get("user_id") or ""
            role = actor.get("role")
            if role:
                who = f"{who} ({L.role_label(role)})"
            detail = self._describe_params(e.get("params") or {})
            what = L.action_label(e.get("action"))
            if e.get("to_state") and e.get("to_state") != e.get("from_state"):
                what = f"{what} → {L.state_label(e['to_state'])}"
            item = QTreeWidgetItem([fmt_time(e.get("at")), who, what, detail])
            if e.get("local"):
                f = item.font(0)
                f.setItalic(True)
                for c in range(4):
                    item.setFont(c, f)
                item.setToolTip(2, self.tr("Not yet confirmed by the district platform"))
            self.timeline.addTopLevelItem(item)
        for c in range(3):
            self.timeline.resizeColumnToContents(c)

    def _describe_params(self, params: dict[str, Any]) -> str:
        names = {"department_id": self.tr("Department"), "reason": self.tr("Reason"),
                 "text": self.tr("Note"), "note": self.tr("Note"), "hours": self.tr("Hours"),
                 "passed": self.tr("Passed"), "on": self.tr("On"), "result": self.tr("Result"),
                 "checked": self.tr("Closure standard confirmed")}
        parts = []
        for k, v in params.items():
            if v in (None, "") or k in ("photo", "ticket"):
                continue
            if k == "department_id":
                v = self._dept_names.get(str(v), v)
            elif isinstance(v, bool):
                v = self.tr("yes") if v else self.tr("no")
            elif isinstance(v, list):
                v = "、".join(map(str, v))
            parts.append(f"{names.get(k, k)}: {v}")
        return "; ".join(parts)

    def _fill_attachments(self, atts: list[dict[str, Any]]) -> None:
        self.attachments.clear()
        for a in atts:
            name = a["sha256"][:12]
            state = a.get("state") or ""
            text = f"{name}…  {a.get('content_type') or ''}  {state}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, a.get("path"))
            if not a.get("path"):
                item.setToolTip(self.tr("Not downloaded to this workstation"))
            self.attachments.addItem(item)

    def _fill_cameras(self, cams: list[dict[str, Any]]) -> None:
        for b in self.cam_buttons:
            b.deleteLater()
        self.cam_buttons = []
        located = self.ticket is not None and self.ticket.lat is not None
        none = located and not cams
        self.cams_none_label.setText(self.tr("No camera within %1 m").replace("%1", f"{CAMERA_RADIUS_M:.0f}")
                                     if none else "")
        self.cams_none_label.setVisible(none)
        self.cams_near_button.setVisible(not none)
        for i, c in enumerate(cams):
            b = QPushButton(f"▶ {c['name']} ({int(c['distance_m'])} m)")
            b.setObjectName(f"camera_{c['id']}")
            b.setEnabled(bool(c.get("online", True)))
            b.clicked.connect(lambda _=False, cid=c["id"]: self.ctx.bus.sig_play_camera.emit(cid))
            self.cam_layout.insertWidget(i, b)
            self.cam_buttons.append(b)

    def _fill_related(self, related: list[dict[str, Any]]) -> None:
        self.related.clear()
        for r in related:
            text = (f"{r.get('number') or r['id'][:8]} · {r.get('category_name', '')} · "
                    f"{L.state_label(r.get('state'))} · {int(r['distance_m'])} m · {fmt_time(r.get('created_at'))}")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, r["id"])
            item.setData(Qt.ItemDataRole.UserRole + 1, r.get("number") or r["id"])
            if r.get("category_code") == (self.ticket.category_code if self.ticket else None):
                f = item.font()
                f.setBold(True)
                item.setFont(f)
                item.setToolTip(self.tr("Same category nearby: likely a duplicate"))
            self.related.addItem(item)
        self.link_button.setEnabled(bool(related))

    # -- slots ----------------------------------------------------------------------------
    def _on_locate_clicked(self) -> None:
        if self.ticket is not None:
            self.ctx.bus.sig_locate_ticket.emit(self.ticket.id)

    def _on_cameras_near_clicked(self) -> None:
        t = self.ticket
        if t is not None and t.lat is not None:
            self.ctx.bus.sig_open_cameras_near.emit(float(t.lat), float(t.lon), CAMERA_RADIUS_M)

    def _on_attachment_activated(self, item: QListWidgetItem) -> None:
        path = item.data(Qt.ItemDataRole.UserRole)
        if not path:
            return
        from widgets.photo_viewer import PhotoViewer

        paths = [self.attachments.item(i).data(Qt.ItemDataRole.UserRole)
                 for i in range(self.attachments.count())]
        paths = [p for p in paths if p]
        self.viewer = PhotoViewer(paths, paths.index(path), self)
        self.viewer.open()

    def _on_reveal_clicked(self) -> None:
        t = self.ticket
        if t is None or not self._may_reveal():
            return

        def _done(result: dict[str, str]) -> None:
            phone = result["reporter_phone"]
            if self.ticket is not None and self.ticket.id == t.id:
                self.revealed = phone
                self.phone.setText(phone)

        self.ctx.run_action(reveal_contact, t.id, float(self.ctx.clock()), on_done=_done)

    def _on_link_clicked(self) -> None:
        t = self.ticket
        item = self.related.currentItem() or (self.related.item(0) if self.related.count() else None)
        if t is None or item is None:
            return
        other = item.data(Qt.ItemDataRole.UserRole + 1)
        text = self.tr("Linked to ticket %1 (likely duplicate)").replace("%1", str(other))
        if self.actions is not None:
            self.actions.sig_started.emit([t.id])
        self.ctx.run_action(annotate, t.id, text, float(self.ctx.clock()),
                            on_done=lambda _r: self.actions.sig_finished.emit([t.id]) if self.actions else None)
