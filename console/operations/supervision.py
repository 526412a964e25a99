"""Officer actions of the supervision alerts: the periodic scan that raises and escalates
them, and the acknowledgement that silences an alert on every desk of the hall.

Each call is one transaction: the alert rows, a duty-log line per raised alert (kept in
the store), per escalation and per acknowledgement (these two also synced to the platform
as ``duty_log`` duty records), and a journal entry (kind ``alert``) that the panels
follow. The rules themselves are ``console.domain.supervision``.

What is synced, and why:

* **Raised alerts are not sent.** Every desk raises them itself from the tickets it
  holds (the rules are deterministic and the alert id is the crossing's,
  ``console.domain.supervision.alert_id``), so every desk that holds a ticket raises the
  same alert with the same id; sending them would be a duty record per late ticket for
  something the district already knows.
* **Acknowledgements are sent** as an ``alert_ack`` duty record (``ACK_RECORD``: the
  alert's id, ticket, kind, marks, who, which desk, note), queued in the outbox in the
  same transaction as the acknowledgement. A desk that lost the link keeps it in the
  outbox and it goes when the link returns. The platform puts it on the feed and every
  desk applies it (``localdb.feed_duty``): the alert is marked acknowledged there too,
  or stored acknowledged when that desk had not raised it yet, so its scan never raises
  it. The first acknowledgement a desk hears of stays.
* **Escalations** (and acknowledgements) also go as ``duty_log`` lines, for the
  platform's duty log and the handover.
* In hall mode the desks share the hall's store: an acknowledgement at one desk is
  seen by the others at once (journal kind ``alert``); its record still goes to the
  platform and coming back changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from console.domain import supervision as SV
from console.domain.model import Actor
from console.operations.duty import DutyError, _log, record
from localdb import Store, journal
from localdb import duty as rows
from localdb.actions import actor_dict
from localdb import repo_supervision as repo

#: duty-log kinds of the alerts (synced like every duty-log line)
LOG_RAISED = "alert"
LOG_ACK = "alert_ack"
#: duty record kind of an acknowledgement (the platform puts it on every desk's feed)
ACK_RECORD = "alert_ack"
ROLE_ZH = {"officer": "平台信息员", "shift_leader": "平台值班长", "commander": "轮值指挥长"}


@dataclass
class ScanResult:
    raised: list[dict[str, Any]] = field(default_factory=list)
    #: reminders to show now: alert row (with the ticket's number) + "level", "role", "reminder_no"
    reminders: list[dict[str, Any]] = field(default_factory=list)


def _pending(s, now: float, policy: SV.Policy) -> tuple[list[tuple[SV.Crossing, dict]], list[tuple[dict, SV.Reminder]]]:
    """What a scan at ``now`` would do: crossings not stored yet, reminders due."""
    new: list[tuple[SV.Crossing, dict]] = []
    cands = repo.candidates(s, now, policy)
    crossings = [(c, t) for t in cands for c in SV.crossings(t, now, policy)]
    known = repo.existing_ids(s, [c.id for c, _t in crossings])
    new = [(c, t) for c, t in crossings if c.id not in known]
    return new, _due(s, now, policy)


class Scanner:
    """A desk's scan that remembers where it got to, so that a scan every fraction of a
    second costs a few index range reads instead of re-reading the whole backlog: after
    one full scan (``scan``), each next one looks only at the clock's crossings since
    the previous scan, at the tickets the journal says changed since, and at the
    reminders only when the earliest one is due (``repo.next_reminder_at``). A full scan
    is repeated every ``full_every_s`` and whenever the journal was pruned past the
    desk's place or changed too much to follow row by row. What it raises and reminds is
    exactly what ``scan`` would at the same instant: the rules are
    ``console.domain.supervision``'s and stored ids make a second raise a no-op."""

    #: changed tickets above this in one step make a full scan instead (bulk feed pages)
    MAX_CHANGED = 5_000

    def __init__(self, policy: SV.Policy = SV.Policy(), full_every_s: float = 60.0) -> None:
        self.policy = policy
        self.full_every_s = full_every_s
        self.t0: float | None = None
        self.seq = 0
        self.last_full = float("-inf")

    def scan(self, store: Store, actor: Actor, now: float) -> ScanResult:
        policy = self.policy
        with store.session() as s:
            head = journal.head(s)
            full = (self.t0 is None or now < self.t0 or now - self.last_full >= self.full_every_s
                    or journal.oldest(s) > self.seq + 1 or head - self.seq > self.MAX_CHANGED)
            if full:
                new, due = _pending(s, now, policy)
            else:
                changed = [e for _q, k, e in journal.since(s, self.seq, self.MAX_CHANGED + 1) if k == "ticket"]
                cands = repo.candidates_since(s, self.t0, now, policy, changed)
                crossings = [(c, t) for t in cands for c in SV.crossings(t, now, policy)]
                known = repo.existing_ids(s, [c.id for c, _t in crossings])
                new = [(c, t) for c, t in crossings if c.id not in known]
                nxt = repo.next_reminder_at(s, policy.interval_s)
                due = _due(s, now, policy) if nxt is not None and nxt <= now else []
        if full:
            self.last_full = now
        self.t0, self.seq = now, head
        return _apply(store, actor, now, policy, new, due)


