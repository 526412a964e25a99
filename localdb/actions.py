"""Recording an officer's action locally: the optimistic ticket row, its audit event,
the outbox command and the journal entries, all in the caller's write transaction.

Used by ``console.operations`` (one function per verb) and by ``outbox.redo``.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Iterator

from sqlalchemy.orm import Session

from console.domain import audit_chain, auth
from console.domain.model import Actor, AuditEvent, Ticket
from localdb import crypto, journal
from localdb.convert import category_leads, ticket_to_row, upsert_sql


def actor_dict(actor: Actor) -> dict[str, Any]:
    """The actor as the wire and the store spell it (never the credential)."""
    return {"user_id": actor.user_id, "name": actor.name,
            "role": getattr(actor.role, "value", actor.role), "workstation": actor.workstation}


def signed(command: dict[str, Any], actor: Actor) -> dict[str, Any]:
    """``command`` (a command or duty record in wire form) signed with the actor's key
    when it has one (docs/CONTRACT.md "Identity"); as stored and sent: JSON-normalised."""
    wire = json.loads(json.dumps(command, ensure_ascii=False, default=str))
    if actor.credential is None or actor.credential.user_id != actor.user_id:
        return wire
    return auth.sign_command(wire, actor.credential)


def write_event(s: Session, event: AuditEvent, *, local: bool, command_id: str | None) -> None:
    journal.raw(s).execute(
        "INSERT INTO ticket_events (event_id, ticket_id, action, actor, actor_id, at, from_state, "
        "to_state, params, local, command_id) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
        "ON CONFLICT(event_id) DO UPDATE SET action=excluded.action, actor=excluded.actor, "
        "actor_id=excluded.actor_id, at=excluded.at, from_state=excluded.from_state, "
        "to_state=excluded.to_state, params=excluded.params, local=excluded.local, "
        "command_id=excluded.command_id",
        (
            event.event_id, event.ticket_id, getattr(event.action, "value", event.action),
            json.dumps(actor_dict(event.actor), ensure_ascii=False), event.actor.user_id,
            event.at, getattr(event.from_state, "value", event.from_state),
            getattr(event.to_state, "value", event.to_state),
            crypto.dumps(event.params), int(local), command_id,
        ),
    )
    journal.record(s, "ticket_event", event.ticket_id, event.at)


def write_ticket(s: Session, ticket: Ticket | dict, *, last_actor_id: str | None = None) -> None:
    """Write the platform columns of a ticket (insert or update), keeping local columns."""
    con = journal.raw(s)
    row = ticket_to_row(ticket, category_leads(con))
    con.execute(upsert_sql(), row + (0, False, last_actor_id))
    if last_actor_id is not None:
        con.execute("UPDATE tickets SET last_actor_id=? WHERE id=?", (last_actor_id, row[0]))


def recount_pending(s: Session, ticket_id: str) -> int:
    con = journal.raw(s)
    n = con.execute(
        "SELECT count(*) FROM outbox WHERE ticket_id=? AND status IN ('queued','inflight')",
        (ticket_id,),
    ).fetchone()[0]
    con.execute("UPDATE tickets SET pending=? WHERE id=?", (n, ticket_id))
    return n


def record_action(
    s: Session,
    before: Ticket | None,
    after: Ticket,
    event: AuditEvent,
    *,
    verb: str,
    params: dict[str, Any],
    actor: Actor,
    now: float,
    command_id: str | None = None,
) -> str:
    """Store one officer action optimistically and queue it for the platform.

    ``before`` is the ticket the officer saw (None for create); its version is the
    command's ``expected_version``. The first unconfirmed action of a ticket keeps
    ``before`` as the platform state in ``ticket_base`` (what a conflict restores).
    Returns the command id.
    """
    from localdb import outbox  # outbox imports this module

    command_id = command_id or str(uuid.uuid4())
    con = journal.raw(s)
    if before is not None:
        con.execute(
            "INSERT INTO ticket_base (id, version, data) VALUES (?,?,?) ON CONFLICT(id) DO NOTHING",
            (before.id, before.version, crypto.dumps(before.to_dict())),
        )
    write_ticket(s, after, last_actor_id=actor.user_id)
    write_event(s, event, local=True, command_id=command_id)
    outbox.enqueue(
        s,
        signed({
            "command_id": command_id,
            "ticket_id": after.id,
            "verb": verb,
            "params": params,
            "expected_version": None if before is None else before.version,
            "actor": actor_dict(actor),
            "issued_at": float(now),
        }, actor),
    )
    journal.record(s, "ticket", after.id, now)
    return command_id


def audit(s: Session, actor: Actor, action: str, ticket_id: str | None,
          details: dict[str, Any], now: float) -> None:
    """A local audit entry (actions that do not reach the platform), chained to the one
    before it (``console.domain.audit_chain``); the table is only ever appended to."""
    con = journal.raw(s)
    last = con.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    entry = {"id": (last[0] + 1) if last else 1, "at": float(now), "actor_id": actor.user_id,
             "actor": json.dumps(actor_dict(actor), ensure_ascii=False), "action": action,
             "ticket_id": ticket_id, "details": json.dumps(details, ensure_ascii=False, default=str)}
    prev = last[1] if last else audit_chain.GENESIS
    con.execute(
        "INSERT INTO audit_log (id, at, actor_id, actor, action, ticket_id, details, prev_hash, hash) "
        "VALUES (?,?,?,?,?,?,?,?,?)",
        (*(entry[f] for f in audit_chain.FIELDS), prev, audit_chain.link(prev, entry)),
    )
    journal.record(s, "audit", ticket_id or "", now)


def audit_rows(s: Session) -> Iterator[dict[str, Any]]:
    """Every audit entry in order, for ``audit_chain.first_break``."""
    cur = journal.raw(s).execute(
        "SELECT id, at, actor_id, actor, action, ticket_id, details, prev_hash, hash FROM audit_log ORDER BY id")
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row))
