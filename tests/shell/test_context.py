"""The journal follower: batched, ordered, delivered once, polled off the UI thread."""

from __future__ import annotations

from PySide6.QtCore import QThread

from console.qt.context import JournalFollower


def _write_journal(store, kind, ids):
    from localdb import journal

    with store.write() as s:
        for i in ids:
            journal.record(s, kind, i)


def test_poke_delivers_grouped_and_deduplicated(qtbot, store):
    jf = JournalFollower(store)
    _write_journal(store, "ticket", ["a", "b", "a"])
    _write_journal(store, "camera", ["c1"])
    with qtbot.waitSignal(jf.sig_changed, timeout=1000) as blocker:
        jf.poke()
    assert blocker.args == [{"ticket": ["a", "b"], "camera": ["c1"]}]
    with qtbot.assertNotEmitted(jf.sig_changed):
        jf.poke()


def test_timer_poll_reads_off_the_ui_thread_and_never_repeats(qtbot, store, monkeypatch):
    jf = JournalFollower(store, interval_ms=10)
    threads = []
    original = jf._read

    def spy(seq):
        threads.append(QThread.currentThread())
        return original(seq)

    monkeypatch.setattr(jf, "_read", spy)
    seen = []
    jf.sig_changed.connect(lambda d: seen.extend(d.get("ticket", [])))
    jf.start()
    try:
        _write_journal(store, "ticket", [f"t{i}" for i in range(100)])
        jf.poke()  # races the timer's read: still delivered once
        _write_journal(store, "ticket", ["late"])
        qtbot.waitUntil(lambda: "late" in seen, timeout=3000)
    finally:
        jf.stop()
    assert seen == [f"t{i}" for i in range(100)] + ["late"]
    assert any(t is not QThread.currentThread() for t in threads)


def test_task_failure_without_handler_reaches_the_notifier(qtbot):
    from console.qt import errors
    from console.qt.context import Notifier, TaskRunner

    notifier, runner = Notifier(), TaskRunner()
    errors.install(notifier)
    try:
        def fail():
            raise KeyError("missing row")

        with qtbot.waitSignal(notifier.sig_message, timeout=3000) as blocker:
            runner.run(fail)
        assert blocker.args[0] == "error" and "missing row" in blocker.args[1]
    finally:
        errors.uninstall()
        runner.wait(2000)


def test_a_task_that_finishes_after_the_console_closed_is_logged_not_raised(qtbot, caplog):
    """The demo's snapshot exit printed "Signal source has been deleted" from a worker:
    a task still running while the window closed found its signals gone."""
    import threading

    import shiboken6

    from console.qt.context import TaskRunner

    runner, started, release, finished = TaskRunner(), threading.Event(), threading.Event(), []

    def slow():
        started.set()
        release.wait(5)
        return "rows"

    runner.run(slow, on_done=finished.append)
    assert started.wait(5)
    (task,) = runner._live
    shiboken6.delete(task.signals)      # what closing the console does to a pending task
    with caplog.at_level("WARNING", logger="console.qt.context"):
        release.set()
        assert runner.wait(5000)
    assert finished == []
    assert any("finished after the console closed" in r.getMessage() for r in caplog.records)
