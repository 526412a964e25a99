"""The hall's eyes: display-wall memory and the base map drawn from the cache offline.

- ``wall_mode_rss_mb``: ``duty-console --wall`` against a running simulator (streams on),
  the wall showing the map with the platform's base map and four live cameras: resident
  memory of the console process plus the unique memory of its QtWebEngine children
  (the simulator is not counted), the highest sample of the last 20 s of a 70 s run, when
  the four tiles have long been playing (target <= 500).
- ``tiles_cached_first_paint_s``: the map panel built against the platform's base map
  after one online visit filled the tile cache, with the district link cut by the fault
  proxy: panel created -> the page reports every visible tile loaded from the cache
  (target <= 1.5). Measured in a child process (the ``tiles:`` scheme must be registered
  before the QApplication exists).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    return env


def run(tiny: bool = False) -> dict[str, float]:
    out: dict[str, float] = {}
    out.update(wall_mode_rss(quit_after=30, measure_s=22, min_samples=3) if tiny else wall_mode_rss())
    proc = subprocess.run([sys.executable, "-m", "bench.wall", "--child"], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"bench.wall child failed:\n{proc.stderr[-3000:]}")
    out.update(json.loads(proc.stdout.strip().splitlines()[-1]))
    return out


def _tree_mb(pid: int) -> tuple[float, int]:
    """RSS of the console plus USS of its web processes (MB), and how many of those."""
    import psutil

    main = psutil.Process(pid)
    total = main.memory_info().rss
    web = 0
    for child in main.children(recursive=True):
        try:
            if "QtWebEngineProcess" in " ".join(child.cmdline()):
                total += child.memory_full_info().uss
                web += 1
        except psutil.Error:
            continue
    return total / 2**20, web


def wall_mode_rss(quit_after: float = 75, measure_s: float = 70, min_samples: int = 10) -> dict[str, float]:
    from simulator.testing import running_simulator

    with tempfile.TemporaryDirectory() as tmp, \
            running_simulator(Path(tmp) / "sim", seed=3, history_days=0.5, streams=True) as sim:
        data = Path(tmp) / "wall"
        env = dict(_env(), DUTY_CONSOLE_DATA_DIR=str(data), DUTY_CONSOLE_TOKEN=sim.token)
        proc = subprocess.Popen([sys.executable, "-m", "console.app", "--platform", sim.url, "--wall",
                                 "--layout", "2x2", "--quit-after", str(quit_after)], cwd=ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        log = data / "logs" / "console.log"
        samples: list[float] = []
        webs = 0
        deadline = time.monotonic() + measure_s
        try:
            while time.monotonic() < deadline and proc.poll() is None:
                time.sleep(1.0)
                text = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
                if "first paint" not in text:
                    continue
                mb, webs = _tree_mb(proc.pid)
                samples.append(mb)
        finally:
            proc.terminate()
            proc.wait(30)
        if len(samples) < min_samples:
            raise RuntimeError(f"the wall did not stay up long enough to measure: {proc.stderr.read()[-2000:]}")
        return {"wall_mode_rss_mb": round(max(samples[-20:]), 1), "wall_mode_web_processes": float(webs)}


# --- the child: the map from the cache with the link cut ---------------------------------------
def _child() -> None:
    from views.map_tiles import register_scheme

    register_scheme()
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from console.domain.model import Actor, Role
    from console.qt.context import AppContext
    from console.settings import Settings
    from console.sync.proxy import FaultProxy
    from simulator.testing import running_simulator
    from tests.factories import load_sample_store

    app = QApplication.instance() or QApplication([])

    def wait_for(pred, timeout_s: float = 60.0) -> None:
        end = time.monotonic() + timeout_s
        loop = QEventLoop()
        while not pred():
            if time.monotonic() > end:
                raise RuntimeError("timed out")
            QTimer.singleShot(20, loop.quit)
            loop.exec()

    def stats(panel) -> dict:
        box: dict = {}
        panel.page.runJavaScript("DutyMap.stats()", 0, lambda v: box.setdefault("v", v))
        wait_for(lambda: "v" in box, 20)
        return json.loads(box["v"])

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DUTY_CONSOLE_DATA_DIR"] = str(Path(tmp) / "desk")
        store = load_sample_store(Path(tmp) / "store.db", n_tickets=2000)
        with running_simulator(Path(tmp) / "sim", seed=3, history_days=0.05, daily_rate=50) as sim:
            port = int(sim.url.rsplit(":", 1)[1])
            with FaultProxy("127.0.0.1", port, seed=1) as px:
                from views.map import MapPanel

                from console.sync.client import PlatformClient
                from console.sync.engine import SyncEngine

                def open_panel() -> tuple[MapPanel, float]:
                    ctx = AppContext(store=store, actor=Actor("o1", "o", Role.OFFICER, "WS"), settings=Settings())
                    # as at a desk: the platform is known before the panels are built
                    ctx.sync = SyncEngine(store, PlatformClient(px.url, sim.token), "WS")
                    t0 = time.perf_counter()
                    p = MapPanel(ctx)
                    p.resize(1200, 800)
                    p.show()
                    wait_for(lambda: p.tiles.served > 0)
                    wait_for(lambda: (lambda s: s["tilesLoaded"] > 0 and not s["tilesLoading"])(stats(p)))
                    return p, time.perf_counter() - t0

                online, _ = open_panel()                       # one online visit fills the cache
                online.deleteLater()
                px.partition("refuse")                          # the district link is cut
                offline, seconds = open_panel()
                if offline.tiles.served == 0:
                    raise RuntimeError("no tile came from the cache")
                offline.deleteLater()
        store.close()
    print(json.dumps({"tiles_cached_first_paint_s": round(seconds, 3)}), flush=True)
    app.quit()
    os._exit(0)  # the web engine's teardown at interpreter exit can crash (SIGSEGV) after the figure


if __name__ == "__main__" and "--child" in sys.argv:
    _child()
