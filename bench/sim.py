"""Simulator benchmark: one client draining the change feed over loopback."""

from __future__ import annotations

import os


def run(tiny: bool = False) -> dict[str, float]:
    from simulator.bench import feed_changes_per_s

    n = 20_000 if tiny else int(os.environ.get("BENCH_SIM_TICKETS", "1000000"))
    return {"sim_feed_changes_per_s": feed_changes_per_s(n)}
