"""Attaching an image (a video snapshot) to a ticket.

The image is content-addressed: it is written once under ``<store dir>/attachments``
by its SHA-256, recorded in the ``attachments`` table with state ``pending`` (the
upload queue the sync engine drains with resumable PUTs, docs/CONTRACT.md
"Attachments"), and noted on the ticket's timeline with an ``annotate`` action that
goes to the platform through the outbox. One write transaction; Qt-free.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from console.domain import lifecycle
from console.domain.model import Action, Actor, Ticket
from console.operations._common import TicketNotFound
from localdb import Store, actions, attachments, repo


def attachments_dir(store: Store) -> Path:
    return Path(store.path).parent / "attachments"


def _save(directory: Path, sha: str, data: bytes, suffix: str) -> Path:
    path = directory / sha[:2] / f"{sha}{suffix}"
    if path.exists() and path.stat().st_size == len(data):
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def attach_snapshot(store: Store, actor: Actor, ticket_id: str, png_bytes: bytes, now: float,
                    caption: str = "") -> Ticket:
    """Store ``png_bytes`` for ``ticket_id`` and queue it for upload.

    Returns the ticket after the timeline note. Raises ``TicketNotFound`` for an unknown
    ticket, ``ValueError`` for an empty image and ``lifecycle.TransitionError`` when the
    officer may not annotate the ticket (nothing is written then).
    """
    if not png_bytes:
        raise ValueError("empty image")
    sha = hashlib.sha256(png_bytes).hexdigest()
    with store.session() as s:
        ticket = repo.get_ticket(s, ticket_id)
    if ticket is None:
        raise TicketNotFound(ticket_id)
    text = f"视频截图 {caption} sha256:{sha}".replace("  ", " ")
    lifecycle.apply(ticket, Action.ANNOTATE, actor, {"text": text}, now)  # check before writing
    path = _save(attachments_dir(store), sha, png_bytes, ".png")
    with store.write() as s:
        before = repo.get_ticket(s, ticket_id)
        if before is None:
            raise TicketNotFound(ticket_id)
        after, event = lifecycle.apply(before, Action.ANNOTATE, actor, {"text": text}, now)
        attachments.queue(s, sha, os.fspath(path), len(png_bytes), "image/png", ticket_id, now)
        actions.record_action(s, before, after, event, verb=Action.ANNOTATE.value,
                              params={"text": text}, actor=actor, now=now)
    return after
