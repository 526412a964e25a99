"""The command chain at the desk: who holds command now, and the marks that move it.

The rule is ``console.domain.command``'s; this module feeds it what the hall's store
knows — the roster (``localdb.repo_commander``) and the chain's marks (``command_marks``:
logins and logouts, off/on post, hand-overs, made at any desk of the hall and synced as
duty records of kind ``command``) — and writes new marks, one transaction each, with
their duty record and, for a change of post, a duty-log line.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from console.domain import command as C
from console.domain import roster as R
from console.domain.model import Actor, Role
from console.operations import duty_pattern
from console.operations.duty import DutyError, _log, record
from localdb import duty as rows
from localdb import repo_commander as rc

if TYPE_CHECKING:
    from localdb.store import Store

#: the hall's grace after a chain member's last logout before command passes on
#: (settings key ``command_absent_minutes`` overrides it; see console.settings)
ABSENT_AFTER_S = C.DEFAULT_ABSENT_AFTER_S


def set_absent_after(seconds: float) -> None:
    """The hall's grace (settings ``command_absent_minutes``), set by the shell."""
    global ABSENT_AFTER_S
    ABSENT_AFTER_S = max(60.0, float(seconds))


def _marks(s, day_start: float) -> list[C.Mark]:
    out = []
    for m in rc.last_presence_marks(s, day_start) + rc.command_marks(s, day_start):
        out.append(C.Mark(m["person_id"], float(m["at"]), m["event"], m["workstation"] or "",
                          m["to_person"] or ""))
    return out


def _chain_context(store: Store, now: float, plan: R.ShiftPlan):
    date, _ = plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))
    day_start = plan.shift_bounds(date, plan.names[0])[0].timestamp()
    with store.session() as s:
        entries = rc.roster_entries(s, (date - dt.timedelta(days=1)).isoformat(),
                                    (date + dt.timedelta(days=1)).isoformat())
        marks = _marks(s, day_start)
    return date, entries, marks


def command_now(store: Store, now: float, plan: R.ShiftPlan | None = None,
                absent_after_s: float | None = None, acting: Actor | None = None) -> C.Command | None:
    """Who holds command at ``now``; None when this store has no chain for the duty date
    (the platform decides). ``acting``: someone acting at a desk right now counts as
    logged in there (their action is the proof)."""
    plan = plan or duty_pattern.plan_of(store)
    date, entries, marks = _chain_context(store, now, plan)
    if not C.chain_for(entries, date):
        return None
    if acting is not None:
        marks.append(C.Mark(acting.user_id, now, C.LOGIN, acting.workstation or "(desk)"))
    return C.holder(entries, marks, now, plan,
                    ABSENT_AFTER_S if absent_after_s is None else absent_after_s)


def _write_mark(s, actor: Actor, person_id: str, event: str, now: float, workstation: str = "",
                to: str = "", note: str = "") -> str:
    mid = str(uuid.uuid4())
    rows.add_command_mark(s, mid, person_id, event, now, workstation, to, note)
    record(s, actor, "command", {"id": mid, "person_id": person_id, "event": event, "at": now,
                                 "workstation": workstation, "to": to or None,
                                 "note": note or None}, now)
    return mid


def presence(store: Store, actor: Actor, event: str, now: float) -> str | None:
    """A login or logout of a street leader (a commander-role account) at this desk:
    the chain needs to know who is in the hall. Others leave no mark (None)."""
    if event not in (C.LOGIN, C.LOGOUT):
        raise ValueError(event)
    if actor.role != Role.COMMANDER:
        return None
    with store.write() as s:
        return _write_mark(s, actor, actor.user_id, event, now, actor.workstation or "")


def set_post(store: Store, actor: Actor, event: str, now: float, *, to: str = "", note: str = "",
             plan: R.ShiftPlan | None = None) -> str:
    """A chain member marks themselves off post, back on post, or hands command over.

    Refused (DutyError) when the actor is not in today's chain, or hands over to someone
    who is not; a hand-over names whom (``to``) and the duty log says who acts now.
    """
    if event not in C.POST_EVENTS:
        raise DutyError(f"未知的在岗状态：{event}")
    plan = plan or duty_pattern.plan_of(store)
    date, entries, marks = _chain_context(store, now, plan)
    chain = C.chain_for(entries, date)
    mine = [r for r, e in chain.items() if e.person_id == actor.user_id]
    if not mine:
        raise DutyError("您不在今日的指挥体系排班中（指挥长/常务副指挥长/副指挥长）")
    role = mine[0]
    if event == C.HANDOVER:
        target = next((r for r, e in chain.items() if to and e.person_id == to), None)
        if target is None or to == actor.user_id:
            raise DutyError("请选择今日指挥体系中的另一人接替指挥")
    here = C.Mark(actor.user_id, now, C.LOGIN, actor.workstation or "(desk)")  # acting here now
    before = C.holder(entries, [*marks, here], now, plan, ABSENT_AFTER_S)
    after = C.holder(entries, [*marks, here, C.Mark(actor.user_id, now, event, "", to)], now, plan,
                     ABSENT_AFTER_S)
    if event == C.HANDOVER and not (isinstance(after, C.Holder) and after.person_id == to):
        nxt = (f"按顺序应由{after.role_zh}{after.name or after.person_id}接替"
               if isinstance(after, C.Holder) else after.message)
        raise DutyError(f"不能移交给该人员：{nxt}（接替人须已登录且在岗）")
    who = f"{C.ROLE_ZH[role]}{actor.name or actor.user_id}"
    what = {C.OFF_POST: "离岗", C.ON_POST: "返岗", C.HANDOVER: "移交指挥权"}[event]
    if isinstance(after, C.Holder):
        now_holds = f"指挥权由{after.role_zh}{after.name or after.person_id}" + \
                    ("代行" if after.acting else "行使")
    else:
        now_holds = after.message
    changed = not (isinstance(before, C.Holder) and isinstance(after, C.Holder)
                   and before.person_id == after.person_id)
    text_ = f"{who}{what}" + (f"（{note.strip()}）" if note.strip() else "") + \
        (f"，{now_holds}" if changed else "")
    _date, shift = plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))
    with store.write() as s:
        mid = _write_mark(s, actor, actor.user_id, event, now, actor.workstation or "", to, note.strip())
        _log(s, actor, "command", text_, now, shift_date=date.isoformat(), shift=shift)
    return mid
