"""Hall-mode figures on a private PostgreSQL cluster.

- ``hall_visibility_ms_p95``: an action (a note) committed at desk A until desk B's
  journal follower, the one that redraws the queue and the detail pane, emits the
  ticket's id. No district link at all: the hall works with it cut.
- ``sync_failover_s``: two real ``duty-console hall-sync`` processes against the
  simulator; the holder is killed with SIGKILL three times (a new contender each
  time); the longest time until another holder's record is up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _app():
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.instance() or QCoreApplication([])


def _wait(cond, timeout: float, app=None) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if app is not None:
            app.processEvents()
        if cond():
            return True
        time.sleep(0.002)
    return False


def visibility(url: str, n: int = 200) -> float:
    from console.domain.model import Actor, Role
    from console.operations import tickets as ops
    from console.qt.context import JournalFollower
    from localdb import Store, feed
    from tests.localdb.helpers import NOW, change, ticket

    app = _app()
    desk_a, desk_b = Store.open(url), Store.open(url)
    t = ticket(1, state="registered")
    feed.apply_changes(desk_a, [change(t)], "c", now=NOW)
    follower = JournalFollower(desk_b)
    got: list[dict] = []
    follower.sig_changed.connect(got.append)
    follower.start()
    actor = Actor("officer1", "甲", Role.OFFICER, "1号工位")
    lat: list[float] = []
    try:
        _wait(lambda: follower._listener.connected.is_set(), 10, app)
        for i in range(n):
            got.clear()
            ops.annotate(desk_a, actor, t.id, f"bench {i}", NOW)
            t0 = time.perf_counter()
            if _wait(lambda: any(t.id in g.get("ticket", ()) for g in got), 5, app):
                lat.append((time.perf_counter() - t0) * 1000)
    finally:
        follower.stop()
        desk_a.close()
        desk_b.close()
    lat.sort()
    return round(lat[int(0.95 * (len(lat) - 1))], 1) if lat else float("nan")


def failover(url: str, kills: int = 3) -> float:
    from localdb import Store, hall
    from simulator.testing import running_simulator

    worst = 0.0
    with tempfile.TemporaryDirectory() as d, running_simulator(Path(d), seed=16, history_days=0.1,
                                                               traffic=False) as sim:
        env = {**os.environ, "DUTY_CONSOLE_TOKEN": sim.token}
        procs: list[subprocess.Popen] = []

        def spawn(name: str) -> None:
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "console.app", "hall-sync", "--store", url, "--platform", sim.url,
                 "--workstation", name, "--log-level", "ERROR"], cwd=ROOT, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))

        watch = Store.open(url)

        def holder_pid() -> int | None:
            with watch.session() as s:
                h = hall.holder(s)
            return h.get("pid") if h else None

        try:
            spawn("bench-0")
            spawn("bench-1")
            _wait(lambda: holder_pid() is not None, 60)
            for k in range(kills):
                pid = holder_pid()
                victim = next(p for p in procs if p.pid == pid)
                t0 = time.monotonic()
                os.kill(pid, signal.SIGKILL)
                victim.wait(10)
                procs.remove(victim)
                spawn(f"bench-{k + 2}")
                if _wait(lambda: holder_pid() not in (None, pid), 30):
                    worst = max(worst, time.monotonic() - t0)
                else:
                    worst = float("inf")
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                p.wait(15)
            watch.close()
    return round(worst, 2)


def bootstrap_changes_per_s(url: str, n: int = 50_000) -> float:
    """A sync holder's first full load of the platform's history into the hall store
    (the same puller as bench.sync's SQLite figure; batches of tickets, events and
    journal rows go in through COPY, ``localdb.pg.copy_insert``)."""
    from bench.sync import _platform
    from console.sync.client import PlatformClient
    from console.sync.puller import Puller
    from localdb import Store

    with tempfile.TemporaryDirectory() as d, _platform(Path(d), history_tickets=max(0, n // 7)) as sim:
        store = Store.open(url)
        client = PlatformClient(sim.url, sim.token, timeout=(3, 120))
        puller = Puller(store, client, bootstrap_limit=5000)
        t0 = time.perf_counter()
        puller.catch_up()
        dt = time.perf_counter() - t0
        store.close()
        return round(puller.stats.changes_applied / dt, 1)


def run(tiny: bool = False) -> dict[str, float]:
    import shutil

    from console.hall import pgcluster
    from localdb import Store

    base = Path(tempfile.mkdtemp(prefix="duty-bench-hall-"))
    os.chmod(base, 0o755)
    cluster = pgcluster.Cluster.create(base / "pg")
    try:
        cluster.start()
        url = cluster.create_hall()
        Store.open(url).close()
        out = {"hall_visibility_ms_p95": visibility(url, 20 if tiny else 200),
               "sync_failover_s": failover(url, 1 if tiny else 3)}
        boot = cluster.create_hall(db="hall_boot")
        Store.open(boot).close()
        out["sync_bootstrap_changes_per_s_pg"] = bootstrap_changes_per_s(boot, 2_000 if tiny else 50_000)
        return out
    finally:
        cluster.destroy()
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    print(run())
