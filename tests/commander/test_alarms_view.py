"""The alarm list as an officer drives it: each way of closing an alarm's loop, the overdue
alert, and the vital signs beside it."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import text

from tests.commander.conftest import OFFICER, FakeClock, at, ticket

NOW = at(22, 10)


def _alarm(aid: str, minutes_ago: float, **extra) -> dict:
    return {"seq": 0, "kind": "alarm", "op": "upsert", "id": aid, "data": {
        "id": aid, "sensor_id": "S002", "type": "smoke", "lat": 31.18, "lon": 121.49,
        "raised_at": NOW - minutes_ago * 60, "cleared_at": None, "ticket_id": None, "level": "medium", **extra}}


@pytest.fixture
def view(qtbot, make_store, make_ctx):
    from views.alarms import AlarmsView

    store = make_store([ticket("dispatched", created=NOW - 3600, deadline=NOW + 3600)],
                       extra=[_alarm("AL-old", 40), _alarm("AL-new", 2), _alarm("AL-done", 50, ticket_id="X")])
    ctx = make_ctx(store, FakeClock(NOW), actor=OFFICER)
    toasts = []
    ctx.notify.sig_toast.connect(lambda title, body, _s: toasts.append((title, body)))
    v = AlarmsView(ctx)
    qtbot.addWidget(v)
    v.show()
    v.toasts = toasts
    return v


def _select(view, aid: str) -> None:
    row = next(i for i, a in enumerate(view.model.rows) if a["id"] == aid)
    view.table.selectRow(row)


def _outbox_kinds(view) -> list[str]:
    with view.ctx.store.session() as s:
        rows = s.execute(text("SELECT verb, params FROM outbox ORDER BY seq")).all()
    return [r[0] if r[0] != "duty_record" else json.loads(r[1])["kind"] for r in rows]


def test_open_alarms_listed_oldest_first_and_the_overdue_one_alerts_once(view):
    assert [a["id"] for a in view.model.rows] == ["AL-old", "AL-new"]    # AL-done has a ticket
    assert view.model.data(view.model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is not None  # red
    assert view.model.data(view.model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is None
    assert [t[0] for t in view.toasts] == ["Alarm not answered"] and "烟感2" in view.toasts[0][1]
    view.reload()
    assert len(view.toasts) == 1                                           # not again for the same alarm
    assert not view.dismiss_button.isEnabled()                             # nothing picked, nothing to act on


def test_dismiss_with_a_reason_by_keyboard(view, qtbot, monkeypatch):
    from views import alarms

    def fake_exec(dlg):
        dlg.reason.setCurrentIndex(dlg.reason.findData("maintenance"))
        dlg.note.setText("检修中")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(alarms.DismissDialog, "exec", fake_exec)
    _select(view, "AL-new")
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_D)
    qtbot.waitUntil(lambda: [a["id"] for a in view.model.rows] == ["AL-old"], timeout=5000)
    assert _outbox_kinds(view) == ["alarm_disposition"]
    with view.ctx.store.session() as s:
        row = s.execute(text("SELECT disposition, dismiss_reason, note FROM alarms WHERE id='AL-new'")).one()
    assert tuple(row) == ("dismissed", "maintenance", "检修中")


def test_to_ticket_after_confirming_what_it_will_say(view, qtbot, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    _select(view, "AL-old")
    view.ticket_button.click()
    qtbot.waitUntil(lambda: "AL-old" not in [a["id"] for a in view.model.rows], timeout=5000)
    assert "AL-old" in asked[0]
    assert _outbox_kinds(view) == ["create", "alarm_disposition"]


def test_link_to_a_nearby_ticket_or_refuse_an_unknown_number(view, qtbot, monkeypatch):
    from views import alarms

    errors = []
    view.ctx.notify.sig_message.connect(lambda level, t: errors.append(t) if level == "error" else None)
    monkeypatch.setattr(alarms.LinkDialog, "exec", lambda dlg: (dlg.number.setText("NO-SUCH"),
                                                                QDialog.DialogCode.Accepted)[1])
    _select(view, "AL-old")
    view.link_button.click()
    assert errors and "AL-old" in errors[0] and _outbox_kinds(view) == []
    monkeypatch.setattr(alarms.LinkDialog, "exec", lambda dlg: QDialog.DialogCode.Accepted)  # nearest picked
    _select(view, "AL-old")
    view.link_button.click()
    qtbot.waitUntil(lambda: "AL-old" not in [a["id"] for a in view.model.rows], timeout=5000)
    with view.ctx.store.session() as s:
        linked = s.execute(text("SELECT ticket_id FROM alarms WHERE id='AL-old'")).scalar_one()
        number = s.execute(text("SELECT id FROM tickets")).scalar_one()
    assert linked == number


def test_vital_signs_show_the_store_and_turn_red(qtbot, make_store, make_ctx):
    from views.vital_signs import VitalSignsView

    store = make_store([ticket("dispatched", created=NOW - 7200, deadline=NOW - 60)],
                       extra=[_alarm(f"AL-{i}", 5) for i in range(6)])
    ctx = make_ctx(store, FakeClock(NOW), actor=OFFICER)
    v = VitalSignsView(ctx)
    qtbot.addWidget(v)
    signs = {i.key: i for i in v.indicators}
    assert signs["tickets_open"].value == 1 and signs["tickets_overdue"].value == 1
    assert signs["alarms_open"].value == 6 and signs["alarms_open"].state == "alarm"
    assert v.tiles["alarms_open"].value.text() == "6" and v.tiles["alarms_open"].state == "alarm"
    assert v.tiles["tickets_overdue"].state == "normal"
    assert v.snapshot_info()["vital_signs"] >= 5


def test_the_map_counts_open_alarms_and_opens_the_same_list(qtbot, make_store, make_ctx):
    from views.map_tiles import register_scheme

    register_scheme()
    from views.map import MapPanel

    store = make_store([], extra=[_alarm("AL-a", 40), _alarm("AL-b", 1)])
    ctx = make_ctx(store, FakeClock(NOW), actor=OFFICER)
    from console.settings import Settings

    ctx.settings = Settings()
    panel = MapPanel(ctx)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.alarm_button.text().endswith("(2)"), timeout=10000)
    assert "c62828" in panel.alarm_button.styleSheet()          # one of them is overdue
    panel.open_alarm_list()
    assert [a["id"] for a in panel.alarm_list.model.rows] == ["AL-a", "AL-b"]


def test_an_alarm_for_an_unknown_device_is_listed_marked_and_can_be_answered(qtbot, make_store, make_ctx, monkeypatch):
    from views.alarms import AlarmsView

    store = make_store([], extra=[_alarm("AL-ghost", 3, sensor_id="S-NOT-REGISTERED")])
    ctx = make_ctx(store, FakeClock(NOW), actor=OFFICER)
    v = AlarmsView(ctx)
    qtbot.addWidget(v)
    assert [a["id"] for a in v.model.rows] == ["AL-ghost"]
    assert v.model.data(v.model.index(0, 1)) == "S-NOT-REGISTERED (unregistered device)"
    assert "no record" in v.model.data(v.model.index(0, 1), Qt.ItemDataRole.ToolTipRole)
    known = v.model.rows[0] | {"sensor_known": 1, "sensor_name": "烟感2"}
    v.model.set_rows([known], NOW, v.limit_s())
    assert v.model.data(v.model.index(0, 1)) == "烟感2"
    v.reload()
    qtbot.waitUntil(lambda: v.model.rows and not v.model.rows[0].get("sensor_known"), timeout=5000)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    _select(v, "AL-ghost")
    v.ticket_button.click()
    qtbot.waitUntil(lambda: v.model.rows == [], timeout=5000)
    assert _outbox_kinds(v) == ["create", "alarm_disposition"]
