"""解除协办 from the action bar as an officer does it: the button opens a form listing the
co-handlers still owing feedback; without a reason the domain's refusal shows at the form and
nothing is sent; with one, the release is queued for the platform (outbox) and the detail
pane shows the co-handler released. A co-handler that answered meanwhile is refused with the
domain's message; a ticket without a pending co-handler has the button disabled, saying why."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from sqlalchemy import text

from console.domain.model import Actor, Role
from console.operations import tickets as ops
from localdb import repo
from tests.queue.conftest import NOW, ticket_in_state
from tests.queue.test_queue_panel import type_chinese


def _joint_ticket(panel, store, n_co=2):
    tid = ticket_in_state(store, "registered")
    with store.session() as s:
        names = {d["id"]: d["name"] for d in repo.departments(s, with_load=False)}
    depts = sorted(names)[: 1 + n_co]
    ops.dispatch(store, panel.ctx.actor, tid, depts[0], NOW, co_handlers=depts[1:])
    return tid, depts, names


def _outbox(store, tid, verb):
    with store.session() as s:
        rows = s.execute(text("SELECT params FROM outbox WHERE ticket_id=:t AND verb=:v ORDER BY seq"),
                         {"t": tid, "v": verb}).scalars().all()
    return [json.loads(r) if isinstance(r, str) else r for r in rows]


def _open_release(panel, qtbot, tid):
    panel.select_ticket(tid)
    qtbot.waitUntil(lambda: panel.detail.ticket is not None and panel.detail.ticket.id == tid, timeout=5000)
    button = panel.detail.buttons["release_co"]
    qtbot.waitUntil(button.isEnabled, timeout=5000)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    dialog = panel.actions.dialog
    assert dialog is not None and dialog.objectName() == "params_release_co"
    return dialog


def _ok(dialog, qtbot):
    qtbot.mouseClick(dialog.buttons.button(dialog.buttons.StandardButton.Ok), Qt.MouseButton.LeftButton)


def test_an_officer_releases_one_co_handler_with_a_reason(panel, store, qtbot):
    tid, depts, names = _joint_ticket(panel, store)
    dialog = _open_release(panel, qtbot, tid)
    offered = [dialog.co_handler.itemData(i) for i in range(dialog.co_handler.count())]
    assert offered == depts[1:]
    assert names[depts[1]] in dialog.co_handler.itemText(0)
    dialog.co_handler.setCurrentIndex(1)
    _ok(dialog, qtbot)                                         # no reason: the domain asks for one
    assert dialog.isVisible() and dialog.co_error.isVisible()
    assert dialog.co_error.text() == "解除协办需要填写原因"
    assert _outbox(store, tid, "release_co") == []
    type_chinese(dialog.text, "现场无环保问题")
    _ok(dialog, qtbot)
    qtbot.waitUntil(lambda: len(_outbox(store, tid, "release_co")) == 1, timeout=10_000)
    params = _outbox(store, tid, "release_co")[0]
    assert params["department_id"] == depts[2] and params["reason"] == "现场无环保问题"
    with store.session() as s:
        t = repo.get_ticket(s, tid)
    assert {c["department_id"]: c["state"] for c in t.co_handlers} == {depts[1]: "pending", depts[2]: "released"}
    flags = panel.detail.fields["flags"]
    qtbot.waitUntil(lambda: f"（{depts[2]}） {panel.detail.tr('released')}" in flags.text(), timeout=10_000)
    assert f"{names[depts[1]]}（{depts[1]}） {panel.detail.tr('waiting')}" in flags.text()
    timeline = panel.detail.timeline
    qtbot.waitUntil(lambda: any("现场无环保问题" in timeline.topLevelItem(i).text(3)
                                for i in range(timeline.topLevelItemCount())), timeout=10_000)
    # the other one can still be released; once none is pending the button says why not
    dialog = _open_release(panel, qtbot, tid)
    assert [dialog.co_handler.itemData(i) for i in range(dialog.co_handler.count())] == [depts[1]]
    type_chinese(dialog.text, "已由牵头部门一并处置")
    _ok(dialog, qtbot)
    button = panel.detail.buttons["release_co"]
    qtbot.waitUntil(lambda: not button.isEnabled(), timeout=10_000)
    assert "该工单没有待反馈的协办部门" in button.toolTip()
    assert len(_outbox(store, tid, "release_co")) == 2


def test_a_co_handler_that_answered_meanwhile_is_refused_at_the_form(panel, store, qtbot):
    tid, depts, names = _joint_ticket(panel, store, n_co=2)
    dialog = _open_release(panel, qtbot, tid)
    assert dialog.co_handler.currentData() == depts[1]
    ops.co_feedback(store, Actor(depts[1], names[depts[1]], Role.DEPARTMENT), tid, depts[1], "已配合查处", NOW + 1)
    type_chinese(dialog.text, "不再需要")
    _ok(dialog, qtbot)
    assert dialog.isVisible()
    assert dialog.co_error.text() == f"协办部门 {depts[1]} 已反馈，无需解除"
    assert _outbox(store, tid, "release_co") == []
    with store.session() as s:
        t = repo.get_ticket(s, tid)
    assert [c["state"] for c in t.co_handlers] == ["answered", "pending"]
