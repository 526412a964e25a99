"""Content-addressed, resumable attachment uploads (photos of the scene).

Files live in ``<data-dir>/attachments/``: ``<sha256>`` when complete, ``<sha256>.part``
plus ``<sha256>.len`` (the announced total) while an upload is under way.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path

from fastapi import APIRouter, Depends, Header, Path as PathParam, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool
from pydantic import BaseModel

from simulator.errors import ApiError, responses

_SHA = r"^[0-9a-f]{64}$"
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


class UploadState(BaseModel):
    sha256: str
    size: int
    complete: bool
    offset: int


def _dir(request: Request) -> Path:
    d = request.app.state.rt.store.data_dir / "attachments"
    d.mkdir(exist_ok=True)
    return d


def _lock(sha: str) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(sha, threading.Lock())


def put_bytes(data_dir: Path, content: bytes) -> str:
    """Store complete content directly (generated photos); returns its sha256."""
    sha = hashlib.sha256(content).hexdigest()
    d = data_dir / "attachments"
    d.mkdir(exist_ok=True)
    if not (d / sha).exists():
        (d / f"{sha}.tmp").write_bytes(content)
        os.replace(d / f"{sha}.tmp", d / sha)
    return sha


def register(auth) -> APIRouter:
    router = APIRouter(tags=["attachments"])

    deps = [Depends(auth)]
    sha_param = PathParam(pattern=_SHA, description="lowercase hex SHA-256 of the content")

    @router.head("/api/v1/attachments/{sha256}", dependencies=deps, responses=responses(401, 404))
    def head(request: Request, sha256: str = sha_param):
        """Upload state: 200 complete, 206 partial (``Upload-Complete: 0``), 404 unknown."""
        d = _dir(request)
        if (d / sha256).exists():
            return Response(status_code=200, headers={"Upload-Offset": str((d / sha256).stat().st_size),
                                                      "Upload-Complete": "1"})
        if (d / f"{sha256}.part").exists():
            return Response(status_code=206, headers={
                "Upload-Offset": str((d / f"{sha256}.part").stat().st_size),
                "Upload-Length": (d / f"{sha256}.len").read_text() if (d / f"{sha256}.len").exists() else "",
                "Upload-Complete": "0"})
        return Response(status_code=404, headers={"Upload-Offset": "0", "Upload-Complete": "0"})

    @router.get("/api/v1/attachments/{sha256}", dependencies=deps, responses=responses(401, 404),
                response_class=FileResponse)
    def get(request: Request, sha256: str = sha_param):
        """The stored bytes of a complete attachment."""
        f = _dir(request) / sha256
        if not f.exists():
            raise ApiError(404, "not_found", f"no attachment {sha256}")
        return FileResponse(f, media_type="application/octet-stream")

    @router.put("/api/v1/attachments/{sha256}", response_model=UploadState, dependencies=deps,
                responses=responses(400, 401, 409, 413, 422))
    async def put(request: Request, sha256: str = sha_param,
                  upload_offset: int = Header(ge=0), upload_length: int = Header(ge=0)):
        """Append the body at ``Upload-Offset``; complete when ``Upload-Length`` is reached."""
        limit = request.app.state.rt.cfg.attachment_limit
        if upload_length > limit:
            raise ApiError(413, "payload_too_large", f"attachments are limited to {limit} bytes",
                           {"limit": limit})
        body = await request.body()
        return await run_in_threadpool(_store_chunk, _dir(request), sha256, upload_offset,
                                       upload_length, body)
    return router


def _store_chunk(d: Path, sha256: str, upload_offset: int, upload_length: int, body: bytes) -> dict:
    """Append one chunk (file work and hashing off the event loop)."""
    final, part, lenf = d / sha256, d / f"{sha256}.part", d / f"{sha256}.len"
    with _lock(sha256):
        if final.exists():
            size = final.stat().st_size
            if upload_offset + len(body) > size or upload_length != size:
                raise ApiError(409, "conflict", "the attachment is already complete",
                               {"offset": size})
            return {"sha256": sha256, "size": size, "complete": True, "offset": size}
        have = part.stat().st_size if part.exists() else 0
        if lenf.exists() and int(lenf.read_text()) != upload_length:
            raise ApiError(409, "conflict", "Upload-Length differs from the upload under way",
                           {"offset": have, "length": int(lenf.read_text())})
        if upload_offset != have:
            raise ApiError(409, "conflict", f"the platform has {have} bytes, not {upload_offset}",
                           {"offset": have}, headers={"Upload-Offset": str(have)})
        if have + len(body) > upload_length:
            raise ApiError(422, "validation_error", "more bytes than Upload-Length")
        if not lenf.exists():
            lenf.write_text(str(upload_length))
        with open(part, "ab") as fh:
            fh.write(body)
        have += len(body)
        if have < upload_length:
            return {"sha256": sha256, "size": upload_length, "complete": False, "offset": have}
        h = hashlib.sha256()
        with open(part, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        if h.hexdigest() != sha256:
            part.unlink()
            lenf.unlink()
            raise ApiError(422, "validation_error", "the uploaded bytes do not hash to the name; start again",
                           {"reason": "hash_mismatch"})
        os.replace(part, final)
        lenf.unlink()
        return {"sha256": sha256, "size": have, "complete": True, "offset": have}
