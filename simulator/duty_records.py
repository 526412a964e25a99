"""``POST /api/v1/duty-records``: the duty hall's own records (docs/CONTRACT.md, "Duty records").

Handovers, roster overrides, emergencies, their checklist items and duty-log lines
are made at workstations. Each record carries the full current state of one entity
(or one new log line), keyed by ``record_id``: a record applied once is answered
``duplicate`` ever after (the ids live in the platform's SQLite, so also after a
restart); the same ``record_id`` with another kind or data is ``409
idempotency_key_reused`` for the batch (nothing of it applied). Applied records go on the change feed as kind ``duty_record`` (roster
entries also as ``roster``) so every workstation of the hall gets them. A record the
platform cannot take is ``rejected`` with a ``code`` and a ``reason``; like commands,
only applied records are remembered (a refused one is judged afresh if sent again).
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from console.domain import audit_chain, authz, devices, wire_rules
from console.domain import emergency_sends as ES
from console.domain.model import Actor
from simulator import faults, identity
from simulator.commands import CLIENT_ROLES, ActorIn, KeyReused
from simulator.errors import ApiError, internal, responses
from simulator.store import Store, dumps

log = logging.getLogger(__name__)

KINDS = ("handover", "roster", "emergency", "emergency_item", "duty_log", "alarm_disposition", "auth",
         "command", "night_watch", "alert_ack", *ES.KINDS)
#: who joins the district's video conference when the hall asks for one (the platform's answer)
CONFERENCE_PARTIES = ("区城运中心总值班室", "区应急管理局", "街道城运中心")
#: kinds the platform keeps in its ledger but does not put on the feed
UNFED_KINDS = frozenset({"auth"})
AUTH_EVENTS = ("succeeded", "failed", "refused", "locked", "unlocked")
MAX_DATA_CHARS = 512_000  # a handover summary snapshot can be big; the body limit is 2 MiB
SHIFTS = ("day", "evening", "night", "all")
HANDOVER_STATES = ("draft", "signed", "acknowledged")

_DDL = (
    "CREATE TABLE IF NOT EXISTS duty_records (record_id TEXT PRIMARY KEY, kind TEXT NOT NULL,"
    " entity_id TEXT NOT NULL, ref TEXT, data TEXT NOT NULL, actor TEXT NOT NULL,"
    " issued_at REAL NOT NULL, applied_at REAL NOT NULL, seq INTEGER NOT NULL)",
    "CREATE INDEX IF NOT EXISTS ix_duty_records_entity ON duty_records (kind, entity_id, seq)",
    "CREATE INDEX IF NOT EXISTS ix_duty_records_ref ON duty_records (kind, ref)",
)

_S, _N, _I, _O, _L = "str", "num", "int", "obj", "list"
_MAY_BE_EMPTY = frozenset({"name", "title"})  # required strings that may be ""
#: kind -> {field: (type, required)}; None is allowed for every optional field
FIELDS: dict[str, dict[str, tuple[str, bool]]] = {
    "video_push": {"id": (_S, True), "emergency_id": (_S, True), "at": (_N, True), "cameras": (_L, True)},
    "resource_assignment": {"id": (_S, True), "emergency_id": (_S, True), "resource_id": (_S, True),
                            "at": (_N, True), "note": (_S, False)},
    "conference": {"id": (_S, True), "emergency_id": (_S, True), "at": (_N, True), "source": (_S, True),
                   "joined": (_L, False), "started_at": (_N, False)},
    "warning": {"id": (_S, True), "emergency_id": (_S, True), "version": (_I, True), "state": (_S, True),
                "level": (_S, True), "area": (_O, True), "text": (_S, True), "issued_at": (_N, True),
                "expires_at": (_N, True), "at": (_N, True), "reason": (_S, False)},
    "handover": {"id": (_S, True), "shift_date": (_S, True), "shift": (_S, True),
                 "from_user": (_S, True), "state": (_S, True), "created_at": (_N, True),
                 "to_user": (_S, False), "summary": (_O, False), "notes": (_S, False),
                 "signed_at": (_N, False), "acknowledged_at": (_N, False),
                 "acknowledged_by": (_S, False), "audit_head": (_O, False)},
    "roster": {"id": (_S, True), "date": (_S, True), "shift": (_S, True), "role": (_S, True),
               "person_id": (_S, True), "name": (_S, True), "phone": (_S, False),
               "replaces": (_S, False), "reason": (_S, False), "created_at": (_N, False)},
    "emergency": {"id": (_S, True), "kind": (_S, True), "title": (_S, True),
                  "started_at": (_N, True), "started_by": (_S, True), "level": (_S, False),
                  "lat": (_N, False), "lon": (_N, False), "ticket_id": (_S, False),
                  "ended_at": (_N, False), "ended_by": (_S, False), "summary": (_S, False),
                  "plan_id": (_S, False), "plan_version": (_I, False), "address": (_S, False),
                  "location_source": (_S, False), "end_reason": (_S, False), "levels": (_S, False)},
    "emergency_item": {"emergency_id": (_S, True), "position": (_I, True), "text": (_S, True),
                       "done_at": (_N, False), "done_by": (_S, False), "owner": (_S, False),
                       "limit_min": (_N, False), "step": (_S, False)},
    "auth": {"event": (_S, True), "user_id": (_S, True), "workstation": (_S, True),
             "at": (_N, True), "reason": (_S, False), "purpose": (_S, False),
             "failures": (_I, False), "until": (_N, False), "locks": (_I, False), "by": (_S, False)},
    "duty_log": {"at": (_N, True), "kind": (_S, True), "text": (_S, True),
                 "ticket_id": (_S, False), "shift_date": (_S, False), "shift": (_S, False)},
    "alarm_disposition": {"alarm_id": (_S, True), "disposition": (_S, True), "at": (_N, True),
                          "ticket_id": (_S, False), "reason": (_S, False), "note": (_S, False)},
    # the acknowledgement of a supervision alert (console.operations.supervision): the
    # alert's deterministic id, so every desk of the hall silences the same alert
    "alert_ack": {"id": (_S, True), "ticket_id": (_S, True), "kind": (_S, True), "at": (_N, True),
                  "mark": (_N, False), "since": (_N, False), "raised_at": (_N, False),
                  "workstation": (_S, False), "note": (_S, False)},
    # a command-chain mark (console.domain.command): login/logout, off/on post, hand-over
    "command": {"id": (_S, True), "person_id": (_S, True), "event": (_S, True), "at": (_N, True),
                "workstation": (_S, False), "to": (_S, False), "note": (_S, False)},
    # the night hand-off of the video watch to the police station (console.operations.night)
    "night_watch": {"id": (_S, True), "shift_date": (_S, True), "station": (_S, True),
                    "handed_by": (_S, True), "handed_at": (_N, True), "details": (_O, False),
                    "taken_back_by": (_S, False), "taken_back_at": (_N, False), "summary": (_O, False)},
}


class DutyRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")
    record_id: str = Field(min_length=1, max_length=64)
    kind: str = Field(min_length=1, max_length=32)
    data: dict[str, Any]
    actor: ActorIn
    issued_at: float = Field(allow_inf_nan=False)


class DutyBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    records: list[DutyRecord] = Field(min_length=1, max_length=200)


class DutyResult(BaseModel):
    record_id: str
    status: str
    reason: str | None = None
    code: str | None = None


class DutyResults(BaseModel):
    results: list[DutyResult]


class Refused(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def _typed(v: Any, t: str) -> bool:
    if t == _S:
        return isinstance(v, str) and len(v) <= 8000
    if t == _O:
        return isinstance(v, dict)
    if t == _L:
        return isinstance(v, list) and len(v) <= 200
    if isinstance(v, bool) or not isinstance(v, int | float):
        return False
    if t == _I:
        return isinstance(v, int) and 0 <= v < 10_000
    return math.isfinite(v)


def validate(rec: DutyRecord) -> None:
    """Raise ``Refused`` when the record's content breaks the contract."""
    spec = FIELDS.get(rec.kind)
    if spec is None:
        raise Refused("unknown_kind", f"unknown record kind {rec.kind!r} (one of {', '.join(KINDS)})")
    if rec.actor.role not in CLIENT_ROLES:
        raise Refused("forbidden_role", f"role {rec.actor.role} acts on the platform side only")
    d = rec.data
    missing = sorted(k for k, (_, req) in spec.items() if req and d.get(k) is None)
    if missing:
        raise Refused("missing_field", f"{rec.kind} needs {', '.join(missing)}")
    unknown = sorted(set(d) - set(spec))
    if unknown:
        raise Refused("invalid_field", f"unknown {rec.kind} fields {unknown}")
    bad = sorted(k for k, v in d.items() if v is not None and not _typed(v, spec[k][0]))
    if bad:
        raise Refused("invalid_field", f"wrong type or range: {', '.join(bad)}")
    empty = sorted(k for k, (t, req) in spec.items() if req and t == _S and k not in _MAY_BE_EMPTY
                   and not d[k].strip())
    if empty:
        raise Refused("invalid_field", f"empty {', '.join(empty)}")
    try:
        size = len(json.dumps(d, allow_nan=False, ensure_ascii=False))
    except ValueError:
        raise Refused("invalid_field", "numbers must be finite") from None
    if size > MAX_DATA_CHARS:
        raise Refused("too_large", f"data over {MAX_DATA_CHARS} characters")
    why = wire_rules.record_problem(rec.kind, d)
    if why:
        raise Refused("invalid_field", why)
    if wire_rules.epoch_problem("issued_at", rec.issued_at):
        raise Refused("invalid_field", "issued_at is not a plausible time")
    if "shift" in spec and d.get("shift") is not None and d["shift"] not in SHIFTS:
        raise Refused("invalid_field", f"shift must be one of {', '.join(SHIFTS)}")
    if rec.kind == "command":
        from console.domain import command as C

        if d["event"] not in C.EVENTS:
            raise Refused("invalid_field", f"event must be one of {', '.join(C.EVENTS)}")
        if d["person_id"] != rec.actor.user_id:
            raise Refused("forbidden", "a command-chain mark is made by the person it concerns")
    if rec.kind == "handover":
        if d.get("audit_head") is not None:
            try:
                audit_chain.Head.from_dict(d["audit_head"])
            except ValueError as exc:
                raise Refused("invalid_field", str(exc)) from None
        if d["state"] not in HANDOVER_STATES:
            raise Refused("invalid_field", f"state must be one of {', '.join(HANDOVER_STATES)}")
        if d["state"] != "draft" and d.get("signed_at") is None:
            raise Refused("missing_field", "a signed handover needs signed_at")
        if d["state"] == "acknowledged" and (d.get("acknowledged_at") is None or not d.get("acknowledged_by")):
            raise Refused("missing_field", "an acknowledged handover needs acknowledged_at and acknowledged_by")


