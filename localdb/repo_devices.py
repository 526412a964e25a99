"""Queries and writes of IoT devices, alarms and device events (Qt-free)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from console.domain import devices

_ALARM_COLS = ("a.id, a.sensor_id, a.type, a.lat, a.lon, a.raised_at, a.cleared_at, a.ticket_id, "
               "a.level, a.disposition, a.disposed_at, a.disposed_by, a.dismiss_reason, a.note, "
               "s.name AS sensor_name, s.id IS NOT NULL AS sensor_known, s.access_mode, s.via, s.value, s.unit, s.grid_id")


def _dicts(session: Session, sql: str, params: dict | None = None) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in session.execute(text(sql), params or {})]


def open_alarms(session: Session, limit: int = 500) -> list[dict[str, Any]]:
    """Alarms whose loop is not closed (no ticket, not linked, not dismissed), oldest first."""
    return _dicts(session, f"SELECT {_ALARM_COLS} FROM alarms a LEFT JOIN sensors s ON s.id = a.sensor_id "
                           "WHERE (a.ticket_id IS NULL OR a.ticket_id = '') AND a.disposition IS NULL "
                           "ORDER BY a.raised_at LIMIT :n", {"n": limit})


def open_alarm_count(session: Session) -> int:
    return int(session.execute(text(
        "SELECT count(*) FROM alarms WHERE (ticket_id IS NULL OR ticket_id = '') "
        "AND disposition IS NULL")).scalar_one())


def alarm(session: Session, alarm_id: str) -> dict[str, Any] | None:
    rows = _dicts(session, f"SELECT {_ALARM_COLS} FROM alarms a LEFT JOIN sensors s ON s.id = a.sensor_id "
                           "WHERE a.id = :i", {"i": alarm_id})
    return rows[0] if rows else None


def set_disposition(session: Session, alarm_id: str, disposition: str, at: float, by: str, *,
                    ticket_id: str | None = None, reason: str | None = None, note: str | None = None) -> None:
    session.execute(text(
        "UPDATE alarms SET disposition=:d, disposed_at=:at, disposed_by=:by, dismiss_reason=:r, note=:n, "
        "ticket_id=coalesce(:t, ticket_id) WHERE id=:i"),
        {"d": disposition, "at": at, "by": by, "r": reason, "n": note, "t": ticket_id, "i": alarm_id})


def ticket_id_by_number(session: Session, number: str) -> str | None:
    """The id of the ticket with this number (工单编号), or None."""
    return session.execute(text("SELECT id FROM tickets WHERE number = :n LIMIT 1"), {"n": number}).scalar()


def device_timeline(session: Session, device_id: str, since: float = 0.0,
                    min_offline_s: float = 0.0) -> list[dict[str, Any]]:
    """Offline/online events of one camera or sensor, oldest first, blips shorter than
    ``min_offline_s`` left out (``devices.steady_events``)."""
    rows = _dicts(session, "SELECT id, device_kind, device_id, event, at FROM device_events "
                           "WHERE device_id = :d AND at >= :s ORDER BY at", {"d": device_id, "s": since})
    return devices.steady_events(rows, min_offline_s)


def device_counts(session: Session) -> dict[str, float | None]:
    """The device side of the vital signs."""
    one = lambda sql: session.execute(text(sql)).scalar()  # noqa: E731
    return {
        "alarms_open": float(open_alarm_count(session)),
        "sensors_in_alarm": float(one("SELECT count(*) FROM sensors WHERE status = 'alarm'") or 0),
        "cameras_offline": float(one("SELECT count(*) FROM cameras WHERE online = 0") or 0),
        "water_level_max_cm": one("SELECT max(value) FROM sensors WHERE type = 'water_level' AND unit = 'cm'"),
        "gas_max_lel": one("SELECT max(value) FROM sensors WHERE type = 'gas' AND unit = '%LEL'"),
    }
