"""Start-up benchmark: the console against a 1M-ticket store.

``startup_s_1m``: seconds from process creation to the main window's first paint
(``duty-console --user ... --platform <dead address>``: no network wait, no login
dialog), median of three runs. ``startup_panels_s_1m``: until every panel is built.
``rss_mb_1m``: peak resident memory of the console process (web engine helpers not
included) while the panels load and settle. It counts the SQLite memory map of the
store once per pooled connection; ``anon_mb_1m`` is the anonymous (heap) part alone.
``rss_mb_1m_all``: the peak of the console's RSS plus the unique memory (USS) of its
QtWebEngine processes, ``web_processes_1m`` how many there were.
``startup_usable_s_1m``: from process creation until the console is usable (the
window's ``sig_usable``: queue rows painted, every map marker of the first load drawn,
every wall tile that was given a camera playing live frames). The wall plays the
simulator's live HLS streams (a child process, its cameras encoded before the runs;
written into the desk's store as cameras, so the wall's first-start fill puts them on
the default 2x2 layout); the platform address itself is dead, as above.
``bare_webengine_first_paint_s``: a minimal QtWebEngine window (one page, one
requestAnimationFrame) from process creation to its first painted frame, run in turn
with the console runs; ``startup_usable_vs_bare_webengine`` = the two medians' ratio.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from console.domain.auth import make_verifier

ROOT = Path(__file__).resolve().parents[1]
FIRST_PAINT = re.compile(r"first paint ([0-9.]+) s after process start")
PANELS = re.compile(r"panels ready ([0-9.]+) s after process start")
USABLE = re.compile(r"usable ([0-9.]+) s after process start \(panels ([a-z,]*); wall tiles playing (\d+) of (\d+)\)")
WALL_TILES = 4  # the default 2x2 layout
BARE = """
import sys, time, psutil
from PySide6.QtCore import QCoreApplication, Qt
QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
from PySide6.QtWidgets import QApplication
from PySide6.QtWebEngineWidgets import QWebEngineView
app = QApplication([])
view = QWebEngineView()
def titled(t):
    if t == "painted":
        print(time.time() - psutil.Process().create_time(), flush=True)
        app.quit()
view.titleChanged.connect(titled)
view.setHtml("<html><body><p>bare</p><script>requestAnimationFrame(function(){"
             "requestAnimationFrame(function(){document.title='painted';});});</script></body></html>")
view.resize(800, 600)
view.show()
app.exec()
"""


def _prepare(data_dir: Path, source: Path) -> None:
    from localdb import crypto

    data_dir.mkdir(parents=True, exist_ok=True)
    # the store's contact data is sealed with the key beside it: the desk needs the same key
    key = crypto.default_key_file(source)
    if key.exists():
        dst_key = data_dir / crypto.KEY_FILE_NAME
        shutil.copyfile(key, dst_key)
        os.chmod(dst_key, 0o600)
    src = sqlite3.connect(source)
    dst = sqlite3.connect(data_dir / "console.db")
    with dst:
        src.backup(dst)
    src.close()
    verifier = make_verifier("1234")
    with dst:
        dst.execute("INSERT OR REPLACE INTO users (id, name, role, verifier) VALUES (?, ?, ?, ?)",
                    ("bench", "基准测试", "officer", verifier))
    dst.close()


def _wall_cameras(data_dir: Path, sim_url: str, n: int = WALL_TILES) -> None:
    """``n`` of the simulator's open camera streams, encoded before the runs, as cameras
    in the desk's store (the wall puts them on its tiles at first start)."""
    from bench.sync_ui import _wall_cameras as write
    from localdb import Store

    store = Store.open(data_dir / "console.db")
    try:
        write(store, sim_url, n)
    finally:
        store.close()


def _bare_webengine() -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    proc = subprocess.run([sys.executable, "-c", BARE], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120)
    lines = [ln for ln in proc.stdout.splitlines() if ln.strip()]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"bare QtWebEngine window failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return float(lines[-1])


