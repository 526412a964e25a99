"""Camera access by information-security level (按照信息安全分级)."""

from __future__ import annotations

from console.domain import cameras as C


def cam(level=None, source="street"):
    d = {"id": "C", "source": source}
    if level is not None:
        d["security_level"] = level
    return d


def test_roles_see_up_to_their_clearance():
    assert C.refusal(cam(2), "officer") is None
    assert "3级" in C.refusal(cam(3), "officer") and "2级" in C.refusal(cam(3), "officer")
    assert C.refusal(cam(3), "shift_leader") is None and C.refusal(cam(3), "commander") is None
    assert C.refusal(cam(2), "nobody-role") is not None           # an unknown role is cleared for nothing


def test_the_wall_with_no_officer_shows_public_cameras_only():
    assert C.refusal(cam(1), None) is None
    assert C.refusal(cam(2), None) is not None


def test_unlabelled_or_odd_levels_count_as_internal():
    for odd in (None, 0, 7, "3", 2.5, True):
        c = cam(odd)
        assert not C.labelled(c) and C.level_of(c) == 2
    assert C.refusal(cam(None), "officer") is None and C.refusal(cam(None), None) is not None


def test_police_cameras_are_restricted_and_can_be_kept_to_posts():
    assert C.is_restricted(cam(1, "police")) and C.is_restricted(cam(3)) and not C.is_restricted(cam(2))
    policy, why = C.policy_from({"clearance": {"officer": 3}, "police_posts": ["值班长"]})
    assert why is None
    assert C.refusal(cam(3, "police"), "officer", "热线", policy) is not None
    assert C.refusal(cam(3, "police"), "officer", "值班长", policy) is None
    assert C.visible([cam(3, "police"), cam(1)], "officer", "热线", policy) == [cam(1)]


def test_a_malformed_policy_keeps_the_default_and_says_why():
    for bad in (None, [], {"clearance": {"officer": 9}}, {"clearance": {"officer": "3"}},
                {"police_posts": "值班长"}, {"clearance": ["officer"]}):
        policy, why = C.policy_from(bad)
        assert policy == C.DEFAULT_POLICY and why
