"""The one safe formatter: never raises, never shows an unformatted value."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from console.domain import formatting as F

JUNK = [float("nan"), float("inf"), -float("inf"), 1e300, -1e300, -1e12, 1e15, None, "", "x",
        "1700000000", [], {}, True, 10 ** 400]


def test_plausible_instants_are_formatted_in_shanghai_time():
    assert F.format_epoch(1_700_000_000) == "2023-11-15 06:13"
    assert F.format_clock(1_700_000_000.9) == "06:13:20"
    assert F.format_epoch(1_700_000_000, "%m-%d %H:%M") == "11-15 06:13"


def test_junk_instants_show_the_placeholder():
    for v in JUNK:
        assert F.format_epoch(v) == F.PLACEHOLDER, v
        assert F.format_clock(v) == "--:--:--", v
        assert F.to_datetime(v) is None
    assert F.format_epoch(F.MIN_EPOCH - 1) == F.PLACEHOLDER
    assert F.format_epoch(F.MAX_EPOCH) == F.PLACEHOLDER


def test_time_left_in_both_languages():
    assert F.format_time_left(2 * 3600 + 15 * 60 + 30) == "剩余 2小时15分"
    assert F.format_time_left(-3 * 3600) == "超时 3小时"
    assert F.format_time_left(-3 * 3600, lang="en") == "3 h overdue"
    assert F.format_time_left(90, lang="en") == "1 min left"
    assert F.format_time_left(26 * 3600) == "剩余 1天2小时"
    assert F.format_time_left(1e300) == "剩余 100天"
    for v in (float("nan"), float("inf"), None, "3", True):
        assert F.format_time_left(v) == F.PLACEHOLDER


def test_numbers():
    assert F.format_number(3.14159, 2) == "3.14"
    assert F.format_int(42.9) == "42"
    for v in JUNK:
        if v in ("1700000000",):
            continue
        assert F.format_number(v) == F.PLACEHOLDER, v
        assert F.format_int(v) == F.PLACEHOLDER, v


anything = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-10 ** 30, max_value=10 ** 30),
    st.text(max_size=20), st.none(), st.booleans(), st.lists(st.integers(), max_size=3))


@settings(max_examples=300, derandomize=True, deadline=None)
@given(anything)
def test_never_raises_and_never_shows_raw(value):
    for text in (F.format_epoch(value), F.format_clock(value), F.format_time_left(value),
                 F.format_time_left(value, lang="en"), F.format_number(value, 1), F.format_int(value),
                 F.format_duration(value)):
        assert isinstance(text, str) and text
        assert "nan" not in text.lower() and "inf" not in text.lower() and "e+" not in text
    f = F.plausible_epoch(value)
    assert f is None or (math.isfinite(f) and F.MIN_EPOCH <= f < F.MAX_EPOCH)
