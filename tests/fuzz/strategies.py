"""What the fuzz suite throws: NaN, ±inf, ±1e300, out-of-range times, empty and huge
texts, wrong types, nesting."""

from __future__ import annotations

from hypothesis import strategies as st

NASTY_NUMBERS = st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e300, -1e300, -1e12, 1e15,
                                 0, -1, 2**63, -(2**63), 10**30, 0.5, 946_684_799.0, 4_102_444_800.0])
NASTY_TEXTS = st.sampled_from(["", " ", "x" * 10_000, "../../x", "\x00", "NaN", "2026-13-45",
                               "not-a-date", "<xml/>", "😀" * 100, "1e300"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10**20), max_value=10**20),
                    st.floats(), NASTY_NUMBERS, NASTY_TEXTS, st.text(max_size=30))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def overrides(keys: list[str], extra: tuple[str, ...] = ("surprise",)) -> st.SearchStrategy[dict]:
    """1..3 fields of a valid object replaced by anything."""
    return st.dictionaries(st.sampled_from([*keys, *extra]), VALUES, min_size=1, max_size=3)
