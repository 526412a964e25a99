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
def outages(store: Store) -> list[dict[str, Any]]:
    """Every recorded link outage, oldest first."""
    from localdb import repo_commander

    with store.session() as s:
        return repo_commander.link_outages(s, float("-inf"), float("inf"))


def now() -> float:
    return time.time()
