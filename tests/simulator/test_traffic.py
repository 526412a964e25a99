"""History mix and live traffic on the simulated clock (real HTTP, /_sim/tick)."""

from __future__ import annotations

import collections
import time

from simulator.testing import running_simulator

from .conftest import Api, wait_until


def test_history_mix_and_ticking_a_day(tmp_path):
    with running_simulator(tmp_path / "sim", seed=11, history_days=3, daily_rate=250,
                           traffic=True, timeline_days=1.5) as sim:
        api = Api(sim.url, sim.token)
        changes, cursor = api.drain()
        tickets = {c["id"]: c["data"] for c in changes if c["kind"] == "ticket"}
        states = collections.Counter(t["state"] for t in tickets.values())
        assert 550 < len(tickets) < 950
        assert states["archived"] + states["closed"] > len(tickets) / 2
        assert sum(states[s] for s in ("dispatched", "handling", "feedback", "pending",
                                       "accepted", "registered", "verified")) > 10
        events = [c["data"] for c in changes if c["kind"] == "ticket_event"]
        assert {"create", "accept", "dispatch", "handle", "feedback", "close"} <= {e["action"] for e in events}
        channels = {t["channel"] for t in tickets.values()}
        assert {"hotline_12345", "grid_inspector"} <= channels

        r = api.post("/_sim/tick", json={"seconds": 12 * 3600})
        assert r.status_code == 200 and r.json()["changes"] > 100
        new, _ = api.drain(cursor)
        kinds = collections.Counter(c["kind"] for c in new)
        assert kinds["ticket"] > 80 and kinds["ticket_event"] > 80
        actors = {(c["data"]["actor"]["role"], c["data"]["action"]) for c in new if c["kind"] == "ticket_event"}
        assert ("department", "handle") in actors or ("department", "feedback") in actors
        assert ("district", "create") in actors
        assert kinds["alarm"] > 0 and kinds["sensor"] > 0
        created = [c["data"] for c in new if c["kind"] == "ticket" and c["data"]["version"] == 0]
        assert len(created) > 40
        assert api.post("/_sim/tick", json={"seconds": -1}).status_code == 422


def test_live_traffic_runs_on_the_sped_up_clock(tmp_path):
    with running_simulator(tmp_path / "live", seed=12, history_days=0, traffic=True,
                           speed=3600.0, daily_rate=2000) as sim:
        api = Api(sim.url, sim.token)
        _, cursor = api.drain()

        def new_tickets():
            return [c for c in api.drain(cursor)[0] if c["kind"] == "ticket"]
        assert wait_until(new_tickets, timeout=20)
        h = api.get("/api/v1/health").json()
        assert h["server_time_epoch"] > time.time() + 60   # platform time runs ahead


def test_retention_compacts_on_the_platform_clock(tmp_path):
    with running_simulator(tmp_path / "ret", seed=13, history_days=0.2, daily_rate=300,
                           traffic=True, retention_s=3600) as sim:
        api = Api(sim.url, sim.token)
        first = api.get("/api/v1/changes", params={"limit": 10}).json()["next_cursor"]
        assert api.post("/_sim/tick", json={"seconds": 2 * 3600}).status_code == 200
        r = api.get("/api/v1/changes", params={"since": first})
        assert r.status_code == 410 and r.json()["error"]["code"] == "resync_required"
        cut = r.json()["error"]["details"]["compacted_seq"]
        # a client whose cursor is at the compaction point (it kept up) is still fine
        from simulator.feed import encode_cursor
        assert api.get("/api/v1/changes", params={"since": encode_cursor(sim.rt.store.epoch_id, cut)}
                       ).status_code == 200
        changes, _ = api.drain()   # the resync from an empty cursor
        tickets = [c["id"] for c in changes if c["kind"] == "ticket" and c["seq"] <= cut]
        assert tickets and len(tickets) == len(set(tickets))   # one change per ticket up to the cut
        roster = [c["data"] for c in changes if c["kind"] == "roster"]
        assert len({e["date"] for e in roster}) >= 29
