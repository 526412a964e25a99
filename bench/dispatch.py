"""How often the dispatch suggestion names the department that finally closed the ticket.

- ``dispatch_top1_accuracy``: the console's suggestion (``localdb.repo_cases.advice``: the
  responsibility matrix, past cases, load and on-time record), as the dispatch dialog shows
  it, for each of the most recent closed tickets of the simulator's history, computed from
  what the desk knew when the ticket came in (only cases closed before it);
- ``dispatch_top1_accuracy_matrix``: the responsibility matrix alone, same tickets, same run.

The store is a desk's: a fresh local store that bootstrapped the platform's history over
HTTP. In the simulator's street about one (category, committee) pair in five is handled
by another unit than the matrix says (``simulator.catalogue.actual_handler``), as in a
street whose catalogue lags behind its arrangements.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import text


def accuracy(days: float = 30.0, daily_rate: float = 300.0, test_tickets: int = 1000) -> dict[str, float]:
    from console.sync.client import PlatformClient
    from console.sync.puller import Puller
    from localdb import Store, repo, repo_cases
    from simulator.testing import running_simulator

    with tempfile.TemporaryDirectory() as d, \
            running_simulator(Path(d) / "sim", seed=21, history_days=days, daily_rate=daily_rate) as sim:
        store = Store.open(Path(d) / "desk.sqlite3")
        try:
            Puller(store, PlatformClient(sim.url, sim.token, timeout=(3, 60)), bootstrap_limit=5000).catch_up()
            with store.session() as s:
                ids = [r[0] for r in s.execute(text(
                    "SELECT id FROM tickets WHERE state IN ('closed','archived') AND department_id IS NOT NULL "
                    "ORDER BY closed_at DESC LIMIT :n"), {"n": test_tickets})]
                hits = matrix_hits = 0
                t0 = time.perf_counter()
                for tid in ids:
                    t = repo.get_ticket(s, tid)
                    ranked, _cases = repo_cases.advice(s, t, t.created_at)
                    hits += bool(ranked) and ranked[0].department_id == t.department_id
                    matrix_hits += repo.suggested_department(s, t.category_code, dict(t.grids)) == t.department_id
                per_ms = (time.perf_counter() - t0) * 1000 / max(1, len(ids))
        finally:
            store.close()
    if not ids:
        raise RuntimeError("the history has no closed tickets to measure on")
    return {"dispatch_top1_accuracy": round(hits / len(ids), 4),
            "dispatch_top1_accuracy_matrix": round(matrix_hits / len(ids), 4),
            "dispatch_advice_ms": round(per_ms, 2), "dispatch_tickets_measured": float(len(ids))}


def run(tiny: bool = False) -> dict[str, float]:
    return accuracy(days=3.0, daily_rate=100.0, test_tickets=50) if tiny else accuracy()
