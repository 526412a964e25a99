"""Read-only queries of the video wall (Qt-free).

Cameras are few (hundreds per street), so the wall keeps them as plain dicts in the
contract's shape (docs/CONTRACT.md, kind ``camera``). The nearest-camera query
prefilters on the indexed lat/lon box and ranks the survivors by great-circle
distance.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from console.domain.geodesy import bbox_around, distance_m
from localdb.models import Alarm, Camera, Grid, TicketRow

CAMERA_FIELDS = ("id", "name", "lat", "lon", "grid_id", "online", "stream_url",
                 "substream_url", "source", "security_level")


def _camera_dict(c: Camera) -> dict[str, Any]:
    return {f: getattr(c, f) for f in CAMERA_FIELDS}


def list_cameras(store) -> list[dict[str, Any]]:
    """Every camera, ordered by grid then name."""
    with store.session() as s:
        rows = s.scalars(select(Camera).order_by(Camera.grid_id, Camera.name, Camera.id)).all()
        return [_camera_dict(c) for c in rows]


def camera_policy(store) -> tuple[Any, str | None]:
    """The street's camera policy (``console.domain.cameras.CameraPolicy``) and, when the
    stored one cannot be used, why (then the default holds)."""
    import json

    from console.domain import cameras
    from localdb.models import SettingKV

    with store.session() as s:
        row = s.get(SettingKV, "camera_policy")
        value = None if row is None else row.value
    if value is None:
        return cameras.DEFAULT_POLICY, None
    try:
        return cameras.policy_from(json.loads(value))
    except ValueError as exc:
        return cameras.DEFAULT_POLICY, f"camera policy unreadable: {exc}"


def count_cameras(store) -> int:
    with store.session() as s:
        return int(s.scalar(select(func.count()).select_from(Camera)) or 0)


def get_cameras(store, ids: Iterable[str]) -> dict[str, dict[str, Any] | None]:
    """Rows by id; an id that is gone maps to None (the camera was deleted)."""
    ids = list(dict.fromkeys(ids))
    out: dict[str, dict[str, Any] | None] = {i: None for i in ids}
    with store.session() as s:
        for n in range(0, len(ids), 500):
            for c in s.scalars(select(Camera).where(Camera.id.in_(ids[n:n + 500]))):
                out[c.id] = _camera_dict(c)
    return out


def cameras_near(store, lat: float, lon: float, radius_m: float, k: int,
                 online_only: bool = False) -> list[dict[str, Any]]:
    """The ``k`` nearest cameras within ``radius_m`` metres, nearest first.

    Each dict carries an extra ``distance_m``.
    """
    box = bbox_around(lat, lon, radius_m)
    q = select(Camera).where(
        Camera.lat.between(box.south, box.north), Camera.lon.between(box.west, box.east))
    if online_only:
        q = q.where(Camera.online == 1)  # flags are 0/1 in both stores
    with store.session() as s:
        rows = [_camera_dict(c) for c in s.scalars(q)]
    for r in rows:
        r["distance_m"] = distance_m(lat, lon, r["lat"], r["lon"])
    rows = [r for r in rows if r["distance_m"] <= radius_m]
    rows.sort(key=lambda r: (r["distance_m"], r["id"]))
    return rows[:max(0, k)]


def grid_names(store, ids: Iterable[str] | None = None) -> dict[str, str]:
    """Grid cell id -> name (all cells, or only ``ids``)."""
    q = select(Grid.id, Grid.name)
    if ids is not None:
        q = q.where(Grid.id.in_(list(ids)))
    with store.session() as s:
        return {i: n for i, n in s.execute(q)}


def alarms(store, ids: Iterable[str]) -> list[dict[str, Any]]:
    """Alarm rows by id (for alarm-linked video)."""
    ids = list(ids)
    with store.session() as s:
        rows = s.scalars(select(Alarm).where(Alarm.id.in_(ids))).all()
        return [{"id": a.id, "type": a.type, "lat": a.lat, "lon": a.lon, "raised_at": a.raised_at,
                 "cleared_at": a.cleared_at, "ticket_id": a.ticket_id, "level": a.level}
                for a in rows]


def urgent_tickets(store, ids: Iterable[str], created_after: float) -> list[dict[str, Any]]:
    """Urgent or critical tickets among ``ids``, still pending, with a location and
    created after ``created_after``: id, priority, lat, lon, created_at (newest first)."""
    ids = list(ids)
    out: list[dict[str, Any]] = []
    with store.session() as s:
        for n in range(0, len(ids), 500):
            q = select(TicketRow.id, TicketRow.priority, TicketRow.lat, TicketRow.lon,
                       TicketRow.created_at).where(
                TicketRow.id.in_(ids[n:n + 500]), TicketRow.lat.is_not(None),
                TicketRow.lon.is_not(None), TicketRow.priority.in_(("urgent", "critical")),
                TicketRow.state == "pending", TicketRow.created_at >= created_after)
            out.extend({"id": r[0], "priority": r[1], "lat": r[2], "lon": r[3],
                        "created_at": r[4]} for r in s.execute(q))
    out.sort(key=lambda r: r["created_at"] or 0.0, reverse=True)
    return out