def _check_audit_head(c, rec: DutyRecord) -> str | None:
    """The desk's audit chain only grows: a head below (or beside) the one it reported
    with an earlier handover means entries were removed or rewritten there — or the
    desk's store was rebuilt (recovery, a new machine). The handover is not held up for
    it (the shift must be handed over); the finding goes to the platform's log for the
    people who keep its security ledger. Returns the finding, or None."""
    head = rec.data.get("audit_head")
    ws = rec.actor.workstation
    if head is None or not ws:
        return None
    new = audit_chain.Head.from_dict(head)
    rows = c.exec_driver_sql("SELECT data, actor FROM duty_records WHERE kind='handover' "
                             "ORDER BY seq DESC").fetchall()
    for v, a in rows:
        d = json.loads(v)
        if d.get("audit_head") is None or (json.loads(a) or {}).get("workstation") != ws:
            continue
        why = new.regressed_from(audit_chain.Head.from_dict(d["audit_head"]))
        if why:
            log.warning("AUDIT desk %s (handover %s by %s): %s; its audit log was changed or its "
                        "store rebuilt", ws, rec.data.get("id"), rec.actor.user_id, why)
        return why
    return None


def _latest(c, kind: str, entity_id: str) -> dict | None:
    v = c.exec_driver_sql("SELECT data FROM duty_records WHERE kind=? AND entity_id=? ORDER BY seq DESC"
                          " LIMIT 1", (kind, entity_id)).scalar()
    return None if v is None else json.loads(v)


