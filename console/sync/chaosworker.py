"""One chaos workstation process (started by ``console.sync.chaos``).

Runs the real ``SyncEngine`` against its own local store and performs, one at a time,
the officer actions its parent asks for, with the real ``console.operations`` functions.
The worker keeps no record of its own: the parent wrote each action into its ledger
before asking. Every action carries a marker (``chaos <ws> #<n>``, as the annotation
text or the action's note, or the new ticket's description) so its effect can be found
on the platform whatever the local store says.

A sampler thread reads what the panels would show (each chaos ticket's state and
version, and whether it needs the officer's attention) and reports what changed.

JSON lines on stdout: ``ready``, ``acted`` (per action: ``ok`` / ``refused`` / ``error``),
``seen`` (samples), ``drained``, ``synced``. Commands on stdin: ``act <n> <kind>``,
``drain``, ``sync``.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import random
import sys
import threading
import time
import traceback
import uuid
from typing import Any

from sqlalchemy import text

from console.domain.lifecycle import TransitionError
from console.domain.model import Actor, CategoryKind, Channel, Role
from console.operations import TicketNotFound
from console.sync import storeapi
from console.sync.client import PlatformClient
from console.sync.engine import SyncEngine

log = logging.getLogger(__name__)

NS = uuid.UUID("5b0f3c1e-8d1c-4c4e-9d7a-2f1a6c0e9b11")
_out = threading.Lock()


def say(event: str, **kw: Any) -> None:
    with _out:
        sys.stdout.write(json.dumps({"event": event, **kw}, ensure_ascii=False) + "\n")
        sys.stdout.flush()


def ticket_id_for(seed: int, ws: str, n: int) -> str:
    return str(uuid.uuid5(NS, f"{seed}/{ws}/{n}"))


def marker(ws: str, n: int) -> str:
    """The text that identifies action ``n`` of ``ws`` on the platform."""
    return f"chaos {ws} #{n}"


def _pick(store: Any, rng: random.Random, sql: str, **params: Any) -> str | None:
    with store.session() as s:
        ids = [r[0] for r in s.execute(text(sql), params)]
    return rng.choice(ids) if ids else None


class Officer:
    """Performs action ``n`` of kind ``kind``."""

    def __init__(self, store: Any, ws: str, seed: int, engine: SyncEngine):
        from console.operations import tickets as ops

        self.ops = ops
        self.store, self.ws, self.seed, self.engine = store, ws, seed, engine
        # a real account of the platform (it refuses actors it does not know)
        n = int("".join(ch for ch in ws if ch.isdigit()) or 1)
        self.actor = Actor(user_id=f"officer{(n - 1) % 4 + 1}", name=f"值班员{ws[-2:]}", role=Role.OFFICER,
                           workstation=ws)
        #: actions this workstation claims to have done and silently drops, with every
        #: trace of them (the harness's own check: CHAOS_WORKER_FORGET="3,17")
        self.forget = {int(x) for x in os.environ.get("CHAOS_WORKER_FORGET", "").split(",") if x.strip()}

    def act(self, n: int, kind: str, rng: random.Random) -> dict[str, Any]:
        now = self.engine.platform_now()
        tid = self._target(kind, rng)
        if tid is None and kind != "create":
            return {"outcome": "refused", "reason": "no ticket to act on"}
        if kind == "create":
            tid = ticket_id_for(self.seed, self.ws, n)
        with self.store.session() as s:
            base = s.execute(text("SELECT version FROM tickets WHERE id=:t"), {"t": tid}).scalar()
            # the platform's version as this desk knew it (ticket_base while actions are
            # pending): a conflict is real only if the platform moved past it
            confirmed = s.execute(text("SELECT version FROM ticket_base WHERE id=:t"), {"t": tid}).scalar()
        try:
            if n not in self.forget:
                self._do(kind, n, tid, now, rng)
        except (TransitionError, TicketNotFound) as exc:   # the officer's error box
            return {"outcome": "refused", "ticket_id": tid, "reason": str(exc)[:200]}
        self.engine.kick()
        return {"outcome": "ok", "ticket_id": tid, "local_version": base,
                "confirmed_version": confirmed if confirmed is not None else base}

    def _target(self, kind: str, rng: random.Random) -> str | None:
        if kind == "create":
            return None
        if kind in ("annotate", "urge"):
            return _pick(self.store, rng,
                         "SELECT id FROM tickets WHERE description LIKE :p "
                         "AND state NOT IN ('closed','archived','returned')",
                         p=f"chaos {self.ws} #%")
        if kind == "release_co":  # a joint ticket with a co-handler still owing feedback
            return _pick(self.store, rng,
                         "SELECT id FROM tickets WHERE state IN ('dispatched','handling','feedback') "
                         "AND co_handlers LIKE '%\"pending\"%' AND description LIKE 'chaos %' LIMIT 200")
        state = {"accept": "pending", "register": "accepted", "dispatch": "registered",
                 "joint_dispatch": "registered"}[kind]
        return _pick(self.store, rng,
                     "SELECT id FROM tickets WHERE state=:st AND description LIKE 'chaos %' LIMIT 200",
                     st=state)

    def _do(self, kind: str, n: int, tid: str, now: float, rng: random.Random) -> None:
        ops, store, actor, mark = self.ops, self.store, self.actor, marker(self.ws, n)
        if kind == "create":
            ops.create_ticket(store, actor, now=now, **self._new_ticket_fields(tid, n))
        elif kind == "annotate":
            ops.annotate(store, actor, tid, mark, now=now)
        elif kind == "urge":
            ops.urge(store, actor, tid, now=now, note=mark)
        elif kind == "accept":
            ops.accept(store, actor, tid, now=now, note=mark)
        elif kind == "register":
            ops.register(store, actor, tid, now=now, note=mark)
        elif kind == "dispatch":
            dept = _pick(store, rng, "SELECT id FROM departments") or "D01"
            ops.dispatch(store, actor, tid, dept, now=now, note=mark)
        elif kind == "joint_dispatch":  # 联合派遣: a lead and one or two co-handlers
            with store.session() as s:
                depts = list(s.execute(text("SELECT id FROM departments ORDER BY id")).scalars()) or ["D01", "D02"]
            team = rng.sample(depts, min(len(depts), rng.choice((2, 3))))
            ops.dispatch(store, actor, tid, team[0], now=now, note=mark, co_handlers=team[1:])
        elif kind == "release_co":
            with store.session() as s:
                raw = s.execute(text("SELECT co_handlers FROM tickets WHERE id=:t"), {"t": tid}).scalar()
            co = next((c["department_id"] for c in json.loads(raw or "[]") if c["state"] == "pending"), "D01")
            ops.release_co(store, actor, tid, co, "chaos: co-handler released", now=now, note=mark)
        else:
            raise ValueError(f"unknown action kind {kind!r}")

    def _new_ticket_fields(self, tid: str, n: int) -> dict[str, Any]:
        with self.store.session() as s:
            cat = s.execute(text("SELECT kind, code, small_name, big_code, big_name FROM categories "
                                 "ORDER BY code LIMIT 1")).first()
        kind, code, name, big_code, big_name = cat or ("event", "01001", "chaos", "01", "chaos")
        return {"id": tid, "channel": Channel.SELF_FOUND, "category_kind": CategoryKind(kind), "category_code": code,
                "category_name": name, "big_code": big_code, "big_name": big_name,
                "description": marker(self.ws, n), "address": "chaos street",
                "lat": 31.2, "lon": 121.5}


def panel_view(store: Any) -> dict[str, list]:
    """What the queue panel shows of the chaos tickets: state, version, attention."""
    with store.session() as s:
        rows = s.execute(text("SELECT id, state, version FROM tickets WHERE description LIKE 'chaos %'")).all()
        att = {r[0] for r in s.execute(text(
            "SELECT DISTINCT ticket_id FROM outbox WHERE status='needs_attention'"))}
    return {tid: [state, int(version), tid in att] for tid, state, version in rows}


def sampler(store: Any, stop: threading.Event, every: float = 0.25) -> None:
    last: dict[str, list] = {}
    while not stop.wait(every):
        try:
            view = panel_view(store)
        except Exception:  # noqa: BLE001 - a busy store: sample again
            continue
        changed = {t: v for t, v in view.items() if last.get(t) != v}
        if changed:
            say("seen", view=changed)
            last.update(changed)


def attention_report(store: Any) -> list[dict[str, Any]]:
    out = []
    for e in storeapi.needs_attention(store):
        params = e.get("params") or {}
        out.append({"ticket_id": e.get("ticket_id"), "verb": e.get("verb"),
                    "marker": params.get("text") or params.get("note") or params.get("description"),
                    "code": e.get("result_code"), "reason": str(e.get("reason") or "")[:200]})
    return out


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="chaos worker")
    p.add_argument("--store", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--ws", required=True)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    logging.basicConfig(level=os.environ.get("CHAOS_WORKER_LOG", "WARNING"), stream=sys.stderr)

    from localdb import Store

    store = Store.open(a.store)
    client = PlatformClient(a.url, a.token, timeout=(2, 5))
    progressed = threading.Event()   # any feed/push progress
    booted = threading.Event()       # the first full load is stored

    def on_progress(info: dict) -> None:
        progressed.set()
        if info.get("kind") == "feed" and not engine.puller.bootstrapping:
            booted.set()

    engine = SyncEngine(store, client, a.ws, on_progress=on_progress, seed=a.seed)
    if not storeapi.bootstrap_pending(store):
        booted.set()
    engine.start()
    stop_sampling = threading.Event()
    threading.Thread(target=sampler, args=(store, stop_sampling), daemon=True).start()
    # the first actions need the reference data (categories) of the bootstrap
    booted.wait(120)
    say("ready")

    officer = Officer(store, a.ws, a.seed, engine)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd:
            continue
        if cmd[0] == "act":
            n, kind = int(cmd[1]), cmd[2]
            rng = random.Random(f"{a.seed}/{a.ws}/{n}")
            try:
                res = officer.act(n, kind, rng)
            except Exception as exc:  # noqa: BLE001 - reported: the parent fails the run
                res = {"outcome": "error", "reason": "".join(traceback.format_exception_only(type(exc), exc))[:500]}
                log.exception("action %d (%s) failed", n, kind)
            say("acted", n=n, kind=kind, **res)
        elif cmd[0] == "stats":   # the soak's sample: platform time, memory, store size
            say("stats", **desk_stats(store, engine, a.store))
        elif cmd[0] == "handover":   # handover <n> <shift_date> <shift> <from_user> <to_user>
            n, date, shift, from_user, to_user = int(cmd[1]), cmd[2], cmd[3], cmd[4], cmd[5]
            try:
                res = hand_over(store, engine, a.ws, date, shift, from_user, to_user)
            except Exception as exc:  # noqa: BLE001 - reported: the parent fails the run
                res = {"outcome": "error", "reason": "".join(traceback.format_exception_only(type(exc), exc))[:500]}
                log.exception("handover %s %s failed", date, shift)
            say("acted", n=n, kind="handover", **res)
        elif cmd[0] == "drain":
            while engine.outbox_depth() > 0:
                engine.kick()
                progressed.wait(1.0)
                progressed.clear()
            say("drained", stats=engine.stats)
        elif cmd[0] == "sync":
            engine.stop(10)
            for _ in range(5):  # the feed may still carry the last answers of other stations
                try:
                    engine.puller.catch_up()
                    break
                except Exception:  # noqa: BLE001
                    log.exception("final pull failed")
                    time.sleep(1.0)
            stop_sampling.set()
            say("seen", view=panel_view(store))
            say("synced", stats=engine.stats, attention=attention_report(store),
                outbox=storeapi_counts(store))
            store.close()
            return 0
    # EOF: the harness is gone. Do not live on as an orphan writing to stores a later
    # run may reuse; a hard exit is what a kill would do anyway.
    os._exit(3)


def desk_stats(store: Any, engine: SyncEngine, path: str) -> dict[str, Any]:
    import psutil

    with store.session() as s:
        journal_rows = int(s.execute(text("SELECT count(*) FROM journal")).scalar() or 0)
        tickets = int(s.execute(text("SELECT count(*) FROM tickets")).scalar() or 0)
    size = sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    return {"platform_now": engine.platform_now(), "rss_mb": psutil.Process().memory_info().rss / 2**20,
            "journal_rows": journal_rows, "tickets": tickets, "store_mb": size / 2**20,
            "outbox": engine.outbox_depth(), **memory_parts()}


def memory_parts() -> dict[str, float]:
    """Where the desk's memory is: SQLite's own allocations (page caches, statements),
    Python's allocated blocks and tracked objects (the soak's per-day breakdown)."""
    import ctypes
    import gc
    import sqlite3 as _sq  # noqa: F401 - loads the library
    import _sqlite3

    try:
        used = ctypes.CDLL(_sqlite3.__file__).sqlite3_memory_used
        used.restype = ctypes.c_int64
        sqlite_mb = used() / 2**20
    except (OSError, AttributeError):
        sqlite_mb = -1.0
    return {"sqlite_mb": sqlite_mb, "py_blocks": sys.getallocatedblocks(), "gc_objects": len(gc.get_objects())}


def hand_over(store: Any, engine: SyncEngine, ws: str, shift_date: str, shift: str,
              from_user: str, to_user: str) -> dict[str, Any]:
    """The outgoing officer signs the shift's handover, the incoming one acknowledges it
    (``console.operations.duty``, as the commander panel does after the PIN checks)."""
    from console.operations import duty

    now = engine.platform_now()
    giver = Actor(user_id=from_user, name=from_user, role=Role.SHIFT_LEADER, workstation=ws)
    taker = Actor(user_id=to_user, name=to_user, role=Role.SHIFT_LEADER, workstation=ws)
    hid = duty.create_handover(store, giver, shift_date, shift, {"soak": True}, now, sync=False)
    duty.sign_handover(store, giver, hid, now, notes=f"soak {shift_date} {shift}")
    duty.acknowledge_handover(store, taker, hid, now)
    engine.kick()
    return {"outcome": "ok", "handover_id": hid, "shift_date": shift_date, "shift": shift}


def storeapi_counts(store: Any) -> dict[str, int]:
    with store.session() as s:
        return dict(s.execute(text("SELECT status, count(*) FROM outbox GROUP BY status")).all())
