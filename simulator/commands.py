"""``POST /api/v1/commands``: officers' actions applied through the shared lifecycle.

A batch runs in one transaction. Each command is answered ``applied``, ``duplicate``
(its ``command_id`` was applied before: the stored result is repeated, nothing runs
again), ``conflict`` (``expected_version`` is not the current version) or ``rejected``
(the lifecycle refuses; nothing changes). Only applied results are kept as idempotency
records: a refused command may be sent again and is judged again. An applied key sent
again with a different body (everything but the signature compared) is not a
duplicate but a mistake: the batch is answered ``409 idempotency_key_reused`` and
nothing of it is applied.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from console.domain import authz, category_rules, joint, lifecycle, timelimits, wire_rules
from console.domain.formatting import plausible_epoch
from console.domain.model import Action, Actor, Role, Ticket, TicketState
from simulator import catalogue, faults, identity
from simulator.errors import ApiError, internal, responses

log = logging.getLogger(__name__)

CLIENT_ROLES = frozenset({Role.OFFICER, Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN})
FUTURE_SLACK_S = 300.0


class ActorIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: str = Field(min_length=1, max_length=64)
    name: str = Field(max_length=64)
    role: Role
    workstation: str = Field("", max_length=64)
    sig: str | None = Field(None, max_length=128)  # the actor's signature (docs/CONTRACT.md "Identity")


class Command(BaseModel):
    model_config = ConfigDict(extra="forbid")
    command_id: str = Field(min_length=1, max_length=64)
    ticket_id: str = Field(min_length=1, max_length=64)
    verb: Action
    expected_version: int | None = Field(None, ge=0)
    params: dict[str, Any] = Field(default_factory=dict)
    actor: ActorIn
    issued_at: float = Field(allow_inf_nan=False)


class Batch(BaseModel):
    model_config = ConfigDict(extra="forbid")
    commands: list[Command] = Field(min_length=1, max_length=200)


class Result(BaseModel):
    command_id: str
    status: str
    ticket: dict | None = None
    reason: str | None = None
    code: str | None = None


class Results(BaseModel):
    results: list[Result]


def _result(cmd: Command, status: str, ticket: dict | None, code: str | None = None,
            reason: str | None = None) -> dict:
    return {"command_id": cmd.command_id, "status": status, "ticket": ticket,
            "reason": reason, "code": code}


def _when(cmd: Command, current: Ticket | None, plat_now: float) -> float:
    """The officer's time if plausible (identical optimistic/platform results), else ours."""
    t = cmd.issued_at
    if t > plat_now + FUTURE_SLACK_S or plausible_epoch(t) is None:
        return plat_now
    if current is not None:
        t = max(t, current.updated_at)
    return t


_TICKET = TypeAdapter(Ticket)
_TICKET_FIELDS = frozenset(f.name for f in dataclasses.fields(Ticket))


def _ticket_problem(raw: dict) -> str | None:
    """Why a client's new ticket cannot be stored as is (types, NaN, ranges, fields the
    lifecycle owns), or None (``console.domain.wire_rules``, the rule the desks apply
    to the feed too)."""
    unknown = sorted(set(raw) - _TICKET_FIELDS)
    if unknown:
        return f"unknown fields {unknown}"
    try:
        json.dumps(raw, allow_nan=False)
        t = _TICKET.validate_python(raw)
        uuid.UUID(t.id)
    except (ValueError, TypeError, ValidationError) as exc:
        return str(exc).splitlines()[0][:300]
    return wire_rules.new_ticket_problem(raw)


