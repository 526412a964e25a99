"""PIN check cost: one argon2id guess with the console's parameters (issue 17).

``pin_verify_ms`` is the median of a few full checks (``console.domain.auth.check`` of
a right PIN against an argon2id verifier): what an officer waits at login and what
every guess costs someone holding a copied disk. Target 100..500 ms.
"""

from __future__ import annotations

import statistics
import time

from console.domain import auth


def run(rounds: int = 7, tiny: bool = False) -> dict[str, float]:
    if tiny:
        rounds = 1
    verifier = auth.make_verifier("482916")
    times, cpu = [], []
    for _ in range(rounds):
        t, c = time.perf_counter(), time.process_time()
        res = auth.check(verifier, "bench", "482916")
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.process_time() - c) * 1000)
        assert res.ok
    p = auth.DEFAULT_PARAMS
    ms, cpu_ms = statistics.median(times), statistics.median(cpu)
    return {"pin_verify_ms": round(ms, 1),
            # the CPU one guess costs (what an attacker pays; the wall time above also
            # holds the waits of a busy machine)
            "pin_verify_cpu_ms": round(cpu_ms, 1),
            "pin_kdf_memory_mib": p.memory_kib / 1024, "pin_kdf_passes": p.time_cost,
            # the whole six-digit PIN space on one core of this machine, for the report
            "pin_six_digit_bruteforce_days_1core": round(1e6 * cpu_ms / 1000 / 86400, 1)}
