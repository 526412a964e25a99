"""Duty log entries typed by an officer and merged alarms; the decision dialog's choices;
the charts through the real worker pool."""

from __future__ import annotations

from PySide6.QtCore import Qt

from console.domain.model import Role

from .conftest import COMMANDER, LEADER, OFFICER, FakeClock, at, ticket


def _alarm(aid: str, sensor: str, raised: float) -> dict:
    return {"seq": 0, "kind": "alarm", "op": "upsert", "id": aid, "data": {
        "id": aid, "sensor_id": sensor, "type": "smoke", "lat": 31.18, "lon": 121.49,
        "raised_at": raised, "cleared_at": None, "ticket_id": None, "level": "high"}}


def test_officer_writes_the_duty_log_and_alarms_appear(make_store, make_ctx, qtbot):
    from views.duty_log import DutyLogView

    store = make_store(extra=[_alarm("A1", "S001", at(22, 9, 30)), _alarm("A0", "S002", at(22, 6))])
    clock = FakeClock(at(22, 10))
    view = DutyLogView(make_ctx(store, clock, actor=OFFICER))
    qtbot.addWidget(view)
    view.entry.setText("接市民来电：井盖缺失")  # QTest types ASCII only
    qtbot.keyClick(view.entry, Qt.Key.Key_Return)
    assert view.entry.text() == ""
    kinds = [(r["kind"], r["who"]) for r in view.rows]
    texts = [r["text"] for r in view.rows]
    alarms = [r for r in view.rows if r["kind"] == "alarm"]
    assert len(alarms) == 1 and "S001" in alarms[0]["text"]  # the 06:00 alarm was the night shift's
    assert kinds[-1] == ("note", "李信息员") and texts[-1] == "接市民来电：井盖缺失"
    assert view.table.rowCount() == 2
    view.shift_combo.setCurrentIndex(1)  # previous shift: the night of the 21st
    assert [r["kind"] for r in view.rows] == ["alarm"]


def test_decision_dialog_offers_only_allowed_choices(make_store, qtbot):
    from localdb import repo
    from views.commander_decision import DecisionDialog

    t = ticket("registered", created=at(22, 9), deadline=at(22, 17), needs_commander=True,
               commander_reason="escalate")
    store = make_store([t])
    with store.session() as s:
        tk = repo.get_ticket(s, t.id)
    dlg = DecisionDialog(tk, COMMANDER, {"D02": "上钢城管中队"})
    qtbot.addWidget(dlg)
    assert dlg.buttons["instruct"].isEnabled() and dlg.buttons["instruct"].isChecked()
    assert not dlg.buttons["approve_extension"].isEnabled()
    assert "没有待审批的延期申请" in dlg.buttons["approve_extension"].toolTip()
    assert dlg.department.isEnabled()
    dlg._on_accepted()  # no text yet: refused, the dialog stays
    assert dlg.error.text() and dlg.result() == 0
    dlg.text.setPlainText("先行处置")
    dlg.department.setCurrentIndex(1)
    assert dlg.decision() == {"decision": "instruct", "text": "先行处置", "department_id": "D02"}
    leader = DecisionDialog(tk, LEADER, {})
    qtbot.addWidget(leader)
    assert not leader.buttons["instruct"].isEnabled() and LEADER.role == Role.SHIFT_LEADER
    assert "无权批示" in leader.buttons["instruct"].toolTip()


def test_charts_compute_on_the_worker_pool(make_store, qtbot):
    from console.qt.context import AppContext
    from views.charts import ChartsView

    store = make_store([ticket("handling", created=at(22, 1), deadline=at(22, 5))])
    ctx = AppContext(store=store, actor=COMMANDER, clock=FakeClock(at(22, 10)))
    view = ChartsView(ctx)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.sig_updated, timeout=10000) as sig:
        view.refresh()
    assert sig.args[0].overdue == 1 and view.limits.values() == [[0.0, 1.0]]
    assert ctx.tasks.wait(5000)
