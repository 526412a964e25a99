"""The ticket queue's lazy table model (after Anki's browser ``DataModel``).

It holds row ids only (``tickets.rid``), fetched in pages with ``fetchMore`` as the
officer scrolls; a row's columns are read from the store when the view draws it and
kept in a small LRU cache. Filters and sorting run in SQL (``localdb.queue_query``).

Journal follow: ``on_tickets_changed(ids)`` drops those tickets from the cache and
repaints only their rows; the id list is re-queried (debounced) only when the change
may alter which tickets pass the filter or their order.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from console.domain import formatting, timelimits
from console.qt.i18n import ui_language
from localdb import queue_query as qq
from localdb import repo_queue as rq
from views import queue_labels as L
from widgets.limit_badge import (
    FLASH_ROLE,
    LIMIT_STATE_ROLE,
    REMAINING_ROLE,
    format_remaining,
)

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)

TICKET_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ROW_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("limit", "priority", "channel", "category", "grid", "address", "state",
           "department", "age", "sync")
#: sort keys whose value never changes after a ticket is created: a change to a
#: ticket cannot move it when the queue is sorted by one of these (not the priority
#: order: closing a ticket or a new deadline moves it)
STABLE_SORTS = frozenset({"channel", "category", "grid", "address", "age"})
#: largest page of ids one fetchMore reads
MAX_PAGE = 5000
#: columns that follow the clock (repainted by the tick)
CLOCK_COLUMNS = (0, COLUMNS.index("age"))


def row_limit_state(row: dict[str, Any], now: float,
                    lead_s: float = timelimits.DEFAULT_WARNING_LEAD_S) -> str:
    """LimitState of a queue row (``timelimits.limit_state_at``; the row carries its
    category's warning lead, ``lead_s`` is the hall's)."""
    return timelimits.limit_state_at(row["state"], row.get("deadline"), now,
                                     timelimits.warning_lead(row.get("warn_lead_s"), lead_s)).value


def format_age(seconds: float) -> str:
    """How long ago the ticket came in, in the one duration format ("2天20小时")."""
    s = max(0, int(seconds))
    if s >= 86400:
        s -= s % 3600  # days and hours are enough for an old ticket
    return formatting.format_duration(s, ui_language())


#: More changed ids than this in one journal delivery: re-query the page instead of
#: diffing id by id (the diff runs on the UI thread: ~2000 ids took 50-190 ms while a
#: sync was writing).
BULK_IDS = 300

class QueueModel(QAbstractTableModel):
    #: emitted before the id list is replaced (the panel saves its selection)
    sig_about_to_requery = Signal()
    #: emitted after the id list was replaced (the panel restores its selection)
    sig_requeried = Signal()
    #: ticket_id, limit state — a ticket just entered warning/overdue
    sig_limit_entered = Signal(str, str)

    #: hall mode: how often the rows' presence is read (a closed desk clears within it)
    PRESENCE_MS = 3000

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, page_size: int = 500,
                 cache_size: int = 300, block: int = 60) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.lead_s = ctx.settings.warning_lead_s
        self.page_size = page_size
        self.cache_size = cache_size
        self.block = block
        self._filter: dict[str, Any] = {}
        self._sort = "age"
        self._desc = True
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._exhausted = True
        self._cache: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._limit_seen: dict[int, str] = {}
        self._local_pending: set[str] = set()
        self._flash: dict[int, float] = {}
        self._flashed: set[tuple[str, str]] = set()
        self._flash_tid: dict[int, str] = {}  # rid -> ticket id of the rows flashing now
        #: the ticket the officer has open (the detail pane): its flash is held, not spent
        self._held: str | None = None
        self._dept_names: dict[str, str] = {}
        self._grid_names: dict[str, str] = {}
        self.fetches = 0  # rows read from the store (tests, bench)
        self._requery_timer = QTimer(self)
        self._requery_timer.setSingleShot(True)
        self._requery_timer.setInterval(300)
        self._requery_timer.timeout.connect(self.requery)
        self._flash_timer = QTimer(self)
        self._flash_timer.setSingleShot(True)
        self._flash_timer.setInterval(1500)
        self._flash_timer.timeout.connect(self._on_flash_timer)
        self._critical = QBrush(QColor("#c62828"))
        self._urgent = QBrush(QColor("#ef6c00"))
        self._attention_bg = QBrush(QColor("#fdecea"))
        self._pending_bg = QBrush(QColor("#e3f2fd"))
        self._flash_bg = QBrush(QColor(255, 213, 79, 170))
        self._bold = QFont()
        self._bold.setBold(True)
        self._headers = self.headers()
        self._load_names()
        # hall mode: who else has which ticket open (ticket id -> label), read off the UI
        # thread for the cached rows every PRESENCE_MS
        self._presence: dict[str, str] = {}
        self._presence_bg = QBrush(QColor("#fff3cd"))
        self._presence_reading = False
        self._presence_timer = QTimer(self)
        self._presence_timer.setInterval(self.PRESENCE_MS)
        self._presence_timer.timeout.connect(self._on_presence_timer)
        if getattr(ctx.store, "dialect", "sqlite") == "postgresql":
            self._presence_timer.start()

    # -- names -----------------------------------------------------------------
    def _load_names(self) -> None:
        with self.ctx.store.session() as s:
            self._dept_names = rq.department_names(s)
            self._grid_names = rq.grid_names(s)

    def headers(self) -> list[str]:
        return [self.tr("Time limit"), self.tr("Priority"), self.tr("Channel"), self.tr("Category"),
                self.tr("Grid"), self.tr("Address"), self.tr("State"), self.tr("Department"),
                self.tr("Age"), self.tr("Sync")]

    # -- filter and sort ---------------------------------------------------------
    @property
    def filter(self) -> dict[str, Any]:
        return dict(self._filter)

    def set_filter(self, f: dict[str, Any]) -> None:
        self._filter = dict(f)
        self.requery(reset=True)

    def update_filter(self, f: dict[str, Any]) -> None:
        """Replace the filter without re-querying: the change report that follows
        (``on_tickets_changed``) decides whether rows enter or leave."""
        self._filter = dict(f)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = COLUMNS[column]
        self._desc = order == Qt.SortOrder.DescendingOrder
        self.requery(reset=True)

    def set_sort(self, key: str, descending: bool) -> None:
        """Set the order without re-querying (the next set_filter/requery applies it)."""
        self._sort = key if key in COLUMNS else "age"
        self._desc = descending

    def sort_key(self) -> tuple[str, bool]:
        return self._sort, self._desc

    def _now(self) -> float:
        return float(self.ctx.clock())

    def _actor_id(self) -> str:
        return self.ctx.actor.user_id

    def _query(self, offset: int, limit: int) -> list[int]:
        with self.ctx.store.session() as s:
            return qq.query_ids(s, self._filter, self._sort, self._desc, offset, limit,
                                self._now(), self._actor_id())

    def requery(self, reset: bool = False) -> None:
        """Read the id list again (as many ids as are loaded now, at least a page)."""
        self._requery_timer.stop()
        want = self.page_size if reset else max(self.page_size, len(self._ids))
        ids = self._query(0, want)
        if ids == self._ids and not reset:
            return
        self.sig_about_to_requery.emit()
        self.beginResetModel()
        self._ids = ids
        self._row_of = {rid: i for i, rid in enumerate(ids)}
        self._exhausted = len(ids) < want
        if reset:
            self._cache.clear()
        self.endResetModel()
        self.sig_requeried.emit()

    def schedule_requery(self) -> None:
        self._requery_timer.start()

    # -- paging --------------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: QModelIndex = QModelIndex()) -> None:
        if parent.isValid() or self._exhausted:
            return
        # Pages grow with what is loaded (OFFSET paging re-walks the index up to the
        # offset: fewer, bigger pages keep deep scrolling cheap).
        size = min(MAX_PAGE, max(self.page_size, len(self._ids) // 2))
        got = self._query(len(self._ids), size)
        more = [r for r in got if r not in self._row_of]
        if len(got) < size:
            self._exhausted = True
        if not more:
            return
        start = len(self._ids)
        self.beginInsertRows(QModelIndex(), start, start + len(more) - 1)
        for i, rid in enumerate(more):
            self._row_of[rid] = start + i
        self._ids.extend(more)
        self.endInsertRows()

    def load_all(self, limit: int | None = None) -> None:
        """Fetch ids until exhausted (or ``limit`` rows): benchmarks and tests."""
        while self.canFetchMore() and (limit is None or len(self._ids) < limit):
            self.fetchMore()

    # -- rows ----------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def cache_size_now(self) -> int:
        return len(self._cache)

    def rid_at(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of_rid(self, rid: int) -> int | None:
        return self._row_of.get(rid)

    def row_dict(self, row: int) -> dict[str, Any] | None:
        rid = self.rid_at(row)
        if rid is None:
            return None
        hit = self._cache.get(rid)
        if hit is not None:
            self._cache.move_to_end(rid)
            return hit
        self._load_block(row)
        return self._cache.get(rid)

    def ticket_id_at(self, row: int) -> str | None:
        r = self.row_dict(row)
        return r["id"] if r else None

    def row_of_ticket(self, ticket_id: str) -> int | None:
        for rid, r in self._cache.items():
            if r["id"] == ticket_id:
                return self._row_of.get(rid)
        with self.ctx.store.session() as s:
            rid = rq.rids_of(s, [ticket_id]).get(ticket_id)
        return None if rid is None else self._row_of.get(rid)

    def _load_block(self, row: int) -> None:
        """Read the rows around ``row`` not cached yet, in one query."""
        lo = max(0, row - self.block // 3)
        hi = min(len(self._ids), lo + self.block)
        want = [rid for rid in self._ids[lo:hi] if rid not in self._cache]
        if not want:
            return
        with self.ctx.store.session() as s:
            rows = rq.get_rows(s, want)
        self.fetches += len(rows)
        now = self._now()
        for rid, r in rows.items():
            self._prepare(r)
            self._cache[rid] = r
            self._limit_seen.setdefault(rid, row_limit_state(r, now, self.lead_s))
        while len(self._cache) > self.cache_size:
            old, _ = self._cache.popitem(last=False)
            self._limit_seen.pop(old, None)

    def _prepare(self, r: dict[str, Any]) -> None:
        """Display strings of the columns that do not follow the clock, once per fetch
        (data() is called ~10 times per cell per paint: keep it to dict lookups)."""
        d = self._dept_names.get(r.get("department_id") or "", r.get("department_id") or "")
        g = self._grid_names.get(r.get("grid_resp") or "", r.get("grid_resp") or "")
        pending = int(r.get("pending") or 0)
        r["_display"] = (
            None, L.priority_label(r.get("priority")), L.channel_label(r.get("channel")),
            r.get("category_name") or r.get("category_code") or "", g, r.get("address") or "",
            L.state_label(r.get("state")), d, None, L.sync_label(pending, bool(r.get("attention"))),
        )
        prio = r.get("priority")
        r["_fg"] = self._critical if prio == "critical" else self._urgent if prio == "urgent" else None
        r["_sync_bg"] = (self._attention_bg if r.get("attention") else
                         self._pending_bg if pending else None)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if row < 0 or row >= len(self._ids):
            return None
        rid = self._ids[row]
        r = self._cache.get(rid)
        if r is None:
            self._load_block(row)
            r = self._cache.get(rid)
            if r is None:
                return None
        col = index.column()
        if role == 0:  # DisplayRole
            if col == 0:
                self._cache.move_to_end(rid)  # drawn rows stay in the LRU cache
                now = self._now()
                dl = r.get("deadline")
                return format_remaining(None if dl is None else dl - now, row_limit_state(r, now, self.lead_s))
            if col == 8:
                return format_age(self._now() - (r.get("created_at") or 0))
            if col == 9:
                sync = (L.sync_label(1, False) if r["id"] in self._local_pending and not r.get("attention")
                        else r["_display"][col])
                who = self._presence.get(r["id"])
                return f"{sync} · {who}" if sync and who else (who or sync)
            return r["_display"][col]
        if role == 8:  # BackgroundRole
            if rid in self._flash:
                return self._flash_bg
            if col == 9:
                if r["id"] in self._presence:
                    return self._presence_bg
                if r["id"] in self._local_pending and not r.get("attention"):
                    return self._pending_bg
                return r["_sync_bg"]
            return None
        if role == 9:  # ForegroundRole
            return r["_fg"] if col == 1 else None
        if role == 6:  # FontRole
            return self._bold if (col == 1 and r["_fg"] is not None) else None
        if role == TICKET_ID_ROLE:
            return r["id"]
        if role == ROW_ROLE:
            return r
        if role == LIMIT_STATE_ROLE:
            return row_limit_state(r, self._now(), self.lead_s)
        if role == REMAINING_ROLE:
            return None if r.get("deadline") is None else r["deadline"] - self._now()
        if role == FLASH_ROLE:
            return rid in self._flash
        if role == 3:  # ToolTipRole
            if col == 5:
                return f"{r.get('address', '')}\n{r.get('description', '')}"
            if col == 0:
                return L.limit_label(row_limit_state(r, self._now(), self.lead_s))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    # -- live updates ----------------------------------------------------------------------
    def mark_pending(self, ticket_id: str, on: bool = True) -> None:
        """Show the pending marker at once (before the writer thread has written)."""
        if on:
            self._local_pending.add(ticket_id)
        else:
            self._local_pending.discard(ticket_id)
        row = self.row_of_ticket(ticket_id)
        if row is not None:
            self._emit_row(row)

    def _on_presence_timer(self) -> None:
        if self._presence_reading:
            return
        ids = [r["id"] for r in self._cache.values()]
        me = getattr(getattr(self.ctx, "presence", None), "workstation", None)
        store = self.ctx.store
        self._presence_reading = True

        def _read() -> dict:
            from localdb import hall

            with store.session() as s:
                return hall.on_tickets(s, ids, exclude=me)

        def _done(found: dict) -> None:
            self._presence_reading = False
            new = {tid: L.presence_label(desks) for tid, desks in found.items()}
            changed = {t for t in set(new) | set(self._presence) if new.get(t) != self._presence.get(t)}
            self._presence = new
            for tid in changed:
                row = self.row_of_ticket(tid)
                if row is not None:
                    self.dataChanged.emit(self.index(row, 9), self.index(row, 9))

        def _failed(_exc: BaseException) -> None:
            self._presence_reading = False  # the hall database away: the status bar says so

        self.ctx.tasks.run(_read, on_done=_done, on_error=_failed)

    def _emit_row(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def on_tickets_changed(self, ticket_ids: Sequence[str]) -> None:
        if not ticket_ids:
            return
        ids = list(dict.fromkeys(ticket_ids))
        if len(ids) > BULK_IDS:  # a bulk load: cheaper to start over than to diff
            self._cache.clear()
            self.schedule_requery()
            if self._ids:
                self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1))
            return
        now = self._now()
        with self.ctx.store.session() as s:
            rids = rq.rids_of(s, ids)
            passing = qq.matching(s, self._filter, ids, now, self._actor_id())
            cached = [rids[t] for t in ids if t in rids and rids[t] in self._cache]
            fresh = rq.get_rows(s, cached)
        present = {t for t, rid in rids.items() if rid in self._row_of}
        for rid in cached:
            old = self._limit_seen.get(rid)
            r = fresh.get(rid)
            if r is None:
                self._cache.pop(rid, None)
                continue
            self._prepare(r)
            self._cache[rid] = r
            new = row_limit_state(r, now, self.lead_s)
            self._limit_seen[rid] = new
            if old != new:
                self._maybe_flash(rid, r["id"], new)
            row = self._row_of.get(rid)
            if row is not None:
                self._emit_row(row)
        # membership or order may change: re-query (debounced)
        entering = passing - present
        leaving = present - passing
        moved = bool(present) and self._sort not in STABLE_SORTS
        if entering or leaving or moved:
            self.schedule_requery()

    # -- limit transitions and the clock -----------------------------------------------------
    def _maybe_flash(self, rid: int, ticket_id: str, state: str) -> None:
        if state not in ("warning", "overdue") or (ticket_id, state) in self._flashed:
            return
        self._flashed.add((ticket_id, state))
        self._flash[rid] = time.monotonic()
        self._flash_tid[rid] = ticket_id
        self.sig_limit_entered.emit(ticket_id, state)
        row = self._row_of.get(rid)
        if row is not None:
            self._emit_row(row)
        self._flash_timer.start()

    def hold_flash(self, ticket_id: str | None) -> None:
        """The officer has ``ticket_id`` open (None: none). While it is open its flash is
        held: the row keeps flashing instead of the flash being spent behind the open
        ticket (a reminder seen as "reset" though nobody acted on it). When the officer
        moves on, the released ticket flashes one more full period, then stops."""
        if ticket_id == self._held:
            return
        released, self._held = self._held, ticket_id
        if released is not None and released in self._flash_tid.values():
            for rid, tid in self._flash_tid.items():
                if tid == released:
                    self._flash[rid] = time.monotonic()
            self._flash_timer.start()

    def flash_held(self, ticket_id: str) -> bool:
        """The ticket's row flashes now (tests, the panel)."""
        return ticket_id in self._flash_tid.values()

    def _on_flash_timer(self) -> None:
        now, period = time.monotonic(), self._flash_timer.interval() / 1000.0
        pending = False
        for rid in list(self._flash):
            if self._flash_tid.get(rid) == self._held:
                continue  # held while open: the release restarts its period
            if self._flash[rid] + period > now + 0.05:  # released just now: its full period
                pending = True
                continue
            self._flash.pop(rid, None)
            self._flash_tid.pop(rid, None)
            row = self._row_of.get(rid)
            if row is not None:
                self._emit_row(row)
        if pending:
            self._flash_timer.start()

    def tick(self) -> None:
        """The clock moved: repaint the countdowns of cached rows; flash new warnings."""
        now = self._now()
        for rid, r in list(self._cache.items()):
            new = row_limit_state(r, now, self.lead_s)
            if self._limit_seen.get(rid) != new:
                self._limit_seen[rid] = new
                self._maybe_flash(rid, r["id"], new)
        if self._ids:
            for col in CLOCK_COLUMNS:
                self.dataChanged.emit(self.index(0, col), self.index(len(self._ids) - 1, col))
