"""Outbox: officer commands waiting for the platform, in the order they were made.

Life of an entry: ``queued`` -> ``inflight`` (sent, answer not yet stored) -> ``done``
(applied or duplicate). A conflict or rejection puts it in ``needs_attention`` with the
platform's reason; later entries of the same ticket follow it there ("blocked by
earlier failure") because they were built on a state that never happened. From there
the officer can ``redo`` it (a new command on the current platform state; the old entry
becomes ``redone``) or ``discard`` it (audited). Nothing leaves the outbox silently.

Duty-hall records (handovers, roster overrides, emergencies, duty-log lines) share
the table without a schema change: ``verb`` = ``duty_record``, ``command_id`` = the
record's ``record_id``, ``ticket_id`` = ``"<kind>:<record_id>"``, ``params`` = the wire
record, ``expected_version`` NULL. They touch no ticket (no pending count, no
``ticket_base`` restore, no attention flag), never block or are blocked by ticket
entries; a rejected record goes to ``needs_attention`` with the platform's reason.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from console import failpoints
from console.domain.model import Actor, Role, Ticket
from localdb import crypto, journal, limits
from localdb.actions import audit, recount_pending, record_action, write_ticket
from localdb.store import Store

QUEUED, INFLIGHT, DONE = "queued", "inflight", "done"
NEEDS_ATTENTION, DISCARDED, REDONE = "needs_attention", "discarded", "redone"
UNSENT = (QUEUED, INFLIGHT)
BLOCKED_CODE = "blocked"
DUTY_VERB = "duty_record"


@dataclass
class ResultsReport:
    done: int = 0
    failed: int = 0  # conflict / rejected
    blocked: int = 0  # later entries moved to needs_attention
    unknown: int = 0  # results for commands we do not have (or already settled)
    retry: int = 0  # unrecognised status: left queued, sent again later
    tickets: set[str] = field(default_factory=set)
    records: set[str] = field(default_factory=set)  # duty records settled (record ids)


def enqueue(session: Session, command: dict[str, Any]) -> None:
    """Queue a command (wire form, see docs/CONTRACT.md) in the caller's transaction."""
    journal.raw(session).execute(
        "INSERT INTO outbox (command_id, ticket_id, verb, params, expected_version, actor, "
        "issued_at, status, attempts) VALUES (?,?,?,?,?,?,?,?,0)",
        (
            command["command_id"], command["ticket_id"], command["verb"],
            crypto.dumps(command.get("params") or {}),
            command.get("expected_version"),
            json.dumps(command["actor"], ensure_ascii=False), float(command["issued_at"]), QUEUED,
        ),
    )
    recount_pending(session, command["ticket_id"])
    journal.record(session, "outbox", command["command_id"])
    failpoints.hit("outbox_written")


def enqueue_record(session: Session, record: dict[str, Any]) -> None:
    """Queue a duty record (wire form, docs/CONTRACT.md "Duty records") in the caller's
    transaction."""
    rid = record["record_id"]
    journal.raw(session).execute(
        "INSERT INTO outbox (command_id, ticket_id, verb, params, expected_version, actor, "
        "issued_at, status, attempts) VALUES (?,?,?,?,NULL,?,?,?,0)",
        (
            rid, f"{record['kind']}:{rid}", DUTY_VERB,
            json.dumps(record, ensure_ascii=False, default=str),
            json.dumps(record["actor"], ensure_ascii=False), float(record["issued_at"]), QUEUED,
        ),
    )
    journal.record(session, "outbox", rid)


def is_record(entry: dict[str, Any]) -> bool:
    return entry.get("verb") == DUTY_VERB


def _entry(r) -> dict[str, Any]:
    d = dict(r._mapping)
    d["params"] = crypto.loads(d["params"] or "{}")
    d["actor"] = json.loads(d["actor"])
    return d


def to_command(entry: dict[str, Any]) -> dict[str, Any]:
    """The wire form of an entry: a Command, or the Record of a ``duty_record`` entry."""
    if is_record(entry):
        return dict(entry["params"])
    return {k: entry[k] for k in ("command_id", "ticket_id", "verb", "expected_version",
                                  "params", "actor", "issued_at")}


def next_batch(session: Session, limit: int = 200) -> list[dict[str, Any]]:
    """Unsent entries, oldest first, including ``inflight`` ones (a crash after
    sending: the platform deduplicates by command id)."""
    rows = session.execute(
        text("SELECT * FROM outbox WHERE status IN ('queued','inflight') ORDER BY seq LIMIT :n"),
        {"n": limit},
    )
    return [_entry(r) for r in rows]


def mark_inflight(session: Session, command_ids: list[str]) -> None:
    journal.raw(session).executemany(
        "UPDATE outbox SET status='inflight', attempts=attempts+1 WHERE command_id=? "
        "AND status IN ('queued','inflight')",
        [(c,) for c in command_ids],
    )


