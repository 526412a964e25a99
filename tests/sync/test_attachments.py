"""Resumable attachment uploads against the simulator."""

from __future__ import annotations

import hashlib
import os

import pytest
import requests
from sqlalchemy import text

from console.sync.attachments import AttachmentUploader
from console.sync.client import PlatformClient
from console.sync.puller import Puller

from .conftest import OFFICER, now

CHUNK = 64 * 1024


class Interrupted(Exception):
    pass


def test_upload_resumes_from_the_platforms_offset(sim, direct, tmp_path):
    data = os.urandom(5 * CHUNK + 123)
    sha = hashlib.sha256(data).hexdigest()
    path = tmp_path / "photo.jpg"
    path.write_bytes(data)
    seen = []

    def cut_after_two_chunks(sent, total):
        seen.append(sent)
        if sent >= 2 * CHUNK:
            raise Interrupted()           # the link dies mid-upload

    with pytest.raises(Interrupted):
        direct.upload_attachment(sha, path, cut_after_two_chunks, chunk_bytes=CHUNK)
    assert direct.attachment_offset(sha) == (2 * CHUNK, False)

    seen.clear()
    assert direct.upload_attachment(sha, path, lambda s, t: seen.append(s), chunk_bytes=CHUNK) == len(data)
    assert seen[0] == 3 * CHUNK, "resumed where the platform stood, not from zero"
    assert direct.attachment_offset(sha) == (len(data), True)
    got = requests.get(f"{sim.url}/api/v1/attachments/{sha}", headers=sim.headers(), timeout=10)
    assert got.content == data
    # uploading a complete file again costs one HEAD
    seen.clear()
    direct.upload_attachment(sha, path, lambda s, t: seen.append(s))
    assert seen == [len(data)]


def test_snapshot_queue_drains_through_the_uploader(sim, open_store):
    from console.operations.attachments import attach_snapshot

    store = open_store()
    client = PlatformClient(sim.url, sim.token)
    Puller(store, client).catch_up()
    with store.session() as s:
        tid = s.execute(text("SELECT id FROM tickets WHERE state='handling' LIMIT 1")).scalar()
    png = b"\x89PNG\r\n\x1a\n" + os.urandom(3000)
    attach_snapshot(store, OFFICER, tid, png, now(), caption="路口")
    up = AttachmentUploader(store, client)
    assert up.depth() == 1
    assert up.upload_all() == 1
    assert up.depth() == 0
    with store.session() as s:
        state, offset = s.execute(text("SELECT state, upload_offset FROM attachments")).first()
    assert (state, offset) == ("done", len(png))
    assert client.attachment_offset(hashlib.sha256(png).hexdigest()) == (len(png), True)
