"""The command chain at the desk: the operation enforces who holds command, a deputy's
decision records that it was made on the commander's behalf, off-post and hand-over are
refused for people outside the day's chain, and logins count as presence."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from console.domain import command as C
from console.domain.lifecycle import TransitionError
from console.domain.model import Actor, Role
from console.operations import command as command_ops
from console.operations import commander as ops
from console.operations import sessions
from console.operations.duty import DutyError

from .conftest import COMMANDER, LEADER, at, ticket

EXEC = Actor("commander2", "赵指挥", Role.COMMANDER, "WS-2")
DAY = "2026-11-22"


def chain_extra():
    return [{"seq": 0, "kind": "roster", "op": "upsert", "id": f"R{DAY}-xd", "data": {
        "id": f"R{DAY}-xd", "date": DAY, "shift": "all", "role": "executive_deputy",
        "person_id": "commander2", "name": "赵指挥", "phone": ""}}]


@pytest.fixture
def hall(make_store):
    t = ticket("registered", created=at(22, 9), deadline=at(22, 20), needs_commander=True,
               commander_reason="escalate", name="无证设摊")
    return make_store([t], chain_extra()), t


def test_the_executive_deputy_decides_only_once_the_commander_is_off_post(hall):
    store, t = hall
    now = at(22, 10)
    sessions.session_opened(store, COMMANDER, now - 60)
    sessions.session_opened(store, EXEC, now - 60)
    held = command_ops.command_now(store, now)
    assert isinstance(held, C.Holder) and held.person_id == "commander1" and not held.acting

    with pytest.raises(TransitionError) as refused:
        ops.decide(store, EXEC, t.id, "instruct", "立即处置", now)
    assert refused.value.code == "no_command_authority" and "指挥长王指挥" in refused.value.message
    with store.session() as s:   # nothing stored half-done
        assert s.execute(text("SELECT count(*) FROM outbox WHERE verb='instruct'")).scalar() == 0

    command_ops.set_post(store, COMMANDER, C.OFF_POST, now + 60, note="赴现场")
    held = command_ops.command_now(store, now + 120)
    assert (held.person_id, held.acting) == ("commander2", True)

    with pytest.raises(TransitionError):
        ops.decide(store, COMMANDER, t.id, "instruct", "我来批", now + 120)
    ops.decide(store, EXEC, t.id, "instruct", "立即处置", now + 120)
    with store.session() as s:
        params = json.loads(s.execute(text("SELECT params FROM outbox WHERE verb='instruct'")).scalar())
        lines = [r[0] for r in s.execute(text("SELECT text FROM duty_log ORDER BY id"))]
        marks = [json.loads(r[0])["data"] for r in s.execute(text(
            "SELECT params FROM outbox WHERE verb='duty_record' ORDER BY seq"))
            if json.loads(r[0])["kind"] == "command"]
    assert params["authority"] == "代行指挥长职责（常务副指挥长）"
    assert any("指挥长王指挥离岗（赴现场），指挥权由常务副指挥长赵指挥代行" in x for x in lines)
    assert any(x.startswith("批示") and "代行指挥长职责（常务副指挥长），代王指挥决策" in x for x in lines)
    assert [m["event"] for m in marks] == ["login", "login", "off_post"]

    command_ops.set_post(store, COMMANDER, C.ON_POST, now + 600)
    assert command_ops.command_now(store, now + 660).person_id == "commander1"


def test_logging_out_everywhere_passes_command_after_the_grace(hall):
    store, _ = hall
    now = at(22, 10)
    sessions.session_opened(store, COMMANDER, now - 60)
    sessions.session_opened(store, EXEC, now - 60)
    sessions.session_closed(store, COMMANDER, now, "quit")
    assert command_ops.command_now(store, now + 60, absent_after_s=600).person_id == "commander1"
    held = command_ops.command_now(store, now + 601, absent_after_s=600)
    assert held.person_id == "commander2" and held.acting
    sessions.session_closed(store, EXEC, now + 700, "quit")
    gap = command_ops.command_now(store, now + 700 + 601, absent_after_s=600)
    assert isinstance(gap, C.CommandGap) and "当前无人持有指挥权" in gap.message


def test_hand_over_names_the_next_holder_and_outsiders_are_refused(hall):
    store, _ = hall
    now = at(22, 10)
    with pytest.raises(DutyError, match="不在今日的指挥体系"):
        command_ops.set_post(store, LEADER, C.OFF_POST, now)
    sessions.session_opened(store, COMMANDER, now - 60)
    with pytest.raises(DutyError, match="另一人"):
        command_ops.set_post(store, COMMANDER, C.HANDOVER, now, to="leader1")
    with pytest.raises(DutyError, match="接替人须已登录"):   # the deputy is not in the hall
        command_ops.set_post(store, COMMANDER, C.HANDOVER, now, to="commander2")
    sessions.session_opened(store, EXEC, now)
    command_ops.set_post(store, COMMANDER, C.HANDOVER, now + 1, to="commander2")
    assert command_ops.command_now(store, now + 2).person_id == "commander2"


def test_the_inbox_follows_the_holder_on_the_deputys_screen(hall, make_ctx, qtbot):
    from views.commander import COMMAND_REFRESH_MS, CommanderPanel

    from .conftest import FakeClock

    store, t = hall
    clock = FakeClock(at(22, 10))
    sessions.session_opened(store, COMMANDER, at(22, 9))
    sessions.session_opened(store, EXEC, at(22, 9))
    panel = CommanderPanel(make_ctx(store, clock, actor=EXEC))
    qtbot.addWidget(panel)
    assert "指挥长 王指挥" in panel.command_label.text()
    panel.inbox.selectRow(0)
    assert not panel.decide_button.isEnabled()
    assert "指挥权现由指挥长王指挥持有" in panel.decide_button.toolTip()
    assert panel.hand_over_button.isVisible() is False or not panel.hand_over_button.isEnabled()

    # the commander leaves the hall: off post at their own desk
    command_ops.set_post(store, COMMANDER, C.OFF_POST, at(22, 10, 1))
    clock.set(at(22, 10, 2))
    # the change reaches this desk through the journal (a poll, or hall mode's wake-up);
    # without any change the panel re-reads command at least once a minute
    assert panel._command_timer.isActive() and COMMAND_REFRESH_MS <= 60_000
    panel.ctx.journal.poke()
    qtbot.waitUntil(lambda: "常务副指挥长 赵指挥" in panel.command_label.text(), timeout=5000)
    assert "代行指挥长职责" in panel.command_label.text()
    panel.inbox.selectRow(0)
    qtbot.waitUntil(panel.decide_button.isEnabled, timeout=5000)
    panel.decide(t.id, "instruct", "请城管中队到场")
    with store.session() as s:
        qtbot.waitUntil(lambda: s.execute(text("SELECT count(*) FROM outbox WHERE verb='instruct'")).scalar() == 1,
                        timeout=5000)
        params = json.loads(s.execute(text("SELECT params FROM outbox WHERE verb='instruct'")).scalar())
    assert params["authority"] == "代行指挥长职责（常务副指挥长）"
