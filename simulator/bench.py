"""Feed throughput: one client draining the change feed over loopback.

``feed_changes_per_s(n_tickets)`` starts the simulator as a child process with
``n_tickets`` archived tickets, drains ``/api/v1/changes`` with ``limit=5000`` using
requests (parsing every page as JSON), and returns changes per second.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import requests

from simulator.testing import SimProcess


def drain(url: str, token: str, limit: int = 5000, pages: int | None = None) -> int:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    cursor, n = "", 0
    while True:
        r = s.get(f"{url}/api/v1/changes", params={"since": cursor, "limit": limit}, timeout=60)
        r.raise_for_status()
        page = r.json()
        n += len(page["changes"])
        cursor = page["next_cursor"]
        if not page["has_more"] or (pages is not None and (pages := pages - 1) <= 0):
            return n


def feed_changes_per_s(n_tickets: int = 100_000) -> float:
    with tempfile.TemporaryDirectory(prefix="sim-bench-") as d:
        sim = SimProcess(Path(d), args=["--history-days", "0", "--history-tickets", str(n_tickets),
                                        "--no-streams", "--no-traffic"])
        try:
            drain(sim.url, sim.token, 5000, pages=2)  # warm up connections and caches
            t0 = time.perf_counter()
            n = drain(sim.url, sim.token)
            return n / (time.perf_counter() - t0)
        finally:
            sim.stop()


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"{feed_changes_per_s(n):.0f} changes/s ({n} tickets)")
