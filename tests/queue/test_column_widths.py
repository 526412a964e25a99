"""The queue's columns start wide enough in both languages: no header cut ("急程▲" for
紧急程度) and no limit badge cut ("剩余 12小时1…")."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics

from console.domain import formatting
from console.qt import i18n
from views.queue_model import COLUMNS


@pytest.fixture(params=["zh_CN", "en"])
def language(request, qapp, tmp_path):
    i18n.install(qapp, request.param, cache_dir=tmp_path / "qm")
    yield request.param
    i18n.remove(qapp)


def test_headers_and_limit_badges_fit_their_columns(language, ctx, qtbot):
    from views.queue import QueuePanel

    panel = QueuePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(1500, 900)
    panel.show()
    qtbot.waitExposed(panel)
    fm = panel.header.fontMetrics()
    for i, col in enumerate(COLUMNS):
        title = panel.model.headerData(i, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        assert panel.header.sectionSize(i) >= fm.horizontalAdvance(str(title)) + 24, (col, title)
    bold = QFont(panel.table.font())
    bold.setBold(True)
    bm = QFontMetrics(bold)
    lang = i18n.ui_language()
    room = panel.header.sectionSize(COLUMNS.index("limit")) - 24  # the badge's icon and margins
    for seconds in (-(23 * 3600 + 59 * 60), 12 * 3600 + 10 * 60, 20 * 86400 + 15 * 3600):
        text = formatting.format_time_left(seconds, lang)
        assert bm.horizontalAdvance(text) <= room, text


def test_sync_column_is_on_screen_without_scrolling(ctx, qtbot):
    from views.queue import QueuePanel

    panel = QueuePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(760, 800)  # the queue dock at a 1920 desk, the detail pane beside the table
    panel.show()
    qtbot.waitExposed(panel)
    sync = COLUMNS.index("sync")
    view = panel.table.viewport().width()
    assert panel.header.sectionViewportPosition(sync) + panel.header.sectionSize(sync) <= view
    assert panel.header.sectionViewportPosition(COLUMNS.index("limit")) == 0  # the limit stays first
