"""Ticket verbs (受理, 立案, 派遣, ...). ``now`` is platform time (epoch seconds).

Each returns the new Ticket or raises ``lifecycle.TransitionError`` (nothing written)
or ``TicketNotFound``.
"""

from __future__ import annotations

from typing import Any

from console.domain import category_rules, privacy
from console.domain.lifecycle import TransitionError
from console.domain import joint, lifecycle
from console.domain.model import Action, Actor, Ticket
from console.operations._common import TicketNotFound, perform
from localdb import Store, repo
from localdb.actions import audit, record_action


def accept(store: Store, actor: Actor, ticket_id: str, now: float, note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.ACCEPT, {"note": note}, now)


def register(store: Store, actor: Actor, ticket_id: str, now: float, note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.REGISTER, {"note": note}, now)


def dispatch(store: Store, actor: Actor, ticket_id: str, department_id: str, now: float,
             note: str | None = None, co_handlers: list[str] | None = None) -> Ticket:
    """派遣 to ``department_id``; with ``co_handlers`` a joint dispatch (联合派遣): the lead and
    the co-handling departments (console.domain.joint), each checked against the departments."""
    if co_handlers is not None:
        with store.session() as s:
            known = {d["id"]: d["name"] for d in repo.departments(s, with_load=False)}
        try:
            joint.check_dispatch(department_id, list(co_handlers), known)
        except joint.Refused as exc:
            raise TransitionError(exc.code, exc.message) from None
        co_handlers = list(co_handlers)
    return perform(store, actor, ticket_id, Action.DISPATCH,
                   {"department_id": department_id, "note": note, "co_handlers": co_handlers}, now)


def co_feedback(store: Store, actor: Actor, ticket_id: str, department_id: str, result: str,
                now: float, note: str | None = None) -> Ticket:
    """协办反馈: a co-handling department reports its part of a joint ticket."""
    return perform(store, actor, ticket_id, Action.CO_FEEDBACK,
                   {"department_id": department_id, "result": result, "note": note}, now)


def release_co(store: Store, actor: Actor, ticket_id: str, department_id: str, reason: str,
               now: float, note: str | None = None) -> Ticket:
    """解除协办: the hall lets a co-handler go without its feedback."""
    return perform(store, actor, ticket_id, Action.RELEASE_CO,
                   {"department_id": department_id, "reason": reason, "note": note}, now)


def handle(store: Store, actor: Actor, ticket_id: str, now: float, note: str | None = None) -> Ticket:
    """处置: the department starts (department / district roles)."""
    return perform(store, actor, ticket_id, Action.HANDLE, {"note": note}, now)


def feedback(store: Store, actor: Actor, ticket_id: str, result: str, now: float,
             photo: str | None = None, note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.FEEDBACK,
                   {"result": result, "photo": photo, "note": note}, now)


def verify(store: Store, actor: Actor, ticket_id: str, passed: bool, now: float,
           note: str | None = None, checked: list[str] | None = None) -> Ticket:
    """核查: to pass, every item of the category's closure standard is ticked (``checked``;
    console.domain.category_rules); the ticked items go on the ticket's timeline."""
    with store.session() as s:
        t = repo.get_ticket(s, ticket_id)
        if t is None:
            raise TicketNotFound(ticket_id)
        standard = repo.category_closure_standard(s, t.category_kind.value, t.category_code)
    category_rules.check_closure(t.category_name, standard, passed, checked)
    return perform(store, actor, ticket_id, Action.VERIFY,
                   {"passed": passed, "note": note, "checked": checked}, now)


def second_review(store: Store, actor: Actor, ticket_id: str, now: float,
                  note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.SECOND_REVIEW, {"note": note}, now)


def close(store: Store, actor: Actor, ticket_id: str, now: float, note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.CLOSE, {"note": note}, now)


def archive(store: Store, actor: Actor, ticket_id: str, now: float, note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.ARCHIVE, {"note": note}, now)


def return_ticket(store: Store, actor: Actor, ticket_id: str, reason: str, now: float,
                  note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.RETURN, {"reason": reason, "note": note}, now)


