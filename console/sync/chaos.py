"""Chaos harness: many officer actions, faults everywhere, exactly-once at the end.

    python -m console.sync.chaos --actions 5000 --workstations 4 --kills 12 \\
        --server-restarts 2 --server-kill --seed 7

The parent starts the simulator (a subprocess, ``simulator.cli``), a fault proxy in
front of it with a seeded random fault schedule, and W workstation processes
(``console.sync.chaosworker``), each with its own local store, the real ``SyncEngine``
and the real ``console.operations``. The parent writes every action into its own
ledger (``<workdir>/ledger.jsonl``, flushed to disk) BEFORE asking a workstation to do
it, and judges the platform's final state against that ledger alone
(``console.sync.chaoscheck``): a store that loses an action together with its own
record of it cannot hide the loss.

Kills: the parent SIGKILLs workstations at random; restarted workstations are armed
with a fail point (``console.failpoints``: outbox row written before commit, committed
before send, sent before the answer is stored, mid feed batch before the cursor) and
kill themselves exactly there; the simulator is restarted (``--server-kill``: SIGKILL).
Faults and a kill go on into the final drain; then the link is clean, every workstation
drains, pulls the feed and reports what it shows.

Nothing is absorbed: a workstation that dies other than by our kill or its fail point,
or an action that raises, is a crash; a conflict or rejection shown to the officer is
correct only when another workstation really acted on that ticket; workstations sample
what their panels show and a ticket's version never goes backwards there except with a
visible rejection. One JSON line; exit 1 on any crash, loss, duplicate, divergence,
backwards read, unjustified or too much attention, or a run that did not finish.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import queue
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from console import failpoints
from console.sync import chaoscheck, chaosworker
from console.sync.proxy import FaultProxy

log = logging.getLogger(__name__)

TOKEN = "chaos-token"
#: action mix: always-legal actions on the workstation's own tickets, plus lifecycle
#: moves on anybody's tickets (these are where conflicts come from)
MIX = (("create", 0.22), ("annotate", 0.45), ("urge", 0.15), ("accept", 0.06),
       ("register", 0.05), ("dispatch", 0.03), ("joint_dispatch", 0.02), ("release_co", 0.02))


# =============================================================================
# parent
# =============================================================================
class Simulator:
    """The platform simulator as a child process; restartable on the same data."""

    def __init__(self, data_dir: Path, seed: int, token: str = TOKEN, extra: list[str] | None = None,
                 traffic: bool = False, history_days: float = 0.25):
        self.data_dir, self.seed, self.token = data_dir, seed, token
        self.extra = extra or []
        self.traffic, self.history_days = traffic, history_days
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.port = 0
        self.restarts = 0

    def start(self, timeout: float = 60.0) -> None:
        cmd = [sys.executable, "-m", "simulator.cli", "--host", "127.0.0.1", "--port", "0",
               "--data-dir", str(self.data_dir), "--seed", str(self.seed),
               "--allow-unsigned",  # the workers act without officer logins
               "--history-days", str(self.history_days), *([] if self.traffic else ["--no-traffic"]),
               "--no-streams", *self.extra]
        self.log = open(self.data_dir.parent / "simulator.log", "a")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log,
                                     stdin=subprocess.DEVNULL, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1",
                                          "DUTY_PLATFORM_TOKEN": self.token})
        ready: queue.Queue = queue.Queue()

        def read() -> None:
            assert self.proc and self.proc.stdout
            for line in self.proc.stdout:
                line = line.strip()
                if line.startswith("{"):
                    try:
                        ready.put(json.loads(line))
                        break
                    except ValueError:
                        continue
            ready.put(None)
            for _ in self.proc.stdout:  # keep the pipe drained
                pass

        threading.Thread(target=read, daemon=True).start()
        try:
            info = ready.get(timeout=timeout)
        except queue.Empty:
            info = None
        if not info or "url" not in info:
            self.stop()
            raise RuntimeError("the simulator did not report ready")
        self.url = info["url"].rstrip("/")
        self.port = int(self.url.rsplit(":", 1)[1].split("/")[0])

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def restart(self, sig: int = signal.SIGTERM, attempts: int = 3) -> None:
        self.stop(sig)
        for i in range(attempts):
            try:
                self.start()
                break
            except RuntimeError:
                if i == attempts - 1:
                    raise
                log.warning("the simulator did not come back; trying again")
                threading.Event().wait(2.0)   # give a busy machine a moment
        self.restarts += 1


class Worker:
    """One workstation process; its stdout lines become events on a shared queue.

    Each generation may be armed with a fail point (``console.failpoints``): the process
    then kills itself with SIGKILL at that point and notes it in ``mark``."""

    def __init__(self, index: int, args: list[str], events: queue.Queue, work: Path):
        self.index = index
        self.ws = f"CHAOS-{index + 1:02d}"
        self.args = args
        self.events = events
        self.work = work
        self.proc: subprocess.Popen | None = None
        self.generation = 0
        self.kills = 0           # SIGKILLs sent by the parent
        self.failpoint: str | None = None
        self.ready = False
        self.busy: int | None = None   # the action asked and not answered yet
        self.next_at = 0.0
        self.killed_by_us = False

    @property
    def mark(self) -> Path:
        return self.work / f"failpoint-{self.ws}-{self.generation}.mark"

    def start(self, failpoint: str | None = None) -> None:
        self.generation += 1
        gen = self.generation
        self.ready, self.busy, self.killed_by_us = False, None, False
        self.failpoint = failpoint
        env = {k: v for k, v in os.environ.items() if not k.startswith("DUTY_FAILPOINT")}
        if failpoint:
            env["DUTY_FAILPOINT"] = failpoint
            env["DUTY_FAILPOINT_MARK"] = str(self.mark)
        log_path = Path(self.args[self.args.index("--store") + 1]).with_suffix(".log")
        with open(log_path, "a") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "console.sync.chaos", "worker", *self.args],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, bufsize=1,
                env=env)
        proc = self.proc

        def read() -> None:
            assert proc.stdout
            for line in proc.stdout:
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue
                self.events.put((self.index, gen, ev))
            proc.wait()
            self.events.put((self.index, gen, {"event": "exit", "code": proc.returncode}))

        threading.Thread(target=read, daemon=True).start()

    def send(self, line: str) -> bool:
        try:
            assert self.proc and self.proc.stdin
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
            return True
        except (OSError, ValueError, AssertionError):
            return False

    def kill(self) -> bool:
        if self.proc and self.proc.poll() is None:
            self.killed_by_us = True
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
            self.kills += 1
            return True
        return False

    def failpoint_hit(self) -> str | None:
        try:
            return self.mark.read_text().split()[0]
        except (OSError, IndexError):
            return None

    @property
    def alive(self) -> bool:
        return bool(self.proc and self.proc.poll() is None)


class Ledger:
    """The parent's own record, one JSON line per entry, flushed to disk before the
    worker is asked: what was asked of whom, and what each worker answered."""

    def __init__(self, path: Path):
        self.path = path
        self._f = open(path, "a", encoding="utf-8")

    def write(self, **entry: Any) -> None:
        self._f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._f.flush()
        os.fsync(self._f.fileno())

    def close(self) -> None:
        self._f.close()

    @staticmethod
    def read(path: Path) -> list[dict[str, Any]]:
        with open(path, encoding="utf-8") as f:
            return [json.loads(line) for line in f if line.strip()]


def _plan(seed: int, actions: int, workstations: int) -> list[list[str]]:
    rng = random.Random(seed)
    kinds, weights = zip(*MIX)
    per = [actions // workstations + (1 if i < actions % workstations else 0) for i in range(workstations)]
    plans = []
    for n in per:
        # every workstation starts with a ticket of its own to act on
        p = ["create"] + [rng.choices(kinds, weights)[0] for _ in range(max(0, n - 1))]
        plans.append(p[:n])
    return plans


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Start everything, run, and always take it all down again."""
    started: dict[str, Any] = {"workers": [], "sim": None, "proxy": None}
    try:
        return _run(args, started)
    finally:
        for w in started["workers"]:
            w.kill()
        if started["proxy"] is not None:
            started["proxy"].close()
        if started["sim"] is not None:
            started["sim"].stop()


