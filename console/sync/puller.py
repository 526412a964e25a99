"""Follow the platform's change feed into the local store.

The cursor lives in the store (``sync_state``) and moves only inside the same
transaction that stored the batch (``localdb.feed.apply_changes``): whatever
happens (crash, kill -9, a batch that cannot be stored), the cursor never points
past data the store does not hold, and a restart resumes exactly where the last
stored batch ended, downloading nothing twice.

Bootstrap (empty cursor, or a resync) reads the full history in big pages
(``bootstrap_limit`` up to 5000) and reports progress after every page. Its pages
are stored through the store's bulk-load path (``apply_changes(bootstrap=True)``:
secondary indexes and FTS triggers off); the last page is followed by
``feed.finish_bootstrap`` (indexes rebuilt once), the bootstrap mark and ANALYZE.
A crash in between is repaired by ``Store.open`` (it recreates missing indexes).
"""

from __future__ import annotations

import gc
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from console.sync import storeapi
from localdb import feed as _feed
from console.sync.client import BadResponse, ChangeBatch, PlatformClient, RequestRejected, ResyncRequired

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)

MAX_LIMIT = 5000
#: Bootstrap page size of the engine. Parsing a page's JSON holds the GIL (json.loads
#: is one C call): a 5000-change page held it for 50-170 ms, stalling the UI thread
#: for as long. 1000-change pages keep each hold short at little cost in throughput
#: (the benchmark of raw bootstrap speed asks for 5000).
BOOTSTRAP_LIMIT = 1000


@dataclass(slots=True)
class PullStats:
    batches: int = 0
    changes_applied: int = 0
    quarantined: int = 0
    malformed_batches: int = 0
    resyncs: int = 0
    bootstraps_completed: int = 0


class BatchNotStored(Exception):
    """The store refused a batch; the cursor stayed where it was."""


