"""Fixtures of the queue panel tests: a sample store, an AppContext running tasks
inline (Picard's FakeThreadPool), the panel shown offscreen."""

from __future__ import annotations

import pytest

from console.domain.model import Actor, Role
from console.qt.context import AppContext, TaskRunner
from tests.factories import load_sample_store

NOW = 1795300000.0
OFFICER = Actor("officer1", "李信息员", Role.OFFICER, "WS-01")
LEADER = Actor("leader1", "值班长1", Role.SHIFT_LEADER, "WS-02")


@pytest.fixture
def store(tmp_path):
    s = load_sample_store(tmp_path / "store.db", 200, now=NOW)
    yield s
    s.close()


def make_ctx(store, actor=OFFICER, inline=True) -> AppContext:
    return AppContext(store=store, actor=actor, clock=lambda: NOW, tasks=TaskRunner(inline=inline))


@pytest.fixture
def ctx(store):
    return make_ctx(store)


@pytest.fixture
def panel(qtbot, ctx):
    from views.queue import QueuePanel

    p = QueuePanel(ctx)
    qtbot.addWidget(p)
    p.resize(1500, 900)
    p.show()
    qtbot.waitExposed(p)
    p.activateWindow()
    qtbot.waitUntil(p.isActiveWindow)
    return p


def ticket_in_state(store, state: str) -> str:
    from localdb import queue_query as qq
    from localdb import repo

    with store.session() as s:
        rids = qq.query_ids(s, {"state": state}, "age", True, 0, 1, NOW)
        return repo.get_rows(s, rids)[0]["id"]
