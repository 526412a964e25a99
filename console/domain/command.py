"""The command chain (指挥体系): who holds command now, and whose decision is valid.

The grid-centre plan: "设指挥长1名…常务副指挥长1名…副指挥长1名。当指挥长不在岗时，由常务副指挥长
全权行使指挥长职责；当常务副指挥长不在时，由副指挥长全权行使相关职责。"

So each duty date's roster names three chain roles (shift ``all``): ``commander`` (指挥长),
``executive_deputy`` (常务副指挥长) and ``deputy`` (副指挥长). Command belongs to the first
of them, in that order, who is *available* now:

* rostered for the duty date running now (``console.domain.roster`` decides the date);
* on post: their latest post mark of the duty date is not ``off_post`` or ``handover``
  (they marked themselves off post, or handed command over explicitly);
* logged in somewhere in the hall, or logged out of their last workstation less than
  ``absent_after_s`` ago (a configurable grace: a desk change is not a change of command).

When none of the three is available the result is a visible :class:`CommandGap` naming why
each one is not; never a guess. A deputy who holds command acts "代行指挥长职责" and every
decision records that authority (:attr:`Holder.authority`).

Qt-free and pure: the desk's operations (``console.operations.command``) and the platform
(simulator) feed it the roster and the marks they know, and ask the same question.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Union

from console.domain import roster as R

COMMANDER, EXECUTIVE_DEPUTY, DEPUTY = R.COMMANDER, R.EXECUTIVE_DEPUTY, R.DEPUTY
CHAIN: tuple[str, ...] = (COMMANDER, EXECUTIVE_DEPUTY, DEPUTY)
ROLE_ZH = {COMMANDER: "指挥长", EXECUTIVE_DEPUTY: "常务副指挥长", DEPUTY: "副指挥长"}
ACTING = "代行指挥长职责"
#: mark events: presence (login/logout at a workstation) and post (on/off post, hand-over)
LOGIN, LOGOUT, OFF_POST, ON_POST, HANDOVER = "login", "logout", "off_post", "on_post", "handover"
EVENTS = (LOGIN, LOGOUT, OFF_POST, ON_POST, HANDOVER)
POST_EVENTS = frozenset({OFF_POST, ON_POST, HANDOVER})
#: default grace after the last logout before command passes on (configurable: settings)
DEFAULT_ABSENT_AFTER_S = 10 * 60.0


@dataclass(frozen=True, slots=True)
class Mark:
    """Something a chain member did that bears on command: logged in or out at a
    workstation, marked themselves off or on post, handed command over (``to``: whom)."""

    person_id: str
    at: float
    event: str
    workstation: str = ""
    to: str = ""


@dataclass(frozen=True, slots=True)
class Holder:
    person_id: str
    name: str
    role: str            # commander | executive_deputy | deputy
    date: dt.date
    commander_name: str  # the rostered 指挥长 (for "on whose behalf")

    @property
    def acting(self) -> bool:
        return self.role != COMMANDER

    @property
    def role_zh(self) -> str:
        return ROLE_ZH[self.role]

    @property
    def authority(self) -> str:
        """What a decision records: "指挥长", or "代行指挥长职责（常务副指挥长）"."""
        return f"{ACTING}（{self.role_zh}）" if self.acting else ROLE_ZH[COMMANDER]

    def to_dict(self) -> dict:
        return {"name": self.name or self.person_id, "role": self.role, "acting": self.acting,
                "person_id": self.person_id, "authority": self.authority}


@dataclass(frozen=True, slots=True)
class CommandGap:
    """Nobody in the chain is available: why, per role (shown, never hidden)."""

    date: dt.date
    reasons: tuple[tuple[str, str], ...]   # (role, reason zh)

    @property
    def message(self) -> str:
        parts = "；".join(f"{ROLE_ZH[r]}{why}" for r, why in self.reasons)
        return f"当前无人持有指挥权（{parts}）"


Command = Union[Holder, CommandGap]


def chain_for(entries: Iterable[R.RosterEntry], date: dt.date) -> dict[str, R.RosterEntry]:
    """The effective chain entries of a duty date, by role (the latest-created one per role
    when the roster is inconsistent; :func:`roster_problems` refuses such a roster)."""
    found: dict[str, R.RosterEntry] = {}
    for e in sorted(R.effective(entries), key=lambda e: (e.created_at, e.id)):
        if e.date == date and e.role in CHAIN and e.person_id:
            found[e.role] = e
    return found


def availability(person_id: str, marks: Iterable[Mark], now: float, day_start: float,
                 absent_after_s: float = DEFAULT_ABSENT_AFTER_S) -> str | None:
    """Why ``person_id`` cannot hold command at ``now`` (zh_CN), or None when available.

    Post marks count from ``day_start`` (the start of the duty date): yesterday's
    "off post" does not keep today's commander out. Presence marks count whenever made.
    """
    post: Mark | None = None
    seats: dict[str, Mark] = {}
    for m in sorted((m for m in marks if m.person_id == person_id and m.at <= now),
                    key=lambda m: m.at):
        if m.event in POST_EVENTS:
            if m.at >= day_start:
                post = m
        elif m.event in (LOGIN, LOGOUT):
            seats[m.workstation] = m
    if post is not None and post.event == OFF_POST:
        return "已离岗"
    if post is not None and post.event == HANDOVER:
        return "已移交指挥权"
    if not seats:
        return "未登录"
    if any(m.event == LOGIN for m in seats.values()):
        return None
    last_out = max(m.at for m in seats.values())
    if now - last_out < absent_after_s:
        return None
    return f"已离开大厅{(now - last_out) / 60:.0f}分钟"


def holder(entries: Iterable[R.RosterEntry], marks: Iterable[Mark], now: float,
           plan: R.ShiftPlan = R.DEFAULT_PLAN,
           absent_after_s: float = DEFAULT_ABSENT_AFTER_S) -> Command:
    """Who holds command at ``now`` (platform epoch seconds): a Holder or a CommandGap."""
    entries, marks = list(entries), list(marks)
    date, _ = plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))
    day_start = plan.shift_bounds(date, plan.names[0])[0].timestamp()
    chain = chain_for(entries, date)
    commander = chain.get(COMMANDER)
    reasons: list[tuple[str, str]] = []
    for role in CHAIN:
        e = chain.get(role)
        if e is None:
            reasons.append((role, "未排班"))
            continue
        why = availability(e.person_id, marks, now, day_start, absent_after_s)
        if why is None:
            return Holder(e.person_id, e.name, role, date,
                          (commander.name or commander.person_id) if commander else "")
        reasons.append((role, why))
    return CommandGap(date, tuple(reasons))


def refusal(command: Command | None, user_id: str) -> str | None:
    """Why ``user_id`` may not decide under ``command`` (None: they hold it, or the chain
    is not known here and the platform decides)."""
    if command is None:
        return None
    if isinstance(command, CommandGap):
        return command.message
    if command.person_id != user_id:
        return f"指挥权现由{command.role_zh}{command.name or command.person_id}持有，您不能作出此决策"
    return None


def roster_problems(entries: Iterable[R.RosterEntry], dates: Iterable[dt.date]) -> list[str]:
    """What is wrong with the chain on each date (zh_CN, says what to fix); [] when fine:
    nobody in command at all, two people in one chain role, one person in two roles."""
    current = [e for e in R.effective(entries) if e.role in CHAIN and e.person_id]
    out: list[str] = []
    for date in dates:
        day = [e for e in current if e.date == date]
        if not day:
            out.append(f"{date.isoformat()}：指挥体系无人排班，请至少安排指挥长")
            continue
        for role in CHAIN:
            people = {e.person_id for e in day if e.role == role}
            if len(people) > 1:
                out.append(f"{date.isoformat()}：{ROLE_ZH[role]}排了{len(people)}人，每天只能一人")
        roles_of: dict[str, set[str]] = {}
        for e in day:
            roles_of.setdefault(e.person_id, set()).add(e.role)
        for pid, roles in sorted(roles_of.items()):
            if len(roles) > 1:
                names = "、".join(ROLE_ZH[r] for r in CHAIN if r in roles)
                out.append(f"{date.isoformat()}：{pid}同时担任{names}，请换人")
    return out
