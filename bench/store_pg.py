"""The queue's own query on a 1M-ticket hall store (PostgreSQL):
``bench.store.queue_query_p95_ms_1m_pg``. An area of its own so that it runs (and
fails) apart from the desk's SQLite figures; ``run()`` returns the figures for
``python -m bench``."""

from __future__ import annotations

from bench.store import queue_query_p95_ms_1m_pg


def run(tiny: bool = False) -> dict[str, float]:
    return queue_query_p95_ms_1m_pg(3_000 if tiny else 1_000_000, rounds=1 if tiny else 2)


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
