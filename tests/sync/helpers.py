"""Waiting helpers for the sync tests: events and deadlines, never bare sleeps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


def wait_until(pred: Callable[[], object], timeout: float = 10.0, interval: float = 0.05,
               what: str = "condition") -> object:
    """Poll ``pred`` until it is truthy or the deadline passes (then AssertionError)."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        v = pred()
        if v:
            return v
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        pause.wait(interval)


_PUSH_CHILD = """
import sys
from console.sync.client import PlatformClient
from console.sync.pusher import Pusher
from localdb import Store
store = Store.open(sys.argv[1])
Pusher(store, PlatformClient(sys.argv[2], sys.argv[3], timeout=(2, 10))).push_once()
raise SystemExit("the fail point was not reached")
"""


def push_killed_after_send(store_path: Path, url: str, token: str) -> None:
    """A console process sends one outbox batch and is killed with SIGKILL after the
    platform answered, before the answers are stored (fail point ``sent_unstored``)."""
    mark = Path(store_path).with_name("failpoint.mark")
    mark.unlink(missing_ok=True)
    env = {**os.environ, "DUTY_FAILPOINT": "sent_unstored", "DUTY_FAILPOINT_MARK": str(mark)}
    proc = subprocess.run([sys.executable, "-c", _PUSH_CHILD, str(store_path), url, token],
                          capture_output=True, text=True, timeout=120, env=env,
                          cwd=Path(__file__).resolve().parents[2])
    assert proc.returncode == -signal.SIGKILL, proc.stderr[-2000:]
    assert mark.read_text().split() == ["sent_unstored"]


class Canned:
    """A tiny loopback HTTP server answering whatever the test sets (status, body)."""

    def __init__(self) -> None:
        self.status = 200
        self.body = b"{}"
        self.headers: dict[str, str] = {}
        self.requests: list[tuple[str, str, dict]] = []
        canned = self

        class H(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self) -> None:
                n = int(self.headers.get("Content-Length") or 0)
                if n:
                    self.rfile.read(n)
                canned.requests.append((self.command, self.path, dict(self.headers)))
                self.send_response(canned.status)
                for k, v in canned.headers.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(canned.body)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(canned.body)

            do_GET = do_POST = do_PUT = do_HEAD = _answer

            def log_message(self, *a) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def login_online(store, client, user_id: str, workstation: str, at: float, pin: str = "1234"):
    """Log an officer in at a desk as the console does while the platform is reachable:
    the platform confirms, the desk caches a verifier (so later offline PIN checks work)."""
    from console.operations import auth as auth_ops
    from console.sync.login import confirmer

    return auth_ops.verify(store, user_id, pin, workstation, at, confirm=confirmer(client))
