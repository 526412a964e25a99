"""IoT devices, their readings and alarms: the rules, below Qt and storage.

The Lujiazui plan requires every alarm's loop closed ("完成处置闭环"); devices join
device-to-platform (设备直连) or platform-to-platform (平台对接). An alarm is *open* until
it has a ticket (made by the platform or by an officer), is linked to an existing ticket,
or is dismissed with a reason. An open alarm older than the hall's limit is overdue and
alerts. Readings come with a unit; a reading whose unit is unknown or whose value is
impossible for its kind is not shown as a number (``check_reading`` says why).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping


@dataclass(frozen=True)
class SensorKind:
    unit: str
    low: float        # plausible range of a reading (outside: impossible, not shown)
    high: float
    threshold: float  # alarm level
    above: bool = True  # True: alarm when value >= threshold; False: when value <= threshold


SENSOR_KINDS: dict[str, SensorKind] = {
    "water_level": SensorKind("cm", 0.0, 300.0, 15.0),
    "gas": SensorKind("%LEL", 0.0, 100.0, 20.0),
    "smoke": SensorKind("%obs/m", 0.0, 100.0, 8.0),
    "manhole": SensorKind("°", 0.0, 180.0, 15.0),
    "fire_hydrant": SensorKind("MPa", 0.0, 2.5, 0.14, above=False),
    "ebike_charging": SensorKind("°C", -40.0, 200.0, 60.0),
}
UNITS = frozenset(k.unit for k in SENSOR_KINDS.values())
#: sensor type -> catalogue category code of the ticket an alarm becomes
SENSOR_CATEGORY = {"smoke": "15004", "water_level": "15003", "manhole": "15006", "gas": "15005",
                   "fire_hydrant": "01006", "ebike_charging": "16005"}
SENSOR_CATEGORY_DEFAULT = "15004"

ACCESS_MODES = ("device", "platform")  # 设备直连 / 平台对接
DISPOSITIONS = ("ticket", "linked", "dismissed")
DISMISS_REASONS = ("false_alarm", "test", "duplicate", "maintenance")
DEFAULT_ALARM_OPEN_LIMIT_S = 15 * 60.0


class DeviceError(ValueError):
    """A refused alarm action (message for the officer)."""


def check_reading(kind: str, value: Any, unit: Any) -> str | None:
    """Why a reading cannot be shown (``None`` when it can)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return "not a number"
    spec = SENSOR_KINDS.get(kind)
    if unit not in UNITS:
        return f"unknown unit {str(unit)[:16]!r}"
    if spec is None:
        return None
    if unit != spec.unit:
        return f"unit {unit} is not the unit of {kind} ({spec.unit})"
    if not spec.low <= float(value) <= spec.high:
        return f"impossible value {value} {unit}"
    return None


def reading_in_alarm(kind: str, value: float | None, threshold: float | None = None) -> bool:
    spec = SENSOR_KINDS.get(kind)
    if value is None or spec is None:
        return False
    limit = spec.threshold if threshold is None else threshold
    return value >= limit if spec.above else value <= limit


def alarm_is_open(alarm: Mapping[str, Any]) -> bool:
    """Open: no ticket, not linked, not dismissed (cleared by the device or not)."""
    return not alarm.get("ticket_id") and not alarm.get("disposition")


def alarm_overdue(alarm: Mapping[str, Any], now: float, limit_s: float = DEFAULT_ALARM_OPEN_LIMIT_S) -> bool:
    raised = alarm.get("raised_at")
    return alarm_is_open(alarm) and raised is not None and now - float(raised) >= limit_s


def check_disposition(alarm: Mapping[str, Any] | None, disposition: str, *, reason: str | None = None,
                      ticket_id: str | None = None) -> None:
    """Refuse a disposition that breaks the rules (the platform checks the same)."""
    if alarm is None:
        raise DeviceError("没有这条告警。")
    if not alarm_is_open(alarm):
        raise DeviceError("这条告警已处置，不能再次处置。")
    if disposition not in DISPOSITIONS:
        raise DeviceError(f"未知的处置方式：{disposition}")
    if disposition == "dismissed" and reason not in DISMISS_REASONS:
        raise DeviceError("忽略告警须选择原因（误报、测试、重复、维护）。")
    if disposition in ("ticket", "linked") and not ticket_id:
        raise DeviceError("须指定关联的工单。")


def steady_events(events: Iterable[Mapping[str, Any]], min_s: float) -> list[dict[str, Any]]:
    """Offline/online events of one device without blips: an offline that came back
    within ``min_s`` is dropped together with its online (events sorted by time)."""
    out: list[dict[str, Any]] = []
    evs = sorted((dict(e) for e in events), key=lambda e: float(e["at"]))
    i = 0
    while i < len(evs):
        e = evs[i]
        nxt = evs[i + 1] if i + 1 < len(evs) else None
        if (e["event"] == "offline" and nxt is not None and nxt["event"] == "online"
                and float(nxt["at"]) - float(e["at"]) < min_s):
            i += 2
            continue
        out.append(e)
        i += 1
    return out


@dataclass(frozen=True)
class Indicator:
    key: str
    value: float | None
    threshold: float | None  # the level at which the sign turns red
    higher_is_worse: bool = True

    @property
    def state(self) -> str:
        if self.value is None or self.threshold is None:
            return "unknown" if self.value is None else "normal"
        bad = self.value >= self.threshold if self.higher_is_worse else self.value <= self.threshold
        return "alarm" if bad else "normal"


#: key -> (threshold, higher_is_worse): the street's vital signs and when each is red
VITAL_SIGNS: dict[str, tuple[float | None, bool]] = {
    "tickets_open": (None, True),
    "tickets_overdue": (20.0, True),
    "on_time_rate_today": (0.9, False),
    "alarms_open": (5.0, True),
    "sensors_in_alarm": (10.0, True),
    "cameras_offline": (8.0, True),
    "water_level_max_cm": (15.0, True),
    "gas_max_lel": (20.0, True),
}


def vital_signs(counts: Mapping[str, float | None]) -> list[Indicator]:
    """The indicators in display order from the raw figures (missing -> unknown)."""
    return [Indicator(k, None if counts.get(k) is None else float(counts[k]), thr, worse)
            for k, (thr, worse) in VITAL_SIGNS.items()]
