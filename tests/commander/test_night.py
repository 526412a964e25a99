"""The night hand-off (三班二运转): at the end of the evening shift the leader hands the live
video watch to the police station with a signed record; overnight the urgent arrivals go
on the night list; at 07:00 the morning crew takes the watch back and sees everything that
came in."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from console.domain.model import Channel, Priority
from console.operations import night
from console.operations.auth import AuthRefused
from console.operations.duty import DutyError
from localdb.feed import apply_changes
from tests.domain.test_duty_pattern import THREE

from .conftest import LEADER, OFFICER, at, ticket


def pattern_change():
    return [{"seq": 0, "kind": "duty_pattern", "op": "upsert", "id": "street", "data": THREE}]


def arrive(store, *tickets, seq=10_000):
    apply_changes(store, [{"seq": seq + i, "kind": "ticket", "op": "upsert", "id": t.id, "data": t.to_dict()}
                          for i, t in enumerate(tickets)], f"c{seq}")


def test_hand_off_at_23_and_take_back_at_07_with_everything_that_came_in(make_store):
    key = ticket("handling", created=at(22, 9), deadline=at(23, 2), key_supervision=True, name="井盖缺失")
    plain = ticket("registered", created=at(22, 10), deadline=at(22, 18), name="暴露垃圾")
    store = make_store([key, plain], pattern_change())

    with pytest.raises(DutyError, match="末班结束前30分钟内"):
        night.hand_off(store, LEADER, "leader1", "1234", at(22, 14))
    with pytest.raises(DutyError, match="只有值班长或指挥长"):
        night.hand_off(store, OFFICER, "officer1", "1234", at(22, 22, 40))
    with pytest.raises(AuthRefused):
        night.hand_off(store, OFFICER, "leader1", "0000", at(22, 22, 40))
    assert night.night_watch(store) is None

    wid = night.hand_off(store, OFFICER, "leader1", "1234", at(22, 22, 45), layouts=["2x2"])
    w = night.night_watch(store)
    assert (w["id"], w["station"], w["handed_by"], w["shift_date"]) == (wid, "上钢新村派出所", "leader1", "2026-11-22")
    assert [u["number"] for u in w["details"]["open_urgent"]] == [key.number]
    assert w["details"]["open_urgent"][0]["why"] == "重点监管"
    assert w["details"]["layouts"] == ["2x2"] and w["details"]["cameras"]
    with store.session() as s:
        recs = [json.loads(r[0]) for r in s.execute(text(
            "SELECT params FROM outbox WHERE verb='duty_record' ORDER BY seq"))]
    nw = [r for r in recs if r["kind"] == "night_watch"]
    # the record is made in the name of the leader who signed with their own PIN (and
    # signed with their key where the account has one: localdb.actions.signed)
    assert nw and nw[0]["actor"]["user_id"] == "leader1" and nw[0]["data"]["details"]["signed_by"] == "leader1"
    assert nw[0]["data"]["details"]["workstation_actor"] == "officer1"
    with pytest.raises(DutyError, match="已转接"):
        night.hand_off(store, LEADER, "leader1", "1234", at(22, 23, 5))

    # overnight: an IoT alarm ticket, a 特急 one and an ordinary one arrive
    iot = ticket("pending", created=at(23, 1), channel=Channel.IOT_ALARM, name="烟感报警")
    hot = ticket("pending", created=at(23, 2), priority=Priority.CRITICAL, name="燃气泄漏")
    calm = ticket("pending", created=at(23, 3), name="乱张贴")
    arrive(store, iot, hot, calm)
    listed = night.night_list(store, at(23, 4))
    assert [(r["number"], r["why"]) for r in listed] == [(iot.number, "物联感知告警"), (hot.number, "特急")]

    summary = night.take_back(store, LEADER, "leader2", "1234", at(23, 7, 5))
    assert summary["arrived"] == 3 and [u["number"] for u in summary["urgent"]] == [iot.number, hot.number]
    assert night.night_watch(store) is None and night.night_list(store, at(23, 8)) == []
    with pytest.raises(DutyError, match="无需收回"):
        night.take_back(store, LEADER, "leader2", "1234", at(23, 7, 6))
    with store.session() as s:
        lines = [r[0] for r in s.execute(text("SELECT text FROM duty_log WHERE kind='night' ORDER BY id"))]
    assert lines[0].startswith("图像监控转接上钢新村派出所") and "未结紧急工单1件" in lines[0]
    assert lines[1] == "从上钢新村派出所收回图像监控：夜间新到工单3件，其中紧急2件，物联告警0条"


def test_a_street_staffed_around_the_clock_has_no_hand_off(make_store):
    store = make_store([])
    with pytest.raises(DutyError, match="7×24小时值守，夜间无需转接"):
        night.hand_off(store, LEADER, "leader1", "1234", at(22, 22, 45))


def test_the_snapshot_line_names_the_pattern_the_holder_and_the_night_watch(make_store, make_ctx):
    from console import snapshot
    from console.operations import sessions
    from tests.commander.test_command_chain import EXEC, chain_extra

    from .conftest import COMMANDER, FakeClock

    store = make_store([], pattern_change() + chain_extra())
    clock = FakeClock(at(22, 22, 40))
    ctx = make_ctx(store, clock)
    info = snapshot.collect(ctx, None)
    assert (info["duty_pattern"], info["command_holder"], info["night_watch"]) == \
        ("three_crews_two_shifts", None, None)          # nobody of the chain in the hall yet
    sessions.session_opened(store, EXEC, at(22, 22, 30))
    info = snapshot.collect(ctx, None)
    assert info["command_holder"] == {"name": "赵指挥", "role": "executive_deputy", "acting": True}
    sessions.session_opened(store, COMMANDER, at(22, 22, 35))
    assert snapshot.collect(ctx, None)["command_holder"]["acting"] is False
    night.hand_off(store, LEADER, "leader1", "1234", at(22, 22, 45))
    clock.set(at(23, 1))
    assert snapshot.collect(ctx, None)["night_watch"] == {"station": "上钢新村派出所", "handed_by": "leader1",
                                                         "since": at(22, 22, 45)}


def test_officers_drive_the_night_hand_off_and_the_morning_take_back_in_the_panel(make_store, make_ctx, qtbot):
    from views.night_watch import NightWatchView

    from .conftest import FakeClock

    key = ticket("handling", created=at(22, 9), deadline=at(23, 2), key_supervision=True, name="井盖缺失")
    store = make_store([key], pattern_change())
    clock = FakeClock(at(22, 14))
    view = NightWatchView(make_ctx(store, clock, actor=LEADER))
    qtbot.addWidget(view)
    assert not view.hand_off_button.isEnabled() and "30分钟" in view.hand_off_button.toolTip()
    assert "23:00" in view.status.text() and "上钢新村派出所" in view.status.text()

    clock.set(at(22, 22, 45))
    view.reload()
    assert view.hand_off_button.isEnabled() and not view.take_back_button.isEnabled()
    with qtbot.waitSignal(view.sig_night_mode, timeout=5000) as mode:
        view.hand_off("leader1", "1234", layouts=("2x2",))
    assert mode.args == [True]
    assert "上钢新村派出所" in view.status.text() and "leader1" in view.status.text()
    assert view.take_back_button.isEnabled() and not view.hand_off_button.isEnabled()

    clock.set(at(23, 2))
    arrive(store, ticket("pending", created=at(23, 1), channel=Channel.IOT_ALARM, name="烟感报警"),
           ticket("pending", created=at(23, 1, 30), name="乱张贴"))
    toasts = []
    view.ctx.notify.sig_toast.connect(lambda title, text, sound: toasts.append(text))
    view.ctx.journal.poke()
    qtbot.waitUntil(lambda: view.table.rowCount() == 1, timeout=5000)
    assert len(toasts) == 1 and toasts[0].startswith("物联感知告警：")   # the on-call leader is alerted
    view.reload()
    assert len(toasts) == 1                                             # once
    assert view.table.item(0, 2).text() == "物联感知告警"

    clock.set(at(23, 7, 2))
    with qtbot.waitSignal(view.sig_night_mode, timeout=5000) as mode:
        view.take_back("leader2", "1234")
    assert mode.args == [False]
    assert view.summary["arrived"] == 2
    assert view.summary_label.text() and "（物联感知告警）" in view.summary_label.text()
    assert view.table.rowCount() == 0


def test_the_status_line_knows_night_mode(make_store):
    from console.qt.duty import duty_now

    store = make_store([], pattern_change())
    assert duty_now(store, at(22, 22, 50)).night_watch == ""
    night.hand_off(store, LEADER, "leader1", "1234", at(22, 22, 50))
    d = duty_now(store, at(23, 1))
    assert (d.shift, d.staffed, d.pattern, d.night_watch) == ("night", False, "三班二运转", "上钢新村派出所")


def test_another_desks_night_record_arrives_and_the_morning_handover_counts_the_night(make_store):
    from console import handover as H
    from localdb import repo_commander as rc

    store = make_store([], pattern_change())
    d = {"id": "w1", "shift_date": "2026-11-22", "station": "上钢新村派出所", "handed_by": "leader2",
         "handed_at": at(22, 22, 55), "details": {"cameras": ["C1"]}}
    item = {"seq": 5000, "kind": "duty_record", "op": "upsert", "id": "r1", "data": {
        "record_id": "r1", "kind": "night_watch", "data": d, "issued_at": d["handed_at"],
        "actor": {"user_id": "leader2", "name": "值班长2", "role": "shift_leader", "workstation": "WS-9"}}}
    apply_changes(store, [item], "c-n1")
    assert night.night_watch(store)["handed_by"] == "leader2"          # night mode on this desk too
    back = {**d, "taken_back_by": "leader1", "taken_back_at": at(23, 7, 5),
            "summary": {"arrived": 4, "urgent": [{"id": "x"}], "alarms": 1}}
    apply_changes(store, [{**item, "seq": 5001, "id": "r2", "data": {**item["data"], "record_id": "r2", "data": back}}],
                  "c-n2")
    apply_changes(store, [{**item, "seq": 5002, "id": "r3"}], "c-n3")   # an older copy does not reopen it
    assert night.night_watch(store) is None
    with store.session() as s:
        assert rc.night_watch(s, "w1")["taken_back_by"] == "leader1"
    rec = H.build_record(store, at(23, 14, 50))                          # the morning shift's handover
    assert rec["night"]["arrived"] == 4 and rec["night"]["urgent"] == 1
    assert "由leader1收回，夜间新到工单4件，其中紧急1件" in dict(H.sections(rec))["夜间转接"]
