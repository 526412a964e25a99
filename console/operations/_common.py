"""Shared plumbing of the ticket verbs."""

from __future__ import annotations

import logging
from typing import Any

from console.domain import authz, lifecycle
from console.domain.model import Action, Actor, Ticket
from localdb import Store, limits, repo
from localdb.actions import record_action

log = logging.getLogger(__name__)


class TicketNotFound(LookupError):
    """The ticket is not in the local store (deleted on the platform, or a stale id)."""


def _on_duty(store: Store, actor: Actor, action: Action, now: float) -> bool | None:
    """Whether the actor is on the roster now, for the verbs that need it (None: this
    desk has no roster for the day, the platform decides)."""
    if action not in authz.DUTY_BOUND:
        return None
    from console.operations import sessions

    try:
        if not sessions.roster_known(store, now):
            return None
        return sessions.on_duty_now(store, actor.user_id, now)
    except Exception:  # noqa: BLE001 - a damaged roster row: the platform decides
        log.warning("on-duty check failed", exc_info=True)
        return None


def _command(store: Store, actor: Actor, action: Action, now: float):
    """Who holds command now, for a decision that needs it (None: not such a decision, or
    this desk has no chain for the day: the platform decides)."""
    if not authz.needs_command(actor, action):
        return None
    from console.operations import command

    try:
        return command.command_now(store, now, acting=actor)
    except Exception:  # noqa: BLE001 - a damaged roster or mark row: the platform decides
        log.warning("command-chain check failed", exc_info=True)
        return None


def perform(store: Store, actor: Actor, ticket_id: str, action: Action,
            params: dict[str, Any], now: float) -> Ticket:
    """Load, apply the lifecycle, write row + event + outbox + journal in one transaction."""
    params = {k: v for k, v in params.items() if v is not None}
    on_duty = _on_duty(store, actor, action, now)
    command = _command(store, actor, action, now)
    if command is not None and getattr(command, "person_id", None) == actor.user_id:
        params["authority"] = command.authority  # the decision says under whose command
    with store.write() as s:
        before = repo.get_ticket(s, ticket_id)
        if before is None:
            raise TicketNotFound(ticket_id)
        refusal = authz.why_not(actor, action, before, on_duty=on_duty, command=command)
        if refusal is not None:
            raise lifecycle.TransitionError(refusal.code, refusal.message)
        after, event = lifecycle.apply(before, action, actor, params, now,
                                       calendar=limits.work_calendar(s))
        command_id = record_action(s, before, after, event, verb=action.value, params=params,
                                   actor=actor, now=now)
    log.info("action %s on %s by %s queued as %s", action.value, ticket_id, actor.user_id, command_id)
    return after
