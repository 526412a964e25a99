"""Fixtures of the hall tests: a real simulator on loopback (PostgreSQL: tests/pg.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    from simulator.testing import running_simulator

    with running_simulator(tmp_path_factory.mktemp("platform"), seed=16, history_days=0.3,
                           traffic=False) as s:
        yield s
