"""Assemble and run one simulator: bind, seed, generate history, serve with uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import socket
import threading
import time

import uvicorn

from simulator import history
from simulator.app import create_app
from simulator.faults import FaultInjector, Faults
from simulator.lifetime import DataDirInUse, DataDirLock
from simulator.runtime import Config, Runtime
from simulator.streams import Streams
from simulator.traffic import Traffic

log = logging.getLogger(__name__)


class _Server(uvicorn.Server):
    """uvicorn re-raises SIGTERM/SIGINT after its graceful stop, which would kill the
    process before the platform saves its clock and closes the store: do not."""

    @contextlib.contextmanager
    def capture_signals(self):
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        saved = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)


def bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class Simulator:
    """One platform process-part: runtime + uvicorn server on an already bound socket."""

    def __init__(self, cfg: Config, sock: socket.socket, lock: DataDirLock | None = None):
        """``lock``: the data directory's lock, already held (the CLI takes it before
        binding); without one the simulator takes it here. Released at shutdown."""
        self.cfg, self.sock = cfg, sock
        try:
            self.lock = lock or DataDirLock(cfg.data_dir).acquire()
        except DataDirInUse:
            sock.close()
            raise
        try:
            self._build(cfg, sock)
        except BaseException:
            self.lock.release()
            raise

    def _build(self, cfg: Config, sock: socket.socket) -> None:
        host, port = sock.getsockname()[:2]
        if host in ("0.0.0.0", "::"):
            host = socket.getfqdn()
        shown = f"[{host}]" if ":" in host else host
        scheme = "https" if cfg.tls_cert else "http"
        cfg.base_url = cfg.public_url.rstrip("/") or f"{scheme}://{shown}:{port}"
        self.url = cfg.base_url
        t0 = time.monotonic()
        rt = self.rt = Runtime(cfg)
        rt.faults = Faults(cfg.loopback)
        rt.streams = Streams(cfg.data_dir, cfg.streams)
        if rt.seed_static():
            n = history.generate(rt, cfg.history_days, cfg.daily_rate, cfg.timeline_days)
            n += history.bulk(rt, cfg.history_tickets)
            log.info("first start: %d history tickets in %.1f s", n, time.monotonic() - t0)
        rt.traffic = Traffic(rt) if cfg.traffic else None
        self.app = create_app(rt)
        self.server = _Server(uvicorn.Config(
            FaultInjector(self.app, rt), lifespan="off", log_level="warning", access_log=False,
            timeout_graceful_shutdown=2, timeout_keep_alive=30,
            ssl_certfile=cfg.tls_cert or None, ssl_keyfile=cfg.tls_key or None))

    def serve(self) -> None:
        """Serve until ``stop()`` (blocking; installs signal handlers in the main thread)."""
        if self.rt.traffic is not None:
            self.rt.traffic.start()
        try:
            asyncio.run(self.server.serve(sockets=[self.sock]))
        finally:
            self.shutdown()

    def stop(self) -> None:
        self.rt.stop_event.set()
        self.server.should_exit = True

    def shutdown(self) -> None:
        self.rt.stop_event.set()
        if self.rt.traffic is not None:
            self.rt.traffic.join()
        try:
            self.rt.save_clock()
        finally:
            self.rt.pages.close()
            self.rt.store.close()
            self.sock.close()
            self.lock.release()

    def wait_started(self, timeout: float = 30.0, thread: threading.Thread | None = None) -> None:
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if time.monotonic() > deadline or (thread is not None and not thread.is_alive()):
                raise RuntimeError("the simulator did not start")
            time.sleep(0.01)
