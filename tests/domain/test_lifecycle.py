"""Unit tests of the ticket state machine: each verb, each refusal."""

import uuid

import pytest

from console.domain import lifecycle
from console.domain.lifecycle import TransitionError, allowed_actions, apply, why_not
from console.domain.model import Action, Channel, LimitMode, TicketState as S
from tests.domain.helpers import (
    ADMIN, COMMANDER, DEPARTMENT, DISTRICT, LEADER, MONDAY_10, OFFICER, OFFICER_2, PHOTO,
    SYSTEM, make_ticket,
)

HOUR = 3600.0


def run(ticket, *steps, start=MONDAY_10):
    """Apply (actor, action, params) steps one minute apart; return ticket and events."""
    events = []
    for i, (actor, action, params) in enumerate(steps, start=1):
        ticket, event = apply(ticket, action, actor, params, start + 60.0 * i)
        events.append(event)
    return ticket, events


TO_DISPATCHED = [
    (OFFICER, "accept", {}),
    (OFFICER, "register", {}),
    (OFFICER, "dispatch", {"department_id": "D07"}),
]
TO_FEEDBACK = TO_DISPATCHED + [
    (DEPARTMENT, "handle", {}),
    (DEPARTMENT, "feedback", {"result": "已清理"}),
]
TO_REVIEWED = TO_FEEDBACK + [
    (OFFICER, "verify", {"passed": True}),
    (LEADER, "second_review", {}),
]


def refused(ticket, action, actor, params=None, code=None):
    with pytest.raises(TransitionError) as info:
        apply(ticket, action, actor, params or {}, MONDAY_10 + 10 * HOUR)
    if code is not None:
        assert info.value.code == code, info.value.message
    return info.value


def test_full_lifecycle_to_archive():
    t0 = make_ticket()
    t, events = run(t0, *TO_REVIEWED, (OFFICER, "close", {}), (SYSTEM, "archive", {}))
    assert t.state == S.ARCHIVED and t.version == 9 == len(events)
    assert [e.to_state for e in events] == [
        S.ACCEPTED, S.REGISTERED, S.DISPATCHED, S.HANDLING, S.FEEDBACK, S.VERIFIED,
        S.VERIFIED, S.CLOSED, S.ARCHIVED,
    ]
    assert events[0].from_state == S.PENDING
    assert t.verified_by == OFFICER.user_id and t.reviewed_by == LEADER.user_id
    assert t.closed_on_time is True and t.closed_at == MONDAY_10 + 8 * 60
    assert t.deadline is None and t.clock_start == MONDAY_10 + 120
    assert len({e.event_id for e in events}) == 9


def test_register_starts_the_clock():
    t, _ = run(make_ticket(), *TO_DISPATCHED[:2])
    assert t.clock_start == MONDAY_10 + 120
    assert t.deadline == t.clock_start + 24 * HOUR
    assert t.updated_at == MONDAY_10 + 120


def test_apply_is_deterministic_including_event_ids():
    a = run(make_ticket(), *TO_REVIEWED)
    b = run(make_ticket(), *TO_REVIEWED)
    assert a == b
    assert uuid.UUID(a[1][0].event_id).version == 5
    create = lifecycle.create_event(make_ticket(), OFFICER, MONDAY_10)
    assert create.action == Action.CREATE and create.from_state is None
    assert create.to_state == S.PENDING and create.event_id not in {e.event_id for e in a[1]}


@pytest.mark.parametrize(
    "steps, actor, action, params, message",
    [
        ([], OFFICER, "dispatch", {"department_id": "D1"}, "工单状态为待受理，不能派遣"),
        (TO_REVIEWED + [(OFFICER, "close", {})], OFFICER, "dispatch", {"department_id": "D1"},
         "工单状态为已结案，不能派遣"),
        ([], OFFICER, "register", {}, "工单状态为待受理，不能立案"),
        (TO_DISPATCHED + [(LEADER, "suspend", {"reason": "长期问题"})], DEPARTMENT, "handle", {},
         "工单状态为挂账中，不能处置"),
        ([], LEADER, "resume", {}, "工单状态为待受理，不能恢复"),
    ],
)
def test_illegal_transitions(steps, actor, action, params, message):
    t, _ = run(make_ticket(), *steps)
    assert refused(t, action, actor, params, "illegal_transition").message == message
    assert why_not(t, action, actor) == message


