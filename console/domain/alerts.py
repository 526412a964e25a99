"""When a change on the journal deserves a toast on the duty officer's screen.

The rules live here, below Qt, so that the supervision rules (alerts per category,
sounds, escalation) can grow in one place; the queue panel only shows what these
functions pick.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: a ticket older than this when the workstation hears of it is not news any more
NEW_TICKET_ALERT_S = 900.0
URGENT_PRIORITIES = frozenset({"urgent", "critical"})
#: more changed tickets than this in one report is a bulk load, not news
BULK_TICKETS = 500
BULK_ALARMS = 200


def new_ticket_alert(row: Mapping[str, Any], now: float) -> str | None:
    """``"urgent"``, ``"iot"`` or None for one ticket row (state, created_at,
    priority, channel): pending, under 900 s old, urgent or from an IoT alarm."""
    if row.get("state") != "pending":
        return None
    if now - float(row.get("created_at") or 0) > NEW_TICKET_ALERT_S:
        return None
    if row.get("priority") in URGENT_PRIORITIES:
        return "urgent"
    if row.get("channel") == "iot_alarm":
        return "iot"
    return None


def new_ticket_alerts(rows: Iterable[Mapping[str, Any]], now: float,
                      seen: set[str]) -> list[tuple[str, Mapping[str, Any]]]:
    """``[(kind, row), ...]`` for the rows not alerted yet; adds them to ``seen``."""
    out = []
    for r in rows:
        if r.get("id") in seen:
            continue
        kind = new_ticket_alert(r, now)
        if kind is not None:
            seen.add(r["id"])
            out.append((kind, r))
    return out


def new_alarm_alerts(alarm_ids: Iterable[str], active: Mapping[str, Mapping[str, Any]],
                     seen: set[str]) -> list[Mapping[str, Any]]:
    """The active alarms among ``alarm_ids`` not alerted yet; adds them to ``seen``."""
    out = []
    for aid in alarm_ids:
        a = active.get(aid)
        key = f"alarm:{aid}"
        if a is None or key in seen:
            continue
        seen.add(key)
        out.append(a)
    return out
