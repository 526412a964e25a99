"""The command chain: 指挥长 → 常务副指挥长 → 副指挥长, who holds command at every moment."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import command as C
from console.domain.model import Action, Actor, Role
from console.domain.authz import why_not
from console.domain.roster import SHANGHAI, RosterEntry, swap

D = dt.date(2026, 11, 23)
T0 = dt.datetime(2026, 11, 23, 7, tzinfo=SHANGHAI).timestamp()   # start of the duty date
HOUR = 3600.0


def chain(date=D, commander="c", executive="x", deputy="d"):
    out = []
    for role, pid in ((C.COMMANDER, commander), (C.EXECUTIVE_DEPUTY, executive), (C.DEPUTY, deputy)):
        if pid:
            out.append(RosterEntry(f"{date}:{role}", date, "all", role, pid, name=pid.upper()))
    return out


def login(pid, at, ws="ws1"):
    return C.Mark(pid, at, C.LOGIN, ws)


def logout(pid, at, ws="ws1"):
    return C.Mark(pid, at, C.LOGOUT, ws)


def test_the_rostered_commander_holds_command_while_on_post():
    h = C.holder(chain(), [login("c", T0), login("x", T0)], T0 + HOUR)
    assert isinstance(h, C.Holder) and h.person_id == "c" and not h.acting
    assert h.authority == "指挥长"


def test_off_post_passes_command_to_the_executive_deputy_then_the_deputy():
    marks = [login("c", T0), login("x", T0), login("d", T0), C.Mark("c", T0 + HOUR, C.OFF_POST)]
    h = C.holder(chain(), marks, T0 + 2 * HOUR)
    assert (h.person_id, h.role, h.acting) == ("x", C.EXECUTIVE_DEPUTY, True)
    assert h.authority == "代行指挥长职责（常务副指挥长）" and h.commander_name == "C"
    marks.append(C.Mark("x", T0 + 3 * HOUR, C.HANDOVER, to="d"))
    h = C.holder(chain(), marks, T0 + 4 * HOUR)
    assert (h.person_id, h.role) == ("d", C.DEPUTY)
    marks.append(C.Mark("c", T0 + 5 * HOUR, C.ON_POST))  # back: command returns to the commander
    assert C.holder(chain(), marks, T0 + 5 * HOUR).person_id == "c"


def test_not_logged_in_anywhere_for_the_grace_passes_command_on():
    marks = [login("c", T0, "ws1"), login("c", T0, "ws2"), login("x", T0),
             logout("c", T0 + HOUR, "ws1")]
    assert C.holder(chain(), marks, T0 + 2 * HOUR).person_id == "c"   # still at ws2
    marks.append(logout("c", T0 + 2 * HOUR, "ws2"))
    assert C.holder(chain(), marks, T0 + 2 * HOUR + 60, absent_after_s=600).person_id == "c"
    h = C.holder(chain(), marks, T0 + 2 * HOUR + 601, absent_after_s=600)
    assert h.person_id == "x" and h.acting


def test_nobody_available_is_a_visible_gap_naming_each_reason():
    marks = [login("c", T0), C.Mark("c", T0 + 1, C.OFF_POST)]
    g = C.holder(chain(deputy=""), marks, T0 + HOUR)
    assert isinstance(g, C.CommandGap)
    assert dict(g.reasons) == {C.COMMANDER: "已离岗", C.EXECUTIVE_DEPUTY: "未登录", C.DEPUTY: "未排班"}
    assert "当前无人持有指挥权" in g.message and "常务副指挥长未登录" in g.message


def test_yesterdays_off_post_does_not_keep_todays_commander_out():
    marks = [login("c", T0 - 10 * HOUR), C.Mark("c", T0 - 9 * HOUR, C.OFF_POST)]
    assert C.holder(chain(), marks, T0 + 60).person_id == "c"


def test_the_night_after_midnight_belongs_to_the_duty_date_it_started():
    night = dt.datetime(2026, 11, 24, 2, tzinfo=SHANGHAI).timestamp()
    h = C.holder(chain() + chain(dt.date(2026, 11, 24), "c2", "x2", "d2"), [login("c", T0)], night)
    assert h.person_id == "c" and h.date == D


def test_a_swap_moves_the_chain_role_to_the_new_person():
    entries = chain()
    entries.append(swap(entries[0], person_id="c9", name="C9", created_at=1.0, created_by="l",
                        reason="出差"))
    h = C.holder(entries, [login("c", T0), login("c9", T0)], T0 + HOUR)
    assert h.person_id == "c9"


def test_decision_by_a_non_holder_is_refused_with_who_holds_command():
    h = C.holder(chain(), [login("c", T0), login("x", T0)], T0 + HOUR)
    deputy = Actor("x", "X", Role.COMMANDER, "ws2")
    r = why_not(deputy, Action.INSTRUCT, None, command=h)
    assert r is not None and r.code == "no_command_authority" and "指挥长C" in r.message
    assert why_not(Actor("c", "C", Role.COMMANDER), Action.INSTRUCT, None, command=h) is None
    gap = C.holder(chain(), [], T0 + HOUR)
    assert why_not(Actor("c", "C", Role.COMMANDER), "instruct", None, command=gap).code == \
        "no_command_authority"
    # a shift leader's extension verdict is not a command decision; a commander's is
    leader = Actor("l", "L", Role.SHIFT_LEADER)
    assert why_not(leader, Action.APPROVE_EXTENSION, None, command=gap) is None
    assert why_not(deputy, Action.APPROVE_EXTENSION, None, command=h).code == "no_command_authority"


def test_roster_problems_say_what_to_fix():
    assert C.roster_problems(chain(), [D]) == []
    assert C.roster_problems([], [D]) == ["2026-11-23：指挥体系无人排班，请至少安排指挥长"]
    two = chain() + [RosterEntry("extra", D, "all", C.COMMANDER, "c2", name="C2")]
    assert C.roster_problems(two, [D]) == ["2026-11-23：指挥长排了2人，每天只能一人"]
    same = chain(executive="c")
    assert C.roster_problems(same, [D]) == ["2026-11-23：c同时担任指挥长、常务副指挥长，请换人"]


# -- property: at every moment exactly one holder, or a visible gap --------------------------

PEOPLE = ("p1", "p2", "p3", "p4")
mark_st = st.builds(
    C.Mark, person_id=st.sampled_from(PEOPLE), at=st.floats(T0 - 2 * HOUR, T0 + 24 * HOUR),
    event=st.sampled_from(C.EVENTS), workstation=st.sampled_from(("ws1", "ws2")))
roster_st = st.tuples(*(st.sampled_from(("",) + PEOPLE) for _ in C.CHAIN))


def oracle_available(pid, marks, now, absent_after):
    """An independent statement of the rule: post marks of the duty date; logged in at
    some workstation, or out of the last one for less than the grace."""
    mine = sorted((m for m in marks if m.person_id == pid and m.at <= now), key=lambda m: m.at)
    post = [m for m in mine if m.event in C.POST_EVENTS and m.at >= T0]
    if post and post[-1].event in (C.OFF_POST, C.HANDOVER):
        return False
    last = {}
    for m in mine:
        if m.event in (C.LOGIN, C.LOGOUT):
            last[m.workstation] = m
    if any(m.event == C.LOGIN for m in last.values()):
        return True
    return bool(last) and now - max(m.at for m in last.values()) < absent_after


@settings(max_examples=200, deadline=None)
@given(roster=roster_st, marks=st.lists(mark_st, max_size=25),
       moments=st.lists(st.floats(T0, T0 + 24 * HOUR - 1), min_size=1, max_size=8),
       absent_after=st.sampled_from((0.0, 300.0, 3600.0)))
def test_every_moment_has_exactly_one_holder_or_a_visible_gap(roster, marks, moments, absent_after):
    entries = chain(commander=roster[0], executive=roster[1], deputy=roster[2])
    for now in moments:
        h = C.holder(entries, marks, now, absent_after_s=absent_after)
        assert isinstance(h, (C.Holder, C.CommandGap))
        ranked = [(role, pid) for role, pid in zip(C.CHAIN, roster)]
        avail = [(role, pid) for role, pid in ranked if pid and oracle_available(pid, marks, now, absent_after)]
        if avail:
            # the first available in chain order holds, and only they may decide
            assert isinstance(h, C.Holder) and (h.role, h.person_id) == avail[0]
            assert h.acting == (h.role != C.COMMANDER)
            for pid in PEOPLE:
                ok = C.refusal(h, pid) is None
                assert ok == (pid == h.person_id)
        else:
            assert isinstance(h, C.CommandGap)
            assert [r for r, _ in h.reasons] == list(C.CHAIN)   # every role says why
            assert all(C.refusal(h, pid) for pid in PEOPLE)