class _Run:
    """The parent's bookkeeping while the run goes on."""

    def __init__(self, args: argparse.Namespace, work: Path, rng: random.Random):
        self.args, self.work, self.rng = args, work, rng
        self.ledger = Ledger(work / "ledger.jsonl")
        self.crashes = 0
        self.crash_notes: list[str] = []
        self.kills_at: dict[str, int] = {p: 0 for p in failpoints.POINTS}
        self.last_seen: dict[tuple[str, str], list] = {}
        self.backwards = 0
        self.backwards_notes: list[str] = []
        self.synced: dict[int, dict] = {}
        self._fp_turn = 0

    def next_failpoint(self) -> str | None:
        """Arm most restarted workers with the next fail point, round robin, at its
        first to fourth pass."""
        if self.args.no_failpoints or self.rng.random() < 0.2:
            return None
        point = failpoints.POINTS[self._fp_turn % len(failpoints.POINTS)]
        self._fp_turn += 1
        return f"{point}:{self.rng.randint(1, 4)}"

    def seen(self, w: Worker, view: dict[str, list]) -> None:
        for tid, (state, version, attention) in view.items():
            key = (w.ws, tid)
            old = self.last_seen.get(key)
            if old is not None and version < old[1] and not attention:
                self.backwards += 1
                self.backwards_notes.append(f"{w.ws}: {tid[:8]} v{old[1]} {old[0]} -> v{version} {state}")
            self.last_seen[key] = [state, version, attention]

    def exited(self, w: Worker, code: int | None) -> None:
        """A worker process ended: our kill, a fail point, or a crash."""
        point = w.failpoint_hit()
        if w.killed_by_us:
            self.ledger.write(t="kill", ws=w.ws, gen=w.generation, by="parent", pending=w.busy)
        elif point and code == -signal.SIGKILL:
            self.kills_at[point] += 1
            self.ledger.write(t="kill", ws=w.ws, gen=w.generation, by="failpoint", point=point,
                              pending=w.busy)
        elif w.index in self.synced and code == 0:
            return
        else:
            self.crashes += 1
            self.crash_notes.append(f"{w.ws} gen {w.generation} exited {code}")
            self.ledger.write(t="crash", ws=w.ws, gen=w.generation, code=code, pending=w.busy)


