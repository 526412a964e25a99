"""The priority order officers and the commander start from: 特急 first, then by time
left (overdue first, most overdue on top), then tickets whose clock has not started,
newest first. The queue engine orders by the same keys in SQL
(``localdb.models.PRIORITY_ORDER``); this is the order for lists built in Python
(the commander's inbox)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: priorities that go on top whatever their time left (特急)
TOP_PRIORITIES = frozenset({"critical"})


def priority_key(priority: str | None, limit_deadline: float | None,
                 created_at: float | None) -> tuple:
    """Sort key (ascending) of one ticket in the priority order."""
    top = 0 if priority in TOP_PRIORITIES else 1
    if limit_deadline is not None:
        return (top, 0, float(limit_deadline), 0.0)
    return (top, 1, 0.0, -float(created_at or 0.0))


def row_priority_key(row: Mapping[str, Any]) -> tuple:
    return priority_key(row.get("priority"), row.get("limit_deadline"), row.get("created_at"))
