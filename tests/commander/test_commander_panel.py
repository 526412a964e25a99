"""The commander panel: on-duty display across midnight, inbox decisions made offline."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from console.domain.model import Priority
from console.operations import commander as ops
from localdb import repo_commander as rc

from .conftest import COMMANDER, LEADER, OFFICER, FakeClock, at, ticket


def _roster_23rd_commander() -> list[dict]:
    """The 23rd gets another rotating commander, so the night of the 22nd is told apart."""
    return [{"seq": 0, "kind": "roster", "op": "upsert", "id": "R2026-11-23-cmd", "data": {
        "id": "R2026-11-23-cmd", "date": "2026-11-23", "shift": "all", "role": "commander",
        "person_id": "commander2", "name": "赵指挥", "phone": "13900139000"}}]


@pytest.fixture
def escalated():
    return [
        ticket("registered", created=at(22, 9), deadline=at(22, 23), needs_commander=True,
               commander_reason="escalate", escalation_level=1),
        ticket("handling", created=at(22, 9), deadline=at(23, 9), needs_commander=True,
               commander_reason="extension",
               extension_request={"hours": 12, "reason": "等待配件", "by": "D01", "at": at(22, 10)}),
        ticket("handling", created=at(21, 9), deadline=at(22, 12), key_supervision=True),  # overdue key
        ticket("handling", created=at(22, 9), deadline=at(23, 12)),                       # not in the inbox
    ]


def test_shift_change_at_23_across_midnight(make_store, make_ctx, qtbot):
    from views.commander import CommanderPanel

    store = make_store(extra=_roster_23rd_commander())
    clock = FakeClock(at(22, 22, 59, 59))
    panel = CommanderPanel(make_ctx(store, clock, actor=OFFICER))
    qtbot.addWidget(panel)
    assert panel.snapshot_info() == {"shift": "中班 15:00–23:00", "commander": "王指挥"}
    assert panel.duty.shift_leader.name == "值班长2"
    assert "值班长3" in panel.next_label.text()
    # the boundary timer is armed for 23:00 (one second away, platform time)
    assert panel._shift_timer.isActive() and 1000 <= panel._shift_timer.interval() <= 1300
    assert "13800138000" not in panel.duty_label.text()  # an officer sees masked numbers
    assert "138****8000" in panel.duty_label.text()

    clock.set(at(22, 23, 0, 1))
    with qtbot.waitSignal(panel.sig_shift_changed, timeout=1000) as sig:
        panel._shift_timer.timeout.emit()
    assert sig.args == ["2026-11-22", "night"]
    assert "值班长3" in panel.last_notice   # the shift-change notice names who comes on
    assert panel.snapshot_info() == {"shift": "夜班 23:00–07:00", "commander": "王指挥"}
    assert panel.duty.shift_leader.name == "值班长3"
    assert "值班长3" in panel.duty_label.text()

    clock.set(at(23, 2, 0))  # after midnight: still the night shift of the 22nd and its commander
    panel.on_shift_boundary()
    assert (panel.duty.date.isoformat(), panel.duty.shift) == ("2026-11-22", "night")
    assert panel.snapshot_info()["commander"] == "王指挥"
    assert "赵指挥" in panel.next_label.text()  # the day shift of the 23rd comes next

    clock.set(at(23, 7, 0, 1))
    panel.on_shift_boundary()
    assert panel.snapshot_info() == {"shift": "白班 07:00–15:00", "commander": "赵指挥"}
    assert panel.duty.shift_leader.name == "值班长1"


def test_inbox_lists_commander_items_and_explains_refusals(make_store, make_ctx, qtbot, escalated):
    from views.commander import CommanderPanel

    store = make_store(escalated)
    panel = CommanderPanel(make_ctx(store, FakeClock(at(22, 14)), actor=OFFICER))
    qtbot.addWidget(panel)
    reasons = [r["reason"] for r in panel.inbox_rows]
    # by time left: the overdue key-supervision ticket first
    assert reasons == ["overdue_key", "escalate", "extension"]
    panel.inbox.selectRow(1)
    assert not panel.decide_button.isEnabled()
    assert "平台信息员无权批示" in panel.decide_button.toolTip()


def test_inbox_in_priority_order_critical_and_overdue_first(make_store, make_ctx, qtbot):
    """Overdue 井盖缺失 / 火情隐患 items above an extension request with 482 hours left."""
    from views.commander import CommanderPanel

    now = at(22, 14)
    items = [
        ticket("handling", created=at(20, 9), deadline=now + 482 * 3600, needs_commander=True,
               commander_reason="extension", name="绿化养护",
               extension_request={"hours": 24, "reason": "苗木未到", "by": "D01", "at": at(22, 10)}),
        ticket("registered", created=at(22, 9), deadline=now + 3 * 3600, needs_commander=True,
               commander_reason="escalate", name="无证设摊"),
        ticket("handling", created=at(21, 9), deadline=now - 3 * 3600, key_supervision=True, name="井盖缺失"),
        ticket("registered", created=at(22, 13), deadline=now + 30 * 3600, needs_commander=True,
               commander_reason="escalate", name="火情隐患", priority=Priority.CRITICAL),
        ticket("handling", created=at(21, 9), deadline=now - 3600, needs_commander=True,
               commander_reason="leader_dispatch", name="道路积水"),
    ]
    store = make_store(items)
    panel = CommanderPanel(make_ctx(store, FakeClock(now), actor=COMMANDER))
    qtbot.addWidget(panel)
    names = [r["category_name"] for r in panel.inbox_rows]
    assert names == ["火情隐患", "井盖缺失", "道路积水", "无证设摊", "绿化养护"]
    shown = [panel.inbox.item(i, 2).text() for i in range(panel.inbox.rowCount())]
    assert shown == names


def test_decision_made_offline_lands_in_outbox(make_store, make_ctx, qtbot, escalated):
    from views.commander import CommanderPanel

    store = make_store(escalated)
    ctx = make_ctx(store, FakeClock(at(22, 14)), actor=COMMANDER, link="offline")
    panel = CommanderPanel(ctx)
    qtbot.addWidget(panel)
    panel.inbox.selectRow(0)
    assert panel.decide_button.isEnabled()
    target = escalated[0]
    panel.decide(target.id, "instruct", "请城管中队30分钟内到场", department_id="D02")
    panel.decide(escalated[1].id, "approve_extension", "同意延期12小时")
    with store.session() as s:
        out = [dict(r._mapping) for r in s.execute(text(
            "SELECT ticket_id, verb, params, status, actor FROM outbox WHERE verb != 'duty_record' "
            "ORDER BY seq"))]
        logged = [json.loads(r[0])["data"]["text"] for r in s.execute(text(
            "SELECT params FROM outbox WHERE verb = 'duty_record' ORDER BY seq"))]
        ev = s.execute(text("SELECT action, local FROM ticket_events WHERE ticket_id=:t"),
                       {"t": target.id}).all()
        log_lines = [r["text"] for r in rc.duty_log(s, at(22, 7), at(22, 15))]
        row = s.execute(text("SELECT state, department_id, needs_commander, pending, extension_hours "
                             "FROM tickets WHERE id=:t"), {"t": target.id}).one()
    assert [(o["ticket_id"], o["verb"], o["status"]) for o in out] == [
        (target.id, "instruct", "queued"), (escalated[1].id, "approve_extension", "queued")]
    # the rostered commander decides, and the decision says under which authority
    assert json.loads(out[0]["params"]) == {"text": "请城管中队30分钟内到场", "department_id": "D02",
                                            "authority": "指挥长"}
    assert json.loads(out[0]["actor"])["role"] == "commander"
    assert ("instruct", 1) in [tuple(e) for e in ev]
    assert (row.state, row.department_id, row.needs_commander, row.pending) == ("dispatched", "D02", 0, 1)
    assert any(line.startswith("批示 ") and "30分钟内到场" in line for line in log_lines)
    assert any(line.startswith("批准延期") for line in log_lines)
    assert logged == [line for line in log_lines if line.startswith(("批示 ", "批准延期"))]  # synced too
    assert [r["reason"] for r in panel.inbox_rows] == ["overdue_key"]


def test_link_outage_is_logged_once(make_store, make_ctx, qtbot):
    from views.commander import CommanderPanel

    store = make_store()
    clock = FakeClock(at(22, 10))
    ctx = make_ctx(store, clock, actor=LEADER, link="online")
    panel = CommanderPanel(ctx)
    qtbot.addWidget(panel)
    ctx.link.set_state("offline")
    clock.set(at(22, 10, 30))
    ctx.link.set_state("degraded")
    ctx.link.set_state("offline")
    clock.set(at(22, 11))
    ctx.link.outbox_depth = 3
    ctx.link.set_state("online")
    with store.session() as s:
        outages = rc.link_outages(s, at(22, 7), at(22, 15))
    assert len(outages) == 1
    assert (outages[0]["started_at"], outages[0]["ended_at"], outages[0]["queued_at_end"]) == (
        at(22, 10), at(22, 11), 3)
    panel.duty_log.reload()
    texts = [r["text"] for r in panel.duty_log.rows]
    assert texts == ["与区平台连接中断", "与区平台连接恢复（中断60分钟，待同步3条）"]
    assert ops.link_changed(store, LEADER, "online", at(22, 12)) is None


def test_the_engine_and_the_panel_report_one_outage(make_store):
    """The sync engine (its outage detector) and the panel (the link state) both report
    an outage, in either order: one row, one line when it starts, one when it ends."""
    from console.operations.commander import SYSTEM
    from console.sync.engine import SyncEngine
    from console.sync.linkstate import Outage

    store = make_store()
    engine = SyncEngine(store, client=None, workstation_id="ws-t")  # not started: no threads
    outage = Outage(start=at(22, 10), start_mono=1.0, queued_at_start=0, reason="timeout")
    engine._persist_outage(outage)
    assert ops.link_changed(store, LEADER, "offline", at(22, 10, 1)) is None  # the panel, later
    assert ops.link_changed(store, SYSTEM, "online", at(22, 11), queued=2) is not None  # panel first
    outage.end, outage.end_mono, outage.queued_at_end = at(22, 11, 2), 62.0, 2
    engine._persist_outage(outage)
    with store.session() as s:
        outages = rc.link_outages(s, at(22, 7), at(22, 15))
        lines = [r["text"] for r in rc.duty_log(s, at(22, 7), at(22, 15)) if r["kind"] == "link"]
    assert [(o["started_at"], o["ended_at"], o["reason"]) for o in outages] == [(at(22, 10), at(22, 11), "timeout")]
    assert lines == ["与区平台连接中断（timeout）", "与区平台连接恢复（中断60分钟，待同步2条）"]
