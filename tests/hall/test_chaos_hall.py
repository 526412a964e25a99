"""A small seeded chaos-hall run (four hall desks and a single SQLite desk): holder kills, standby kills, a hall-database restart,
dropped connections, district-link cuts; nothing lost, doubled or diverged — and the
check itself catches an action that was asked for and never done."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_small_chaos_hall_run_loses_nothing_and_catches_a_forgotten_action():
    proc = subprocess.run(
        [sys.executable, "-m", "console.hall.chaos", "--actions", "120", "--desks", "4",
         "--contenders", "3", "--sqlite-desks", "1", "--sync-kills", "1", "--other-kills", "1", "--db-restarts", "1",
         "--fault-every", "1.0", "--seed", "7", "--forget", "5"],
        cwd=ROOT, capture_output=True, text=True, timeout=240)
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 1, result  # the forgotten action fails the run ...
    assert result["lost"] == 1, result   # ... as exactly one loss, and nothing else is wrong
    assert (result["duplicated"], result["diverged"], result["desk_errors"]) == (0, 0, []), result
    assert result["drained"] and result["actions"] == 120 + 30 // 4  # 4 hall desks, 1 SQLite desk
    assert result["sqlite_actions"] == 30 // 4
    assert result["sync_kills"] == result["failovers"] == 1 and result["max_failover_s"] <= 15
    assert result["hall_db_restarts"] == 1 and result["dropped_connections"] > 0
