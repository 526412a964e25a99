"""Swap refusals (``console.domain.roster.swap_refusal``) over random rosters."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from console.domain import roster as R

DAY = dt.date(2026, 11, 22)
PEOPLE = [f"p{i}" for i in range(6)]
SLOTS = [("all", R.COMMANDER), ("all", R.EXECUTIVE_DEPUTY), ("day", R.SHIFT_LEADER), ("day", R.OFFICER),
         ("evening", R.SHIFT_LEADER), ("evening", R.OFFICER)]


@st.composite
def rosters(draw):
    people = draw(st.lists(st.sampled_from(PEOPLE), min_size=len(SLOTS), max_size=len(SLOTS)))
    return [R.RosterEntry(f"e{i}", DAY, shift, role, p) for i, ((shift, role), p) in enumerate(zip(SLOTS, people))]


@given(entries=rosters(), slot=st.integers(0, len(SLOTS) - 1), person=st.sampled_from([*PEOPLE, "stranger"]))
def test_a_swap_is_allowed_exactly_when_it_empties_nothing(entries, slot, person):
    old = entries[slot]
    why = R.swap_refusal(entries, old, person, PEOPLE)
    if person == old.person_id:
        assert why is not None and "自己" in why
        return
    if person not in PEOPLE:
        assert why is not None and "名单" in why
        return
    new = R.swap(old, person_id=person, created_at=1.0, created_by="t", reason="")
    after = [*entries, new]
    # the swap would leave the person two slots of one shift: one of them is unmanned
    doubled = any(e.id != new.id and e.person_id == person and e.shift == old.shift for e in after)
    assert (why is not None) == doubled
    if why is None:  # an allowed swap never opens a gap in command or crew coverage
        assert set(R.gaps(after, DAY, 1)) <= set(R.gaps(entries, DAY, 1))
        assert R.on_duty(after, dt.datetime(2026, 11, 22, 8, tzinfo=R.SHANGHAI)).people()


def test_messages_say_what_to_fix():
    entries = [R.RosterEntry("a", DAY, "day", R.SHIFT_LEADER, "lee", "李"),
               R.RosterEntry("b", DAY, "day", R.OFFICER, "zhao", "赵")]
    assert R.swap_refusal(entries, entries[0], "zhao", ["lee", "zhao"]) == \
        "赵 当班已担任值班员，调班会让值班员无人：请先为该岗位安排他人"
    assert R.swap_refusal(entries, entries[0], "  ", ["lee"]) == "请填写接替人员"
    assert R.swap_refusal(entries, entries[1], "lee", ["lee", "zhao"]).startswith("李 当班已担任值班长")
