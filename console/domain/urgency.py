"""The priority order officers and the commander start from: open work before closed
work; among the open, 特急 first, then by time left (overdue first, most overdue on
top), then tickets whose clock has not started (or is paused), newest first; closed,
returned and archived tickets last (among them too 特急 first, then newest first).
The queue engine orders by the same keys in SQL (``localdb.models.PRIORITY_ORDER``);
this is the order for lists built in Python (the commander's inbox)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from console.domain.model import OPEN_STATES

#: priorities that go on top whatever their time left (特急)
TOP_PRIORITIES = frozenset({"critical"})
#: states whose tickets are still work for the hall (wire spelling)
OPEN_STATE_VALUES = frozenset(s.value for s in OPEN_STATES)


def priority_key(state: str | None, priority: str | None, limit_deadline: float | None,
                 created_at: float | None) -> tuple:
    """Sort key (ascending) of one ticket in the priority order. A closed 特急 ticket is
    done: it goes after every open one, whatever its priority."""
    done = 0 if str(state) in OPEN_STATE_VALUES else 1
    top = 0 if priority in TOP_PRIORITIES else 1
    if limit_deadline is not None:
        return (done, top, 0, float(limit_deadline), 0.0)
    return (done, top, 1, 0.0, -float(created_at or 0.0))


def row_priority_key(row: Mapping[str, Any]) -> tuple:
    return priority_key(row.get("state"), row.get("priority"), row.get("limit_deadline"),
                        row.get("created_at"))
