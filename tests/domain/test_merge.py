"""并案 in the lifecycle: a duplicate report follows its main ticket and closes with it;
undoing it is possible until then."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import lifecycle
from console.domain.model import TicketState as S
from tests.domain.helpers import DISTRICT, LEADER, MONDAY_10, OFFICER, SYSTEM, make_ticket

MAIN = "00000000-0000-4000-8000-00000000aaaa"


def _merged(**kw):
    t = make_ticket(**kw)
    return lifecycle.apply(t, "merge", OFFICER, {"main_id": MAIN, "note": "同一棵倒树"}, MONDAY_10 + 60)


def test_merge_pauses_the_duplicate_and_undo_brings_it_back():
    t, ev = _merged()
    assert t.state == S.SUSPENDED and t.duplicate_of == MAIN and t.resume_state == S.PENDING
    assert ev.params == {"main_id": MAIN, "note": "同一棵倒树"}
    assert "撤销并案" in (lifecycle.why_not(t, "resume", LEADER) or "")   # only undo brings it back
    back, _ = lifecycle.apply(t, "unmerge", OFFICER, {}, MONDAY_10 + 120)
    assert back.state == S.PENDING and back.duplicate_of is None


def test_it_closes_with_the_main_and_with_its_outcome():
    t, _ = _merged()
    done, ev = lifecycle.apply(t, "close_with_main", SYSTEM, {"main_id": MAIN, "on_time": False}, MONDAY_10 + 999)
    assert done.state == S.CLOSED and done.closed_on_time is False and done.closed_at == MONDAY_10 + 999
    assert lifecycle.why_not(done, "unmerge", OFFICER) is not None          # too late to undo
    with pytest.raises(lifecycle.TransitionError, match="主单与并案记录不符"):
        lifecycle.apply(t, "close_with_main", DISTRICT, {"main_id": "other"}, MONDAY_10 + 999)
    with pytest.raises(lifecycle.TransitionError) as exc:
        lifecycle.apply(t, "close_with_main", OFFICER, {"main_id": MAIN}, MONDAY_10 + 999)
    assert exc.value.code == "forbidden_role"                               # the platform's, not a desk's


def test_what_cannot_be_merged_says_why():
    t = make_ticket()
    with pytest.raises(lifecycle.TransitionError, match="并入它自己"):
        lifecycle.apply(t, "merge", OFFICER, {"main_id": t.id}, MONDAY_10)
    merged, _ = _merged()
    assert lifecycle.why_not(merged, "merge", OFFICER) is not None         # once is enough
    main = make_ticket(id=MAIN).replace(state=S.CLOSED)
    with pytest.raises(lifecycle.TransitionError, match="已结案，不能再并入"):
        lifecycle.check_main(t.id, main, MAIN)
    with pytest.raises(lifecycle.TransitionError, match="本身已并入另一工单"):
        lifecycle.check_main(t.id, make_ticket(id=MAIN).replace(duplicate_of="x"), MAIN)
    with pytest.raises(lifecycle.TransitionError, match="不存在"):
        lifecycle.check_main(t.id, None, MAIN)
    lifecycle.check_main(t.id, make_ticket(id=MAIN), MAIN)                   # an open main: fine


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(["merge", "unmerge", "close_with_main", "urge", "annotate"]), max_size=8))
def test_no_sequence_leaves_a_closed_duplicate_or_an_unmerged_follower(steps):
    t, now = make_ticket(), MONDAY_10
    for verb in steps:
        now += 60
        who = SYSTEM if verb == "close_with_main" else OFFICER
        params = {"main_id": MAIN} if verb in ("merge", "close_with_main") else {}
        if verb == "annotate":
            params = {"text": "x"}
        try:
            t, _ = lifecycle.apply(t, verb, who, params, now)
        except lifecycle.TransitionError:
            continue
        if t.state == S.SUSPENDED:
            assert t.duplicate_of == MAIN                   # paused only by the merge here
        if t.duplicate_of is None:
            assert t.state != S.SUSPENDED
        if t.state == S.CLOSED:
            assert t.duplicate_of == MAIN and t.deadline is None


def test_undoing_a_merge_made_before_registration_gives_the_full_time_limit():
    t, _ = _merged()
    back, _ = lifecycle.apply(t, "unmerge", OFFICER, {}, MONDAY_10 + 86400)   # a day merged
    assert back.suspended_seconds == 0.0
    acc, _ = lifecycle.apply(back, "accept", OFFICER, {}, MONDAY_10 + 86460)
    reg, _ = lifecycle.apply(acc, "register", OFFICER, {}, MONDAY_10 + 86520)
    assert reg.deadline == reg.clock_start + reg.limit_hours * 3600
