"""Axis labels of the 态势 charts never overlap (各网格结案率, 各部门结案率, 今日高发类别
ran together into solid black): every drawn label keeps clear of its neighbours at a
1920x1080 desk and a 1366x768 laptop, cut or thinned when the names are long."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QImage, QPainter

from widgets.chart_bars import BarChart, fit_labels

GRIDS = [f"第{i}责任网格" for i in range(1, 25)]
DEPTS = ["上钢城管中队", "上钢派出所", "浦东新区市场监管局上钢所", "上钢房管办", "上钢市政养护所",
         "上钢绿化市容所", "上钢社区事务受理中心", "上钢物业管理科", "上钢安全生产办"]
CATS = ["非机动车乱停放", "暴露垃圾", "无证设摊", "上水井盖", "道路不洁", "施工扰民", "占道经营",
        "共享单车堆积", "沿街晾挂", "违法搭建"]


def drawn_labels(chart: BarChart) -> list[tuple[float, float, str]]:
    """What the bottom axis really draws: (left, right, text) of each tick label."""
    axis = chart.getPlotItem().getAxis("bottom")
    img = QImage(max(1, int(axis.width())), max(1, int(axis.height())), QImage.Format.Format_ARGB32)
    p = QPainter(img)
    p.setFont(axis.style["tickFont"] or chart.font())
    try:
        _axis, _ticks, texts = axis.generateDrawSpecs(p)
    finally:
        p.end()
    return sorted((r.left(), r.right(), s) for r, _f, s in texts)


@pytest.mark.parametrize("width", [380, 260])  # a third of the commander dock at 1920 and at 1366
@pytest.mark.parametrize("labels", [GRIDS, DEPTS, CATS], ids=["grid", "department", "category"])
def test_category_labels_never_overlap(qtbot, labels, width):
    chart = BarChart("各网格结案率", percent=True)
    qtbot.addWidget(chart)
    chart.resize(width, 220)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data(labels, [("结案率 %", [50.0] * len(labels)), ("按期结案率 %", [40.0] * len(labels))],
                   keys=[str(i) for i in range(len(labels))])
    qtbot.waitUntil(lambda: len(drawn_labels(chart)) > 0)
    drawn = drawn_labels(chart)
    assert len(drawn) >= 3 and len(drawn) == sum(t is not None for t in chart.shown_labels())
    for (l1, r1, a), (l2, r2, b) in zip(drawn, drawn[1:]):
        assert r1 <= l2, f"{a!r} runs into {b!r} at width {width}"
    # the whole names are one hover away when cut or thinned
    if [t for t in chart.shown_labels()] != list(labels):
        assert all(lbl in chart.toolTip() for lbl in labels)


def test_labels_grow_back_when_the_chart_widens(qtbot):
    chart = BarChart("今日高发类别")
    qtbot.addWidget(chart)
    chart.resize(240, 200)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_data(CATS, [("工单", [3.0] * len(CATS))])
    narrow = chart.shown_labels()
    assert narrow != CATS
    chart.resize(1400, 200)
    qtbot.waitUntil(lambda: chart.shown_labels() == CATS)


def test_fit_labels_whole_cut_or_thinned():
    width = lambda s: 10.0 * len(s)  # noqa: E731 - ten pixels a character
    assert fit_labels(["ab", "cd"], 40, width) == ["ab", "cd"]
    assert fit_labels(["abcdefgh", "ijklmnop"], 56, width) == ["abcd…", "ijkl…"]
    got = fit_labels(["abcdefgh"] * 6, 20, width)  # no room for 3 characters: every k-th
    shown = [i for i, g in enumerate(got) if g is not None]
    assert len(shown) >= 2 and all(b - a >= 3 for a, b in zip(shown, shown[1:]))
    assert all(width(got[i]) <= 54 for i in shown)