def _other(c, kind: str, ref: str, entity_id: str) -> str | None:
    return c.exec_driver_sql("SELECT entity_id FROM duty_records WHERE kind=? AND ref=? AND entity_id<>?"
                             " LIMIT 1", (kind, ref, entity_id)).scalar()


def _key(rec: DutyRecord) -> tuple[str, str | None]:
    """(entity id, reference) of a record: what it describes and what it points at."""
    d = rec.data
    if rec.kind == "handover":
        return d["id"], f"{d['shift_date']}:{d['shift']}"
    if rec.kind == "roster":
        return d["id"], d.get("replaces")
    if rec.kind == "emergency":
        return d["id"], None
    if rec.kind == "emergency_item":
        return f"{d['emergency_id']}:{d['position']}", d["emergency_id"]
    if rec.kind == "alarm_disposition":
        return d["alarm_id"], None
    if rec.kind == "command":
        return d["id"], d["person_id"]
    if rec.kind == "night_watch":
        return d["id"], None
    if rec.kind == "alert_ack":
        return d["id"], d["ticket_id"]
    if rec.kind in ES.KINDS:
        return d["id"], d["emergency_id"]
    return rec.record_id, None


def check_state(c, rec: DutyRecord, entity_id: str, ref: str | None) -> None:
    """Refuse records that contradict what the platform holds (also earlier in the batch)."""
    d = rec.data
    if rec.kind == "handover":
        _check_audit_head(c, rec)
        other = _other(c, "handover", ref, entity_id)
        if other is not None:
            raise Refused("handover_exists", f"{d['shift_date']} {d['shift']} already has handover {other}")
        cur = _latest(c, "handover", entity_id)
        if cur is not None and HANDOVER_STATES.index(d["state"]) < HANDOVER_STATES.index(cur["state"]):
            raise Refused("stale_state", f"the handover is already {cur['state']}")
    elif rec.kind == "roster" and ref is not None:
        known = c.exec_driver_sql("SELECT 1 FROM entities WHERE kind='roster' AND id=?", (ref,)).scalar()
        if not known:
            raise Refused("unknown_roster_entry", f"no roster entry {ref} to replace")
        other = _other(c, "roster", ref, entity_id)
        if other is not None:
            raise Refused("already_replaced", f"roster entry {ref} was already replaced by {other}")
    elif rec.kind == "emergency":
        cur = _latest(c, "emergency", entity_id)
        if cur is not None and cur.get("ended_at") is not None and d.get("ended_at") is None:
            raise Refused("stale_state", "the emergency has already ended")
    elif rec.kind == "emergency_item":
        if _latest(c, "emergency", ref) is None:
            raise Refused("unknown_emergency", f"no emergency {ref}")
    elif rec.kind in ES.KINDS:
        _check_send(c, rec, entity_id, ref)
    elif rec.kind == "alarm_disposition":
        alarm = Store.entity_in(c, "alarm", entity_id)
        if alarm is None:
            raise Refused("unknown_alarm", f"no alarm {entity_id}")
        try:
            devices.check_disposition(alarm, d["disposition"], reason=d.get("reason"),
                                      ticket_id=d.get("ticket_id"))
        except devices.DeviceError as exc:
            code = "already_disposed" if not devices.alarm_is_open(alarm) else "invalid_disposition"
            raise Refused(code, str(exc)) from None


