"""The street's duty pattern: the ONE definition of shift times at the desk.

The platform sends the pattern (feed kind ``duty_pattern``, kept in the store); without
one the desk's ``shift_times`` setting (three starts) gives a 7×24 staffed plan, and
without that the default 07/15/23. Every shift boundary the console uses — the status
bar, the commander panel, the handover, the duty log, the roster, the operations that
file a log line under a shift, the command chain's duty date — comes from here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from console.domain import roster as R
from localdb import repo_commander as rc

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)
_fallback: tuple[str, ...] = ()
_lock = threading.Lock()
_cache: dict[str, R.DutyPattern] = {}


def set_fallback_starts(starts: Sequence[str] | None) -> None:
    """The desk's ``shift_times`` setting (used while the platform has sent no pattern)."""
    global _fallback
    _fallback = tuple(starts or ())


def from_starts(starts: Sequence[str]) -> R.DutyPattern:
    """A 7×24 staffed pattern from three shift starts ("07:00", "15:00", "23:00");
    raises PatternError for starts that are not three times in order."""
    starts = list(starts)
    if len(starts) != 3:
        raise R.PatternError(f"班次开始时间须为3个（白班、中班、夜班），现为{len(starts)}个")
    names = ("day", "evening", "night")
    return R.pattern_from_dict({"kind": R.STAFFED_24H, "shifts": [
        {"name": n, "start": starts[i], "end": starts[(i + 1) % 3]} for i, n in enumerate(names)]})


def _parse(raw: Any) -> R.DutyPattern:
    key = json.dumps(raw, sort_keys=True, ensure_ascii=False)
    with _lock:
        hit = _cache.get(key)
    if hit is None:
        hit = R.pattern_from_dict(raw)
        with _lock:
            if len(_cache) > 16:
                _cache.clear()
            _cache[key] = hit
    return hit


def pattern_of(store: Store | None) -> R.DutyPattern:
    """The street's duty pattern now (never raises: a bad stored one was refused by the
    feed; a bad fallback setting is logged and the default holds)."""
    raw = None
    if store is not None:
        try:
            with store.session() as s:
                raw = rc.duty_pattern_raw(s)
        except Exception:  # noqa: BLE001 - an old store without the row: the fallback
            log.debug("duty pattern not readable", exc_info=True)
    if raw is not None:
        try:
            return _parse(raw)
        except R.PatternError:
            log.warning("stored duty pattern unusable; using the fallback", exc_info=True)
    if _fallback:
        try:
            return from_starts(_fallback)
        except R.PatternError as exc:
            log.warning("shift_times %r not usable (%s); using 07/15/23", list(_fallback), exc)
    return R.DEFAULT_PATTERN


def plan_of(store: Store | None) -> R.ShiftPlan:
    return pattern_of(store).plan


def shift_of(store: Store | None, now: float) -> tuple[str, str]:
    """(duty date ISO, shift name) at a platform instant, by the street's pattern."""
    plan = plan_of(store)
    date, name = plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))
    return date.isoformat(), name
