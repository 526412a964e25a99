"""Login against the users table: right PIN accepted, wrong refused with a message."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console.operations.auth import AuthRefused
from console.domain.model import Role
from console.qt.duty import authenticate
from views.login import LoginDialog


def test_authenticate_checks_the_pin(store):
    actor = authenticate(store, "leader1", "1234", "ws-1")
    assert actor is not None and actor.role is Role.SHIFT_LEADER and actor.workstation == "ws-1"
    with pytest.raises(AuthRefused) as wrong:
        authenticate(store, "leader1", "4321", "ws-1")
    assert wrong.value.code == "wrong_pin"
    with pytest.raises(AuthRefused) as unknown:
        authenticate(store, "nobody", "1234", "ws-1")
    assert unknown.value.code == "unknown_user"


def test_login_accepts_right_pin(qtbot, store):
    dlg = LoginDialog(store, "ws-7")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.user_edit, "officer1")
    assert dlg.role_label.text().endswith(("平台信息员", "Platform information officer"))
    qtbot.keyClicks(dlg.pin_edit, "1234")
    with qtbot.waitSignal(dlg.sig_logged_in, timeout=1000) as blocker:
        qtbot.keyClick(dlg.pin_edit, Qt.Key.Key_Return)
    actor = blocker.args[0]
    assert (actor.user_id, actor.name, actor.role, actor.workstation) == ("officer1", "李信息员", Role.OFFICER, "ws-7")
    assert dlg.result() == LoginDialog.DialogCode.Accepted


def test_login_refuses_wrong_pin_with_a_message(qtbot, store):
    dlg = LoginDialog(store, "ws-7")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.keyClicks(dlg.user_edit, "officer1")
    qtbot.keyClicks(dlg.pin_edit, "0000")
    with qtbot.assertNotEmitted(dlg.sig_logged_in):
        dlg.login_button.click()
    assert dlg.message_label.text() in ("用户名或密码错误。", "Wrong user ID or PIN.")
    assert dlg.pin_edit.text() == ""  # never left in the field
    assert dlg.actor is None and dlg.isVisible()


def test_demo_mode_lists_accounts(qtbot, store):
    dlg = LoginDialog(store, "ws-7", demo=True, demo_pin="1234")
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.demo_list.isVisible()
    assert dlg.demo_list.count() == 5
    item = next(dlg.demo_list.item(i) for i in range(dlg.demo_list.count())
                if dlg.demo_list.item(i).data(Qt.ItemDataRole.UserRole) == "commander1")
    dlg.demo_list.itemClicked.emit(item)
    assert dlg.user_edit.text() == "commander1" and dlg.pin_edit.text() == "1234"
    with qtbot.waitSignal(dlg.sig_logged_in, timeout=1000) as blocker:
        dlg.login_button.click()
    assert blocker.args[0].role is Role.COMMANDER


def test_login_waits_for_the_user_list(qtbot, paths):
    from localdb import Store
    from localdb.feed import apply_changes
    from tests.factories import reference_changes

    store = Store.open(paths.data_dir / "fresh.db")
    try:
        dlg = LoginDialog(store, "ws-7")
        qtbot.addWidget(dlg)
        assert not dlg.login_button.isEnabled()
        assert dlg.message_label.text()
        changes = [c for c in reference_changes() if c["kind"] == "user"]
        for seq, c in enumerate(changes, 1):
            c["seq"] = seq
        apply_changes(store, changes, "c1")
        qtbot.waitUntil(dlg.login_button.isEnabled, timeout=3000)
        assert dlg.message_label.text() == ""
    finally:
        store.close()


def test_autologin_waits_then_accepts_or_refuses(qtbot, store):
    from console.qt.autologin import AutoLogin

    ok = AutoLogin(store, "officer1", "1234", "ws", interval_ms=10)
    with qtbot.waitSignal(ok.sig_done, timeout=2000) as blocker:
        ok.start()
    assert blocker.args[0].user_id == "officer1"
    bad = AutoLogin(store, "officer1", "9999", "ws", interval_ms=10)
    with qtbot.waitSignal(bad.sig_failed, timeout=2000):
        bad.start()
    unknown = AutoLogin(store, "ghost", "1234", "ws", timeout_s=0.05, interval_ms=10)
    with qtbot.waitSignal(unknown.sig_failed, timeout=2000) as blocker:
        unknown.start()
    assert "ghost" in blocker.args[0]
