"""One tile of the video wall: a camera's live picture and what state it is in.

A tile plays through ``QMediaPlayer`` into a ``QVideoWidget`` and watches its
frames: a stream that errors, ends or stalls (no frame for ``stall_s`` while it
should be playing) is torn down and retried with exponential backoff (1, 2, 4 ...
at most ``backoff_max_s`` seconds). While it waits the picture is replaced by a
notice, so the officer never looks at a frozen frame believing it is live.

A tile decodes only while it is shown and has an online camera: hiding it (another
tile maximised, a smaller layout) or unassigning it stops and releases the player.
"""

from __future__ import annotations

import enum
import logging
import time
from functools import partial
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter
from PySide6.QtMultimedia import QMediaPlayer, QVideoFrame
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QLabel, QStackedLayout, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

#: Mime type a dragged camera carries (its id, UTF-8).
CAMERA_MIME = "application/x-duty-camera-id"


class TileState(enum.StrEnum):
    IDLE = "idle"                  # no camera assigned
    OFFLINE = "offline"            # the platform reports the camera offline: not tried
    CONNECTING = "connecting"      # opening the stream, no frame yet
    PLAYING = "playing"            # frames arriving
    RECONNECTING = "reconnecting"  # it played, then failed or stalled: retrying
    ERROR = "error"                # cannot be opened (bad address, format): retrying slowly


_STATE_COLOURS = {
    TileState.IDLE: "#8a8f98", TileState.OFFLINE: "#8a8f98", TileState.CONNECTING: "#e0b040",
    TileState.PLAYING: "#3cb371", TileState.RECONNECTING: "#e08a30", TileState.ERROR: "#e04848",
}


def _shown(url: str) -> str:
    """A stream address as it may be shown: without the user name and password."""
    u = QUrl(url)
    u.setUserInfo(None)  # a null string drops the "@" as well
    return u.toString()


def camera_mime(camera_id: str) -> QMimeData:
    md = QMimeData()
    md.setData(CAMERA_MIME, camera_id.encode("utf-8"))
    md.setText(camera_id)
    return md


