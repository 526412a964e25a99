"""A fault-injecting TCP proxy for tests and the chaos harness (loopback only).

``FaultProxy(upstream_host, upstream_port)`` listens on 127.0.0.1 (port 0 by
default) and forwards bytes both ways, one pair of threads per connection.
Faults apply to new *and* existing connections (requests keeps connections alive):

- ``pass_through()``               forward untouched
- ``delay(ms)``                    hold every chunk ``ms`` milliseconds
- ``reset_rate(p)``                reset a fraction of new connections at once
- ``drop_replies(p)``              forward the request, then kill the connection
                                   instead of delivering (part of) the answer: the
                                   server acted, the client never hears of it
- ``partition("blackhole")``       accept, read, never answer
- ``partition("refuse")``          reset every connection as it arrives
- ``random_schedule(seed)``        switch between the above at random, seeded
- ``rewrite_replies(fn)``          a platform that lies: ``fn(request_line, body)``
                                   returns a new body for an answer (or None to
                                   keep it); Content-Length is fixed up. Answers
                                   without a Content-Length pass untouched.

``set_upstream`` re-targets the proxy (the simulator restarts on a new port).
"""

from __future__ import annotations

import logging
import random
import socket
import struct
import threading
import time
from collections import deque
from dataclasses import dataclass, replace
from typing import Callable

#: ``fn(request_line, body) -> new body | None``; request_line e.g. "GET /api/v1/health"
Rewriter = Callable[[str, bytes], "bytes | None"]

log = logging.getLogger(__name__)

LOOPBACK = "127.0.0.1"


@dataclass(frozen=True, slots=True)
class Faults:
    delay_ms: int = 0
    reset_rate: float = 0.0
    drop_reply_rate: float = 0.0
    partition: str | None = None   # None | "blackhole" | "refuse"

    @property
    def name(self) -> str:
        if self.partition:
            return f"partition:{self.partition}"
        parts = []
        if self.delay_ms:
            parts.append(f"delay:{self.delay_ms}")
        if self.reset_rate:
            parts.append(f"reset:{self.reset_rate:.2f}")
        if self.drop_reply_rate:
            parts.append(f"drop_reply:{self.drop_reply_rate:.2f}")
        return "+".join(parts) or "pass"


