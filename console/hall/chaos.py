"""``make chaos-hall``: a duty hall under faults; every action reaches the district once.

A private PostgreSQL cluster holds the hall database; the simulator is the district,
behind a fault proxy (the district link). ``--contenders`` real ``duty-console
hall-sync`` processes contend for the hall's sync lock. ``--desks`` officer desks (each
its own connection pool to the hall database) perform ``--actions`` actions (new
tickets and notes on them) through the real operations, while the harness:

- kills the process holding the sync lock with SIGKILL (``--sync-kills``) and measures
  the hand-over (a new holder's record after the kill); a new contender is started;
- kills standby contenders (``--other-kills``) and starts new ones;
- cuts and restores the district link;
- restarts the hall database (``--db-restarts``, immediate stop) and drops random
  connections of the desks (pg_terminate_backend).

An action refused because the hall database did not answer is done again by its
officer (the form was kept); the harness's ledger, kept in this process outside the
stores under test, holds each action once with its marker. At the end the link is
restored, the hall's outbox drains, and the district's own record is compared with the
ledger: every marker exactly once (``lost``, ``duplicated``), and every chaos ticket
the same in the hall store and on the platform (``diverged``). Visibility: a follower
on its own connection (LISTEN/NOTIFY + journal) notes when each new ticket committed
at one desk becomes readable there.

Prints one JSON line; exits 1 on any loss, duplicate or divergence. Two SQLite desks
beside the hall (``--sqlite-desks``, own file and own sync, ``console.sync.chaosworker``)
act on their own tickets at the same time; their markers are checked the same way (their
actions are not part of the hall's divergence check, which compares the hall store).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from console.hall import pgcluster

NS = uuid.UUID("3f6b9a3c-6c1e-4c55-9f43-16a11c0ffee0")
ROOT = Path(__file__).resolve().parents[2]


class Contender:
    def __init__(self, store_url: str, platform: str, token: str, name: str, logdir: Path):
        env = {**os.environ, "DUTY_CONSOLE_TOKEN": token, "PYTHONUNBUFFERED": "1"}
        self.name = name
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "console.app", "hall-sync", "--store", store_url, "--platform", platform,
             "--workstation", name, "--log-level", "WARNING"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(logdir / f"{name}.log", "ab"))  # noqa: SIM115

    def kill9(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill9()


class Harness:
    def __init__(self, a: argparse.Namespace, base: Path):
        self.a = a
        self.base = base
        self.rng = random.Random(a.seed)
        self.ledger: list[dict[str, Any]] = []   # one entry per action that applied
        self.ledger_lock = threading.Lock()
        self.refused_retries = 0
        self.desk_errors: list[str] = []
        self.sqlite_ready = threading.Event()
        self.commit_at: dict[str, float] = {}
        self.visible_ms: list[float] = []
        self.failovers: list[float] = []
        self.counts = {"sync_kills": 0, "other_kills": 0, "hall_db_restarts": 0, "dropped_connections": 0,
                       "link_cuts": 0}
        self.contenders: list[Contender] = []
        self._n = 0

    # -- set-up ------------------------------------------------------------------------
    def start(self) -> None:
        from console.sync.proxy import FaultProxy
        from localdb import Store
        from localdb.pg import migrate
        from simulator.testing import running_simulator

        self.cluster = pgcluster.Cluster.create(self.base / "pg")
        self.cluster.start()
        self.url = self.cluster.create_hall()
        migrate(self.url)
        self._sim_cm = running_simulator(self.base / "platform", seed=self.a.seed, history_days=0.2,
                                         traffic=False)
        self.sim = self._sim_cm.__enter__()
        port = int(self.sim.url.rstrip("/").rsplit(":", 1)[1])
        self.proxy = FaultProxy("127.0.0.1", port, seed=self.a.seed)
        self.proxy.__enter__()
        for _ in range(self.a.contenders):
            self._new_contender()
        self.stores = [Store.open(self.url) for _ in range(self.a.desks)]
        self.watch = Store.open(self.url)
        if not self._wait(lambda: self._holder() and self._holder().get("link") == "online"
                          and self._category() is not None, 120):
            raise SystemExit("chaos-hall: the hall never synced its first load")

    def _new_contender(self) -> None:
        self._n += 1
        self.contenders.append(Contender(self.url, self.proxy.url, self.sim.token, f"sync-{self._n}", self.base))

    def _holder(self) -> dict | None:
        from localdb import hall

        try:
            with self.watch.session() as s:
                return hall.holder(s)
        except Exception:  # noqa: BLE001 - the hall database restarting
            return None

    def _category(self) -> tuple | None:
        try:
            with self.watch.session() as s:
                return s.execute(text("SELECT kind, code, small_name, big_code, big_name FROM categories "
                                      "ORDER BY code LIMIT 1")).first()
        except Exception:  # noqa: BLE001
            return None

    @staticmethod
    def _wait(cond, timeout: float, step: float = 0.1) -> bool:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if cond():
                return True
            time.sleep(step)
        return False

    # -- officers ----------------------------------------------------------------------
    def desk(self, i: int, n_actions: int) -> None:
        from console.domain.model import Actor, CategoryKind, Channel, Role
        from console.operations import tickets as ops
        from localdb import StoreError

        store = self.stores[i]
        ws = f"{i + 1}号工位"
        actor = Actor(f"officer{i % 4 + 1}", f"值班员{i + 1}", Role.OFFICER, ws)
        rng = random.Random(f"{self.a.seed}/{i}")
        mine: list[str] = []
        kind, code, name, big_code, big_name = self._category()
        for n in range(n_actions):
            marker = f"chaos hall {ws} #{n}"
            if i == 0 and n in self.a.forget:  # the harness's own check: asked, never done
                with self.ledger_lock:
                    self.ledger.append({"marker": marker, "ticket_id": None, "create": False})
                continue
            create = not mine or rng.random() < 0.3
            tid = str(uuid.uuid5(NS, f"{self.a.seed}/{ws}/{n}")) if create else rng.choice(mine)
            while True:  # the officer does it again while the hall database does not answer
                try:
                    if create:
                        ops.create_ticket(store, actor, time.time(), id=tid, channel=Channel.SELF_FOUND,
                                          category_kind=CategoryKind(kind), category_code=code,
                                          category_name=name, big_code=big_code, big_name=big_name,
                                          description=marker, address="chaos street", lat=31.2, lon=121.5)
                        self.commit_at[tid] = time.monotonic()
                        mine.append(tid)
                    else:
                        ops.annotate(store, actor, tid, marker, time.time())
                    break
                except StoreError:
                    self.refused_retries += 1
                    time.sleep(0.2)
                except Exception as exc:  # noqa: BLE001 - a dropped connection mid-write
                    if "connection" in str(exc).lower() or "terminat" in str(exc).lower():
                        self.refused_retries += 1
                        time.sleep(0.2)
                        continue
                    raise
            with self.ledger_lock:
                self.ledger.append({"marker": marker, "ticket_id": tid, "create": create})

    def _desk_guarded(self, i: int, n: int) -> None:
        try:
            if i < 0:
                self.sqlite_desk(-i, n)
            else:
                self.desk(i, n)
        except Exception as exc:  # noqa: BLE001 - counted: the run fails
            self.desk_errors.append(f"desk {i}: {type(exc).__name__}: {str(exc)[:200]}")

    def sqlite_desk(self, k: int, n_actions: int) -> None:
        """A single desk beside the hall: its own SQLite file and its own sync
        (``console.sync.chaosworker``, the process the desk-mode chaos run uses)."""
        from console.sync.chaosworker import marker

        ws = f"WS-S{k}"
        proc = subprocess.Popen(
            [sys.executable, "-m", "console.sync.chaos", "worker", "--store", str(self.base / f"{ws}.sqlite3"),
             "--url", self.proxy.url, "--token", self.sim.token, "--ws", ws, "--seed", str(self.a.seed)],
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=open(self.base / f"{ws}.log", "ab"), text=True, bufsize=1)  # noqa: SIM115

        def until(event: str) -> dict:
            for line in proc.stdout:
                ev = json.loads(line)
                if ev.get("event") == event:
                    return ev
            raise RuntimeError(f"{ws} ended before {event}")

        try:
            until("ready")
            for n in range(n_actions):
                proc.stdin.write(f"act {n} {'create' if n % 3 == 0 else 'annotate'}\n")
                proc.stdin.flush()
                ev = until("acted")
                if ev.get("outcome") == "ok":
                    with self.ledger_lock:
                        self.ledger.append({"marker": marker(ws, n), "ticket_id": ev.get("ticket_id"),
                                            "create": n % 3 == 0, "sqlite": ws})
                elif ev.get("outcome") == "error":
                    raise RuntimeError(ev.get("reason"))
            self.sqlite_ready.wait()  # the link is back: send everything
            proc.stdin.write("drain\n")
            proc.stdin.flush()
            until("drained")
        finally:
            proc.stdin.close()
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)

    def follower(self, stop: threading.Event) -> None:
        """Another desk: woken by NOTIFY, reads the journal, notes when new tickets show."""
        from localdb import Store, journal
        from localdb.wakeup import Listener

        store = Store.open(self.url)
        wake = threading.Event()
        lis = Listener(self.url, wake.set).start()
        last = 0
        try:
            with store.session() as s:
                last = journal.head(s)
            while not stop.is_set():
                # as a desk's follower: a safety poll behind NOTIFY, fast while unheard
                wake.wait(0.5 if lis.connected.is_set() else 0.05)
                wake.clear()
                try:
                    with store.session() as s:
                        rows = journal.since(s, last)
                except Exception:  # noqa: BLE001 - the hall database restarting
                    continue
                now = time.monotonic()
                for seq, kind, eid in rows:
                    last = seq
                    t0 = self.commit_at.pop(eid, None) if kind == "ticket" else None
                    if t0 is not None:
                        self.visible_ms.append(max(0.0, (now - t0) * 1000))
        finally:
            lis.stop()
            store.close()

    # -- faults ------------------------------------------------------------------------
    def chaos(self, stop: threading.Event) -> None:
        plan = (["sync_kill"] * self.a.sync_kills + ["other_kill"] * self.a.other_kills
                + ["db_restart"] * self.a.db_restarts + ["link"] * max(2, self.a.sync_kills)
                + ["drop"] * 2)
        self.rng.shuffle(plan)
        for ev in plan:
            if stop.wait(self.a.fault_every):
                return
            getattr(self, f"_do_{ev}")()

    def _do_sync_kill(self) -> None:
        h = self._holder()
        victim = next((c for c in self.contenders if h and c.proc.pid == h.get("pid")), None)
        if victim is None:
            return
        t0 = time.monotonic()
        victim.kill9()
        self.contenders.remove(victim)
        self.counts["sync_kills"] += 1
        self._new_contender()
        if self._wait(lambda: (self._holder() or {}).get("pid") not in (None, victim.proc.pid), 30, 0.05):
            self.failovers.append(time.monotonic() - t0)

    def _do_other_kill(self) -> None:
        h = self._holder() or {}
        standby = [c for c in self.contenders if c.proc.pid != h.get("pid")]
        if standby:
            victim = self.rng.choice(standby)
            victim.kill9()
            self.contenders.remove(victim)
            self.counts["other_kills"] += 1
            self._new_contender()

    def _do_db_restart(self) -> None:
        self.cluster.stop(mode="immediate")
        time.sleep(1.0)  # the hall server is down for a moment
        self.cluster.start()
        self.counts["hall_db_restarts"] += 1

    def _do_link(self) -> None:
        self.proxy.partition(self.rng.choice(("blackhole", "refuse")))
        self.counts["link_cuts"] += 1
        time.sleep(self.a.fault_every / 2)
        self.proxy.pass_through()

    def _do_drop(self) -> None:
        try:
            with self.cluster.admin(pgcluster.DB_NAME) as con:
                pids = [r[0] for r in con.execute(
                    "SELECT pid FROM pg_stat_activity WHERE usename = %s AND pid <> pg_backend_pid()",
                    (pgcluster.APP_ROLE,))]
                for pid in self.rng.sample(pids, min(3, len(pids))):
                    con.execute("SELECT pg_terminate_backend(%s)", (pid,))
                    self.counts["dropped_connections"] += 1
        except Exception:  # noqa: BLE001 - the server may be restarting
            pass

    # -- the run -----------------------------------------------------------------------
    def run(self) -> dict[str, Any]:
        stop = threading.Event()
        follow = threading.Thread(target=self.follower, args=(stop,), daemon=True)
        follow.start()
        faults = threading.Thread(target=self.chaos, args=(stop,), daemon=True)
        faults.start()
        per = self.a.actions // self.a.desks
        desks = [threading.Thread(target=self._desk_guarded, args=(i, per), daemon=True)
                 for i in range(self.a.desks)]
        desks += [threading.Thread(target=self._desk_guarded, args=(-k, per // 4), daemon=True)
                  for k in range(1, self.a.sqlite_desks + 1)]
        for d in desks:
            d.start()
        hall_desks = desks[:self.a.desks]
        for d in hall_desks:
            d.join()
        faults.join()  # every planned fault happens, even after the last action
        self.proxy.pass_through()
        self.sqlite_ready.set()
        for d in desks[self.a.desks:]:
            d.join()
        from localdb import outbox

        def drained() -> bool:
            try:
                with self.watch.session() as s:
                    return outbox.depth(s) == 0
            except Exception:  # noqa: BLE001
                return False

        ok = self._wait(drained, 300, 0.2)
        stop.set()
        follow.join(10)
        # the platform's answers come back on the feed: the hall store settles shortly after
        deadline = time.monotonic() + 30
        while True:
            result = self.verify(ok)
            if result["diverged"] == 0 or time.monotonic() > deadline:
                return result
            time.sleep(0.5)

    def verify(self, drained: bool) -> dict[str, Any]:
        from console.sync.chaoscheck import platform_state

        tickets, events = platform_state(self.sim.url, self.sim.token)
        seen: dict[str, int] = {}
        for ev in events.values():
            params = ev.get("params") or {}
            m = params.get("text") if ev.get("action") == "annotate" else None
            if ev.get("action") == "create":
                m = (tickets.get(ev["ticket_id"]) or {}).get("description")
            if isinstance(m, str) and m.startswith("chaos "):
                seen[m] = seen.get(m, 0) + 1
        lost = sum(1 for e in self.ledger if seen.get(e["marker"], 0) == 0)
        duplicated = sum(1 for e in self.ledger if seen.get(e["marker"], 0) > 1)
        diverged = 0
        with self.watch.session() as s:
            local = {r[0]: (r[1], int(r[2])) for r in s.execute(text(
                "SELECT id, state, version FROM tickets WHERE description LIKE 'chaos hall %'"))}
        for tid, (state, version) in local.items():
            p = tickets.get(tid)
            if p is None or (p.get("state"), int(p.get("version", -1))) != (state, version):
                diverged += 1
        vis = sorted(self.visible_ms)
        p95 = vis[int(0.95 * (len(vis) - 1))] if vis else None
        return {"actions": len(self.ledger), "desks": self.a.desks, "sqlite_desks": self.a.sqlite_desks,
                "sqlite_actions": sum(1 for e in self.ledger if e.get("sqlite")),
                "sync_contenders": self.a.contenders,
                "sync_kills": self.counts["sync_kills"], "failovers": len(self.failovers),
                "max_failover_s": round(max(self.failovers), 2) if self.failovers else None,
                "hall_db_restarts": self.counts["hall_db_restarts"], "other_kills": self.counts["other_kills"],
                "link_cuts": self.counts["link_cuts"], "dropped_connections": self.counts["dropped_connections"],
                "refused_and_redone": self.refused_retries, "drained": drained,
                "desk_errors": self.desk_errors[:5],
                "lost": lost, "duplicated": duplicated, "diverged": diverged,
                "hall_visibility_ms_p95": round(p95, 1) if p95 is not None else None}

    def close(self) -> None:
        for c in self.contenders:
            c.stop()
        for st in getattr(self, "stores", []):
            st.close()
        if hasattr(self, "watch"):
            self.watch.close()
        if hasattr(self, "proxy"):
            self.proxy.close()
        if hasattr(self, "_sim_cm"):
            self._sim_cm.__exit__(None, None, None)
        if hasattr(self, "cluster"):
            self.cluster.destroy()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m console.hall.chaos", description=__doc__.split("\n")[0])
    p.add_argument("--actions", type=int, default=5000)
    p.add_argument("--desks", type=int, default=4)
    p.add_argument("--contenders", type=int, default=3, help="hall-sync processes contending for the lock")
    p.add_argument("--sqlite-desks", type=int, default=2, help="single desks beside the hall (own SQLite file)")
    p.add_argument("--sync-kills", type=int, default=5)
    p.add_argument("--other-kills", type=int, default=10)
    p.add_argument("--db-restarts", type=int, default=1)
    p.add_argument("--fault-every", type=float, default=3.0, help="seconds between faults")
    p.add_argument("--seed", type=int, default=16)
    p.add_argument("--forget", type=lambda v: {int(x) for x in v.split(",") if x}, default=set(),
                   metavar="N,M", help="check of the check: desk 1 skips these actions but they stay "
                                       "in the ledger (the run must then report them lost)")
    a = p.parse_args(argv)
    import logging

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    base = Path(tempfile.mkdtemp(prefix="duty-chaos-hall-"))
    os.chmod(base, 0o755)  # the server's unprivileged user must reach its directory
    h = Harness(a, base)
    try:
        h.start()
        result = h.run()
    finally:
        h.close()
        import shutil

        shutil.rmtree(base, ignore_errors=True)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    bad = (result["lost"] or result["duplicated"] or result["diverged"] or not result["drained"]
           or result["desk_errors"])
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
