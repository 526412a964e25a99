"""A small clickable bar chart on pyqtgraph, with CJK category labels.

``BarChart.set_data(labels, series, keys)`` draws one group of bars per label (one bar
per series, side by side) and an optional line series; clicking a bar emits
``sig_bar_clicked(key)`` with the label's key (e.g. a state, a grid id). pyqtgraph
draws axis text with the widget font, so the axes get a CJK-capable font
(Noto Sans CJK SC, from fonts-noto-cjk) or Chinese labels render as boxes.
"""

from __future__ import annotations

import os
from typing import Any, Sequence

import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetricsF

CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
                "Microsoft YaHei", "PingFang SC")
PALETTE = ("#1565c0", "#ef6c00", "#2e7d32", "#c62828", "#6a1b9a", "#00838f")


def cjk_font(point_size: int = 9) -> QFont:
    """A font that has Chinese glyphs (the first installed of CJK_FAMILIES)."""
    families = set(QFontDatabase.families())
    for fam in CJK_FAMILIES:
        if fam in families:
            f = QFont(fam)
            break
    else:
        f = QFont()
    f.setPointSize(point_size)
    return f


def short_labels(labels: list[str]) -> list[str]:
    """Drop a prefix all labels share (上钢城管中队, 上钢房管所 -> 城管中队, 房管所) so the
    categories fit under their bars."""
    if len(labels) < 3:
        return labels
    prefix = os.path.commonprefix(labels)
    if len(prefix) < 2 or any(len(lbl) - len(prefix) < 2 for lbl in labels):
        return labels
    return [lbl[len(prefix):] for lbl in labels]


#: pixels kept free between two category labels
LABEL_GAP_PX = 6.0
#: a label is cut no shorter than this many characters (and the ellipsis); below that,
#: labels are thinned (every second, third, ... category named) instead
MIN_LABEL_CHARS = 3


def fit_labels(labels: Sequence[str], slot_px: float, width_of) -> list[str | None]:
    """Category labels that fit under their bars without touching their neighbours or
    running off the axis: whole when they fit, else cut with an ellipsis, else only every
    k-th label (the others None), each cut to the room it has. ``slot_px`` is the room
    one category has on the axis (the axis spans 0.6 slot beyond the outer bars);
    ``width_of(text)`` the text's drawn width."""
    labels = [str(x) for x in labels]
    n = len(labels)
    if not n:
        return []

    def cut(text: str, room: float) -> str | None:
        if width_of(text) <= room:
            return text
        for m in range(len(text) - 1, MIN_LABEL_CHARS - 1, -1):
            short = text[:m] + "…"
            if width_of(short) <= room:
                return short
        return None

    def arrange(step: int, offset: int) -> list[str | None] | None:
        out: list[str | None] = [None] * n
        for i in range(offset, n, step):
            # centred under its bar: half of it may reach towards each side
            to_edge = 2 * (min(i, n - 1 - i) + 0.6) * slot_px
            room = min(step * slot_px, to_edge) - LABEL_GAP_PX
            got = cut(labels[i], room)
            if got is None and step * slot_px <= to_edge:
                return None  # no room between neighbours: thin more
            out[i] = got  # an outer label with no room to the edge is left out
        return out

    for step in range(1, n + 1):
        tries = [got for off in range(step) if (got := arrange(step, off)) is not None]
        if tries:
            best = max(tries, key=lambda o: sum(t is not None for t in o))
            if any(t is not None for t in best):
                return best
    return [None] * n


