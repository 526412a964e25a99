"""Joint dispatch in the dialog as an officer does it: D, J, Enter sends a ticket to its lead
department with the suggested 2+X co-handler; the ticket carries each co-handler's own state,
and verification is refused (with who is missing) until the co-handler has answered."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.domain import joint, lifecycle
from console.domain.model import Actor, Role
from console.operations import tickets as ops
from localdb import repo
from tests.queue.conftest import ticket_in_state


def test_d_j_enter_dispatches_jointly_and_verification_waits_for_both(panel, store, qtbot):
    tid = ticket_in_state(store, "registered")
    with store.session() as s:
        number = repo.get_ticket(s, tid).number
        names = {d["id"]: d["name"] for d in repo.departments(s, with_load=False)}
    qtbot.keyClick(panel.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.search, number)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.detail.ticket.id == tid
    qtbot.keyClick(panel.table, Qt.Key.Key_D)                               # 1: the dialog
    dialog = panel.actions.dialog
    lead = dialog.selected_department()
    expected_co = dialog.suggested_co()
    _leads, joins = joint.two_plus_x(names)
    assert expected_co and expected_co != lead
    assert expected_co in joins or not set(joins) - {lead}                  # a 2+X joiner when there is one
    qtbot.keyClick(dialog.list, Qt.Key.Key_J)                               # 2: the co-handler
    assert dialog.co_handlers == [expected_co] and names[expected_co] in dialog.co_label.text()
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)                          # 3: dispatch
    qtbot.waitUntil(lambda: repo_state(store, tid) == "dispatched", timeout=5000)
    with store.session() as s:
        t = repo.get_ticket(s, tid)
    assert t.department_id == lead
    assert [(c["department_id"], c["state"]) for c in t.co_handlers] == [(expected_co, "pending")]
    # both answer separately (here the department actions are applied to the store directly)
    ops.handle(store, Actor(lead, names[lead], Role.DEPARTMENT), tid, 2e9)
    ops.feedback(store, Actor(lead, names[lead], Role.DEPARTMENT), tid, "已处置", 2e9 + 1)
    officer = panel.ctx.actor
    with pytest.raises(lifecycle.TransitionError, match=expected_co):
        ops.verify(store, officer, tid, True, 2e9 + 2)
    ops.co_feedback(store, Actor(expected_co, names[expected_co], Role.DEPARTMENT), tid, expected_co,
                    "已配合查处", 2e9 + 3)
    t = ops.verify(store, officer, tid, True, 2e9 + 4)
    assert t.state.value == "verified"


def test_the_lead_cannot_also_co_handle(panel, store, qtbot):
    tid = ticket_in_state(store, "registered")
    from tests.queue.conftest import make_ctx
    from views.dispatch import DispatchDialog

    with store.session() as s:
        t = repo.get_ticket(s, tid)
    dialog = DispatchDialog(make_ctx(store), [t])
    qtbot.addWidget(dialog)
    dialog.toggle_co(dialog.selected_department())
    assert dialog.co_handlers == [] and dialog.co_label.text() == dialog.tr(
        "The lead cannot also co-handle; pick another department")
    qtbot.keyClick(dialog.list, Qt.Key.Key_J)
    co = dialog.co_handlers[0]
    dialog.pick_department(co)                                              # the lead moves onto it
    with qtbot.assertNotEmitted(dialog.sig_joint_dispatch):
        dialog._on_dispatch_clicked()
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.co_label.text() == dialog.tr("The lead cannot also co-handle; pick another department")
    qtbot.keyClick(dialog.list, Qt.Key.Key_Backspace)
    assert dialog.co_handlers == [] and dialog.co_label.text() == ""


def repo_state(store, tid):
    with store.session() as s:
        return repo.get_ticket(s, tid).state.value


def test_the_detail_pane_shows_each_co_handler(panel, store, qtbot):
    tid = ticket_in_state(store, "registered")
    with store.session() as s:
        depts = [d["id"] for d in repo.departments(s, with_load=False)][:3]
    ops.dispatch(store, panel.ctx.actor, tid, depts[0], 2e9, co_handlers=depts[1:])
    ops.co_feedback(store, Actor(depts[1], "x", Role.DEPARTMENT), tid, depts[1], "已配合", 2e9 + 1)
    panel.detail.show_ticket(tid)
    text = panel.detail.fields["flags"].text()
    assert f"（{depts[1]}） {panel.detail.tr('answered')}" in text and f"（{depts[2]}） {panel.detail.tr('waiting')}" in text
