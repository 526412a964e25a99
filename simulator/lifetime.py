"""How long a simulator process lives: alone on its data directory, and (for the
console's demo) no longer than the console that started it.

- ``DataDirLock``: an exclusive ``flock`` on ``<data-dir>/platform.lock``, held while
  the simulator runs. A second simulator on the same directory refuses to start
  (two writers on one platform database gave "UNIQUE constraint failed:
  changes.seq"). The kernel drops the lock when the process dies, kill -9 included:
  a stale lock file never blocks the next start.
- ``watch_parent``: the simulator stops when the process that started it is gone
  (kill -9 of a demo console left its simulator running): Linux's parent-death
  signal where there is one, and a watcher that sees the parent change anywhere.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Callable

log = logging.getLogger(__name__)

LOCK_NAME = "platform.lock"


class DataDirInUse(RuntimeError):
    """Another simulator holds the data directory."""


class DataDirLock:
    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / LOCK_NAME
        self._fd: int | None = None

    def acquire(self) -> "DataDirLock":
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock (the demo runs on the desks' Linux)
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
            os.close(fd)
            raise DataDirInUse(f"the data directory {self.path.parent} is in use by another "
                               f"simulator (pid {holder}); stop it or use another --data-dir") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._fd = fd
        return self

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)   # closing the descriptor drops the flock


def watch_parent(on_gone: Callable[[], None], interval_s: float = 0.5) -> threading.Thread | None:
    """Call ``on_gone`` once the parent process is gone. Returns the watcher thread
    (None where there is no parent to watch)."""
    parent = os.getppid()
    if parent <= 1:
        return None
    if sys.platform.startswith("linux"):
        try:   # the kernel's own notice: SIGTERM when the parent dies (uvicorn stops gracefully)
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    stop = threading.Event()

    def run() -> None:
        while not stop.wait(interval_s):
            if os.getppid() != parent:
                log.warning("the console that started this simulator (pid %d) is gone: stopping", parent)
                on_gone()
                return
    t = threading.Thread(target=run, name="parent-watch", daemon=True)
    t.start()
    return t
