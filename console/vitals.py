"""The street's vital signs (城市体征): live indicators from the tickets and the IoT devices.

One read snapshot, off the UI thread: ticket figures from ``localdb.stats`` (the same
limit-state rule as the queue), device figures from ``localdb.repo_devices``; the
thresholds and colours are the domain's (``console.domain.devices.vital_signs``).
"""

from __future__ import annotations

from typing import Any

from console.domain import devices
from localdb import Store, repo_devices, stats


def compute(store: Store, now: float, lead_s: float = stats.WARNING_LEAD_S) -> list[devices.Indicator]:
    fig = stats.compute(store, now, lead_s)
    with store.session() as s:
        counts: dict[str, Any] = repo_devices.device_counts(s)
    counts.update(tickets_open=float(sum(fig.open_by_state.values())), tickets_overdue=float(fig.overdue),
                  on_time_rate_today=fig.total("today").on_time_rate)
    return devices.vital_signs(counts)
