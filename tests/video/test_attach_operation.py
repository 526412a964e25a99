"""console.operations.attachments.attach_snapshot, below Qt."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import text

from console.domain.model import Actor, Role
from console.operations import TicketNotFound
from console.operations.attachments import attach_snapshot

OFFICER = Actor("officer1", "李信息员", Role.OFFICER, "WS-01")
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _counts(store):
    with store.session() as s:
        return (s.execute(text("SELECT count(*) FROM attachments")).scalar(),
                s.execute(text("SELECT count(*) FROM outbox")).scalar())


def test_snapshot_is_stored_queued_and_noted_on_the_timeline(store):
    with store.session() as s:
        tid, version = s.execute(text("SELECT id, version FROM tickets ORDER BY rid LIMIT 1")).one()
    after = attach_snapshot(store, OFFICER, tid, PNG, 1795300100.0, caption="测试路口1号 (CAM001)")
    sha = hashlib.sha256(PNG).hexdigest()
    assert after.version == version + 1
    with store.session() as s:
        path, size, state, ticket = s.execute(text(
            "SELECT path, size, state, ticket_id FROM attachments WHERE sha256=:h"), {"h": sha}).one()
        verb, params, status = s.execute(text(
            "SELECT verb, params, status FROM outbox WHERE ticket_id=:t"), {"t": tid}).one()
        kinds = {k for (k,) in s.execute(text("SELECT kind FROM journal WHERE at=1795300100.0"))}
    assert open(path, "rb").read() == PNG and size == len(PNG) and state == "pending" and ticket == tid
    assert verb == "annotate" and sha in params and status == "queued"
    assert {"ticket", "attachment"} <= kinds


def test_unknown_ticket_or_empty_image_writes_nothing(store):
    before = _counts(store)
    with pytest.raises(TicketNotFound):
        attach_snapshot(store, OFFICER, "no-such-ticket", PNG, 1795300100.0)
    with pytest.raises(ValueError):
        attach_snapshot(store, OFFICER, "no-such-ticket", b"", 1795300100.0)
    assert _counts(store) == before
