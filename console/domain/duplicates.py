"""Is a new ticket a duplicate of one already in the store? (Qt-free)

Intake used to list every ticket within 50 m, seven of unrelated categories at a busy
corner, and officers learn to click 仍然保存 past such a list. A neighbour counts as a
likely duplicate only when it is about the same thing: the same small category, or a
description that reads alike (shared two-character runs, which suits Chinese text
without a word splitter); distance and being still open then rank them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from console.domain.model import OPEN_STATES

#: how alike two descriptions must read to count without the same category
TEXT_ALIKE = 0.35
#: how many likely duplicates intake shows
SHOW_AT_MOST = 5

_OPEN = frozenset(s.value for s in OPEN_STATES)
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def _bigrams(text: str) -> set[str]:
    s = _NOISE.sub("", (text or "").lower())
    if len(s) < 2:
        return {s} if s else set()
    return {s[i:i + 2] for i in range(len(s) - 1)}


def text_alike(a: str, b: str) -> float:
    """0..1: the share of the shorter text's two-character runs the other one has."""
    x, y = _bigrams(a), _bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def score(new: Mapping[str, Any], other: Mapping[str, Any], radius_m: float) -> float | None:
    """How likely ``other`` (a stored ticket with ``distance_m``) is what ``new``
    reports again; None when it is not a likely duplicate at all."""
    same_small = (other.get("category_code") == new.get("category_code")
                  and (other.get("category_kind") or new.get("category_kind")) == new.get("category_kind"))
    alike = text_alike(str(new.get("description", "")), str(other.get("description", "")))
    if not same_small and alike < TEXT_ALIKE:
        return None
    near = max(0.0, 1.0 - float(other.get("distance_m", radius_m)) / radius_m) if radius_m > 0 else 0.0
    return 0.5 * same_small + 0.3 * alike + 0.15 * near + 0.05 * (str(other.get("state")) in _OPEN)


def likely_duplicates(new: Mapping[str, Any], nearby: Iterable[Mapping[str, Any]], radius_m: float,
                      limit: int = SHOW_AT_MOST) -> list[dict[str, Any]]:
    """The nearby tickets that are likely the same matter, most likely first, each
    with ``score`` and ``same_category``."""
    out = []
    for d in nearby:
        s = score(new, d, radius_m)
        if s is not None:
            out.append({**d, "score": s, "same_category": d.get("category_code") == new.get("category_code")})
    out.sort(key=lambda d: (-d["score"], d.get("distance_m", 0.0)))
    return out[:limit]
