"""The officer's decisions on actions the platform refused: redo one on the ticket as
it is now, or discard it (both audited by the outbox), and the list to decide on."""

from __future__ import annotations

from typing import Any

from console.domain.model import Actor
from localdb import outbox


def redo(store: Any, actor: Actor, command_id: str, now: float) -> Any:
    return outbox.redo(store, command_id, now=now, actor=actor)


def discard(store: Any, actor: Actor, command_id: str, now: float) -> None:
    outbox.discard(store, command_id, actor, now=now)


def needs_attention(session: Any) -> list[dict[str, Any]]:
    """What the officer did (verb, params, actor, issued_at) and why it failed."""
    return outbox.needs_attention(session)
