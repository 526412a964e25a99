"""The 督办 dialog offers a level (街道/区级) and a target: a level without a target is
refused at the dialog with the domain's message; a district one reaches the commander."""

from __future__ import annotations

from localdb import repo
from tests.queue.conftest import make_ctx, ticket_in_state


def test_a_district_urge_from_the_dialog_reaches_the_commander(qtbot, store):
    from views.queue import QueuePanel

    tid = ticket_in_state(store, "dispatched")
    p = QueuePanel(make_ctx(store))
    qtbot.addWidget(p)
    p.select_ticket(tid)
    p.actions.actions["urge"].trigger()
    d = p.actions.dialog
    d.urge_level.setCurrentIndex(d.urge_level.findData("district"))
    d._on_ok_clicked()  # no target
    assert d.urge_error.isVisible() and d.isVisible()
    with store.session() as s:
        assert repo.get_ticket(s, tid).urge_count == 0
    d.urge_target.setText("上钢城管中队")
    d._on_ok_clicked()

    def urged() -> bool:
        with store.session() as s:
            t = repo.get_ticket(s, tid)
            return t.urge_count == 1 and t.commander_reason == "urge_district" and t.needs_commander
    qtbot.waitUntil(urged, timeout=10_000)
