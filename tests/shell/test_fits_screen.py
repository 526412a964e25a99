"""The console fits a 1920×1080 desk and a 1366×768 laptop in both languages: no action
button of the detail pane is clipped (each lies inside its parent and inside what the
pane shows, at least as wide as its text), and the window starts on the screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QScrollArea

from console.qt import i18n

SIZES = [(1920, 1080), (1366, 768)]


@pytest.fixture(params=["zh_CN", "en"])
def language(request, qapp, tmp_path):
    i18n.install(qapp, request.param, cache_dir=tmp_path / "qm")
    yield request.param
    i18n.remove(qapp)


def _visible_rect_in(widget, ancestor) -> QRect:
    top_left = widget.mapTo(ancestor, QPoint(0, 0))
    return QRect(top_left, widget.size())


def _clipped_buttons(detail) -> list[str]:
    scroll = detail.findChild(QScrollArea)
    viewport = scroll.viewport()
    bad = []
    for name, b in detail.buttons.items():
        parent = b.parentWidget()
        if not parent.rect().contains(b.geometry()):
            bad.append(f"{name}: {b.geometry()} outside its box {parent.rect()}")
        elif b.width() < b.sizeHint().width():
            bad.append(f"{name}: {b.width()} px for text needing {b.sizeHint().width()} px ({b.text()!r})")
        else:
            r = _visible_rect_in(b, viewport)
            if r.right() > viewport.width() or r.left() < 0:
                bad.append(f"{name}: right edge {r.right()} beyond the pane's {viewport.width()} px")
    return bad


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail_pane_buttons_are_never_clipped(make_window, qtbot, language, size, store):
    from tests.queue.conftest import ticket_in_state

    w = make_window()
    w.resize(*size)
    w.show()
    qtbot.waitExposed(w)
    # the panels' minimum sizes let the window be this small (nothing forced off-screen)
    assert (w.width(), w.height()) == size
    qtbot.waitUntil(lambda: w.panels_ready, timeout=30000)
    queue = w.panels["queue"]
    queue.select_ticket(ticket_in_state(store, "registered"))
    QApplication.processEvents()
    qtbot.waitUntil(lambda: queue.detail.ticket is not None)
    assert queue.detail.isVisible() and queue.detail.width() > 0
    QApplication.processEvents()
    assert _clipped_buttons(queue.detail) == []


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_first_start_fits_the_screen(size):
    from views.main_window import MainWindow

    width, height = MainWindow.fit_size(QRect(0, 0, *size))
    assert width <= size[0] and height <= size[1] - 30  # the title and status bars stay on screen
