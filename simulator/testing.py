"""Run a real simulator on loopback inside a test process.

    with running_simulator(tmp_path, seed=1, history_days=0.5) as sim:
        requests.get(sim.url + "/api/v1/health")
        sim.restart()   # same port and data directory: tests persistence

``process=True`` runs it as a child process (the CLI) instead of a thread, for
benchmarks where client and server should not share one interpreter.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from simulator.runtime import Config
from simulator.server import Simulator, bind


class RunningSimulator:
    def __init__(self, cfg: Config, port: int = 0):
        self.cfg = cfg
        self.token = cfg.token
        self._port = port
        self.sim: Simulator | None = None
        self._thread: threading.Thread | None = None
        self.start()

    @property
    def url(self) -> str:
        return self.sim.url

    @property
    def rt(self):
        return self.sim.rt

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def start(self) -> None:
        sock = bind(self.cfg.host, self._port)
        self._port = sock.getsockname()[1]
        self.sim = Simulator(self.cfg, sock)
        self._thread = threading.Thread(target=self.sim.serve, name="sim-server", daemon=True)
        self._thread.start()
        self.sim.wait_started(thread=self._thread)

    def stop(self) -> None:
        if self.sim is not None and self._thread is not None:
            self.sim.stop()
            self._thread.join(15)
            self._thread = None

    def restart(self, new_port: bool = False) -> None:
        """Stop and start again with the same data directory, on the same port unless
        ``new_port`` (then camera URLs change and are upserted again)."""
        self.stop()
        if new_port:
            self._port = 0
        self.start()


@contextmanager
def running_simulator(data_dir: Path, seed: int = 1, history_days: float = 1.0,
                      token: str = "test-token", speed: float = 1.0, daily_rate: float = 1500.0,
                      streams: bool = False, traffic: bool = False, history_tickets: int = 0,
                      **extra) -> Iterator[RunningSimulator]:
    cfg = Config(data_dir=Path(data_dir), seed=seed, token=token, speed=speed,
                 history_days=history_days, daily_rate=daily_rate, streams=streams,
                 traffic=traffic, history_tickets=history_tickets, **extra)
    sim = RunningSimulator(cfg)
    try:
        yield sim
    finally:
        sim.stop()


class SimProcess:
    """The CLI as a child process; ``.url``, ``.token``, ``.stop()``."""

    def __init__(self, data_dir: Path, token: str = "test-token", args: list[str] = (),
                 allow_unsigned: bool = True):
        self.token = token
        cmd = [sys.executable, "-m", "simulator.cli", "--data-dir", str(data_dir), "--port", "0",
               *(["--allow-unsigned"] if allow_unsigned else []), *args]
        # the token in the environment, not in the arguments other users can read
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "DUTY_PLATFORM_TOKEN": token}
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=env)
        line = self.proc.stdout.readline()
        if not line:
            self.proc.wait(10)
            raise RuntimeError(f"the simulator exited with {self.proc.returncode}")
        info = json.loads(line)
        self.url, self.pid = info["url"], info["pid"]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
