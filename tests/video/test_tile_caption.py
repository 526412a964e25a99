"""A tile's caption: the state badge (播放中 / Playing) never sits on the camera's name at
the tile widths of a 1920 desk's wall (four tiles in a small dock), in either language."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetrics

from console.qt import i18n
from widgets.camera_tile import CameraTile, TileState


@pytest.fixture(params=["zh_CN", "en"])
def language(request, qapp, tmp_path):
    i18n.install(qapp, request.param, cache_dir=tmp_path / "qm")
    yield request.param
    i18n.remove(qapp)


@pytest.mark.parametrize("width", [125, 180, 420])
def test_state_badge_never_covers_the_name(language, qtbot, width):
    tile = CameraTile(0)
    qtbot.addWidget(tile)
    tile.resize(width, 120)
    tile.show()
    qtbot.waitExposed(tile)
    tile.camera = {"id": "CAM0362", "name": "高青路362号东向", "online": True, "stream_url": ""}
    tile._set_state(TileState.PLAYING)  # what the first frame does
    tile._refresh()
    name, state = tile._name, tile._state_label
    bold = QFont(state.font())
    bold.setBold(True)

    def settled() -> bool:
        return (not name.geometry().intersects(state.geometry())
                and state.width() >= QFontMetrics(bold).horizontalAdvance(state.text())
                and name.width() >= name.fontMetrics().horizontalAdvance(name.text()))

    qtbot.waitUntil(settled, timeout=2000)
    assert state.text() == tile.state_text() and state.text()
    assert "高青路" in name.text() and "高青路362号东向" in tile.toolTip()
    if width >= 420:  # room for both: one line
        assert name.geometry().top() == state.geometry().top() and name.text() == "高青路362号东向"
    tile.stop()