def _settle_ticket(s: Session, ticket_id: str) -> None:
    """After results: if no unsent entries remain, the local row := platform state."""
    con = journal.raw(s)
    if recount_pending(s, ticket_id) == 0:
        base = con.execute("SELECT data FROM ticket_base WHERE id=?", (ticket_id,)).fetchone()
        if base is not None:
            write_ticket(s, crypto.loads(base[0]))
            con.execute("DELETE FROM ticket_base WHERE id=?", (ticket_id,))


def _store_base(s: Session, ticket: dict[str, Any]) -> None:
    journal.raw(s).execute(
        "INSERT INTO ticket_base (id, version, data) VALUES (?,?,?) ON CONFLICT(id) DO UPDATE "
        "SET version=excluded.version, data=excluded.data WHERE excluded.version >= ticket_base.version",
        (ticket["id"], int(ticket["version"]), crypto.dumps(ticket)),
    )


def _valid_ticket(d: Any) -> dict[str, Any] | None:
    if not isinstance(d, dict):
        return None
    try:
        Ticket.from_dict(d)
    except (KeyError, ValueError, TypeError):
        return None
    return d


def apply_results(store: Store, results: list[dict[str, Any]], now: float | None = None) -> ResultsReport:
    """Store the platform's answers to a batch, in one transaction (any mix of statuses)."""
    now = time.time() if now is None else now
    rep = ResultsReport()
    with store.write() as s:
        con = journal.raw(s)
        for res in results:
            cid = (res.get("command_id") or res.get("record_id")) if isinstance(res, dict) else None
            row = con.execute(
                "SELECT seq, ticket_id, status, verb FROM outbox WHERE command_id=?", (cid,)
            ).fetchone()
            if row is None or row[2] in (DONE, DISCARDED, REDONE):
                rep.unknown += 1
                continue
            seq, tid, status, verb = row
            if verb == DUTY_VERB:
                _record_result(s, cid, res, now, rep)
                continue
            ticket = _valid_ticket(res.get("ticket"))
            st = res.get("status")
            if st in ("applied", "duplicate"):
                con.execute(
                    "UPDATE outbox SET status='done', result_code=?, reason=NULL, resolved_at=? "
                    "WHERE command_id=?", (st, now, cid))
                if ticket is not None:
                    _store_base(s, ticket)
                rep.done += 1
            elif st in ("conflict", "rejected"):
                reason = str(res.get("reason") or st)
                code = str(res.get("code") or st)
                con.execute(
                    "UPDATE outbox SET status='needs_attention', result_code=?, reason=?, "
                    "resolved_at=? WHERE command_id=?", (code, reason, now, cid))
                later = [r[0] for r in con.execute(
                    "SELECT command_id FROM outbox WHERE ticket_id=? AND seq>? AND status IN "
                    "('queued','inflight') ORDER BY seq", (tid, seq))]
                con.executemany(
                    "UPDATE outbox SET status='needs_attention', result_code=?, reason=?, "
                    "resolved_at=? WHERE command_id=?",
                    [(BLOCKED_CODE, f"blocked by earlier failure ({verb}: {reason})", now, c)
                     for c in later])
                rep.failed += 1
                rep.blocked += len(later)
                # The optimistic timeline entries of these commands never happened.
                con.executemany("DELETE FROM ticket_events WHERE local=1 AND command_id=?",
                                [(c,) for c in [cid, *later]])
                if ticket is not None:
                    _store_base(s, ticket)
                con.execute("UPDATE tickets SET attention=1 WHERE id=?", (tid,))
                journal.record_many(s, "outbox", later, now)
                journal.record(s, "ticket_event", tid, now)
            else:
                rep.retry += 1
                continue
            journal.record(s, "outbox", cid, now)
            rep.tickets.add(tid)
        for tid in rep.tickets:
            _settle_ticket(s, tid)
            _clear_attention(s, tid)  # e.g. a blocked entry the platform applied after all
        journal.record_many(s, "ticket", sorted(rep.tickets), now)
    return rep


def _record_result(s: Session, rid: str, res: dict[str, Any], now: float,
                   rep: ResultsReport) -> None:
    """A duty record's answer: done, or needs attention with the reason (nothing else)."""
    st = res.get("status")
    con = journal.raw(s)
    if st in ("applied", "duplicate"):
        con.execute("UPDATE outbox SET status='done', result_code=?, reason=NULL, resolved_at=? "
                    "WHERE command_id=?", (st, now, rid))
        rep.done += 1
    elif st in ("rejected", "conflict"):
        con.execute("UPDATE outbox SET status='needs_attention', result_code=?, reason=?, "
                    "resolved_at=? WHERE command_id=?",
                    (str(res.get("code") or st), str(res.get("reason") or st), now, rid))
        rep.failed += 1
    else:
        rep.retry += 1
        return
    rep.records.add(rid)
    journal.record(s, "outbox", rid, now)


def needs_attention(session: Session) -> list[dict[str, Any]]:
    """Entries the officer must decide on: what they did (verb, params, actor,
    issued_at) and why it failed (result_code, reason)."""
    rows = session.execute(text("SELECT * FROM outbox WHERE status='needs_attention' ORDER BY seq"))
    return [_entry(r) for r in rows]