class Puller:
    """One feed follower. ``pull_once`` is one request + one transaction."""

    def __init__(
        self,
        store: Store,
        client: PlatformClient,
        *,
        limit: int = 500,
        bootstrap_limit: int = BOOTSTRAP_LIMIT,
        on_progress: Callable[[dict[str, Any]], None] | None = None,
        on_batch: Callable[[float], None] | None = None,
    ) -> None:
        self.store = store
        self.client = client
        self.limit = max(1, min(int(limit), MAX_LIMIT))
        self.bootstrap_limit = max(1, min(int(bootstrap_limit), MAX_LIMIT))
        self.on_progress = on_progress
        self.on_batch = on_batch   # called with the request's latency (link monitor)
        self.stats = PullStats()
        self._lock = threading.Lock()  # one pull at a time (worker + tests/bench)
        self.bootstrapping = storeapi.bootstrap_pending(store)
        self._boot_applied = 0

    @property
    def cursor(self) -> str:
        return storeapi.get_cursor(self.store)

    def pull_once(self) -> bool:
        """Fetch and store one batch; returns has_more.

        Raises the client's errors (LinkDown, AuthError, ...), ``BadResponse`` for a
        batch that breaks the contract and ``BatchNotStored`` when the store refused
        it; in every case the stored cursor is unchanged. ``ResyncRequired`` is
        handled here: the cursor is reset (outbox untouched) and the next call
        starts the bootstrap again.
        """
        with self._lock, _no_cyclic_gc():
            cursor = self.cursor
            boot = self.bootstrapping or not cursor
            try:
                batch = self.client.changes(cursor, self.bootstrap_limit if boot else self.limit)
            except (ResyncRequired, RequestRejected) as exc:
                return self._resync(exc, cursor)
            return self._store_batch(batch, boot)

    def catch_up(self, stop: threading.Event | None = None, max_batches: int | None = None) -> int:
        """Pull until the feed has nothing more (or ``stop``); returns batches pulled.

        Pages are fetched and stored one after the other: fetching the next page
        while storing the current one was measured slower (both are CPU-bound
        Python and fight for the GIL).
        """
        n = 0
        while not (stop and stop.is_set()):
            more = self.pull_once()
            n += 1
            if not more or (max_batches is not None and n >= max_batches):
                break
        return n

    # -- internals ------------------------------------------------------------------
    def _resync(self, exc: Exception, cursor: str) -> bool:
        if isinstance(exc, RequestRejected) and not (exc.status == 400 and cursor):
            raise exc
        # 410, or a cursor this platform never issued (400): the only way on is to
        # read everything again; the unsent outbox stays as it is.
        self.stats.resyncs += 1
        log.warning("feed cursor refused by the platform (%s): full resync, outbox kept",
                    type(exc).__name__)
        storeapi.reset_cursor(self.store)
        self.bootstrapping = True
        self._boot_applied = 0
        self._progress("resync", 0, True)
        return True

    def _store_batch(self, batch: ChangeBatch, boot: bool) -> bool:
        if self.on_batch:
            self.on_batch(batch.elapsed_s)
        problem = _check_batch(batch.changes)
        if problem:
            self.stats.malformed_batches += 1
            raise BadResponse(f"feed batch refused before storing: {problem}")
        try:
            if boot:
                report = _feed.apply_changes(self.store, batch.changes, batch.next_cursor,
                                             bootstrap=True)
            else:
                report = storeapi.apply_changes(self.store, batch.changes, batch.next_cursor)
        except Exception as exc:  # noqa: BLE001 - the transaction rolled back
            self.stats.malformed_batches += 1
            # Never SQLAlchemy's own text: it quotes the statement's row values.
            orig = getattr(exc, "orig", None)
            if orig is not None:
                detail = str(orig)
            elif type(exc).__module__.startswith("sqlalchemy"):
                detail = ""
            else:
                detail = str(exc)
            why = f"{type(exc).__name__}: {detail[:200]}"
            raise BatchNotStored(f"store refused a batch of {len(batch.changes)}: {why}") from None
        applied, quarantined = storeapi.report_counts(report, len(batch.changes))
        self.stats.batches += 1
        self.stats.changes_applied += applied
        self.stats.quarantined += quarantined
        if quarantined:
            log.warning("%d feed items quarantined (kept for support)", quarantined)
        if boot:
            self._boot_applied += applied
            if not batch.has_more:
                self._finish_bootstrap()
        self._progress("bootstrap" if boot else "follow", applied, batch.has_more,
                       quarantined=quarantined)
        return batch.has_more

    def _finish_bootstrap(self) -> None:
        """Indexes back (one rebuild for the whole load), then the bootstrap mark, then
        fresh planner statistics. Each step is safe to repeat after a crash."""
        finish = getattr(_feed, "finish_bootstrap", None)
        if finish is not None and hasattr(self.store, "ensure_indexes"):
            finish(self.store)
        storeapi.set_bootstrap(self.store, True, self._boot_applied)
        self.bootstrapping = False
        self.stats.bootstraps_completed += 1
        analyze = getattr(self.store, "analyze", None)
        if analyze is not None:
            try:
                analyze()
            except Exception:  # noqa: BLE001 - statistics are an optimisation
                log.warning("ANALYZE after the bootstrap failed", exc_info=True)

    def _progress(self, phase: str, applied: int, has_more: bool, **extra: Any) -> None:
        if self.on_progress is None:
            return
        info = {"phase": phase, "applied": applied, "total_applied": self.stats.changes_applied,
                "has_more": has_more, **extra}
        try:
            self.on_progress(info)
        except Exception:  # noqa: BLE001
            log.exception("progress listener failed")


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """The cyclic garbage collector off while a page is parsed and stored.

    A page is tens of thousands of fresh dicts and lists (no cycles: reference
    counting frees them when the page is done). Allocating them triggers collections,
    and a full one walks every object of the process with the GIL held: 100+ ms
    in the console, during which the UI thread cannot run. Nested use is harmless."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _check_batch(changes: list[Any]) -> str | None:
    """Whole-batch checks; item contents are the store's business.

    The store quarantines (stores, with the reason) single items it cannot apply,
    so they do not block the feed. A batch whose ``seq`` runs backwards or repeats
    is refused whole: the platform is confused about what it sent, and storing it
    would move the cursor past changes we may never have seen.
    """
    last = None
    for i, ch in enumerate(changes):
        seq = ch.get("seq") if isinstance(ch, dict) else None
        if not isinstance(seq, int) or isinstance(seq, bool):
            continue
        if last is not None and seq <= last:
            return f"seq not increasing at item {i}"
        last = seq
    return None
