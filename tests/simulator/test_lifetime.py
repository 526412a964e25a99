"""The demo simulator dies with its console; one simulator per data directory (issue 14).

kill -9 of a demo console left its simulator running, and the next start ran a second
simulator on the same database ("UNIQUE constraint failed: changes.seq" x25).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.testing import SimProcess

FAST = ["--history-days", "0.1", "--daily-rate", "200", "--no-streams", "--no-traffic"]


def _gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in state or "State:\tX" in state


def _wait(pred, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not pred():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


CONSOLE = """
import json, sys, threading
from pathlib import Path
from console.qt.demo import DemoPlatform
d = DemoPlatform(Path(sys.argv[1]), extra_args=sys.argv[2:])
d.start()
url = d.wait_ready()
print(json.dumps({"url": url, "sim_pid": d.proc.pid}), flush=True)
threading.Event().wait()
"""


def test_kill_9_of_the_console_stops_its_demo_simulator_and_frees_the_data_dir(tmp_path):
    data = tmp_path / "demo"
    console = subprocess.Popen([sys.executable, "-c", CONSOLE, str(data), *FAST], stdout=subprocess.PIPE,
                               text=True)
    try:
        info = json.loads(console.stdout.readline())
        sim_pid = info["sim_pid"]
        assert not _gone(sim_pid)
        os.kill(console.pid, signal.SIGKILL)      # the console is killed, nothing stops the child
        console.wait(10)
        _wait(lambda: _gone(sim_pid), 15, "the demo simulator to stop with its console")
        # the data directory is free again: the next start works
        again = SimProcess(data, args=FAST)
        again.stop()
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()


def test_a_second_simulator_refuses_a_data_dir_in_use(tmp_path):
    first = SimProcess(tmp_path / "p", args=FAST)
    try:
        second = subprocess.run([sys.executable, "-m", "simulator.cli", "--data-dir", str(tmp_path / "p"),
                                 "--port", "0", *FAST], capture_output=True, text=True, timeout=60)
        assert second.returncode == 3
        assert "in use by another simulator" in second.stderr and f"pid {first.pid}" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        first.stop()


def test_in_process_simulators_hold_the_lock_too(tmp_path):
    from simulator.lifetime import DataDirInUse
    from simulator.testing import running_simulator

    with running_simulator(tmp_path / "q", history_days=0.1, daily_rate=200) as sim:
        with pytest.raises(DataDirInUse):
            with running_simulator(tmp_path / "q", history_days=0.1, daily_rate=200):
                pass
        sim.restart()                      # a restart releases and takes it again
