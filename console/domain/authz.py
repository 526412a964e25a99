"""Who may do what, beyond the lifecycle's role table: duty, command authority, street,
camera clearance. The desk's operations and the platform ask the same questions here.

The lifecycle (``console.domain.lifecycle.RULES``) says which roles may apply a verb.
This module adds what depends on the person and the moment:

* commander decisions and extension verdicts need the actor ON DUTY now (the caller
  says whether they are: ``on_duty`` True/False, or None when it cannot know);
* command authority (the command chain 指挥长 → 常务副指挥长 → 副指挥长): the caller passes
  who holds command now (``console.domain.command.holder``: a Holder or a CommandGap, None
  when it cannot know); a decision by anyone else is refused ``no_command_authority``;
* an officer acts only on tickets of their own street;
* starting or ending an emergency needs the shift leader or the commander holding command;
* restricted cameras: console.domain.cameras decides who may see which camera.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from console.domain import command as command_rule
from console.domain.model import Action, Actor, Role, Ticket

#: verbs that need the actor on duty at the moment they act
DUTY_BOUND = frozenset({Action.INSTRUCT, Action.APPROVE_EXTENSION, Action.DENY_EXTENSION})
#: verbs that exercise command authority (批示 always; an extension verdict when a commander
#: gives it, i.e. above the shift leader)
COMMAND_VERBS = frozenset({Action.INSTRUCT})
COMMANDER_VERDICTS = frozenset({Action.APPROVE_EXTENSION, Action.DENY_EXTENSION})
#: duty records only these roles may write
RECORD_ROLES = {
    "emergency": frozenset({Role.SHIFT_LEADER, Role.COMMANDER}),
    "warning": frozenset({Role.SHIFT_LEADER, Role.COMMANDER}),
    "emergency_item": frozenset({Role.OFFICER, Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN}),
    "roster": frozenset({Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN}),
    "handover": frozenset({Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN}),
    "night_watch": frozenset({Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN}),
}


@dataclass(frozen=True, slots=True)
class Refusal:
    code: str
    message: str


def needs_command(actor: Actor, verb: str) -> bool:
    """Whether ``actor`` applying ``verb`` exercises command authority."""
    try:
        action = Action(verb)
    except ValueError:
        return False
    role = actor.role if isinstance(actor.role, Role) else Role(actor.role)
    return action in COMMAND_VERBS or (action in COMMANDER_VERDICTS and role == Role.COMMANDER)


def why_not(actor: Actor, verb: str, ticket: Ticket | None = None, *, on_duty: bool | None = None,
            street: str | None = None, command: Any = None) -> Refusal | None:
    """Why ``actor`` may not apply ``verb`` to ``ticket`` now, or None.

    ``on_duty``: whether the actor is on the roster of the running shift (None: unknown,
    not checked); ``street``: the actor's street (None: not checked); ``command``: who
    holds command now (``console.domain.command``; None: not known, not checked).
    """
    try:
        action = Action(verb)
    except ValueError:
        return Refusal("unknown_verb", f"unknown verb {verb!r}")
    if street and ticket is not None:
        ticket_street = (ticket.grids or {}).get("street")
        if ticket_street and ticket_street != street:
            return Refusal("other_street", f"工单属于其他街镇（{ticket_street}）")
    if action in DUTY_BOUND and on_duty is False:
        return Refusal("not_on_duty", f"{actor.name or actor.user_id}不在当前班次的值班表上")
    if command is not None and needs_command(actor, action):
        msg = command_rule.refusal(command, actor.user_id)
        if msg:
            return Refusal("no_command_authority", msg)
    return None


def record_why_not(actor: Actor, kind: str, data: dict[str, Any], *, command: Any = None) -> Refusal | None:
    """Why ``actor`` may not write a duty record of ``kind``, or None (``command``: who
    holds command now, for an emergency record; None: not known, not checked)."""
    allowed = RECORD_ROLES.get(kind)
    role = actor.role if isinstance(actor.role, Role) else Role(actor.role)
    if kind == "emergency_item" or allowed is None:
        return None
    if kind in ("emergency", "warning"):  # 预警发布 is the emergency command's too
        return emergency_why_not(actor, command)
    if kind == "night_watch" and role not in allowed:
        return Refusal("forbidden_role", "只有值班长或指挥长可以转接或收回图像监控")
    if kind in ("roster", "handover") and role not in allowed:
        return Refusal("forbidden_role", "只有值班长或指挥长可以" + ("调整排班" if kind == "roster" else "签交接单"))
    return None


def emergency_why_not(actor: Actor, command: Any = None) -> Refusal | None:
    """Switching the hall to emergency command (and back, and its level): the shift
    leader, or whoever holds command now (``command``, ``console.domain.command``; None:
    not known here, any commander)."""
    role = actor.role if isinstance(actor.role, Role) else Role(actor.role)
    if role == Role.SHIFT_LEADER:
        return None
    if role != Role.COMMANDER:
        return Refusal("forbidden_role", "只有值班长或当前指挥长可以启动应急")
    msg = command_rule.refusal(command, actor.user_id)
    if msg:
        return Refusal("no_command_authority", msg.replace("作出此决策", "启动或调整应急"))
    return None


