"""Sync benchmarks (``make bench``): figures of the issue "Sync and offline continuity".

- ``sync_bootstrap_changes_per_s``: a fresh store reads the platform's whole feed
  (pages of 5000, each stored with its cursor in one transaction);
  ``sync_bootstrap_vs_feed``: that over a bare client draining the same feed in the
  same run (target 0.8);
- ``outbox_replay_actions_per_s``: officer actions queued offline, then pushed;
- ``offline_detect_s``: from a silent partition (proxy blackhole) to "offline";
- ``reconnect_converge_s``: from the link's return (1000 actions queued offline) until
  the outbox is empty and the desk's store equals the platform's in every field of
  every ticket and every timeline entry (the reading of the platform's state is
  included: a slight over-estimate).

Every figure runs against the real simulator on loopback, through the real engine.
"""

from __future__ import annotations

import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from sqlalchemy import text

from console.domain.model import Actor, Role
from console.sync import chaoscheck
from console.sync.client import PlatformClient
from console.sync.engine import SyncEngine
from console.sync.linkstate import LinkState
from console.sync.proxy import FaultProxy
from console.sync.puller import Puller
from console.sync.pusher import Pusher

OFFICER = Actor("u-bench", "基准测试", Role.OFFICER, "WS-BENCH")


@contextmanager
def _platform(tmp: Path, history_tickets: int = 0) -> Iterator[object]:
    """The simulator as its own process, as the platform would be: in a thread it
    would share this interpreter's GIL with the client being measured."""
    from simulator.testing import SimProcess

    sim = SimProcess(tmp / "platform", args=[
        "--seed", "21", "--history-days", "2", "--no-traffic", "--no-streams",
        "--history-tickets", str(history_tickets)])
    try:
        yield sim
    finally:
        sim.stop()


def _wait(pred, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not pred():
        if time.monotonic() > deadline:
            return False
        pause.wait(0.02)
    return True


def _store(path: Path):
    from localdb import Store

    return Store.open(path)


def _pending_ids(store, n: int) -> list[str]:
    with store.session() as s:
        return [r[0] for r in s.execute(text(
            "SELECT id FROM tickets WHERE state NOT IN ('closed','archived','returned') "
            "ORDER BY id LIMIT :n"), {"n": n})]


def _queue_annotations(store, n: int, tag: str) -> None:
    from console.operations import tickets as ops

    ids = _pending_ids(store, max(1, min(n, 2000)))
    now = time.time()
    for i in range(n):
        ops.annotate(store, OFFICER, ids[i % len(ids)], f"{tag} {i}", now)


def sync_bootstrap_changes_per_s(n: int = 100_000) -> dict[str, float]:
    """Changes per second for a first full load of the platform's history, and the
    same feed drained by a bare client (requests + JSON, nothing stored) from the same
    simulator in the same run: ``sync_bootstrap_vs_feed`` is the first over the second."""
    from simulator.bench import drain

    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        with _platform(tmp, history_tickets=max(0, n // 7)) as sim:
            drain(sim.url, sim.token, 5000, pages=2)  # warm the platform's caches for both
            t0 = time.perf_counter()
            bare_n = drain(sim.url, sim.token, 5000)
            bare = bare_n / (time.perf_counter() - t0)
            store = _store(tmp / "ws.sqlite3")
            client = PlatformClient(sim.url, sim.token, timeout=(3, 60))
            puller = Puller(store, client, bootstrap_limit=5000)
            t0 = time.perf_counter()
            puller.catch_up()
            dt = time.perf_counter() - t0
            store.close()
            ours = puller.stats.changes_applied / dt
            return {"sync_bootstrap_changes_per_s": ours, "sync_bare_feed_changes_per_s": bare,
                    "sync_bootstrap_vs_feed": ours / bare, "sync_bootstrap_changes": float(bare_n)}


def outbox_replay_actions_per_s(n: int = 10_000) -> float:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        with _platform(tmp) as sim:
            store = _store(tmp / "ws.sqlite3")
            client = PlatformClient(sim.url, sim.token, timeout=(3, 60))
            Puller(store, client).catch_up()
            _queue_annotations(store, n, "replay")
            pusher = Pusher(store, client)
            t0 = time.perf_counter()
            sent = pusher.drain()
            dt = time.perf_counter() - t0
            store.close()
            return sent / dt


def _engine_through_proxy(tmp: Path, sim) -> tuple[SyncEngine, FaultProxy, object]:
    port = int(sim.url.rstrip("/").rsplit(":", 1)[1])
    proxy = FaultProxy("127.0.0.1", port)
    store = _store(tmp / "ws.sqlite3")
    engine = SyncEngine(store, PlatformClient(proxy.url, sim.token, timeout=(1, 3)), "WS-BENCH")
    engine.start()
    _wait(lambda: not engine.puller.bootstrapping and engine.link_state == "online", 60)
    return engine, proxy, store


def offline_detect_s() -> float:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        with _platform(tmp) as sim:
            engine, proxy, store = _engine_through_proxy(tmp, sim)
            try:
                t_cut = time.monotonic()
                proxy.partition("blackhole")
                engine.link.wait_for(LinkState.OFFLINE, 30)
                return engine.link.last_decision(LinkState.OFFLINE).at_mono - t_cut
            finally:
                engine.stop(10)
                proxy.close()
                store.close()


def reconnect_converge_s(queued: int = 1000) -> float:
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        with _platform(tmp) as sim:
            engine, proxy, store = _engine_through_proxy(tmp, sim)
            try:
                proxy.partition("refuse")
                engine.link.wait_for(LinkState.OFFLINE, 30)
                _queue_annotations(store, queued, "reconnect")
                engine.kick()
                t_back = time.monotonic()
                proxy.pass_through()
                # converged: nothing left to send and every field of every ticket, and
                # every entry of every timeline, as the platform holds it (read directly;
                # the platform has no traffic, so its state is final once the outbox is)
                if not _wait(lambda: engine.outbox_depth() == 0, 120):
                    raise TimeoutError("the outbox did not drain")
                plat_t, plat_e = chaoscheck.platform_state(sim.url, sim.token)
                want_t = {tid: chaoscheck._norm(d) for tid, d in plat_t.items()}
                by: dict[str, list] = {}
                for ev in plat_e.values():
                    by.setdefault(ev["ticket_id"], []).append({**ev, "local": False})
                want_e = {tid: chaoscheck._timeline(rows) for tid, rows in by.items()}

                def same() -> bool:
                    local_t = {tid: {k: v for k, v in d.items() if k not in chaoscheck.LOCAL_ONLY}
                               for tid, d in chaoscheck._local_tickets(tmp / "ws.sqlite3").items()}
                    return local_t == want_t and chaoscheck._local_timelines(tmp / "ws.sqlite3") == want_e

                if not _wait(same, 120):
                    raise TimeoutError("the desk's store did not come to equal the platform's")
                return time.monotonic() - t_back
            finally:
                engine.stop(10)
                proxy.close()
                store.close()


def run(tiny: bool = False) -> dict[str, float]:
    return {
        **sync_bootstrap_changes_per_s(2_000 if tiny else 100_000),
        "outbox_replay_actions_per_s": outbox_replay_actions_per_s(200 if tiny else 10_000),
        "offline_detect_s": offline_detect_s(),
        "reconnect_converge_s": reconnect_converge_s(50 if tiny else 1000),
    }
