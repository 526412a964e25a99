"""The monthly briefing on a large store: ``briefing_month_s`` is the time from asking
for a month's briefing to having its figures, its JSON twin and its PDF written, on a
store of a million tickets (two years of history, about 41,000 tickets a month).

The store is ``bench.store``'s ticket mix with closure times filled in (closed and
archived tickets closed within 1.5 limits of their creation, judged on time against
their deadline), built once under the temp directory and reused."""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from console import briefing
from console.printing import write_pdf
from localdb import Store
from localdb.convert import ALL_COLUMNS, ticket_to_row

from bench.store import NOW, _load_grids, sample_ticket

#: the month reported: the last whole month before the bench's platform time
MONTH = "2026-10"


def _closable(rng: random.Random, d: dict) -> dict:
    if d["state"] in ("closed", "archived"):
        limit = 72 * 3600.0
        closed = d["created_at"] + rng.uniform(0.1, 1.5) * limit
        d.update(closed_at=closed, closed_on_time=closed <= d["deadline"],
                 rework_count=rng.choice([0] * 9 + [1]))
    return d


def build_store(path: Path, n: int, batch: int = 20_000) -> Store:
    """An n-ticket store at ``path`` (reused when it already holds n tickets)."""
    if path.exists():
        store = Store.open(path)
        with store.session() as s:
            if s.execute(text("SELECT count(*) FROM tickets")).scalar_one() == n:
                return store
        store.close()
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            p.unlink(missing_ok=True)
    tmp = path.with_name(f"{path.name}.building-{os.getpid()}")
    store = Store.open(tmp)
    _load_grids(store)
    rng = random.Random(5)
    sql = f"INSERT INTO tickets ({', '.join(ALL_COLUMNS)}) VALUES ({','.join('?' * len(ALL_COLUMNS))})"
    for i in range(0, n, batch):
        rows = [ticket_to_row(_closable(rng, sample_ticket(rng, j))) + (0, False, None)
                for j in range(i, min(n, i + batch))]
        with store.write() as s:
            s.connection().connection.driver_connection.executemany(sql, rows)
    store.analyze()
    store.checkpoint()
    store.close()
    os.replace(tmp, path)
    return Store.open(path)


def briefing_month(n: int = 1_000_000, path: Path | None = None,
                   out_dir: Path | None = None) -> dict[str, float]:
    path = Path(path or Path(tempfile.gettempdir()) / f"duty-bench-briefing-{n}.sqlite3")
    t0 = time.perf_counter()
    store = build_store(path, n)
    build_s = time.perf_counter() - t0
    out = Path(out_dir or tempfile.mkdtemp(prefix="briefing-bench-"))
    try:
        t = time.perf_counter()
        b = briefing.build(store, MONTH, now=NOW)
        figures_s = time.perf_counter() - t
        (out / "briefing.json").write_text(json.dumps(b.to_json(), ensure_ascii=False), encoding="utf-8")
        write_pdf(b.to_record(), out / "briefing.pdf")
        total_s = time.perf_counter() - t
    finally:
        store.close()
    return {"briefing_month_s": total_s, "briefing_figures_s": figures_s,
            "briefing_month_received": b.month.total.cell.received,
            "briefing_store_tickets": b.store_tickets, "briefing_store_build_s": build_s}


def run(tiny: bool = False) -> dict[str, float]:
    if tiny:  # a private store of its own: never the 1M one a full run reuses
        with tempfile.TemporaryDirectory(prefix="bench-tiny-") as d:
            return briefing_month(3_000, Path(d) / "b.sqlite3", Path(d))
    return briefing_month()


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
