"""The street's real arrangements differ from the matrix in places, and past cases show it:
the simulator's history is closed by the unit that really handles it, and the console's
suggestion (the same code as the dispatch dialog and ``make bench``) finds it more often
than the responsibility matrix alone."""

from __future__ import annotations

from bench.dispatch import accuracy
from simulator import catalogue


def test_about_one_pair_in_five_is_handled_by_another_unit_than_the_matrix_says():
    depts = catalogue.departments(21)
    pairs = [(c.category.code, f"C{k:02d}") for c in catalogue.CATALOGUE for k in range(12)]
    other = [p for p in pairs if catalogue.actual_handler(21, depts, "D01", *p) != "D01"]
    assert 0.12 < len(other) / len(pairs) < 0.28
    assert catalogue.actual_handler(21, depts, None, *other[0]) is None


def test_past_cases_beat_the_matrix_on_the_platforms_history():
    figures = accuracy(days=15, daily_rate=250, test_tickets=200)
    assert figures["dispatch_tickets_measured"] == 200
    assert figures["dispatch_top1_accuracy"] > figures["dispatch_top1_accuracy_matrix"] + 0.05
