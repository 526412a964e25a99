"""The working calendar reaches the desk on the feed, a bad one is quarantined and the last good
one holds, and actions taken at the desk compute their deadlines with it."""

from __future__ import annotations

import datetime as dt

from console.domain.timelimits import DEFAULT_CALENDAR
from localdb import limits, repo
from localdb.feed import apply_changes
from simulator.catalogue import WORK_CALENDAR


def _cal(data: dict, seq: int = 1) -> dict:
    return {"seq": seq, "kind": "work_calendar", "op": "upsert", "id": "street", "data": data}


def test_calendar_on_the_feed_then_a_bad_one_is_quarantined(sqlite_store):
    store = sqlite_store
    with store.session() as s:
        assert limits.work_calendar(s) is DEFAULT_CALENDAR
    apply_changes(store, [_cal(WORK_CALENDAR)], "c1")
    with store.session() as s:
        assert dt.date(2026, 10, 1) in limits.work_calendar(s).holidays
    report = apply_changes(store, [_cal({"holidays": ["2026-10-10"], "makeup_days": ["2026-10-10"]}, 2)], "c2")
    assert report.quarantined == 1
    with store.session() as s:
        cal = limits.work_calendar(s)
        assert dt.date(2026, 10, 1) in cal.holidays and dt.date(2026, 10, 10) in cal.makeup_days
        assert "既列为放假日又列为调休上班日" in repo.quarantine(s)[0]["reason"]


def test_the_platform_sends_its_calendar_to_a_new_desk(tmp_path):
    from console.sync.client import PlatformClient
    from console.sync.puller import Puller
    from localdb import Store
    from simulator.testing import running_simulator

    with running_simulator(tmp_path / "sim", seed=2, history_days=0.1, daily_rate=20) as sim:
        store = Store.open(tmp_path / "desk.sqlite3")
        try:
            Puller(store, PlatformClient(sim.url, sim.token)).catch_up()
            with store.session() as s:
                cal = limits.work_calendar(s)
            assert dt.date(2026, 2, 16) in cal.holidays and dt.date(2026, 2, 28) in cal.makeup_days
        finally:
            store.close()


def test_registering_before_golden_week_at_the_desk_gives_the_calendars_deadline(tmp_path):
    from console.domain.model import Actor, LimitMode, Role, Ticket, TicketState
    from console.domain.timelimits import SHANGHAI
    from console.operations import tickets as ops
    from tests.factories import load_sample_store

    store = load_sample_store(tmp_path / "s.db", n_tickets=5)
    try:
        before = dt.datetime(2026, 9, 30, 16, 0, tzinfo=SHANGHAI).timestamp()
        t = Ticket(id="00000000-0000-4000-8000-00000000cafe", state=TicketState.ACCEPTED, channel="hotline_12345",
                   category_kind="event", category_code="01001", category_name="暴露垃圾", version=1,
                   limit_hours=8.0, limit_mode=LimitMode.WORKING, created_at=before - 600, updated_at=before - 600)
        apply_changes(store, [_cal(WORK_CALENDAR), {"seq": 2, "kind": "ticket", "op": "upsert", "id": t.id,
                                                    "data": t.to_dict()}], "c1")
        officer = Actor("officer1", "李信息员", Role.OFFICER, "WS-01")
        after = ops.register(store, officer, t.id, before)
        assert after.deadline == dt.datetime(2026, 10, 8, 16, 30, tzinfo=SHANGHAI).timestamp()
    finally:
        store.close()
