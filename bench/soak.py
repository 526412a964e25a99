"""`make soak`: a simulated week of duty, one JSON line, exit 1 when it went wrong.

    python -m bench.soak --days 7 --speed 600 --seed 1

The platform simulator runs at ``--speed`` platform seconds per wall second with the
demo's live traffic (new tickets, their lifecycle). Two desks (``console.sync.chaosworker``
processes: the real ``SyncEngine``, the real store and ``console.operations``) work
through a fault proxy:

- desk 1 stays up all week: it is the one whose memory, journal and store are measured
  (``rss_mb_day1`` at the end of platform day 1, ``rss_mb_day7`` at the end);
- desk 2 is restarted (SIGKILL) about once a platform day;
- both desks act as officers do (new tickets, annotations, urges, accept / register /
  dispatch on the hall's tickets), paced in platform time;
- at every shift change (07:00, 15:00, 23:00 Asia/Shanghai, ``console.domain.roster``)
  desk 1 signs the handover of the shift that ends and the next leader acknowledges it;
- the district link (the proxy) goes down every few platform hours for a few platform
  minutes to an hour.

The parent writes every action into its own ledger before asking (as ``make chaos``
does) and judges the platform against it (``console.sync.chaoscheck``): ``lost`` counts
actions a desk answered "done" that the platform does not hold nor shows as needing
attention. A handover is missing when the platform has no acknowledged handover for a
shift that ended. There is no hall database in this run (desks keep their own stores),
so no hall-database restart.

Exit 1 on memory growth over 10 % after day one, anything lost or duplicated, a crash,
a missing handover, or a run that did not finish.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import queue
import random
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from console.domain import roster
from console.sync import chaoscheck
from console.sync.chaos import MIX, TOKEN, Ledger, Simulator, Worker
from console.sync.chaosworker import marker
from console.sync.proxy import FaultProxy

SH = ZoneInfo("Asia/Shanghai")
LEADERS = ("leader1", "leader2")


def shift_ends(t0: float, t1: float) -> list[tuple[float, str, str]]:
    """(platform time, shift date, shift) of every shift that ends in (t0, t1]."""
    out = []
    at = dt.datetime.fromtimestamp(t0, SH)
    date, shift = roster.shift_at(at)
    while True:
        _, end = roster.shift_bounds(date, shift)
        ts = end.timestamp()
        if ts > t1:
            return out
        if ts > t0:
            out.append((ts, date.isoformat(), shift))
        date, shift = roster.next_shift(date, shift)


def handovers_on_platform(url: str, token: str) -> dict[tuple[str, str], dict]:
    """The platform's handover records by (shift date, shift), read from its feed."""
    from console.sync.client import PlatformClient

    client = PlatformClient(url, token, timeout=(5, 60))
    out: dict[tuple[str, str], dict] = {}
    cursor = ""
    try:
        while True:
            b = client.changes(cursor, 5000)
            for ch in b.changes:   # duty records: {"kind": "handover", "data": {...}, ...}
                rec = ch.get("data") or {}
                if ch["kind"] == "duty_record" and ch["op"] != "delete" and rec.get("kind") == "handover":
                    d = rec.get("data") or {}
                    out[(str(d.get("shift_date")), str(d.get("shift")))] = d
            cursor = b.next_cursor
            if not b.has_more:
                break
    finally:
        client.close()
    return out


