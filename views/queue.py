"""The ticket queue panel: saved tabs with live counts, filters, full-text search, the
lazy ticket table, the detail pane, and every officer action from buttons, the context
menu and the keyboard.

Data: ``views.queue_model.QueueModel`` (row ids only, rows fetched when drawn);
changes arrive from ``ctx.journal.sig_changed``; actions run through the writer
thread (``views.ticket_actions``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSplitter,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from console import geo_filter
from console import settings as S
from console.domain.model import Channel, LimitState, Ticket, TicketState
from localdb import repo
from localdb import repo_queue as rq
from views import queue_labels as L
from views.queue_model import COLUMNS, QueueModel
from views.ticket_actions import TicketActions
from views.ticket_detail import TicketDetail
from widgets.limit_badge import LimitBadgeDelegate

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)

ALL_TAB = "all"
TICK_MS = 30_000
COUNTS_DEBOUNCE_MS = 1000
SEARCH_DEBOUNCE_MS = 250
MAX_BULK = 200
#: default order per tab (column key, descending)
TAB_SORTS = {"warning": ("limit", False), "overdue": ("limit", False)}
#: most tickets a lasso filter lists by id (SQLite allows 32766 parameters per query);
#: a larger lasso falls back to its bounding box
MAX_POLYGON_IDS = 20_000
#: an "ids" value no ticket has (an empty lasso must show nothing, not everything)
NO_TICKET = "\x00none"


class QueuePanel(QWidget):
    panel_name = "queue"

    #: dict tab key -> count, after each batch refresh
    sig_counts = Signal(dict)
    #: ticket_id — the detail pane shows this ticket now
    sig_current_ticket = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_panel")
        self.ctx = ctx
        self.tab_keys: list[str] = [ALL_TAB, *L.TAB_KEYS]
        self.counts: dict[str, int] = {}
        self.external_filter: dict[str, Any] = {}
        # lasso filter: the polygon (WGS-84), its shapely shape, the ids inside (None
        # while they are being worked out: then the polygon's bbox filters alone)
        self._polygon: list[list[float]] | None = None
        self._polygon_shape: Any = None
        self._polygon_ids: set[str] | None = None
        self._polygon_gen = 0
        self._selected_cache: list[Ticket] = []
        self._toasted: set[str] = set()
        self._restore_ids: list[str] = []
        self._sorted_for_tab: str | None = None
        self.dialog: QWidget | None = None  # new-ticket / attention dialog (tests)

        self.model = QueueModel(ctx, self)
        self._build_ui()
        self.actions = TicketActions(ctx, self, current=lambda: self.detail.ticket,
                                     selected=self._selected_tickets)
        self.detail.set_actions(self.actions)
        self.actions.sig_started.connect(self._on_actions_started)
        self.actions.sig_finished.connect(self._on_actions_finished)
        self._build_shortcuts()

        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(COUNTS_DEBOUNCE_MS)
        self._counts_timer.timeout.connect(self.refresh_counts)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._on_tick_timeout)
        self._tick.start()

        self.model.sig_about_to_requery.connect(self._on_model_about_to_requery)
        self.model.sig_requeried.connect(self._on_model_requeried)
        self.model.sig_limit_entered.connect(self._on_limit_entered)
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_journal_changed)
        ctx.bus.sig_filter_queue.connect(self.apply_external_filter)
        ctx.bus.sig_select_ticket.connect(self.select_ticket)

        self.header.setSortIndicator(COLUMNS.index("age"), Qt.SortOrder.DescendingOrder)
        self.apply_filters()
        self.refresh_counts()
        self._update_attention_button()

    # -- building ------------------------------------------------------------------------
    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.tabs = QTabBar()
        self.tabs.setObjectName("queue_tabs")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        for key in self.tab_keys:
            self.tabs.addTab(L.tab_labels()[key])
        self.tabs.currentChanged.connect(lambda _i: self.apply_filters())
        top = QHBoxLayout()
        top.addWidget(self.tabs, 1)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search description, address, number (F3)"))
        self.search.setMinimumWidth(160)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._on_search_return)
        top.addWidget(self.search)
        self.new_button = QPushButton(self.tr("New ticket"))
        self.new_button.setObjectName("new_ticket_button")
        self.new_button.setToolTip(self.tr("New ticket (Ctrl+N)"))
        self.new_button.clicked.connect(self.open_new_ticket)
        top.addWidget(self.new_button)
        self.attention_button = QPushButton(self.tr("Needs attention"))
        self.attention_button.setObjectName("attention_button")
        self.attention_button.clicked.connect(self.open_attention)
        top.addWidget(self.attention_button)
        lay.addLayout(top)

        filters = QHBoxLayout()
        self.combos: dict[str, QComboBox] = {}
        with self.ctx.store.session() as s:
            cats = repo.categories(s)
            deps = repo.departments(s, with_load=False)
            grids = repo.grid_rows(s, "resp_grid") + repo.grid_rows(s, "committee")
        specs = {
            "state": (self.tr("State"), [(st.value, L.state_label(st.value)) for st in TicketState]),
            "channel": (self.tr("Channel"), [(c.value, L.channel_label(c.value)) for c in Channel]),
            "category": (self.tr("Category"), [(c["code"], f"{c['small_name']} ({c['code']})") for c in cats]),
            "grid": (self.tr("Grid"), [(g["id"], g["name"]) for g in grids]),
            "department": (self.tr("Department"), [(d["id"], d["name"]) for d in deps]),
            "limit": (self.tr("Time limit"), [(ls.value, L.limit_label(ls.value)) for ls in LimitState]),
        }
        for key, (title, items) in specs.items():
            cb = QComboBox()
            cb.setObjectName(f"filter_{key}")
            cb.addItem(self.tr("%1: any").replace("%1", title), None)
            for value, text in items:
                cb.addItem(text, value)
            cb.currentIndexChanged.connect(lambda _i: self.apply_filters())
            # Shrinkable: the queue must share a 1920 px wall screen with the map and video.
            cb.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            cb.setMinimumContentsLength(7)
            self.combos[key] = cb
            filters.addWidget(cb)
        filters.addStretch(1)
        toggles = QHBoxLayout()  # second row: toggles, clear, status
        self.checks: dict[str, QCheckBox] = {}
        for key, text in (("mine", self.tr("Mine")), ("needs_commander", self.tr("Needs commander")),
                          ("pending_sync", self.tr("Pending sync"))):
            ch = QCheckBox(text)
            ch.setObjectName(f"check_{key}")
            ch.toggled.connect(lambda _on: self.apply_filters())
            self.checks[key] = ch
            toggles.addWidget(ch)
        self.external_label = QLabel()
        self.external_label.setObjectName("external_filter")
        self.external_label.setStyleSheet("color: #1565c0;")
        toggles.addWidget(self.external_label)
        clear = QPushButton(self.tr("Clear filters"))
        clear.setObjectName("clear_filters")
        clear.clicked.connect(self.clear_filters)
        toggles.addWidget(clear)
        toggles.addStretch(1)
        self.status = QLabel()
        self.status.setObjectName("queue_status")
        toggles.addWidget(self.status)
        lay.addLayout(filters)
        lay.addLayout(toggles)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.table = QTableView()
        self.table.setObjectName("queue_table")
        self.table.setModel(self.model)
        self.table.setItemDelegateForColumn(0, LimitBadgeDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = self.table.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size hints
        vh.setDefaultSectionSize(max(22, self.fontMetrics().height() + 8))
        self.header = self.table.horizontalHeader()
        self.header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.header.setStretchLastSection(False)
        widths = {"limit": 110, "priority": 56, "channel": 96, "category": 96, "grid": 96,
                  "address": 200, "state": 80, "department": 120, "age": 64, "sync": 70}
        for i, col in enumerate(COLUMNS):
            self.header.resizeSection(i, widths[col])
        self.header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_selection_changed())
        split.addWidget(self.table)
        self.detail = TicketDetail(self.ctx)
        self.detail.sig_open_ticket.connect(self.select_ticket)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 300])
        lay.addWidget(split, 1)

    def _build_shortcuts(self) -> None:
        def sc(keys: str, slot, name: str) -> None:
            a = QAction(self)
            a.setObjectName(name)
            a.setShortcut(QKeySequence(keys))
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            a.triggered.connect(slot)
            self.addAction(a)

        sc("Ctrl+N", self.open_new_ticket, "shortcut_new")
        sc("F3", self.focus_search, "shortcut_search")
        sc("Ctrl+F", self.focus_search, "shortcut_search2")
        sc("Ctrl+0", lambda: self.set_tab(ALL_TAB), "shortcut_tab_all")
        for i, key in enumerate(L.TAB_KEYS, start=1):
            sc(f"Ctrl+{i}", lambda _=False, k=key: self.set_tab(k), f"shortcut_tab_{i}")
        sc("G", self._on_locate_shortcut, "shortcut_locate")
        sc("?", self.show_shortcuts, "shortcut_sheet")
        sc("Ctrl+Shift+A", self.open_attention, "shortcut_attention")
        esc = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search)
        esc.setContext(Qt.ShortcutContext.WidgetShortcut)
        esc.activated.connect(self.table.setFocus)

    # -- filters -----------------------------------------------------------------------------
    def current_tab(self) -> str:
        return self.tab_keys[max(0, self.tabs.currentIndex())]

    def set_tab(self, key: str) -> None:
        self.tabs.setCurrentIndex(self.tab_keys.index(key))

    def compose_filter(self) -> dict[str, Any]:
        parts: list[dict[str, Any]] = []
        tab = self.current_tab()
        if tab != ALL_TAB:
            parts.append({"tab": tab})
        own: dict[str, Any] = {}
        for key, cb in self.combos.items():
            if cb.currentData() is not None:
                own[key] = cb.currentData()
        for key, ch in self.checks.items():
            if ch.isChecked():
                own[key] = True
        if own:
            parts.append(own)
        if external := self._external_sql():
            parts.append(external)
        out: dict[str, Any] = {"all_of": parts, "lead_s": self.model.lead_s}
        if text := self.search.text().strip():
            out["text"] = text
        return out

    def apply_filters(self) -> None:
        self._search_timer.stop()
        tab = self.current_tab()
        if tab != self._sorted_for_tab:
            # Each tab opens in its natural order: the time-limit tabs by time left
            # (which is also the index their filter uses), the others newest first.
            self._sorted_for_tab = tab
            key, desc = TAB_SORTS.get(tab, ("age", True))
            self.model.set_sort(key, desc)
            self.header.blockSignals(True)
            self.header.setSortIndicator(COLUMNS.index(key), Qt.SortOrder.DescendingOrder if desc
                                         else Qt.SortOrder.AscendingOrder)
            self.header.blockSignals(False)
        self.model.set_filter(self.compose_filter())
        self._update_status()

    def clear_filters(self) -> None:
        for cb in self.combos.values():
            cb.blockSignals(True)
            cb.setCurrentIndex(0)
            cb.blockSignals(False)
        for ch in self.checks.values():
            ch.blockSignals(True)
            ch.setChecked(False)
            ch.blockSignals(False)
        self.external_filter = {}
        self._set_polygon(None)
        self.external_label.clear()
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.apply_filters()

    def apply_external_filter(self, f: dict) -> None:
        """A filter from the map or charts (grids, bbox, polygon, state, category, department)."""
        self.external_filter = {k: v for k, v in dict(f or {}).items() if v not in (None, "", [], {})}
        polygon = self.external_filter.get("polygon")
        if polygon is not None:
            try:
                self._set_polygon(polygon)
            except geo_filter.PolygonError as exc:
                log.warning("queue: polygon filter ignored: %s", exc)
                self.external_filter.pop("polygon")
                self._set_polygon(None)
        else:
            self._set_polygon(None)
        self.external_label.setText(
            self.tr("Filtered from another panel: %1").replace("%1", ", ".join(sorted(self.external_filter)))
            if self.external_filter else "")
        self.apply_filters()

    # -- lasso (polygon) filter ----------------------------------------------------------------
    def _external_sql(self) -> dict[str, Any]:
        """The external filter as the SQL filter understands it: a polygon becomes its
        bbox and (once worked out) the ids of the tickets inside it."""
        out = {k: v for k, v in self.external_filter.items() if k != "polygon"}
        if self._polygon is not None:
            out["bbox"] = geo_filter.bbox(self._polygon)
            if self._polygon_ids is not None:
                out["ids"] = sorted(self._polygon_ids) or [NO_TICKET]
        return out

    def _set_polygon(self, polygon: Any) -> None:
        self._polygon_gen += 1
        if polygon is None:
            self._polygon = self._polygon_shape = self._polygon_ids = None
            return
        pts = geo_filter.clean_polygon(polygon)
        self._polygon_shape = geo_filter.shape(pts)
        self._polygon = pts
        self._polygon_ids = None
        gen = self._polygon_gen
        now, actor_id = float(self.ctx.clock()), self.ctx.actor.user_id

        def _work() -> list[str]:
            with self.ctx.store.session() as s:
                return geo_filter.ticket_ids_in_polygon(s, pts, now, actor_id)

        self.ctx.tasks.run(_work, on_done=lambda ids: self._on_polygon_ids(gen, ids),
                           on_error=lambda exc: self._on_polygon_failed(gen, exc))

    def _on_polygon_ids(self, gen: int, ids: list[str]) -> None:
        if gen != self._polygon_gen:
            return  # another filter replaced this lasso meanwhile
        if len(ids) > MAX_POLYGON_IDS:
            self.ctx.notify.info(self.tr("The lasso holds more than %1 tickets: the queue shows its "
                                         "bounding box").replace("%1", str(MAX_POLYGON_IDS)))
            return
        self._polygon_ids = set(ids)
        self.apply_filters()

    def _on_polygon_failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._polygon_gen:
            log.error("queue: lasso filter failed: %s", exc)
            self.ctx.notify.error(self.tr("The lasso filter failed: %1").replace("%1", str(exc)))

    def _update_polygon_members(self, ticket_ids: list[str]) -> None:
        """Changed tickets may enter the lasso (new ones) or leave it (moved): update the
        ids the SQL filter lists, before the model decides what to re-query."""
        if self._polygon_ids is None or not ticket_ids:
            return
        if len(ticket_ids) > 2000:  # a bulk load: work the lasso out again
            self._set_polygon(self._polygon)
            return
        with self.ctx.store.session() as s:
            rows = rq.get_rows(s, list(rq.rids_of(s, ticket_ids).values()))
        hit = set(geo_filter.inside(self._polygon_shape,
                                    ((r["id"], r.get("lat"), r.get("lon")) for r in rows.values())))
        members = (self._polygon_ids - set(ticket_ids)) | hit
        if members != self._polygon_ids and len(members) <= MAX_POLYGON_IDS:
            self._polygon_ids = members
            self.model.update_filter(self.compose_filter())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _on_search_return(self) -> None:
        self.apply_filters()
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _update_status(self) -> None:
        n = self.model.rowCount()
        more = "+" if self.model.canFetchMore() else ""
        self.status.setText(self.tr("%1 tickets shown").replace("%1", f"{n}{more}"))

    # -- counts ------------------------------------------------------------------------------
    def refresh_counts(self) -> None:
        """Tab counts off the UI thread (one batch for all tabs)."""
        now = float(self.ctx.clock())
        actor_id = self.ctx.actor.user_id
        lead_s = self.model.lead_s

        def _do_counts() -> dict[str, int]:
            with self.ctx.store.session() as s:
                return rq.tab_counts(s, now, actor_id, lead_s)

        self.ctx.tasks.run(_do_counts, on_done=self._on_counts_done)

    def _on_counts_done(self, counts: dict[str, int]) -> None:
        self.counts = dict(counts)
        labels = L.tab_labels()
        for i, key in enumerate(self.tab_keys):
            if key in counts:
                self.tabs.setTabText(i, f"{labels[key]} ({counts[key]})")
        self.sig_counts.emit(self.counts)

    # -- selection and detail ----------------------------------------------------------------
    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        tid = self.model.ticket_id_at(current.row()) if current.isValid() else None
        self.detail.show_ticket(tid)
        if tid:
            self.sig_current_ticket.emit(tid)

    def _on_selection_changed(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})[:MAX_BULK]
        ids = [t for t in (self.model.ticket_id_at(r) for r in rows) if t]
        if len(ids) <= 1:
            self._selected_cache = [self.detail.ticket] if self.detail.ticket else []
        else:
            with self.ctx.store.session() as s:
                self._selected_cache = [t for t in (repo.get_ticket(s, i) for i in ids) if t]
        self.actions.refresh()

    def _selected_tickets(self) -> list[Ticket]:
        return list(self._selected_cache)

    def selected_ticket_ids(self) -> list[str]:
        return [t.id for t in self._selected_cache]

    def select_ticket(self, ticket_id: str) -> None:
        """Select the ticket in the table (switching to All if the filter hides it)."""
        row = self.model.row_of_ticket(ticket_id)
        if row is None:
            with self.ctx.store.session() as s:
                hidden = not rq.matching(s, self.model.filter, [ticket_id], float(self.ctx.clock()),
                                         self.ctx.actor.user_id)
            if hidden:
                self.tabs.blockSignals(True)
                self.set_tab(ALL_TAB)
                self.tabs.blockSignals(False)
                self.clear_filters()
            row = self._find_loading(ticket_id)
        if row is not None:
            idx = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            self.detail.show_ticket(ticket_id)

    def _find_loading(self, ticket_id: str, max_pages: int = 40) -> int | None:
        with self.ctx.store.session() as s:
            rid = rq.rids_of(s, [ticket_id]).get(ticket_id)
        if rid is None:
            return None
        pages = 0
        while self.model.row_of_rid(rid) is None and self.model.canFetchMore() and pages < max_pages:
            self.model.fetchMore()
            pages += 1
        return self.model.row_of_rid(rid)

    def _on_model_about_to_requery(self) -> None:
        self._restore_ids = self.selected_ticket_ids()
        cur = self.detail.ticket.id if self.detail.ticket else None
        if cur and cur not in self._restore_ids:
            self._restore_ids.insert(0, cur)
        self._restore_scroll = self.table.verticalScrollBar().value()

    def _on_model_requeried(self) -> None:
        self._update_status()
        if not self._restore_ids:
            return
        sel = self.table.selectionModel()
        sel.blockSignals(True)
        first = True
        for tid in self._restore_ids[:MAX_BULK]:
            row = self.model.row_of_ticket(tid)
            if row is None:
                continue
            idx = self.model.index(row, 0)
            flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
            if first:
                sel.setCurrentIndex(idx, flags)
                first = False
            else:
                sel.select(idx, flags)
        sel.blockSignals(False)
        self.table.verticalScrollBar().setValue(getattr(self, "_restore_scroll", 0))
        self.table.viewport().update()

    # -- live changes ------------------------------------------------------------------------
    def _on_journal_changed(self, changed: dict) -> None:
        ticket_ids = list(changed.get("ticket") or [])
        if ticket_ids:
            self._update_polygon_members(ticket_ids)
            self.model.on_tickets_changed(ticket_ids)  # the rows first: what the officer watches
            self._counts_timer.start()
        # the rest after the rows have been repainted
        QTimer.singleShot(0, lambda: self._after_journal_change(changed, ticket_ids))

    def _after_journal_change(self, changed: dict, ticket_ids: list[str]) -> None:
        if ticket_ids:
            if self.detail.ticket is not None and self.detail.ticket.id in ticket_ids:
                self.detail.refresh()
            self._alert_new_tickets(ticket_ids)
        if changed.get("alarm"):
            self._alert_alarms(list(changed["alarm"]))
        if changed.get("outbox") or ticket_ids:
            self._update_attention_button()

    def _alert_new_tickets(self, ticket_ids: list[str]) -> None:
        if len(ticket_ids) > 500:  # a bootstrap, not news
            return
        now = float(self.ctx.clock())
        with self.ctx.store.session() as s:
            rows = rq.get_rows(s, list(rq.rids_of(s, ticket_ids).values()))
        for r in rows.values():
            if r["id"] in self._toasted or r.get("state") != "pending":
                continue
            if now - (r.get("created_at") or 0) > 900:
                continue
            urgent = r.get("priority") in ("urgent", "critical")
            if urgent or r.get("channel") == "iot_alarm":
                self._toasted.add(r["id"])
                title = (self.tr("Urgent ticket") if urgent else self.tr("IoT alarm ticket"))
                self.ctx.notify.toast(title, f"{r.get('category_name', '')} · {r.get('address', '')}",
                                      self.ctx.settings.get(S.SOUND_ENABLED))

    def _alert_alarms(self, alarm_ids: list[str]) -> None:
        if len(alarm_ids) > 200:
            return
        with self.ctx.store.session() as s:
            active = {a["id"]: a for a in repo.alarms(s, active_only=True)}
        for aid in alarm_ids:
            a = active.get(aid)
            if a is None or f"alarm:{aid}" in self._toasted:
                continue
            self._toasted.add(f"alarm:{aid}")
            self.ctx.notify.toast(self.tr("IoT alarm"), f"{a.get('type', '')} · {a.get('sensor_id') or ''}",
                                  self.ctx.settings.get(S.SOUND_ENABLED))

    def _update_attention_button(self) -> None:
        with self.ctx.store.session() as s:
            n = len(rq.needs_attention(s))
        self.attention_button.setText(self.tr("Needs attention (%1)").replace("%1", str(n))
                                      if n else self.tr("Needs attention"))
        self.attention_button.setStyleSheet("color: #c62828; font-weight: bold;" if n else "")

    def _on_limit_entered(self, ticket_id: str, state: str) -> None:
        log.debug("ticket %s entered %s", ticket_id, state)

    def _on_tick_timeout(self) -> None:
        self.model.tick()
        self.detail.refresh_limit()
        self._counts_timer.start()

    def _on_actions_started(self, ids: list) -> None:
        for tid in ids:
            self.model.mark_pending(tid, True)

    def _on_actions_finished(self, ids: list) -> None:
        for tid in ids:
            self.model.mark_pending(tid, False)

    # -- context menu and dialogs -------------------------------------------------------------
    def _on_table_context_menu(self, pos: QPoint) -> None:
        idx = self.table.indexAt(pos)
        if not idx.isValid():
            return
        if not self.table.selectionModel().isRowSelected(idx.row(), QModelIndex()):
            self.table.selectRow(idx.row())
        menu = self.build_context_menu()
        self._menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def build_context_menu(self) -> QMenu:
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        for key in ("accept", "register", "dispatch", "urge", "escalate", "leader_dispatch",
                    "verify", "second_review", "close", "return", "request_extension",
                    "approve_extension", "deny_extension", "suspend", "resume", "self_handle",
                    "set_key_supervision", "annotate"):
            menu.addAction(self.actions.actions[key])
        menu.addSeparator()
        loc = menu.addAction(self.tr("Locate on map"))
        loc.triggered.connect(self._on_locate_shortcut)
        return menu

    def _on_locate_shortcut(self) -> None:
        if self.detail.ticket is not None:
            self.ctx.bus.sig_locate_ticket.emit(self.detail.ticket.id)

    def open_new_ticket(self) -> None:
        from views.new_ticket import NewTicketDialog

        d = NewTicketDialog(self.ctx, self)
        d.sig_created.connect(self._on_ticket_created)
        self.dialog = d
        d.open()

    def _on_ticket_created(self, ticket_id: str) -> None:
        self.set_tab(ALL_TAB)
        self.select_ticket(ticket_id)

    def open_attention(self) -> None:
        from views.attention import AttentionDialog

        d = AttentionDialog(self.ctx, self)
        d.sig_open_ticket.connect(self.select_ticket)
        self.dialog = d
        d.open()

    def show_shortcuts(self) -> None:
        from views.shortcuts import show_shortcut_sheet

        self.dialog = show_shortcut_sheet(self)

    # -- shell -------------------------------------------------------------------------------
    def snapshot_info(self) -> dict[str, Any]:
        with self.ctx.store.session() as s:
            return {"tickets": rq.total(s)}
