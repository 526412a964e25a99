"""Fail points: places where a test harness may kill this process with SIGKILL.

A no-op unless ``DUTY_FAILPOINT`` names a point, as ``name`` or ``name:N`` (die at the
N-th time the point is reached, default the first). Before dying the point's name is
appended to the file ``DUTY_FAILPOINT_MARK`` (when set), so the harness can tell a kill
at a fail point from any other death. Used by the chaos harness (console.sync.chaos).

Points (see where ``hit`` is called):

- ``outbox_written``     an officer action's outbox row is written, not yet committed
- ``committed_unsent``   queued commands are committed, the batch is about to be sent
- ``sent_unstored``      the platform answered, the answers are not stored yet
- ``feed_mid_batch``     half of a feed batch is written, its cursor is not saved yet
"""

from __future__ import annotations

import os
import signal
import threading

POINTS = ("outbox_written", "committed_unsent", "sent_unstored", "feed_mid_batch")

_spec = os.environ.get("DUTY_FAILPOINT", "")
_name, _, _n = _spec.partition(":")
_at = int(_n) if _n.isdigit() and int(_n) > 0 else 1
_seen = 0
_lock = threading.Lock()


def hit(name: str) -> None:
    """Die here (SIGKILL, no clean-up of any kind) if this is the armed point's turn."""
    if name != _name:
        return
    global _seen
    with _lock:
        _seen += 1
        if _seen != _at:
            return
        mark = os.environ.get("DUTY_FAILPOINT_MARK")
        if mark:
            fd = os.open(mark, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            os.write(fd, (name + "\n").encode())
            os.fsync(fd)
            os.close(fd)
        os.kill(os.getpid(), signal.SIGKILL)
