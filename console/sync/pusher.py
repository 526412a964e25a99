"""Send the outbox to the platform, in order, exactly once in effect.

Each outbox row carries its command's idempotency key (``command_id``). A batch
whose answer was lost is simply sent again with the same keys: the platform answers
``duplicate`` for what it already applied, so the effect happens once whatever the
failures (timeouts, resets, kill -9 of the console, platform restarts). Rows marked
in flight by a run that died are the first ones sent again at start.

Waiting is event-driven: between attempts the pusher waits on one
``threading.Event`` which ``kick()`` (a new officer action) and ``link_up()`` (the
link came back) set, so it never polls and never sleeps through a recovery.
Back-off after ``LinkDown`` is exponential with full jitter, capped at 30 s.

Two routes share the one outbox: ticket commands go to ``/api/v1/commands``, duty-hall
records (verb ``duty_record``) to ``/api/v1/duty-records``. A batch is the leading run
of entries bound for the same route, so each route's entries leave in outbox order
and neither route's batch overtakes older entries of the other; records are keyed by
``record_id`` exactly as commands are by ``command_id`` (``duplicate`` when re-sent).

One bad entry never holds the others (the "blocked upload" of sync engines). A batch
the platform refuses as such (413, 422, 409 ``idempotency_key_reused``) or fails on
(a 5xx other than 502/503/504, which say it is unavailable) is halved until the
culprit stands alone, and everything else goes. A refused entry is answered
``rejected`` at once; an entry the platform fails on is tried again, alone, and after
``POISON_TRIES`` failures in a row set aside (needs attention, code
``platform_error``, with the platform's answer) so that the officer can redo or
discard it. Everything behind it flows in the meantime.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from console import failpoints
from console.sync import storeapi
from console.sync.client import LinkDown, PlatformClient, RequestRejected, ServerError
from localdb.outbox import DUTY_VERB

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)

MAX_BATCH = 200
#: failures of one entry sent alone before it is set aside (needs attention)
POISON_TRIES = 3
#: 4xx answers that refuse the whole batch for what it holds (split to find the culprit)
BATCH_REFUSALS = (409, 413, 422)


@dataclass(slots=True)
class PushStats:
    batches: int = 0
    commands_sent: int = 0        # commands and records the platform answered for
    records_sent: int = 0         # of which duty records
    applied: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    retries: int = 0
    set_aside: int = 0            # entries the platform kept failing on (needs attention)


class Backoff:
    """Exponential back-off with full jitter (AWS architecture blog)."""

    def __init__(self, base: float = 0.25, cap: float = 30.0, rng: random.Random | None = None) -> None:
        self.base, self.cap = base, cap
        self.attempt = 0
        self._rng = rng or random.Random()

    def next_delay(self) -> float:
        ceiling = min(self.cap, self.base * (2 ** self.attempt))
        self.attempt = min(self.attempt + 1, 30)
        return self._rng.uniform(0, ceiling)

    def reset(self) -> None:
        self.attempt = 0


class Pusher:
    def __init__(
        self,
        store: Store,
        client: PlatformClient,
        *,
        batch_size: int = MAX_BATCH,
        on_results: Callable[[list[dict[str, Any]]], None] | None = None,
        on_request: Callable[[float], None] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.batch_size = max(1, min(int(batch_size), MAX_BATCH))
        self.on_results = on_results
        self.on_request = on_request   # latency of each answered request (link monitor)
        self.stats = PushStats()
        self.wake = threading.Event()
        self._lock = threading.Lock()
        #: command/record id -> 5xx answers in a row while sent alone
        self._failures: dict[str, int] = {}

    def kick(self) -> None:
        self.wake.set()

    def push_once(self) -> int:
        """Send one batch; returns how many commands were answered (0: outbox empty).

        Raises ``LinkDown``/``AuthError``/``BadResponse``; the rows stay in flight and
        go again, with the same keys, on the next call.
        """
        with self._lock:
            entries = _one_per_ticket(storeapi.outbox_next_batch(self.store, self.batch_size * 4),
                                      self.batch_size)
            if not entries:
                return 0
            entries = _leading_run(entries)
            records = entries[0]["verb"] == DUTY_VERB
            wire, unsendable = [], []
            for e in entries:
                w = storeapi.command_of(e)
                (wire if _sendable(w) else unsendable).append(w)
            storeapi.outbox_mark_inflight(self.store, [e["command_id"] for e in entries])
            failpoints.hit("committed_unsent")
            failed: list[ServerError] = []
            key = "record_id" if records else "command_id"
            results = [self._refused(w[key], records, "unsendable_value",
                                     "the action holds a number JSON cannot carry (NaN or infinity); "
                                     "it was not sent") for w in unsendable]
            results += self._send(wire, records, failed) if wire else []
            if not results and failed:
                raise failed[0]   # only the failing entry was left: back off, then again
            failpoints.hit("sent_unstored")
            storeapi.outbox_apply_results(self.store, results)
            self.stats.batches += 1
            self.stats.commands_sent += len(results)
            if records:
                self.stats.records_sent += len(results)
            for r in results:
                st = r.get("status")
                if st in ("applied", "duplicate", "conflict", "rejected"):
                    setattr(self.stats, st, getattr(self.stats, st) + 1)
            if self.on_results:
                try:
                    self.on_results(results)
                except Exception:  # noqa: BLE001
                    log.exception("results listener failed")
            return len(results)

    def drain(self, stop: threading.Event | None = None) -> int:
        """Push until the outbox has nothing sendable; returns commands answered."""
        total = 0
        while not (stop and stop.is_set()):
            n = self.push_once()
            if not n:
                break
            total += n
        return total

    def _send(self, commands: list[dict[str, Any]], records: bool = False,
              failed: list[ServerError] | None = None) -> list[dict[str, Any]]:
        """The platform's answers to ``commands``. Entries the platform failed on (5xx)
        but not yet ``POISON_TRIES`` times get no answer (they stay in flight and go
        again); their errors are appended to ``failed``."""
        failed = [] if failed is None else failed
        key = "record_id" if records else "command_id"
        t0 = time.monotonic()
        try:
            if records:
                results = self.client.send_duty_records(commands)
            else:
                results = self.client.send_commands(commands)
        except RequestRejected as exc:
            if exc.status not in BATCH_REFUSALS:
                raise
            # The platform refused the whole batch (malformed, too big, a key used
            # before for another body) and applied nothing. Halve it until the culprit
            # stands alone, so good commands are not held hostage by one bad one.
            if len(commands) > 1:
                log.warning("batch of %d refused (%s); splitting it", len(commands), exc.code)
                return self._split(commands, records, failed)
            log.error("%s %s refused by the platform: %s", key, commands[0][key], exc.code)
            what = "record" if records else "command"
            reason = (exc.message.split(": ", 1)[-1] if exc.code == "idempotency_key_reused"
                      else f"the platform refused the {what} as such ({exc.code})")
            return [self._refused(commands[0][key], records, exc.code or "malformed_command", reason)]
        except ServerError as exc:
            if exc.unavailable:
                raise
            if len(commands) > 1:
                log.warning("batch of %d failed on the platform (%s); splitting it",
                            len(commands), exc.status)
                return self._split(commands, records, failed)
            cid = commands[0][key]
            n = self._failures[cid] = self._failures.get(cid, 0) + 1
            if n < POISON_TRIES:
                log.warning("%s %s failed on the platform (%s), try %d of %d", key, cid,
                            exc.status, n, POISON_TRIES)
                failed.append(exc)
                return []
            self._failures.pop(cid, None)
            self.stats.set_aside += 1
            log.error("%s %s set aside: the platform failed on it %d times (%s)", key, cid, n,
                      exc.status)
            answer = " ".join(x for x in (str(exc.status), exc.code, exc.message) if x)
            return [self._refused(cid, records, "platform_error",
                                  f"the platform failed on it {n} times in a row ({answer})")]
        if self.on_request:
            self.on_request(time.monotonic() - t0)
        for r in results:
            if isinstance(r, dict):
                self._failures.pop(r.get(key), None)
        return results

    def _split(self, commands: list[dict[str, Any]], records: bool,
               failed: list[ServerError]) -> list[dict[str, Any]]:
        half = len(commands) // 2
        return (self._send(commands[:half], records, failed)
                + self._send(commands[half:], records, failed))

    @staticmethod
    def _refused(cid: str, records: bool, code: str, reason: str) -> dict[str, Any]:
        if records:
            return {"record_id": cid, "status": "rejected", "reason": reason, "code": code}
        return {"command_id": cid, "status": "rejected", "reason": reason, "code": code,
                "ticket": None}


def _sendable(command: dict[str, Any]) -> bool:
    """Whether the command can go on the wire as JSON (no NaN, no infinity): one that
    cannot would fail every time before it left, and hold the outbox."""
    try:
        json.dumps(command, allow_nan=False)
    except (ValueError, TypeError):
        return False
    return True


def _one_per_ticket(entries: list[dict[str, Any]], limit: int) -> list[dict[str, Any]]:
    """The oldest unsent entry of each ticket, in outbox order.

    A later action on a ticket was built on the state its earlier one produced; if
    that one conflicts, the later one must not reach the platform (it would apply on
    a state that never happened should the versions line up by chance). So it waits
    for the next batch, by when the store has either settled or blocked it.
    """
    seen: set[str] = set()
    out = []
    for e in entries:
        if e["ticket_id"] in seen:
            continue
        seen.add(e["ticket_id"])
        out.append(e)
        if len(out) >= limit:
            break
    return out


def _leading_run(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The leading entries (in outbox order) bound for the same route, commands or
    duty records: one request; the other route's entries go in the next one."""
    records = entries[0]["verb"] == DUTY_VERB
    for i, e in enumerate(entries):
        if (e["verb"] == DUTY_VERB) != records:
            return entries[:i]
    return entries


