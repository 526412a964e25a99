"""A real simulator on 127.0.0.1 for the contract tests (no mocks: requests over HTTP)."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from simulator.testing import running_simulator

TOKEN = "test-token"


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    """One quiet simulator per test module: small history, no live traffic, no streams."""
    with running_simulator(tmp_path_factory.mktemp("sim"), seed=7, history_days=0.25,
                           daily_rate=400, token=TOKEN, attachment_limit=64 * 1024) as s:
        yield s


@pytest.fixture()
def api(sim):
    return Api(sim.url, sim.token)


class Api:
    def __init__(self, url: str, token: str):
        self.url = url
        self.s = requests.Session()
        self.s.headers["Authorization"] = f"Bearer {token}"

    def get(self, path, **kw):
        kw.setdefault("timeout", 10)
        return self.s.get(self.url + path, **kw)

    def post(self, path, **kw):
        kw.setdefault("timeout", 10)
        return self.s.post(self.url + path, **kw)

    def drain(self, cursor: str = "", limit: int = 5000) -> tuple[list[dict], str]:
        out = []
        while True:
            r = self.get("/api/v1/changes", params={"since": cursor, "limit": limit})
            assert r.status_code == 200, r.text
            page = r.json()
            out += page["changes"]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                return out, cursor

    def commands(self, *cmds):
        return self.post("/api/v1/commands", json={"commands": list(cmds)})


OFFICER = {"user_id": "officer1", "name": "测试员", "role": "officer", "workstation": "WS-01"}
LEADER = {"user_id": "leader1", "name": "值班长", "role": "shift_leader", "workstation": "WS-02"}


def cmd(ticket_id: str, verb: str, expected_version, params=None, actor=OFFICER, command_id=None):
    return {"command_id": command_id or str(uuid.uuid4()), "ticket_id": ticket_id, "verb": verb,
            "expected_version": expected_version, "params": params or {}, "actor": actor,
            "issued_at": time.time()}


def new_ticket_dict(ticket_id: str | None = None, **over) -> dict:
    from console.domain import lifecycle
    from console.domain.model import CategoryKind, Channel
    t = lifecycle.new_ticket(id=ticket_id or str(uuid.uuid4()), channel=Channel.SELF_FOUND,
                             category_kind=CategoryKind.EVENT, category_code="11001",
                             category_name="暴露垃圾", big_code="11", big_name="市容环境",
                             lat=31.1795, lon=121.4905, address="济阳路100号",
                             description="测试工单", created_at=time.time(), limit_hours=12.0)
    d = t.to_dict()
    d.update(over)
    return d


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.02):
    """Poll ``predicate`` until it is truthy or the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        v = predicate()
        if v:
            return v
        if time.monotonic() > deadline:
            raise AssertionError("condition not met before the deadline")
        time.sleep(interval)
