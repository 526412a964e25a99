"""并案 through the platform: a desk merges a duplicate report into its main ticket, the
platform checks the main and keeps the link, and when the main ticket closes on the platform
the duplicate closes with it, with the main's outcome, at every desk (real simulator)."""

from __future__ import annotations

import random

import pytest

from console.domain import lifecycle
from console.domain.model import Actor, Role
from console.operations import tickets as ops
from localdb import repo
from simulator import factory

from .conftest import OFFICER
from .helpers import wait_until
from .test_duty_records_sync import started

DESK = Actor("officer1", "测试员", Role.OFFICER, "WS-M")
LEADER = Actor("leader1", "值班长", Role.SHIFT_LEADER, "WS-M2")


def _ticket(store, tid):
    with store.session() as s:
        return repo.get_ticket(s, tid)


def _platform(sim, tid):
    with sim.rt.store.write() as c:
        return sim.rt.store.get_ticket(c, tid)


def _close_on_platform(sim, tid) -> None:
    """The main ticket walked to 结案 on the platform (the departments, the hall's verification)."""
    from console.domain.model import Ticket

    rt = sim.rt
    with rt.store.write() as c:
        t = Ticket.from_dict(rt.store.get_ticket(c, tid))
        dept = rt.department_for(t.category_code, t.grids) or "D01"
        d_actor = rt.dept_actor(dept)
        now = rt.clock.now()
        for verb, who, params in (("accept", DESK, {}), ("register", DESK, {}),
                                  ("dispatch", DESK, {"department_id": dept}), ("handle", d_actor, {}),
                                  ("feedback", d_actor, {"result": "已清理倒伏树木"}),
                                  ("verify", DESK, {"passed": True}), ("second_review", LEADER, {}),
                                  ("close", DESK, {})):
            t = rt.apply(c, t, verb, who, params, now)


def test_a_duplicate_follows_its_main_and_closes_with_it(sim, direct, open_store):
    rt = sim.rt
    rng = random.Random(99)
    with rt.store.write() as c:
        now = rt.clock.now()
        main = rt.create(c, factory.new_ticket(rt.street, rng, now), DESK, now)
        dup = rt.create(c, factory.new_ticket(rt.street, rng, now), DESK, now)
    store = open_store("m.sqlite3")
    eng = started(store, direct, "WS-M")
    try:
        wait_until(lambda: _ticket(store, main.id) and _ticket(store, dup.id), 20, what="both tickets at the desk")
        with pytest.raises(lifecycle.TransitionError, match="并入它自己"):
            ops.merge(store, OFFICER, dup.id, dup.id, eng.platform_now())
        ops.merge(store, OFFICER, dup.id, main.id, eng.platform_now(), note="同一处倒伏树木")
        eng.kick()
        wait_until(lambda: eng.outbox_depth() == 0, 30, what="merge sent")
        on_platform = _platform(sim, dup.id)
        assert on_platform["duplicate_of"] == main.id and on_platform["state"] == "suspended"
        _close_on_platform(sim, main.id)
        wait_until(lambda: _ticket(store, dup.id).state.value == "closed", 30, what="the duplicate closed at the desk")
        d, m = _ticket(store, dup.id), _ticket(store, main.id)
        assert m.state.value == "closed" and d.closed_on_time == m.closed_on_time and d.duplicate_of == main.id
        with store.session() as s:
            assert [e["action"] for e in repo.ticket_events(s, dup.id)][-2:] == ["merge", "close_with_main"]
            assert [x["id"] for x in repo.duplicates_of(s, main.id)] == [dup.id]
        with pytest.raises(lifecycle.TransitionError):                      # too late to undo
            ops.unmerge(store, OFFICER, dup.id, eng.platform_now())
    finally:
        assert eng.stop(10)


def test_the_platform_refuses_a_merge_into_a_closed_ticket(sim, direct, open_store):
    rt = sim.rt
    rng = random.Random(7)
    with rt.store.write() as c:
        now = rt.clock.now()
        main = rt.create(c, factory.new_ticket(rt.street, rng, now), DESK, now)
        dup = rt.create(c, factory.new_ticket(rt.street, rng, now), DESK, now)
    store = open_store("r.sqlite3")
    eng = started(store, direct, "WS-M")
    try:
        wait_until(lambda: _ticket(store, main.id) and _ticket(store, dup.id), 20, what="both tickets at the desk")
        eng.stop(10)                                                         # the desk still thinks it open
        _close_on_platform(sim, main.id)
        ops.merge(store, OFFICER, dup.id, main.id, rt.clock.now())
        eng = started(store, direct, "WS-M")
        wait_until(lambda: _ticket(store, main.id).state.value == "closed", 30, what="the closure reached the desk")
        wait_until(lambda: _platform(sim, dup.id)["state"] == "pending" and eng.outbox_depth() == 0, 30,
                   what="the platform refused the merge")
        assert _platform(sim, dup.id)["duplicate_of"] is None
        assert _ticket(store, dup.id).duplicate_of is None                 # the desk follows the platform
    finally:
        assert eng.stop(10)
