"""The ``attachments`` table: photos and snapshots kept locally and their upload state
(``pending`` -> ``uploading`` with the offset reached -> ``uploaded`` | ``failed``).

Written by ``console.operations.attachments`` (a new file) and by the sync's uploader
(``console.sync.attachments``); every function runs in the caller's session.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from localdb import journal

QUEUED = ("pending", "uploading")


def queue(session: Session, sha256: str, path: str, size: int, content_type: str, ticket_id: str,
          now: float) -> None:
    """Keep a file for ``ticket_id`` and queue it for upload (once per content hash)."""
    journal.raw(session).execute(
        "INSERT INTO attachments (sha256, path, size, content_type, ticket_id, upload_offset, "
        "state, created_at) VALUES (?,?,?,?,?,0,'pending',?) "
        "ON CONFLICT(sha256) DO UPDATE SET ticket_id=excluded.ticket_id, path=excluded.path",
        (sha256, path, size, content_type, ticket_id, now),
    )
    journal.record(session, "attachment", sha256, now)


def pending(session: Session) -> list[tuple[str, str, int, str]]:
    """(sha256, path, size, content_type) of every queued file, oldest first."""
    rows = session.execute(text(
        "SELECT sha256, path, size, content_type FROM attachments "
        "WHERE state IN ('pending','uploading') ORDER BY created_at, sha256"))
    return [tuple(r) for r in rows]


def depth(session: Session) -> int:
    return int(session.execute(text(
        "SELECT count(*) FROM attachments WHERE state IN ('pending','uploading')")).scalar() or 0)


def set_state(session: Session, sha256: str, state: str, offset: int | None = None) -> None:
    if offset is None:
        session.execute(text("UPDATE attachments SET state=:st WHERE sha256=:h"), {"st": state, "h": sha256})
    else:
        session.execute(text("UPDATE attachments SET state=:st, upload_offset=:o WHERE sha256=:h"),
                  {"st": state, "o": offset, "h": sha256})
