"""Map panel benchmarks: first render of 50k tickets, a 500-ticket update, memory.

Runs in a child process (``python -m bench.map --child``) so that the ``tiles:``
scheme can be registered before the QApplication exists and the memory figure is the
map's own, not whatever the other suites left in the runner's process.

- ``map_first_render_s_50k``: MapPanel created -> the page reports 50,000 ticket
  markers drawn by markercluster (the store holds more than 50,000 open tickets, so
  the map draws its maximum, ``repo_map.MAX_POINTS``; page load, store read, JSON,
  clustering included; QtWebEngine's own start-up too, as an officer would see it).
- ``map_update_500_ms``: 500 drawn tickets move and change colour through
  ``localdb.feed.apply_changes``; journal poke -> every one of the 500 markers is at its
  new place in the page (asked of the page itself; median of 5 rounds).
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


def run(tiny: bool = False) -> dict[str, float]:
    """Figures for ``make bench`` (measured in a child process)."""
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run([sys.executable, "-m", "bench.map", "--child", *(["--tiny"] if tiny else [])],
                          cwd=root, env=env,
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


def _placed(app, panel, ids: list[str], lats: dict[str, float]) -> int:
    """How many of ``ids`` the page has drawn at their new latitude (the page gets
    coordinates to six decimals; the benchmark moves markers by 1e-4)."""
    from PySide6.QtCore import QEventLoop, QTimer

    box: dict = {}
    loop = QEventLoop()
    code = ("(function(w){var n=0;for(var id in w){var p=DutyMap.position('ticket',id);"
            "if(p&&Math.abs(JSON.parse(p)[0]-w[id])<2e-6){n++;}}return n;})(%s)"
            % json.dumps({i: lats[i] for i in ids}))

    def done(v):
        box["v"] = v
        loop.quit()

    panel.page.runJavaScript(code, 0, done)
    QTimer.singleShot(20_000, loop.quit)
    loop.exec()
    if "v" not in box:
        raise TimeoutError("the page did not answer")
    return int(box["v"] or 0)


def _child(n_markers: int = N_TICKETS, n_update: int = N_UPDATE) -> dict[str, float]:
    data = Path(tempfile.mkdtemp(prefix="bench-map-"))
    os.environ["DUTY_CONSOLE_DATA_DIR"] = str(data)
    from views.map_tiles import register_scheme

    register_scheme()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])

    from tests.factories import load_sample_store, ticket_changes
    from console.domain.model import Actor, Role
    from console.qt.context import AppContext
    from localdb import repo_map
    from localdb.feed import apply_changes
    from views.map import MapPanel

    store = load_sample_store(data / "store.db", n_tickets=n_markers, now=NOW)  # the real feed path
    seed = 2
    while True:   # more tickets until at least n_markers of them are open
        with store.session() as s:
            points = repo_map.ticket_points(s, NOW, limit=n_markers)
        if len(points) >= n_markers:
            break
        missing = n_markers - len(points)
        extra = ticket_changes(max(100, int(missing * 1.3)), NOW, seed)
        for i, ch in enumerate(extra):
            ch["seq"] = 1_000_000 * seed + i
        apply_changes(store, extra, f"sample-extra-{seed}")
        seed += 1
    if len(points) != n_markers or n_markers > repo_map.MAX_POINTS:
        raise RuntimeError(f"the map would draw {len(points)} markers, not {n_markers}")
    ctx = AppContext(store=store, actor=Actor("bench", "bench", Role.OFFICER), clock=lambda: NOW)

    t0 = time.perf_counter()
    panel = MapPanel(ctx)
    panel.resize(1280, 800)
    panel.show()
    _wait(app, panel.bridge.sig_tickets_drawn, predicate=lambda n: n >= n_markers)
    first_render = time.perf_counter() - t0
    app.processEvents()
    rss, rss_tree = _rss_mb()

    from localdb import repo

    # tickets already drawn, so each update moves markers the officer sees
    ids = [p[0] for p in points[: n_update * 5]]
    samples = []
    seq = 10_000_000
    for rnd in range(5):
        changes = []
        lats: dict[str, float] = {}
        batch = ids[rnd * n_update:(rnd + 1) * n_update]
        with store.session() as s:
            for tid in batch:
                t = repo.get_ticket(s, tid)
                t = t.replace(version=t.version + 1, lat=t.lat + 0.0001,
                              deadline=NOW - 60 if rnd % 2 == 0 else NOW + 86400)
                lats[tid] = t.lat
                seq += 1
                changes.append({"seq": seq, "kind": "ticket", "op": "upsert", "id": tid, "data": t.to_dict()})
        if _placed(app, panel, batch, lats) != 0:
            raise RuntimeError("markers were at their new places before the update")
        apply_changes(store, changes, f"bench-{rnd}")
        t1 = time.perf_counter()
        ctx.journal.poke()
        end = t1 + 60
        # every one of the batch drawn where it now is, asked of the page (each question
        # runs the event loop, so the panel's reload goes on meanwhile)
        while _placed(app, panel, batch, lats) != len(batch):
            if time.perf_counter() > end:
                raise TimeoutError("not every updated marker was drawn")
        samples.append((time.perf_counter() - t1) * 1000)
    panel.close()
    store.close()
    import shutil

    shutil.rmtree(data, ignore_errors=True)   # the child's own store and data directory
    return {"map_first_render_s_50k": first_render, "map_update_500_ms": statistics.median(samples),
            "map_markers_drawn": float(n_markers), "map_markers_updated": float(n_update),
            "map_rss_mb": rss, "map_rss_with_web_mb": rss_tree}


if __name__ == "__main__":
    if "--child" in sys.argv:
        print(json.dumps(_child(500, 20) if "--tiny" in sys.argv else _child()))
    else:
        print(json.dumps(run()))