def _run(args: argparse.Namespace, started: dict[str, Any]) -> dict[str, Any]:
    t_start = time.monotonic()
    work = Path(args.workdir or tempfile.mkdtemp(prefix="duty-chaos-"))
    work.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    sim = started["sim"] = Simulator(work / "platform", args.seed, extra=args.sim_arg or [])
    sim.start()
    proxy = started["proxy"] = FaultProxy("127.0.0.1", sim.port, seed=args.seed)
    events: queue.Queue = queue.Queue()
    plans = _plan(args.seed, args.actions, args.workstations)
    R = _Run(args, work, rng)
    R.ledger.write(t="start", seed=args.seed, planned=args.actions, workstations=args.workstations)
    # pace: the action phase lasts about `duration` seconds whatever N is
    duration = args.duration or max(8.0, min(60.0, args.actions / 80.0))
    workers: list[Worker] = started["workers"]
    for i in range(len(plans)):
        workers.append(Worker(i, [
            "--store", str(work / f"ws{i + 1}.sqlite3"), "--url", proxy.url, "--token", TOKEN,
            "--ws", f"CHAOS-{i + 1:02d}", "--seed", str(args.seed)], events, work))
    for w in workers:
        w.start(R.next_failpoint())
    if not args.no_faults:
        proxy.random_schedule(args.seed, mean_s=args.fault_mean_s)

    t0 = time.monotonic()
    timeline = sorted([(t0 + rng.uniform(1.5, duration * 0.9), "kill") for _ in range(args.kills)]
                      + [(t0 + rng.uniform(2.0, duration * 0.8), "restart")
                         for _ in range(args.server_restarts)])
    deadline = t0 + args.timeout
    cursor = [0] * len(workers)          # next plan step per worker
    interval = [duration / max(1, len(p)) for p in plans]
    phase = {w.index: "act" for w in workers}

    def ask(w: Worker) -> None:
        n = cursor[w.index]
        kind = plans[w.index][n]
        R.ledger.write(t="ask", ws=w.ws, n=n, kind=kind, marker=chaosworker.marker(w.ws, n), gen=w.generation)
        cursor[w.index] += 1
        w.busy = n
        if not w.send(f"act {n} {kind}"):
            w.busy = None   # the process is gone; its exit event restarts it

    def handle(ev: tuple[int, int, dict]) -> None:
        idx, gen, body = ev
        w = workers[idx]
        if gen != w.generation:
            return  # news from a process we already replaced
        e = body.get("event")
        if e == "ready":
            w.ready = True
            if phase[idx] == "drain":
                w.send("drain")
        elif e == "acted":
            R.ledger.write(t="acted", ws=w.ws, gen=gen, **{k: v for k, v in body.items() if k != "event"})
            if body.get("outcome") == "error":
                R.crashes += 1
                R.crash_notes.append(f"{w.ws}: action {body.get('n')} raised {body.get('reason')}")
            w.busy = None
            w.next_at = time.monotonic() + interval[idx]
        elif e == "seen":
            R.seen(w, body.get("view") or {})
        elif e == "drained":
            phase[idx] = "drained"
        elif e == "synced":
            phase[idx] = "synced"
            R.synced[idx] = body
        elif e == "exit":
            R.exited(w, body.get("code"))
            if phase[idx] != "synced":
                if phase[idx] == "drained":
                    phase[idx] = "drain"
                w.start(R.next_failpoint())

    def pump(until: float) -> None:
        while time.monotonic() < until:
            try:
                handle(events.get(timeout=max(0.01, min(0.2, until - time.monotonic()))))
            except queue.Empty:
                pass

    def do(what: str) -> None:
        if what == "kill":
            alive = [w for w in workers if w.alive]
            if alive:
                alive_w = rng.choice(alive)
                alive_w.kill()      # its exit event restarts it
        else:
            sim.restart(signal.SIGKILL if args.server_kill else signal.SIGTERM)
            proxy.set_upstream("127.0.0.1", sim.port)
            R.ledger.write(t="server_restart", signal="KILL" if args.server_kill else "TERM")

    # -- the action phase -------------------------------------------------------------
    while time.monotonic() < deadline:
        now = time.monotonic()
        if timeline and timeline[0][0] <= now:
            do(timeline.pop(0)[1])
        for w in workers:
            if w.ready and w.busy is None and cursor[w.index] < len(plans[w.index]) and now >= w.next_at:
                ask(w)
        if not timeline and all(cursor[w.index] >= len(plans[w.index]) and w.busy is None for w in workers):
            break
        pump(now + 0.05)

    # -- the final drain: faults and a kill at first, then a clean link ------------------
    t_conv = time.monotonic()
    for w in workers:
        phase[w.index] = "drain"
        if w.ready:
            w.send("drain")
    drain_chaos = [] if args.no_faults else [(t_conv + rng.uniform(0.2, args.drain_chaos_s), "kill")]
    if args.server_restarts and not args.no_faults:
        drain_chaos.append((t_conv + rng.uniform(0.5, args.drain_chaos_s), "restart"))
    drain_chaos.sort()
    while drain_chaos and time.monotonic() < deadline:
        if drain_chaos[0][0] <= time.monotonic():
            do(drain_chaos.pop(0)[1])
        pump(time.monotonic() + 0.1)
    proxy.stop_schedule()
    proxy.pass_through()
    R.ledger.write(t="faults_off", faults=proxy.faults_injected)
    synced_sent = False
    while time.monotonic() < deadline:
        if not synced_sent and all(p == "drained" for p in phase.values()):
            for w in workers:
                w.send("sync")
            synced_sent = True
        if all(p == "synced" for p in phase.values()):
            break
        pump(time.monotonic() + 0.2)
    converge_s = time.monotonic() - t_conv
    timed_out = any(p != "synced" for p in phase.values())
    for w in workers:
        if w.proc:
            try:
                w.proc.wait(20)
            except subprocess.TimeoutExpired:
                w.kill()
    while True:   # the last exits and samples
        try:
            handle(events.get_nowait())
        except queue.Empty:
            break
    R.ledger.write(t="end", timed_out=timed_out)
    R.ledger.close()

    verdict = chaoscheck.verify(sim.url, TOKEN, Ledger.read(work / "ledger.jsonl"),
                                {w.ws: R.synced.get(w.index, {}) for w in workers},
                                {w.ws: work / f"ws{w.index + 1}.sqlite3" for w in workers}, args.seed)
    proxy.close()
    sim.stop()
    out = {
        "actions_planned": args.actions,
        "actions_issued": verdict["issued"],
        "faults": proxy.faults_injected,
        "client_kills": sum(w.kills for w in workers),
        "kills_at_failpoints": R.kills_at,
        "server_kills": sim.restarts if args.server_kill else 0,
        "crashes": R.crashes,
        "lost": verdict["lost"],
        "duplicated": verdict["duplicated"],
        "diverged": verdict["diverged"],
        "backwards": R.backwards,
        "attention": verdict["attention"],
        "attention_justified": verdict["attention_justified"],
        "converge_s": round(converge_s, 2) if not timed_out else None,
    }
    details = verdict["details"] + R.crash_notes + R.backwards_notes
    if timed_out:
        details.append("timed out before every workstation synced: " + json.dumps(phase))
    (work / "verdict.json").write_text(json.dumps({"out": out, "details": details}, ensure_ascii=False, indent=1))
    if args.details:
        for line in details[:40]:
            print(line, file=sys.stderr)
    out["_timed_out"] = timed_out
    out["_attention_limit"] = int(args.max_attention_share * max(1, verdict["issued"]))
    return out


