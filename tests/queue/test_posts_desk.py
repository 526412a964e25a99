"""An officer logs in to a post; the queue opens on that post's tabs and offers its actions."""

from __future__ import annotations

from PySide6.QtCore import Qt

from console.domain.model import Role
from tests.queue.conftest import make_ctx, ticket_in_state
from views.login import LoginDialog


def _log_in(qtbot, store, user: str, post: str | None = None):
    dlg = LoginDialog(store, "WS-03")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.user_edit, user)
    if post is not None:
        dlg.set_post(post)
    qtbot.keyClicks(dlg.pin_edit, "1234")
    qtbot.keyClick(dlg.pin_edit, Qt.Key.Key_Return)
    return dlg


def _queue(qtbot, store, actor):
    from views.queue import QueuePanel

    p = QueuePanel(make_ctx(store, actor=actor))
    qtbot.addWidget(p)
    p.show()
    return p


def test_the_leader_logs_in_to_the_leader_post_and_the_queue_opens_on_needs_commander(qtbot, store):
    dlg = _log_in(qtbot, store, "leader1")
    assert dlg.post() == "shift_leader"  # the leader's usual post is offered first
    assert dlg.actor is not None and dlg.actor.post == "shift_leader"
    p = _queue(qtbot, store, dlg.actor)
    assert p.current_tab() == "needs_commander"
    assert p.tab_keys[:2] == ["all", "needs_commander"]


def test_an_officer_cannot_take_the_leader_post_and_is_told_so(qtbot, store):
    dlg = _log_in(qtbot, store, "officer1")
    assert dlg.post_combo.findData("shift_leader") == -1  # not even offered
    assert dlg.actor is not None and dlg.actor.role is Role.OFFICER and dlg.actor.post == "hotline"


def _pick(qtbot, p, ticket_id):
    p.select_ticket(ticket_id)
    qtbot.waitUntil(lambda: p.shown_ticket_id() == ticket_id, timeout=5000)
    p.actions.refresh()


def test_the_technician_desk_holds_back_ticket_verbs(qtbot, store):
    dlg = _log_in(qtbot, store, "officer1", "technician")
    assert dlg.actor.post == "technician"
    p = _queue(qtbot, store, dlg.actor)
    assert p.current_tab() == "mine"
    _pick(qtbot, p, ticket_in_state(store, "pending"))
    accept = p.actions.actions["accept"]
    assert not accept.isEnabled()
    assert accept.data() in ("技术员岗位不提供此操作", "Not offered at the Technician post")


def test_the_same_officer_at_the_grid_desk_may_accept(qtbot, store):
    dlg = _log_in(qtbot, store, "officer1", "grid")
    p = _queue(qtbot, store, dlg.actor)
    assert p.current_tab() == "pending"
    _pick(qtbot, p, ticket_in_state(store, "pending"))
    assert p.actions.actions["accept"].isEnabled(), p.actions.actions["accept"].data()


def test_the_session_record_names_the_post(qtbot, store):
    import json

    from sqlalchemy import select

    from console.operations import sessions
    from localdb.models import AuditLog

    dlg = _log_in(qtbot, store, "officer1", "grid")
    sessions.session_opened(store, dlg.actor, 1795300000.0)
    with store.session() as s:
        details = s.scalars(select(AuditLog.details).where(AuditLog.action == "session_open")).all()
    assert [json.loads(d).get("post") for d in details] == ["grid"]
