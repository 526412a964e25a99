"""督办 by level: a level needs a target; a district-level one reaches the commander."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from console.domain import lifecycle
from console.domain.lifecycle import TransitionError
from tests.localdb.helpers import NOW, OFFICER, ticket


def test_district_urge_reaches_the_commander_and_street_urge_does_not():
    t = ticket(1, state="dispatched")
    d, ev = lifecycle.apply(t, "urge", OFFICER, {"level": "district", "target": "上钢城管中队"}, NOW)
    assert d.needs_commander and d.commander_reason == "urge_district" and d.urge_count == 1
    assert ev.params["target"] == "上钢城管中队"
    s, _ = lifecycle.apply(t, "urge", OFFICER, {"level": "street", "target": "上钢城管中队"}, NOW)
    assert not s.needs_commander and s.urge_count == 1


@given(level=st.one_of(st.none(), st.sampled_from(["street", "district"]), st.text(max_size=8)),
       target=st.one_of(st.none(), st.just("上钢城管中队")))
def test_bad_levels_and_missing_targets_are_refused_and_change_nothing(level, target):
    t = ticket(1, state="dispatched")
    params = {"level": level, "target": target}
    ok = (level is None and target is None) or (level in ("street", "district") and target is not None)
    if ok:
        assert lifecycle.apply(t, "urge", OFFICER, params, NOW)[0].urge_count == 1
    else:
        with pytest.raises(TransitionError) as err:
            lifecycle.apply(t, "urge", OFFICER, params, NOW)
        assert err.value.code in ("invalid_param", "missing_param") and "督办" in err.value.message