class Soak:
    def __init__(self, args: argparse.Namespace, work: Path):
        self.args, self.work = args, work
        self.rng = random.Random(args.seed)
        self.events: queue.Queue = queue.Queue()
        self.ledger = Ledger(work / "ledger.jsonl")
        self.crashes: list[str] = []
        self.stats: dict[int, dict] = {}
        self.synced: dict[int, dict] = {}
        self.phase: dict[int, str] = {}
        self.handover_errors: list[str] = []
        self.outages = 0
        self.restarts = 0
        self.actions = 0

    def handle(self, ev: tuple[int, int, dict], workers: list[Worker]) -> None:
        idx, gen, body = ev
        w = workers[idx]
        if gen != w.generation:
            return
        e = body.get("event")
        if e == "ready":
            w.ready = True
            if self.phase[idx] == "drain":
                w.send("drain")
        elif e == "acted":
            self.ledger.write(t="acted", ws=w.ws, gen=gen, **{k: v for k, v in body.items() if k != "event"})
            if body.get("outcome") == "error":
                self.crashes.append(f"{w.ws}: {body.get('kind')} {body.get('n')} raised {body.get('reason')}")
            w.busy = None
        elif e == "stats":
            self.stats[idx] = body
        elif e == "drained":
            self.phase[idx] = "drained"
        elif e == "synced":
            self.phase[idx] = "synced"
            self.synced[idx] = body
        elif e == "exit":
            code = body.get("code")
            if w.killed_by_us:
                self.ledger.write(t="kill", ws=w.ws, gen=w.generation, by="parent", pending=w.busy)
            elif not (self.phase[idx] == "synced" and code == 0):
                self.crashes.append(f"{w.ws} gen {w.generation} exited {code}")
                self.ledger.write(t="crash", ws=w.ws, gen=w.generation, code=code, pending=w.busy)
            if self.phase[idx] != "synced":
                if self.phase[idx] == "drained":
                    self.phase[idx] = "drain"
                w.start()

    def pump(self, workers: list[Worker], until: float) -> None:
        while time.monotonic() < until:
            try:
                self.handle(self.events.get(timeout=max(0.01, min(0.2, until - time.monotonic()))), workers)
            except queue.Empty:
                pass

    def sample(self, w: Worker, workers: list[Worker], timeout: float = 30.0) -> dict | None:
        """Ask a desk for its figures and wait for the answer."""
        self.stats.pop(w.index, None)
        if not w.ready or not w.send("stats"):
            return None
        end = time.monotonic() + timeout
        while w.index not in self.stats and time.monotonic() < end:
            self.pump(workers, time.monotonic() + 0.05)
        return self.stats.get(w.index)