def _one_run(data_dir: Path, quit_after: float = 120.0,
             settle_s: float = 8.0) -> tuple[float, float, float, float, float, int, float]:
    import psutil

    log_file = data_dir / "logs" / "console.log"
    if log_file.exists():
        log_file.unlink()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DUTY_CONSOLE_TOKEN="bench", DUTY_CONSOLE_PIN="1234")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    proc = subprocess.Popen([sys.executable, "-m", "console.app", "--platform", "http://127.0.0.1:9",
                             "--user", "bench", "--data-dir",
                             str(data_dir), "--quit-after", str(quit_after)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=open(data_dir / "stderr.txt", "wb"))
    peak = anon = peak_all = web = 0
    ps = psutil.Process(proc.pid)
    smaps = Path(f"/proc/{proc.pid}/smaps_rollup")
    # the console runs until its panels are ready and ``settle_s`` longer (memory is
    # sampled all along), then is asked to quit; ``quit_after`` is only the upper bound
    stop_at: float | None = None
    stopped = False
    while proc.poll() is None:
        if stop_at is None and log_file.exists() and "usable " in log_file.read_text(
                encoding="utf-8", errors="replace"):
            stop_at = time.monotonic() + settle_s
        if stop_at is not None and time.monotonic() >= stop_at and not stopped:
            proc.terminate()
            stopped = True
        try:
            own = ps.memory_info().rss
            peak = max(peak, own)
            for line in smaps.read_text().splitlines():
                if line.startswith("Anonymous:"):
                    anon = max(anon, int(line.split()[1]) * 1024)
            # the console with its QtWebEngine processes (their unique memory: the
            # shared Chromium libraries are counted once, in the console's RSS)
            total, n_web = own, 0
            for child in ps.children(recursive=True):
                try:
                    total += child.memory_full_info().uss
                    n_web += "QtWebEngineProcess" in " ".join(child.cmdline())
                except psutil.Error:
                    continue
            peak_all, web = max(peak_all, total), max(web, n_web)
        except (psutil.Error, OSError, ValueError, IndexError):
            pass  # the process is starting or ending
        time.sleep(0.1)
    proc.wait()
    text = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
    paint, panels, usable = FIRST_PAINT.search(text), PANELS.search(text), USABLE.search(text)
    if (proc.returncode != 0 and not (stopped and proc.returncode == -15)) or not paint or not usable:
        err = (data_dir / "stderr.txt").read_text(errors="replace")[-1500:]
        raise RuntimeError(f"console run failed or never usable (exit {proc.returncode}): {text[-1500:]}\n{err}")
    if set(usable.group(2).split(",")) < {"queue", "map", "video"} or int(usable.group(3)) < WALL_TILES:
        raise RuntimeError(f"usable without every panel or tile: {usable.group(0)}")
    return (float(paint.group(1)), float(panels.group(1)) if panels else float("nan"), peak / 2**20,
            anon / 2**20, peak_all / 2**20, web, float(usable.group(1)))


def run(path: str | Path | None = None, n: int = 1_000_000, tiny: bool = False) -> dict[str, float]:
    from bench.store import build_queue_store

    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    if tiny:  # a private store of its own: never the 1M one a full run reuses
        path, n = work / "tiny-source.sqlite3", 2_000
    source = Path(path) if path else Path(tempfile.gettempdir()) / "duty-bench-1m.sqlite3"
    from simulator.testing import SimProcess

    sim = None
    try:
        build_queue_store(source, n).close()
        desk = work / "desk"
        desk.mkdir()
        _prepare(desk, source)
        sim = SimProcess(work / "platform", args=["--history-days", "0", "--no-traffic"])
        _wall_cameras(desk, sim.url)
        if tiny:
            runs, bare = [_one_run(desk)], [_bare_webengine()]
        else:
            _one_run(desk)  # warm the OS file cache and the translation cache
            _bare_webengine()
            runs, bare = [], []
            for _ in range(3):  # side by side: each console run next to a bare web engine run
                runs.append(_one_run(desk))
                bare.append(_bare_webengine())
    finally:
        if sim is not None:
            sim.stop()
        shutil.rmtree(work, ignore_errors=True)
    usable_s, bare_s = statistics.median(r[6] for r in runs), statistics.median(bare)
    return {
        "startup_s_1m": round(statistics.median(r[0] for r in runs), 3),
        "startup_panels_s_1m": round(statistics.median(r[1] for r in runs), 3),
        "rss_mb_1m": round(max(r[2] for r in runs), 1),
        "anon_mb_1m": round(max(r[3] for r in runs), 1),
        "rss_mb_1m_all": round(max(r[4] for r in runs), 1),
        "web_processes_1m": float(max(r[5] for r in runs)),
        "startup_usable_s_1m": round(usable_s, 3),
        "bare_webengine_first_paint_s": round(bare_s, 3),
        "startup_usable_vs_bare_webengine": round(usable_s / bare_s, 2),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else None)))
