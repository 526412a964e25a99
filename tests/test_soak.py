"""A short seeded soak (one platform day at 4800x): the same checks as `make soak`.
(That the ledger catches a desk which drops an action and its record is shown on the
same verdict code by tests/sync/test_chaos.py.)"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_one_platform_day_loses_nothing_and_hands_over_every_shift(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench.soak", "--days", "1", "--speed", "4800", "--seed", "4",
                           "--actions-per-hour", "12", "--workdir", str(tmp_path / "soak"), "--timeout", "120"],
                          cwd=ROOT, capture_output=True, text=True, timeout=240)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    assert len(lines) == 1, proc.stderr[-3000:]
    out = json.loads(lines[0])
    assert out["platform_days"] >= 1.0 and out["shifts"] == 3 and out["handovers_signed"] == 3, out
    assert out["outages"] >= 1 and out["actions"] > 100 and out["actions_done"] > 100, out
    assert (out["lost"], out["duplicated"], out["crashes"]) == (0, 0, 0), (out, proc.stderr[-2000:])
    assert out["rss_mb_day1"] > 0 and out["journal_rows_day7"] > 0 and out["store_mb_day7"] > 0
    assert proc.returncode == 0, (out, proc.stderr[-2000:])
    ledger = [json.loads(x) for x in (tmp_path / "soak" / "ledger.jsonl").read_text().splitlines()]
    assert sum(1 for e in ledger if e["t"] == "ask" and e["kind"] == "handover") == 3
