"""Rows of the supervision alerts (revision 0012) and the tickets that may raise them.

The alert rules are ``console.domain.supervision``; this module only finds candidate
tickets with indexed queries and stores what the rules decided. Inserting an alert is
insert-or-ignore on its deterministic id: a crossing is stored once whichever desk of
the hall sees it first; an acknowledgement is a conditional update, so the first desk
to acknowledge wins and the others are told who did."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from console.domain.supervision import OPEN, RUNNING, Crossing, Policy
from localdb.limits import crossing_clause, limit_clause, max_lead_s
from localdb.models import TicketRow

T = TicketRow.__table__.c
_COLS = (T.id, T.number, T.state, T.deadline, T.warn_lead_s, T.priority, T.channel, T.key_supervision,
         T.created_at, T.updated_at, T.grid_resp, T.department_id, T.category_name)
#: dormant tickets quieter than this long are not searched again (bounds the range scan)
DORMANT_LOOKBACK_S = 30 * 86400.0


def _ph(values, prefix: str, params: dict) -> str:
    for i, v in enumerate(sorted(values)):
        params[f"{prefix}{i}"] = v
    return ", ".join(f":{prefix}{i}" for i in range(len(values)))


def candidates(s: Session, now: float, policy: Policy) -> list[dict[str, Any]]:
    """Open tickets that may be in an alert condition at ``now``: in warning or overdue
    (the queue's limit clause), arrived as 特急 / 重点监管 / IoT within the arrival
    window, or without an action for ``policy.dormant_s``."""
    found: dict[str, dict[str, Any]] = {}

    def add(rows) -> None:
        for r in rows:
            found.setdefault(r.id, dict(r._mapping))

    lead = policy.hall_lead_s
    add(s.execute(select(*_COLS).where(limit_clause(["warning", "overdue"], now, lead, max_lead_s(s, lead)))))
    params: dict[str, Any] = {"since": now - policy.arrival_window_s}
    ph = _ph(OPEN, "o", params)
    add(s.execute(text(
        f"SELECT {', '.join(c.name for c in _COLS)} FROM tickets WHERE created_at >= :since "
        f"AND state IN ({ph}) AND (priority = 'critical' OR key_supervision = :yes OR channel = 'iot_alarm')"),
        {**params, "yes": True}))
    params = {"a": now - policy.dormant_s - DORMANT_LOOKBACK_S, "b": now - policy.dormant_s}
    ph = _ph(RUNNING, "r", params)
    add(s.execute(text(
        f"SELECT {', '.join(c.name for c in _COLS)} FROM tickets WHERE updated_at >= :a AND updated_at <= :b "
        f"AND state IN ({ph})"), params))
    return list(found.values())


def candidates_since(s: Session, t0: float, now: float, policy: Policy, changed_ids: list[str]) -> list[dict[str, Any]]:
    """The incremental twin of ``candidates`` for a scan that already looked at ``t0``:
    tickets whose limit state the clock changed in (t0, now] (``crossing_clause``: two
    index range scans), tickets that turned dormant in that span, and the tickets changed
    in the store since (``changed_ids``, from the journal: arrivals, edits, the feed).
    What the full query would find and these miss was found by the scan at ``t0``."""
    found: dict[str, dict[str, Any]] = {}

    def add(rows) -> None:
        for r in rows:
            found.setdefault(r.id, dict(r._mapping))

    lead = policy.hall_lead_s
    add(s.execute(select(*_COLS).where(crossing_clause(t0, now, lead, max_lead_s(s, lead)))))
    params: dict[str, Any] = {"a": t0 - policy.dormant_s, "b": now - policy.dormant_s}
    ph = _ph(RUNNING, "r", params)
    add(s.execute(text(
        f"SELECT {', '.join(c.name for c in _COLS)} FROM tickets WHERE updated_at > :a AND updated_at <= :b "
        f"AND state IN ({ph})"), params))
    ids = sorted(set(changed_ids))
    for i in range(0, len(ids), 500):
        add(s.execute(select(*_COLS).where(T.id.in_(ids[i:i + 500]))))
    return list(found.values())


def next_reminder_at(s: Session, interval_s: float) -> float | None:
    """When the earliest reminder of an unacknowledged alert of an open ticket falls due
    (None: no alert waits). One aggregate, so a scan with nothing due reads no rows out."""
    params: dict[str, Any] = {"iv": interval_s}
    ph = _ph(OPEN, "o", params)
    v = s.execute(text(
        "SELECT MIN(a.raised_at + a.reminders * :iv) FROM supervision_alerts a JOIN tickets t ON t.id = a.ticket_id "
        f"WHERE a.acked_at IS NULL AND t.state IN ({ph})"), params).scalar()
    return None if v is None else float(v)


def existing_ids(s: Session, ids: list[str]) -> set[str]:
    """The ids among ``ids`` stored already."""
    out: set[str] = set()
    for i in range(0, len(ids), 500):
        chunk = ids[i:i + 500]
        params = {f"i{k}": v for k, v in enumerate(chunk)}
        out.update(s.execute(text(
            f"SELECT id FROM supervision_alerts WHERE id IN ({', '.join(':' + k for k in params)})"),
            params).scalars())
    return out


def insert_alert(s: Session, c: Crossing, now: float, workstation: str) -> bool:
    """Store the crossing's alert; False when it was stored before (by any desk)."""
    r = s.execute(text(
        "INSERT INTO supervision_alerts (id, ticket_id, kind, mark, since, raised_at, raised_by_ws, "
        "reminders, level) VALUES (:id, :t, :k, :m, :since, :now, :ws, 0, 0) ON CONFLICT (id) DO NOTHING"),
        {"id": c.id, "t": c.ticket_id, "k": c.kind, "m": c.mark, "since": c.since, "now": now,
         "ws": workstation})
    return r.rowcount == 1


def count_unacknowledged(s: Session) -> int:
    """How many alerts of open tickets wait for an acknowledgement."""
    params: dict[str, Any] = {}
    ph = _ph(OPEN, "o", params)
    # driven by the (few) alerts, each probing its ticket by key: as a join, SQLite could
    # start from the open tickets instead (hundreds of thousands: ~11 s at 1M tickets)
    return int(s.execute(text(
        "SELECT COUNT(*) FROM supervision_alerts a WHERE a.acked_at IS NULL AND EXISTS "
        f"(SELECT 1 FROM tickets t WHERE t.id = a.ticket_id AND t.state IN ({ph}))"), params).scalar() or 0)


def unacknowledged(s: Session, open_tickets_only: bool = True, due_at: float | None = None,
                   interval_s: float = 0.0, newest: int | None = None) -> list[dict[str, Any]]:
    """Alerts nobody acknowledged yet, oldest first, with their ticket's number and
    state (alerts of tickets that are done no longer climb: ``open_tickets_only``);
    with ``due_at``, only those whose next reminder is due by then (reminder k at
    ``raised_at + k * interval_s``, as ``console.domain.supervision.due_reminder``); with
    ``newest``, only that many, newest first (the panel's list)."""
    params: dict[str, Any] = {}
    cond = ""
    if open_tickets_only:
        cond = f"AND t.state IN ({_ph(OPEN, 'o', params)})"
    if due_at is not None:
        cond += " AND a.raised_at + a.reminders * :iv <= :due"
        params.update(iv=interval_s, due=due_at)
    rows = s.execute(text(
        "SELECT a.*, t.number, t.state, t.category_name, t.address, t.grid_resp, t.department_id "
        "FROM supervision_alerts a LEFT JOIN tickets t ON t.id = a.ticket_id "
        f"WHERE a.acked_at IS NULL {cond} "
        + ("ORDER BY a.raised_at, a.id" if newest is None else "ORDER BY a.raised_at DESC, a.id LIMIT :lim")),
        {**params, **({} if newest is None else {"lim": int(newest)})})
    return [dict(r._mapping) for r in rows]


def set_reminded(s: Session, alert_id: str, reminders: int, level: int, now: float) -> bool:
    """Record a reminder (only while unacknowledged and only forward: two desks sending
    the same reminder store it once)."""
    r = s.execute(text(
        "UPDATE supervision_alerts SET reminders = :n, level = :lv, reminded_at = :now "
        "WHERE id = :i AND acked_at IS NULL AND reminders < :n"),
        {"n": reminders, "lv": level, "now": now, "i": alert_id})
    return r.rowcount == 1


def acknowledge(s: Session, alert_id: str, user_id: str, workstation: str, now: float, note: str) -> bool:
    r = s.execute(text(
        "UPDATE supervision_alerts SET acked_at = :now, acked_by = :u, acked_ws = :ws, ack_note = :note "
        "WHERE id = :i AND acked_at IS NULL"),
        {"now": now, "u": user_id, "ws": workstation, "note": note, "i": alert_id})
    return r.rowcount == 1


def alert(s: Session, alert_id: str) -> dict[str, Any] | None:
    r = s.execute(text("SELECT * FROM supervision_alerts WHERE id = :i"), {"i": alert_id}).first()
    return None if r is None else dict(r._mapping)


def alerts_between(s: Session, t0: float, t1: float) -> list[dict[str, Any]]:
    """Alerts raised or acknowledged in [t0, t1) (the handover's list), oldest first."""
    rows = s.execute(text(
        "SELECT a.*, t.number FROM supervision_alerts a LEFT JOIN tickets t ON t.id = a.ticket_id "
        "WHERE (a.raised_at >= :a AND a.raised_at < :b) OR (a.acked_at >= :a AND a.acked_at < :b) "
        "ORDER BY a.raised_at, a.id"), {"a": t0, "b": t1})
    return [dict(r._mapping) for r in rows]


def all_alerts(s: Session) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in s.execute(text("SELECT * FROM supervision_alerts ORDER BY id"))]
