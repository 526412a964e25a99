"""A small seeded chaos run: real processes, real simulator, SIGKILLs, a restart."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_small_chaos_run_is_exactly_once(tmp_path):
    cmd = [sys.executable, "-m", "console.sync.chaos", "--actions", "200", "--workstations", "2",
           "--kills", "2", "--server-restarts", "1", "--seed", "5", "--duration", "10",
           "--timeout", "75", "--workdir", str(tmp_path / "chaos")]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=110)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    assert lines, proc.stderr[-3000:]
    out = json.loads(lines[-1])
    assert out["actions"] == 200
    assert out["client_kills"] >= 2 and out["server_restarts"] >= 1
    assert out["faults"] > 0
    assert (out["lost"], out["duplicated"], out["diverged"]) == (0, 0, 0), out
    assert proc.returncode == 0, out
    assert out["issued"] > 100
