"""A commander decision made while offline reaches the district platform after reconnection."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

import console.sync.engine as engine_mod
import simulator.testing as sim_testing
from console.operations import commander as ops

from .conftest import COMMANDER


def _commander_on_duty(store, now: float):
    """The rostered commander of the day at ``now`` (only they may 批示 while on duty)."""
    import datetime as dt

    from console.domain import roster as R
    from console.domain.model import Actor, Role
    from localdb import repo_commander as rc

    at = dt.datetime.fromtimestamp(now, R.DEFAULT_PLAN.tz)
    date, _shift = R.DEFAULT_PLAN.shift_at(at)
    with store.session() as s:
        entries = rc.roster_entries(s, (date - dt.timedelta(days=1)).isoformat(),
                                    (date + dt.timedelta(days=1)).isoformat())
    cmd = R.on_duty(entries, at, R.DEFAULT_PLAN).commander
    assert cmd is not None, "the demo roster has a commander every day"
    return Actor(cmd.person_id, cmd.name, Role.COMMANDER, "WS-CMD")


def wait_until(pred, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        pause.wait(0.05)


def test_offline_instruction_reaches_the_platform_after_reconnection(tmp_path):
    from console.sync.client import PlatformClient
    from console.sync.proxy import FaultProxy
    from localdb import Store

    with sim_testing.running_simulator(tmp_path / "platform", seed=5, history_days=0.2,
                                       traffic=False) as sim, \
            FaultProxy("127.0.0.1", int(sim.url.rsplit(":", 1)[1])) as proxy:
        store = Store.open(tmp_path / "ws.sqlite3")
        client = PlatformClient(proxy.url, sim.token, timeout=(1, 2))   # the district link
        direct = PlatformClient(sim.url, sim.token, timeout=(2, 10))    # the checker's own view
        eng = engine_mod.SyncEngine(store, client, "WS-CMD")
        eng.start()
        try:
            wait_until(lambda: not eng.puller.bootstrapping and eng.link_state == "online", 30, "bootstrap")
            proxy.partition("blackhole")  # the district link goes down: packets vanish
            wait_until(lambda: eng.link_state == "offline", 60, "offline")
            with store.session() as s:
                tid = s.execute(text("SELECT id FROM tickets WHERE state IN ('registered','dispatched',"
                                     "'handling') ORDER BY id LIMIT 1")).scalar_one()
            commander = _commander_on_duty(store, eng.platform_now())
            ops.decide(store, commander, tid, "instruct", "离线批示：立即组织处置", eng.platform_now())
            eng.kick()
            assert eng.outbox_depth() == 2  # the instruct command and its duty-log line

            proxy.pass_through()          # the link is back; the same engine sends
            wait_until(lambda: eng.outbox_depth() == 0, 60, "outbox drained")
            with store.session() as s:
                status, code = s.execute(text("SELECT status, result_code FROM outbox WHERE ticket_id=:t"),
                                         {"t": tid}).one()
            assert (status, code) == ("done", "applied")
            found, cursor = [], ""
            while True:
                b = direct.changes(cursor, 5000)
                found += [c["data"]["params"].get("text") for c in b.changes
                          if c["kind"] == "ticket_event" and c["data"]["action"] == "instruct"
                          and c["data"]["ticket_id"] == tid]
                cursor = b.next_cursor
                if not b.has_more:
                    break
            assert found == ["离线批示：立即组织处置"]   # once
        finally:
            eng.stop()
            client.close()
            direct.close()
            store.close()
