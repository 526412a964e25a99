"""Map panel benchmarks: first render of 50k tickets, a 500-ticket update, memory.

Runs in a child process (``python -m bench.map --child``) so that the ``tiles:``
scheme can be registered before the QApplication exists and the memory figure is the
map's own, not whatever the other suites left in the runner's process.

- ``map_first_render_s_50k``: MapPanel created -> the page reports every open ticket
  of a 50,000-ticket store drawn by markercluster (page load, store read, JSON,
  clustering included; QtWebEngine's own start-up too, as an officer would see it).
- ``map_update_500_ms``: 500 tickets change through ``localdb.feed.apply_changes``;
  journal poke -> the page reports the changed markers drawn (median of 5 rounds).
- ``map_rss_mb``: resident memory of the console process after the first render;
  ``map_rss_with_web_mb`` adds the unique memory of the QtWebEngine child processes.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

N_TICKETS = 50_000
N_UPDATE = 500
NOW = 1795300000.0


def run() -> dict[str, float]:
    """Figures for ``make bench`` (measured in a child process)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "bench.map", "--child"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"bench.map child failed:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def map_first_render_s_50k() -> float:
    return run()["map_first_render_s_50k"]


def map_update_500_ms() -> float:
    return run()["map_update_500_ms"]


def map_rss_mb() -> float:
    return run()["map_rss_mb"]


# --- the child ------------------------------------------------------------------------
def _wait(app, signal, timeout_s: float = 120.0, predicate=lambda *a: True) -> tuple:
    """Benchmark-only helper: spin the event loop until ``signal`` fires (and matches)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    got: list[tuple] = []

    def _on(*args):
        if predicate(*args):
            got.append(args)
            loop.quit()

    signal.connect(_on)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    signal.disconnect(_on)
    if not got:
        raise TimeoutError(f"no {signal} within {timeout_s} s")
    return got[0]


def _rss_mb() -> tuple[float, float]:
    """(RSS of the console process, RSS + unique memory of its QtWebEngine children).

    Children are counted by USS: summing their RSS would count the shared Chromium
    libraries once per process."""
    import psutil

    me = psutil.Process()
    own = me.memory_info().rss
    total = own
    for child in me.children(recursive=True):
        try:
            total += child.memory_full_info().uss
        except psutil.Error:
            pass
    return own / 2**20, total / 2**20


def _child() -> dict[str, float]:
    data = Path(tempfile.mkdtemp(prefix="bench-map-"))
    os.environ["DUTY_CONSOLE_DATA_DIR"] = str(data)
    from views.map_tiles import register_scheme

    register_scheme()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])

    from tests.factories import load_sample_store
    from console.domain.model import Actor, Role
    from console.qt.context import AppContext
    from localdb import repo_map
    from localdb.feed import apply_changes
    from views.map import MapPanel

    store = load_sample_store(data / "store.db", n_tickets=N_TICKETS, now=NOW)  # the real feed path
    with store.session() as s:
        points = repo_map.ticket_points(s, NOW)
    ctx = AppContext(store=store, actor=Actor("bench", "bench", Role.OFFICER), clock=lambda: NOW)

    t0 = time.perf_counter()
    panel = MapPanel(ctx)
    panel.resize(1280, 800)
    panel.show()
    _wait(app, panel.bridge.sig_tickets_drawn, predicate=lambda n: n == len(points))
    first_render = time.perf_counter() - t0
    app.processEvents()
    rss, rss_tree = _rss_mb()

    from sqlalchemy import select

    from localdb import repo
    from localdb.models import TicketRow

    with store.session() as s:
        ids = s.execute(select(TicketRow.id).where(TicketRow.state.in_(["dispatched", "handling"]))
                        .limit(N_UPDATE * 5)).scalars().all()
    samples = []
    seq = 10_000_000
    for rnd in range(5):
        changes = []
        with store.session() as s:
            for tid in ids[rnd * N_UPDATE:(rnd + 1) * N_UPDATE]:
                t = repo.get_ticket(s, tid)
                t = t.replace(version=t.version + 1, lat=t.lat + 0.0001,
                              deadline=NOW - 60 if rnd % 2 == 0 else NOW + 86400)
                seq += 1
                changes.append({"seq": seq, "kind": "ticket", "op": "upsert", "id": tid, "data": t.to_dict()})
        apply_changes(store, changes, f"bench-{rnd}")
        t1 = time.perf_counter()
        ctx.journal.poke()
        _wait(app, panel.bridge.sig_tickets_drawn)
        samples.append((time.perf_counter() - t1) * 1000)
    panel.close()
    return {"map_first_render_s_50k": first_render, "map_update_500_ms": statistics.median(samples),
            "map_rss_mb": rss, "map_rss_with_web_mb": rss_tree}


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_child()))
    else:
        print(json.dumps(run()))
