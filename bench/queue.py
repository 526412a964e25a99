"""Ticket queue panel benchmarks (offscreen Qt, a 1M-ticket store).

- ``queue_tab_switch_ms_p95``: switching saved tabs (SQL page of ids + drawing the
  visible rows) over 1M cached tickets.
- ``queue_scroll_fps``: scrolling page by page through 100k loaded rows, each frame
  drawn synchronously (rows are read from the store as they come into view).
- ``action_to_visible_ms``: an officer action (督办) from the trigger until the changed
  row is drawn with its new value (writer thread + journal + row refresh).

The 1M store is built once by ``bench.store.build_queue_store`` and shared with the
store benchmarks (``<tmp>/duty-bench-1m.sqlite3``).
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

NOW = 1_795_000_000.0


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[max(0, int(round(len(xs) * 0.95)) - 1)]


def _app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([])


def _panel(store, inline: bool = True):
    from console.domain.model import Actor, Role
    from console.qt.context import AppContext, TaskRunner
    from views.queue import QueuePanel

    ctx = AppContext(store=store, actor=Actor("u1", "李信息员", Role.OFFICER, "WS-01"),
                     clock=lambda: NOW, tasks=TaskRunner(inline=inline))
    p = QueuePanel(ctx)
    p.resize(1600, 950)
    p.show()
    _app().processEvents()
    return p


def _store(path: Path | None, n: int):
    from bench.store import build_queue_store

    path = Path(path) if path else Path(tempfile.gettempdir()) / "duty-bench-1m.sqlite3"
    return build_queue_store(path, n)


def tab_switch(store, rounds: int = 6) -> dict[str, float]:
    app = _app()
    p = _panel(store)
    keys = list(p.tab_keys)
    times = []
    for _ in range(rounds):
        for k in keys:
            t = time.perf_counter()
            p.set_tab(k)
            app.processEvents()  # the reset's repaint of the visible rows
            times.append((time.perf_counter() - t) * 1000)
    p.close()
    return {"queue_tab_switch_ms_p95": _p95(times), "queue_tab_switch_ms_p50": statistics.median(times)}


def scroll(store, rows: int = 100_000, frames: int = 300) -> dict[str, float]:
    app = _app()
    p = _panel(store)
    p.set_tab("all")
    t = time.perf_counter()
    p.model.load_all(limit=rows)
    load_s = time.perf_counter() - t
    bar = p.table.verticalScrollBar()
    step = max(1, bar.maximum() // frames)
    app.processEvents()
    t = time.perf_counter()
    n = 0
    for i in range(frames):
        bar.setValue(min(bar.maximum(), (i + 1) * step))
        p.table.viewport().repaint()
        n += 1
    elapsed = time.perf_counter() - t
    figures = {"queue_scroll_fps": n / elapsed, "queue_scroll_rows": float(p.model.rowCount()),
               "queue_load_100k_ids_s": load_s, "queue_cache_rows": float(p.model.cache_size_now())}
    p.close()
    return figures


def action_to_visible(store, samples: int = 15) -> dict[str, float]:
    from views.queue_model import COLUMNS

    app = _app()
    p = _panel(store, inline=False)
    p.set_tab("pending")
    times = []
    for i in range(samples):
        p.table.selectRow(i)
        app.processEvents()
        before = p.model.row_dict(i)["urge_count"]
        t = time.perf_counter()
        p.actions.trigger("urge")
        deadline = t + 10
        while time.perf_counter() < deadline:
            app.processEvents()
            r = p.model.row_dict(i)
            if r["urge_count"] == before + 1:
                p.table.viewport().repaint(p.table.visualRect(p.model.index(i, COLUMNS.index("sync"))))
                break
        times.append((time.perf_counter() - t) * 1000)
    p.ctx.tasks.wait()
    p.close()
    return {"action_to_visible_ms": _p95(times), "action_to_visible_ms_p50": statistics.median(times)}


def run(path: str | Path | None = None, n: int = 1_000_000, tiny: bool = False) -> dict[str, float]:
    _app()
    tmp = None
    if tiny:  # a private store of its own: never the 1M one a full run reuses
        tmp = tempfile.TemporaryDirectory(prefix="bench-tiny-")
        path, n = Path(tmp.name) / "q.sqlite3", 3_000
    store = _store(path, n)
    try:
        figures = {}
        figures.update(tab_switch(store, rounds=1 if tiny else 6))
        figures.update(scroll(store, rows=2_000 if tiny else 100_000, frames=30 if tiny else 300))
        figures.update(action_to_visible(store, samples=3 if tiny else 15))
    finally:
        store.close()
        if tmp is not None:
            tmp.cleanup()
    return figures


if __name__ == "__main__":
    import json
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    print(json.dumps(run(n=n), indent=2))