def _check_send(c, rec: DutyRecord, entity_id: str, emergency_id: str) -> None:
    """A video push, conference or warning: of an emergency the platform has, with
    online cameras, a warning that may go to its new state (``console.domain.emergency_sends``)."""
    d = rec.data
    e = _latest(c, "emergency", emergency_id)
    if e is None:
        raise Refused("unknown_emergency", f"no emergency {emergency_id}")
    try:
        if rec.kind == "video_push":
            cams = []
            for cam in d["cameras"]:
                cid = cam.get("id") if isinstance(cam, dict) else None
                known = Store.entity_in(c, "camera", str(cid)) if cid else None
                if known is None:
                    raise Refused("unknown_camera", f"no camera {cid!r}")
                cams.append(known)
            ES.check_push(cams)
        elif rec.kind == "resource_assignment":
            if Store.entity_in(c, "resource", d["resource_id"]) is None:
                raise Refused("unknown_resource", f"no resource {d['resource_id']!r}")
        elif rec.kind == "conference":
            if d["source"] not in ("platform", "manual"):
                raise Refused("invalid_field", "source must be platform or manual")
            if d["source"] == "manual" and not d.get("joined"):
                raise Refused("missing_field", "a conference entered by hand names who joined")
        elif rec.kind == "warning":
            ES.check_warning(d["level"], d["area"], d["text"], d["issued_at"], d["expires_at"])
            ES.check_change(_latest(c, "warning", entity_id), d["state"], d["version"], rec.issued_at)
    except ES.SendError as exc:
        raise Refused(exc.code, str(exc)) from None


def wire(rec: DutyRecord, now: float | None = None) -> dict:
    """The ``data`` of the record's ``duty_record`` change. A send (video push, conference,
    warning) comes back with the platform's receipt, ``received_at``; a conference the
    platform held also with its ``started_at`` and who ``joined``."""
    actor = rec.actor.model_dump(mode="json", exclude={"sig"})
    data = rec.data
    if rec.kind in ES.KINDS and now is not None:
        data = {**data, "received_at": now}
        if rec.kind == "conference" and data["source"] == "platform":
            data.update(started_at=now, joined=list(CONFERENCE_PARTIES))
    return {"record_id": rec.record_id, "kind": rec.kind, "data": data,
            "actor": actor, "issued_at": rec.issued_at}


def _signed_wire(rec: DutyRecord) -> dict:
    d = rec.model_dump(mode="json")
    if d["actor"].get("sig") is None:
        d["actor"].pop("sig")
    return d


