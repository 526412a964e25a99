"""The sync bridge turns worker-thread callbacks into UI-thread state."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from console.qt.sync_bridge import SyncBridge


class FakeEngine:
    def __init__(self):
        self.started = self.stopped = False
        self.depth = 3
        self.last_ok_at = None
        self.link_state = "online"
        self.link = type("M", (), {"decisions": []})()

    def start(self):
        self.started = True

    def stop(self, timeout=5.0):
        self.stopped = True
        return True

    def outbox_depth(self):
        return self.depth


def _from_thread(fn, *args):
    t = threading.Thread(target=fn, args=args)
    t.start()
    t.join()


def test_link_callback_from_worker_thread_updates_link_status(qtbot, ctx):
    bridge = SyncBridge(ctx, FakeEngine())
    seen_threads = []
    ctx.link.sig_changed.connect(lambda s: seen_threads.append(QThread.currentThread()))
    with qtbot.waitSignal(ctx.link.sig_changed, timeout=2000) as blocker:
        _from_thread(bridge.callback_link, "degraded", {"queued": 4, "last_ok_at": 123.0})
    assert blocker.args == ["degraded"]
    assert ctx.link.state == "degraded" and ctx.link.outbox_depth == 4 and ctx.link.last_ok == 123.0
    assert seen_threads == [QApplication.instance().thread()]


def test_progress_and_bootstrap(qtbot, ctx):
    bridge = SyncBridge(ctx, FakeEngine())
    with qtbot.waitSignal(ctx.link.sig_outbox, timeout=2000):
        _from_thread(bridge.callback_progress, {"kind": "push", "results": {"applied": 2}, "outbox_depth": 9})
    assert ctx.link.outbox_depth == 9
    with qtbot.waitSignal(bridge.sig_bootstrap, timeout=2000) as blocker:
        _from_thread(bridge.callback_progress, {"kind": "feed", "phase": "bootstrap", "applied": 500,
                                                "total_applied": 1500, "has_more": True})
    assert blocker.args == [1500, False]


def test_errors_are_shown_once_and_link_failures_not_at_all(qtbot, ctx):
    bridge = SyncBridge(ctx, FakeEngine())
    messages = []
    ctx.notify.sig_message.connect(lambda level, text: messages.append((level, text)))
    with qtbot.waitSignal(bridge.sig_error, timeout=2000):
        _from_thread(bridge.callback_error, "puller", ConnectionError("refused"))
    from console.sync.client import AuthError, LinkDown

    for exc in (LinkDown("down"), AuthError("401"), AuthError("401")):
        with qtbot.waitSignal(bridge.sig_error, timeout=2000):
            _from_thread(bridge.callback_error, "pusher", exc)
    levels = [m[0] for m in messages]
    assert levels == ["warning", "error"]  # LinkDown silent, AuthError once


def test_poll_trusts_engine_state_only_after_contact(qtbot, ctx):
    engine = FakeEngine()
    bridge = SyncBridge(ctx, engine, poll_ms=20)
    bridge.start()
    try:
        qtbot.waitUntil(lambda: ctx.link.outbox_depth == 3, timeout=2000)
        assert ctx.link.state == "offline"  # engine says online but has heard nothing yet
        engine.last_ok_at = 1000.0
        qtbot.waitUntil(lambda: ctx.link.state == "online", timeout=2000)
        assert engine.started
    finally:
        bridge.stop()
    assert engine.stopped
