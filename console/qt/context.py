"""The application context the panels receive, and the small Qt objects in it.

Panels get everything through ``AppContext``: they read the store, call operations
through ``run_action`` and talk to each other through ``bus``. Nothing here talks to
the network; the sync engine's callbacks arrive from worker threads and are turned
into signals by ``console.qt.sync_bridge``.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal, Slot

from console.domain.formatting import plausible_epoch
from console.domain.model import Actor
from console.settings import Settings

if TYPE_CHECKING:
    from console.paths import Paths
    from console.sync.engine import SyncEngine
    from localdb.store import Store

log = logging.getLogger(__name__)


class Bus(QObject):
    """Cross-panel requests. Any panel may emit; the owning panel reacts."""

    #: ticket_id — select the ticket in the queue and show its detail
    sig_select_ticket = Signal(str)
    #: filters dict (keys as in localdb.queue_query) — filter the queue
    sig_filter_queue = Signal(dict)
    #: camera_id — play this camera on the video wall
    sig_play_camera = Signal(str)
    #: camera_id, ticket_id — play the camera on the wall and attach its first live frame to
    #: the ticket (an alarm's ticket gets the nearest camera's snapshot)
    sig_snapshot_to_ticket = Signal(str, str)
    #: ticket_id — centre the map on this ticket
    sig_locate_ticket = Signal(str)
    #: lat, lon, radius_m — open the nearest cameras on the wall
    sig_open_cameras_near = Signal(float, float, float)
    #: lat, lon, radius_m, count — how many cameras such a request found (0: none in range),
    #: so that the panel the officer is looking at can say so where they look
    sig_cameras_near_answer = Signal(float, float, float, int)
    #: incident dict {"id","type","lat","lon","level","title","started_at"}
    sig_emergency = Signal(dict)
    #: the emergency ended
    sig_emergency_end = Signal()
    #: request_id — a panel asks the map to let the officer pick a point (answered by
    #: sig_point_picked or sig_pick_cancelled with the same id)
    sig_pick_point = Signal(str)
    #: request_id, lat, lon (WGS-84) — the officer picked this point on the map
    sig_point_picked = Signal(str, float, float)
    #: request_id — the pick was cancelled (Esc, another request, or no map)
    sig_pick_cancelled = Signal(str)
    #: url — the district platform's address is known (sync connected to it)
    sig_platform_connected = Signal(str)


class LinkStatus(QObject):
    """Link state as the UI sees it (fed by the sync bridge)."""

    #: state ("online" | "degraded" | "offline" | "store_damaged")
    sig_changed = Signal(str)
    #: outbox depth
    sig_outbox = Signal(int)
    #: hall mode: the hall state dict (holder record or None, desks_online, self, role,
    #: hall_db True/False, hall_db_error)
    sig_hall = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = "offline"
        self.last_ok: float | None = None
        self.outbox_depth = 0
        self.hall: dict | None = None  # None: desk mode
        #: why this desk cannot read its own store (None: it can). While set, the state
        #: is "store_damaged" whatever the platform link does: a desk that cannot read
        #: its store is not online.
        self.store_problem: str | None = None
        self._link_state = "offline"

    def set_store_problem(self, problem: str) -> None:
        first = self.store_problem is None
        self.store_problem = problem
        if first:
            self.state = "store_damaged"
            self.sig_changed.emit(self.state)

    def set_hall(self, info: dict) -> None:
        """A fresh read of the hall state (the hall database answered)."""
        new = {**info, "hall_db": True, "hall_db_error": None}
        if new != self.hall:
            self.hall = new
            self.sig_hall.emit(new)

    def set_hall_db(self, reachable: bool, error: str | None = None) -> None:
        if self.hall is None:
            self.hall = {"holder": None, "desks_online": None, "self": None, "role": None}
        if self.hall.get("hall_db") is reachable:
            return
        self.hall = {**self.hall, "hall_db": reachable, "hall_db_error": error}
        self.sig_hall.emit(self.hall)

    def set_state(self, state: str, last_ok: float | None = None) -> None:
        if last_ok is not None:
            self.last_ok = last_ok
        self._link_state = state
        if self.store_problem is not None:
            return
        if state != self.state:
            self.state = state
            self.sig_changed.emit(state)

    def set_outbox_depth(self, depth: int) -> None:
        if depth != self.outbox_depth:
            self.outbox_depth = depth
            self.sig_outbox.emit(depth)


class Notifier(QObject):
    """One place where errors and notices go (napari's notification manager)."""

    #: level ("error" | "warning" | "info"), text
    sig_message = Signal(str, str)
    #: title, text, with_sound
    sig_toast = Signal(str, str, bool)
    #: key, title, text, with_sound: a notice that replaces the one on screen with the same key
    sig_toast_keyed = Signal(str, str, str, bool)
    #: the local store is damaged or unreadable (message); from any thread
    sig_store_damage = Signal(str)

    def error(self, text: str) -> None:
        log.error("notify: %s", text)
        self.sig_message.emit("error", text)

    def warning(self, text: str) -> None:
        log.warning("notify: %s", text)
        self.sig_message.emit("warning", text)

    def info(self, text: str) -> None:
        self.sig_message.emit("info", text)

    def toast(self, title: str, text: str, sound: bool = True, key: str = "") -> None:
        """A toast; with ``key``, it updates the toast of that key still on screen instead of
        stacking a new one (a running count)."""
        if key:
            self.sig_toast_keyed.emit(key, title, text, sound)
        else:
            self.sig_toast.emit(title, text, sound)


class _TaskSignals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        super().__init__()
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.signals = _TaskSignals()

    def run(self) -> None:  # worker thread: never touch widgets here
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:  # noqa: BLE001 - reported to the UI thread
            self._deliver(self.signals.failed, exc)
        else:
            self._deliver(self.signals.done, result)

    def _deliver(self, signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the console closed while this ran: nobody is left to tell
            name = getattr(self.fn, "__qualname__", repr(self.fn))
            log.warning("background task %s finished after the console closed (%r)", name, value)


def _report_task_failure(exc: BaseException, name: str) -> None:
    from console.qt import errors

    errors.report(exc, where=f"background task {name}")


class TaskRunner(QObject):
    """Runs functions off the UI thread; results come back as queued signals.

    ``inline=True`` runs tasks synchronously (Picard's FakeThreadPool) for tests.
    Database writes go through ``writer`` — a one-thread pool — so there is one writer.
    """

    def __init__(self, parent: QObject | None = None, inline: bool = False) -> None:
        super().__init__(parent)
        self.inline = inline
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(4)
        self.writer = QThreadPool(self)
        self.writer.setMaxThreadCount(1)
        self._live: set[_Task] = set()

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, write: bool = False,
            **kwargs: Any) -> None:
        if self.inline:
            try:
                result = fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001
                if on_error:
                    on_error(exc)
                else:
                    raise
            else:
                if on_done:
                    on_done(result)
            return
        task = _Task(fn, args, kwargs)
        task.setAutoDelete(False)
        self._live.add(task)

        def _finish(_: object = None) -> None:
            self._live.discard(task)

        if on_done:
            task.signals.done.connect(on_done)
        if on_error:
            task.signals.failed.connect(on_error)
        else:  # no handler: the failure must not vanish (central error display)
            name = getattr(fn, "__qualname__", repr(fn))
            task.signals.failed.connect(lambda exc, name=name: _report_task_failure(exc, name))
        task.signals.done.connect(_finish)
        task.signals.failed.connect(_finish)
        (self.writer if write else self.pool).start(task)

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs) and self.writer.waitForDone(msecs)