def _hard_close(sock: socket.socket) -> None:
    """Close with RST (SO_LINGER 0) so the peer sees a reset, not a clean EOF."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class FaultProxy:
    def __init__(self, upstream_host: str, upstream_port: int, listen_port: int = 0,
                 seed: int | None = None) -> None:
        if upstream_host not in (LOOPBACK, "localhost"):
            raise ValueError("the fault proxy forwards to loopback only")
        self._upstream = (LOOPBACK, int(upstream_port))
        self._faults = Faults()
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conns: set[socket.socket] = set()
        self.faults_injected = 0        # resets, dropped replies, blackholed chunks...
        self.fault_changes = 0
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((LOOPBACK, listen_port))
        self._listener.listen(128)
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._schedule_stop = threading.Event()
        self._rewrite: Rewriter | None = None
        self._rewriting = False         # once rewriting, connections go through the parser
        self.rewritten = 0              # answers whose body the rewriter replaced
        self._accept_thread = threading.Thread(target=self._accept_loop, name="proxy-accept", daemon=True)
        self._accept_thread.start()

    # -- control ----------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    @property
    def faults(self) -> Faults:
        with self._lock:
            return self._faults

    def set_faults(self, faults: Faults) -> None:
        with self._lock:
            old, self._faults = self._faults, faults
            self.fault_changes += faults != old
        if faults.partition == "refuse":
            self._reset_all()   # existing keep-alive connections feel it too
        elif old.partition == "blackhole" and faults.partition != "blackhole":
            # Bytes swallowed by the blackhole are gone (real TCP would resend them),
            # so those connections are corrupt: reset them rather than leave requests
            # waiting for their read timeout.
            self._reset_all()
        log.debug("proxy faults: %s", faults.name)

    def pass_through(self) -> None:
        self.set_faults(Faults())

    def delay(self, ms: int) -> None:
        self.set_faults(replace(self.faults, delay_ms=int(ms), partition=None))

    def reset_rate(self, p: float) -> None:
        self.set_faults(replace(self.faults, reset_rate=float(p), partition=None))

    def drop_replies(self, p: float) -> None:
        self.set_faults(replace(self.faults, drop_reply_rate=float(p), partition=None))

    def partition(self, mode: str = "blackhole") -> None:
        if mode not in ("blackhole", "refuse"):
            raise ValueError(mode)
        self.set_faults(Faults(partition=mode))

    def rewrite_replies(self, fn: Rewriter | None) -> None:
        """Rewrite answer bodies from now on (None: stop rewriting)."""
        with self._lock:
            was, self._rewrite = self._rewrite, fn
            self._rewriting = self._rewriting or fn is not None
        if fn is not None and was is None:
            self._reset_all()   # keep-alive connections opened before must not escape it

    def set_upstream(self, host: str, port: int) -> None:
        if host not in (LOOPBACK, "localhost"):
            raise ValueError("the fault proxy forwards to loopback only")
        with self._lock:
            self._upstream = (LOOPBACK, int(port))
        self._reset_all()

    def random_schedule(self, seed: int, mean_s: float = 1.5, calm: float = 0.5) -> None:
        """Switch faults at random (seeded) until ``stop_schedule``/``close``."""
        self._schedule_stop.clear()
        rng = random.Random(seed)

        def run() -> None:
            while not self._schedule_stop.is_set() and not self._stop.is_set():
                r = rng.random()
                if r < calm:
                    f = Faults()
                elif r < calm + 0.12:
                    f = Faults(delay_ms=rng.choice([50, 300, 800, 2500]))
                elif r < calm + 0.22:
                    f = Faults(reset_rate=rng.uniform(0.2, 0.8))
                elif r < calm + 0.37:
                    f = Faults(drop_reply_rate=rng.uniform(0.2, 0.7))
                elif r < calm + 0.45:
                    f = Faults(partition="refuse")
                else:
                    f = Faults(partition="blackhole")
                self.set_faults(f)
                self._schedule_stop.wait(rng.expovariate(1.0 / mean_s))
            self.pass_through()

        t = threading.Thread(target=run, name="proxy-schedule", daemon=True)
        t.start()
        self._threads.append(t)

    def stop_schedule(self) -> None:
        self._schedule_stop.set()
        self.pass_through()

    def close(self) -> None:
        self._stop.set()
        self._schedule_stop.set()
        try:
            self._listener.close()
        except OSError:
            pass
        self._reset_all()

    def __enter__(self) -> "FaultProxy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ----------------------------------------------------------------
    def _count(self) -> None:
        with self._lock:
            self.faults_injected += 1

    def _reset_all(self) -> None:
        with self._lock:
            conns = list(self._conns)
            self._conns.clear()
        for s in conns:
            _hard_close(s)

    def _accept_loop(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            f = self.faults
            if f.partition == "refuse" or (f.reset_rate and self._rng.random() < f.reset_rate):
                self._count()
                _hard_close(client)
                continue
            threading.Thread(target=self._open, args=(client,), daemon=True, name="proxy-conn").start()

    def _open(self, client: socket.socket) -> None:
        with self._lock:
            upstream_addr = self._upstream
        try:
            upstream = socket.create_connection(upstream_addr, timeout=5)
            upstream.settimeout(None)
        except OSError:
            _hard_close(client)
            return
        for s in (client, upstream):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            self._conns.update((client, upstream))
        pair = (client, upstream)
        with self._lock:
            rewriting = self._rewriting
        if rewriting:
            lines: deque[str] = deque()
            threading.Thread(target=self._pump_requests, args=(client, upstream, pair, lines),
                             daemon=True).start()
            self._pump_rewritten(upstream, client, pair, lines)
            return
        threading.Thread(target=self._pump, args=(client, upstream, False, pair), daemon=True).start()
        self._pump(upstream, client, True, pair)

    def _close_pair(self, pair) -> None:
        with self._lock:
            self._conns.difference_update(pair)
        for s in pair:
            _hard_close(s)

    def _pump_requests(self, src: socket.socket, dst: socket.socket, pair, lines: deque) -> None:
        """Forward requests, noting each request line for the answer it will get."""
        buf = b""
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                buf = (buf + data)[-65536:]
                while True:
                    for prefix in (b"GET ", b"POST ", b"PUT ", b"HEAD ", b"DELETE ", b"PATCH "):
                        i = buf.find(prefix)
                        if i >= 0:
                            break
                    else:
                        break
                    end = buf.find(b"\r\n", i)
                    if end < 0:
                        break
                    parts = buf[i:end].decode("latin-1").split(" ")
                    lines.append(" ".join(parts[:2]))
                    buf = buf[end:]
                dst.sendall(data)
        except OSError:
            pass
        finally:
            self._close_pair(pair)

    def _pump_rewritten(self, src: socket.socket, dst: socket.socket, pair, lines: deque) -> None:
        """Forward answers one by one, each body through ``rewrite``."""
        buf = b""
        try:
            while True:
                while b"\r\n\r\n" not in buf:
                    data = src.recv(65536)
                    if not data:
                        return
                    buf += data
                head, buf = buf.split(b"\r\n\r\n", 1)
                headers = head.decode("latin-1").split("\r\n")
                line = lines.popleft() if lines else ""
                status = headers[0].split(" ")[1] if " " in headers[0] else ""
                if line.startswith("HEAD ") or status in ("204", "304") or status.startswith("1"):
                    dst.sendall(head + b"\r\n\r\n")   # an answer without a body
                    continue
                length = None
                for h in headers[1:]:
                    name, _, value = h.partition(":")
                    if name.strip().lower() == "content-length":
                        length = int(value.strip())
                if length is None:   # streamed answer: pass the rest untouched
                    dst.sendall(head + b"\r\n\r\n" + buf)
                    buf = b""
                    while data := src.recv(65536):
                        dst.sendall(data)
                    return
                while len(buf) < length:
                    data = src.recv(65536)
                    if not data:
                        return
                    buf += data
                body, buf = buf[:length], buf[length:]
                with self._lock:
                    rewrite = self._rewrite
                new = rewrite(line, body) if rewrite is not None else None
                if new is not None:
                    with self._lock:
                        self.rewritten += 1
                    body = new
                    headers = [h for h in headers if h.partition(":")[0].strip().lower()
                               != "content-length"] + [f"content-length: {len(body)}"]
                dst.sendall("\r\n".join(headers).encode("latin-1") + b"\r\n\r\n" + body)
        except (OSError, ValueError):
            pass
        finally:
            self._close_pair(pair)

    def _pump(self, src: socket.socket, dst: socket.socket, is_reply: bool, pair) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                f = self.faults
                if f.partition == "blackhole":
                    self._count()
                    continue           # swallow: the peer waits for ever
                if f.partition == "refuse":
                    break
                if f.delay_ms:
                    time.sleep(f.delay_ms / 1000.0)   # the injected fault itself
                if is_reply and f.drop_reply_rate and self._rng.random() < f.drop_reply_rate:
                    self._count()
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            with self._lock:
                self._conns.difference_update(pair)
            for s in pair:
                _hard_close(s)
