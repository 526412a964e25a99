"""Joint handling through the outbox: a desk offline dispatches a hawker complaint to 城管
with 市场监管 co-handling, the action reaches the platform once the link is back, each
department answers on the platform separately, and the desk may verify only after both
(real simulator, the link cut with the fault proxy)."""

from __future__ import annotations

import random

import pytest

from console.domain import lifecycle
from console.domain.model import Actor, Role, Ticket
from console.operations import tickets as ops
from localdb import repo
from simulator import factory

from .conftest import OFFICER
from .helpers import wait_until
from .test_duty_records_sync import started

LEAD, MARKET = "D05", "D08"  # 上钢新村城管中队, 上钢市场监管所


def _ticket(store, tid):
    with store.session() as s:
        return repo.get_ticket(s, tid)


def _platform(sim, tid) -> dict:
    with sim.rt.store.write() as c:
        return sim.rt.store.get_ticket(c, tid)


def _on_platform(sim, tid, *steps) -> None:
    rt = sim.rt
    with rt.store.write() as c:
        t = Ticket.from_dict(rt.store.get_ticket(c, tid))
        for verb, dept, params in steps:
            t = rt.apply(c, t, verb, rt.dept_actor(dept), params, rt.clock.now())


def test_a_joint_dispatch_made_offline_is_answered_by_both_departments(sim, proxy, via_proxy, open_store):
    rt = sim.rt
    with rt.store.write() as c:
        now = rt.clock.now()
        made = rt.create(c, factory.new_ticket(rt.street, random.Random(19), now),
                         Actor("district", "区城运平台", Role.DISTRICT), now)
    store = open_store("j.sqlite3")
    eng = started(store, via_proxy, "WS-J")
    try:
        wait_until(lambda: _ticket(store, made.id), 20, what="the ticket at the desk")
        proxy.partition("refuse")
        at = eng.platform_now()
        ops.accept(store, OFFICER, made.id, at)
        ops.register(store, OFFICER, made.id, at)
        with pytest.raises(lifecycle.TransitionError, match="协办单位 D999 不是已知的处置部门"):
            ops.dispatch(store, OFFICER, made.id, LEAD, at, co_handlers=["D999"])
        assert _ticket(store, made.id).state.value == "registered"          # nothing changed
        t = ops.dispatch(store, OFFICER, made.id, LEAD, at, co_handlers=[MARKET])
        assert [c["state"] for c in t.co_handlers] == ["pending"]           # at once, offline
        proxy.pass_through()
        eng.kick()
        wait_until(lambda: eng.outbox_depth() == 0, 30, what="the joint dispatch sent")
        p = _platform(sim, made.id)
        assert p["department_id"] == LEAD and p["co_handlers"][0]["department_id"] == MARKET
        _on_platform(sim, made.id, ("handle", LEAD, {}), ("feedback", LEAD, {"result": "摊贩已劝离"}))
        wait_until(lambda: _ticket(store, made.id).state.value == "feedback", 30, what="the lead's feedback")
        with pytest.raises(lifecycle.TransitionError, match=MARKET):
            ops.verify(store, OFFICER, made.id, True, eng.platform_now())
        _on_platform(sim, made.id, ("co_feedback", MARKET, {"department_id": MARKET, "result": "已立案查处"}))
        wait_until(lambda: _ticket(store, made.id).co_handlers[0]["state"] == "answered", 30,
                   what="the co-handler's answer at the desk")
        ops.verify(store, OFFICER, made.id, True, eng.platform_now())
        eng.kick()
        wait_until(lambda: _platform(sim, made.id)["state"] == "verified", 30, what="verified on the platform")
        with store.session() as s:
            who = [(e["action"], (e.get("actor") or {}).get("user_id")) for e in repo.ticket_events(s, made.id)]
        assert ("co_feedback", MARKET) in who and ("feedback", LEAD) in who and ("dispatch", "officer1") in who
    finally:
        assert eng.stop(10)
