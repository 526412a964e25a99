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

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QFontMetrics, QKeySequence, QShortcut
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

from console import settings as S
from console.domain import alerts, formatting
from console.domain.model import Ticket
from console.qt.i18n import ui_language
from localdb import repo
from localdb import queue_query as qq
from localdb import repo_queue as rq
from views import queue_labels as L
from views.queue_filters import ALL_TAB, QueueFilterBar
from views.queue_model import COLUMNS, QueueModel, row_limit_state
from views.ticket_actions import TicketActions
from views.ticket_detail import TicketDetail
from widgets.limit_badge import LimitBadgeDelegate

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)

TICK_MS = 30_000
COUNTS_DEBOUNCE_MS = 1000
MAX_BULK = 200
#: the order a tab opens in (column key, descending) until the officer sorts it: the
#: priority order (特急 and overdue first, then by time left), the time-limit tabs by
#: time left (the index their filter walks)
DEFAULT_SORT = ("priority", True)
TAB_SORTS = {"warning": ("limit", False), "overdue": ("limit", False)}


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
        self.counts: dict[str, int] = {}
        self._selected_cache: list[Ticket] = []
        self._toasted: set[str] = set()
        self._restore_ids: list[str] = []
        self._restoring = False
        self._sorted_for_tab: str | None = None
        #: the officer's own order per tab (kept when they come back to the tab)
        self._chosen_sorts: dict[str, tuple[str, bool]] = {}
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

        self.header.sortIndicatorChanged.connect(self._on_sort_indicator_changed)
        self.apply_filters()
        self.refresh_counts()
        self._update_attention_button()

    # -- building ------------------------------------------------------------------------
    def _build_ui(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.filters = QueueFilterBar(self.ctx, self)
        self.filters.sig_changed.connect(self.apply_filters)
        self.filters.sig_members_changed.connect(
            lambda: self.model.update_filter(self.compose_filter()))
        self.filters.sig_search_return.connect(self._on_search_return)
        self._build_buttons(self.filters.top_row)
        lay.addWidget(self.filters)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self._build_table())
        self.detail = TicketDetail(self.ctx)
        self.detail.sig_open_ticket.connect(self.select_ticket)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        split.setSizes([640, 300])
        lay.addWidget(split, 1)

    def _build_buttons(self, row: QHBoxLayout) -> None:
        self.new_button = QPushButton(self.tr("New ticket"))
        self.new_button.setObjectName("new_ticket_button")
        self.new_button.setToolTip(self.tr("New ticket (Ctrl+N)"))
        self.new_button.clicked.connect(self.open_new_ticket)
        row.addWidget(self.new_button)
        self.attention_button = QPushButton(self.tr("Failed sync actions"))
        self.attention_button.setObjectName("attention_button")
        self.attention_button.clicked.connect(self.open_attention)
        row.addWidget(self.attention_button)

    def _build_table(self) -> QTableView:
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
        for i, col in enumerate(COLUMNS):
            self.header.resizeSection(i, self.column_width(col))
        # the sync column (unsent, refused, who else has the ticket) right after the time
        # limit: at a 1920 desk the queue shows five columns before it scrolls sideways
        self.header.moveSection(self.header.visualIndex(COLUMNS.index("sync")), 1)
        self.header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self._rows_painted = -1  # rows in the model at the table's last paint (-1: not painted)
        self.table.viewport().installEventFilter(self)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_selection_changed())
        self.table.clicked.connect(lambda _idx: self._follow_selection())
        return self.table

    #: starting widths (px) of the queue's columns; each grows to its header and, for the
    #: limit column, to the longest badge the hall sees ("超时 23小时59分")
    BASE_WIDTHS = {"limit": 110, "priority": 56, "channel": 96, "category": 96, "grid": 96,
                   "address": 200, "state": 80, "department": 120, "age": 64, "sync": 70}

    def column_width(self, col: str) -> int:
        """Wide enough that neither the header (with its sort arrow) nor the limit badge is
        cut at the first start, in either language."""
        fm = self.header.fontMetrics()
        i = COLUMNS.index(col)
        title = str(self.model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) or "")
        width = max(self.BASE_WIDTHS[col], fm.horizontalAdvance(title) + 34)
        if col == "limit":
            bold = QFont(self.table.font())
            bold.setBold(True)
            bm = QFontMetrics(bold)
            lang = ui_language()
            longest = max((formatting.format_time_left(s, lang)
                           for s in (-(23 * 3600 + 59 * 60), 20 * 86400 + 23 * 3600 + 59 * 60)),
                          key=bm.horizontalAdvance)
            width = max(width, bm.horizontalAdvance(longest) + 30)  # the badge's icon and margins
        return width

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

    # -- filters (the bar composes them; these keep the panel's interface) ---------------
    @property
    def tabs(self) -> QTabBar:
        return self.filters.tabs

    @property
    def search(self) -> QLineEdit:
        return self.filters.search

    @property
    def combos(self) -> dict[str, QComboBox]:
        return self.filters.combos

    @property
    def checks(self) -> dict[str, QCheckBox]:
        return self.filters.checks

    @property
    def external_label(self) -> QLabel:
        return self.filters.external_label

    @property
    def status(self) -> QLabel:
        return self.filters.status

    @property
    def tab_keys(self) -> list[str]:
        return self.filters.tab_keys

    def current_tab(self) -> str:
        return self.filters.current_tab()

    def set_tab(self, key: str) -> None:
        self.filters.set_tab(key)

    def compose_filter(self) -> dict[str, Any]:
        return self.filters.compose(self.model.lead_s)

    def clear_filters(self) -> None:
        self.filters.clear()

    def apply_external_filter(self, f: dict) -> None:
        self.filters.apply_external(f)

    def tab_sort(self, tab: str) -> tuple[str, bool]:
        return self._chosen_sorts.get(tab) or TAB_SORTS.get(tab, DEFAULT_SORT)

    def _on_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        # only the officer's clicks arrive here (the tab's own order is set with signals blocked)
        if 0 <= column < len(COLUMNS):
            self._chosen_sorts[self.current_tab()] = (COLUMNS[column], order == Qt.SortOrder.DescendingOrder)

    def apply_filters(self) -> None:
        self.filters.stop_search_timer()
        tab = self.current_tab()
        if tab != self._sorted_for_tab:
            # Each tab opens in its own order: the officer's choice for it, else the
            # priority order (the time-limit tabs: time left).
            self._sorted_for_tab = tab
            key, desc = self.tab_sort(tab)
            self.model.set_sort(key, desc)
            self.header.blockSignals(True)
            self.header.setSortIndicator(COLUMNS.index(key), Qt.SortOrder.DescendingOrder if desc
                                         else Qt.SortOrder.AscendingOrder)
            self.header.blockSignals(False)
        self.model.set_filter(self.compose_filter())
        self._update_status()

    def focus_search(self) -> None:
        self.filters.focus_search()

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
                return qq.tab_counts(s, now, actor_id, lead_s)

        self.ctx.tasks.run(_do_counts, on_done=self._on_counts_done)

    def _on_counts_done(self, counts: dict[str, int]) -> None:
        self.counts = dict(counts)
        self.filters.set_counts(self.counts)
        self.sig_counts.emit(self.counts)

    # -- selection and detail ----------------------------------------------------------------
    # The detail pane shows, and every action applies to, the ticket the officer
    # highlighted. Qt also makes rows "current" on its own (focus returning to the table
    # after a dialog, a model reset): such a row is not highlighted and is not followed.
    def _on_current_row_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._follow_selection()

    def _follow_selection(self) -> None:
        if self._restoring:
            return
        sel = self.table.selectionModel()
        cur = sel.currentIndex()
        if not cur.isValid() or not sel.isRowSelected(cur.row(), QModelIndex()):
            return
        tid = self.model.ticket_id_at(cur.row())
        if not tid:
            return
        if tid != self.shown_ticket_id():
            self.detail.show_ticket(tid)
            self.sig_current_ticket.emit(tid)
        self.model.hold_flash(self.shown_ticket_id())
        self.detail.set_left_list(False)

    def shown_ticket_id(self) -> str | None:
        return self.detail.ticket.id if self.detail.ticket is not None else None

    def _on_selection_changed(self) -> None:
        self._follow_selection()
        if self._restoring:
            return
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
                hidden = not qq.matching(s, self.model.filter, [ticket_id], float(self.ctx.clock()),
                                         self.ctx.actor.user_id)
            if hidden:
                self.filters.set_tab(ALL_TAB, quiet=True)
                self.clear_filters()
            row = self._find_loading(ticket_id)
        if row is not None:
            idx = self.model.index(row, 0)
            self.table.selectionModel().setCurrentIndex(
                idx, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
            self.table.scrollTo(idx, QAbstractItemView.ScrollHint.PositionAtCenter)
        else:
            self.detail.show_ticket(ticket_id)
            self.model.hold_flash(self.shown_ticket_id())
            self.detail.set_left_list(self.detail.ticket is not None)

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
        cur = self.shown_ticket_id()
        if cur and cur not in self._restore_ids:
            self._restore_ids.insert(0, cur)
        self._restore_scroll = self.table.verticalScrollBar().value()

    def _on_model_requeried(self) -> None:
        """Highlight again the rows that were highlighted. The shown ticket stays shown:
        if it left the list the pane says so, and nothing else is highlighted (an action
        must never land on a row the officer did not pick)."""
        self._update_status()
        shown = self.shown_ticket_id()
        if not self._restore_ids:
            return
        sel = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        current = None
        self._restoring = True
        try:
            rows = {tid: self.model.row_of_ticket(tid) for tid in self._restore_ids[:MAX_BULK]}
            if shown is not None and rows.get(shown) is None:
                rows = {}
            for tid, row in rows.items():
                if row is None:
                    continue
                idx = self.model.index(row, 0)
                sel.select(idx, flags)
                if tid == shown:
                    current = idx
            sel.setCurrentIndex(current if current is not None else QModelIndex(),
                                QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._restoring = False
        self.detail.set_left_list(shown is not None and current is None)
        self._on_selection_changed()
        self.table.verticalScrollBar().setValue(getattr(self, "_restore_scroll", 0))
        self.table.viewport().update()

    # -- live changes ------------------------------------------------------------------------
    def _on_journal_changed(self, changed: dict) -> None:
        ticket_ids = list(changed.get("ticket") or [])
        if ticket_ids:
            self.filters.update_polygon_members(ticket_ids)
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

    def _sound_on(self) -> bool:
        return bool(self.ctx.settings.get(S.SOUND_ENABLED))

    def _alert_new_tickets(self, ticket_ids: list[str]) -> None:
        if len(ticket_ids) > alerts.BULK_TICKETS:  # a bootstrap, not news
            return

        def _do_rows() -> list[dict[str, Any]]:
            with self.ctx.store.session() as s:
                return list(rq.get_rows(s, list(rq.rids_of(s, ticket_ids).values())).values())

        self.ctx.tasks.run(_do_rows, on_done=self._on_new_ticket_rows)

    def _on_new_ticket_rows(self, rows: list[dict[str, Any]]) -> None:
        for kind, r in alerts.new_ticket_alerts(rows, float(self.ctx.clock()), self._toasted):
            title = self.tr("Urgent ticket") if kind == "urgent" else self.tr("IoT alarm ticket")
            text = " · ".join(str(x) for x in (r.get("number"), r.get("category_name"), r.get("address")) if x)
            self.ctx.notify.toast(title, text, self._sound_on())

    def _alert_alarms(self, alarm_ids: list[str]) -> None:
        if len(alarm_ids) > alerts.BULK_ALARMS:
            return

        def _do_active() -> dict[str, dict[str, Any]]:
            with self.ctx.store.session() as s:
                return {a["id"]: a for a in repo.alarms(s, active_only=True)}

        self.ctx.tasks.run(_do_active, on_done=lambda active: self._on_active_alarms(alarm_ids, active))

    def _on_active_alarms(self, alarm_ids: list[str], active: dict[str, dict[str, Any]]) -> None:
        for a in alerts.new_alarm_alerts(alarm_ids, active, self._toasted):
            self.ctx.notify.toast(self.tr("IoT alarm"), f"{a.get('type', '')} · {a.get('sensor_id') or ''}",
                                  self._sound_on())

    def _update_attention_button(self) -> None:
        def _do_count() -> int:
            with self.ctx.store.session() as s:
                return len(rq.needs_attention(s))

        self.ctx.tasks.run(_do_count, on_done=self._on_attention_count)

    def _on_attention_count(self, n: int) -> None:
        self.attention_button.setText(self.tr("Failed sync actions (%1)").replace("%1", str(n))
                                      if n else self.tr("Failed sync actions"))
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
    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint and obj is self.table.viewport():
            self._rows_painted = self.model.rowCount()
        return super().eventFilter(obj, event)

    def usable(self) -> bool:
        """The table has been painted with its rows (or painted empty when none match)."""
        if self._rows_painted < 0:
            return False
        return self._rows_painted > 0 or (self.model.rowCount() == 0 and not self.model.canFetchMore())

    def snapshot_info(self) -> dict[str, Any]:
        with self.ctx.store.session() as s:
            return {"tickets": qq.total(s), "queue_first": self.first_rows(5)}

    def first_rows(self, n: int) -> list[dict[str, Any]]:
        """The first ``n`` rows as the officer sees them: number, priority, limit state
        and seconds left (None while the clock has not started)."""
        now = float(self.ctx.clock())
        out = []
        for row in range(min(n, self.model.rowCount())):
            r = self.model.row_dict(row) or {}
            deadline = r.get("deadline")
            out.append({"number": r.get("number"), "priority": r.get("priority"),
                        "limit_state": row_limit_state(r, now, self.model.lead_s) if r else None,
                        "seconds_left": None if deadline is None else round(float(deadline) - now)})
        return out
