"""The sync engine: three daemon threads around one store and one platform client.

- puller: follows the change feed (bootstrap, then every second or on a kick);
- pusher: sends the outbox in order, waking on ``kick()`` or when the link returns;
- pinger: feeds the link monitor (health every second while in doubt, otherwise
  only when nothing else has talked to the platform for a while) and measures the
  clock skew.

Callbacks run on these worker threads; the Qt glue turns them into signals:
``on_link_change(state: str, info: dict)``, ``on_progress(info: dict)`` (feed
progress and push results), ``on_error(where: str, exc: Exception)``.
Workers never die of an exception: it is logged, reported and the loop backs off.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Callable

from console.domain.timelimits import ClockSkew
from console.sync import storeapi
from console.sync.attachments import AttachmentUploader
from console.sync.client import AuthError, BadResponse, LinkDown, PlatformClient
from console.sync.linkstate import LinkMonitor, LinkState, Outage
from console.sync.puller import Puller
from console.sync.pusher import Backoff, Pusher, run_pusher

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)



def safe_error(exc: BaseException) -> tuple[str, bool]:
    """(loggable text, may the traceback be logged?).

    SQLAlchemy puts the statement's *parameters* in its messages: a failed ticket
    write would put a citizen's phone number in the log. Such errors are logged
    by type and driver message only, without the chained traceback.
    """
    chain, e = [], exc
    while e is not None and len(chain) < 10:
        chain.append(e)
        e = e.__cause__ or e.__context__
    for e in chain:
        if type(e).__module__.startswith("sqlalchemy"):
            orig = getattr(e, "orig", None)
            msg = str(orig) if orig is not None else type(e).__name__
            return f"{type(exc).__name__}: {type(e).__name__}: {msg[:200]}", False
    return f"{type(exc).__name__}: {str(exc)[:300]}", not isinstance(exc, AuthError)


@dataclass(slots=True)
class SyncStats:
    changes_applied: int = 0
    quarantined: int = 0
    malformed_batches: int = 0
    resyncs: int = 0
    commands_sent: int = 0
    applied: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    errors: int = 0

    def to_dict(self) -> dict[str, int]:
        return asdict(self)


class SyncEngine:
    PULL_INTERVAL_S = 1.0
    PING_INTERVAL_S = 1.0          # while in doubt
    QUIET_PING_S = 3.0             # when online: a ping every 3 s measures the latency
    TICK_S = 0.25

    def __init__(
        self,
        store: Store,
        client: PlatformClient,
        workstation_id: str,
        on_link_change: Callable[[str, dict[str, Any]], None] | None = None,
        on_progress: Callable[[dict[str, Any]], None] | None = None,
        on_error: Callable[[str, Exception], None] | None = None,
        clock_skew: ClockSkew | None = None,
        *,
        pull_limit: int = 500,
        push_batch: int = 200,
        seed: int | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.workstation_id = workstation_id
        self.on_link_change = on_link_change
        self.on_progress = on_progress
        self.on_error = on_error
        self.clock_skew = clock_skew if clock_skew is not None else ClockSkew()
        self._stats = SyncStats()
        self._stop = threading.Event()
        self._pull_wake = threading.Event()
        self._threads: list[threading.Thread] = []
        self._rng = random.Random(seed)
        self.link = LinkMonitor(on_change=self._on_link_change, on_outage=self._on_outage,
                                queued=self.outbox_depth)
        self.puller = Puller(store, client, limit=pull_limit, on_progress=self._on_pull_progress,
                             on_batch=lambda _elapsed: self.link.success(None))
        self.pusher = Pusher(store, client, batch_size=push_batch, on_results=self._on_results,
                             on_request=lambda _elapsed: self.link.success(None))
        self.uploader = AttachmentUploader(store, client, on_progress=self._progress)
        self.auth_failed = False
        self._bad_health = False
        self.on_outage: Callable[[Outage], None] | None = None
        self._outage_lock = threading.Lock()
        self._outages_begun: set[float] = set()

    # -- public API ---------------------------------------------------------------
    def start(self) -> None:
        if self._threads:
            return
        self._stop.clear()
        for name, target in (("sync-puller", self._run_puller), ("sync-pusher", self._run_pusher),
                             ("sync-pinger", self._run_pinger), ("sync-ticker", self._run_ticker)):
            t = threading.Thread(target=target, name=f"{name}-{self.workstation_id}", daemon=True)
            t.start()
            self._threads.append(t)

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop the workers; True when all of them ended within ``timeout``."""
        self._stop.set()
        self._pull_wake.set()
        self.pusher.wake.set()
        deadline = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, deadline - time.monotonic()))
        alive = [t for t in self._threads if t.is_alive()]
        self._threads = alive
        return not alive

    def kick(self) -> None:
        """An officer action was recorded: push now (and pull its answer soon after)."""
        self.pusher.kick()

    def pull_now(self) -> None:
        self._pull_wake.set()

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    @property
    def link_state(self) -> str:
        return self.link.state.value

    @property
    def last_ok_at(self) -> float | None:
        return self.link.last_ok_at

    @property
    def outages(self) -> list[Outage]:
        return list(self.link.outages)

    def outbox_depth(self) -> int:
        return storeapi.outbox_depth(self.store)

    @property
    def stats(self) -> dict[str, int]:
        s = self._stats
        p, u = self.puller.stats, self.pusher.stats
        s.changes_applied, s.quarantined = p.changes_applied, p.quarantined
        s.malformed_batches, s.resyncs = p.malformed_batches, p.resyncs
        s.commands_sent, s.applied, s.duplicate = u.commands_sent, u.applied, u.duplicate
        s.conflict, s.rejected = u.conflict, u.rejected
        return s.to_dict()

    def platform_now(self) -> float:
        return self.clock_skew.platform_now()

    # -- workers ------------------------------------------------------------------
    def _run_puller(self) -> None:
        backoff = Backoff(base=0.5, cap=30.0, rng=self._rng)
        while not self._stop.is_set():
            self._pull_wake.clear()
            try:
                self.puller.catch_up(self._stop)
                backoff.reset()
                self._pull_wake.wait(self.PULL_INTERVAL_S)
            except LinkDown as exc:
                self.link.failure(str(exc))
                self._pull_wake.wait(min(backoff.next_delay(), 5.0))
            except Exception as exc:  # noqa: BLE001 - the worker must survive anything
                self._report("puller", exc)
                self._pull_wake.wait(max(1.0, backoff.next_delay()))

    def _run_pusher(self) -> None:
        run_pusher(
            self.pusher,
            self._stop,
            backoff=Backoff(base=0.25, cap=30.0, rng=self._rng),
            on_link_down=lambda exc: self.link.failure(str(exc)),
            on_error=lambda exc: self._report("pusher", exc),
            after_drain=lambda: self.uploader.upload_all(self._stop),
        )

    def _run_ticker(self) -> None:
        # Its own thread: a ping stuck in a blackhole must not delay the decision.
        while not self._stop.wait(self.TICK_S):
            self.link.tick()

    def _run_pinger(self) -> None:
        while not self._stop.is_set():
            self._ping()
            self._stop.wait(self.PING_INTERVAL_S if self.link.in_doubt else self.QUIET_PING_S)

    def _ping(self) -> None:
        # Short timeouts: a blackholed link must not keep the pinger away for 10 s.
        try:
            h = self.client.health(timeout=(1.0, 2.0))
        except LinkDown as exc:
            self.link.failure(str(exc))
            return
        except BadResponse as exc:
            # A platform that answers garbage about itself is not a working link; its
            # clock reading never reaches the skew estimate. Told once per streak.
            self.link.failure(f"bad health answer: {exc}")
            if not self._bad_health:
                self._bad_health = True
                self._report("pinger", exc)
            return
        except Exception as exc:  # noqa: BLE001
            self.link.failure(type(exc).__name__)
            self._report("pinger", exc)
            return
        self._bad_health = False
        self.link.success(h.rtt_s)
        try:
            self.clock_skew.add_sample(h.t_send, h.server_time_epoch, h.t_recv)
        except ValueError:
            pass  # wall clock stepped back during the request, or not a time: drop it

    # -- callbacks ----------------------------------------------------------------
    def _report(self, where: str, exc: Exception) -> None:
        self._stats.errors += 1
        if isinstance(exc, AuthError):
            self.auth_failed = True
        text, trace = safe_error(exc)
        log.error("sync %s: %s", where, text, exc_info=exc if trace else None)
        if self.on_error:
            try:
                self.on_error(where, exc)
            except Exception:  # noqa: BLE001
                log.exception("error listener failed")

    def _on_link_change(self, state: LinkState, info: dict[str, Any]) -> None:
        if state != LinkState.OFFLINE:
            # link (back) up: stop waiting out a long back-off
            self.pusher.kick()
            self._pull_wake.set()
        if self.on_link_change:
            try:
                self.on_link_change(state.value, info)
            except Exception:  # noqa: BLE001
                log.exception("link listener failed")

    def _on_outage(self, outage: Outage) -> None:
        if self.on_outage:
            try:
                self.on_outage(outage)
            except Exception:  # noqa: BLE001
                log.exception("outage listener failed")
        # Written off the deciding thread: the ticker must not wait for the store's
        # writer lock (a 5000-change page may hold it for a second).
        threading.Thread(target=self._persist_outage, args=(outage,), daemon=True,
                         name="sync-outage").start()

    def _persist_outage(self, outage: Outage) -> None:
        """The outage and its duty-log lines, through the one operation that records them
        (idempotent: the commander panel reports the same link changes)."""
        from console.operations.commander import SYSTEM, link_changed

        with self._outage_lock:
            try:
                key = outage.start_mono
                if outage.end is None or key not in self._outages_begun:
                    self._outages_begun.add(key)
                    link_changed(self.store, SYSTEM, "offline", outage.start, reason=outage.reason)
                if outage.end is not None:
                    self._outages_begun.discard(key)
                    link_changed(self.store, SYSTEM, "online", outage.end, queued=outage.queued_at_end)
            except Exception:  # noqa: BLE001 - an outage record is nice to have, not vital
                log.exception("could not record the outage")

    def _on_pull_progress(self, info: dict[str, Any]) -> None:
        self._progress({"kind": "feed", **info})

    def _on_results(self, results: list[dict[str, Any]]) -> None:
        self._pull_wake.set()  # the platform's answers come back on the feed
        counts: dict[str, int] = {}
        for r in results:
            counts[r.get("status", "?")] = counts.get(r.get("status", "?"), 0) + 1
        self._progress({"kind": "push", "results": counts, "outbox_depth": self.outbox_depth()})

    def _progress(self, info: dict[str, Any]) -> None:
        if self.on_progress:
            try:
                self.on_progress(info)
            except Exception:  # noqa: BLE001
                log.exception("progress listener failed")
