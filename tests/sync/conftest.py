"""Fixtures of the sync tests: a real simulator on loopback, stores, a fault proxy."""

from __future__ import annotations

import time

import pytest

from console.domain.model import Actor, Role
from console.sync.client import PlatformClient
from console.sync.proxy import FaultProxy

OFFICER = Actor(user_id="officer1", name="测试员", role=Role.OFFICER, workstation="WS-T1")


@pytest.fixture(scope="session")
def sim(tmp_path_factory):
    """One simulator for the sync tests (each test works on its own tickets/texts)."""
    from simulator.testing import running_simulator

    with running_simulator(tmp_path_factory.mktemp("platform"), seed=11, history_days=1,
                           traffic=False) as s:
        yield s


@pytest.fixture
def direct(sim):
    c = PlatformClient(sim.url, sim.token, timeout=(2, 10))
    yield c
    c.close()


@pytest.fixture
def proxy(sim):
    port = int(sim.url.rstrip("/").rsplit(":", 1)[1])
    with FaultProxy("127.0.0.1", port, seed=3) as px:
        yield px


@pytest.fixture
def via_proxy(sim, proxy):
    c = PlatformClient(proxy.url, sim.token, timeout=(1, 2))
    yield c
    c.close()


@pytest.fixture
def open_store(tmp_path):
    from localdb import Store

    opened = []

    def make(name="ws.sqlite3"):
        st = Store.open(tmp_path / name)
        opened.append(st)
        return st

    yield make
    for st in opened:
        try:
            st.close()
        except Exception:  # noqa: BLE001
            pass


def now() -> float:
    return time.time()
