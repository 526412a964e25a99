"""Shared plumbing of the ticket verbs."""

from __future__ import annotations

import logging
from typing import Any

from console.domain import lifecycle
from console.domain.model import Action, Actor, Ticket
from localdb import Store, repo
from localdb.actions import record_action

log = logging.getLogger(__name__)


class TicketNotFound(LookupError):
    """The ticket is not in the local store (deleted on the platform, or a stale id)."""


def perform(store: Store, actor: Actor, ticket_id: str, action: Action,
            params: dict[str, Any], now: float) -> Ticket:
    """Load, apply the lifecycle, write row + event + outbox + journal in one transaction."""
    params = {k: v for k, v in params.items() if v is not None}
    with store.write() as s:
        before = repo.get_ticket(s, ticket_id)
        if before is None:
            raise TicketNotFound(ticket_id)
        after, event = lifecycle.apply(before, action, actor, params, now)
        command_id = record_action(s, before, after, event, verb=action.value, params=params,
                                   actor=actor, now=now)
    log.info("action %s on %s by %s queued as %s", action.value, ticket_id, actor.user_id, command_id)
    return after