def request_extension(store: Store, actor: Actor, ticket_id: str, hours: float, reason: str,
                      now: float, note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.REQUEST_EXTENSION,
                   {"hours": hours, "reason": reason, "note": note}, now)


def approve_extension(store: Store, actor: Actor, ticket_id: str, now: float,
                      note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.APPROVE_EXTENSION, {"note": note}, now)


def deny_extension(store: Store, actor: Actor, ticket_id: str, now: float,
                   reason: str | None = None, note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.DENY_EXTENSION,
                   {"reason": reason, "note": note}, now)


def suspend(store: Store, actor: Actor, ticket_id: str, reason: str, now: float,
            note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.SUSPEND, {"reason": reason, "note": note}, now)


def resume(store: Store, actor: Actor, ticket_id: str, now: float, note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.RESUME, {"note": note}, now)


def urge(store: Store, actor: Actor, ticket_id: str, now: float, note: str | None = None,
         level: str | None = None, target: str | None = None) -> Ticket:
    """督办; with ``level`` (street/district) and ``target`` a levelled one
    (console.domain.urge_levels): a district-level 督办 reaches the commander's inbox."""
    return perform(store, actor, ticket_id, Action.URGE,
                   {"note": note, "level": level, "target": target}, now)


def escalate(store: Store, actor: Actor, ticket_id: str, now: float, reason: str | None = None,
             note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.ESCALATE, {"reason": reason, "note": note}, now)


def leader_dispatch(store: Store, actor: Actor, ticket_id: str, now: float,
                    reason: str | None = None, note: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.LEADER_DISPATCH,
                   {"reason": reason, "note": note}, now)


def instruct(store: Store, actor: Actor, ticket_id: str, text: str, now: float,
             department_id: str | None = None) -> Ticket:
    """指挥长批示: the commander's decision (optionally dispatching to a department)."""
    return perform(store, actor, ticket_id, Action.INSTRUCT,
                   {"text": text, "department_id": department_id}, now)


def self_handle(store: Store, actor: Actor, ticket_id: str, photo: str, now: float,
                result: str | None = None, note: str | None = None) -> Ticket:
    """自行处置: only for a category the catalogue marks simple (console.domain.category_rules)."""
    with store.session() as s:
        t = repo.get_ticket(s, ticket_id)
        if t is None:
            raise TicketNotFound(ticket_id)
        category_rules.check_self_handle(
            t.category_name, repo.category_is_simple(s, t.category_kind.value, t.category_code))
    return perform(store, actor, ticket_id, Action.SELF_HANDLE,
                   {"photo": photo, "result": result, "note": note}, now)


def set_key_supervision(store: Store, actor: Actor, ticket_id: str, on: bool, now: float,
                        reason: str | None = None) -> Ticket:
    return perform(store, actor, ticket_id, Action.SET_KEY_SUPERVISION,
                   {"on": on, "reason": reason}, now)


def annotate(store: Store, actor: Actor, ticket_id: str, text: str, now: float) -> Ticket:
    return perform(store, actor, ticket_id, Action.ANNOTATE, {"text": text}, now)


def merge(store: Store, actor: Actor, ticket_id: str, main_id: str, now: float,
          note: str | None = None) -> Ticket:
    """并案: the ticket follows ``main_id`` (the same problem reported again) and closes with it."""
    with store.session() as s:
        lifecycle.check_main(ticket_id, repo.get_ticket(s, main_id), main_id)
    return perform(store, actor, ticket_id, Action.MERGE, {"main_id": main_id, "note": note}, now)


def unmerge(store: Store, actor: Actor, ticket_id: str, now: float, note: str | None = None) -> Ticket:
    """撤销并案: the ticket is handled on its own again (until the main ticket closes)."""
    return perform(store, actor, ticket_id, Action.UNMERGE, {"note": note}, now)


