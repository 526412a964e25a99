"""Link state: online / degraded / offline, decided from what the workers see.

Fed by every request the sync workers make (``success(latency)`` /
``failure(reason)``) and by a periodic ``tick()``. Rules:

- degraded: a successful answer slower than ``slow_s`` (2 s), or failures that
  come and go (a failure after a success, fewer than ``offline_failures`` in a row);
- offline: ``offline_failures`` consecutive failures, or no successful contact for
  more than ``silence_s`` (4 s) while the pinger keeps asking every second. With
  ``tick`` every quarter second a dead link is declared offline 4-4.5 s after the
  last answer, inside the 5 s the duty hall requires;
- back online after ``recover_successes`` fast answers in a row (an offline link
  first goes to degraded on its first answer, so a flapping line does not flash
  green).

Every decision records its monotonic time, so tests can assert on when the link
was declared offline without timing anything themselves. An outage (offline ->
anything) is recorded with the outbox depth at its start and end; ``on_outage``
is called when it starts (``end`` None) and again when it ends.
"""

from __future__ import annotations

import enum
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable

log = logging.getLogger(__name__)


class LinkState(enum.StrEnum):
    ONLINE = "online"
    DEGRADED = "degraded"
    OFFLINE = "offline"


@dataclass(slots=True)
class Outage:
    start: float                 # wall clock, epoch seconds
    start_mono: float
    queued_at_start: int
    end: float | None = None
    end_mono: float | None = None
    queued_at_end: int | None = None
    reason: str = ""

    @property
    def duration_s(self) -> float | None:
        return None if self.end_mono is None else self.end_mono - self.start_mono

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "duration_s": self.duration_s,
            "queued_at_start": self.queued_at_start,
            "queued_at_end": self.queued_at_end,
            "reason": self.reason,
        }


@dataclass(slots=True)
class Decision:
    state: LinkState
    at_mono: float
    reason: str


@dataclass(slots=True)
class LinkMonitor:
    on_change: Callable[[LinkState, dict[str, Any]], None] | None = None
    on_outage: Callable[[Outage], None] | None = None
    queued: Callable[[], int] = lambda: 0
    slow_s: float = 2.0
    silence_s: float = 4.0
    offline_failures: int = 3
    recover_successes: int = 3
    clock: Callable[[], float] = time.monotonic
    wall: Callable[[], float] = time.time

    #: until answers prove the line good, the link is in doubt (and pinged often)
    state: LinkState = LinkState.DEGRADED
    last_ok_mono: float | None = None
    last_ok_at: float | None = None          # wall clock of the last good answer
    last_latency_s: float | None = None
    consecutive_failures: int = 0
    consecutive_fast: int = 0
    outages: list[Outage] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _changed: threading.Condition | None = None
    _started_mono: float = 0.0

    def __post_init__(self) -> None:
        self._changed = threading.Condition(self._lock)
        self._started_mono = self.clock()

    # -- inputs -----------------------------------------------------------------
    def success(self, latency_s: float | None = None) -> None:
        """An answer arrived. ``latency_s`` only from requests that measure the link
        (health pings); bulk requests (a 5000-change page) pass None: they prove
        contact but their duration says nothing about the line."""
        with self._lock:
            now = self.clock()
            self.last_ok_mono = now
            self.last_ok_at = self.wall()
            self.consecutive_failures = 0
            if latency_s is None:
                event = (self._set(LinkState.DEGRADED, "link answered again", now)
                         if self.state == LinkState.OFFLINE else None)
            elif latency_s > self.slow_s:
                self.last_latency_s = latency_s
                self.consecutive_fast = 0
                event = self._set(LinkState.DEGRADED, f"slow answer {latency_s:.1f}s", now)
            else:
                self.last_latency_s = latency_s
                self.consecutive_fast += 1
                if self.state == LinkState.OFFLINE:
                    event = self._set(LinkState.DEGRADED, "link answered again", now)
                elif self.state == LinkState.DEGRADED and self.consecutive_fast >= self.recover_successes:
                    event = self._set(LinkState.ONLINE, "answers fast again", now)
                else:
                    event = None
        self._emit(event)

    def failure(self, reason: str = "") -> None:
        with self._lock:
            now = self.clock()
            self.consecutive_failures += 1
            self.consecutive_fast = 0
            if self.consecutive_failures >= self.offline_failures:
                event = self._set(LinkState.OFFLINE, f"{self.consecutive_failures} failures: {reason}", now)
            elif self.state == LinkState.ONLINE:
                event = self._set(LinkState.DEGRADED, f"failure: {reason}", now)
            else:
                event = None
            if event is None:
                event = self._check_silence(now)
        self._emit(event)

    def tick(self) -> None:
        """Re-evaluate silence; call every ~0.25 s from the pinger."""
        with self._lock:
            event = self._check_silence(self.clock())
        self._emit(event)

    # -- queries ----------------------------------------------------------------
    @property
    def in_doubt(self) -> bool:
        """True when the pinger should ask every second."""
        with self._lock:
            return self.state != LinkState.ONLINE or self.consecutive_failures > 0

    def last_decision(self, state: LinkState) -> Decision | None:
        with self._lock:
            for d in reversed(self.decisions):
                if d.state == state:
                    return d
        return None

    def wait_for(self, state: LinkState, timeout: float) -> bool:
        """Block until the link is in ``state`` (tests, chaos harness)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self.state != state:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
            return True

    # -- internals (lock held) --------------------------------------------------
    def _check_silence(self, now: float) -> tuple | None:
        if self.state == LinkState.OFFLINE:
            return None
        ref = self.last_ok_mono if self.last_ok_mono is not None else self._started_mono
        if now - ref > self.silence_s:
            return self._set(LinkState.OFFLINE, f"no answer for {now - ref:.1f}s", now)
        return None

    def _set(self, new: LinkState, reason: str, now: float) -> tuple | None:
        old = self.state
        if new == old:
            return None
        self.state = new
        self.decisions.append(Decision(new, now, reason))
        del self.decisions[:-100]
        outage: Outage | None = None
        try:
            depth = int(self.queued())
        except Exception:  # noqa: BLE001 - a store hiccup must not stop the decision
            depth = -1
        if new == LinkState.OFFLINE:
            outage = Outage(self.wall(), now, depth, reason=reason)   # reported as it starts
            self.outages.append(outage)
            del self.outages[:-200]
        elif old == LinkState.OFFLINE and self.outages:
            outage = self.outages[-1]
            outage.end, outage.end_mono, outage.queued_at_end = self.wall(), now, depth
        self._changed.notify_all()
        info = {"previous": old.value, "reason": reason, "queued": depth, "at_mono": now,
                "last_ok_at": self.last_ok_at}
        log.info("link %s -> %s (%s)", old.value, new.value, reason)
        return new, info, outage

    def _emit(self, event: tuple | None) -> None:
        if event is None:
            return
        state, info, outage = event
        for cb, args in ((self.on_change, (state, info)), (self.on_outage, (outage,))):
            if cb is None or args[0] is None:
                continue
            try:
                cb(*args)
            except Exception:  # noqa: BLE001 - a listener must not break the worker
                log.exception("link listener failed")
