"""The audit log's tamper evidence over a store: verify the hash chain, read its head.

The chain rule is ``console.domain.audit_chain``; the rows come from ``localdb.actions``.
``duty-console audit verify`` (console.audit_cmd) and the check at start both call
``verify`` here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from console.domain import audit_chain
from localdb.actions import audit_rows

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from localdb.store import Store


def verify(store: Store) -> tuple[audit_chain.Break | None, audit_chain.Head]:
    """The first broken link of the store's audit log (None when intact) and the head
    of the intact part (count and hash)."""
    with store.session() as s:
        return audit_chain.first_break(audit_rows(s))


def head(session: Session) -> audit_chain.Head:
    """The chain head as it stands (count and last hash), without re-checking the links:
    what the platform receives with the handover."""
    from localdb.journal import raw

    con = raw(session)
    n, last = con.execute("SELECT count(*), max(id) FROM audit_log").fetchone()
    if not n:
        return audit_chain.Head(0, audit_chain.GENESIS)
    h = con.execute("SELECT hash FROM audit_log WHERE id = ?", (last,)).fetchone()[0]
    return audit_chain.Head(int(n), str(h))
