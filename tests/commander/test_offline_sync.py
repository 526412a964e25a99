"""A commander decision made while offline reaches the district platform after reconnection."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import text

from console.operations import commander as ops

from .conftest import COMMANDER

sim_testing = pytest.importorskip("simulator.testing")
engine_mod = pytest.importorskip("console.sync.engine")


def wait_until(pred, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        pause.wait(0.05)


def test_offline_instruction_reaches_the_platform_after_reconnection(tmp_path):
    from console.sync.client import PlatformClient
    from localdb import Store

    with sim_testing.running_simulator(tmp_path / "platform", seed=5, history_days=0.2,
                                       traffic=False) as sim:
        store = Store.open(tmp_path / "ws.sqlite3")
        client = PlatformClient(sim.url, sim.token, timeout=(2, 10))
        try:
            eng = engine_mod.SyncEngine(store, client, "WS-CMD")
            eng.start()
            wait_until(lambda: not eng.puller.bootstrapping and eng.link_state == "online", 30, "bootstrap")
            eng.stop()  # the link is gone: nothing is pushed any more
            with store.session() as s:
                tid = s.execute(text("SELECT id FROM tickets WHERE state IN ('registered','dispatched',"
                                     "'handling') ORDER BY id LIMIT 1")).scalar_one()
            ops.decide(store, COMMANDER, tid, "instruct", "离线批示：立即组织处置", eng.platform_now())
            assert eng.outbox_depth() == 2  # the instruct command and its duty-log line

            eng2 = engine_mod.SyncEngine(store, client, "WS-CMD")
            eng2.start()
            try:
                wait_until(lambda: eng2.outbox_depth() == 0, 20, "outbox drained")
            finally:
                eng2.stop()
            with store.session() as s:
                status, code = s.execute(text("SELECT status, result_code FROM outbox WHERE ticket_id=:t"),
                                         {"t": tid}).one()
            assert (status, code) == ("done", "applied")
            found, cursor = [], ""
            while True:
                b = client.changes(cursor, 5000)
                found += [c["data"]["params"].get("text") for c in b.changes
                          if c["kind"] == "ticket_event" and c["data"]["action"] == "instruct"
                          and c["data"]["ticket_id"] == tid]
                cursor = b.next_cursor
                if not b.has_more:
                    break
            assert "离线批示：立即组织处置" in found
        finally:
            client.close()
            store.close()
