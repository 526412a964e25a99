"""``--demo``: the district-platform simulator as a child process.

Started on a free loopback port with its own data directory under the console's
data directory. The simulator prints one JSON line ``{"url": ..., "pid": ...}``
when it listens; we then wait for ``/api/v1/health`` and hand the URL to the same
connection code a real platform uses. Everything that waits runs in a background
thread: the UI thread never blocks on the child. The child is stopped on exit, and
stops by itself when the console is gone without stopping it (kill -9:
``--exit-with-parent``); it refuses a data directory another simulator holds.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

#: the simulator's demo accounts (simulator.roster) — officer1 is "the demo officer"
DEMO_USER = "officer1"
DEMO_PIN = "1234"


def demo_credentials() -> tuple[str, str]:
    try:
        from simulator import roster

        return DEMO_USER, getattr(roster, "DEMO_PIN", DEMO_PIN)
    except Exception:  # noqa: BLE001 - the simulator package is optional in a field install
        return DEMO_USER, DEMO_PIN


class DemoError(RuntimeError):
    pass


class DemoPlatform:
    def __init__(self, data_dir: Path, seed: int = 1, token: str | None = None,
                 start_timeout: float = 90.0, extra_args: list[str] | None = None) -> None:
        self.data_dir = Path(data_dir)
        self.seed = seed
        self.token = token or secrets.token_urlsafe(24)
        self.start_timeout = start_timeout
        self.extra_args = list(extra_args or [])
        self.proc: subprocess.Popen | None = None
        self.url: str | None = None
        self._log: IO | None = None

    def command(self) -> list[str]:
        if getattr(sys, "frozen", False):
            # A PyInstaller bundle has no interpreter to run -c with: its one binary
            # starts the simulator when asked (packaging/entry.py).
            head = [sys.executable, "platform-sim"]
        else:
            code = "import sys; from simulator.cli import main; sys.exit(main())"
            head = [sys.executable, "-c", code]
        return [*head, "--host", "127.0.0.1", "--port", "0",
                "--data-dir", str(self.data_dir), "--seed", str(self.seed),
                "--exit-with-parent", *self.extra_args]

    def start(self) -> None:
        """Spawn the child (returns at once)."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._log = open(self.data_dir / "simulator.log", "ab")
        log.info("starting demo platform in %s", self.data_dir)
        kwargs: dict = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True  # our Ctrl+C is ours; we stop the child ourselves
        # the token goes in the child's environment: a process's arguments are readable by
        # every user of the machine (ps), its environment only by the same user
        env = {**os.environ, "DUTY_PLATFORM_TOKEN": self.token}
        self.proc = subprocess.Popen(self.command(), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._log, env=env, **kwargs)

    def wait_ready(self) -> str:
        """Block (call from a worker) until the child answers its health check."""
        if self.proc is None:
            self.start()
        assert self.proc is not None and self.proc.stdout is not None
        deadline = time.monotonic() + self.start_timeout
        line_box: list[bytes] = []
        reader = threading.Thread(target=lambda: line_box.append(self.proc.stdout.readline()),
                                  name="demo-readline", daemon=True)
        reader.start()
        reader.join(self.start_timeout)
        if not line_box or not line_box[0]:
            raise DemoError(self._failure("did not report its address"))
        try:
            info = json.loads(line_box[0].decode("utf-8", "replace"))
            url = str(info["url"]).rstrip("/")
        except (ValueError, KeyError, TypeError) as exc:
            raise DemoError(self._failure(f"printed an unexpected line: {line_box[0][:200]!r}")) from exc
        # Keep draining the child's stdout so it never blocks on a full pipe.
        threading.Thread(target=self._drain, name="demo-stdout", daemon=True).start()
        while time.monotonic() < deadline:
            proc = self.proc
            if proc is None:
                raise DemoError("The demo platform was stopped while starting")
            if proc.poll() is not None:
                raise DemoError(self._failure("exited"))
            try:
                with urllib.request.urlopen(f"{url}/api/v1/health", timeout=2) as resp:
                    if resp.status == 200:
                        self.url = url
                        log.info("demo platform ready at %s (pid %s)", url, self.proc.pid)
                        return url
            except OSError:
                pass
            time.sleep(0.1)
        raise DemoError(self._failure("did not answer its health check"))

    def _drain(self) -> None:
        try:
            for line in self.proc.stdout:  # type: ignore[union-attr]
                if self._log:
                    self._log.write(line)
        except (OSError, ValueError):
            pass

    def _failure(self, what: str) -> str:
        code = self.proc.poll() if self.proc else None
        return (f"The demo platform {what}" + (f" (exit code {code})" if code is not None else "")
                + f"; see {self.data_dir / 'simulator.log'}")

    def stop(self, timeout: float = 5.0) -> None:
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            log.info("stopping demo platform (pid %s)", proc.pid)
            try:
                proc.send_signal(signal.SIGTERM if os.name == "posix" else signal.CTRL_BREAK_EVENT)
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout)
            except OSError:
                pass
        if self._log is not None:
            try:
                self._log.close()
            except OSError:
                pass
            self._log = None