def _create(rt, c, cmd: Command, actor: Actor, now: float) -> dict:
    raw = cmd.params.get("ticket")
    if not isinstance(raw, dict) or set(cmd.params) - {"ticket", "note"}:
        return _result(cmd, "rejected", None, "missing_param", "create needs params.ticket (Ticket.to_dict())")
    problem = _ticket_problem(raw)
    if problem:
        return _result(cmd, "rejected", None, "invalid_param", f"bad ticket: {problem}")
    t = _TICKET.validate_python(raw)
    if t.id != cmd.ticket_id or t.state != TicketState.PENDING or t.version != 0:
        return _result(cmd, "rejected", None, "invalid_param",
                       "the new ticket must carry ticket_id, state pending and version 0")
    if t.category_code not in catalogue.BY_CODE:
        return _result(cmd, "rejected", None, "invalid_param", f"unknown category {t.category_code}")
    # 重点监管 from intake for a dangerous category, the desk's own rule (category_rules)
    t = category_rules.at_intake(t, catalogue.BY_CODE[t.category_code].dangerous)
    if t.department_id is not None and t.department_id not in rt.dept_ids:
        return _result(cmd, "rejected", None, "invalid_param", f"unknown department {t.department_id}")
    existing = rt.store.get_ticket(c, t.id)
    if existing is not None:
        return _result(cmd, "rejected", existing, "ticket_exists", "a ticket with this id exists")
    if not t.created_at:
        t = t.replace(created_at=now, updated_at=now)
    elif not t.updated_at:
        t = t.replace(updated_at=t.created_at)
    # the deadline is derived: the platform's own, whatever the client computed
    t = t.replace(deadline=timelimits.compute_deadline(t))
    t = rt.create(c, t, actor, now)
    return _result(cmd, "applied", t.to_dict())


def wire(cmd: Command) -> dict:
    """The command as the desk signed it (JSON form, ``actor.sig`` included)."""
    d = cmd.model_dump(mode="json")
    if d["actor"].get("sig") is None:
        d["actor"].pop("sig")
    return d


def _authz(rt, c, cmd: Command, actor: Actor, current_d: dict | None):
    """The domain's authorization rule for the named actor (console.domain.authz)."""
    acc = rt.accounts.get(actor.user_id)
    target = current_d
    if cmd.verb == Action.CREATE and isinstance(cmd.params.get("ticket"), dict):
        target = cmd.params["ticket"]
    ticket = None
    if isinstance(target, dict):
        try:
            ticket = Ticket.from_dict(target)
        except (KeyError, TypeError, ValueError):
            ticket = None
    on_duty = None
    if rt.cfg.check_duty and cmd.verb in authz.DUTY_BOUND:
        on_duty = rt.on_duty(actor.user_id, rt.clock.now())
    command = None
    if rt.cfg.check_duty and authz.needs_command(actor, cmd.verb):
        command = rt.command_at(c, min(cmd.issued_at, rt.clock.now()), acting=actor)
    return authz.why_not(actor, cmd.verb, ticket, on_duty=on_duty,
                         street=acc.street if acc is not None else None, command=command)


def body_digest(cmd: Command) -> str:
    """What makes a command the same command: everything but the signature."""
    d = cmd.model_dump(mode="json")
    d["actor"].pop("sig", None)
    return hashlib.sha256(json.dumps(d, sort_keys=True, ensure_ascii=False,
                                     separators=(",", ":")).encode()).hexdigest()


class KeyReused(ApiError):
    """The same idempotency key with another body: nothing of the batch is applied."""

    def __init__(self, key_name: str, key: str):
        super().__init__(409, "idempotency_key_reused",
                         f"{key_name} {key} was used before for a different body; send a new"
                         f" {key_name} for a new action", {key_name: key})