def run(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(args.workdir or tempfile.mkdtemp(prefix="duty-soak-"))
    work.mkdir(parents=True, exist_ok=True)
    sim = Simulator(work / "platform", args.seed, traffic=True, history_days=0.5,
                    extra=["--speed", str(args.speed), "--daily-rate", str(args.daily_rate)])
    sim.start()
    proxy = FaultProxy("127.0.0.1", sim.port, seed=args.seed)
    S = Soak(args, work)
    workers = [Worker(i, ["--store", str(work / f"desk{i + 1}.sqlite3"), "--url", proxy.url, "--token", TOKEN,
                          "--ws", f"CHAOS-{i + 1:02d}", "--seed", str(args.seed)], S.events, work)
               for i in range(2)]
    try:
        return _run(args, S, sim, proxy, workers, work)
    finally:
        for w in workers:
            w.kill()
        proxy.close()
        sim.stop()


def _run(args, S: Soak, sim: Simulator, proxy: FaultProxy, workers: list[Worker], work: Path) -> dict[str, Any]:
    t_wall0 = time.monotonic()
    deadline = t_wall0 + args.timeout
    for w in workers:
        S.phase[w.index] = "act"
        w.start()
    while not all(w.ready for w in workers) and time.monotonic() < deadline:
        S.pump(workers, time.monotonic() + 0.2)
    from console.sync.client import PlatformClient

    # the platform's clock, read directly (not through the proxy: it runs on in an outage)
    clock = PlatformClient(sim.url, TOKEN, timeout=(5, 10))

    def platform_now() -> float:
        return float(clock.health().server_time_epoch)

    if S.sample(workers[0], workers) is None:
        raise RuntimeError("desk 1 did not answer")
    p0 = platform_now()
    p_end = p0 + args.days * 86400
    rng = S.rng
    kinds, weights = zip(*MIX)
    plan_n = [0, 0]
    next_act = [p0, p0]
    act_gap = 3600.0 / args.actions_per_hour
    next_outage = p0 + rng.uniform(1, 2 * args.outage_every_h) * 3600
    outage_until: float | None = None
    next_restart = p0 + rng.uniform(0.5, 1.5) * 86400
    shifts = shift_ends(p0, p_end)
    handovers_asked: list[tuple[str, str]] = []
    rss_day1: float | None = None
    samples: list[dict] = []
    hn = 0
    now = p0
    last_sample = time.monotonic()
    R = []  # figures at the end of each platform day
    day_marks = [p0 + d * 86400 for d in range(1, args.days + 1)]

    def ask(w: Worker, kind: str, line: str, n: int) -> None:
        S.ledger.write(t="ask", ws=w.ws, n=n, kind=kind, marker=marker(w.ws, n), gen=w.generation)
        w.busy = n
        if not w.send(line):
            w.busy = None

    while time.monotonic() < deadline:
        now = platform_now()
        # the figures of the desk that stays up, every few seconds and at each day's end
        if time.monotonic() - last_sample >= 5.0 or (day_marks and now >= day_marks[0]):
            st = S.sample(workers[0], workers, timeout=10)
            last_sample = time.monotonic()
            if st is not None:
                samples.append(st)
                while day_marks and now >= day_marks[0]:
                    day_marks.pop(0)
                    R.append(st)
                    if rss_day1 is None:
                        rss_day1 = float(st["rss_mb"])
        if now >= p_end and not shifts:
            break
        # the district link
        if outage_until is None and now >= next_outage:
            proxy.partition(rng.choice(["refuse", "blackhole"]))
            outage_until = now + rng.uniform(args.outage_min_m, args.outage_max_m) * 60
            S.outages += 1
            S.ledger.write(t="outage", at=now, until=outage_until)
        elif outage_until is not None and now >= outage_until:
            proxy.pass_through()
            outage_until = None
            next_outage = now + rng.uniform(0.5, 1.5) * args.outage_every_h * 3600
        # desk 2 restarts about once a day
        if now >= next_restart and workers[1].alive:
            workers[1].kill()   # its exit event starts it again
            S.restarts += 1
            next_restart = now + rng.uniform(0.6, 1.4) * 86400
        # the shift changes: desk 1 hands over (first in line: it waits for no action)
        if shifts and now >= shifts[0][0] and workers[0].ready and workers[0].busy is None:
            _, date, shift = shifts.pop(0)
            giver, taker = LEADERS[hn % 2], LEADERS[(hn + 1) % 2]
            n = 1_000_000 + hn
            hn += 1
            handovers_asked.append((date, shift))
            ask(workers[0], "handover", f"handover {n} {date} {shift} {giver} {taker}", n)
        # officers' actions, paced in platform time
        for w in workers:
            if now < p_end and w.ready and w.busy is None and now >= next_act[w.index]:
                n = plan_n[w.index]
                kind = "create" if n == 0 else rng.choices(kinds, weights)[0]
                plan_n[w.index] += 1
                next_act[w.index] = now + rng.expovariate(1 / act_gap)
                S.actions += 1
                ask(w, kind, f"act {n} {kind}", n)
        S.pump(workers, time.monotonic() + 0.05)
    finished = now >= p_end and not shifts
    last = S.sample(workers[0], workers) or (samples[-1] if samples else {})
    clock.close()

    # the end: link back, every desk drains and reads the feed
    proxy.pass_through()
    t_conv = time.monotonic()
    for w in workers:
        S.phase[w.index] = "drain"
        if w.ready:
            w.send("drain")
    sent = False
    while time.monotonic() < deadline + 300:
        if not sent and all(p == "drained" for p in S.phase.values()):
            for w in workers:
                w.send("sync")
            sent = True
        if all(p == "synced" for p in S.phase.values()):
            break
        S.pump(workers, time.monotonic() + 0.2)
    timed_out = any(p != "synced" for p in S.phase.values())
    for w in workers:
        if w.proc:
            try:
                w.proc.wait(20)
            except Exception:  # noqa: BLE001
                w.kill()
    while True:
        try:
            S.handle(S.events.get_nowait(), workers)
        except queue.Empty:
            break
    S.ledger.write(t="end", timed_out=timed_out)
    S.ledger.close()
    ledger = Ledger.read(work / "ledger.jsonl")
    ledger_actions = [e for e in ledger if not (e.get("t") == "ask" and e.get("kind") == "handover")]
    verdict = chaoscheck.verify(sim.url, TOKEN, ledger_actions,
                                {w.ws: S.synced.get(w.index, {}) for w in workers},
                                {w.ws: work / f"desk{w.index + 1}.sqlite3" for w in workers}, args.seed)
    plat = handovers_on_platform(sim.url, TOKEN)
    signed = sum(1 for k in handovers_asked if (plat.get(k) or {}).get("state") == "acknowledged"
                 and (plat.get(k) or {}).get("signed_at") is not None)
    missing = [f"{d} {s}" for d, s in handovers_asked if (plat.get((d, s)) or {}).get("state") != "acknowledged"]
    rss7 = float(last.get("rss_mb") or 0.0)
    out = {
        "platform_days": round((now - p0) / 86400, 2),
        "shifts": len(handovers_asked),
        "handovers_signed": signed,
        "outages": S.outages,
        "desk_restarts": S.restarts,
        "actions": S.actions,
        "actions_done": verdict["issued"],
        "lost": verdict["lost"],
        "duplicated": verdict["duplicated"],
        "crashes": len(S.crashes),
        "rss_mb_day1": round(rss_day1, 1) if rss_day1 is not None else None,
        "rss_mb_day7": round(rss7, 1),
        # where the growth is: SQLite's own allocations (page caches), day 1 and day 7
        "sqlite_mb_day1": round(float(R[0].get("sqlite_mb", -1)), 1) if R else None,
        "sqlite_mb_day7": round(float(last.get("sqlite_mb", -1)), 1),
        "journal_rows_day7": int(last.get("journal_rows") or 0),
        "store_mb_day7": round(float(last.get("store_mb") or 0.0), 1),
        "tickets_day7": int(last.get("tickets") or 0),
        "converge_s": round(time.monotonic() - t_conv, 1),
        "wall_s": round(time.monotonic() - t_wall0, 1),
    }
    # (the platform's traffic goes on after the desks' last read, so ticket-by-ticket
    # divergence is not judged here: make chaos does that on a quiet platform)
    details = [d for d in verdict["details"] if d.startswith(("lost", "duplicated", "refused", "an effect"))]
    details += S.crashes + [f"handover missing: {m}" for m in missing]
    if not finished:
        details.append(f"the week did not finish: platform reached {(now - p0) / 86400:.2f} days")
    if timed_out:
        details.append("a desk did not sync at the end: " + json.dumps(S.phase))
    (work / "verdict.json").write_text(json.dumps({"out": out, "details": details,
                                                   "days": R}, ensure_ascii=False, indent=1))
    growth = (rss7 / rss_day1 - 1.0) if rss_day1 else None
    out["_failed"] = bool(
        not finished or timed_out or out["lost"] or out["duplicated"] or out["crashes"] or missing
        or growth is None or growth > args.max_growth)
    out["_details"] = details
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n")[0])
    p.add_argument("--days", type=int, default=7)
    p.add_argument("--speed", type=float, default=600.0, help="platform seconds per wall second (>= 60)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--daily-rate", type=int, default=300, help="the simulator's new tickets per platform day")
    p.add_argument("--actions-per-hour", type=float, default=20.0, help="per desk, platform time")
    p.add_argument("--outage-every-h", type=float, default=4.0)
    p.add_argument("--outage-min-m", type=float, default=3.0)
    p.add_argument("--outage-max-m", type=float, default=60.0)
    p.add_argument("--max-growth", type=float, default=0.10, help="memory growth allowed after day one")
    p.add_argument("--timeout", type=float, default=1700.0, help="wall seconds for the week")
    p.add_argument("--workdir")
    p.add_argument("--details", action="store_true")
    args = p.parse_args(argv)
    if args.speed < 60:
        p.error("--speed must be at least 60")
    out = run(args)
    if args.details or out["_failed"]:
        for line in out["_details"][:40]:
            print(line, file=sys.stderr)
    print(json.dumps({k: v for k, v in out.items() if not k.startswith("_")}, ensure_ascii=False), flush=True)
    return 1 if out["_failed"] else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