class JournalFollower(QObject):
    """Follows the store's change journal and tells panels which entities changed.

    Batches: one signal per poll with every changed id grouped by kind, so a burst of
    10,000 changes repaints once. The periodic poll reads the journal on a worker
    thread (a bootstrap writes tens of thousands of entries a second; reading them must
    not stall the UI); ``poke()`` reads at once, on the calling (UI) thread, so a local
    write is visible without waiting for the next tick. Entries are delivered once, in
    order, whichever path read them first.
    """

    #: dict kind -> list of entity ids (e.g. {"ticket": ["…"], "camera": ["…"]})
    sig_changed = Signal(dict)
    #: internal: rows read by the worker, delivered on the UI thread
    _sig_rows = Signal(object)

    #: Most entries per delivery: every panel handles a delivery in one go on the UI
    #: thread; 50,000 ids at once took ~90 ms (the 250 ms poll still follows 40k/s).
    BATCH = 10000

    #: internal: the hall database notified a commit (emitted on the listener thread)
    _sig_wake = Signal()

    #: Hall mode: the safety poll behind LISTEN/NOTIFY (a lost notification only
    #: costs this much latency).
    HALL_POLL_MS = 2000
    #: Hall mode while the LISTEN connection is down (the hall database restarting, a
    #: dropped connection): notifications sent meanwhile are lost, so the follower reads
    #: at the desk's own poll rate until the listener is back.
    HALL_UNHEARD_POLL_MS = 250

    def __init__(self, store: Store, interval_ms: int = 250, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self._seq = self._head()
        self._reading = False
        self._again = False
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._sig_rows.connect(self._on_rows_read)
        self._timer = QTimer(self)
        self._listener: Any = None
        self._read_at = 0.0  # monotonic time of the last read started
        if getattr(store, "dialect", "sqlite") == "postgresql":
            # hall mode: woken by LISTEN/NOTIFY; the timer is only the safety net (it
            # ticks fast but reads only every HALL_POLL_MS while the listener is heard)
            interval_ms = min(interval_ms, self.HALL_UNHEARD_POLL_MS)
            self._sig_wake.connect(self._on_timer_timeout)
            self._timer.timeout.connect(self._on_hall_tick)
        else:
            self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.setInterval(interval_ms)

    def _head(self) -> int:
        from localdb import journal

        with self.store.session() as s:
            return journal.head(s)

    def _read(self, seq: int) -> list[tuple[int, str, str]]:
        from localdb import journal

        with self.store.session() as s:
            return journal.since(s, seq, self.BATCH)

    def start(self) -> None:
        self._timer.start()
        if self._listener is None and getattr(self.store, "dialect", "sqlite") == "postgresql":
            from localdb.wakeup import Listener

            self._listener = Listener(self.store.url, self._wake).start()

    def _wake(self) -> None:  # listener thread
        try:
            self._sig_wake.emit()
        except RuntimeError:  # the follower was deleted meanwhile
            pass

    def stop(self) -> None:
        self._timer.stop()
        if self._listener is not None:
            self._listener.stop()
            self._listener = None
        self._pool.waitForDone(2000)

    @Slot()
    def poke(self) -> None:
        """Read and deliver now (after a local write)."""
        self._deliver(self._read(self._seq))

    @Slot()
    def _on_hall_tick(self) -> None:
        heard = self._listener is not None and self._listener.connected.is_set()
        if heard and time.monotonic() - self._read_at < self.HALL_POLL_MS / 1000:
            return
        self._on_timer_timeout()

    @Slot()
    def _on_timer_timeout(self) -> None:
        self._read_at = time.monotonic()
        if self._reading:
            # hall mode: a wake-up during a read means more was committed; read again
            self._again = self._listener is not None
            return
        self._reading = True
        seq = self._seq

        def _work() -> None:
            try:
                rows = self._read(seq)
            except Exception:  # noqa: BLE001 - a busy or closing store: try next tick
                log.debug("journal read failed", exc_info=True)
                rows = []
            try:
                self._sig_rows.emit(rows)
            except RuntimeError:  # the follower was deleted meanwhile
                pass

        self._pool.start(QRunnable.create(_work))

    @Slot(object)
    def _on_rows_read(self, rows: list[tuple[int, str, str]]) -> None:
        self._reading = False
        self._deliver(rows)
        if self._again:
            self._again = False
            self._on_timer_timeout()

    def _deliver(self, rows: list[tuple[int, str, str]]) -> None:
        rows = [r for r in rows if r[0] > self._seq]
        if not rows:
            return
        self._seq = rows[-1][0]
        grouped: dict[str, list[str]] = {}
        for _seq, kind, entity_id in rows:
            ids = grouped.setdefault(kind, [])
            ids.append(entity_id)
        for kind, ids in grouped.items():
            grouped[kind] = list(dict.fromkeys(ids))
        self.sig_changed.emit(grouped)


class _GuardedClock:
    """The platform clock as panels read it: a value that is not a plausible time (NaN,
    infinity, years away) gives the workstation's own time instead, so no panel
    fails on a clock gone wrong (the status bar shows the same fallback)."""

    __slots__ = ("fn", "_warned")

    def __init__(self, fn: Callable[[], float]) -> None:
        self.fn, self._warned = fn, False

    def __call__(self) -> float:
        try:
            now = plausible_epoch(self.fn())
        except Exception:  # noqa: BLE001 - a broken clock source is reported, not raised
            now = None
        if now is None:
            if not self._warned:
                self._warned = True
                log.warning("platform clock gave an implausible time; using this workstation's clock")
            return time.time()
        return now


@dataclass
class AppContext:
    """What every panel receives. ``actor`` is None until login; ``settings`` defaults
    to the declared defaults (console.settings), so panels read ``ctx.settings.get(S.X)``."""

    store: Store
    actor: Actor | None
    settings: Settings = field(default_factory=Settings)
    clock: Callable[[], float] = time.time
    bus: Bus = field(default_factory=Bus)
    link: LinkStatus = field(default_factory=LinkStatus)
    notify: Notifier = field(default_factory=Notifier)
    tasks: TaskRunner = field(default_factory=TaskRunner)
    journal: JournalFollower | None = None
    sync: SyncEngine | None = None  # set by the sync bridge when connected
    paths: Paths | None = None  # data dir, cache dir: set by console.composition
    presence: Any = None  # hall mode: console.hall.presence.PresenceBeat of this desk

    def __post_init__(self) -> None:
        if self.journal is None and self.store is not None:
            self.journal = JournalFollower(self.store)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "clock" and not isinstance(value, _GuardedClock):
            value = _GuardedClock(value)
        super().__setattr__(name, value)

    def run_action(self, fn: Callable[..., Any], *args: Any, actor: Actor | None = None,
                   on_done: Callable[[Any], None] | None = None,
                   on_error: Callable[[BaseException], None] | None = None, what: str | None = None,
                   **kwargs: Any) -> None:
        """Run an officer action ``fn(store, actor, *args, **kwargs)`` (console.operations)
        on the writer thread, as ``actor`` (default: the logged-in officer; 双审 runs as
        the second officer).

        Errors go to the notifier (``what``, e.g. "派遣 HP2026...", starts the message so
        it names the ticket), then to ``on_error``; on success the journal is poked so
        every panel sees the change at once, and the sync engine is woken to push it.
        """

        def _ok(result: Any) -> None:
            if self.journal is not None:
                self.journal.poke()
            if self.sync is not None:
                self.sync.kick()
            if on_done:
                on_done(result)

        def _err(exc: BaseException) -> None:
            from console.qt import errors

            if errors.store_damage(exc) is not None:
                errors.report(exc, where=what or getattr(fn, "__name__", "action"))
                if on_error:
                    on_error(exc)
                return
            text = getattr(exc, "message", None) or str(exc)
            self.notify.error(f"{what}: {text}" if what else text)
            if on_error:
                on_error(exc)

        self.tasks.run(fn, self.store, actor or self.actor, *args, on_done=_ok, on_error=_err, write=True,
                       **kwargs)