class _VideoView(QVideoWidget):
    """The tile's picture. The frames go to a native video window on top of this
    widget; what this widget paints underneath is the latest frame, which only shows
    where that window does not: in ``QWidget.grab()`` (the console's ``--snapshot``,
    screenshots of the wall), which cannot see video windows."""

    def __init__(self, tile: "CameraTile") -> None:
        super().__init__(tile)
        self._tile = tile

    def paintEvent(self, event) -> None:  # noqa: N802
        img = self._tile.snapshot()
        if img is None:
            return
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("black"))
        scaled = img.scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                            Qt.TransformationMode.SmoothTransformation)
        p.drawImage((self.width() - scaled.width()) // 2, (self.height() - scaled.height()) // 2, scaled)
        p.end()


class CameraTile(QFrame):
    """A camera tile. ``index`` is its slot on the wall."""

    #: index — the officer double-clicked the tile (maximise / restore)
    sig_double_clicked = Signal(int)
    #: index, camera_id — a camera was dropped on the tile
    sig_camera_dropped = Signal(int, str)
    #: index, state value — the tile's state changed
    sig_state_changed = Signal(int, str)
    #: index, global position — context menu requested
    sig_menu_requested = Signal(int, QPoint)

    _nam: QNetworkAccessManager | None = None  # shared by all tiles (HEAD probes)

    def __init__(self, index: int, parent: QWidget | None = None, *, stall_s: float = 5.0,
                 connect_timeout_s: float = 10.0, backoff_max_s: float = 30.0) -> None:
        super().__init__(parent)
        self.index = index
        self.stall_s = stall_s
        self.connect_timeout_s = connect_timeout_s
        self.backoff_max_s = backoff_max_s
        self.camera: dict[str, Any] | None = None
        self.state = TileState.IDLE
        self.reason = ""
        self.main_stream = False
        self.highlighted = False
        self.frames = 0                # frames received since the tile was created
        self.last_frame_at = 0.0       # time.monotonic() of the newest frame
        self.first_frame_ms: float | None = None  # of the current attempt
        self.reconnects = 0
        self._player: QMediaPlayer | None = None
        self._last_frame: QVideoFrame | None = None
        self._url = ""
        self._attempts = 0
        self._ever_played = False
        self._attempt_started = 0.0
        self._playing_since = 0.0
        self._got_frame = False
        self._closed = False

        self.setObjectName("cameraTile")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.Box)
        self.setMinimumSize(80, 60)

        self._name = QLabel(self)
        self._state_label = QLabel(self)
        self._state_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        cap = QWidget(self)
        cap.setObjectName("tileCaption")
        cap_lay = QHBoxLayout(cap)
        cap_lay.setContentsMargins(4, 1, 4, 1)
        cap_lay.addWidget(self._name, 1)
        cap_lay.addWidget(self._state_label)
        self._caption = cap
        self._cap_lay = cap_lay
        self._full_name = ""

        self.video = _VideoView(self)
        self.video.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
        self.video.installEventFilter(self)
        self.video.videoSink().videoFrameChanged.connect(self._on_frame)
        self._notice = QLabel(self)
        self._notice.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._notice.setWordWrap(True)
        self._notice.setObjectName("tileNotice")
        self._stack = QStackedLayout()
        self._stack.addWidget(self._notice)
        self._stack.addWidget(self.video)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        lay.setSpacing(0)
        lay.addWidget(cap)
        lay.addLayout(self._stack, 1)

        self._watchdog = QTimer(self)
        self._watchdog.setInterval(500)
        self._watchdog.timeout.connect(self._on_watchdog_tick)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self._on_retry_timeout)
        self._retry_due = 0.0
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._refresh_notice)
        self._apply_style()
        self._refresh()

    # -- public ---------------------------------------------------------------------
    @property
    def camera_id(self) -> str | None:
        return self.camera["id"] if self.camera else None

    def assign(self, camera: dict[str, Any] | None) -> None:
        """Show ``camera`` (a repo_video camera dict) on this tile, or clear it."""
        if camera and self.camera and camera["id"] == self.camera["id"]:
            self.update_camera(camera)
            return
        self._stop()
        self.camera = dict(camera) if camera else None
        self._attempts = 0
        self._ever_played = False
        self.reason = ""
        self._set_state(TileState.IDLE)
        self._sync()

    def update_camera(self, camera: dict[str, Any]) -> None:
        """The camera's row changed (online state, addresses): restart only if needed."""
        old = self.camera or {}
        self.camera = dict(camera)
        if old.get("online") != camera.get("online") or self._wanted_url() != self._url:
            self._stop()
            self._attempts = 0
            self._set_state(TileState.IDLE)
        self._sync()
        self._refresh()

    def set_main_stream(self, on: bool) -> None:
        """Big tiles use the main stream, small ones the substream (when both exist)."""
        if on == self.main_stream:
            return
        self.main_stream = on
        if self._player is not None and self._wanted_url() != self._url:
            self._stop()
            self._sync()

    def set_highlight(self, on: bool) -> None:
        if on != self.highlighted:
            self.highlighted = on
            self._apply_style()

    def playing_recently(self, window_s: float = 2.0) -> bool:
        return self.state == TileState.PLAYING and time.monotonic() - self.last_frame_at <= window_s

    def snapshot(self) -> QImage | None:
        """The frame on screen now, or None when the tile shows no live picture."""
        if self.state != TileState.PLAYING:
            return None
        frame = self._last_frame
        if frame is None or not frame.isValid():
            return None
        img = frame.toImage()
        return None if img.isNull() else img

    def stop(self) -> None:
        """Release the player for good (the panel is closing)."""
        self._closed = True
        self._stop()

    # -- Qt events ------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self._sync()

    def hideEvent(self, event) -> None:  # noqa: N802
        super().hideEvent(event)
        if not self.isVisible():
            self._stop()
            if self.camera:
                self._set_state(TileState.IDLE)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802
        self.sig_double_clicked.emit(self.index)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        self.sig_menu_requested.emit(self.index, event.globalPos())

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        # The video widget would swallow the double-click meant for the tile.
        if obj is self.video and event.type() == QEvent.Type.MouseButtonDblClick:
            self.sig_double_clicked.emit(self.index)
            return True
        return super().eventFilter(obj, event)

    def dragEnterEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802
        if event.mimeData().hasFormat(CAMERA_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802
        data = event.mimeData().data(CAMERA_MIME)
        if data:
            event.acceptProposedAction()
            self.sig_camera_dropped.emit(self.index, bytes(data).decode("utf-8"))

    # -- playback -------------------------------------------------------------------
    def _wanted_url(self) -> str:
        c = self.camera or {}
        main, sub = (c.get("stream_url") or "").strip(), (c.get("substream_url") or "").strip()
        if self.main_stream:
            return main or sub
        return sub or main

    def _sync(self) -> None:
        """Start or stop decoding to match what the tile is asked to show."""
        c = self.camera
        if c is None:
            self._set_state(TileState.IDLE)
            return
        if not c.get("online", True):
            self._stop()
            self._set_state(TileState.OFFLINE)
            return
        if not self.isVisible() or self._closed:
            self._stop()
            return
        if self._player is not None or self._retry.isActive():
            return
        url = self._wanted_url()
        if not url:
            self.reason = self.tr("no stream address")
            self._set_state(TileState.ERROR)
            return
        scheme = QUrl(url).scheme().lower()
        if scheme not in ("http", "https", "rtsp", "rtmp", "file", "udp", "srt"):
            self.reason = self.tr("unsupported address: %1").replace("%1", _shown(url)[:60])
            self._set_state(TileState.ERROR)
            return
        self._open(url)

    def _open(self, url: str) -> None:
        self._drop_player()
        player = QMediaPlayer(self)
        player.setVideoOutput(self.video)
        player.setLoops(QMediaPlayer.Loops.Infinite)
        player.errorOccurred.connect(partial(self._on_player_error, player))
        player.mediaStatusChanged.connect(partial(self._on_media_status, player))
        self._player = player
        self._url = url
        self._got_frame = False
        self.first_frame_ms = None
        self._attempt_started = time.monotonic()
        if self.state not in (TileState.RECONNECTING, TileState.ERROR):
            self._set_state(TileState.CONNECTING)
        player.setSource(QUrl(url))
        player.play()
        self._watchdog.start()

    def _drop_player(self) -> None:
        player, self._player = self._player, None
        if player is None:
            return
        try:
            player.errorOccurred.disconnect()
            player.mediaStatusChanged.disconnect()
        except (RuntimeError, TypeError):
            pass
        player.stop()
        player.setVideoOutput(None)
        player.setSource(QUrl())
        player.deleteLater()

    def _stop(self) -> None:
        self._watchdog.stop()
        self._retry.stop()
        self._countdown.stop()
        self._drop_player()
        self._url = ""
        self._last_frame = None

    def _on_frame(self, frame: QVideoFrame) -> None:
        # A stopping player clears the sink with an invalid frame: that is no picture.
        if self._player is None or not frame.isValid():
            return
        self._last_frame = frame
        now = time.monotonic()
        self.frames += 1
        self.last_frame_at = now
        if not self._got_frame:
            self._got_frame = True
            self._playing_since = now
            self.first_frame_ms = (now - self._attempt_started) * 1000.0
            if self._ever_played and self.state == TileState.RECONNECTING:
                self.reconnects += 1
            self._ever_played = True
            self.reason = ""
            self._set_state(TileState.PLAYING)

    def _on_player_error(self, player: QMediaPlayer, error: QMediaPlayer.Error, text: str) -> None:
        if player is not self._player or error == QMediaPlayer.Error.NoError:
            return
        reasons = {
            QMediaPlayer.Error.ResourceError: self.tr("stream unavailable"),
            QMediaPlayer.Error.FormatError: self.tr("unsupported format"),
            QMediaPlayer.Error.NetworkError: self.tr("network error"),
            QMediaPlayer.Error.AccessDeniedError: self.tr("access denied"),
        }
        self._fail(reasons.get(error, text or self.tr("playback error")),
                   fatal=error == QMediaPlayer.Error.FormatError)

    def _on_media_status(self, player: QMediaPlayer, status: QMediaPlayer.MediaStatus) -> None:
        if player is not self._player:
            return
        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self._fail(self.tr("stream ended"))
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._fail(self.tr("stream unavailable"))

    def _on_watchdog_tick(self) -> None:
        if self._player is None:
            return
        now = time.monotonic()
        if self._got_frame:
            if now - self.last_frame_at > self.stall_s:
                self._fail(self.tr("no picture for %1 s").replace("%1", f"{self.stall_s:g}"))
            elif now - self._playing_since > 10.0:
                self._attempts = 0  # stable again: the next failure retries at once
        elif now - self._attempt_started > self.connect_timeout_s:
            self._fail(self.tr("connection timed out"))

    def _fail(self, reason: str, fatal: bool = False) -> None:
        """Tear the player down and schedule the next attempt."""
        log.info("tile %d camera %s: %s", self.index, self.camera_id, reason)
        if not self._got_frame and self._url.lower().startswith(("http://", "https://")):
            self._probe(self._url)
        self._watchdog.stop()
        self._drop_player()
        self._url = ""
        self._last_frame = None
        self.reason = reason
        delay = self.backoff_max_s if fatal else min(self.backoff_max_s, float(2 ** self._attempts))
        self._attempts += 1
        self._retry_due = time.monotonic() + delay
        self._retry.start(int(delay * 1000))
        self._countdown.start()
        self._set_state(TileState.RECONNECTING if self._ever_played and not fatal else TileState.ERROR)

    def _probe(self, url: str) -> None:
        """The player only says "could not open": ask the server what is wrong (HEAD),
        so the tile can show "HTTP 404" or "connection refused"."""
        if CameraTile._nam is None:
            CameraTile._nam = QNetworkAccessManager()
        req = QNetworkRequest(QUrl(url))
        req.setTransferTimeout(3000)
        reply = CameraTile._nam.head(req)
        reply.finished.connect(partial(self._on_probe_finished, reply, url, self.camera_id))

    def _on_probe_finished(self, reply: QNetworkReply, url: str, camera_id: str | None) -> None:
        reply.deleteLater()
        if camera_id != self.camera_id or self.state not in (TileState.ERROR, TileState.RECONNECTING):
            return
        if not self._retry.isActive():
            return
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        err = reply.error()
        if status and int(status) >= 400:
            self.reason = f"HTTP {int(status)}"
        elif err == QNetworkReply.NetworkError.ConnectionRefusedError:
            self.reason = self.tr("connection refused")
        elif err == QNetworkReply.NetworkError.HostNotFoundError:
            self.reason = self.tr("host not found")
        elif err in (QNetworkReply.NetworkError.TimeoutError,
                     QNetworkReply.NetworkError.OperationCanceledError):
            self.reason = self.tr("no answer from the server")
        else:
            return
        self._refresh()

    def _on_retry_timeout(self) -> None:
        self._countdown.stop()
        self._sync()

    # -- display ----------------------------------------------------------------------
    def _set_state(self, state: TileState) -> None:
        changed = state != self.state
        self.state = state
        self._refresh()
        if changed:
            self.sig_state_changed.emit(self.index, state.value)

    def state_text(self) -> str:
        s = self.state
        if s == TileState.PLAYING:
            return self.tr("Playing")
        if s == TileState.CONNECTING:
            return self.tr("Connecting")
        if s == TileState.RECONNECTING:
            return self.tr("Reconnecting")
        if s == TileState.OFFLINE:
            return self.tr("Offline")
        if s == TileState.ERROR:
            return self.tr("Error: %1").replace("%1", self.reason)
        return self.tr("No camera") if self.camera is None else self.tr("Stopped")

    def _refresh(self) -> None:
        c = self.camera
        self._full_name = c.get("name") or c["id"] if c else ""
        self._state_label.setText(self.state_text() if c else "")
        self._state_label.setStyleSheet(f"color: {_STATE_COLOURS[self.state]}; font-weight: bold;")
        self._fit_caption()
        self.setToolTip(f"{self._full_name} · {c['id']} · {_shown(self._url or self._wanted_url())}" if c else "")
        self._stack.setCurrentWidget(self.video if self.state == TileState.PLAYING else self._notice)
        self._refresh_notice()

    def _fit_caption(self) -> None:
        """Name and state side by side when both fit the tile's width, else the state
        under the name: the 播放中 badge never sits on the camera's name ("ying" in
        English). A name wider than the tile itself is cut with "…" (whole in the tooltip)."""
        room = max(0, self.width() - 12)
        bold = QFont(self._state_label.font())
        bold.setBold(True)
        state_w = QFontMetrics(bold).horizontalAdvance(self._state_label.text())
        name_w = self._name.fontMetrics().horizontalAdvance(self._full_name)
        side = name_w + 8 + state_w <= room
        self._cap_lay.setDirection(QBoxLayout.Direction.LeftToRight if side else QBoxLayout.Direction.TopToBottom)
        self._state_label.setAlignment((Qt.AlignmentFlag.AlignRight if side else Qt.AlignmentFlag.AlignLeft)
                                       | Qt.AlignmentFlag.AlignVCenter)
        self._name.setText(self._name.fontMetrics().elidedText(self._full_name, Qt.TextElideMode.ElideRight,
                                                               room) if room else self._full_name)
        self._name.setMinimumWidth(0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_caption()

    def _refresh_notice(self) -> None:
        s = self.state
        text = self.state_text() if self.camera else self.tr("Drop a camera here")
        if s in (TileState.RECONNECTING, TileState.ERROR) and self._retry.isActive():
            left = max(0, round(self._retry_due - time.monotonic()))
            text = self.tr("%1\n%2\nretrying in %3 s").replace("%1", self.state_text() if s ==
                                                             TileState.RECONNECTING else self.tr("Error"))
            text = text.replace("%2", self.reason).replace("%3", str(left))
        elif s == TileState.OFFLINE:
            text = self.tr("Camera offline")
        elif s == TileState.CONNECTING:
            text = self.tr("Connecting…")
        self._notice.setText(text)

    def _apply_style(self) -> None:
        border = "#ff3030" if self.highlighted else "#30343c"
        width = 3 if self.highlighted else 1
        self.setStyleSheet(
            f"QFrame#cameraTile {{ background: #101216; border: {width}px solid {border}; }}"
            "QWidget#tileCaption { background: #1c1f26; }"
            "QWidget#tileCaption QLabel { color: #e8e8e8; }"
            "QLabel#tileNotice { color: #c8ccd4; }")
