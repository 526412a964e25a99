"""Light stand-ins for the real panels (no web engine, no video) for shell tests."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class _Fake(QWidget):
    panel_name = "fake"
    info: dict = {}

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        QVBoxLayout(self).addWidget(QLabel(f"fake {self.panel_name}", self))

    def snapshot_info(self) -> dict:
        return dict(self.info)


class QueueFake(_Fake):
    panel_name = "queue"
    info = {"tickets": 999999}  # the shell counts the store itself


class MapFake(_Fake):
    panel_name = "map"
    info = {"grid_layers": 5}


class VideoFake(_Fake):
    panel_name = "video"
    info = {"cameras": 8, "video_playing": 2, "unrelated": "dropped"}

    def shortcuts(self):
        return [("Ctrl+P", "Start patrol")]


class CommanderFake(_Fake):
    panel_name = "commander"


class Broken(QWidget):
    panel_name = "commander"

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        raise RuntimeError("the commander panel blew up")


class UsableFake(_Fake):
    """A panel that says when it is usable (``ready`` set by the test)."""
    panel_name = "usable"
    ready = False

    def usable(self) -> bool:
        return self.ready
