"""UI responsiveness while the sync engine catches up (offscreen Qt, real simulator).

``ui_max_stall_ms_during_sync``: the console's main window (every panel: queue, map,
video wall, commander) is open on a fresh store with the journal follower running,
while a real ``SyncEngine`` bootstraps ~100k history tickets from the simulator (a
child process on loopback). A 10 ms ``QTimer`` heartbeat on the UI thread records
the longest gap between two of its ticks, from the engine's start until the
bootstrap has ended and the panels have taken in the last journal entries. A gap
is how long an officer's click or keystroke would have waited.

``ui_stall_p99_ms_during_sync`` (99th percentile of the gaps), ``ui_sync_s`` (the
catch-up's duration) and ``ui_sync_changes_per_s`` are reported alongside.

Run alone: ``python -m bench.sync_ui [history_tickets]``.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

HEARTBEAT_MS = 10
SETTLE_S = 3.0  # after the bootstrap: the panels' debounced reloads must run too
TIMEOUT_S = 600.0


def _app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


class _Heartbeat:
    """A 10 ms timer on the UI thread; keeps every gap between ticks."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.gaps: list[float] = []
        self.worst_at = 0.0
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(HEARTBEAT_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def reset(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()

    def _tick(self) -> None:
        t = time.perf_counter()
        gap = (t - self._last) * 1000
        self.gaps.append(gap)
        self._last = t


def _pump(app, seconds: float, until=None) -> bool:
    """Run the Qt event loop for ``seconds`` or until ``until()`` is true."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if until is not None and until():
            return True
        threading.Event().wait(0.002)
    return until is None or bool(until())


def ui_max_stall_ms_during_sync(history_tickets: int = 100_000) -> dict[str, float]:
    from simulator.testing import SimProcess

    from console.composition import freeze_startup_heap
    from console.domain.model import Actor, Role
    from console.paths import Paths
    from console.qt.context import AppContext
    from console.qt.sync_bridge import SyncBridge
    from localdb import Store, journal
    from views.main_window import MainWindow

    app = _app()
    logging.getLogger("console").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory(prefix="bench-sync-ui-") as d:
        tmp = Path(d)
        sim = SimProcess(tmp / "platform", args=[
            "--seed", "21", "--history-days", "0", "--no-traffic", "--no-streams",
            "--history-tickets", str(history_tickets)])
        store = ctx = None
        window = bridge = None
        try:
            paths = Paths(tmp / "console").ensure()
            store = Store.open(paths.store)
            ctx = AppContext(store=store, actor=Actor("u-bench", "基准测试", Role.OFFICER, "WS-BENCH"),
                             paths=paths)
            window = MainWindow(ctx, paths)
            window.resize(1600, 1000)
            window.show()
            ctx.journal.start()
            # the window and its panels settle first (their start-up is not sync)
            _pump(app, 60, lambda: getattr(window, "_panels_ready", False))
            freeze_startup_heap()  # as console.composition does when the panels are ready
            _pump(app, 2.0)

            beat = _Heartbeat()
            bridge = SyncBridge.connect_platform(ctx, sim.url, sim.token, "WS-BENCH")
            engine = bridge.engine
            beat.start()
            t0 = time.perf_counter()
            bridge.start()

            last_check = [0.0]

            def caught_up() -> bool:
                now = time.monotonic()
                if now - last_check[0] < 0.1:  # the check itself must not load the UI thread
                    return False
                last_check[0] = now
                if engine.puller.bootstrapping or engine.puller.stats.bootstraps_completed == 0:
                    return False
                with store.session() as s:
                    head = journal.head(s)
                return ctx.journal._seq >= head

            ok = _pump(app, TIMEOUT_S, caught_up)
            sync_s = time.perf_counter() - t0
            _pump(app, SETTLE_S)
            beat.stop()
            if not ok:
                raise RuntimeError("the sync engine did not catch up in time")
            gaps = sorted(beat.gaps)
            applied = engine.puller.stats.changes_applied
            return {
                "ui_max_stall_ms_during_sync": round(gaps[-1], 1),
                "ui_stall_p99_ms_during_sync": round(gaps[int(len(gaps) * 0.99) - 1], 1),
                "ui_sync_s": round(sync_s, 2),
                "ui_sync_changes_per_s": round(applied / sync_s, 1),
            }
        finally:
            if bridge is not None:
                bridge.stop(10)
            if ctx is not None and ctx.journal is not None:
                ctx.journal.stop()
            if window is not None:
                window.close()
                window.deleteLater()
                _pump(app, 0.5)
            if store is not None:
                store.close()
            sim.stop()


def run(history_tickets: int = 100_000, tiny: bool = False) -> dict[str, float]:
    """In a child process of its own: the web engine's threads and the 10 ms timer must
    not share the interpreter with whatever ran before, and its teardown (which can
    crash at interpreter exit) must not take ``python -m bench`` down with it."""
    import json
    import subprocess
    import sys

    if tiny:
        history_tickets = 2_000
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "bench.sync_ui", str(history_tickets)], cwd=root,
                          env=env, capture_output=True, text=True, timeout=TIMEOUT_S + 120)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"bench.sync_ui failed (exit {proc.returncode}): {proc.stderr[-2000:]}")


if __name__ == "__main__":
    import json
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(json.dumps(ui_max_stall_ms_during_sync(n)), flush=True)
    os._exit(0)  # skip the web engine's teardown at interpreter exit
