"""UI responsiveness while the sync engine catches up (offscreen Qt, real simulator).

``ui_max_stall_ms_during_sync``: the console's main window (every panel: queue, map,
video wall, commander) is open on a fresh store with the journal follower running,
the video wall decoding the simulator's live HLS camera streams (4x4, 16 tiles;
2 at tiny scale), while a real ``SyncEngine`` bootstraps ~100k history tickets from
the simulator (a child process on loopback). The run fails when the wall is not
playing every tile both before the sync starts and after it ends. A 10 ms ``QTimer`` heartbeat on the UI thread records
the longest gap between two of its ticks, from the engine's start until the
bootstrap has ended and the panels have taken in the last journal entries. A gap
is how long an officer's click or keystroke would have waited.

``ui_stall_p99_ms_during_sync`` (99th percentile of the gaps), ``ui_sync_s`` (the
catch-up's duration), ``ui_sync_changes_per_s`` and ``ui_wall_tiles_playing`` (tiles
with a frame in the last 2 s when the sync has ended) are reported alongside.

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


def _wall_cameras(store, sim_url: str, n: int) -> None:
    """``n`` cameras of the simulator's open streams, already encoded (the first request
    of a camera encodes its loop), written into the store under ids the feed never sends."""
    import urllib.error
    import urllib.request

    from localdb.feed import apply_changes

    ids: list[str] = []
    for k in range(1, 400):
        cid = f"CAM{k:03d}"
        req = urllib.request.Request(f"{sim_url}/streams/{cid}/main.m3u8", method="HEAD")
        try:
            urllib.request.urlopen(req, timeout=300).read()
        except urllib.error.HTTPError:
            continue  # restricted (403), offline (503) or no such camera (404)
        ids.append(cid)
        if len(ids) == n:
            break
    if len(ids) < n:
        raise RuntimeError(f"the simulator serves only {len(ids)} open camera streams, {n} needed")
    cams = [{"seq": 0, "kind": "camera", "op": "upsert", "id": f"BW{i:02d}", "data": {
        "id": f"BW{i:02d}", "name": f"基准{i}", "lat": 31.18 + i * 1e-4, "lon": 121.49, "grid_id": "G01",
        "online": True, "stream_url": f"{sim_url}/streams/{cid}/main.m3u8",
        "substream_url": f"{sim_url}/streams/{cid}/sub.m3u8", "source": "street"}}
        for i, cid in enumerate(ids)]
    apply_changes(store, cams, "bench")


def ui_max_stall_ms_during_sync(history_tickets: int = 100_000, tiles: int = 16) -> dict[str, float]:
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
            "--seed", "21", "--history-days", "0", "--no-traffic",
            "--history-tickets", str(history_tickets)])
        store = ctx = None
        window = bridge = None
        try:
            paths = Paths(tmp / "console").ensure()
            store = Store.open(paths.store)
            _wall_cameras(store, sim.url, tiles)
            ctx = AppContext(store=store, actor=Actor("u-bench", "基准测试", Role.OFFICER, "WS-BENCH"),
                             paths=paths)
            window = MainWindow(ctx, paths)
            window.resize(1600, 1000)
            window.show()
            ctx.journal.start()
            # the window and its panels settle first (their start-up is not sync)
            _pump(app, 60, lambda: getattr(window, "_panels_ready", False))
            freeze_startup_heap()  # as console.composition does when the panels are ready
            wall = window.panels["video"]
            _pump(app, 30, lambda: len(wall.tree.model.cameras()) >= tiles)
            wall.set_layout("4x4")
            for i in range(tiles):
                wall.assign(i, f"BW{i:02d}")
            if not _pump(app, 60, lambda: wall.playing_count(2.0) >= tiles):
                raise RuntimeError(f"the wall plays {wall.playing_count(2.0)} of {tiles} tiles before the sync")
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
            playing = wall.playing_count(2.0)
            if playing < tiles:
                raise RuntimeError(f"the wall stopped decoding during the sync: {playing} of {tiles} tiles play")
            gaps = sorted(beat.gaps)
            applied = engine.puller.stats.changes_applied
            return {
                "ui_max_stall_ms_during_sync": round(gaps[-1], 1),
                "ui_stall_p99_ms_during_sync": round(gaps[int(len(gaps) * 0.99) - 1], 1),
                "ui_sync_s": round(sync_s, 2),
                "ui_sync_changes_per_s": round(applied / sync_s, 1),
                "ui_wall_tiles_playing": float(playing),
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

    tiles = 16
    if tiny:
        history_tickets, tiles = 2_000, 2
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, PYTHONPATH=str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, "-m", "bench.sync_ui", str(history_tickets), str(tiles)], cwd=root,
                          env=env, capture_output=True, text=True, timeout=TIMEOUT_S + 120)
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            return json.loads(line)
    raise RuntimeError(f"bench.sync_ui failed (exit {proc.returncode}): {proc.stderr[-2000:]}")


if __name__ == "__main__":
    import json
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 16
    print(json.dumps(ui_max_stall_ms_during_sync(n, k)), flush=True)
    os._exit(0)  # skip the web engine's teardown at interpreter exit
