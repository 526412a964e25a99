"""Restart keeps tickets, versions, cursors and command results (real HTTP)."""

from __future__ import annotations

import requests

from simulator.testing import running_simulator

from .conftest import Api, cmd, new_ticket_dict


def test_restart_keeps_state_cursor_and_idempotency(tmp_path):
    with running_simulator(tmp_path / "sim", seed=3, history_days=0.1, daily_rate=200) as sim:
        api = Api(sim.url, sim.token)
        t = new_ticket_dict()
        create = cmd(t["id"], "create", None, {"ticket": t})
        accept = cmd(t["id"], "accept", 0)
        res = api.commands(create, accept).json()["results"]
        assert [r["status"] for r in res] == ["applied", "applied"]
        number = res[0]["ticket"]["number"]
        before, cursor = api.drain()
        head = before[-1]["seq"]
        url = sim.url

        sim.restart()
        assert sim.url == url
        api = Api(sim.url, sim.token)
        assert requests.get(sim.url + "/api/v1/health", timeout=5).status_code == 200
        # the old cursor is still good: nothing new, or only newer changes
        r = api.get("/api/v1/changes", params={"since": cursor})
        assert r.status_code == 200 and all(c["seq"] > head for c in r.json()["changes"])
        # replaying the old commands: duplicates with the original tickets
        again = api.commands(create, accept).json()["results"]
        assert [r["status"] for r in again] == ["duplicate", "duplicate"]
        assert again[1]["ticket"]["version"] == 1 and again[0]["ticket"]["number"] == number
        # the ticket's version carries on from where it was
        r = api.commands(cmd(t["id"], "register", 1)).json()["results"][0]
        assert r["status"] == "applied" and r["ticket"]["version"] == 2
        after, _ = api.drain()
        assert [c["seq"] for c in after[:len(before)]] == [c["seq"] for c in before]
        # static entities were not written twice (camera URLs unchanged: same port)
        assert sum(1 for c in after if c["kind"] == "category") == sum(
            1 for c in before if c["kind"] == "category")
        # numbers keep counting after the restart
        t2 = new_ticket_dict()
        n2 = api.commands(cmd(t2["id"], "create", None, {"ticket": t2})).json()["results"][0]
        assert n2["ticket"]["number"] > number


def test_restart_on_another_port_republishes_camera_urls(tmp_path):
    with running_simulator(tmp_path / "sim", seed=3, history_days=0) as sim:
        api = Api(sim.url, sim.token)
        _, cursor = api.drain()
        sim.restart(new_port=True)
        api = Api(sim.url, sim.token)
        changes, _ = api.drain(cursor)
        cams = [c["data"] for c in changes if c["kind"] == "camera"]
        assert len(cams) >= 64 and all(c["stream_url"].startswith(sim.url + "/streams/") for c in cams)


def test_a_history_window_with_no_tickets_starts_cleanly(tmp_path):
    """A tiny history (e.g. a few minutes at night) may create no recent ticket at all."""
    import requests

    from simulator.testing import running_simulator

    with running_simulator(tmp_path / "tiny", seed=3, history_days=1e-6) as sim:
        r = requests.get(f"{sim.url}/api/v1/health", timeout=10)
        assert r.status_code == 200
