"""Hall state in the store: which desks run (presence) and who syncs with the district.

Presence: every running desk keeps one row in ``desks`` (its workstation id) and
refreshes ``heartbeat_at`` on a timer; the row says who is logged in there and which
ticket they have open (``viewing``) or are acting on (``acting``). A row whose
heartbeat is older than ``EXPIRY_S`` does not count: a desk that closes clears its
row, one that dies simply stops beating and drops out by itself — nobody has to clean
up after a crash. Timestamps are the desks' wall clocks (a hall's machines keep NTP
time; an expiry of 30 s tolerates a few seconds of drift).

Sync holder: the one process that holds the hall's sync lock (``console.hall.holder``)
publishes itself and the district link under ``sync_state`` key ``hall_sync``
(JSON, refreshed every ``HOLDER_BEAT_S``). Every desk's status bar reads it: which
process syncs, the district link, the outbox of the whole hall. A record older than
``HOLDER_STALE_S`` means no holder right now (a takeover is under way).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from localdb import syncstate

#: A desk not heard from for this long is gone (closed, killed, unplugged).
EXPIRY_S = 30.0
#: How often a desk refreshes its row (well inside the expiry).
BEAT_S = 5.0
HOLDER_KEY = "hall_sync"
HOLDER_BEAT_S = 1.0
HOLDER_STALE_S = 5.0

VIEWING = "viewing"
ACTING = "acting"


@dataclass(frozen=True, slots=True)
class Presence:
    workstation: str
    label: str
    user_id: str | None
    user_name: str | None
    ticket_id: str | None
    activity: str | None
    heartbeat_at: float

    @property
    def desk(self) -> str:
        return self.label or self.workstation


def beat(session: Session, workstation: str, *, label: str = "", user_id: str | None = None,
         user_name: str | None = None, ticket_id: str | None = None, activity: str | None = None,
         pid: int | None = None, host: str | None = None, now: float | None = None) -> None:
    """Upsert this desk's row (its heartbeat and what its officer has open)."""
    now = time.time() if now is None else now
    session.execute(text(
        "INSERT INTO desks (workstation, label, user_id, user_name, ticket_id, activity, pid, host,"
        " started_at, heartbeat_at) VALUES (:ws, :label, :uid, :uname, :tid, :act, :pid, :host,"
        " :now, :now) ON CONFLICT (workstation) DO UPDATE SET label = excluded.label,"
        " user_id = excluded.user_id, user_name = excluded.user_name,"
        " ticket_id = excluded.ticket_id, activity = excluded.activity, pid = excluded.pid,"
        " host = excluded.host, heartbeat_at = excluded.heartbeat_at"),
        {"ws": workstation, "label": label, "uid": user_id, "uname": user_name,
         "tid": ticket_id, "act": activity if ticket_id else None, "pid": pid, "host": host,
         "now": now})


def leave(session: Session, workstation: str) -> None:
    """The desk closes: it no longer counts, at once."""
    session.execute(text("DELETE FROM desks WHERE workstation = :ws"), {"ws": workstation})


def _rows(session: Session, where: str, params: dict[str, Any]) -> list[Presence]:
    rows = session.execute(text(
        "SELECT workstation, label, user_id, user_name, ticket_id, activity, heartbeat_at"
        f" FROM desks WHERE heartbeat_at >= :since {where} ORDER BY workstation"), params).all()
    return [Presence(*r) for r in rows]


def online(session: Session, now: float | None = None) -> list[Presence]:
    """The desks alive now (heartbeat within the expiry)."""
    now = time.time() if now is None else now
    return _rows(session, "", {"since": now - EXPIRY_S})


def on_tickets(session: Session, ticket_ids: list[str], *, exclude: str | None = None,
               now: float | None = None) -> dict[str, list[Presence]]:
    """Who else has each of these tickets open: ticket id -> live desks (not ``exclude``)."""
    if not ticket_ids:
        return {}
    now = time.time() if now is None else now
    params: dict[str, Any] = {"since": now - EXPIRY_S, "ex": exclude or ""}
    names = []
    for i, tid in enumerate(dict.fromkeys(ticket_ids)):
        params[f"t{i}"] = tid
        names.append(f":t{i}")
    out: dict[str, list[Presence]] = {}
    for p in _rows(session, f"AND workstation <> :ex AND ticket_id IN ({', '.join(names)})", params):
        out.setdefault(p.ticket_id or "", []).append(p)
    return out


# -- the sync holder ----------------------------------------------------------------
def publish_holder(session: Session, info: dict[str, Any], now: float | None = None) -> None:
    """The holder's record: ``workstation``, ``label``, ``pid``, ``host``, ``since``,
    ``link``, ``last_ok_at``, ``outbox``; ``beat`` is set here."""
    now = time.time() if now is None else now
    syncstate.set_value(session, HOLDER_KEY, json.dumps({**info, "beat": now}, ensure_ascii=False))


def release_holder(session: Session, workstation: str) -> None:
    """A holder that stops cleanly withdraws its record (if it is still its own)."""
    cur = holder(session, stale_ok=True)
    if cur is not None and cur.get("workstation") == workstation:
        session.execute(text("DELETE FROM sync_state WHERE key = :k"), {"k": HOLDER_KEY})


def holder(session: Session, now: float | None = None, *, stale_ok: bool = False) -> dict[str, Any] | None:
    """The current holder's record, or None when nobody holds the sync (or its record is
    older than ``HOLDER_STALE_S``: the holder died and a takeover is under way)."""
    raw = syncstate.get_value(session, HOLDER_KEY)
    if not raw:
        return None
    try:
        info = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(info, dict):
        return None
    now = time.time() if now is None else now
    if not stale_ok and now - float(info.get("beat") or 0) > HOLDER_STALE_S:
        return None
    return info


# -- moving a desk from its SQLite file to the hall store ---------------------------
def import_outbox(desk: Any, hall_store: Any) -> dict[str, int]:
    """Copy the desk file's unsent outbox (queued and in-flight commands and duty records,
    oldest first, with their command ids) into the hall store, so the hall's sync holder
    sends them. Entries already in the hall outbox are skipped: running it twice, or the
    old desk sending some before it was stopped, duplicates nothing (the district also
    deduplicates by command id). The desk file is only read."""
    from localdb import outbox

    with desk.session() as s:
        pending = outbox.next_batch(s, limit=1_000_000)
    copied = skipped = 0
    with hall_store.write() as s:
        have = {r[0] for r in s.execute(text("SELECT command_id FROM outbox"))}
        for e in pending:
            if e["command_id"] in have:
                skipped += 1
                continue
            if outbox.is_record(e):
                outbox.enqueue_record(s, dict(e["params"]))
            else:
                outbox.enqueue(s, outbox.to_command(e))
            copied += 1
    return {"copied": copied, "skipped": skipped, "unsent_in_desk_file": len(pending)}
