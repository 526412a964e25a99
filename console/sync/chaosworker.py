"""One chaos workstation process (started by ``console.sync.chaos``).

Runs the real ``SyncEngine`` against its own local store and performs its planned
officer actions with the real ``console.operations`` functions. Each action is
recorded in ``settings_kv`` (key ``chaos/<ws>/<n>``) inside the SAME transaction
as the action and its outbox row, so after a SIGKILL the restarted process knows
exactly which actions happened (no action is done twice, none is forgotten) and
the checker knows which command each action became.

Talks to the parent with JSON lines: stdout events ``ready``, ``actions_done``,
``drained``, ``synced``; stdin commands ``drain`` and ``sync``.
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
import uuid
from typing import TYPE_CHECKING, Any

from sqlalchemy import text

from console.domain.lifecycle import TransitionError
from console.domain.model import Actor, CategoryKind, Channel, Role
from console.operations import TicketNotFound
from console.sync import storeapi
from console.sync.client import PlatformClient
from console.sync.engine import SyncEngine

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)

NS = uuid.UUID("5b0f3c1e-8d1c-4c4e-9d7a-2f1a6c0e9b11")
KEY = "chaos/{ws}/{n}"


def say(event: str, **kw: Any) -> None:
    sys.stdout.write(json.dumps({"event": event, **kw}) + "\n")
    sys.stdout.flush()


def ticket_id_for(seed: int, ws: str, n: int) -> str:
    return str(uuid.uuid5(NS, f"{seed}/{ws}/{n}"))


def annotate_text(ws: str, n: int) -> str:
    return f"chaos {ws} #{n}"


def done_actions(store: Store, ws: str) -> set[int]:
    prefix = f"chaos/{ws}/"
    with store.session() as s:
        rows = s.execute(text("SELECT key FROM settings_kv WHERE key LIKE :p"), {"p": prefix + "%"})
        return {int(r[0][len(prefix):]) for r in rows}


def _latest_command(s: Any, ticket_id: str) -> str | None:
    return s.execute(text("SELECT command_id FROM outbox WHERE ticket_id=:t ORDER BY seq DESC LIMIT 1"),
                     {"t": ticket_id}).scalar()


def _pick(store: Store, rng: random.Random, sql: str, **params: Any) -> str | None:
    with store.session() as s:
        ids = [r[0] for r in s.execute(text(sql), params)]
    return rng.choice(ids) if ids else None


class Officer:
    """Performs plan step ``n`` of kind ``kind``; returns True if an action was recorded."""

    def __init__(self, store: Store, ws: str, seed: int, engine: SyncEngine):
        from console.operations import tickets as ops

        self.ops = ops
        self.store, self.ws, self.seed, self.engine = store, ws, seed, engine
        self.actor = Actor(user_id=f"chaos-{ws.lower()}", name=f"值班员{ws[-2:]}", role=Role.OFFICER,
                           workstation=ws)

    def act(self, n: int, kind: str, rng: random.Random) -> bool:
        now = self.engine.platform_now()
        tid = self._target(n, kind, rng)
        if tid is None:
            return False
        key = KEY.format(ws=self.ws, n=n)
        try:
            with self.store.write() as s:  # joins the operation's transaction
                self._do(kind, n, tid, now, rng)
                cmd = _latest_command(s, tid)
                s.execute(text("INSERT INTO settings_kv (key, value) VALUES (:k, :v)"),
                          {"k": key, "v": json.dumps({"kind": kind, "ticket_id": tid, "command_id": cmd,
                                                      "text": annotate_text(self.ws, n)
                                                      if kind == "annotate" else None})})
        except (TransitionError, TicketNotFound):
            return False
        self.engine.kick()
        return True

    def _target(self, n: int, kind: str, rng: random.Random) -> str | None:
        if kind == "create":
            return ticket_id_for(self.seed, self.ws, n)
        if kind in ("annotate", "urge"):
            return _pick(self.store, rng,
                         "SELECT id FROM tickets WHERE description LIKE :p "
                         "AND state NOT IN ('closed','archived','returned')",
                         p=f"chaos {self.ws} #%")
        state = {"accept": "pending", "register": "accepted", "dispatch": "registered"}[kind]
        return _pick(self.store, rng,
                     "SELECT id FROM tickets WHERE state=:st AND description LIKE 'chaos %' LIMIT 200",
                     st=state)

    def _do(self, kind: str, n: int, tid: str, now: float, rng: random.Random) -> None:
        ops, store, actor = self.ops, self.store, self.actor
        if kind == "create":
            ops.create_ticket(store, actor, now=now, **self._new_ticket_fields(tid, n))
        elif kind == "annotate":
            ops.annotate(store, actor, tid, annotate_text(self.ws, n), now=now)
        elif kind == "urge":
            ops.urge(store, actor, tid, now=now)
        elif kind == "accept":
            ops.accept(store, actor, tid, now=now)
        elif kind == "register":
            ops.register(store, actor, tid, now=now)
        elif kind == "dispatch":
            dept = _pick(store, rng, "SELECT id FROM departments") or "D01"
            ops.dispatch(store, actor, tid, dept, now=now)

    def _new_ticket_fields(self, tid: str, n: int) -> dict[str, Any]:
        with self.store.session() as s:
            cat = s.execute(text("SELECT kind, code, small_name, big_code, big_name FROM categories "
                                 "ORDER BY code LIMIT 1")).first()
        kind, code, name, big_code, big_name = cat or ("event", "01001", "chaos", "01", "chaos")
        return {"id": tid, "channel": Channel.SELF_FOUND, "category_kind": CategoryKind(kind), "category_code": code,
                "category_name": name, "big_code": big_code, "big_name": big_name,
                "description": f"chaos {self.ws} #{n}", "address": "chaos street",
                "lat": 31.2, "lon": 121.5}


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="chaos worker")
    p.add_argument("--store", required=True)
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--ws", required=True)
    p.add_argument("--plan", required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rate", type=float, default=20.0)
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
    plan = json.loads(open(a.plan).read())
    done = done_actions(store, a.ws)
    say("ready", done=len(done))

    commands: dict[str, threading.Event] = {"drain": threading.Event(), "sync": threading.Event()}

    def read_stdin() -> None:
        for line in sys.stdin:
            ev = commands.get(line.strip())
            if ev:
                ev.set()
        # EOF: the harness is gone. Do not live on as an orphan writing to stores
        # a later run may reuse; a hard exit is what a kill would do anyway.
        os._exit(3)

    threading.Thread(target=read_stdin, daemon=True).start()

    officer = Officer(store, a.ws, a.seed, engine)
    # the first actions need the reference data (categories) of the bootstrap
    booted.wait(120)
    interval = 1.0 / max(a.rate, 0.1)
    refused = 0
    for n, kind in enumerate(plan):
        if n in done:
            continue
        rng = random.Random(f"{a.seed}/{a.ws}/{n}")
        t0 = time.monotonic()
        try:
            if not officer.act(n, kind, rng):
                refused += 1
        except Exception:  # noqa: BLE001 - an officer's error box, not a crash
            log.exception("action %d (%s) failed", n, kind)
            refused += 1
        time.sleep(max(0.0, interval - (time.monotonic() - t0)))  # officer's pace
    say("actions_done", refused=refused)

    commands["drain"].wait()
    t_drain = time.monotonic()
    log.info("drain: link %s, outbox %d", engine.link_state, engine.outbox_depth())
    while engine.outbox_depth() > 0:
        engine.kick()
        progressed.wait(1.0)
        progressed.clear()
    log.info("drained in %.2fs: link %s", time.monotonic() - t_drain, engine.link_state)
    say("drained", stats=engine.stats)

    commands["sync"].wait()
    t_sync = time.monotonic()
    engine.stop(10)
    t_stopped = time.monotonic()
    for _ in range(3):  # the feed may still carry the last answers of other stations
        try:
            engine.puller.catch_up()
            break
        except Exception:  # noqa: BLE001
            log.exception("final pull failed")
    log.info("sync: engine stopped in %.2fs, feed caught up in %.2fs", t_stopped - t_sync,
             time.monotonic() - t_stopped)
    say("synced", stats=engine.stats, attention=len(storeapi.needs_attention(store)))
    store.close()
    return 0
