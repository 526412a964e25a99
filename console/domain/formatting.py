"""One safe formatter for every time and number a view shows.

Values reach the views from the platform, from files and from the store; any of
them may be NaN, infinite, 1e300, a string or None. ``datetime.fromtimestamp`` on
such a value raises (``ValueError: Invalid value NaN``, ``OverflowError``,
``OSError``), and an exception in a paint or a timer slot is an error notice every
second. Every view therefore formats times and numbers through these functions:
they never raise and show ``PLACEHOLDER`` for what cannot be a real value.

Plausible instants are those between ``MIN_EPOCH`` (2000-01-01) and ``MAX_EPOCH``
(2100-01-01): the duty hall has no record outside them, and they are the range the
platform and the feed validation accept too (one rule, used at both ends).

Qt-free on purpose: the domain, the sync workers and the simulator use it as well.
Texts with words come in the two UI languages (``lang`` "zh_CN", the default, or
"en"); the caller passes the language the officer chose.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
PLACEHOLDER = "—"
#: 2000-01-01T00:00:00Z and 2100-01-01T00:00:00Z
MIN_EPOCH = 946_684_800.0
MAX_EPOCH = 4_102_444_800.0
#: the longest duration worth showing (100 days); longer ones are shown capped
MAX_DURATION_S = 100 * 86400.0


def finite_number(value: Any) -> float | None:
    """``value`` as a finite float, or None (NaN, ±inf, bool, text, None, huge ints)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        f = float(value)
    except (OverflowError, ValueError):
        return None
    return f if math.isfinite(f) else None


def plausible_epoch(value: Any) -> float | None:
    """``value`` as epoch seconds if it is a plausible instant, else None."""
    f = finite_number(value)
    if f is None or not MIN_EPOCH <= f < MAX_EPOCH:
        return None
    return f


def to_datetime(value: Any, tz: dt.tzinfo = SHANGHAI) -> dt.datetime | None:
    """An aware datetime in ``tz`` for a plausible epoch, else None (never raises)."""
    f = plausible_epoch(value)
    if f is None:
        return None
    try:
        return dt.datetime.fromtimestamp(f, tz)
    except (OverflowError, OSError, ValueError):  # pragma: no cover - range checked above
        return None


def format_epoch(value: Any, fmt: str = "%Y-%m-%d %H:%M", tz: dt.tzinfo = SHANGHAI,
                 placeholder: str = PLACEHOLDER) -> str:
    """``strftime(fmt)`` of an epoch in Shanghai time; ``placeholder`` if implausible."""
    d = to_datetime(value, tz)
    return placeholder if d is None else d.strftime(fmt)


def format_clock(value: Any, placeholder: str = "--:--:--") -> str:
    """"14:05:09" (the status-bar clock)."""
    return format_epoch(value, "%H:%M:%S", placeholder=placeholder)


def format_number(value: Any, digits: int = 0, placeholder: str = PLACEHOLDER,
                  limit: float = 1e12) -> str:
    """A number with ``digits`` decimals; placeholder for non-finite, non-numbers or
    magnitudes above ``limit`` (no view has a column for 1e300)."""
    f = finite_number(value)
    if f is None or abs(f) >= limit:
        return placeholder
    return f"{f:.{max(0, int(digits))}f}"


def format_int(value: Any, placeholder: str = PLACEHOLDER, limit: float = 1e12) -> str:
    f = finite_number(value)
    if f is None or abs(f) >= limit:
        return placeholder
    return str(int(f))


def _hm(total_s: float, lang: str) -> str:
    minutes = int(total_s // 60)
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if lang == "en":
        parts = ([f"{days} d"] if days else []) + ([f"{hours} h"] if hours else []) \
            + ([f"{mins} min"] if mins or not (days or hours) else [])
        return " ".join(parts)
    parts = ([f"{days}天"] if days else []) + ([f"{hours}小时"] if hours else []) \
        + ([f"{mins}分"] if mins or not (days or hours) else [])
    return "".join(parts)


def format_duration(seconds: Any, lang: str = "zh_CN", placeholder: str = PLACEHOLDER) -> str:
    """"2小时15分" / "2 h 15 min" (whole minutes, sign ignored)."""
    f = finite_number(seconds)
    if f is None:
        return placeholder
    return _hm(min(abs(f), MAX_DURATION_S), lang)


def format_time_left(seconds: Any, lang: str = "zh_CN", placeholder: str = PLACEHOLDER) -> str:
    """Time left to a deadline: "剩余 2小时15分", overdue "超时 3小时"
    (en: "2 h 15 min left", "3 h overdue"). Placeholder for no finite value."""
    f = finite_number(seconds)
    if f is None:
        return placeholder
    text = _hm(min(abs(f), MAX_DURATION_S), lang)
    if f < 0:
        return f"{text} overdue" if lang == "en" else f"超时 {text}"
    return f"{text} left" if lang == "en" else f"剩余 {text}"
