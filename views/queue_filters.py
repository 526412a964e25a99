"""The queue's filter bar: saved tabs with live counts, the search field, the filter
combos and toggles, and the filters other panels set (map grids and bbox, the lasso
polygon, chart bars). It composes them into the one filter dict the queue engine
understands; the panel only listens to ``sig_changed``.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from console import geo_filter
from console.domain import posts
from console.domain.model import Channel, LimitState, TicketState
from localdb import repo
from localdb import repo_queue as rq
from views import queue_labels as L
from widgets.flow_layout import FlowLayout

log = logging.getLogger(__name__)

ALL_TAB = "all"
SEARCH_DEBOUNCE_MS = 250
#: most tickets a lasso filter lists by id (SQLite allows 32766 parameters per query);
#: a larger lasso falls back to its bounding box
MAX_POLYGON_IDS = 20_000
#: an "ids" value no ticket has (an empty lasso must show nothing, not everything)
NO_TICKET = "\x00none"


#: a chosen filter value wider than this is cut (its whole text is in the list)
COMBO_MAX_PX = 280


def fit_combo_to_text(cb: QComboBox) -> None:
    """Make the combo at least as wide as its current text needs (up to COMBO_MAX_PX)."""
    opt = QStyleOptionComboBox()
    cb.initStyleOption(opt)
    text_w = cb.fontMetrics().horizontalAdvance(cb.currentText()) + 4
    want = cb.style().sizeFromContents(QStyle.ContentsType.CT_ComboBox, opt,
                                       QSize(text_w, cb.fontMetrics().height()), cb).width()
    cb.setMinimumWidth(min(COMBO_MAX_PX, want))


class QueueFilterBar(QWidget):
    """Tabs, search, combos, toggles and external filters of the ticket queue."""

    #: the filter changed (tab, combo, toggle, search, external or lasso): apply it
    sig_changed = Signal()
    #: the officer pressed Return in the search field
    sig_search_return = Signal()
    #: lasso membership changed without a new filter: update it in place
    sig_members_changed = Signal()

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queue_filter_bar")
        self.ctx = ctx
        # the post's own tabs first (``console.domain.posts``), the first of them current
        self.post = getattr(getattr(ctx, "actor", None), "post", "") or ""
        first = [k for k in posts.default_tabs(self.post) if k in L.TAB_KEYS]
        self.tab_keys: list[str] = [ALL_TAB, *first, *(k for k in L.TAB_KEYS if k not in first)]
        self.external_filter: dict[str, Any] = {}
        # lasso filter: the polygon (WGS-84), its shapely shape, the ids inside (None
        # while they are being worked out: then the polygon's bbox filters alone)
        self._polygon: list[list[float]] | None = None
        self._polygon_shape: Any = None
        self._polygon_ids: set[str] | None = None
        self._polygon_gen = 0
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DEBOUNCE_MS)
        self._search_timer.timeout.connect(self.sig_changed)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        self._build_top_row(lay)
        self._build_combos(lay)
        self._build_toggles(lay)

    # -- building ------------------------------------------------------------------------
    def _build_top_row(self, lay: QVBoxLayout) -> None:
        self.tabs = QTabBar()
        self.tabs.setObjectName("queue_tabs")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        for key in self.tab_keys:
            self.tabs.addTab(L.tab_labels()[key])
        if self.post and posts.default_tabs(self.post):
            self.tabs.setCurrentIndex(self.tab_keys.index(posts.default_tabs(self.post)[0]))
        self.tabs.currentChanged.connect(lambda _i: self.sig_changed.emit())
        self.top_row = QHBoxLayout()
        self.top_row.addWidget(self.tabs, 1)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(self.tr("Search description, address, number (F3)"))
        self.search.setMinimumWidth(160)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._on_search_return)
        self.top_row.addWidget(self.search)
        lay.addLayout(self.top_row)

    def _build_combos(self, lay: QVBoxLayout) -> None:
        row = FlowLayout(spacing=4)  # wraps on a narrow dock rather than widening the window
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
            cb.setToolTip(title)
            cb.currentIndexChanged.connect(lambda _i: self.sig_changed.emit())
            # Shrinkable: the queue must share a 1920 px wall screen with the map and video,
            # but never narrower than what it shows ("来源渠道: 全" read as a word); the flow
            # layout wraps the row instead of widening the window.
            cb.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            cb.setMinimumContentsLength(9)
            cb.currentIndexChanged.connect(lambda _i, c=cb: fit_combo_to_text(c))
            fit_combo_to_text(cb)
            self.combos[key] = cb
            row.addWidget(cb)
        lay.addLayout(row)

    def _build_toggles(self, lay: QVBoxLayout) -> None:
        row = FlowLayout(spacing=8)
        self.checks: dict[str, QCheckBox] = {}
        for key, text in (("mine", self.tr("Mine")), ("needs_commander", self.tr("Needs commander")),
                          ("pending_sync", self.tr("Pending sync"))):
            ch = QCheckBox(text)
            ch.setObjectName(f"check_{key}")
            ch.toggled.connect(lambda _on: self.sig_changed.emit())
            self.checks[key] = ch
            row.addWidget(ch)
        self.external_label = QLabel()
        self.external_label.setObjectName("external_filter")
        self.external_label.setStyleSheet("color: #1565c0;")
        row.addWidget(self.external_label)
        clear = QPushButton(self.tr("Clear filters"))
        clear.setObjectName("clear_filters")
        clear.clicked.connect(self.clear)
        row.addWidget(clear)
        self.status = QLabel()
        self.status.setObjectName("queue_status")
        row.addWidget(self.status)
        lay.addLayout(row)

    # -- tabs and counts ---------------------------------------------------------------------
    def current_tab(self) -> str:
        return self.tab_keys[max(0, self.tabs.currentIndex())]

    def set_tab(self, key: str, quiet: bool = False) -> None:
        self.tabs.blockSignals(quiet)
        self.tabs.setCurrentIndex(self.tab_keys.index(key))
        self.tabs.blockSignals(False)

    def set_counts(self, counts: dict[str, int]) -> None:
        labels = L.tab_labels()
        for i, key in enumerate(self.tab_keys):
            if key in counts:
                self.tabs.setTabText(i, f"{labels[key]} ({counts[key]})")

    def stop_search_timer(self) -> None:
        self._search_timer.stop()

    def _on_search_return(self) -> None:
        self._search_timer.stop()
        self.sig_search_return.emit()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # -- composing -------------------------------------------------------------------------
    def compose(self, lead_s: float) -> dict[str, Any]:
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
        out: dict[str, Any] = {"all_of": parts, "lead_s": lead_s}
        if text := self.search.text().strip():
            out["text"] = text
        return out

    def clear(self) -> None:
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
        self.sig_changed.emit()

    def apply_external(self, f: dict) -> None:
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
        self.sig_changed.emit()

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

        def _do_members() -> list[str]:
            with self.ctx.store.session() as s:
                return geo_filter.ticket_ids_in_polygon(s, pts, now, actor_id)

        self.ctx.tasks.run(_do_members, on_done=lambda ids: self._on_polygon_ids(gen, ids),
                           on_error=lambda exc: self._on_polygon_failed(gen, exc))

    def _on_polygon_ids(self, gen: int, ids: list[str]) -> None:
        if gen != self._polygon_gen:
            return  # another filter replaced this lasso meanwhile
        if len(ids) > MAX_POLYGON_IDS:
            self.ctx.notify.info(self.tr("The lasso holds more than %1 tickets: the queue shows its "
                                         "bounding box").replace("%1", str(MAX_POLYGON_IDS)))
            return
        self._polygon_ids = set(ids)
        self.sig_changed.emit()

    def _on_polygon_failed(self, gen: int, exc: BaseException) -> None:
        if gen == self._polygon_gen:
            log.error("queue: lasso filter failed: %s", exc)
            self.ctx.notify.error(self.tr("The lasso filter failed: %1").replace("%1", str(exc)))

    def update_polygon_members(self, ticket_ids: list[str]) -> None:
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
            self.sig_members_changed.emit()
