"""The fuzz suite (issue 14): hypothesis against the real simulator, the real feed
applier, the real pusher and the real client.

Seeded and short in ``make test`` (profile ``ci``: derandomized, a few dozen examples
per target); ``make fuzz`` runs the same targets long (profile ``fuzz``, random seeds,
``FUZZ_EXAMPLES`` examples each, default 1000). A failure prints the example that
broke; hypothesis keeps it in .hypothesis/ and tries it first next time.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 25)), derandomize=True,
                          deadline=None, suppress_health_check=list(HealthCheck), print_blob=True)
settings.register_profile("fuzz", max_examples=int(os.environ.get("FUZZ_EXAMPLES", 1000)), deadline=None,
                          suppress_health_check=list(HealthCheck), print_blob=True)
PROFILE = os.environ.get("FUZZ_PROFILE", "ci")


@pytest.fixture(scope="session")
def fsim(tmp_path_factory):
    from simulator.testing import running_simulator

    with running_simulator(tmp_path_factory.mktemp("fuzz-platform"), seed=5, history_days=0.25,
                           daily_rate=300, traffic=False) as s:
        yield s


@pytest.fixture(scope="session")
def empty_store(tmp_path_factory):
    """A migrated empty store file, copied per example (migrating is the slow part)."""
    from localdb import Store

    path = tmp_path_factory.mktemp("fuzz-template") / "template.sqlite3"
    Store.open(path).close()
    return path
