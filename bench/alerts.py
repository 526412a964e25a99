"""``alert_to_desk_ms_p95``: a ticket crosses into 即将超时 -> the toast on the shift
leader's desk, measured with the real panel (``views.supervision``, its own scan timer),
the real store and wall-clock time.

The store holds ``n`` background tickets (``bench.store``'s mix) plus ``samples`` tickets
whose warning starts at known instants a little apart in the next seconds; the figure is
the time from each instant to the toast that names the ticket."""

from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def alert_to_desk(n: int = 100_000, samples: int = 20, gap_s: float = 0.37,
                  path: Path | None = None) -> dict[str, float]:
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication

    from bench.briefing import build_store
    from console.domain import supervision as SV
    from console.domain.model import Actor, Role
    from console.qt.context import AppContext, TaskRunner
    from localdb.feed import apply_changes
    from tests.commander.conftest import ticket
    from views.supervision import SupervisionAlertsView

    app = QApplication.instance() or QApplication([])
    store = build_store(Path(path or Path(tempfile.gettempdir()) / f"duty-bench-briefing-{n}.sqlite3"), n)
    lead = 600.0
    seen: dict[str, float] = {}
    crossing: dict[str, float] = {}
    ctx = AppContext(store=store, actor=Actor("leader1", "值班长1", Role.SHIFT_LEADER, "WS-LDR"),
                     clock=time.time, tasks=TaskRunner(inline=True))

    def on_toast(_title: str, text: str, _sound: bool) -> None:
        for num in crossing:
            if num in text and num not in seen:
                seen[num] = time.time()

    ctx.notify.sig_toast.connect(on_toast)
    view = SupervisionAlertsView(ctx, policy=SV.Policy(chain=("shift_leader", "commander"), hall_lead_s=lead))
    t = time.perf_counter()
    view.scan()  # the backlog of the background tickets is raised first: the steady state is measured
    backlog_s = time.perf_counter() - t
    t = time.perf_counter()
    view.scan()
    idle_scan_ms = (time.perf_counter() - t) * 1000
    t0 = time.time() + 2.0
    rng = random.Random(1)
    changes = []
    for i in range(samples):
        at = t0 + i * gap_s + rng.uniform(0, 0.05)
        tk = ticket("handling", created=at - 3600, deadline=at + lead, updated_at=at - 60)
        tk = tk.__class__.from_dict({**tk.to_dict(), "id": str(uuid.uuid4()),
                                     "number": f"BENCH{i:04d}-{uuid.uuid4().hex[:6]}"})
        crossing[tk.number] = at
        changes.append({"seq": 10_000_000 + i, "kind": "ticket", "op": "upsert", "id": tk.id, "data": tk.to_dict()})
    apply_changes(store, changes, f"bench-alerts-{time.time()}")
    deadline = max(crossing.values()) + 10
    try:
        while len(seen) < samples and time.time() < deadline:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            time.sleep(0.005)
    finally:
        view.timer.stop()
        view.deleteLater()
        store.close()
    lat = sorted((seen[k] - crossing[k]) * 1000 for k in seen)
    del app
    if not lat:
        return {"alert_to_desk_ms_p95": float("nan"), "alert_to_desk_missed": samples}
    return {"alert_to_desk_ms_p95": lat[max(0, int(len(lat) * 0.95) - 1)],
            "alert_to_desk_ms_p50": statistics.median(lat), "alert_to_desk_ms_max": lat[-1],
            "alert_to_desk_missed": samples - len(lat), "alert_to_desk_store_tickets": n,
            "alert_scan_idle_ms": idle_scan_ms, "alert_backlog_first_scan_s": backlog_s}


def run(tiny: bool = False) -> dict[str, float]:
    if tiny:  # a private store of its own: never the one a full run reuses
        with tempfile.TemporaryDirectory(prefix="bench-tiny-") as d:
            return alert_to_desk(2_000, samples=3, path=Path(d) / "a.sqlite3")
    return alert_to_desk()


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