def run_pusher(
    pusher: Pusher,
    stop: threading.Event,
    *,
    backoff: Backoff,
    on_link_down: Callable[[Exception], None],
    on_error: Callable[[Exception], None],
    idle_s: float = 5.0,
    after_drain: Callable[[], None] | None = None,
) -> None:
    """The pusher thread's loop (kept apart from ``Pusher`` so tests can step it)."""
    while not stop.is_set():
        pusher.wake.clear()
        try:
            pusher.drain(stop)
            if after_drain is not None:
                after_drain()   # e.g. attachment uploads, once the commands are out
            backoff.reset()
            # Nothing to send: wait for an officer action (kick) or the safety-net
            # timeout (rows enqueued by another process sharing the store).
            pusher.wake.wait(idle_s)
        except ServerError as exc:
            pusher.stats.retries += 1
            if exc.unavailable:
                on_link_down(exc)
            # else: the platform answers, it failed on one entry (tried again, alone,
            # then set aside): the link is fine
            pusher.wake.wait(backoff.next_delay())
        except LinkDown as exc:
            pusher.stats.retries += 1
            on_link_down(exc)
            pusher.wake.wait(backoff.next_delay())
        except Exception as exc:  # noqa: BLE001 - the worker must survive anything
            pusher.stats.retries += 1
            on_error(exc)
            pusher.wake.wait(max(1.0, backoff.next_delay()))
