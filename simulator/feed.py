"""The change feed: ``GET /api/v1/changes`` served from precomputed JSON text.

Each change row holds its wire JSON; a page is the rows spliced into one string.
Cursors are ``base64url("v1:<epoch>:<seq>")``: durable across restarts, and tied to the
database (a cursor from a wiped platform answers 410 like a compacted one).
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from simulator.errors import ApiError, responses

MAX_LIMIT = 5000


def encode_cursor(epoch: str, seq: int) -> str:
    return base64.urlsafe_b64encode(f"v1:{epoch}:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[str, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        version, epoch, seq = raw.split(":")
        if version != "v1" or not seq.isdigit():
            raise ValueError
        return epoch, int(seq)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ApiError(400, "bad_request", "the cursor is not one this platform issued") from None


class Change(BaseModel):
    seq: int
    kind: str
    op: str
    id: str
    data: dict | None = None


class ChangesPage(BaseModel):
    changes: list[Change]
    next_cursor: str
    has_more: bool
    server_time_epoch: float


class PageCache:
    """Full pages are immutable: after serving one, the next is prepared in the background
    while the client parses, so a draining client waits for the network, not the disk."""

    def __init__(self, store, size: int = 4):
        self.store, self.size = store, size
        self._pages: OrderedDict[tuple[int, int], tuple[bytes, int]] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="feed-prefetch")

    def get(self, after: int, limit: int) -> tuple[bytes, int, bool]:
        """(joined bodies, last seq, has_more)."""
        with self._lock:
            hit = self._pages.pop((after, limit), None)
        if hit is not None:
            body, last = hit
            self._prefetch(last, limit)
            return body, last, True
        rows = self.store.read_changes(after, limit + 1)
        has_more = len(rows) > limit
        rows = rows[:limit]
        last = rows[-1][0] if rows else after
        if has_more:
            self._prefetch(last, limit)
        return b",".join(r[1] for r in rows), last, has_more

    def _prefetch(self, after: int, limit: int) -> None:
        self._pool.submit(self._fill, after, limit)

    def _fill(self, after: int, limit: int) -> None:
        rows = self.store.read_changes(after, limit + 1)
        if len(rows) <= limit:
            return  # only full pages are immutable
        rows = rows[:limit]
        with self._lock:
            self._pages[(after, limit)] = (b",".join(r[1] for r in rows), rows[-1][0])
            while len(self._pages) > self.size:
                self._pages.popitem(last=False)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def page(rt, since: str | None, limit: int) -> bytes:
    store = rt.store
    after = 0
    if since:
        epoch, after = decode_cursor(since)
        if epoch != store.epoch_id or after > store.head_seq or 0 < after < store.compacted_seq:
            raise ApiError(410, "resync_required",
                           "the cursor is older than the platform's retention: resync from an empty cursor",
                           {"compacted_seq": store.compacted_seq})
    body, last, has_more = rt.pages.get(after, limit)
    tail = (f'],"next_cursor":"{encode_cursor(store.epoch_id, last)}",'
            f'"has_more":{"true" if has_more else "false"},"server_time_epoch":{rt.clock.now():.3f}}}')
    return b'{"changes":[' + body + tail.encode()


def register(auth) -> APIRouter:
    router = APIRouter()

    @router.get("/api/v1/changes", response_model=ChangesPage, dependencies=[Depends(auth)],
                responses=responses(400, 401, 410, 422), tags=["feed"])
    def changes(request: Request, since: str | None = Query(None, max_length=200),
                limit: int = Query(500, ge=1, le=MAX_LIMIT)):
        """Changes after the cursor, in increasing ``seq`` (see docs/CONTRACT.md)."""
        return Response(page(request.app.state.rt, since, limit), media_type="application/json")
    return router