def get_entry(session: Session, command_id: str) -> dict[str, Any] | None:
    r = session.execute(text("SELECT * FROM outbox WHERE command_id=:c"), {"c": command_id}).first()
    return None if r is None else _entry(r)


def depth(session: Session) -> int:
    """Unsent entries (queued + inflight)."""
    return int(session.execute(
        text("SELECT count(*) FROM outbox WHERE status IN ('queued','inflight')")).scalar())


def counts(session: Session) -> dict[str, int]:
    return dict(session.execute(text("SELECT status, count(*) FROM outbox GROUP BY status")).all())


def _actor_from(d: dict[str, Any]) -> Actor:
    return Actor(user_id=d["user_id"], name=d.get("name", ""), role=Role(d["role"]),
                 workstation=d.get("workstation", ""))


def _clear_attention(s: Session, ticket_id: str) -> None:
    con = journal.raw(s)
    left = con.execute("SELECT count(*) FROM outbox WHERE ticket_id=? AND status='needs_attention'",
                       (ticket_id,)).fetchone()[0]
    if not left:
        con.execute("UPDATE tickets SET attention=0 WHERE id=?", (ticket_id,))


def redo(store: Store, command_id: str, now: float | None = None,
         actor: Actor | None = None) -> Ticket | None:
    """Apply the failed entry's verb again on the ticket as it is now (the platform
    state, plus any newer local actions), as a NEW command. Raises
    ``lifecycle.TransitionError`` (nothing written) if the verb no longer applies.
    A duty record is sent again as a new record (returns None)."""
    from console.domain import lifecycle
    from localdb.convert import row_to_ticket

    now = time.time() if now is None else now
    with store.write() as s:
        e = get_entry(s, command_id)
        if e is None or e["status"] != NEEDS_ATTENTION:
            raise KeyError(f"no outbox entry needing attention: {command_id}")
        if is_record(e):
            _redo_record(s, e, now, actor)
            return None
        who = actor or _actor_from(e["actor"])
        row = s.execute(text("SELECT * FROM tickets WHERE id=:i"), {"i": e["ticket_id"]}).first()
        if e["verb"] == "create":
            if row is not None and row._mapping["version"] > 0:
                raise lifecycle.TransitionError("illegal_transition", "工单已在平台创建")
            current = Ticket.from_dict(e["params"]["ticket"])
            event = lifecycle.create_event(current, who, now)
            new_id = record_action(s, None, current, event, verb="create",
                                   params=e["params"], actor=who, now=now)
            new = current
        else:
            if row is None:
                raise KeyError(f"ticket {e['ticket_id']} is not in the local store")
            current = row_to_ticket(row)
            new, event = lifecycle.apply(current, e["verb"], who, e["params"], now,
                                         calendar=limits.work_calendar(s))
            new_id = record_action(s, current, new, event, verb=e["verb"], params=e["params"],
                                   actor=who, now=now)
        s.execute(text("UPDATE outbox SET status='redone', replaced_by=:n WHERE command_id=:c"),
                  {"n": new_id, "c": command_id})
        _clear_attention(s, e["ticket_id"])
        journal.record(s, "outbox", command_id, now)
        return new


def _redo_record(s: Session, e: dict[str, Any], now: float, actor: Actor | None = None) -> str:
    """A refused duty record goes again as a NEW record (new id, same content): the
    platform judges it afresh. Returns the new record id. The old signature does not
    cover the new id: the record is signed again when its own officer redoes it."""
    import uuid

    from localdb.actions import signed

    record = {**e["params"], "record_id": str(uuid.uuid4()), "issued_at": float(now)}
    record["actor"] = {k: v for k, v in record["actor"].items() if k != "sig"}
    if actor is not None and actor.user_id == record["actor"].get("user_id"):
        record = signed(record, actor)
    enqueue_record(s, record)
    s.execute(text("UPDATE outbox SET status='redone', replaced_by=:n WHERE command_id=:c"),
              {"n": record["record_id"], "c": e["command_id"]})
    journal.record(s, "outbox", e["command_id"], now)
    return record["record_id"]


def discard(store: Store, command_id: str, actor: Actor, now: float | None = None) -> None:
    """The officer gives up a failed entry; the decision is audited."""
    now = time.time() if now is None else now
    with store.write() as s:
        e = get_entry(s, command_id)
        if e is None or e["status"] != NEEDS_ATTENTION:
            raise KeyError(f"no outbox entry needing attention: {command_id}")
        s.execute(text("UPDATE outbox SET status='discarded', resolved_at=:t WHERE command_id=:c"),
                  {"t": now, "c": command_id})
        record = is_record(e)
        audit(s, actor, "outbox_discard", None if record else e["ticket_id"],
              {"command_id": command_id, "verb": e["verb"], "params": e["params"],
               "by": e["actor"], "issued_at": e["issued_at"], "reason": e["reason"],
               "code": e["result_code"]}, now)
        journal.record(s, "outbox", command_id, now)
        if not record:
            _clear_attention(s, e["ticket_id"])
            journal.record(s, "ticket", e["ticket_id"], now)
