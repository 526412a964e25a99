"""The audit log's hash chain: each entry's hash covers its content and the hash before it.

``link(prev, entry)`` is the hash of one entry; ``first_break(rows)`` walks a store's
entries in order and names the first one whose link does not hold (an edited row has a
hash that no longer matches its content; a deleted row leaves the next one pointing at
a hash that is not its predecessor's). The head (count and last hash) goes to the
platform with every handover, so even cutting off the newest rows is found there.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, Iterable

GENESIS = "0" * 64
FIELDS = ("id", "at", "actor_id", "actor", "action", "ticket_id", "details")


def link(prev: str, entry: dict[str, Any]) -> str:
    body = json.dumps([prev, *(entry.get(f) for f in FIELDS)], ensure_ascii=False,
                      separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Break:
    entry_id: int
    problem: str  # "edited" | "missing_before" | "bad_prev"

    def describe(self) -> str:
        return {"edited": f"audit entry {self.entry_id} was changed after it was written",
                "missing_before": f"an audit entry before {self.entry_id} was removed",
                "bad_prev": f"audit entry {self.entry_id} does not follow the one before it"}[self.problem]


@dataclass(frozen=True, slots=True)
class Head:
    count: int
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {"count": self.count, "hash": self.hash}

    @classmethod
    def from_dict(cls, d: Any) -> Head:
        """A head from the wire; ValueError naming what is wrong with it."""
        if not isinstance(d, dict) or set(d) != {"count", "hash"}:
            raise ValueError("audit_head must be {count, hash}")
        n, h = d["count"], d["hash"]
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError("audit_head.count must be a whole number, 0 or more")
        if not isinstance(h, str) or len(h) != 64 or any(c not in "0123456789abcdef" for c in h):
            raise ValueError("audit_head.hash must be 64 hex digits")
        if (n == 0) != (h == GENESIS):
            raise ValueError("audit_head: an empty chain has the genesis hash, and only it")
        return cls(n, h)

    def regressed_from(self, earlier: Head) -> str | None:
        """Why this head cannot follow ``earlier`` of the same store (a chain only grows), or None."""
        if self.count < earlier.count:
            return f"the audit log shrank from {earlier.count} to {self.count} entries"
        if self.count == earlier.count and self.hash != earlier.hash:
            return f"the audit log's {self.count} entries are not the ones reported before"
        return None


def first_break(rows: Iterable[dict[str, Any]]) -> tuple[Break | None, Head]:
    """The first broken link (or None) and the head of the intact part."""
    prev, n = GENESIS, 0
    for r in rows:
        if r["prev_hash"] != prev:
            # a removed predecessor is the usual cause; say so when the pointer is a real hash
            problem = "missing_before" if len(r["prev_hash"]) == 64 else "bad_prev"
            return Break(int(r["id"]), problem), Head(n, prev)
        if link(prev, r) != r["hash"]:
            return Break(int(r["id"]), "edited"), Head(n, prev)
        prev, n = r["hash"], n + 1
    return None, Head(n, prev)
