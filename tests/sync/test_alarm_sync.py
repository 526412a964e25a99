"""An alarm dismissed at one desk during an outage is closed on the platform once and at
every other desk (real simulator on loopback, fault proxy, two stores, real engines)."""

from __future__ import annotations

import uuid

from sqlalchemy import text

from console.domain.model import Actor, Role
from console.operations import alarms as aops
from localdb import repo_devices

from .helpers import wait_until
from .test_duty_records_sync import platform_records, started

OFFICER_A = Actor("officer1", "甲信息员", Role.OFFICER, "WS-A")


def _alarm(store, aid):
    with store.session() as s:
        return repo_devices.alarm(s, aid)


def test_alarm_dismissed_offline_reaches_platform_once_and_other_desk(sim, direct, proxy, via_proxy,
                                                                       open_store):
    aid = f"AL-{uuid.uuid4().hex[:8]}"
    now = sim.rt.clock.now()
    with sim.rt.store.write() as c:
        sim.rt.store.append(c, [("alarm", aid, "upsert", {
            "id": aid, "sensor_id": "SN-gas-001", "type": "gas", "lat": 31.18, "lon": 121.49,
            "raised_at": now, "cleared_at": None, "ticket_id": None, "level": "low"})], now)
    a_store, b_store = open_store("a.sqlite3"), open_store("b.sqlite3")
    a, b = started(a_store, via_proxy, "WS-A"), started(b_store, direct, "WS-B")
    try:
        wait_until(lambda: _alarm(a_store, aid) and _alarm(b_store, aid), 20, what="alarm at both desks")
        proxy.partition("refuse")
        wait_until(lambda: a.link_state == "offline", 15, what="desk A offline")
        aops.dismiss_alarm(a_store, OFFICER_A, aid, "test", a.platform_now(), note="演练")
        a.kick()
        assert _alarm(a_store, aid)["disposition"] == "dismissed"      # at once on desk A
        assert _alarm(b_store, aid)["disposition"] is None             # B cannot know yet
        proxy.pass_through()
        wait_until(lambda: a.outbox_depth() == 0, 30, what="desk A drained")
        wait_until(lambda: (_alarm(b_store, aid) or {}).get("disposition") == "dismissed", 30,
                   what="desk B sees the alarm closed")
        recs = platform_records(direct, lambda r: r["kind"] == "alarm_disposition"
                                and r["data"]["alarm_id"] == aid)
        assert len(recs) == 1 and recs[0]["data"]["actor"]["workstation"] == "WS-A"
        with b_store.session() as s:
            row = s.execute(text("SELECT dismiss_reason, disposed_by FROM alarms WHERE id=:i"), {"i": aid}).one()
        assert tuple(row) == ("test", "officer1")
    finally:
        assert a.stop(10) and b.stop(10)
