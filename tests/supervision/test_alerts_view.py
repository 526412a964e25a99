"""The open-alerts panel: a ticket five minutes from its limit makes the shift leader's
desk speak up; unanswered, the commander's desk does too; the commander acknowledges at
their desk and the alert leaves the leader's desk as well (two desks on one store, as
in the hall)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt

from console.domain import supervision as SV
from tests.commander.conftest import COMMANDER, LEADER, FakeClock, at, ticket

POLICY = SV.Policy(chain=("shift_leader", "commander"), interval_s=300.0, hall_lead_s=600.0)


def test_alert_climbs_to_the_commander_and_an_ack_there_clears_the_leaders_desk(qtbot, make_store, make_ctx):
    from views.supervision import SupervisionAlertsView

    t = ticket("handling", created=at(3, 8), deadline=at(3, 16), updated_at=at(3, 15, 50))
    t = t.__class__.from_dict({**t.to_dict(), "id": str(uuid.uuid4())})
    store = make_store([t])
    clock = FakeClock(at(3, 15, 55))  # five minutes before the limit
    leader_ctx, cmd_ctx = make_ctx(store, clock, LEADER), make_ctx(store, clock, COMMANDER)
    toasts = {"leader": [], "commander": []}
    leader_ctx.notify.sig_toast.connect(lambda title, text, snd: toasts["leader"].append((title, text, snd)))
    cmd_ctx.notify.sig_toast.connect(lambda title, text, snd: toasts["commander"].append((title, text, snd)))
    leader = SupervisionAlertsView(leader_ctx, policy=POLICY, scan_ms=0)
    cmd = SupervisionAlertsView(cmd_ctx, policy=POLICY, scan_ms=0)
    qtbot.addWidget(leader)
    qtbot.addWidget(cmd)

    leader.scan()
    qtbot.waitUntil(lambda: leader.table.rowCount() == 1)
    assert toasts["leader"] and toasts["leader"][0][2] is True  # with sound
    assert t.number in toasts["leader"][0][1]
    cmd.scan()  # the commander's desk sees the alert; the reminder went to the leader already
    assert toasts["commander"] == []
    clock.set(at(3, 16, 0, 1))  # five minutes later: unanswered, it climbs; the limit passed too
    cmd.scan()
    qtbot.waitUntil(lambda: cmd.table.rowCount() == 2)
    assert any("即将超时" in title or "即将超时" in text for title, text, _ in toasts["commander"])

    assert cmd.rows[0]["kind"] == "overdue"  # newest first
    cmd.table.setCurrentCell(1, 0)  # the warning
    cmd.table.setFocus()
    qtbot.keyClick(cmd.table, Qt.Key.Key_A)  # the acknowledge key
    qtbot.waitUntil(lambda: cmd.table.rowCount() == 1)
    leader.reload()  # the leader's desk (the journal report does this in the running console)
    assert leader.table.rowCount() == 1
    with store.session() as s:
        from localdb import repo_supervision as repo

        acked = [a for a in repo.all_alerts(s) if a["acked_at"] is not None]
    assert [(a["kind"], a["acked_by"]) for a in acked] == [("warning", COMMANDER.user_id)]


def test_a_backlog_of_alerts_is_one_counting_notice_not_a_stack_of_toasts(qtbot, make_store, make_ctx):
    from views.supervision import TOASTS_PER_SCAN, SupervisionAlertsView

    late = [ticket("handling", created=at(3, 8), deadline=at(3, 9), updated_at=at(3, 9)) for _ in range(6)]
    late = [t.__class__.from_dict({**t.to_dict(), "id": str(uuid.uuid4()), "number": f"HP-LATE-{i}"})
            for i, t in enumerate(late)]
    store = make_store(late)
    ctx = make_ctx(store, FakeClock(at(3, 15, 55)), LEADER)
    toasts = []
    ctx.notify.sig_toast.connect(lambda title, text, snd: toasts.append((title, text)))
    ctx.notify.sig_toast_keyed.connect(lambda _key, title, text, snd: toasts.append((title, text)))
    view = SupervisionAlertsView(ctx, policy=POLICY, scan_ms=0)
    qtbot.addWidget(view)
    view.scan()
    qtbot.waitUntil(lambda: view.table.rowCount() >= 6)
    assert len(late) > TOASTS_PER_SCAN and len(toasts) == 1
    title, text = toasts[0]
    assert title.startswith(str(view.table.rowCount())) and "已超时" in text


def test_backlog_notices_of_successive_scans_update_one_toast(qtbot):
    """A feed catching up gives several backlog scans in a row: the hall sees one notice
    with the running count, not a stack of them over the panels."""
    from PySide6.QtWidgets import QMainWindow

    from widgets.toast import ToastManager

    win = QMainWindow()
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    toasts = ToastManager(win, seconds=60)
    first = toasts.show_keyed("supervision-backlog", "12 条警示待确认", "已超时 12")
    again = toasts.show_keyed("supervision-backlog", "30 条警示待确认", "已超时 20，即将超时 10")
    other = toasts.show_toast("警示：已超时", "HP-1")
    assert again is first and len(toasts.visible_toasts()) == 2
    assert first.title_label.text() == "30 条警示待确认" and first.text_label.text().endswith("即将超时 10")
    # stacked without overlap: each toast's wrapped text fits in the height it was given
    assert first.height() >= first.heightForWidth(first.width())
    assert first.geometry().bottom() < other.geometry().top()
