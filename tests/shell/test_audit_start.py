"""At start the console checks the audit chain and says at once when it is broken."""

from __future__ import annotations

import sqlite3

from console.domain.model import Actor, Role
from console.qt.audit_check import check_at_start
from console.qt.context import Notifier, TaskRunner
from localdb import Store
from localdb.actions import audit

LEADER = Actor("leader1", "值班长", Role.SHIFT_LEADER, "ws-1")


def _store(path, n=4):
    store = Store.open(path)
    with store.write() as s:
        for i in range(n):
            audit(s, LEADER, "login_ok", None, {"i": i}, 100.0 + i)
    return store


def _run(qtbot, store):
    notify, seen, results = Notifier(), [], []
    notify.sig_message.connect(lambda level, text: seen.append((level, text)))
    check_at_start(store, TaskRunner(), notify, on_result=lambda b, h: results.append((b, h)))
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    return seen, results[0]


def test_intact_chain_says_nothing(qtbot, tmp_path):
    store = _store(tmp_path / "c.db")
    seen, (broken, head) = _run(qtbot, store)
    store.close()
    assert broken is None and head.count == 4 and seen == []


def test_broken_chain_is_said_at_start(qtbot, tmp_path):
    path = tmp_path / "c.db"
    _store(path).close()
    con = sqlite3.connect(path)
    con.execute("DROP TRIGGER audit_log_no_delete")
    con.execute("DELETE FROM audit_log WHERE id = 2")
    con.commit()
    con.close()
    store = Store.open(path)
    seen, (broken, _head) = _run(qtbot, store)
    store.close()
    assert broken.entry_id == 3
    assert len(seen) == 1 and seen[0][0] == "error" and "3" in seen[0][1]
