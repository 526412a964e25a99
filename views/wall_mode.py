"""Display-wall mode (综合展示屏): ``duty-console --wall --screen N``.

A chrome-less full-screen view for the hall's big screen, readable from across the
room: the map, the vital signs, the situation charts, a ticker of unanswered alarms and
a few cameras. It needs no login to keep showing and accepts no actions: it runs with
no officer (``ctx.actor`` is None), so every action button a reused panel has stays
disabled, and the video wall's tree and toolbar are hidden. Esc does not close it
(a wall is closed by the hall's IT engineer, Ctrl+Shift+Q).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QGridLayout, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from console.domain import devices, formatting
from localdb import repo_devices
from views.charts import ChartsView
from views.map import MapPanel
from views.video_wall import VideoWallPanel
from views.vital_signs import VitalSignsView

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)
TICKER_MS = 15_000


def place_on_screen(widget: QWidget, screen: int | None) -> str:
    """Put ``widget`` full screen on monitor ``screen`` (0-based); returns a warning
    when that monitor does not exist (then the primary one is used)."""
    screens = QGuiApplication.screens()
    warning = ""
    target = QGuiApplication.primaryScreen()
    if screen is not None:
        if 0 <= screen < len(screens):
            target = screens[screen]
        else:
            warning = f"screen {screen} does not exist ({len(screens)} connected); using the primary screen"
            log.warning(warning)
    if target is not None:
        widget.setGeometry(target.geometry())
    return warning


class AlarmTicker(QLabel):
    """One line at a time: the unanswered alarms, oldest first, cycling."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("alarm_ticker")
        self.ctx = ctx
        self.rows: list[dict[str, Any]] = []
        self._i = 0
        self.setStyleSheet("QLabel { background: #263238; color: #ffeb3b; font-size: 26px; padding: 8px; }")
        self._timer = QTimer(self)
        self._timer.setInterval(TICKER_MS)
        self._timer.timeout.connect(self.reload)
        self._timer.start()
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(lambda ch: self.reload() if ch.get("alarm") else None)
        self.reload()

    def reload(self) -> None:
        self.ctx.tasks.run(_do_open_alarms, self.ctx.store, on_done=self._on_loaded,
                           on_error=lambda exc: self.setText(str(exc)))

    def _on_loaded(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        if not rows:
            self.setText(self.tr("No unanswered IoT alarms"))
            return
        self._i = (self._i + 1) % len(rows)
        a = rows[self._i]
        now = float(self.ctx.clock())
        raised = formatting.finite_number(a.get("raised_at"))
        age = formatting.format_duration(now - raised) if raised is not None else "—"
        overdue = devices.alarm_overdue(a, now)
        self.setText(self.tr("%1 unanswered alarms · %2 %3 · open %4").replace("%1", str(len(rows)))
                     .replace("%2", a.get("sensor_name") or a.get("sensor_id") or "")
                     .replace("%3", formatting.format_epoch(a.get("raised_at"), "%H:%M")).replace("%4", age)
                     + ("  ⚠" if overdue else ""))


def _do_open_alarms(store: Any) -> list[dict[str, Any]]:
    with store.session() as s:
        return repo_devices.open_alarms(s, limit=200)


class WallWindow(QWidget):
    """The display wall's one window."""

    panel_name = "wall"
    #: the window painted for the first time
    sig_first_paint = Signal()
    #: every panel has loaded once
    sig_panels_ready = Signal()

    def __init__(self, ctx: AppContext, screen: int | None = None, video_layout: str = "2x2",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WallWindow")
        self.ctx = ctx
        self.setWindowTitle(self.tr("City operations display wall"))
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setStyleSheet("QWidget#WallWindow { background: #eceff1; }")
        self._build(video_layout)
        self.screen_warning = place_on_screen(self, screen)
        self.screen_index = screen
        quit_sc = QShortcut(QKeySequence("Ctrl+Shift+Q"), self)
        quit_sc.activated.connect(QApplication.instance().quit)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self._tick)
        self._clock.start()
        self._tick()
        self._painted = False

    def _build(self, video_layout: str) -> None:
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        left = QSplitter(Qt.Orientation.Vertical, self)
        self.map = MapPanel(self.ctx, left)
        self.video = VideoWallPanel(self.ctx, left)
        self.video.tree.hide()
        self.video.toolbar.hide()
        self.video.set_layout(video_layout if video_layout else "2x2", save=False)
        left.addWidget(self.map)
        left.addWidget(self.video)
        left.setSizes([640, 420])
        lay.addWidget(left, 3)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        head = QGridLayout()
        self.title = QLabel(self.tr("City vital signs"), right)
        self.title.setStyleSheet("font-size: 34px; font-weight: bold; color: #263238;")
        self.clock_label = QLabel(right)
        self.clock_label.setObjectName("wall_clock")
        self.clock_label.setStyleSheet("font-size: 30px; color: #37474f;")
        self.clock_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head.addWidget(self.title, 0, 0)
        head.addWidget(self.clock_label, 0, 1)
        rl.addLayout(head)
        self.vitals = VitalSignsView(self.ctx, right, large=True, columns=2)
        rl.addWidget(self.vitals, 3)
        self.charts = ChartsView(self.ctx, right)
        rl.addWidget(self.charts, 2)
        self.ticker = AlarmTicker(self.ctx, right)
        rl.addWidget(self.ticker)
        lay.addWidget(right, 2)
        self._right = right

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        # The map and cameras keep three fifths of the screen whatever the tiles ask for.
        self._right.setMaximumWidth(max(320, int(self.width() * 0.42)))
        super().resizeEvent(event)

    def _tick(self) -> None:
        self.clock_label.setText(formatting.format_epoch(self.ctx.clock(), "%Y-%m-%d %H:%M:%S"))

    def paintEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.sig_first_paint.emit()

    # -- what the snapshot check reads ------------------------------------------------------
    def visible_panels(self) -> dict[str, QWidget]:
        return {"map": self.map, "video": self.video, "vitals": self.vitals}

    def snapshot_ready(self) -> bool:
        fn = getattr(self.map, "snapshot_ready", None)
        return (not callable(fn) or bool(fn())) and bool(self.vitals.indicators)

    def shutdown(self) -> None:
        self.video.shutdown()

    def save_layout(self) -> None:
        """The wall keeps no layout of its own (the command line says what it shows)."""
