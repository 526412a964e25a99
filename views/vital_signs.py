"""The street's vital signs (城市体征) as tiles: value, threshold, trend; red past the threshold.

Figures come from ``console.vitals.compute`` on the task runner, every minute and when
tickets, sensors or alarms change (at most every 5 s). ``large=True`` draws them for the
display wall, readable from across the hall.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from console import vitals
from console.domain import devices, formatting

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)
REFRESH_MS = 60_000
DEBOUNCE_MS = 5_000
TREND_SAMPLES = 30


def sign_title(key: str) -> str:
    tr = lambda s: QCoreApplication.translate("VitalSignsView", s)  # noqa: E731
    return {
        "tickets_open": tr("Open tickets"), "tickets_overdue": tr("Overdue tickets"),
        "on_time_rate_today": tr("On-time rate today"), "alarms_open": tr("Unanswered alarms"),
        "sensors_in_alarm": tr("Sensors in alarm"), "cameras_offline": tr("Cameras offline"),
        "water_level_max_cm": tr("Highest water level"), "gas_max_lel": tr("Highest gas reading"),
    }.get(key, key)


def sign_value(ind: devices.Indicator) -> str:
    if ind.value is None:
        return "—"
    if ind.key == "on_time_rate_today":
        return formatting.format_number(ind.value * 100, 1) + "%"
    if ind.key == "water_level_max_cm":
        return formatting.format_number(ind.value, 1) + " cm"
    if ind.key == "gas_max_lel":
        return formatting.format_number(ind.value, 1) + " %LEL"
    return formatting.format_int(ind.value)


def sign_threshold(ind: devices.Indicator) -> str:
    if ind.threshold is None:
        return ""
    tr = lambda s: QCoreApplication.translate("VitalSignsView", s)  # noqa: E731
    value = sign_value(devices.Indicator(ind.key, ind.threshold, None))
    return (tr("alarm at ≥ %1") if ind.higher_is_worse else tr("alarm at ≤ %1")).replace("%1", value)


class SignTile(QFrame):
    def __init__(self, key: str, large: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"sign_{key}")
        self.key = key
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 4, 6, 4)
        self.title = QLabel(sign_title(key), self)
        self.value = QLabel("—", self)
        self.value.setObjectName("sign_value")
        self.detail = QLabel("", self)
        self.detail.setObjectName("sign_detail")
        big, small = (44, 18) if large else (20, 10)
        self.title.setStyleSheet(f"font-size: {small + 2}px; color: #444;")
        self.value.setStyleSheet(f"font-size: {big}px; font-weight: bold;")
        self.detail.setStyleSheet(f"font-size: {small}px; color: #666;")
        for w in (self.title, self.value, self.detail):
            w.setAlignment(Qt.AlignmentFlag.AlignCenter)
            lay.addWidget(w)
        self.state = "unknown"

    def show_indicator(self, ind: devices.Indicator, previous: float | None) -> None:
        self.state = ind.state
        self.value.setText(sign_value(ind))
        trend = ""
        if ind.value is not None and previous is not None and ind.value != previous:
            trend = "↑ " if ind.value > previous else "↓ "
        self.detail.setText(trend + sign_threshold(ind))
        colour = {"alarm": "#c62828", "normal": "#2e7d32"}.get(ind.state, "#777")
        self.value.setStyleSheet(self.value.styleSheet().split(" color:")[0] + f" color: {colour};")
        self.setStyleSheet(f"QFrame#{self.objectName()} {{ border: 2px solid "
                           f"{'#c62828' if ind.state == 'alarm' else '#cfd8dc'}; border-radius: 6px; }}")


class VitalSignsView(QWidget):
    """Tiles of every indicator; ``history`` keeps the recent values (the trend)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, large: bool = False,
                 columns: int = 4) -> None:
        super().__init__(parent)
        self.setObjectName("VitalSignsView")
        self.ctx = ctx
        self.indicators: list[devices.Indicator] = []
        self.history: dict[str, deque[float]] = {}
        self.tiles: dict[str, SignTile] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(4, 4, 4, 4)
        for i, key in enumerate(devices.VITAL_SIGNS):
            tile = SignTile(key, large, self)
            self.tiles[key] = tile
            grid.addWidget(tile, i // columns, i % columns)
        self.error = QLabel("", self)
        self.error.setObjectName("vitals_error")
        self.error.setStyleSheet("color: #c62828;")
        grid.addWidget(self.error, (len(self.tiles) + columns - 1) // columns, 0, 1, columns)
        self._busy = self._dirty = False
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self.refresh)
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_store_changed)
        self.refresh()

    def refresh(self) -> None:
        if self._busy:
            self._dirty = True
            return
        self._busy = True
        lead = self.ctx.settings.warning_lead_s
        self.ctx.tasks.run(vitals.compute, self.ctx.store, float(self.ctx.clock()), lead,
                           on_done=self._on_computed, on_error=self._on_failed)

    def _on_computed(self, indicators: list[devices.Indicator]) -> None:
        self._busy = False
        self.error.setText("")
        self.indicators = indicators
        for ind in indicators:
            hist = self.history.setdefault(ind.key, deque(maxlen=TREND_SAMPLES))
            previous = hist[-1] if hist else None
            if ind.value is not None:
                hist.append(ind.value)
            self.tiles[ind.key].show_indicator(ind, previous)
        if self._dirty:
            self._dirty = False
            self.refresh()

    def _on_failed(self, exc: BaseException) -> None:
        self._busy = False
        log.error("vital signs: %s", exc)
        self.error.setText(self.tr("Vital signs could not be read: %1").replace("%1", str(exc)))

    def _on_store_changed(self, changed: dict) -> None:
        if any(changed.get(k) for k in ("ticket", "sensor", "alarm", "camera")) and not self._debounce.isActive():
            self._debounce.start()

    def snapshot_info(self) -> dict[str, Any]:
        return {"vital_signs": sum(1 for i in self.indicators if i.value is not None)}
