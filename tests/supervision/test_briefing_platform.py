"""The briefing a desk prints matches the district platform's own records: a real
simulator with a few days of history across a month's turn, a desk that bootstrapped
from it just now, and the figures counted again over the platform's ticket records."""

from __future__ import annotations

import datetime as dt

from console import briefing
from console.domain.roster import SHANGHAI
from tests.supervision import oracle


def _platform_tickets(sim) -> list[dict]:
    from simulator.store import TICKET_BODY, body_data

    with sim.rt.store.read() as c:
        return [body_data(b) for (b,) in c.exec_driver_sql(f"SELECT body FROM {TICKET_BODY}")]


def test_two_desks_print_the_platforms_figures(tmp_path):
    from console.sync.client import PlatformClient
    from console.sync.puller import Puller
    from localdb import Store
    from simulator.testing import running_simulator

    with running_simulator(tmp_path / "platform", seed=21, history_days=4, daily_rate=240,
                           traffic=False) as sim:
        desks = []
        for name in ("old", "new"):
            store = Store.open(tmp_path / f"{name}.sqlite3")
            Puller(store, PlatformClient(sim.url, sim.token, timeout=(2, 20))).catch_up()
            desks.append(store)
        platform = _platform_tickets(sim)
        now = sim.rt.clock.now()
        try:
            this = dt.datetime.fromtimestamp(now, SHANGHAI)
            months = [f"{this.year:04d}-{this.month:02d}"]
            months.append("%04d-%02d" % briefing.previous_month(this.year, this.month))
            closed = 0
            for month in months:
                start, end = briefing.month_bounds(*briefing.parse_month(month))
                expected = oracle.nonzero(oracle.figures(platform, start, end, now))
                prints = [briefing.build(s, month, now=now).to_json() for s in desks]
                assert oracle.from_briefing(prints[0]["month"]) == expected, month
                assert prints[0]["month"] == prints[1]["month"]
                closed += prints[0]["month"]["total"]["closed"]
            assert closed > 0  # closures, on-time judgements and rates are exercised
            assert sum(1 for t in platform if t["created_at"] >= briefing.month_bounds(
                *briefing.parse_month(months[1]))[0]) > 100  # the history reaches both months
        finally:
            for s in desks:
                s.close()
