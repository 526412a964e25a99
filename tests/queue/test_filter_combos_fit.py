"""The queue's filter combos show their whole text in both languages ("来源渠道: 全"
read like a word), also after a value is chosen."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

from console.qt import i18n
from views.queue_filters import COMBO_MAX_PX


@pytest.fixture(params=["zh_CN", "en"])
def language(request, qapp, tmp_path):
    i18n.install(qapp, request.param, cache_dir=tmp_path / "qm")
    yield request.param
    i18n.remove(qapp)


def _room(cb) -> int:
    opt = QStyleOptionComboBox()
    cb.initStyleOption(opt)
    return cb.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, opt,
                                     QStyle.SubControl.SC_ComboBoxEditField, cb).width()


def _fits(cb) -> bool:
    need = cb.fontMetrics().horizontalAdvance(cb.currentText())
    return _room(cb) >= need or cb.width() >= COMBO_MAX_PX


@pytest.mark.parametrize("width", [1366 // 3, 1920 // 3])
def test_filter_combos_show_their_whole_text(language, ctx, qtbot, width):
    from views.queue import QueuePanel

    panel = QueuePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(width, 800)
    panel.show()
    qtbot.waitExposed(panel)
    combos = panel.filters.combos
    for key, cb in combos.items():
        assert _fits(cb), (key, cb.currentText(), cb.width())
    for key, cb in combos.items():  # the longest value of each
        longest = max(range(cb.count()), key=lambda i: cb.fontMetrics().horizontalAdvance(cb.itemText(i)))
        cb.setCurrentIndex(longest)
        qtbot.waitUntil(lambda c=cb: _fits(c))
        assert cb.geometry().right() <= cb.parentWidget().width(), key  # wrapped, not off the edge
