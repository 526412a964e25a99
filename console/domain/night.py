"""The night hand-off (三班二运转): "晚上23:00至次日上午7:00，转接属地派出所负责实时图像监控".

While a street's hall is unstaffed (the pattern's unstaffed shift, ``console.domain.roster``)
the live video watch is the police station's. New tickets wait for the morning crew, except
the urgent ones that cannot wait — 重点监管, IoT alarms, 特急 — which go on the night list
and alert whoever is on call. The morning crew takes the watch back with a summary of
everything that came in. Pure rules; the operation is ``console.operations.night``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from console.domain import roster as R
from console.domain.urgency import TOP_PRIORITIES

#: how early before the unstaffed shift the leader may hand the watch over (the end of the
#: last staffed shift), and how long after its end the morning crew has to take it back
HANDOFF_LEAD_S = 30 * 60.0
URGENT_ZH = {"key_supervision": "重点监管", "iot_alarm": "物联感知告警", "critical": "特急"}


def night_urgent(row: Mapping[str, Any]) -> str | None:
    """Why a ticket cannot wait for the morning crew (重点监管 / IoT alarm / 特急), or None."""
    if row.get("key_supervision"):
        return URGENT_ZH["key_supervision"]
    if str(row.get("channel") or "") == "iot_alarm":
        return URGENT_ZH["iot_alarm"]
    if str(row.get("priority") or "") in TOP_PRIORITIES:
        return URGENT_ZH["critical"]
    return None


def handoff_window(pattern: R.DutyPattern, now: float) -> tuple[dt.date, float, float] | None:
    """(duty date, start, end) of the unstaffed shift that ``now`` is in or about to begin
    (within HANDOFF_LEAD_S), or None: a hand-off is not due now (or the pattern has none)."""
    shift = pattern.handoff_shift
    if shift is None:
        return None
    plan = pattern.plan
    date, name = plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))
    for d in (date, date - dt.timedelta(days=1), date + dt.timedelta(days=1)):
        start, end = plan.shift_bounds(d, shift.name)
        if start.timestamp() - HANDOFF_LEAD_S <= now < end.timestamp():
            return d, start.timestamp(), end.timestamp()
    return None


def hand_off_problem(pattern: R.DutyPattern, now: float, open_watch: bool) -> str | None:
    """Why the watch cannot be handed to the police station now (zh_CN), or None."""
    if pattern.handoff_shift is None:
        return f"本街道实行{pattern.label}，夜间无需转接派出所"
    if open_watch:
        return "图像监控已转接派出所，尚未收回"
    if handoff_window(pattern, now) is None:
        s = pattern.handoff_shift
        return f"转接须在末班结束前30分钟内或无人值守时段（{s.start:%H:%M}–{s.end:%H:%M}）进行"
    return None


def morning_summary(arrived: Iterable[Mapping[str, Any]], alarms: int = 0) -> dict[str, Any]:
    """What the morning crew sees when it takes the watch back: every ticket that came in
    during the night, the urgent ones first with why."""
    rows = list(arrived)
    urgent = [{"id": r["id"], "number": r.get("number"), "category_name": r.get("category_name"),
               "address": r.get("address"), "why": night_urgent(r), "created_at": r.get("created_at")}
              for r in rows if night_urgent(r)]
    by_channel: dict[str, int] = {}
    for r in rows:
        by_channel[str(r.get("channel") or "")] = by_channel.get(str(r.get("channel") or ""), 0) + 1
    return {"arrived": len(rows), "urgent": urgent, "by_channel": by_channel,
            "alarms": int(alarms), "ticket_ids": [r["id"] for r in rows]}
