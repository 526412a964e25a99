"""Emergency switch: checklist countdowns turn red when overdue; the summary is logged."""

from __future__ import annotations

from PySide6.QtCore import Qt

from localdb import repo_commander as rc
from tests.factories import SCENE

from .conftest import COMMANDER, FakeClock, at

T0 = at(22, 10)


def test_checklist_item_turns_overdue_and_switch_back_logs_summary(make_store, make_ctx, qtbot):
    from views.emergency import RED, EmergencyView

    store = make_store()
    clock = FakeClock(T0)
    ctx = make_ctx(store, clock, actor=COMMANDER)
    notices = []
    ctx.notify.sig_message.connect(lambda _level, text: notices.append(text))
    view = EmergencyView(ctx)
    qtbot.addWidget(view)
    assert view.active is None and view.start_button.isVisibleTo(view)
    with qtbot.waitSignal(ctx.bus.sig_emergency, timeout=1000) as sig:
        view.start("fire", "济阳路小区火情", "III", *SCENE, address="济阳路100号", location_source="address")
    inc = sig.args[0]
    assert (inc["type"], inc["level"], inc["title"], inc["started_at"]) == ("fire", "III", "济阳路小区火情", T0)
    assert (inc["lat"], inc["lon"], inc["plan_id"], inc["plan_version"]) == (*SCENE, "plan-fire", 1)
    assert inc["profile"]["wall_layout"] == "1+5" and inc["profile"]["ring_m"] == [100, 300, 800]
    assert view.table.rowCount() == 8
    assert view.item_states() == ["open"] * 8
    assert view.table.item(0, 2).text() == "05:00" and view.table.item(3, 1).text() == "联勤联动站"

    clock.set(T0 + 4 * 60 + 59)
    view.tick()
    assert view.item_states()[0] == "open" and view.table.item(0, 2).text() == "00:01"
    clock.set(T0 + 5 * 60 + 1)
    view.tick()
    assert view.item_states()[:2] == ["overdue", "open"]
    assert view.table.item(0, 0).foreground().color() == RED
    assert view.table.item(0, 2).text() == "-00:01"
    assert "00:05:01" in view.header.text() or "05:01" in view.header.text()

    clock.set(T0 + 6 * 60)
    view.table.item(1, 0).setCheckState(Qt.CheckState.Checked)  # the officer ticks "video conference"
    items = view.items
    assert items[1]["done_by"] == COMMANDER.user_id and items[1]["done_at"] == T0 + 360
    assert view.table.item(1, 3).text() == "王指挥"
    assert view.item_states()[:2] == ["overdue", "done"]
    clock.set(T0 + 8 * 60)
    view.check(0)
    assert view.item_states()[0] == "done_late"

    clock.set(T0 + 40 * 60)
    view.tick()
    assert view.item_states()[2] == "overdue"  # report to the district: 30 minutes
    view.end("火已扑灭")  # six items still open: refused, nothing ends
    assert view.active is not None and "请填写未完成的原因" in notices[-1]
    with qtbot.waitSignal(ctx.bus.sig_emergency_end, timeout=1000):
        view.end("火已扑灭", "消防已到场接管，其余步骤由消防指挥")
    assert view.active is None
    with store.session() as s:
        lines = [r["text"] for r in rc.duty_log(s, T0, T0 + 3600)]
        e = s.execute(__import__("sqlalchemy").text("SELECT summary, ended_at FROM emergencies")).one()
    summary = next(line for line in lines if line.startswith("应急小结："))
    assert "历时40分钟" in summary and "推送现场视频：8分钟完成（commander1，超时）" in summary
    assert "上线视频会议：6分钟完成（commander1）" in summary and "向区城运中心报告：未完成" in summary
    assert e.ended_at == T0 + 2400 and "火已扑灭" in e.summary
    assert "未完成原因：消防已到场接管" in e.summary
    assert lines[0] == "启动应急：济阳路小区火情，启用火灾事故应急预案（第1版），Ⅲ级（较大）响应，地点：济阳路100号（地址）"


def test_panel_shows_banner_for_an_active_emergency(make_store, make_ctx, qtbot):
    from console.operations import commander as ops
    from views.commander import CommanderPanel

    store = make_store()
    ops.start_emergency(store, COMMANDER, "flood", "浦明路积水", "IV", T0, *SCENE, location_source="map")
    ctx = make_ctx(store, FakeClock(T0 + 60))
    got = []
    ctx.bus.sig_emergency.connect(got.append)
    panel = CommanderPanel(ctx)
    qtbot.addWidget(panel)
    assert panel.banner.isVisibleTo(panel) and "浦明路积水" in panel.banner.text()
    assert panel.tabs.currentWidget() is panel.emergency
    assert panel.inbox_rows[0]["reason"] == "emergency"
    assert got and got[0]["type"] == "flood"