@pytest.mark.parametrize(
    "actor, action, steps",
    [
        (ADMIN, "accept", []),
        (DEPARTMENT, "accept", []),
        (SYSTEM, "close", TO_REVIEWED),
        (OFFICER, "instruct", []),
        (DISTRICT, "instruct", []),
        (OFFICER, "second_review", TO_FEEDBACK + [(LEADER, "verify", {"passed": True})]),
        (DISTRICT, "second_review", TO_FEEDBACK + [(LEADER, "verify", {"passed": True})]),
        (OFFICER, "handle", TO_DISPATCHED),
        (OFFICER, "return", TO_DISPATCHED),  # only the department hands back a dispatched one
        (DEPARTMENT, "return", []),          # ... and it cannot return what it never got
        (OFFICER, "suspend", TO_DISPATCHED),
    ],
)
def test_forbidden_roles(actor, action, steps):
    t, _ = run(make_ticket(), *steps)
    params = {"instruct": {"text": "x"}, "return": {"reason": "x"}, "suspend": {"reason": "x"}}
    params = params.get(action, {})
    error = refused(t, action, actor, params, "forbidden_role")
    assert why_not(t, action, actor) == error.message
    assert Action(action) not in allowed_actions(t, actor)


def test_system_may_only_archive():
    t, _ = run(make_ticket(), *TO_REVIEWED, (OFFICER, "close", {}))
    assert allowed_actions(t, SYSTEM) == [Action.ARCHIVE]
    assert allowed_actions(make_ticket(), ADMIN) == []


def test_district_may_do_the_hall_and_department_verbs():
    t, _ = run(make_ticket(), *[(DISTRICT, a, p) for _, a, p in TO_FEEDBACK])
    assert t.state == S.FEEDBACK


def test_param_checks():
    t, _ = run(make_ticket(), *TO_DISPATCHED[:2])
    assert refused(t, "dispatch", OFFICER, {}, "missing_param").message == "派遣需要填写处置部门"
    refused(t, "dispatch", OFFICER, {"department_id": " "}, "invalid_param")
    refused(t, "dispatch", OFFICER, {"department_id": "D1", "x": 1}, "invalid_param")
    refused(t, "dispatch", OFFICER, {"department_id": "D1", "note": "x" * 2001}, "invalid_param")
    apply(t, "dispatch", OFFICER, {"department_id": "D1", "note": "x" * 2000}, MONDAY_10)
    refused(t, "annotate", OFFICER, {"text": ""}, "invalid_param")
    refused(t, "annotate", OFFICER, {"text": 5}, "invalid_param")


def test_verify_failed_sends_back_for_rework():
    t, _ = run(make_ticket(), *TO_FEEDBACK)
    refused(t, "verify", OFFICER, {}, "missing_param")
    refused(t, "verify", OFFICER, {"passed": "yes"}, "invalid_param")
    t, (event,) = run(t, (OFFICER, "verify", {"passed": False, "note": "仍有垃圾"}))
    assert t.state == S.DISPATCHED and t.rework_count == 1 and t.department_id == "D07"
    assert event.to_state == S.DISPATCHED and event.params == {"passed": False, "note": "仍有垃圾"}


def test_self_handled_rework_goes_back_to_register():
    t, _ = run(make_ticket(), (OFFICER, "self_handle", {"photo": PHOTO}))
    assert t.state == S.FEEDBACK and t.attachments == (PHOTO,) and t.clock_start is not None
    t, _ = run(t, (OFFICER, "verify", {"passed": False}))
    assert t.state == S.REGISTERED and t.department_id is None


def test_self_handle_needs_a_photo_digest():
    t = make_ticket()
    refused(t, "self_handle", OFFICER, {}, "missing_param")
    refused(t, "self_handle", OFFICER, {"photo": "A" * 64}, "invalid_param")
    refused(t, "self_handle", OFFICER, {"photo": "ab"}, "invalid_param")
    t, _ = run(make_ticket(), *TO_DISPATCHED)
    refused(t, "self_handle", OFFICER, {"photo": PHOTO}, "illegal_transition")


def test_second_review_needs_another_person():
    t, _ = run(make_ticket(), *TO_FEEDBACK, (LEADER, "verify", {"passed": True}))
    error = refused(t, "second_review", LEADER, {}, "forbidden_role")
    assert "另一人" in error.message
    t, _ = run(t, (COMMANDER, "second_review", {}))
    assert t.reviewed_by == COMMANDER.user_id and t.state == S.VERIFIED
    refused(t, "second_review", LEADER, {}, "illegal_transition")


