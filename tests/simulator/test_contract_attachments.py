"""Resumable, content-addressed attachments over real HTTP (limit 64 KiB here)."""

from __future__ import annotations

import hashlib
import os


def _put(api, sha, offset, total, chunk):
    return api.s.put(f"{api.url}/api/v1/attachments/{sha}", data=chunk, timeout=10,
                     headers={"Upload-Offset": str(offset), "Upload-Length": str(total),
                              "Content-Type": "image/jpeg"})


def test_resumable_upload_head_states_and_download(api):
    blob = os.urandom(40_000)
    sha = hashlib.sha256(blob).hexdigest()
    url = f"/api/v1/attachments/{sha}"
    assert api.s.head(api.url + url).status_code == 404
    r = _put(api, sha, 0, len(blob), blob[:15_000])
    assert r.status_code == 200 and r.json() == {"sha256": sha, "size": len(blob), "complete": False,
                                                 "offset": 15_000}
    h = api.s.head(api.url + url)
    assert h.status_code == 206 and h.headers["Upload-Offset"] == "15000"
    assert h.headers["Upload-Complete"] == "0"
    # a client that lost track resends from the wrong offset: 409 with the real offset
    r = _put(api, sha, 10_000, len(blob), blob[10_000:])
    assert r.status_code == 409 and r.json()["error"]["details"]["offset"] == 15_000
    r = _put(api, sha, 15_000, len(blob), blob[15_000:])
    assert r.status_code == 200 and r.json()["complete"] is True and r.json()["offset"] == len(blob)
    h = api.s.head(api.url + url)
    assert h.status_code == 200 and h.headers["Upload-Offset"] == str(len(blob))
    assert api.get(url).content == blob
    # uploading complete content again is harmless
    assert _put(api, sha, 0, len(blob), blob).json()["complete"] is True


def test_hash_mismatch_is_422_and_discards(api):
    blob = b"not what the name says" * 10
    sha = hashlib.sha256(b"something else").hexdigest()
    r = _put(api, sha, 0, len(blob), blob)
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    assert api.s.head(f"{api.url}/api/v1/attachments/{sha}").status_code == 404


def test_over_the_limit_is_413(api):
    blob = b"x" * (64 * 1024 + 1)
    sha = hashlib.sha256(blob).hexdigest()
    r = _put(api, sha, 0, len(blob), blob)
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    r = _put(api, sha, 0, len(blob), b"x")  # announced too big
    assert r.status_code == 413


def test_bad_names_and_headers_are_422(api):
    r = _put(api, "NOT-A-HASH", 0, 1, b"x")
    assert r.status_code == 422
    r = api.s.put(f"{api.url}/api/v1/attachments/{'a' * 64}", data=b"x", timeout=10)
    assert r.status_code == 422 and r.json()["error"]["code"] == "validation_error"
    assert api.get(f"/api/v1/attachments/{'b' * 64}").status_code == 404