def failed(out: dict[str, Any]) -> bool:
    """Any crash, loss, duplicate, divergence, backwards read or unjustified (or too
    much) attention, or a run that did not finish."""
    return bool(out["crashes"] or out["lost"] or out["duplicated"] or out["diverged"] or out["backwards"]
                or out["attention"] != out["attention_justified"]
                or out["attention"] > out["_attention_limit"] or out["_timed_out"])


# =============================================================================
# entry point
# =============================================================================
def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "worker":
        from console.sync import chaosworker

        return chaosworker.main(argv[1:])
    p = argparse.ArgumentParser(prog="python -m console.sync.chaos", description=__doc__.split("\n")[0])
    p.add_argument("--actions", type=int, default=200)
    p.add_argument("--workstations", type=int, default=2)
    p.add_argument("--kills", type=int, default=2)
    p.add_argument("--server-restarts", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--duration", type=float, default=0.0, help="action phase length (s)")
    p.add_argument("--timeout", type=float, default=900.0)
    p.add_argument("--fault-mean-s", type=float, default=1.0)
    p.add_argument("--no-faults", action="store_true")
    p.add_argument("--server-kill", action="store_true", help="restart the simulator with SIGKILL")
    p.add_argument("--no-failpoints", action="store_true", help="restart workers without fail points")
    p.add_argument("--drain-chaos-s", type=float, default=3.0,
                   help="faults and kills go on this long into the final drain")
    p.add_argument("--max-attention-share", type=float, default=0.25,
                   help="conflicts and rejections allowed, as a share of the actions issued")
    p.add_argument("--sim-arg", action="append", help="extra simulator CLI argument")
    p.add_argument("--workdir")
    p.add_argument("--details", action="store_true")
    args = p.parse_args(argv)
    logging.basicConfig(level=os.environ.get("CHAOS_LOG", "WARNING"), stream=sys.stderr)
    out = run(args)
    bad = failed(out)
    print(json.dumps({k: v for k, v in out.items() if not k.startswith("_")}, ensure_ascii=False), flush=True)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