def test_close_requires_both_reviews():
    t, _ = run(make_ticket(), *TO_FEEDBACK, (OFFICER, "verify", {"passed": True}))
    assert refused(t, "close", OFFICER, {}, "illegal_transition").message == "结案前须完成核查和双审"
    assert Action.CLOSE not in allowed_actions(t, OFFICER)


def test_close_after_deadline_is_late():
    t, _ = run(make_ticket(), *TO_REVIEWED)
    late, _ = apply(t, "close", OFFICER, {}, t.deadline + 1)
    assert late.closed_on_time is False
    on_time, _ = apply(t, "close", OFFICER, {}, t.deadline)
    assert on_time.closed_on_time is True


def test_returns():
    t = make_ticket()
    refused(t, "return", OFFICER, {}, "missing_param")
    gone, _ = run(t, (OFFICER, "return", {"reason": "非本街道事项"}))
    assert gone.state == S.RETURNED and gone.deadline is None
    t, _ = run(make_ticket(), *TO_DISPATCHED, (DEPARTMENT, "handle", {}))
    back, _ = run(t, (DEPARTMENT, "return", {"reason": "不属于本部门"}))
    assert back.state == S.REGISTERED and back.department_id is None
    assert back.clock_start == t.clock_start


def test_extension_request_approve_and_deny():
    t, _ = run(make_ticket(), *TO_DISPATCHED)
    for bad in (0, -1, 721, True, "5"):
        refused(t, "request_extension", DEPARTMENT, {"hours": bad, "reason": "x"}, "invalid_param")
    refused(t, "request_extension", DEPARTMENT, {"hours": 5}, "missing_param")
    asked, _ = run(t, (DEPARTMENT, "request_extension", {"hours": 48, "reason": "需要协调"}))
    assert asked.extension_request["hours"] == 48 and asked.extension_request["by"] == "d-cg"
    assert asked.needs_commander and asked.commander_reason == "extension"
    refused(asked, "request_extension", OFFICER, {"hours": 1, "reason": "x"}, "illegal_transition")
    refused(asked, "approve_extension", OFFICER, {}, "forbidden_role")
    approved, _ = run(asked, (LEADER, "approve_extension", {}))
    assert approved.extension_hours == 48 and approved.extension_request is None
    assert not approved.needs_commander and approved.deadline == t.deadline + 48 * HOUR
    refused(approved, "approve_extension", LEADER, {}, "illegal_transition")
    denied, _ = run(asked, (COMMANDER, "deny_extension", {"reason": "不符合条件"}))
    assert denied.extension_request is None and denied.extension_hours == 0
    assert denied.deadline == t.deadline and not denied.needs_commander


def test_suspend_pauses_the_clock_and_resume_restores_the_state():
    t, _ = run(make_ticket(), *TO_DISPATCHED, (DEPARTMENT, "handle", {}))
    refused(t, "suspend", LEADER, {}, "missing_param")
    s, _ = apply(t, "suspend", LEADER, {"reason": "历史遗留"}, MONDAY_10 + HOUR)
    assert s.state == S.SUSPENDED and s.resume_state == S.HANDLING and s.deadline is None
    assert s.suspended_since == MONDAY_10 + HOUR
    r, _ = apply(s, "resume", DISTRICT, {}, MONDAY_10 + 4 * HOUR)
    assert r.state == S.HANDLING and r.resume_state is None and r.suspended_since is None
    assert r.suspended_seconds == 3 * HOUR and r.deadline == t.deadline + 3 * HOUR


def test_working_hours_suspension_counts_only_working_time():
    t, _ = run(make_ticket(limit_mode=LimitMode.WORKING, limit_hours=8.0), *TO_DISPATCHED)
    # suspended Monday 11:00 to Tuesday 10:00: 1+4.5+1 = 6.5 working hours paused
    s, _ = apply(t, "suspend", LEADER, {"reason": "x"}, MONDAY_10 + HOUR)
    r, _ = apply(s, "resume", LEADER, {}, MONDAY_10 + 24 * HOUR)
    assert r.suspended_seconds == 6.5 * HOUR


