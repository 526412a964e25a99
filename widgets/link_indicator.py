"""Status-bar indicator of the link to the district platform.

Shows a coloured dot and the state (online / degraded / offline), the time since
the last good contact and the number of officer actions waiting in the outbox.
When the link drops (-> offline) or comes back (offline -> anything else) it
flashes for a few seconds and plays a short sound, so an officer facing the video
wall notices without watching the status bar.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QTimer, QUrl, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)

COLOURS = {"online": "#2e9d43", "degraded": "#e0a100", "offline": "#d12f2f", "store_damaged": "#d12f2f"}
FLASH_TICKS = 8  # 8 x 250 ms

#: the link states in the officer's words (translation context "labels", shared with views.labels)
LINK_STATES: dict[str, str] = {
    "online": QT_TRANSLATE_NOOP("labels", "Online"),
    "degraded": QT_TRANSLATE_NOOP("labels", "Degraded"),
    "offline": QT_TRANSLATE_NOOP("labels", "Offline"),
    "store_damaged": QT_TRANSLATE_NOOP("labels", "Local store damaged"),
}


def link_label(state: str | None) -> str:
    if not state:
        return ""
    source = LINK_STATES.get(state)
    return QCoreApplication.translate("labels", source) if source else state


def _ago(seconds: float) -> str:
    s = max(0, int(seconds))
    if s < 60:
        return QCoreApplication.translate("LinkIndicator", "%1 s ago").replace("%1", str(s))
    if s < 3600:
        return QCoreApplication.translate("LinkIndicator", "%1 min ago").replace("%1", str(s // 60))
    return QCoreApplication.translate("LinkIndicator", "%1 h ago").replace("%1", str(s // 3600))


class LinkIndicator(QWidget):
    """Fed by ``ctx.link`` (LinkStatus): ``sig_changed`` and ``sig_outbox``."""

    #: kind of sound just requested: "link_down" | "link_up"
    sig_alert = Signal(str)

    def __init__(self, link: Any, clock: Callable[[], float] = time.time,
                 sound_enabled: Callable[[], bool] | bool = True, cache_dir: Any = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("LinkIndicator")
        self.link = link
        self.clock = clock
        self._sound_enabled = sound_enabled
        self._cache_dir = cache_dir
        self._effects: dict[str, Any] = {}
        self._flash = 0
        self.alerts: list[str] = []  # what was signalled (tests, duty log)

        self.dot = QLabel(self)
        self.dot.setFixedSize(14, 14)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("LinkState")
        self.detail_label = QLabel(self)
        self.detail_label.setObjectName("LinkDetail")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(6, 0, 6, 0)
        lay.setSpacing(6)
        lay.addWidget(self.dot)
        lay.addWidget(self.state_label)
        lay.addWidget(self.detail_label)
        self.hall_label = QLabel(self)  # hall mode only: who syncs, desks online, hall database
        self.hall_label.setObjectName("HallState")
        self.hall_label.setVisible(False)
        lay.addWidget(self.hall_label)

        link.sig_changed.connect(self._on_link_changed)
        link.sig_outbox.connect(self._on_outbox_changed)
        if hasattr(link, "sig_hall"):
            link.sig_hall.connect(self._on_hall_changed)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(250)
        self._flash_timer.timeout.connect(self._on_flash_timeout)
        self._state = link.state
        self._had_contact = link.state == "online" or bool(getattr(link, "last_ok", None))
        self._dropped = False
        self.refresh()

    # -- display -------------------------------------------------------------------
    @property
    def state(self) -> str:
        return self._state

    def text(self) -> str:
        hall = f" {self.hall_label.text()}" if not self.hall_label.isHidden() else ""
        return f"{self.state_label.text()} {self.detail_label.text()}{hall}".strip()

    def hall_text(self) -> str:
        """Hall mode: which process syncs, desks online, or that the hall database is
        unreachable ("" in desk mode)."""
        hall = getattr(self.link, "hall", None)
        if not hall:
            return ""
        if hall.get("hall_db") is False:
            return QCoreApplication.translate("LinkIndicator", "Hall database unreachable: actions are refused and the "
                      "forms kept until it answers; reconnecting by itself")
        parts = []
        holder = hall.get("holder")
        if hall.get("role") == "holding":
            parts.append(QCoreApplication.translate("LinkIndicator", "this desk syncs for the hall"))
        elif holder:
            parts.append(QCoreApplication.translate("LinkIndicator", "sync: %1")
                         .replace("%1", str(holder.get("label") or holder.get("workstation"))))
        else:
            parts.append(QCoreApplication.translate("LinkIndicator", "no desk syncs right now"))
        if hall.get("desks_online") is not None:
            parts.append(QCoreApplication.translate("LinkIndicator", "%1 desks online").replace("%1", str(hall["desks_online"])))
        return " · ".join(parts)

    def refresh(self) -> None:
        state = self._state
        colour = COLOURS.get(state, "#888888")
        highlight = self._flash % 2 == 1
        self.dot.setStyleSheet(f"background:{colour}; border-radius:7px;"
                               + ("border:2px solid white;" if highlight else ""))
        self.state_label.setText(link_label(state))
        self.state_label.setStyleSheet(
            f"color:white; background:{colour}; padding:0 4px; font-weight:bold;" if highlight
            else f"color:{colour}; font-weight:bold;")
        parts = []
        last_ok = getattr(self.link, "last_ok", None)
        if last_ok:
            parts.append(QCoreApplication.translate("LinkIndicator", "last sync %1")
                         .replace("%1", _ago(self.clock() - last_ok)))
        else:
            parts.append(QCoreApplication.translate("LinkIndicator", "never synced"))
        depth = int(getattr(self.link, "outbox_depth", 0) or 0)
        parts.append(QCoreApplication.translate("LinkIndicator", "%1 waiting to send")
                     .replace("%1", str(depth)))
        if getattr(self.link, "store_problem", None):
            parts.insert(0, QCoreApplication.translate(
                "LinkIndicator", "this desk cannot read its store: quit and recover"))
        self.detail_label.setText(" · ".join(parts))
        hall = self.hall_text()
        self.hall_label.setVisible(bool(hall))
        self.hall_label.setText(hall)
        unreachable = bool(getattr(self.link, "hall", None)) and self.link.hall.get("hall_db") is False
        self.hall_label.setStyleSheet(f"color:{COLOURS['offline']}; font-weight:bold;" if unreachable else "")
        self.setToolTip(QCoreApplication.translate(
            "LinkIndicator", "Link to the district platform. Actions are kept locally and sent "
            "when the link returns."))

    # -- slots -----------------------------------------------------------------------
    @Slot(str)
    def _on_link_changed(self, state: str) -> None:
        old, self._state = self._state, state
        # Alert only on a real drop (after the platform had answered) and on the
        # return after such a drop: a console that never reached the platform, or a
        # first contact after start-up, is not news for the hall.
        if state != "offline" and (state == "online" or getattr(self.link, "last_ok", None)):
            self._had_contact = True
        if state == "offline" and old != "offline" and self._had_contact:
            self._dropped = True
            self._alert("link_down")
        elif old == "offline" and state != "offline" and self._dropped:
            self._dropped = False
            self._alert("link_up")
        self.refresh()

    @Slot(int)
    def _on_outbox_changed(self, depth: int) -> None:
        self.refresh()

    @Slot(object)
    def _on_hall_changed(self, _info: object) -> None:
        self.refresh()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self.refresh()

    @Slot()
    def _on_flash_timeout(self) -> None:
        self._flash -= 1
        if self._flash <= 0:
            self._flash = 0
            self._flash_timer.stop()
        self.refresh()

    # -- alert -----------------------------------------------------------------------
    def _alert(self, kind: str) -> None:
        self.alerts.append(kind)
        self._flash = FLASH_TICKS
        self._flash_timer.start()
        self.sig_alert.emit(kind)
        enabled = self._sound_enabled() if callable(self._sound_enabled) else self._sound_enabled
        if enabled:
            self.play(kind)

    def play(self, kind: str) -> None:
        try:
            effect = self._effects.get(kind)
            if effect is None:
                from PySide6.QtMultimedia import QSoundEffect

                from console.qt.sounds import sound_path

                effect = QSoundEffect(self)
                effect.setSource(QUrl.fromLocalFile(str(sound_path(kind, self._cache_dir))))
                effect.setVolume(0.8)
                self._effects[kind] = effect
            effect.play()
        except Exception:  # noqa: BLE001 - a missing audio device must not break the UI
            log.warning("could not play %s", kind, exc_info=True)


def make_indicator(ctx: AppContext, parent: QWidget | None = None) -> LinkIndicator:
    from console import settings as S

    def _sound() -> bool:
        return bool(ctx.settings.get(S.SOUND_ENABLED))

    return LinkIndicator(ctx.link, clock=time.time, sound_enabled=_sound, parent=parent)

