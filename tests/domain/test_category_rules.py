"""自行处置 only for the categories the catalogue marks simple (console.domain.category_rules)."""

from __future__ import annotations

from hypothesis import given, strategies as st

from console.domain import category_rules
from console.domain.lifecycle import TransitionError


@given(name=st.text(max_size=40), simple=st.one_of(st.none(), st.booleans()))
def test_refused_exactly_when_the_catalogue_says_not_simple(name, simple):
    refusal = category_rules.self_handle_refusal(name, simple)
    assert (refusal is not None) == (simple is False)
    if refusal is not None:
        assert refusal.code == "invalid_param"
        assert "不能自行处置" in refusal.message and "简单问题" in refusal.message
        assert (name or "该类别") in refusal.message


def test_check_raises_the_refusal_and_passes_simple_ones():
    category_rules.check_self_handle("暴露垃圾", True)
    category_rules.check_self_handle("暴露垃圾", None)  # catalogue not here yet: the platform decides
    try:
        category_rules.check_self_handle("井盖缺失", False)
    except TransitionError as exc:
        assert "井盖缺失" in exc.message and exc.code == "invalid_param"
    else:
        raise AssertionError("a non-simple category was let through")


@given(dangerous=st.one_of(st.none(), st.booleans()), already=st.booleans())
def test_a_dangerous_category_starts_under_key_supervision(dangerous, already):
    from console.domain.lifecycle import new_ticket
    t = new_ticket(channel="hotline_12345", category_kind="event", category_code="15006",
                   category_name="井盖缺失", description="井盖缺失", address="浦东南路1号",
                   lat=31.2, lon=121.5, created_at=1.8e9).replace(key_supervision=already)
    out = category_rules.at_intake(t, dangerous)
    assert out.key_supervision == (already or dangerous is True)
    assert out.replace(key_supervision=t.key_supervision) == t  # nothing else changes


STANDARD = ["井盖已补齐", "临时警示已撤除或保留至修复", "现场照片与报件位置一致"]


@given(ticked=st.lists(st.sampled_from(STANDARD + ["随便写的"]), max_size=6), passed=st.booleans())
def test_a_verification_passes_only_with_every_item_of_the_standard_ticked(ticked, passed):
    refusal = category_rules.closure_refusal("井盖缺失", STANDARD, passed, ticked)
    ok = not passed or (set(ticked) == set(STANDARD))
    assert (refusal is None) == ok
    if refusal is not None:
        assert refusal.code == "invalid_param" and "井盖缺失" in refusal.message
        missing = [c for c in STANDARD if c not in ticked]
        if "随便写的" not in ticked:
            assert "结案标准" in refusal.message and all(m in refusal.message for m in missing)


def test_no_standard_or_no_catalogue_needs_no_ticks():
    assert category_rules.closure_refusal("暴露垃圾", [], True, None) is None
    assert category_rules.closure_refusal("暴露垃圾", None, True, None) is None  # the platform decides