def _same(rec: DutyRecord) -> str:
    """What makes a record the same record (kind and data; actor and time aside)."""
    return json.dumps({"kind": rec.kind, "data": rec.data}, sort_keys=True, ensure_ascii=False)


def _one(rt, c, rec: DutyRecord, seen: dict[str, str]) -> dict:
    faults.fail_if_poisoned(rt, rec.record_id)
    res = {"record_id": rec.record_id, "status": "applied", "reason": None, "code": None}
    if seen.setdefault(rec.record_id, _same(rec)) != _same(rec):
        raise KeyReused("record_id", rec.record_id)
    before = c.exec_driver_sql("SELECT kind, data FROM duty_records WHERE record_id=?",
                               (rec.record_id,)).first()
    if before is not None:
        if before[0] != rec.kind or json.loads(before[1]) != rec.data:
            raise KeyReused("record_id", rec.record_id)
        return {**res, "status": "duplicate"}
    login = rec.kind == "auth" and rec.data.get("event") == "succeeded"
    try:
        if rec.kind == "auth" and rec.data.get("event") not in AUTH_EVENTS:
            raise Refused("invalid_field", f"event must be one of {', '.join(AUTH_EVENTS)}")
        validate(rec)
        # a failed login is told by the desk in the name of the account it concerns,
        # unsigned (no key without the right PIN): kept as the desk's report
        if not (rec.kind == "auth" and not login):
            identity.check(rt, _signed_wire(rec), login_record=login)
        command = None
        if rec.kind in ("emergency", "warning") and rt.cfg.check_duty:  # who holds command when it was done
            acting = Actor(rec.actor.user_id, rec.actor.name, rec.actor.role, rec.actor.workstation)
            command = rt.command_at(c, min(rec.issued_at, rt.clock.now()), acting=acting)
        refusal = authz.record_why_not(rec.actor, rec.kind, rec.data, command=command)
        if refusal is not None:
            raise Refused(refusal.code, refusal.message)
        entity_id, ref = _key(rec)
        check_state(c, rec, entity_id, ref)
    except (Refused, identity.Forbidden) as exc:
        return {**res, "status": "rejected", "reason": exc.reason, "code": exc.code}
    now = rt.clock.now()
    items: list[tuple[str, str, str, Any]] = []
    if rec.kind == "roster":  # the existing roster path sees overrides too
        items.append(("roster", entity_id, "upsert", {k: v for k, v in rec.data.items() if v is not None}))
    if rec.kind == "alarm_disposition":  # every desk sees the alarm's loop closed
        d = rec.data
        alarm = {**Store.entity_in(c, "alarm", entity_id), "disposition": d["disposition"],
                 "disposed_at": d["at"], "disposed_by": rec.actor.user_id,
                 "dismiss_reason": d.get("reason"), "note": d.get("note")}
        if d.get("ticket_id"):
            alarm["ticket_id"] = d["ticket_id"]
        items.append(("alarm", entity_id, "upsert", alarm))
    if rec.kind not in UNFED_KINDS:
        items.append(("duty_record", rec.record_id, "upsert", wire(rec, now)))
    seq = rt.store.append(c, items, now)
    if login and rec.actor.sig:
        rt.accounts.note_login(rec.actor.user_id, str(rec.data.get("workstation", "")), rec.record_id)
    c.exec_driver_sql("INSERT INTO duty_records (record_id, kind, entity_id, ref, data, actor, issued_at,"
                      " applied_at, seq) VALUES (?,?,?,?,?,?,?,?,?)",
                      (rec.record_id, rec.kind, entity_id, ref, dumps(rec.data),
                       dumps(rec.actor.model_dump(mode="json")), rec.issued_at, now, seq))
    return res


def apply_batch(rt, batch: DutyBatch) -> list[dict]:
    with rt.store.write() as c:
        for ddl in _DDL:
            c.exec_driver_sql(ddl)
        seen: dict[str, str] = {}
        return [_one(rt, c, rec, seen) for rec in batch.records]


def register(auth) -> APIRouter:
    router = APIRouter()

    @router.post("/api/v1/duty-records", response_model=DutyResults, dependencies=[Depends(auth)],
                 responses=responses(401, 409, 413, 422), tags=["duty"])
    def duty_records(batch: DutyBatch, request: Request):
        """Store a batch of 1..200 duty-hall records in order (see docs/CONTRACT.md)."""
        try:
            return {"results": apply_batch(request.app.state.rt, batch)}
        except ApiError:
            raise
        except Exception as exc:  # noqa: BLE001 - a platform bug: the batch rolled back
            raise internal(log, request.url.path, exc) from exc
    return router