def _one(rt, c, cmd: Command, seen: dict[str, str]) -> dict:
    faults.fail_if_poisoned(rt, cmd.command_id)
    digest = body_digest(cmd)
    if seen.setdefault(cmd.command_id, digest) != digest:
        raise KeyReused("command_id", cmd.command_id)
    done = rt.store.command_result(c, cmd.command_id)
    if done is not None:
        if rt.store.command_digest(c, cmd.command_id) not in (None, digest):
            raise KeyReused("command_id", cmd.command_id)
        return {**done, "status": "duplicate"}
    actor = Actor(cmd.actor.user_id, cmd.actor.name, cmd.actor.role, cmd.actor.workstation)
    current_d = rt.store.get_ticket(c, cmd.ticket_id)
    if actor.role not in CLIENT_ROLES:
        return _result(cmd, "rejected", current_d, "forbidden_role",
                       f"role {actor.role} acts on the platform side only")
    try:
        identity.check(rt, wire(cmd))
    except identity.Forbidden as exc:
        return _result(cmd, "rejected", current_d, exc.code, exc.reason)
    refusal = _authz(rt, c, cmd, actor, current_d)
    if refusal is not None:
        return _result(cmd, "rejected", current_d, refusal.code, refusal.message)
    plat_now = rt.clock.now()
    if cmd.verb == Action.CREATE:
        res = _create(rt, c, cmd, actor, _when(cmd, None, plat_now))
    elif current_d is None:
        return _result(cmd, "rejected", None, "unknown_ticket", f"no ticket {cmd.ticket_id}")
    else:
        current = Ticket.from_dict(current_d)
        if cmd.expected_version is None or cmd.expected_version != current.version:
            return _result(cmd, "conflict", current_d, "version_conflict",
                           f"expected version {cmd.expected_version}, the platform has {current.version}")
        dept = cmd.params.get("department_id")
        if dept is not None and dept not in rt.dept_ids:
            return _result(cmd, "rejected", current_d, "invalid_param", f"unknown department {dept}")
        try:
            if cmd.verb == Action.DISPATCH and "co_handlers" in cmd.params:  # 联合派遣
                joint.check_dispatch(dept, cmd.params.get("co_handlers"), rt.dept_ids)
            if cmd.verb == Action.MERGE:  # 并案: the main ticket as the platform has it
                main_d = rt.store.get_ticket(c, str(cmd.params.get("main_id") or ""))
                lifecycle.check_main(cmd.ticket_id, Ticket.from_dict(main_d) if main_d else None,
                                     str(cmd.params.get("main_id") or ""))
            if cmd.verb == Action.SELF_HANDLE:  # 自行处置: simple categories only, as at the desk
                spec = catalogue.BY_CODE.get(current.category_code)
                category_rules.check_self_handle(current.category_name, spec is not None and spec.simple)
            if cmd.verb == Action.VERIFY:  # 结案标准: every item ticked to pass, as at the desk
                spec = catalogue.BY_CODE.get(current.category_code)
                category_rules.check_closure(
                    current.category_name, spec.category.closure_standard if spec else (),
                    cmd.params.get("passed") is True, cmd.params.get("checked"))
            new = rt.apply(c, current, cmd.verb, actor, cmd.params, _when(cmd, current, plat_now))
        except (lifecycle.TransitionError, joint.Refused) as exc:
            return _result(cmd, "rejected", current_d, exc.code, exc.message)
        res = _result(cmd, "applied", new.to_dict())
    if res["status"] == "applied":
        rt.store.save_command(c, cmd.command_id, cmd.ticket_id, res, plat_now, digest)
    return res


def apply_batch(rt, batch: Batch) -> list[dict]:
    seen: dict[str, str] = {}
    with rt.store.write() as c:
        return [_one(rt, c, cmd, seen) for cmd in batch.commands]


def register(auth) -> APIRouter:
    router = APIRouter()

    @router.post("/api/v1/commands", response_model=Results, dependencies=[Depends(auth)],
                 responses=responses(401, 409, 413, 422), tags=["commands"])
    def commands(batch: Batch, request: Request):
        """Apply a batch of 1..200 commands in order (see docs/CONTRACT.md)."""
        try:
            return {"results": apply_batch(request.app.state.rt, batch)}
        except ApiError:
            raise
        except Exception as exc:  # noqa: BLE001 - a platform bug: the batch rolled back
            raise internal(log, request.url.path, exc) from exc
    return router
