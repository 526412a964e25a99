"""Live situation charts (城市体征 of the hall): intake, open work, limits, closure rates.

Figures come from ``localdb.stats.compute`` (SQL, off the UI thread). Store changes
arrive in bursts, so they only arm a debounce timer (>= 2 s); when it fires one
recomputation runs in ``ctx.tasks`` and the plots are updated with the result.
Clicking a bar filters the queue (``ctx.bus.sig_filter_queue``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from localdb import stats
from console.domain.model import OPEN_STATES, TicketState
from views.labels import state_label
from widgets.flow_layout import FlowLayout
from widgets.chart_bars import BarChart, cjk_font

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)

DEBOUNCE_MS = 2000
_STATE_ORDER = [s.value for s in TicketState if s in OPEN_STATES]


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


class ChartsView(QWidget):
    """The situation charts; ``refresh()`` recomputes now, changes debounce it."""

    #: the figures were recomputed and drawn (localdb.stats.Figures)
    sig_updated = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.figures: stats.Figures | None = None
        self._busy = False
        self._dirty = False
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self.refresh)
        self._build()
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_store_changed)

    def set_debounce_ms(self, ms: int) -> None:
        """Tests may shorten the debounce; the hall keeps at least 2 s."""
        self._debounce.setInterval(ms)

    # -- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        kpis = FlowLayout(spacing=12)  # wraps on a narrow dock instead of widening the window
        self.kpi_labels: dict[str, QLabel] = {}
        for key in ("today", "month"):
            lbl = QLabel(self)
            lbl.setObjectName(f"kpi_{key}")
            lbl.setFont(cjk_font(10))
            kpis.addWidget(lbl)
            self.kpi_labels[key] = lbl
        self.limits_label = QLabel(self)
        self.limits_label.setObjectName("kpi_limits")
        kpis.addWidget(self.limits_label)
        rates = QWidget(self)
        rates_lay = QHBoxLayout(rates)
        rates_lay.setContentsMargins(0, 0, 0, 0)
        rates_lay.addWidget(QLabel(self.tr("Rates:"), rates))
        self.period = QComboBox(rates)
        self.period.setObjectName("rate_period")
        self.period.addItem(self.tr("This month"), "month")
        self.period.addItem(self.tr("Today"), "today")
        self.period.currentIndexChanged.connect(lambda _i: self._draw_rates())
        rates_lay.addWidget(self.period)
        kpis.addWidget(rates)
        lay.addLayout(kpis)

        grid = QGridLayout()
        grid.setSpacing(4)
        self.hourly = BarChart(self.tr("Tickets in per hour: today vs 7-day average"), self)
        self.states = BarChart(self.tr("Open tickets by state"), self)
        self.limits = BarChart(self.tr("Time-limit warnings"), self)
        self.by_grid = BarChart(self.tr("Closure rates by grid"), self, percent=True)
        self.by_dept = BarChart(self.tr("Closure rates by department"), self, percent=True)
        self.categories = BarChart(self.tr("Top categories today"), self)
        charts = (self.hourly, self.states, self.limits, self.by_grid, self.by_dept, self.categories)
        for i, chart in enumerate(charts):
            chart.setMinimumHeight(120)
            grid.addWidget(chart, i // 3, i % 3)
        lay.addLayout(grid, 1)
        self.states.sig_bar_clicked.connect(lambda k: self._filter({"states": [k]}))
        self.limits.sig_bar_clicked.connect(lambda k: self._filter({"limit": [k]}))
        self.by_grid.sig_bar_clicked.connect(lambda k: self._filter({"grids": [k]}))
        self.by_dept.sig_bar_clicked.connect(lambda k: self._filter({"departments": [k]}))
        self.categories.sig_bar_clicked.connect(lambda k: self._filter({"categories": [k]}))

    def _filter(self, f: dict) -> None:
        if any(v in ([""], [None]) for v in f.values()):
            return
        self.ctx.bus.sig_filter_queue.emit(f)

    # -- updates -----------------------------------------------------------------------------
    def _on_store_changed(self, changed: dict) -> None:
        if "ticket" in changed and not self._debounce.isActive():
            self._debounce.start()

    def refresh(self) -> None:
        if self._busy:
            self._dirty = True
            return
        self._busy = True
        self.ctx.tasks.run(stats.compute, self.ctx.store, float(self.ctx.clock()),
                           on_done=self._on_figures, on_error=self._on_error)

    def _on_error(self, exc: BaseException) -> None:
        self._busy = False
        log.error("situation figures failed: %s", exc)
        self.ctx.notify.error(self.tr("Situation charts could not be computed: %1").replace("%1", str(exc)))

    def _on_figures(self, fig: stats.Figures) -> None:
        self._busy = False
        self.figures = fig
        self._draw(fig)
        self.sig_updated.emit(fig)
        if self._dirty:
            self._dirty = False
            self._debounce.start()

    def _draw(self, fig: stats.Figures) -> None:
        hours = [f"{h:02d}" for h in range(24)]
        self.hourly.set_data(hours, [(self.tr("Today"), fig.hourly_today)],
                             line=(self.tr("7-day average"), fig.hourly_avg7))
        states = [s for s in _STATE_ORDER if fig.open_by_state.get(s)]
        self.states.set_data([state_label(s) for s in states],
                             [(self.tr("Open"), [fig.open_by_state[s] for s in states])], keys=states)
        self.limits.set_data([self.tr("Warning"), self.tr("Overdue")],
                             [(self.tr("Tickets"), [fig.warning, fig.overdue])],
                             keys=["warning", "overdue"])
        cats = fig.top_categories
        self.categories.set_data([c[1] for c in cats], [(self.tr("Tickets"), [c[2] for c in cats])],
                                 keys=[c[0] for c in cats])
        for key, head in (("today", self.tr("Today")), ("month", self.tr("This month"))):
            r = fig.total(key)
            self.kpi_labels[key].setText(
                self.tr("%1: closure rate %2, on-time closure rate %3 (due %4)")
                .replace("%1", head).replace("%2", _pct(r.closure_rate))
                .replace("%3", _pct(r.on_time_rate)).replace("%4", str(r.due)))
        self.limits_label.setText(self.tr("Warning %1 · Overdue %2")
                                  .replace("%1", str(fig.warning)).replace("%2", str(fig.overdue)))
        self._draw_rates()

    def _draw_rates(self) -> None:
        fig = self.figures
        if fig is None:
            return
        period = self.period.currentData() or "month"
        for chart, group in ((self.by_grid, "grid"), (self.by_dept, "department")):
            rows = [r for r in fig.rates.get(period, {}).get(group, []) if r.key]
            chart.set_data([r.name for r in rows],
                           [(self.tr("Closure rate %"), [100 * (r.closure_rate or 0.0) for r in rows]),
                            (self.tr("On-time closure rate %"), [100 * (r.on_time_rate or 0.0) for r in rows])],
                           keys=[r.key for r in rows])
