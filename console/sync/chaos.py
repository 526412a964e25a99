"""Chaos harness: many officer actions, faults everywhere, exactly-once at the end.

    python -m console.sync.chaos --actions 5000 --workstations 4 --kills 12 \\
        --server-restarts 2 --seed 7

The parent starts the simulator (a subprocess, ``simulator.cli``), a fault proxy in
front of it with a seeded random fault schedule, and W workstation processes. Each
workstation has its own local store and runs the real ``SyncEngine`` and the real
``console.operations`` functions. While they act, the parent kills workstations
with SIGKILL (and starts them again) and restarts the simulator. Then the faults
stop, every workstation drains its outbox and pulls the feed, and the parent checks:

- lost: an action recorded at a workstation that neither took effect on the
  platform nor was surfaced to the officer (needs attention: conflict/rejected);
- duplicated: an action that took effect more than once;
- diverged: a ticket whose local row differs from the platform's.

It prints one JSON line and exits 1 if any of the three is non-zero.
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

from console.sync.proxy import FaultProxy

log = logging.getLogger(__name__)

TOKEN = "chaos-token"
#: action mix: always-legal actions on the workstation's own tickets, plus lifecycle
#: moves on anybody's tickets (these are where conflicts come from)
MIX = (("create", 0.22), ("annotate", 0.48), ("urge", 0.16), ("accept", 0.06),
       ("register", 0.04), ("dispatch", 0.04))


# =============================================================================
# parent
# =============================================================================
class Simulator:
    """The platform simulator as a child process; restartable on the same data."""

    def __init__(self, data_dir: Path, seed: int, token: str = TOKEN, extra: list[str] | None = None):
        self.data_dir, self.seed, self.token = data_dir, seed, token
        self.extra = extra or []
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.port = 0
        self.restarts = 0

    def start(self, timeout: float = 60.0) -> None:
        cmd = [sys.executable, "-m", "simulator.cli", "--host", "127.0.0.1", "--port", "0",
               "--data-dir", str(self.data_dir), "--seed", str(self.seed), "--token", self.token,
               "--history-days", "0.25", "--no-traffic", "--no-streams", *self.extra]
        self.log = open(self.data_dir.parent / "simulator.log", "a")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=self.log,
                                     stdin=subprocess.DEVNULL, text=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
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
    """One workstation process; its stdout lines become events on a shared queue."""

    def __init__(self, index: int, args: list[str], events: queue.Queue):
        self.index = index
        self.ws = f"CHAOS-{index + 1:02d}"
        self.args = args
        self.events = events
        self.proc: subprocess.Popen | None = None
        self.generation = 0
        self.kills = 0
        self.last: dict[str, Any] = {}

    def start(self) -> None:
        self.generation += 1
        gen = self.generation
        log_path = Path(self.args[self.args.index("--store") + 1]).with_suffix(".log")
        with open(log_path, "a") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "console.sync.chaos", "worker", *self.args],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err, text=True, bufsize=1,
            )
        proc = self.proc

        def read() -> None:
            assert proc.stdout
            for line in proc.stdout:
                try:
                    ev = json.loads(line)
                except ValueError:
                    continue
                self.events.put((self.index, gen, ev))
            self.events.put((self.index, gen, {"event": "exit"}))

        threading.Thread(target=read, daemon=True).start()

    def send(self, line: str) -> None:
        try:
            assert self.proc and self.proc.stdin
            self.proc.stdin.write(line + "\n")
            self.proc.stdin.flush()
        except (OSError, ValueError, AssertionError):
            pass

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(10)
            self.kills += 1

    @property
    def alive(self) -> bool:
        return bool(self.proc and self.proc.poll() is None)


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
    # pace: the action phase lasts about `duration` seconds whatever N is
    duration = args.duration or max(8.0, min(60.0, args.actions / 80.0))
    workers: list[Worker] = started["workers"]
    for i, plan in enumerate(plans):
        pfile = work / f"plan-{i}.json"
        pfile.write_text(json.dumps(plan))
        rate = max(1.0, len(plan) / duration)
        workers.append(Worker(i, [
            "--store", str(work / f"ws{i + 1}.sqlite3"), "--url", proxy.url, "--token", TOKEN,
            "--ws", f"CHAOS-{i + 1:02d}", "--plan", str(pfile), "--seed", str(args.seed),
            "--rate", f"{rate:.3f}"], events))
    for w in workers:
        w.start()
    if not args.no_faults:
        proxy.random_schedule(args.seed, mean_s=args.fault_mean_s)

    # fault timeline over the action phase: kills and simulator restarts
    t0 = time.monotonic()
    timeline = sorted([(t0 + rng.uniform(1.5, duration * 0.9), "kill") for _ in range(args.kills)]
                      + [(t0 + rng.uniform(2.0, duration * 0.8), "restart")
                         for _ in range(args.server_restarts)])
    actions_done: set[int] = set()
    deadline = t0 + args.timeout

    def handle(ev: tuple[int, int, dict]) -> None:
        idx, gen, body = ev
        w = workers[idx]
        if gen != w.generation:
            return  # news from a process we already killed
        w.last = body
        e = body.get("event")
        if e == "actions_done":
            actions_done.add(idx)
        elif e == "exit" and body is not None and w.proc and w.proc.returncode not in (0, None) \
                and w.proc.returncode != -signal.SIGKILL:
            log.error("worker %s died (%s); starting it again", w.ws, w.proc.returncode)
            actions_done.discard(idx)
            w.start()

    while (timeline or len(actions_done) < len(workers)) and time.monotonic() < deadline:
        wait = (timeline[0][0] - time.monotonic()) if timeline else 1.0
        if wait > 0:
            try:
                handle(events.get(timeout=min(wait, 1.0)))
            except queue.Empty:
                pass
            continue
        _, what = timeline.pop(0)
        if what == "kill":
            alive = [w for w in workers if w.alive]
            if alive:
                w = rng.choice(alive)
                w.kill()
                actions_done.discard(w.index)
                w.start()
        else:
            sim.restart(signal.SIGKILL if args.server_kill else signal.SIGTERM)
            proxy.set_upstream("127.0.0.1", sim.port)

    # drain and converge without faults
    proxy.stop_schedule()
    proxy.pass_through()
    t_conv = time.monotonic()
    for w in workers:
        w.send("drain")
    phase = {w.index: "drain" for w in workers}
    drained_s = 0.0
    while any(p != "synced" for p in phase.values()) and time.monotonic() < deadline:
        try:
            idx, gen, body = events.get(timeout=1.0)
        except queue.Empty:
            continue
        w = workers[idx]
        if gen != w.generation:
            continue
        e = body.get("event")
        if e == "actions_done" and phase[idx] == "drain":
            w.send("drain")   # a restarted worker: ask again
        elif e == "drained":
            phase[idx] = "drained"
            w.last = body
            if all(p in ("drained", "synced") for p in phase.values()):
                drained_s = drained_s or time.monotonic() - t_conv
                for x in workers:
                    if phase[x.index] == "drained":
                        x.send("sync")
        elif e == "synced":
            phase[idx] = "synced"
            w.last = body
        elif e == "exit" and phase[idx] != "synced":
            w.start()
            phase[idx] = "drain"
    converge_s = time.monotonic() - t_conv
    timed_out = any(p != "synced" for p in phase.values())
    for w in workers:
        if w.proc:
            try:
                w.proc.wait(20)
            except subprocess.TimeoutExpired:
                w.kill()

    from console.sync import chaoscheck

    verdict = chaoscheck.verify(sim.url, TOKEN, [work / f"ws{i + 1}.sqlite3" for i in range(len(workers))],
                                [w.ws for w in workers])
    proxy.close()
    sim.stop()
    out = {
        "actions": args.actions,
        "faults": proxy.faults_injected + proxy.fault_changes,
        "client_kills": sum(w.kills for w in workers),
        "server_restarts": sim.restarts,
        "lost": verdict["lost"] + (verdict["unsynced"] if timed_out else 0),
        "duplicated": verdict["duplicated"],
        "diverged": verdict["diverged"],
        "converge_s": round(converge_s, 2),
        "drained_s": round(drained_s, 2),
        "issued": verdict["issued"],
        "refused_local": args.actions - verdict["issued"],
        "attention": verdict["attention"],
        "timed_out": timed_out,
        "elapsed_s": round(time.monotonic() - t_start, 1),
    }
    if args.details:
        out["details"] = verdict.get("details", [])[:20]
    return out


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
    p.add_argument("--sim-arg", action="append", help="extra simulator CLI argument")
    p.add_argument("--workdir")
    p.add_argument("--details", action="store_true")
    args = p.parse_args(argv)
    logging.basicConfig(level=os.environ.get("CHAOS_LOG", "WARNING"), stream=sys.stderr)
    out = run(args)
    print(json.dumps(out, ensure_ascii=False), flush=True)
    return 1 if (out["lost"] or out["duplicated"] or out["diverged"] or out["timed_out"]) else 0


if __name__ == "__main__":
    sys.exit(main())
