"""Request body limits: JSON and form bodies 2 MiB, attachments their own limit."""

from __future__ import annotations

import json

from simulator import open311


class BodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        rt = scope["app"].state.rt
        path = scope["path"]
        limit = rt.cfg.attachment_limit if path.startswith("/api/v1/attachments/") else rt.cfg.json_limit
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        try:
            declared = int(length) if length is not None else None
        except ValueError:
            declared = None
        if declared is not None and declared > limit:
            await _drain(receive, declared)
            return await self._reject(scope, send, limit)
        if declared is not None or path.startswith("/api/v1/attachments/"):
            return await self.app(scope, wrap_counting(receive, limit), send)
        # chunked body: read it here (it is small by definition) and replay it
        chunks, total = [], 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return None
            total += len(msg.get("body", b""))
            if total > limit:
                if msg.get("more_body"):
                    await _drain(receive, DRAIN_MAX)
                return await self._reject(scope, send, limit)
            chunks.append(msg.get("body", b""))
            if not msg.get("more_body"):
                break
        body = b"".join(chunks)
        done = False

        async def replay():
            nonlocal done
            if not done:
                done = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()
        return await self.app(scope, replay, send)

    @staticmethod
    async def _reject(scope, send, limit):
        msg = f"request body over the limit of {limit} bytes"
        if scope["path"].startswith("/open311/"):
            ctype, body = open311.render_error(scope["path"], 413, msg)
        else:
            ctype = "application/json"
            body = json.dumps({"error": {"code": "payload_too_large", "message": msg,
                                         "details": {"limit": limit}}}).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", ctype.encode()), (b"connection", b"close"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


#: how much of an oversized body is read and thrown away before the 413, so that a client
#: still sending gets the answer instead of a reset connection; beyond this the connection
#: is closed (``connection: close``) and the client may see a reset
DRAIN_MAX = 64 << 20


async def _drain(receive, declared: int) -> None:
    """Read and discard the request body (up to ``DRAIN_MAX`` bytes).

    Answering before the body is read and then closing makes the kernel reset the
    connection while the client is still writing: the client sees a broken pipe or a
    ``ChunkedEncodingError`` instead of the 413. Reading the body first lets it finish."""
    if declared > DRAIN_MAX:
        return
    seen = 0
    while seen <= DRAIN_MAX:
        msg = await receive()
        if msg["type"] != "http.request":
            return
        seen += len(msg.get("body", b""))
        if not msg.get("more_body"):
            return


def wrap_counting(receive, limit):
    """A receive that refuses to deliver more than ``limit`` bytes (lying Content-Length)."""
    total = 0

    async def counted():
        nonlocal total
        msg = await receive()
        if msg["type"] == "http.request":
            total += len(msg.get("body", b""))
            if total > limit:
                raise BodyTooLarge(limit)
        return msg
    return counted


class BodyTooLarge(Exception):
    def __init__(self, limit):
        super().__init__(f"request body over the limit of {limit} bytes")
        self.limit = limit