def test_urge_escalate_leader_dispatch_and_instruct():
    t, _ = run(make_ticket(), *TO_DISPATCHED[:2])
    t, _ = run(t, (OFFICER, "urge", {}), (OFFICER, "urge", {"note": "请尽快"}))
    assert t.urge_count == 2
    t, _ = run(t, (OFFICER, "escalate", {"reason": "跨部门"}), (LEADER, "escalate", {}))
    assert t.escalation_level == 2 and t.needs_commander and t.commander_reason == "escalate"
    t, _ = run(t, (OFFICER, "leader_dispatch", {}))
    assert t.commander_reason == "leader_dispatch"
    refused(t, "instruct", COMMANDER, {}, "missing_param")
    done, (event,) = run(t, (COMMANDER, "instruct", {"text": "请城管处置", "department_id": "D09"}))
    assert done.state == S.DISPATCHED and done.department_id == "D09"
    assert not done.needs_commander and done.commander_reason == ""
    assert event.params["department_id"] == "D09"


def test_instruct_does_not_dispatch_when_the_state_does_not_allow_it():
    t, _ = run(make_ticket(), *TO_DISPATCHED, (DEPARTMENT, "handle", {}),
               (DEPARTMENT, "request_extension", {"hours": 8, "reason": "x"}))
    t2, _ = run(t, (COMMANDER, "instruct", {"text": "加快", "department_id": "D01"}))
    assert t2.state == S.HANDLING and t2.department_id == "D07"
    assert t2.needs_commander and t2.commander_reason == "extension"  # still to be decided


def test_key_supervision_and_annotate():
    t = make_ticket()
    refused(t, "set_key_supervision", OFFICER, {}, "missing_param")
    refused(t, "set_key_supervision", OFFICER, {"on": 1}, "invalid_param")
    on, _ = run(t, (OFFICER, "set_key_supervision", {"on": True}))
    assert on.key_supervision
    off, _ = run(on, (LEADER, "set_key_supervision", {"on": False}))
    assert not off.key_supervision
    closed, _ = run(make_ticket(), *TO_REVIEWED, (OFFICER, "close", {}), (SYSTEM, "archive", {}))
    noted, (event,) = run(closed, (OFFICER, "annotate", {"text": "回访满意"}))
    assert noted.state == S.ARCHIVED and event.from_state == event.to_state == S.ARCHIVED
    refused(closed, "urge", OFFICER, {}, "illegal_transition")


def test_unknown_or_create_action_is_refused():
    t = make_ticket()
    assert refused(t, "fly", OFFICER, {}, "illegal_transition").message == "未知操作：fly"
    refused(t, Action.CREATE, OFFICER, {}, "illegal_transition")
    assert why_not(t, "fly", OFFICER) == "未知操作：fly"


def test_refusal_changes_nothing_and_params_are_copied():
    t = make_ticket()
    before = t.to_dict()
    params = {"department_id": "D1"}
    refused(t, "dispatch", OFFICER, params)
    assert t.to_dict() == before and params == {"department_id": "D1"}
    params = {"note": "ok", "reason": None}
    _, event = apply(t, "accept", OFFICER, params, MONDAY_10)
    params["note"] = "changed"
    assert event.params == {"note": "ok"}  # None means not given


def test_none_params_count_as_missing():
    t, _ = run(make_ticket(), *TO_DISPATCHED[:2])
    refused(t, "dispatch", OFFICER, {"department_id": None, "note": None}, "missing_param")
    _, event = apply(t, "dispatch", OFFICER, {"department_id": "D1", "note": None}, MONDAY_10)
    assert event.params == {"department_id": "D1"}


def test_allowed_actions_and_why_not_agree():
    t, _ = run(make_ticket(), *TO_DISPATCHED)
    allowed = allowed_actions(t, DEPARTMENT)
    assert allowed == [Action.HANDLE, Action.RETURN, Action.REQUEST_EXTENSION]
    for action in Action:
        assert (why_not(t, action, DEPARTMENT) is None) == (action in allowed)


def test_new_ticket_defaults():
    t = lifecycle.new_ticket(
        channel="iot_alarm", category_kind="component", category_code="01002",
        category_name="井盖", state=S.CLOSED, version=7,
    )
    assert t.state == S.PENDING and t.version == 0 and uuid.UUID(t.id).version == 4
    assert t.deadline is None and t.channel is Channel.IOT_ALARM
    with pytest.raises(TypeError):
        lifecycle.new_ticket(channel="iot_alarm", categroy_code="x")
    assert lifecycle.TransitionError.CODES == {
        "illegal_transition", "forbidden_role", "missing_param", "invalid_param",
        "not_on_duty", "other_street", "no_command_authority", "unknown_verb",   # + authz refusals
        "changed_meanwhile"}   # another desk acted on the ticket since the officer read it (hall mode)