def _due(s, now: float, policy: SV.Policy) -> list[tuple[dict, SV.Reminder]]:
    due = []
    for a in repo.unacknowledged(s, due_at=now, interval_s=policy.interval_s):
        r = SV.due_reminder(float(a["raised_at"]), int(a["reminders"]), False, now, policy)
        if r is not None:
            due.append((a, r))
    return due


def scan(store: Store, actor: Actor, now: float, policy: SV.Policy = SV.Policy()) -> ScanResult:
    """Raise the alerts of the crossings made by ``now`` and send the reminders due.
    Reads first and writes only when there is something to raise or remind, so that a
    desk can scan every second without taking the writer for nothing."""
    with store.session() as s:
        new, due = _pending(s, now, policy)
    return _apply(store, actor, now, policy, new, due)


def _apply(store: Store, actor: Actor, now: float, policy: SV.Policy, new: list, due: list) -> ScanResult:
    res = ScanResult()
    if not new and not due:
        return res
    with store.write() as s:
        # no second read: another desk that was quicker makes the insert a no-op
        # (insert-or-ignore) and the reminder update a no-op (it only moves forward)
        for c, t in new:
            if repo.insert_alert(s, c, now, actor.workstation):
                res.raised.append({"id": c.id, "ticket_id": c.ticket_id, "kind": c.kind, "number": t.get("number")})
                _local_log(s, actor, "警示提醒 " + SV.describe(c.kind, t.get("number"), c.ticket_id),
                           now, c.ticket_id)
                journal.record(s, "alert", c.id, now)
                first = SV.due_reminder(now, 0, False, now, policy)
                row = {"id": c.id, "ticket_id": c.ticket_id, "kind": c.kind, "number": t.get("number"),
                       "raised_at": now, "reminders": 0, "level": 0}
                due.append((row, first))
        for a, r in due:
            if repo.set_reminded(s, a["id"], r.number + 1, r.level, now):
                res.reminders.append({**a, "level": r.level, "role": r.role, "reminder_no": r.number})
                if r.level > int(a["level"]):
                    _log(s, actor, LOG_RAISED, f"警示升级至{ROLE_ZH.get(r.role, r.role)} "
                         + SV.describe(a["kind"], a.get("number"), a["ticket_id"]), now, a["ticket_id"])
                journal.record(s, "alert", a["id"], now)
    return res


def _local_log(s, actor: Actor, text_: str, now: float, ticket_id: str) -> None:
    """A raised alert's duty-log line, kept in the store (the hall's, in hall mode) and not
    sent as a duty record: a desk's first scan over a backlog raises one alert per late
    ticket, and the district already knows its tickets are late. What the platform gets
    is what people did about them: escalations past the first level and acknowledgements."""
    rows.add_log(s, now, LOG_RAISED, text_, actor.user_id, actor_dict(actor), ticket_id, None, None)


def acknowledge(store: Store, actor: Actor, alert_id: str, now: float, note: str = "") -> dict[str, Any]:
    """Acknowledge an alert (it stops climbing and reminding on every desk); returns its
    row. Refused with a message when it does not exist or was acknowledged already."""
    with store.write() as s:
        if repo.acknowledge(s, alert_id, actor.user_id, actor.workstation, now, note.strip()):
            a = repo.alert(s, alert_id) or {}
            with_note = f"（{note.strip()}）" if note.strip() else ""
            _log(s, actor, LOG_ACK, f"已确认警示 {SV.KIND_ZH.get(a.get('kind'), a.get('kind'))}"
                 f" 工单 {_number(s, a.get('ticket_id'))}{with_note}", now, a.get("ticket_id"))
            record(s, actor, ACK_RECORD, {"id": alert_id, "ticket_id": a["ticket_id"], "kind": a["kind"],
                                          "at": now, "mark": a.get("mark"), "since": a.get("since"),
                                          "raised_at": a.get("raised_at"), "workstation": actor.workstation,
                                          "note": note.strip() or None}, now)
            journal.record(s, "alert", alert_id, now)
            return a
        a = repo.alert(s, alert_id)
    if a is None:
        raise DutyError("没有这条警示（可能已被清理）")
    raise DutyError(f"该警示已由 {a['acked_by']}（{a['acked_ws'] or '未知席位'}）确认")


def _number(s, ticket_id: str | None) -> str:
    from sqlalchemy import text

    if not ticket_id:
        return ""
    n = s.execute(text("SELECT number FROM tickets WHERE id = :i"), {"i": ticket_id}).scalar()
    return n or ticket_id


__all__ = ["ACK_RECORD", "LOG_ACK", "LOG_RAISED", "ScanResult", "Scanner", "acknowledge", "scan"]