def create_ticket(store: Store, actor: Actor, now: float, **fields: Any) -> Ticket:
    """A new ticket made at this workstation (client UUID; state pending, version 0).

    ``fields`` are Ticket fields (channel, category_kind, category_code, ...);
    ``created_at`` defaults to ``now``.
    A ticket of a category the local catalogue marks dangerous starts under 重点监管
    (``console.domain.category_rules.at_intake``; the platform applies the same rule).
    """
    fields.setdefault("created_at", now)
    sent = lifecycle.new_ticket(**fields)
    with store.write() as s:
        ticket = category_rules.at_intake(sent, repo.category_is_dangerous(
            s, sent.category_kind.value, sent.category_code))
        event = lifecycle.create_event(ticket, actor, now)
        # the command carries the ticket as the client made it: key_supervision is a field
        # the platform keeps (wire_rules.LIFECYCLE_FIELDS); it applies the same intake rule
        record_action(s, None, ticket, event, verb=Action.CREATE.value,
                      params={"ticket": sent.to_dict()}, actor=actor, now=now)
    return ticket


def reveal_contact(store: Store, actor: Actor, ticket_id: str, now: float,
                   purpose: str = "") -> dict[str, str]:
    """Show the reporter's name and phone: audited locally, no state change."""
    if not privacy.may_see_contact(actor.role):
        raise TransitionError("forbidden_role", "只有值班长、指挥长或管理员可以查看反映人联系方式")
    with store.write() as s:
        t = repo.get_ticket(s, ticket_id)
        if t is None:
            raise TicketNotFound(ticket_id)
        audit(s, actor, "reveal_contact", ticket_id, {"purpose": purpose}, now)
    return {"reporter_name": t.reporter_name, "reporter_phone": t.reporter_phone}


#: verb -> function, for generic dispatch (e.g. the action bar).
VERBS = {
    Action.ACCEPT: accept, Action.REGISTER: register, Action.DISPATCH: dispatch,
    Action.HANDLE: handle, Action.FEEDBACK: feedback, Action.VERIFY: verify,
    Action.SECOND_REVIEW: second_review, Action.CLOSE: close, Action.ARCHIVE: archive,
    Action.RETURN: return_ticket, Action.REQUEST_EXTENSION: request_extension,
    Action.APPROVE_EXTENSION: approve_extension, Action.DENY_EXTENSION: deny_extension,
    Action.SUSPEND: suspend, Action.RESUME: resume, Action.URGE: urge,
    Action.ESCALATE: escalate, Action.LEADER_DISPATCH: leader_dispatch,
    Action.INSTRUCT: instruct, Action.SELF_HANDLE: self_handle,
    Action.SET_KEY_SUPERVISION: set_key_supervision, Action.ANNOTATE: annotate,
    Action.MERGE: merge, Action.UNMERGE: unmerge,
    Action.CO_FEEDBACK: co_feedback, Action.RELEASE_CO: release_co,
}


def as_seen(store: Store, actor: Actor, action: Action, ticket_id: str, seen_version: int | None,
            **kwargs: Any) -> Ticket:
    """Verb ``action`` (``VERBS``) on the version of the ticket the officer's form showed
    (``seen_version``; None: no check). When another officer acted first,
    ``lifecycle.ChangedMeanwhile`` names who did what and nothing is written. Check and
    verb are one write transaction, and hall writes are serialised (``localdb.pg``), so of
    two officers acting at the same moment exactly one applies, with no lost update.
    The officer's own newer action (a second verb before the pane redrew) is no conflict."""
    with store.write() as s:
        current = repo.get_ticket(s, ticket_id)
        if current is None:
            raise TicketNotFound(ticket_id)
        if seen_version is not None and current.version != seen_version:
            last = repo.last_ticket_event(s, ticket_id)
            mine = last is not None and (last["actor"].get("user_id"), last["actor"].get("workstation")) \
                == (actor.user_id, actor.workstation)
            refusal = None if mine else lifecycle.changed_meanwhile(current, seen_version, action,
                                                                    last["actor"] if last else None,
                                                                    last["action"] if last else None)
            if refusal is not None:
                raise refusal
        return VERBS[action](store, actor, ticket_id, **kwargs)
