"""The few store operations the sync workers use, in one place.

Thin calls into ``localdb.feed`` / ``localdb.outbox`` / ``localdb.syncstate`` so the
workers read as sync logic and the store's exact spelling is confined here.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from localdb import feed as _feed
from localdb import outbox as _outbox
from localdb import syncstate as _syncstate

if TYPE_CHECKING:
    from localdb.store import Store


# -- feed -------------------------------------------------------------------------
def get_cursor(store: Store) -> str:
    with store.session() as s:
        return _syncstate.cursor(s)


def reset_cursor(store: Store) -> None:
    """Forget the cursor (and bootstrap marks); the outbox stays untouched."""
    with store.write() as s:
        _syncstate.reset_cursor(s)


def bootstrap_pending(store: Store) -> bool:
    with store.session() as s:
        return _syncstate.get_value(s, _syncstate.BOOTSTRAP) != "done" or not _syncstate.cursor(s)


def set_bootstrap(store: Store, done: bool, applied: int) -> None:
    with store.write() as s:
        _syncstate.set_value(s, _syncstate.BOOTSTRAP_PROGRESS, str(applied))
        if done:
            _syncstate.set_value(s, _syncstate.BOOTSTRAP, "done")


def apply_changes(store: Store, changes: list[dict[str, Any]], next_cursor: str) -> Any:
    return _feed.apply_changes(store, changes, next_cursor)


def report_counts(report: Any, n: int) -> tuple[int, int]:
    """(applied, quarantined) from apply_changes' report, whatever its shape."""
    def get(name: str, default: int) -> int:
        if isinstance(report, dict):
            v = report.get(name, default)
        else:
            v = getattr(report, name, default)
        if isinstance(v, (list, tuple, set)):
            v = len(v)
        return int(v or 0)

    quarantined = get("quarantined", 0)
    applied = get("applied", n - quarantined)
    return applied, quarantined


# -- outbox -----------------------------------------------------------------------
def outbox_next_batch(store: Store, limit: int) -> list[dict[str, Any]]:
    with store.session() as s:
        return list(_outbox.next_batch(s, limit))


def outbox_mark_inflight(store: Store, command_ids: list[str]) -> None:
    with store.write() as s:
        _outbox.mark_inflight(s, command_ids)


def outbox_apply_results(store: Store, results: list[dict[str, Any]]) -> Any:
    return _outbox.apply_results(store, results)


def outbox_depth(store: Store) -> int:
    with store.session() as s:
        return int(_outbox.depth(s))


def needs_attention(store: Store) -> list[dict[str, Any]]:
    with store.session() as s:
        return list(_outbox.needs_attention(s))


def command_of(entry: dict[str, Any]) -> dict[str, Any]:
    """The wire Command (docs/CONTRACT.md) of one outbox entry."""
    return _outbox.to_command(entry)


# -- link outages -----------------------------------------------------------------
def record_outage(store: Store, outage: Any) -> int:
    """Insert the outage (open while ``end`` is None); returns its row id."""
    from localdb.models import LinkOutage

    with store.write() as s:
        row = LinkOutage(
            started_at=outage.start,
            ended_at=outage.end,
            reason=f"{outage.reason} (queued at start: {outage.queued_at_start})"[:500],
            queued_at_end=outage.queued_at_end,
        )
        s.add(row)
        s.flush()
        return int(row.id)


def end_outage(store: Store, row_id: int, outage: Any) -> None:
    from localdb.models import LinkOutage

    with store.write() as s:
        row = s.get(LinkOutage, row_id)
        if row is not None:
            row.ended_at = outage.end
            row.queued_at_end = outage.queued_at_end


def outages(store: Store) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from localdb.models import LinkOutage

    with store.session() as s:
        rows = s.scalars(select(LinkOutage).order_by(LinkOutage.started_at)).all()
        return [{"started_at": r.started_at, "ended_at": r.ended_at, "reason": r.reason,
                 "queued_at_end": r.queued_at_end} for r in rows]


def now() -> float:
    return time.time()
