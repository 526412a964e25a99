"""Relays the sync engine's worker-thread callbacks to Qt signals.

``SyncEngine`` (console.sync.engine, Qt-free) calls ``on_link_change``,
``on_progress`` and ``on_error`` from its own threads. Here each callback only
emits a signal; Qt queues it to the UI thread where the slots update
``ctx.link`` (LinkStatus) and report errors. Nothing here blocks the UI thread:
starting, stopping and polling the outbox depth run on the task pool.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)


class SyncBridge(QObject):
    """Owns the engine's life in the Qt application (in hall mode the engine is a
    ``console.hall.holder.HallSync``: it syncs only while it holds the hall's lock)."""

    #: hall mode: a status read unanswered this long means the hall database is unreachable
    HALL_DB_SILENCE_S = 2.5

    #: state ("online" | "degraded" | "offline"), info dict (previous, reason, queued, last_ok_at)
    sig_link = Signal(str, object)
    #: progress dict from the engine (feed: phase/applied/total_applied/has_more; push: results/outbox_depth)
    sig_progress = Signal(object)
    #: bootstrap: changes applied so far, finished?
    sig_bootstrap = Signal(int, bool)
    #: where ("puller" | "pusher" | "pinger" ...), error text
    sig_error = Signal(str, str)

    def __init__(self, ctx: AppContext, engine: Any = None, poll_ms: int = 2000,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.engine = engine
        self._last_error: dict[str, float] = {}
        self._polling = False
        self._poll_started = 0.0
        self.sig_link.connect(self._on_engine_link)
        self.sig_progress.connect(self._on_engine_progress)
        self.sig_error.connect(self._on_engine_error)
        self._timer = QTimer(self)
        self._timer.setInterval(poll_ms)
        self._timer.timeout.connect(self._on_poll_timeout)

    # -- construction --------------------------------------------------------------
    @classmethod
    def connect_platform(cls, ctx: AppContext, base_url: str, token: str, workstation_id: str,
                         parent: QObject | None = None) -> "SyncBridge":
        """Build the platform client and the engine with our callbacks (does not start)."""
        from console.sync.client import PlatformClient
        from console.sync.engine import SyncEngine

        from console import settings as S

        bridge = cls(ctx, parent=parent)
        ca = ctx.settings.get(S.CA_BUNDLE) if ctx.settings is not None else ""
        client = PlatformClient(base_url, token, ca_bundle=ca or None)

        def make_engine() -> SyncEngine:
            return SyncEngine(ctx.store, client, workstation_id,
                              on_link_change=bridge.callback_link,
                              on_progress=bridge.callback_progress,
                              on_error=bridge.callback_error)

        if getattr(ctx.store, "dialect", "sqlite") == "postgresql":
            # hall mode: this desk syncs only while it holds the hall's sync lock
            from console.hall.holder import HallSync

            bridge.engine = HallSync(ctx.store, make_engine, workstation_id,
                                     label=workstation_id, client=client)
        else:
            bridge.engine = make_engine()
        ctx.sync = bridge.engine
        if hasattr(bridge.engine, "platform_now"):
            ctx.clock = bridge.engine.platform_now
        ctx.bus.sig_platform_connected.emit(client.base_url)
        return bridge

    # -- worker-thread callbacks: emit only -----------------------------------------
    def callback_link(self, state: str, info: dict[str, Any]) -> None:
        self.sig_link.emit(str(state), dict(info or {}))

    def callback_progress(self, info: dict[str, Any]) -> None:
        self.sig_progress.emit(dict(info or {}))

    def callback_error(self, where: str, exc: Exception) -> None:
        self.sig_error.emit(str(where), f"{exc.__class__.__name__}: {exc}")

    # -- life ------------------------------------------------------------------------
    def start(self) -> None:
        if self.engine is None:
            return
        # The engine's start() only spawns threads, but keep even that off the UI thread.
        self.ctx.tasks.run(self.engine.start, on_error=lambda e: self._on_engine_error("start", str(e)))
        if hasattr(self.engine, "holder"):
            self._timer.setInterval(min(self._timer.interval(), 1000))  # hall state: within 5 s
        self._timer.start()
        self._on_poll_timeout()

    def stop(self, timeout: float = 3.0) -> None:
        self._timer.stop()
        if self.engine is not None:
            try:
                self.engine.stop(timeout)
            except Exception:  # noqa: BLE001 - shutting down anyway
                log.exception("sync engine did not stop cleanly")

    # -- UI-thread slots -------------------------------------------------------------
    @Slot(str, object)
    def _on_engine_link(self, state: str, info: dict) -> None:
        self.ctx.link.set_state(state, info.get("last_ok_at"))
        queued = info.get("queued")
        if isinstance(queued, int) and queued >= 0:
            self.ctx.link.set_outbox_depth(queued)

    @Slot(object)
    def _on_engine_progress(self, info: dict) -> None:
        if "outbox_depth" in info:
            self.ctx.link.set_outbox_depth(int(info["outbox_depth"]))
        if info.get("kind") == "feed":
            # The journal follower's own timer shows the new rows; no extra poll here.
            if info.get("phase") == "bootstrap":
                self.sig_bootstrap.emit(int(info.get("total_applied", 0)), not info.get("has_more", False))
        if self.engine is not None:
            last_ok = getattr(self.engine, "last_ok_at", None)
            if last_ok:
                self.ctx.link.last_ok = last_ok

    @Slot(str, str)
    def _on_engine_error(self, where: str, text: str) -> None:
        # Link failures are the link indicator's business; only other errors are shown,
        # and the same one at most once a minute.
        if text.startswith("LinkDown"):
            return
        now = time.monotonic()
        if now - self._last_error.get(text, -1e9) < 60:
            return
        self._last_error[text] = now
        if text.startswith("AuthError"):
            self.ctx.notify.error(QCoreApplication.translate(
                "sync", "The district platform refused our token. Check the token in the settings."))
        else:
            self.ctx.notify.warning(QCoreApplication.translate("sync", "Sync problem (%1): %2")
                                    .replace("%1", where).replace("%2", text))

    @staticmethod
    def _read_hall(engine: Any) -> dict:
        """Hall mode: who syncs, the desks online, whether this desk holds the sync
        (worker thread; raises when the hall database is unreachable)."""
        from localdb import hall

        with engine.store.session() as s:
            desks = len(hall.online(s))
        return {"holder": engine.holder(), "desks_online": desks,
                "self": engine.workstation, "role": engine.role}

    @Slot()
    def _on_poll_timeout(self) -> None:
        """Outbox depth and last good contact, read off the UI thread."""
        if self.engine is None:
            return
        if self._polling:
            # a poll that hangs (a cut LAN: no answer, no error) says the hall database
            # is unreachable as surely as a refused connection
            if (hasattr(self.engine, "holder")
                    and time.monotonic() - self._poll_started > self.HALL_DB_SILENCE_S):
                self.ctx.link.set_hall_db(False, "no answer")
            return
        self._polling = True
        engine = self.engine

        hall_mode = hasattr(engine, "holder")
        self._poll_started = time.monotonic()

        def _read() -> tuple[int, float | None, str | None, dict | None]:
            hall_state = self._read_hall(engine) if hall_mode else None
            # The engine's monitor starts out "online" before it has heard anything;
            # trust its state only once it has decided something or had an answer.
            monitor = getattr(engine, "link", None)
            heard = engine.last_ok_at is not None or bool(getattr(monitor, "decisions", None))
            return (int(engine.outbox_depth()), engine.last_ok_at,
                    engine.link_state if heard else None, hall_state)

        def _done(result: tuple[int, float | None, str, dict | None]) -> None:
            self._polling = False
            depth, last_ok, state, hall_state = result
            self.ctx.link.set_outbox_depth(depth)
            if hall_state is not None:
                self.ctx.link.set_hall(hall_state)
            if state is not None:
                self.ctx.link.set_state(state, last_ok)
            elif last_ok is not None:
                self.ctx.link.last_ok = last_ok

        def _failed(exc: BaseException) -> None:
            self._polling = False
            log.debug("outbox poll failed: %s", exc)
            if hall_mode:
                self.ctx.link.set_hall_db(False, str(exc))

        self.ctx.tasks.run(_read, on_done=_done, on_error=_failed)