class BarChart(pg.PlotWidget):
    """Grouped bars over text categories; a click on a bar reports its category key."""

    #: key (str) of the clicked category
    sig_bar_clicked = Signal(str)

    def __init__(self, title: str = "", parent: Any = None, percent: bool = False) -> None:
        super().__init__(parent=parent, background="w")
        self.setObjectName("bar_chart")
        self.percent = percent
        self._keys: list[str] = []
        self._bars: list[pg.BarGraphItem] = []
        self._line: pg.PlotDataItem | None = None
        self._legend: pg.LegendItem | None = None
        self._labels: list[str] = []
        self._shown: list[str | None] = []
        font = cjk_font(9)
        self._tick_metrics = QFontMetricsF(font)
        self.setFont(font)
        pi = self.getPlotItem()
        pi.setMenuEnabled(False)
        pi.hideButtons()
        self.setMouseEnabled(x=False, y=False)
        pi.showGrid(y=True, alpha=0.25)
        for name in ("bottom", "left"):
            ax = pi.getAxis(name)
            ax.setStyle(tickFont=font)
            ax.setTextPen(QColor("#333"))
            ax.setPen(QColor("#999"))
        self.set_title(title)
        self.scene().sigMouseClicked.connect(self._on_scene_clicked)
        pi.vb.sigResized.connect(self._on_view_resized)

    def set_title(self, title: str) -> None:
        self.getPlotItem().setTitle(f'<span style="font-family:{cjk_font().family()};'
                                    f'font-size:10pt;color:#222">{title}</span>')

    # -- data ------------------------------------------------------------------------------
    def set_data(self, labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]],
                 keys: Sequence[str] | None = None,
                 line: tuple[str, Sequence[float]] | None = None) -> None:
        pi = self.getPlotItem()
        for item in self._bars:
            pi.removeItem(item)
        if self._line is not None:
            pi.removeItem(self._line)
            self._line = None
        if self._legend is not None:
            self._legend.scene() and self._legend.scene().removeItem(self._legend)
            self._legend = None
        self._bars = []
        self._keys = [str(k) for k in (keys if keys is not None else labels)]
        n = max(1, len(series))
        width = 0.8 / n
        show_legend = len(series) > 1 or line is not None
        if show_legend:
            self._legend = pi.addLegend(offset=(-5, 5), labelTextSize="8pt")
        for i, (name, values) in enumerate(series):
            xs = [j - 0.4 + width * (i + 0.5) for j in range(len(values))]
            bar = pg.BarGraphItem(x=xs, height=[float(v or 0) for v in values], width=width * 0.9,
                                  brush=PALETTE[i % len(PALETTE)], pen=None, name=name)
            pi.addItem(bar)  # a named item joins the legend by itself
            self._bars.append(bar)
        if line is not None:
            name, values = line
            self._line = pi.plot(list(range(len(values))), [float(v) for v in values],
                                 pen=pg.mkPen("#c62828", width=2), name=name)
        self._labels = short_labels([str(lbl) for lbl in labels])
        top = max([float(v or 0) for _, vs in series for v in vs] + [float(v) for v in (line[1] if line else [])]
                  + [0.0])
        if self.percent:
            top = max(top, 100.0)
        pi.setYRange(0, top * 1.15 if top > 0 else 1, padding=0)
        pi.setXRange(-0.6, max(0, len(labels) - 1) + 0.6, padding=0)
        self._fit_ticks()

    # -- category labels -------------------------------------------------------------------
    def slot_px(self) -> float:
        """Pixels one category has on the bottom axis at the chart's present size."""
        n = len(self._labels)  # the x range is -0.6 .. n - 0.4 over the view box's width
        return float(self.getPlotItem().vb.width()) / (n + 0.2) if n else 0.0

    def _fit_ticks(self) -> None:
        """One level of labels that never overlap (a second level would be drawn over the
        first): recomputed whenever the chart's width changes."""
        self._shown = fit_labels(self._labels, self.slot_px(), self._tick_metrics.horizontalAdvance)
        ticks = [(i, t) for i, t in enumerate(self._shown) if t is not None]
        self.getPlotItem().getAxis("bottom").setTicks([ticks, []])
        full = [f"{i + 1}. {t}" for i, t in enumerate(self._labels)]
        self.setToolTip("\n".join(full) if any(t != f for t, f in zip(self._shown, self._labels)) else "")

    def shown_labels(self) -> list[str | None]:
        """The label drawn under each category (None: thinned out), for tests."""
        return list(self._shown)

    def _on_view_resized(self, *_args: Any) -> None:
        if self._labels:
            self._fit_ticks()

    def values(self) -> list[list[float]]:
        """Heights of every series (for tests and the snapshot)."""
        return [list(map(float, b.opts["height"])) for b in self._bars]

    def keys(self) -> list[str]:
        return list(self._keys)

    # -- clicks ----------------------------------------------------------------------------
    def bar_scene_pos(self, index: int, series: int = 0) -> QPointF:
        """Scene position of the middle of a bar (used by tests to click it)."""
        bar = self._bars[series]
        x = float(bar.opts["x"][index])
        h = float(bar.opts["height"][index])
        return self.getPlotItem().vb.mapViewToScene(QPointF(x, max(h / 2, 0.01)))

    def _on_scene_clicked(self, ev: Any) -> None:
        vb = self.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(ev.scenePos()):
            return
        p = vb.mapSceneToView(ev.scenePos())
        idx = int(round(p.x()))
        if 0 <= idx < len(self._keys) and abs(p.x() - idx) <= 0.45:
            heights = [b.opts["height"][idx] for b in self._bars if idx < len(b.opts["height"])]
            if p.y() <= max(heights + [0]) * 1.05 + 1e-9 or not heights:
                self.sig_bar_clicked.emit(self._keys[idx])
