"""Joint handling (联合执法): a lead and co-handlers, each with its own state and feedback;
核查 waits until the lead's feedback is in and every co-handler has answered or been released."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import joint, lifecycle
from console.domain.model import Actor, Role
from console.domain.model import TicketState as S
from tests.domain.helpers import DISTRICT, LEADER, MONDAY_10, OFFICER, OFFICER_2, make_ticket

CG = Actor("d-cg", "城管中队", Role.DEPARTMENT)
SJ = Actor("d-sj", "市场监管所", Role.DEPARTMENT)
HB = Actor("d-hb", "环保所", Role.DEPARTMENT)
DEPTS = {"d-cg": "城管中队", "d-sj": "市场监管所", "d-hb": "环保所", "d-ga": "派出所"}


def _registered():
    t = make_ticket()
    t, _ = lifecycle.apply(t, "accept", OFFICER, {}, MONDAY_10 + 10)
    t, _ = lifecycle.apply(t, "register", OFFICER, {}, MONDAY_10 + 20)
    return t


def _joint(co=("d-sj",)):
    t, ev = lifecycle.apply(_registered(), "dispatch", OFFICER,
                            {"department_id": "d-cg", "co_handlers": list(co)}, MONDAY_10 + 30)
    return t, ev


def test_a_joint_dispatch_gives_each_co_handler_its_own_state():
    t, ev = _joint(("d-sj", "d-hb"))
    assert t.state == S.DISPATCHED and t.department_id == "d-cg"
    assert [(e["department_id"], e["state"]) for e in t.co_handlers] == [("d-sj", "pending"), ("d-hb", "pending")]
    assert ev.params["co_handlers"] == ["d-sj", "d-hb"]
    back = type(t).from_dict(t.to_dict())
    assert back == t


def test_verification_waits_for_every_co_handler():
    t, _ = _joint(("d-sj", "d-hb"))
    t, _ = lifecycle.apply(t, "handle", CG, {}, MONDAY_10 + 40)
    t, _ = lifecycle.apply(t, "feedback", CG, {"result": "摊贩已劝离"}, MONDAY_10 + 50)
    why = lifecycle.why_not(t, "verify", OFFICER) or ""
    assert "d-sj" in why and "d-hb" in why
    with pytest.raises(lifecycle.TransitionError) as exc:
        lifecycle.apply(t, "verify", OFFICER, {"passed": True}, MONDAY_10 + 60)
    assert exc.value.code == "illegal_transition"
    t, ev = lifecycle.apply(t, "co_feedback", SJ, {"department_id": "d-sj", "result": "无照经营已立案"}, MONDAY_10 + 70)
    assert ev.actor == SJ and ev.to_state == S.FEEDBACK and ev.params["department_id"] == "d-sj"
    assert "d-hb" in (lifecycle.why_not(t, "verify", OFFICER) or "")
    t, ev = lifecycle.apply(t, "release_co", OFFICER, {"department_id": "d-hb", "reason": "现场无环保问题"},
                            MONDAY_10 + 80)
    assert {e["department_id"]: e["state"] for e in t.co_handlers} == {"d-sj": "answered", "d-hb": "released"}
    assert lifecycle.why_not(t, "verify", OFFICER) is None
    t, _ = lifecycle.apply(t, "verify", OFFICER, {"passed": True}, MONDAY_10 + 90)
    t, _ = lifecycle.apply(t, "second_review", LEADER, {}, MONDAY_10 + 95)
    t, _ = lifecycle.apply(t, "close", OFFICER_2, {}, MONDAY_10 + 99)
    assert t.state == S.CLOSED


def test_a_co_handler_answers_once_and_only_for_itself():
    t, _ = _joint(("d-sj",))
    with pytest.raises(lifecycle.TransitionError) as exc:
        lifecycle.apply(t, "co_feedback", HB, {"department_id": "d-sj", "result": "x"}, MONDAY_10 + 40)
    assert exc.value.code == "forbidden_role"
    with pytest.raises(lifecycle.TransitionError, match="不是本工单的协办部门"):
        lifecycle.apply(t, "co_feedback", HB, {"department_id": "d-hb", "result": "x"}, MONDAY_10 + 40)
    t, _ = lifecycle.apply(t, "co_feedback", DISTRICT, {"department_id": "d-sj", "result": "已配合"}, MONDAY_10 + 40)
    assert lifecycle.why_not(t, "co_feedback", SJ) is not None                 # nothing left pending
    with pytest.raises(lifecycle.TransitionError):
        lifecycle.apply(t, "co_feedback", SJ, {"department_id": "d-sj", "result": "again"}, MONDAY_10 + 50)
    with pytest.raises(lifecycle.TransitionError) as exc:
        lifecycle.apply(t, "release_co", SJ, {"department_id": "d-sj", "reason": "x"}, MONDAY_10 + 50)
    assert exc.value.code == "forbidden_role"                                  # the hall releases


def test_bad_joint_dispatches_are_refused_with_a_reason_and_change_nothing():
    t = _registered()
    for co, match in (([], "非空"), (["d-sj", "d-sj"], "不能重复"), ([3], "不是部门编号"),
                      (["d-cg"], "牵头部门不能同时作为协办部门")):
        with pytest.raises(lifecycle.TransitionError, match=match):
            lifecycle.apply(t, "dispatch", OFFICER, {"department_id": "d-cg", "co_handlers": co}, MONDAY_10)
    with pytest.raises(joint.Refused, match="协办单位 d-xx 不是已知的处置部门"):
        joint.check_dispatch("d-cg", ["d-xx"], DEPTS)
    with pytest.raises(joint.Refused, match="须指定牵头部门") as exc:
        joint.check_dispatch(None, ["d-sj"], DEPTS)
    assert exc.value.code == "missing_param"
    with pytest.raises(joint.Refused, match="牵头部门 d-xx"):
        joint.check_dispatch("d-xx", ["d-sj"], DEPTS)
    joint.check_dispatch("d-cg", ["d-sj", "d-hb"], DEPTS)
    assert t.state == S.REGISTERED and t.co_handlers == ()


def test_a_return_by_the_lead_drops_the_co_handlers():
    t, _ = _joint(("d-sj",))
    t, _ = lifecycle.apply(t, "return", CG, {"reason": "非本单位职责"}, MONDAY_10 + 40)
    assert t.state == S.REGISTERED and t.co_handlers == () and t.department_id is None


def test_two_plus_x_names_the_leads_and_the_joiners():
    leads, joins = joint.two_plus_x(DEPTS)
    assert leads == ["d-cg", "d-ga"] and joins == ["d-sj", "d-hb"]


def test_the_wire_form_is_checked():
    assert joint.wire_problem(None) is None
    assert joint.wire_problem([{"department_id": "d-sj", "state": "answered"}]) is None
    assert joint.wire_problem([{"department_id": "d-sj", "state": "done"}]) is not None
    assert joint.wire_problem("d-sj") is not None


_STEPS = st.sampled_from([
    ("handle", CG, {}), ("feedback", CG, {"result": "已处置"}),
    ("co_feedback", SJ, {"department_id": "d-sj", "result": "已配合"}),
    ("co_feedback", HB, {"department_id": "d-hb", "result": "已配合"}),
    ("release_co", OFFICER, {"department_id": "d-hb", "reason": "无需协办"}),
    ("verify", OFFICER, {"passed": True}), ("verify", OFFICER, {"passed": False}),
    ("second_review", LEADER, {}), ("close", OFFICER_2, {}), ("return", CG, {"reason": "退回"}),
    ("dispatch", OFFICER, {"department_id": "d-cg", "co_handlers": ["d-sj", "d-hb"]}),
    ("suspend", LEADER, {"reason": "挂账"}), ("resume", LEADER, {}), ("urge", OFFICER, {}),
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_STEPS, max_size=14))
def test_no_sequence_verifies_or_closes_with_an_unanswered_co_handler(steps):
    t, _ = _joint(("d-sj", "d-hb"))
    now = MONDAY_10 + 100
    for verb, actor, params in steps:
        now += 60
        try:
            new, ev = lifecycle.apply(t, verb, actor, params, now)
        except lifecycle.TransitionError:
            continue
        # every change is exactly one audit event, numbered by the new version
        assert new.version == t.version + 1 and ev.from_state == t.state and ev.to_state == new.state
        assert ev.event_id == lifecycle._event_id(t.id, new.version) and ev.action == verb
        if new.state in (S.VERIFIED, S.CLOSED) and t.state not in (S.VERIFIED, S.CLOSED):
            assert joint.pending(new) == [], f"{verb} passed with {joint.pending(new)} unanswered"
        if new.state == S.CLOSED:
            assert all(e["state"] in (joint.ANSWERED, joint.RELEASED) for e in new.co_handlers)
        t = new
