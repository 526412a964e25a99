"""Guards against the PySide6 6.12.0 bug: Signal.emit() with a bool leaked/dropped a
reference to True and aborted the process after a few hundred emits.

The heavy emission runs in a child process so that an abort shows up as a test
failure instead of killing the test run; a smaller in-process run checks queued
delivery across threads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

ROOT = Path(__file__).resolve().parents[1]
N = 20_000

CHILD = textwrap.dedent("""
    import json, sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Emitter(QObject):
        sig_bool = Signal(bool)
        sig_many = Signal(bool, int, str, float, object)
        sig_dict = Signal(dict)
        sig_list = Signal(list)

    app = QCoreApplication([])
    n = int(sys.argv[1])
    e = Emitter()
    got = {"bool": 0, "true": 0, "many": 0, "dict": 0, "list": 0}

    def on_bool(b):
        got["bool"] += 1
        got["true"] += b is True

    def on_many(b, i, s, f, o):
        # each argument arrives as it was emitted (emit(k % 3 == 0, k, "x", float(k), {"k": k}))
        assert b is (i % 3 == 0) and s == "x" and f == float(i) and o == {"k": i}
        got["many"] += 1

    e.sig_bool.connect(on_bool)
    e.sig_many.connect(on_many)
    e.sig_dict.connect(lambda d: got.__setitem__("dict", got["dict"] + (d["ok"] is True)))
    e.sig_list.connect(lambda l: got.__setitem__("list", got["list"] + (l[0] is False)))
    before = (sys.getrefcount(True), sys.getrefcount(False))
    for k in range(n):
        e.sig_bool.emit(k % 2 == 0)
        e.sig_many.emit(k % 3 == 0, k, "x", float(k), {"k": k})
        e.sig_dict.emit({"ok": True})
        e.sig_list.emit([False, k])
    after = (sys.getrefcount(True), sys.getrefcount(False))
    print(json.dumps({"got": got, "before": before, "after": after}))
""")


def test_twenty_thousand_bool_emits_survive_and_deliver():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.run([sys.executable, "-c", CHILD, str(N)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, f"process died (code {proc.returncode}): {proc.stderr[-2000:]}"
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["got"] == {"bool": N, "true": N // 2, "many": N, "dict": N, "list": N}
    # References to True/False neither leak nor get dropped per emit.
    for b, a in zip(out["before"], out["after"]):
        assert abs(a - b) < 100, out


class _Emitter(QObject):
    sig_flag = Signal(bool)
    sig_state = Signal(str, bool)


class _Receiver(QObject):
    def __init__(self):
        super().__init__()
        self.count = 0
        self.trues = 0

    def on_flag(self, flag: bool) -> None:
        self.count += 1
        self.trues += flag is True

    def on_state(self, state: str, flag: bool) -> None:
        self.count += 1


def test_queued_bool_signals_from_a_thread(qtbot):
    n = 5000
    emitter, receiver = _Emitter(), _Receiver()
    emitter.sig_flag.connect(receiver.on_flag)
    emitter.sig_state.connect(receiver.on_state)

    def work():
        for k in range(n):
            emitter.sig_flag.emit(k % 2 == 1)
            emitter.sig_state.emit("online", True)

    t = threading.Thread(target=work)
    t.start()
    t.join()
    qtbot.waitUntil(lambda: receiver.count == 2 * n, timeout=20000)
    assert receiver.trues == n // 2
