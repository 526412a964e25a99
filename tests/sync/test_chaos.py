"""Seeded chaos runs: real processes, real simulator, SIGKILLs at fail points and at
random, simulator SIGKILL restarts, faults into the final drain; the same checks as
``make chaos``. And the harness itself: a workstation that claims an action and keeps
no trace of it is caught by the parent's ledger."""

import json
import subprocess
import sys
from pathlib import Path

from console import failpoints

ROOT = Path(__file__).resolve().parents[2]


def _chaos(tmp_path, *extra, env=None, timeout=150):
    import os

    cmd = [sys.executable, "-m", "console.sync.chaos", "--workdir", str(tmp_path / "chaos"), *extra]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})})
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    assert len(lines) == 1, proc.stderr[-3000:]
    return proc, json.loads(lines[0])


KEYS = ["actions_planned", "actions_issued", "faults", "client_kills", "kills_at_failpoints", "server_kills",
        "crashes", "lost", "duplicated", "diverged", "backwards", "attention", "attention_justified",
        "converge_s"]


def test_seeded_chaos_run_is_exactly_once(tmp_path):
    proc, out = _chaos(tmp_path, "--actions", "200", "--workstations", "2", "--kills", "2",
                       "--server-restarts", "1", "--server-kill", "--seed", "5", "--duration", "10",
                       "--timeout", "110")
    assert list(out) == KEYS
    assert out["actions_planned"] == 200 and 100 < out["actions_issued"] <= 200
    assert out["client_kills"] >= 2 and out["server_kills"] >= 1 and out["faults"] > 0
    assert set(out["kills_at_failpoints"]) == set(failpoints.POINTS)
    assert sum(out["kills_at_failpoints"].values()) >= 2
    assert (out["crashes"], out["lost"], out["duplicated"], out["diverged"], out["backwards"]) == (0, 0, 0, 0, 0), out
    assert out["attention"] == out["attention_justified"]
    assert proc.returncode == 0, (out, (tmp_path / "chaos" / "verdict.json").read_text()[-3000:])
    ledger = [json.loads(x) for x in (tmp_path / "chaos" / "ledger.jsonl").read_text().splitlines()]
    asks = [e for e in ledger if e["t"] == "ask"]
    assert len(asks) <= 200 and len({(e["ws"], e["n"]) for e in asks}) == len(asks)


def test_an_action_the_store_does_not_keep_is_caught_by_the_ledger(tmp_path):
    # workstation 1 answers "done" for actions 3 and 5 and keeps no trace of them
    proc, out = _chaos(tmp_path, "--actions", "30", "--workstations", "1", "--kills", "0",
                       "--server-restarts", "0", "--no-faults", "--no-failpoints", "--seed", "3",
                       "--duration", "3", "--timeout", "60", env={"CHAOS_WORKER_FORGET": "3,5"})
    assert out["lost"] == 2, out
    assert proc.returncode == 1


def test_attention_is_justified_only_by_someone_else_past_the_desks_version():
    from console.domain.lifecycle import _event_id
    from console.sync.chaoscheck import _moved_past

    tid = "t-1"

    def ev(v, ws):
        return _event_id(tid, v), {"ticket_id": tid, "actor": {"workstation": ws}}

    events = dict([ev(1, "CHAOS-01"), ev(2, "CHAOS-01"), ev(3, "CHAOS-02"), ev(4, None)])
    ticket = {"id": tid, "version": 4}
    # the desk knew v2: CHAOS-02 (v3) and the platform (v4) moved it on
    assert _moved_past(tid, 2, ticket, events) == {"CHAOS-02", "platform"}
    # the desk knew v3 already: only the platform's v4 is news
    assert _moved_past(tid, 3, ticket, events) == {"platform"}
    # nobody moved it past v4; CHAOS-02's old v3 does not justify a conflict now
    assert _moved_past(tid, 4, ticket, events) == set()
    assert _moved_past(tid, None, ticket, events) == set()


def test_timelines_differ_on_any_field_the_detail_panel_shows():
    from console.sync.chaoscheck import _timeline

    e = {"event_id": "e1", "action": "annotate", "actor": {"user_id": "officer1", "workstation": "CHAOS-01"},
         "at": 10.0, "from_state": "pending", "to_state": "pending", "params": {"text": "chaos CHAOS-01 #3"},
         "local": False}
    assert _timeline([e]) == _timeline([dict(e)])
    for change in ({"params": {"text": "other"}}, {"local": True}, {"at": 11.0}, {"to_state": "accepted"},
                   {"actor": {"user_id": "officer2", "workstation": "CHAOS-01"}}):
        assert _timeline([{**e, **change}]) != _timeline([e]), change
    assert _timeline([]) != _timeline([e])
