"""The night hand-off at the desk: hand the live video watch to the police station, the
night list, and the morning take-back (rules: ``console.domain.night``).

- ``hand_off``: the shift leader, signing with their own id and PIN, hands the watch to
  the pattern's police station at the end of the last staffed shift: a record of who, to
  which station, which cameras and layouts, the open urgent tickets and the callbacks
  expected overnight; one transaction with its duty record (kind ``night_watch``, synced to
  the platform) and a duty-log line.
- ``night_list``: while the station holds the watch, the tickets that came in and cannot
  wait for the morning crew.
- ``take_back``: the morning crew's leader (own PIN) takes the watch back; the record gets
  the summary of everything that arrived overnight (``morning_summary``).

Refusals raise ``DutyError`` (zh_CN) or ``AuthRefused`` (wrong PIN).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from console.domain import authz
from console.domain import night as N
from console.domain.model import Actor
from console.operations import auth as auth_ops
from console.operations import duty_pattern
from console.operations.duty import DutyError, _log, record
from localdb import duty as rows
from localdb import repo_commander as rc
from localdb import repo_video

if TYPE_CHECKING:
    from localdb.store import Store


def _record(s, actor: Actor, watch_id: str, now: float) -> str:
    w = rc.night_watch(s, watch_id)
    data = {k: w[k] for k in ("id", "shift_date", "station", "handed_by", "handed_at", "details",
                              "taken_back_by", "taken_back_at", "summary")}
    return record(s, actor, "night_watch", data, now)


def _signer(store: Store, actor: Actor, user_id: str, pin: str, now: float, purpose: str) -> Actor:
    signer = auth_ops.verify(store, user_id, pin, actor.workstation, now, purpose=purpose)
    refusal = authz.record_why_not(signer, "night_watch", {})
    if refusal is not None:
        raise DutyError(refusal.message)
    return signer


def hand_off(store: Store, actor: Actor, user_id: str, pin: str, now: float, *,
             layouts: Sequence[str] = (), note: str = "") -> str:
    """Hand the night's video watch to the police station; returns the record id."""
    pattern = duty_pattern.pattern_of(store)
    with store.session() as s:
        problem = N.hand_off_problem(pattern, now, rc.open_night_watch(s) is not None)
    if problem:
        raise DutyError(problem)
    signer = _signer(store, actor, user_id, pin, now, "night_handoff")
    date, start, end = N.handoff_window(pattern, now)
    cameras = [c["id"] for c in repo_video.list_cameras(store) if c.get("online", True)]
    wid = str(uuid.uuid4())
    with store.write() as s:
        if rc.open_night_watch(s) is not None:  # another desk was quicker
            raise DutyError("图像监控已转接派出所，尚未收回")
        urgent = [{"id": r["id"], "number": r["number"], "category_name": r["category_name"],
                   "why": N.night_urgent(r)} for r in rc.open_urgent(s)]
        _n, due = rc.due_between(s, start, end)
        callbacks = [{"id": r["id"], "number": r["number"], "category_name": r["category_name"],
                      "due": r["limit_deadline"], "department_id": r["department_id"]} for r in due]
        details = {"cameras": cameras, "layouts": list(layouts), "open_urgent": urgent,
                   "callbacks": callbacks, "night_start": start, "night_end": end,
                   "workstation_actor": actor.user_id, "note": note.strip(),
                   "signed_by": signer.user_id, "signed_at": now}
        rows.add_night_watch(s, wid, date.isoformat(), pattern.night_station, signer.user_id, now, details)
        _record(s, signer, wid, now)
        _log(s, signer, "night", f"图像监控转接{pattern.night_station}（摄像头{len(cameras)}路，"
             f"未结紧急工单{len(urgent)}件，待回访{len(callbacks)}件）"
             + (f"：{note.strip()}" if note.strip() else ""), now,
             shift_date=date.isoformat(), shift=pattern.handoff_shift.name)
    return wid


def night_watch(store: Store) -> dict[str, Any] | None:
    """The open hand-off (the station holds the watch), or None."""
    with store.session() as s:
        return rc.open_night_watch(s)


def night_list(store: Store, now: float) -> list[dict[str, Any]]:
    """Tickets that arrived since the hand-off and cannot wait for the morning crew."""
    with store.session() as s:
        w = rc.open_night_watch(s)
        if w is None:
            return []
        arrived = rc.tickets_created_between(s, w["handed_at"], now + 1)
    return [{**r, "why": N.night_urgent(r)} for r in arrived if N.night_urgent(r)]


def take_back(store: Store, actor: Actor, user_id: str, pin: str, now: float) -> dict[str, Any]:
    """The morning crew takes the watch back; returns the night's summary."""
    with store.session() as s:
        w = rc.open_night_watch(s)
    if w is None:
        raise DutyError("图像监控未转接派出所，无需收回")
    signer = _signer(store, actor, user_id, pin, now, "night_takeback")
    with store.write() as s:
        w = rc.open_night_watch(s)
        if w is None:
            raise DutyError("图像监控已由他人收回")
        summary = N.morning_summary(rc.tickets_created_between(s, w["handed_at"], now + 1),
                                    rc.alarms_between(s, w["handed_at"], now + 1))
        rows.take_back_night_watch(s, w["id"], signer.user_id, now, summary)
        _record(s, signer, w["id"], now)
        date, shift = duty_pattern.shift_of(store, now)
        _log(s, signer, "night", f"从{w['station']}收回图像监控：夜间新到工单{summary['arrived']}件，"
             f"其中紧急{len(summary['urgent'])}件，物联告警{summary['alarms']}条", now,
             shift_date=date, shift=shift)
    return summary

