"""Decisions show what they decide: approving an extension shows the hours, the reason,
who asked, and asks to confirm; the pane says who may decide."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox

from console.operations import tickets as tops
from localdb import repo
from localdb import repo_queue as rq
from tests.queue.conftest import LEADER, NOW, OFFICER, make_ctx, ticket_in_state

DAY = NOW + 4 * 3600  # 2026-11-22 10:26 Shanghai: the day shift, leader1 on duty


def test_extension_approval_shows_hours_reason_who_and_asks(qtbot, store):
    from views.queue import QueuePanel

    tid = ticket_in_state(store, "dispatched")
    with store.session() as s:
        before = repo.get_ticket(s, tid)
    tops.request_extension(store, OFFICER, tid, 30.0, "材料未到，需延期", NOW - 600)
    ctx = make_ctx(store, actor=LEADER)
    ctx.clock = lambda: DAY  # leader1 decides on their own (day) shift
    p = QueuePanel(ctx)
    qtbot.addWidget(p)
    p.select_ticket(tid)
    flags = p.detail.fields["flags"].text()
    assert "30" in flags and "shift leader" in flags  # not "waiting for the commander"
    p.actions.trigger("approve_extension")
    d = p.actions.dialog
    assert d is not None, "approval must ask first"
    text = d.summary.text()
    assert before.number in text and "30" in text and "材料未到，需延期" in text
    with store.session() as s:
        req = repo.get_ticket(s, tid).extension_request
        names = rq.department_names(s)
    assert req is not None  # nothing decided yet
    assert names.get(req["by"], req["by"]) in text
    notices = []
    ctx.notify.sig_message.connect(lambda level, msg: notices.append(msg))
    d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    with store.session() as s:
        t = repo.get_ticket(s, tid)
    assert t.extension_request is None and t.deadline > before.deadline
    assert any(before.number in n for n in notices)


def test_cancelled_approval_changes_nothing(qtbot, store):
    from views.queue import QueuePanel

    tid = ticket_in_state(store, "dispatched")
    tops.request_extension(store, OFFICER, tid, 12.0, "等待配件", NOW - 600)
    p = QueuePanel(make_ctx(store, actor=LEADER))
    qtbot.addWidget(p)
    p.select_ticket(tid)
    p.actions.trigger("approve_extension")
    p.actions.dialog.reject()
    with store.session() as s:
        assert repo.get_ticket(s, tid).extension_request is not None
