"""Against the REAL district simulator and sync engine: the pending marker clears when
the platform accepts, and an action the platform refuses lands in "needs attention"."""

from __future__ import annotations

import time
import uuid

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from console.domain.model import Actor, Role
from views import queue_labels as L
from views.queue_model import COLUMNS

OFFICER = Actor("officer1", "李信息员", Role.OFFICER, "WS-Q1")


@pytest.fixture
def platform(tmp_path):
    from simulator.testing import running_simulator

    with running_simulator(tmp_path / "platform", seed=5, history_days=0.5, traffic=False) as sim:
        yield sim


def _engine(store, url, token):
    from console.sync.client import PlatformClient
    from console.sync.engine import SyncEngine

    client = PlatformClient(url, token, timeout=(2, 10))
    engine = SyncEngine(store, client, "WS-Q1")
    engine.start()
    return engine, client


def _sync_text(panel, tid):
    row = panel.model.row_of_ticket(tid)
    return None if row is None else panel.model.index(row, COLUMNS.index("sync")).data()


def test_marker_clears_on_accept_and_refusal_needs_attention(qtbot, tmp_path, platform):
    from console.qt.context import AppContext, TaskRunner
    from console.sync.client import PlatformClient
    from console.sync.proxy import FaultProxy
    from localdb import Store
    from views.queue import QueuePanel

    store = Store.open(tmp_path / "ws.sqlite3")
    # the workstation reaches the platform through the fault proxy: "cut off" is a link fault
    proxy = FaultProxy("127.0.0.1", int(platform.url.rstrip("/").rsplit(":", 1)[1]))
    engine, _ = _engine(store, proxy.url, platform.token)
    client = PlatformClient(platform.url, platform.token, timeout=(2, 10))   # another desk, direct
    holder = {"engine": engine}
    engines = [engine]
    try:
        qtbot.waitUntil(lambda: not engine.puller.bootstrapping and engine.link_state == "online",
                        timeout=30000)
        ctx = AppContext(store=store, actor=OFFICER, clock=lambda: holder["engine"].platform_now(),
                         tasks=TaskRunner(), sync=engine)
        ctx.journal.start()
        panel = QueuePanel(ctx)
        qtbot.addWidget(panel)
        panel.show()
        qtbot.waitExposed(panel)
        panel.activateWindow()
        qtbot.waitUntil(panel.isActiveWindow)

        # 1. accept: the marker shows at once and clears when the platform applied it
        def pending_ticket():
            with store.session() as s:
                return s.execute(text("SELECT id FROM tickets WHERE state='pending' LIMIT 1")).scalar()

        qtbot.waitUntil(lambda: pending_ticket() is not None, timeout=30000)
        tid = pending_ticket()
        panel.select_ticket(tid)
        panel.table.setFocus()
        qtbot.keyClick(panel.table, Qt.Key.Key_A)
        assert _sync_text(panel, tid) == L.sync_label(1, False)
        qtbot.waitUntil(lambda: _sync_text(panel, tid) == "" and engine.outbox_depth() == 0,
                        timeout=20000)
        row = panel.model.row_of_ticket(tid)
        assert panel.model.index(row, COLUMNS.index("state")).data() == L.state_label("accepted")

        # 2. the ticket moves on the platform while this workstation is cut off; the
        #    officer's urge is based on the old version: the platform refuses it
        proxy.partition("refuse")
        with store.session() as s:
            uid, version = s.execute(text(
                "SELECT id, version FROM tickets WHERE state IN ('handling', 'dispatched', 'registered') "
                "AND pending=0 LIMIT 1")).one()
        other = {"user_id": "officer2", "name": "赵信息员", "role": "officer", "workstation": "WS-Q2"}
        res = client.send_commands([{
            "command_id": str(uuid.uuid4()), "ticket_id": uid, "verb": "urge",
            "expected_version": version, "params": {}, "actor": other, "issued_at": time.time()}])
        assert res[0]["status"] == "applied"
        panel.select_ticket(uid)
        panel.table.setFocus()
        qtbot.keyClick(panel.table, Qt.Key.Key_U)
        panel.actions.dialog._on_ok_clicked()  # a plain 督办 (no level)
        qtbot.waitUntil(lambda: _sync_text(panel, uid) == L.sync_label(1, False), timeout=5000)
        proxy.pass_through()   # the link comes back; the same engine sends the queued urge
        qtbot.waitUntil(lambda: _sync_text(panel, uid) == L.sync_label(0, True), timeout=20000)
        qtbot.waitUntil(lambda: "(1)" in panel.attention_button.text())
        panel.open_attention()
        tree = panel.dialog.list.tree
        assert tree.topLevelItemCount() == 1
        item = tree.topLevelItem(0)
        assert L.action_label("urge") in item.text(2) and item.text(4)
        panel.dialog.close()
        ctx.journal.stop()
        ctx.tasks.wait()
    finally:
        for e in engines:
            e.stop()
        client.close()
        proxy.close()
        store.close()
