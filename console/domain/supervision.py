"""Alerts that wait for an answer (案件处置警示提醒): when one is raised, whom it reaches,
when it climbs the chain, and what an acknowledgement stops.

The grid-centre plan asks the centre to "设置案件处置警示提醒标准，及时向街道网格化综合管理
领导小组成员单位、街道网格中心等主要领导实时传送提醒信息". Here, below Qt and storage:

- **Raising.** A ticket raises an alert when it *crosses* into a condition: enters
  即将超时 or goes overdue (``timelimits.limit_state_at``, the one limit rule, with the
  ticket's category lead), arrives as key supervision (重点监管), from an IoT alarm or as
  特急, or lies dormant (no action for ``dormant_s`` in a running state). Each crossing
  has a deterministic id (``alert_id``): a warning or overdue crossing is keyed by the
  deadline it crossed (an approved extension moves the deadline, and crossing the new
  one is a new alert), a dormancy by the last action it followed, an arrival by the
  ticket. Storing alerts under that id with insert-or-ignore means a crossing is never
  raised twice, by one desk or by several desks of a hall.
- **Escalation.** An unacknowledged alert reaches the first role of the chain when it
  is raised (officer), the next one each ``interval_s`` later (shift leader, then the
  holder of command) and then keeps reminding the last one every ``interval_s``.
  ``due_reminder`` says whether a reminder is due now and at which level; it depends
  only on when the alert was raised, how many reminders went out and the clock, so a
  desk that restarts (or another desk taking over) neither skips nor repeats a step.
- **Acknowledgement** stops it everywhere: an acknowledged alert is never reminded
  again, whatever the clock does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from console.domain.model import LimitState, TicketState
from console.domain.timelimits import DEFAULT_WARNING_LEAD_S, limit_state_at, warning_lead

#: alert kinds, in the order a desk lists them when several are open on one ticket
KINDS = ("overdue", "warning", "critical", "key_supervision", "iot", "dormant")
KIND_ZH = {"overdue": "已超时", "warning": "即将超时", "critical": "特急工单", "key_supervision": "重点监管",
           "iot": "物联感知告警", "dormant": "长时间无处置"}
#: the default chain: 平台信息员 -> 平台值班长 -> 轮值指挥长 (the holder of command)
DEFAULT_CHAIN = ("officer", "shift_leader", "commander")
DEFAULT_INTERVAL_S = 300.0
DEFAULT_DORMANT_S = 8 * 3600.0
#: states in which a ticket's work runs (dormancy counts only there; 挂账 pauses it)
RUNNING = frozenset(s.value for s in (TicketState.ACCEPTED, TicketState.REGISTERED, TicketState.DISPATCHED,
                                      TicketState.HANDLING, TicketState.FEEDBACK, TicketState.VERIFIED))
OPEN = RUNNING | {TicketState.PENDING.value}


@dataclass(frozen=True)
class Policy:
    chain: tuple[str, ...] = DEFAULT_CHAIN
    interval_s: float = DEFAULT_INTERVAL_S
    dormant_s: float = DEFAULT_DORMANT_S
    hall_lead_s: float = DEFAULT_WARNING_LEAD_S
    #: a 特急 / 重点监管 / IoT ticket older than this when first seen is not an arrival
    arrival_window_s: float = 86400.0

    def __post_init__(self) -> None:
        if not self.chain:
            raise ValueError("警示升级链不能为空")
        if not self.interval_s > 0:
            raise ValueError("提醒间隔必须大于 0 秒")
        if not self.dormant_s > 0:
            raise ValueError("无处置提醒时长必须大于 0")


@dataclass(frozen=True)
class Crossing:
    """One condition a ticket crossed: raise an alert under ``id`` (once)."""

    id: str
    ticket_id: str
    kind: str
    mark: float | None  # the deadline crossed, the last action before dormancy, None: arrival
    since: float        # when the condition began (the crossing's time, for the record)


def alert_id(kind: str, ticket_id: str, mark: float | None) -> str:
    """The crossing's id: the same ticket, kind and mark always give the same id."""
    return f"{kind}:{ticket_id}" if mark is None else f"{kind}:{ticket_id}:{mark:.3f}"


def crossings(t: Mapping[str, Any], now: float, policy: Policy = Policy()) -> list[Crossing]:
    """The conditions ticket row ``t`` (id, state, deadline, warn_lead_s, priority,
    channel, key_supervision, created_at, updated_at) is in at ``now``."""
    tid, state = str(t["id"]), str(t["state"])
    if state not in OPEN:
        return []
    out: list[Crossing] = []
    deadline = t.get("deadline")
    if state in RUNNING and deadline is not None:
        lead = warning_lead(t.get("warn_lead_s"), policy.hall_lead_s)
        ls = limit_state_at(state, float(deadline), now, lead)
        if ls is LimitState.OVERDUE:
            out.append(Crossing(alert_id("overdue", tid, float(deadline)), tid, "overdue", float(deadline),
                                float(deadline)))
        elif ls is LimitState.WARNING:
            out.append(Crossing(alert_id("warning", tid, float(deadline)), tid, "warning", float(deadline),
                                float(deadline) - lead))
    created = float(t.get("created_at") or 0.0)
    if now - created <= policy.arrival_window_s:
        for kind, on in (("critical", t.get("priority") == "critical"),
                         ("key_supervision", bool(t.get("key_supervision"))),
                         ("iot", t.get("channel") == "iot_alarm")):
            if on:
                out.append(Crossing(alert_id(kind, tid, None), tid, kind, None, created))
    last = float(t.get("updated_at") or created)
    if state in RUNNING and now - last >= policy.dormant_s:
        out.append(Crossing(alert_id("dormant", tid, last), tid, "dormant", last, last + policy.dormant_s))
    return out


@dataclass(frozen=True)
class Reminder:
    alert_id: str
    level: int     # index into the chain
    role: str      # who is reminded
    number: int    # the how-many-th reminder of this alert (0: the first, at raising)


def level_at(raised_at: float, now: float, policy: Policy = Policy()) -> int:
    """The chain level an unacknowledged alert has reached at ``now``."""
    if now < raised_at:
        return 0
    return min(int((now - raised_at) // policy.interval_s), len(policy.chain) - 1)


def due_reminder(raised_at: float, sent: int, acked: bool, now: float,
                 policy: Policy = Policy()) -> Reminder | None:
    """The reminder due at ``now`` for an alert raised at ``raised_at`` of which ``sent``
    reminders went out (None: acknowledged, or the next is not due yet). Reminder k is
    due at ``raised_at + k * interval``; a desk that slept through several sends one, at
    the level the clock has reached, numbered as the last one due (so the count of
    reminders stays the clock's, not the desk's)."""
    if acked or now < raised_at + sent * policy.interval_s:
        return None
    number = int((now - raised_at) // policy.interval_s)
    level = level_at(raised_at, now, policy)
    return Reminder("", level, policy.chain[level], max(number, sent))


def describe(kind: str, number: str | None, ticket_id: str) -> str:
    return f"{KIND_ZH.get(kind, kind)}：工单 {number or ticket_id}"


__all__ = ["Crossing", "DEFAULT_CHAIN", "KINDS", "KIND_ZH", "Policy", "Reminder", "alert_id", "crossings",
           "describe", "due_reminder", "level_at"]
