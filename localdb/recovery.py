"""Recovering from a damaged store file.

The damaged file (with its -wal/-shm) is moved aside as ``<name>.corrupt-<timestamp>``
(never deleted: support may want it), the readable unsent outbox entries are copied
into a fresh store, and the feed cursor starts empty so the sync worker rebuilds the
cache from the platform. Tickets created at this workstation and not yet confirmed are
restored from their create command so the officer still sees them.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from localdb import crypto, journal, syncstate
from localdb.actions import recount_pending, write_ticket
from localdb.store import Store

log = logging.getLogger(__name__)

_COLS = ("command_id", "ticket_id", "verb", "params", "expected_version", "actor",
         "issued_at", "status", "result_code", "reason")


@dataclass
class RecoveryReport:
    moved_to: Path
    salvaged_outbox: int = 0
    restored_tickets: int = 0
    errors: list[str] = field(default_factory=list)  # what could not be read

    @property
    def message(self) -> str:
        msg = (f"Damaged store moved to {self.moved_to.name}; {self.salvaged_outbox} unsent "
               f"action(s) kept; the cache is rebuilt from the platform.")
        if self.errors:
            msg += f" Not readable: {'; '.join(self.errors)}"
        return msg


def _aside_name(path: Path) -> Path:
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    return target


def _salvage(damaged: Path, errors: list[str]) -> list[tuple]:
    """Unsent outbox rows readable from the damaged file (row by row past bad pages)."""
    rows: list[tuple] = []
    try:
        con = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        errors.append(f"outbox: {exc}")
        return rows
    try:
        q = (f"SELECT seq, {', '.join(_COLS)} FROM outbox WHERE status IN "
             f"('queued','inflight','needs_attention') AND seq > ? ORDER BY seq")
        last, failures = -1, 0
        while failures < 200:
            try:
                for r in con.execute(q, (last,)):
                    last = r[0]
                    rows.append(r[1:])
                break
            except sqlite3.Error as exc:
                if failures == 0:
                    errors.append(f"outbox after entry {last}: {exc}")
                failures += 1
                last += 1  # step past the unreadable row and read on
    except sqlite3.Error as exc:
        errors.append(f"outbox: {exc}")
    finally:
        con.close()
    return rows


def recover(path: str | Path) -> RecoveryReport:
    path = Path(path)
    target = _aside_name(path)
    if not path.exists():  # nothing to move aside: start a fresh store
        Store.open(path).close()
        return RecoveryReport(moved_to=target, errors=[f"{path.name} did not exist"])
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    report = RecoveryReport(moved_to=target)
    rows = _salvage(target, report.errors)
    log.warning("store %s moved aside to %s; salvaged %d outbox rows", path, target, len(rows))

    store = Store.open(path)
    try:
        now = time.time()
        with store.write() as s:
            con = journal.raw(s)
            tickets: set[str] = set()
            for r in rows:
                d = dict(zip(_COLS, r))
                status = "queued" if d["status"] == "inflight" else d["status"]
                try:
                    con.execute(
                        f"INSERT INTO outbox ({', '.join(_COLS)}, attempts) "
                        f"VALUES ({','.join('?' * len(_COLS))}, 0)",
                        (*r[:7], status, *r[8:]),
                    )
                except sqlite3.Error as exc:
                    report.errors.append(f"outbox {d['command_id']}: {exc}")
                    continue
                report.salvaged_outbox += 1
                tickets.add(d["ticket_id"])
                if d["verb"] == "create":
                    try:
                        write_ticket(s, crypto.loads(d["params"])["ticket"])
                        report.restored_tickets += 1
                    except (KeyError, ValueError, TypeError) as exc:
                        report.errors.append(f"ticket of {d['command_id']}: {exc!r}")
            for tid in tickets:
                recount_pending(s, tid)
            con.execute("UPDATE tickets SET attention=1 WHERE id IN (SELECT ticket_id FROM outbox "
                        "WHERE status='needs_attention')")
            syncstate.reset_cursor(s)
            syncstate.set_value(s, "recovered_from", str(target))
            journal.record_many(s, "ticket", sorted(tickets), now)
            journal.record(s, "outbox", "*", now)
    finally:
        store.close()
    return report
