"""Waiting helpers for the sync tests: events and deadlines, never bare sleeps."""

from __future__ import annotations

import threading
import time
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
