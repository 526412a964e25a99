"""Posts (岗位): which posts an account may take, and what each post opens with and offers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from console.domain import posts
from console.domain.model import Action, Role


def test_an_officer_may_not_take_the_shift_leader_post():
    assert posts.check(Role.OFFICER, "hotline") == "hotline"
    with pytest.raises(posts.PostRefused) as refused:
        posts.check(Role.OFFICER, "shift_leader")
    assert "shift leader account" in str(refused.value)
    assert posts.check(Role.SHIFT_LEADER, "shift_leader") == "shift_leader"
    assert posts.posts_for(Role.SHIFT_LEADER)[0] == "shift_leader"
    assert posts.posts_for(Role.DEPARTMENT) == ()


def test_an_unknown_post_is_refused_with_the_choices():
    with pytest.raises(posts.PostRefused) as refused:
        posts.check(Role.OFFICER, "canteen")
    assert "hotline" in str(refused.value) and "canteen" in str(refused.value)


def test_each_post_opens_on_its_own_tabs():
    assert posts.default_tabs("shift_leader")[0] == "needs_commander"
    assert posts.default_tabs("hotline")[0] == "pending"
    assert posts.default_tabs("technician") == ("mine",)
    assert posts.default_tabs(None) == ()


def test_the_technician_only_annotates_and_the_hotline_does_not_go_on_site():
    assert posts.offered("technician", ["accept", "annotate", "dispatch"]) == ["annotate"]
    assert not posts.allowed("hotline", "self_handle")
    assert posts.allowed("grid", "self_handle")
    assert posts.allowed("", "self_handle")  # no post chosen: nothing held back


@given(role=st.sampled_from([Role.OFFICER, Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN]),
       post=st.sampled_from(posts.POSTS), action=st.sampled_from([a.value for a in Action]))
def test_every_post_an_account_may_take_is_checked_and_knows_its_tabs(role, post, action):
    if post in posts.posts_for(role):
        assert posts.check(role, post) == post
        assert posts.default_tabs(post)  # every post opens somewhere
    else:
        with pytest.raises(posts.PostRefused):
            posts.check(role, post)
    # what a post offers is a subset of what the desk without a post offers
    assert not posts.allowed(post, action) or posts.allowed(None, action)
    assert posts.offered(post, [action]) == ([action] if posts.allowed(post, action) else [])
