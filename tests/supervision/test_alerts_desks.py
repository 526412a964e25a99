"""Acknowledgement across SQLite desks (desk mode): two workstations, each with its own
store and sync engine against the real simulator. An alert acknowledged at desk A leaves
desk B's open-alerts panel (through the platform's feed, ``alert_ack`` duty record); an
acknowledgement made while desk A's link is cut (fault proxy) waits in A's outbox and
silences B once the link is back."""

from __future__ import annotations

import threading
import time

from sqlalchemy import text

import console.sync.engine as engine_mod
import simulator.testing as sim_testing
from console.domain import supervision as SV
from console.domain.model import Actor, Role
from console.operations import supervision as ops
from localdb import repo_supervision as repo
from tests.commander.conftest import FakeClock

POLICY = SV.Policy(chain=("shift_leader", "commander"), interval_s=300.0, hall_lead_s=600.0)
DESK_A = Actor("leader1", "值班长1", Role.SHIFT_LEADER, "WS-A")
DESK_B = Actor("commander1", "王指挥", Role.COMMANDER, "WS-B")


def wait_until(pred, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        pause.wait(0.05)


def _shown(view) -> set[str]:
    return {a["id"] for a in view.rows}


def _ack_in_view(qtbot, view, alert_id: str) -> None:
    from PySide6.QtCore import Qt

    row = [a["id"] for a in view.rows].index(alert_id)
    view.table.setCurrentCell(row, 0)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A)  # the acknowledge key


def _queued_acks(store) -> list[str]:
    import json

    with store.session() as s:
        rows = s.execute(text("SELECT params FROM outbox WHERE verb='duty_record' "
                              "AND status IN ('queued','inflight')")).scalars().all()
    return [json.loads(p)["data"]["id"] for p in rows if json.loads(p)["kind"] == ops.ACK_RECORD]


def test_ack_at_one_sqlite_desk_silences_the_other_also_after_a_cut_link(qtbot, tmp_path, make_ctx):
    from console.sync.client import PlatformClient
    from console.sync.proxy import FaultProxy
    from localdb import Store
    from views.supervision import SupervisionAlertsView

    with sim_testing.running_simulator(tmp_path / "platform", seed=7, history_days=0.3,
                                       traffic=False) as sim, \
            FaultProxy("127.0.0.1", int(sim.url.rsplit(":", 1)[1])) as proxy:
        store_a, store_b = Store.open(tmp_path / "a.sqlite3"), Store.open(tmp_path / "b.sqlite3")
        client_a = PlatformClient(proxy.url, sim.token, timeout=(1, 2))  # desk A's district link
        client_b = PlatformClient(sim.url, sim.token, timeout=(2, 10))
        eng_a = engine_mod.SyncEngine(store_a, client_a, "WS-A")
        eng_b = engine_mod.SyncEngine(store_b, client_b, "WS-B")
        eng_a.start()
        eng_b.start()
        try:
            for eng in (eng_a, eng_b):
                wait_until(lambda: not eng.puller.bootstrapping and eng.link_state == "online", 60,
                           "bootstrap")
            # both desks hold the same tickets; a day on, the open ones are past their limits
            clock = FakeClock(eng_a.platform_now() + 86400.0)
            ctx_a, ctx_b = make_ctx(store_a, clock, DESK_A), make_ctx(store_b, clock, DESK_B)
            for ctx in (ctx_a, ctx_b):
                ctx.journal.start()  # as the running console does: panels follow the journal
            view_a = SupervisionAlertsView(ctx_a, policy=POLICY, scan_ms=0)
            view_b = SupervisionAlertsView(ctx_b, policy=POLICY, scan_ms=0)
            qtbot.addWidget(view_a)
            qtbot.addWidget(view_b)
            view_a.scan()
            view_b.scan()
            qtbot.waitUntil(lambda: len(_shown(view_a)) >= 2 and len(_shown(view_b)) >= 2, timeout=20_000)
            common = sorted(_shown(view_a) & _shown(view_b))
            assert len(common) >= 2, "the same crossings raise the same alert ids on both desks"
            first, second = common[0], common[1]

            # online: acknowledged at A, gone from B's panel once the feed brings the record
            _ack_in_view(qtbot, view_a, first)
            qtbot.waitUntil(lambda: first not in _shown(view_a), timeout=10_000)
            eng_a.kick()
            qtbot.waitUntil(lambda: first not in _shown(view_b), timeout=60_000)
            with store_b.session() as s:
                a = repo.alert(s, first)
            assert (a["acked_by"], a["acked_ws"]) == (DESK_A.user_id, "WS-A")
            assert second in _shown(view_b)  # only the acknowledged one left

            # offline: the acknowledgement waits in A's outbox, B still shows the alert
            proxy.partition("blackhole")
            wait_until(lambda: eng_a.link_state == "offline", 60, "offline")
            _ack_in_view(qtbot, view_a, second)
            qtbot.waitUntil(lambda: second not in _shown(view_a), timeout=10_000)
            eng_a.kick()
            assert _queued_acks(store_a) == [second]
            assert second in _shown(view_b)
            proxy.pass_through()  # the link returns: the outbox sends, the feed brings it to B
            qtbot.waitUntil(lambda: second not in _shown(view_b), timeout=60_000)
            # B may hear of it through the feed before A has stored the platform's answer
            qtbot.waitUntil(lambda: _queued_acks(store_a) == [], timeout=30_000)
            with store_b.session() as s:
                a = repo.alert(s, second)
            assert (a["acked_by"], a["acked_ws"]) == (DESK_A.user_id, "WS-A")
            # B's next scans do not raise the acknowledged alerts again
            view_b.scan()
            assert {first, second}.isdisjoint(_shown(view_b))
        finally:
            eng_a.stop()
            eng_b.stop()
            client_a.close()
            client_b.close()
            store_a.close()
            store_b.close()


