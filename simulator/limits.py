"""Request body limits: JSON and form bodies 2 MiB, attachments their own limit, and
time: a body must arrive within ``Config.body_timeout_s`` (attachments: no pause longer
than that between chunks), else ``408`` and the connection is closed. A client that
sends one byte and waits holds no connection for ever.
"""

from __future__ import annotations

import asyncio
import json

from starlette.exceptions import HTTPException

from simulator import open311


class BodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        rt = scope["app"].state.rt
        path = scope["path"]
        upload = path.startswith("/api/v1/attachments/")
        limit = rt.cfg.attachment_limit if upload else rt.cfg.json_limit
        receive = timed(receive, rt.cfg.body_timeout_s, whole=not upload)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        try:
            declared = int(length) if length is not None else None
        except ValueError:
            declared = None
        if declared is not None and declared > limit:
            try:
                await _drain(receive, declared)
            except BodyTimeout:
                pass   # too big anyway: the 413 says so
            return await self._reject(scope, send, limit)
        if declared is not None or path.startswith("/api/v1/attachments/"):
            return await self.app(scope, wrap_counting(receive, limit), send)
        # chunked body: read it here (it is small by definition) and replay it
        chunks, total = [], 0
        while True:
            try:
                msg = await receive()
            except BodyTimeout as exc:
                return await self._timeout(scope, send, exc)
            if msg["type"] == "http.disconnect":
                return None
            total += len(msg.get("body", b""))
            if total > limit:
                if msg.get("more_body"):
                    try:
                        await _drain(receive, DRAIN_MAX)
                    except BodyTimeout:
                        pass
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
    async def _timeout(scope, send, exc: "BodyTimeout"):
        msg = str(exc)
        if scope["path"].startswith("/open311/"):
            ctype, body = open311.render_error(scope["path"], 408, msg)
        else:
            ctype = "application/json"
            body = json.dumps({"error": {"code": "request_timeout", "message": msg,
                                         "details": {"seconds": exc.seconds}}}).encode()
        await send({"type": "http.response.start", "status": 408,
                    "headers": [(b"content-type", ctype.encode()), (b"connection", b"close"),
                                (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

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


class BodyTimeout(HTTPException):
    """An HTTP exception, so that FastAPI's body parsing passes it on as it is (it turns
    any other exception into "error parsing the body")."""

    def __init__(self, seconds: float):
        super().__init__(408, f"the request body did not arrive within {seconds:g} s",
                         headers={"Connection": "close"})
        self.seconds = seconds

    def __str__(self) -> str:
        return str(self.detail)


def timed(receive, seconds: float, whole: bool = True):
    """A receive that gives the body ``seconds`` to arrive: in all (``whole``) or between
    two chunks. Once the body is complete it passes through (the app may wait on the
    connection's end for as long as it likes)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    done = False

    async def within():
        nonlocal done, deadline
        if done:
            return await receive()
        left = deadline - loop.time() if whole else seconds
        if left <= 0:
            raise BodyTimeout(seconds)
        try:
            msg = await asyncio.wait_for(receive(), left)
        except asyncio.TimeoutError:
            raise BodyTimeout(seconds) from None
        if msg["type"] != "http.request" or not msg.get("more_body"):
            done = True
        return msg
    return within
