"""Switch user / lock screen without restarting, confirmation before quitting, and a
warning when the person logging in is not on duty now."""

from __future__ import annotations

import argparse
import json

from PySide6.QtWidgets import QMessageBox

from console import composition
from localdb import repo
from tests.shell.conftest import DAY_EPOCH


def _comp(qapp, paths, settings, store, ctx) -> composition.ConsoleApp:
    args = argparse.Namespace(workstation="ws-test", demo=False, user=None, pin=None, snapshot=None,
                              quit_after=None, token=None)
    c = composition.ConsoleApp(qapp, args, paths, settings, started=0.0)
    c.store, c.ctx, c.tasks = store, ctx, ctx.tasks
    return c


def _sessions(store) -> list[tuple[str, str, dict]]:
    with store.session() as s:
        return [(r["action"], r["actor_id"], json.loads(r["details"] or "{}")) for r in repo.audit_log(s)
                if r["action"].startswith("session_")]


def test_ctrl_l_hands_the_desk_to_the_next_officer(qapp, qtbot, paths, settings, store, ctx):
    c = _comp(qapp, paths, settings, store, ctx)
    first = ctx.actor
    c.show_window(first)
    qtbot.addWidget(c.window)
    old_window = c.window
    assert old_window.action_lock.shortcut().toString() == "Ctrl+L"
    old_window.action_lock.trigger()
    dlg = c.login_dialog
    assert dlg is not None and dlg.locked_by == first.name and not old_window.isVisible()
    dlg.reject()  # a locked screen cannot be dismissed
    assert dlg.result() == 0 and not old_window.isVisible()
    dlg.user_edit.setText("leader1")
    dlg.pin_edit.setText("1234")
    assert dlg.try_login()
    assert ctx.actor.user_id == "leader1" and c.window is not old_window and c.window.isVisible()
    qtbot.addWidget(c.window)
    assert "值班长1" in c.window.user_label.text()
    log = _sessions(store)
    assert ("session_close", "officer1", {"workstation": "ws-test", "reason": "lock"}) in log
    # the leader logged in at the login dialog's first offer for them: the leader post
    assert ("session_open", "leader1", {"workstation": "ws-test", "previous": "officer1",
                                        "post": "shift_leader"}) in log
    assert [a for a, _u, _d in log][-2:] == ["session_close", "session_open"]


def test_same_officer_unlocks_the_same_window(qapp, qtbot, paths, settings, store, ctx):
    c = _comp(qapp, paths, settings, store, ctx)
    c.show_window(ctx.actor)
    qtbot.addWidget(c.window)
    w = c.window
    c.lock()
    c.login_dialog.user_edit.setText("officer1")
    c.login_dialog.pin_edit.setText("1234")
    assert c.login_dialog.try_login()
    assert c.window is w and w.isVisible()


def test_login_warns_when_not_on_duty_now(qtbot, store):
    from views.login import LoginDialog

    dlg = LoginDialog(store, "ws-test", clock=lambda: DAY_EPOCH)
    qtbot.addWidget(dlg)
    got = []
    dlg.sig_logged_in.connect(got.append)
    dlg.user_edit.setText("officer2")  # a user, but not on today's day-shift roster
    dlg.pin_edit.setText("1234")
    assert not dlg.try_login()
    assert "赵信息员" in dlg.message_label.text() and not got
    assert dlg.login_button.text() != "Log in"
    assert dlg.try_login()  # "log in anyway", without typing the PIN again
    assert got and got[0].user_id == "officer2"
    # on duty: no question
    dlg2 = LoginDialog(store, "ws-test", clock=lambda: DAY_EPOCH)
    qtbot.addWidget(dlg2)
    dlg2.user_edit.setText("officer1")
    dlg2.pin_edit.setText("1234")
    assert dlg2.try_login()


def test_ctrl_q_asks_before_quitting(make_window, qtbot):
    w = make_window(panels=())
    w.show()
    assert w.action_quit.shortcut().toString() == "Ctrl+Q"
    w.action_quit.trigger()
    box = w.quit_box
    assert isinstance(box, QMessageBox) and w.isVisible()
    keep = [b for b in box.buttons() if b is not w.quit_yes][0]
    keep.click()
    assert w.isVisible()
    w.action_quit.trigger()
    w.quit_yes.click()
    qtbot.waitUntil(lambda: not w.isVisible())