def test_ack_from_the_feed_for_an_alert_this_desk_never_raised_keeps_it_from_being_raised(
        make_store, tmp_path):
    """A desk that hears of an acknowledgement before its own scan raised the alert stores
    it acknowledged: the scan then raises nothing for that crossing."""
    import uuid

    from localdb import feed_duty
    from localdb.feed import ApplyReport
    from tests.commander.conftest import at, ticket

    t = ticket("handling", created=at(3, 8), deadline=at(3, 16), updated_at=at(3, 15, 50))
    t = t.__class__.from_dict({**t.to_dict(), "id": str(uuid.uuid4())})
    store = make_store([t])
    now = at(3, 16, 0, 1)
    with store.session() as s:
        cands = repo.candidates(s, now, POLICY)
    crossings = [c for r in cands if r["id"] == t.id for c in SV.crossings(r, now, POLICY)]
    assert {c.kind for c in crossings} >= {"overdue"}
    target = next(c for c in crossings if c.kind == "overdue")
    item = {"op": "upsert", "data": {"kind": ops.ACK_RECORD, "actor": {"user_id": "leader9",
                                                                     "workstation": "WS-Z"},
                                     "data": {"id": target.id, "ticket_id": t.id, "kind": "overdue",
                                              "at": now, "mark": target.mark, "since": target.since,
                                              "workstation": "WS-Z"}}}
    with store.write() as s:
        report = ApplyReport()
        feed_duty.apply_duty_records(s, [item], now, report)
    assert report.changed.get("alert") == [target.id]
    res = ops.scan(store, DESK_B, now + 1, POLICY)
    assert target.id not in {r["id"] for r in res.raised}
    with store.session() as s:
        assert target.id not in {a["id"] for a in repo.unacknowledged(s)}
        a = repo.alert(s, target.id)
    assert (a["acked_by"], a["acked_ws"]) == ("leader9", "WS-Z")
    # the same record again (or a second desk's later one) changes nothing
    with store.write() as s:
        again = ApplyReport()
        feed_duty.apply_duty_records(s, [item], now, again)
    assert again.changed.get("alert") is None
