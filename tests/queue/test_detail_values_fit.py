"""The detail pane at a 1920 desk (the queue dock about 800 px wide, the pane beside the
table) shows its values whole: the limit badge in the header is not squeezed to
"● 剩余", the address is not pressed into a one-character column beside 定位."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetrics

from console.qt import i18n
from tests.queue.conftest import ticket_in_state


@pytest.fixture(params=["zh_CN", "en"])
def language(request, qapp, tmp_path):
    i18n.install(qapp, request.param, cache_dir=tmp_path / "qm")
    yield request.param
    i18n.remove(qapp)


@pytest.mark.parametrize("width", [800, 640])
def test_badge_and_address_are_whole(language, ctx, store, qtbot, width):
    from views.queue import QueuePanel

    panel = QueuePanel(ctx)
    qtbot.addWidget(panel)
    panel.resize(width, 1000)
    panel.show()
    qtbot.waitExposed(panel)
    for state in ("registered", "dispatched"):
        panel.select_ticket(ticket_in_state(store, state))
        d = panel.detail
        qtbot.waitUntil(lambda: d.ticket is not None and d.badge.text() != "")
        badge, addr = d.badge, d.address

        def badge_whole() -> bool:
            font = QFont(badge.font())
            font.setBold(badge.state() in ("warning", "overdue"))
            return badge.width() >= QFontMetrics(font).horizontalAdvance(badge.text()) + 22

        def address_whole() -> bool:
            need = addr.fontMetrics().horizontalAdvance(addr.text())
            # wrapped onto a few lines is fine; a column one character wide is not
            lines = addr.height() / addr.fontMetrics().lineSpacing()
            return addr.width() >= min(need, addr.parentWidget().width() * 0.4) and lines <= 3.5

        # the layout settles on the next turns of the event loop
        qtbot.waitUntil(lambda: badge_whole() and address_whole(), timeout=2000)
        # and nothing runs past the pane's right edge
        assert d._scroll.widget().width() <= d._scroll.viewport().width()
