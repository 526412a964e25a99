"""Closing an IoT alarm's loop (完成处置闭环): to a ticket, linked to a ticket, or dismissed.

Each action writes, in one transaction: the alarm's disposition, an audit entry, the
journal, and an ``alarm_disposition`` duty record for the platform (docs/CONTRACT.md,
"Duty records"), which applies it to the alarm and sends it to every desk of the hall.
A new ticket from an alarm is made like any ticket made at this desk (outbox ``create``),
pre-filled from the sensor: channel 物联感知, the sensor type's category, its place and
grid cells, the reading in the description, and the nearest camera named.
"""

from __future__ import annotations

from typing import Any

from console.domain import devices, lifecycle, timelimits
from console.domain.grids import GridIndex
from console.domain.model import Action, Actor, Category, CategoryKind, LimitMode, Priority, Ticket
from console.operations.duty import record
from localdb import Store, journal, repo, repo_devices
from localdb.actions import audit, record_action

CAMERA_RADIUS_M = 300.0


def _dispose(s, actor: Actor, alarm: dict[str, Any], disposition: str, now: float, *,
             ticket_id: str | None = None, reason: str | None = None, note: str | None = None) -> None:
    repo_devices.set_disposition(s, alarm["id"], disposition, now, actor.user_id,
                                 ticket_id=ticket_id, reason=reason, note=note or None)
    details = {"alarm_id": alarm["id"], "disposition": disposition, "reason": reason, "note": note}
    audit(s, actor, f"alarm_{disposition}", ticket_id, details, now)
    record(s, actor, "alarm_disposition", {"alarm_id": alarm["id"], "disposition": disposition,
                                           "ticket_id": ticket_id, "reason": reason,
                                           "note": note or None, "at": now}, now)
    journal.record(s, "alarm", alarm["id"], now)


def dismiss_alarm(store: Store, actor: Actor, alarm_id: str, reason: str, now: float,
                  note: str = "") -> None:
    """Dismiss with a reason (误报 / 测试 / 重复 / 维护)."""
    with store.write() as s:
        alarm = repo_devices.alarm(s, alarm_id)
        devices.check_disposition(alarm, "dismissed", reason=reason)
        assert alarm is not None
        _dispose(s, actor, alarm, "dismissed", now, reason=reason, note=note)


def link_alarm(store: Store, actor: Actor, alarm_id: str, ticket_id: str, now: float,
               note: str = "") -> None:
    """The alarm belongs to a ticket that already exists (the same fault reported twice)."""
    with store.write() as s:
        alarm = repo_devices.alarm(s, alarm_id)
        devices.check_disposition(alarm, "linked", ticket_id=ticket_id)
        assert alarm is not None
        if repo.get_ticket(s, ticket_id) is None:
            raise devices.DeviceError("要关联的工单不在本地库中。")
        _dispose(s, actor, alarm, "linked", now, ticket_id=ticket_id, note=note)


def nearest_camera(s, alarm: dict[str, Any]) -> dict[str, Any] | None:
    """The camera nearest the alarm within ``CAMERA_RADIUS_M`` (its snapshot goes on the ticket)."""
    if alarm.get("lat") is None or alarm.get("lon") is None:
        return None
    cams = repo.cameras_near(s, float(alarm["lat"]), float(alarm["lon"]), CAMERA_RADIUS_M)
    return cams[0] if cams else None


def ticket_fields(s, alarm: dict[str, Any]) -> dict[str, Any]:
    """The new ticket's fields, pre-filled from the alarm and its sensor."""
    code = devices.SENSOR_CATEGORY.get(alarm.get("type") or "", devices.SENSOR_CATEGORY_DEFAULT)
    cats = {c["code"]: c for c in repo.categories(s)}
    cat = cats.get(code) or next(iter(cats.values()), None)
    if cat is None or alarm.get("lat") is None or alarm.get("lon") is None:
        raise devices.DeviceError("本地库缺少类别目录或告警位置，无法生成工单。")
    lat, lon = float(alarm["lat"]), float(alarm["lon"])
    cells = GridIndex.from_features(repo.grid_features(s)).locate(lat, lon)
    cam = nearest_camera(s, alarm)
    reading = ""
    if alarm.get("value") is not None:
        reading = f"读数 {alarm['value']:g} {alarm.get('unit') or ''}，"
    camera = f"最近监控：{cam['name']}（{int(cam['distance_m'])} 米）。" if cam else ""
    name = alarm.get("sensor_name") or alarm.get("sensor_id") or ""
    prio = Priority.URGENT if alarm.get("level") == "high" else Priority.NORMAL
    category = Category(kind=CategoryKind(cat["kind"]), code=cat["code"], big_code=cat["big_code"],
                        big_name=cat["big_name"], small_name=cat["small_name"],
                        limit_hours=cat["limit_hours"], limit_mode=LimitMode(cat["limit_mode"]),
                        urgent_limit_hours=cat.get("urgent_limit_hours"))
    return {
        "channel": "iot_alarm", "category_kind": cat["kind"], "category_code": cat["code"],
        "category_name": cat["small_name"], "big_code": cat["big_code"], "big_name": cat["big_name"],
        "priority": prio.value, "lat": lat, "lon": lon, "grids": cells,
        "address": f"{name}（{alarm.get('sensor_id') or ''}）",
        "description": f"{name}告警（{alarm['id']}）：{reading}请核实处置。{camera}",
        "limit_hours": timelimits.limit_for(category, prio), "limit_mode": cat["limit_mode"],
    }


def alarm_to_ticket(store: Store, actor: Actor, alarm_id: str, now: float, note: str = "",
                    **overrides: Any) -> Ticket:
    """A new ticket for the alarm (fields pre-filled, the officer may override any)."""
    with store.write() as s:
        alarm = repo_devices.alarm(s, alarm_id)
        devices.check_disposition(alarm, "ticket", ticket_id="(new)")
        assert alarm is not None
        fields = {**ticket_fields(s, alarm), **overrides, "created_at": now}
        ticket = lifecycle.new_ticket(**fields)
        event = lifecycle.create_event(ticket, actor, now)
        record_action(s, None, ticket, event, verb=Action.CREATE.value,
                      params={"ticket": ticket.to_dict()}, actor=actor, now=now)
        _dispose(s, actor, alarm, "ticket", now, ticket_id=ticket.id, note=note)
    return ticket
