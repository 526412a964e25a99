"""Start-up benchmark: the console against a 1M-ticket store.

``startup_s_1m``: seconds from process creation to the main window's first paint
(``duty-console --user ... --platform <dead address>``: no network wait, no login
dialog), median of three runs. ``startup_panels_s_1m``: until every panel is built.
``rss_mb_1m``: peak resident memory of the console process (web engine helpers not
included) while the panels load and settle. It counts the SQLite memory map of the
store once per pooled connection; ``anon_mb_1m`` is the anonymous (heap) part alone.
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


def _prepare(data_dir: Path, source: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
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


def _one_run(data_dir: Path, quit_after: float = 10.0) -> tuple[float, float, float, float]:
    import psutil

    log_file = data_dir / "logs" / "console.log"
    if log_file.exists():
        log_file.unlink()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DUTY_CONSOLE_TOKEN="bench", DUTY_CONSOLE_PIN="1234")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    proc = subprocess.Popen([sys.executable, "-m", "console.app", "--platform", "http://127.0.0.1:9",
                             "--user", "bench", "--data-dir",
                             str(data_dir), "--quit-after", str(quit_after)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = anon = 0
    ps = psutil.Process(proc.pid)
    smaps = Path(f"/proc/{proc.pid}/smaps_rollup")
    while proc.poll() is None:
        try:
            peak = max(peak, ps.memory_info().rss)
            for line in smaps.read_text().splitlines():
                if line.startswith("Anonymous:"):
                    anon = max(anon, int(line.split()[1]) * 1024)
        except (psutil.Error, OSError, ValueError, IndexError):
            pass  # the process is starting or ending
        time.sleep(0.1)
    proc.wait()
    text = log_file.read_text(encoding="utf-8", errors="replace") if log_file.exists() else ""
    paint, panels = FIRST_PAINT.search(text), PANELS.search(text)
    if proc.returncode != 0 or not paint:
        raise RuntimeError(f"console run failed (exit {proc.returncode}); see {log_file}")
    return (float(paint.group(1)), float(panels.group(1)) if panels else float("nan"), peak / 2**20,
            anon / 2**20)


def run(path: str | Path | None = None, n: int = 1_000_000) -> dict[str, float]:
    from bench.store import build_queue_store

    source = Path(path) if path else Path(tempfile.gettempdir()) / "duty-bench-1m.sqlite3"
    build_queue_store(source, n).close()
    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    try:
        _prepare(work, source)
        _one_run(work)  # warm the OS file cache and the translation cache
        runs = [_one_run(work) for _ in range(3)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "startup_s_1m": round(statistics.median(r[0] for r in runs), 3),
        "startup_panels_s_1m": round(statistics.median(r[1] for r in runs), 3),
        "rss_mb_1m": round(max(r[2] for r in runs), 1),
        "anon_mb_1m": round(max(r[3] for r in runs), 1),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(run(sys.argv[1] if len(sys.argv) > 1 else None)))
