"""Fault controls for testing clients: latency, drops, 503s, slow bodies, partitions.

Only active when the simulator is bound to loopback; off by default. Faults apply to
``/api/v1/*`` and ``/open311/*``; the control routes ``/_sim/*`` themselves stay clean.
"""

from __future__ import annotations

import asyncio
import random
import threading

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from simulator.errors import ApiError

router = APIRouter(tags=["simulator"])


class FaultSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    latency_ms: int = Field(0, ge=0, le=600_000)
    drop_rate: float = Field(0.0, ge=0.0, le=1.0)
    error_rate: float = Field(0.0, ge=0.0, le=1.0)
    slow_body_ms: int = Field(0, ge=0, le=600_000)
    partition: bool = False
    #: command or record ids the platform fails on (500, the batch rolled back), as a
    #: platform bug that one entry triggers would
    fail_ids: list[str] = Field(default_factory=list, max_length=200)


class Tick(BaseModel):
    model_config = ConfigDict(extra="forbid")
    seconds: float = Field(gt=0, le=7 * 86400)


class Compact(BaseModel):
    model_config = ConfigDict(extra="forbid")
    before_seq: int | None = Field(None, ge=0, description="compact up to this seq (default: head)")


class Faults:
    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.settings = FaultSettings()
        self._rng = random.Random()
        self._lock = threading.Lock()

    def roll(self, rate: float) -> bool:
        with self._lock:
            return rate > 0 and self._rng.random() < rate


class InjectedBug(Exception):
    """Raised inside a batch's transaction for an id in ``fail_ids`` (answered 500)."""


def fail_if_poisoned(rt, key: str) -> None:
    f: Faults | None = getattr(rt, "faults", None)
    if f is not None and f.enabled and key in f.settings.fail_ids:
        raise InjectedBug(f"injected failure on {key}")


def _drop(send) -> bool:
    """Close the TCP connection without an answer (uvicorn's protocol objects)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        return False
    cycle.disconnected = True
    transport.close()
    return True


class FaultInjector:
    """Outermost ASGI wrapper (directly under uvicorn, so a drop can reach the socket)."""

    def __init__(self, app, rt):
        self.app, self.rt = app, rt

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(("/api/", "/open311/")):
            return await self.app(scope, receive, send)
        rt = self.rt
        f: Faults | None = getattr(rt, "faults", None)
        if f is None or not f.enabled:
            return await self.app(scope, receive, send)
        s = f.settings
        while f.settings.partition:  # hang until the client gives up (or the partition heals)
            await asyncio.sleep(0.05)
            if rt.stop_event.is_set():
                return None
        if s.latency_ms:
            await asyncio.sleep(s.latency_ms / 1000)
        if f.roll(s.drop_rate) and _drop(send):
            return None
        if f.roll(s.error_rate):
            body = b'{"error":{"code":"unavailable","message":"injected fault","details":null}}'
            await send({"type": "http.response.start", "status": 503,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"content-length", str(len(body)).encode())]})
            await send({"type": "http.response.body", "body": body})
            return None
        if s.slow_body_ms:
            delay = s.slow_body_ms / 1000

            async def slow_send(message):
                if message["type"] == "http.response.body" and message.get("body"):
                    body = message["body"]
                    half = len(body) // 2
                    await send({"type": "http.response.body", "body": body[:half], "more_body": True})
                    await asyncio.sleep(delay)
                    message = {**message, "body": body[half:]}
                await send(message)
            return await self.app(scope, receive, slow_send)
        return await self.app(scope, receive, send)


def _loopback(request: Request):
    rt = request.app.state.rt
    if rt is None or rt.faults is None or not rt.faults.enabled:
        raise ApiError(404, "not_found", "simulator controls exist on loopback only")
    return rt


@router.get("/_sim/faults", response_model=FaultSettings)
def get_faults(request: Request):
    """Current fault settings (loopback only)."""
    return _loopback(request).faults.settings


@router.post("/_sim/faults", response_model=FaultSettings)
def set_faults(settings: FaultSettings, request: Request):
    """Replace the fault settings; ``{}`` clears every fault (loopback only)."""
    rt = _loopback(request)
    rt.faults.settings = settings
    return settings


@router.post("/_sim/tick")
def tick(body: Tick, request: Request) -> dict:
    """Advance platform time by ``seconds`` and generate that traffic now; then extend the
    roster and compact beyond the retention window (loopback only)."""
    rt = _loopback(request)
    rt.clock.advance(body.seconds)
    n = 0
    if rt.traffic is not None:
        n = rt.traffic.run_until(rt.clock.now())
        rt.traffic.maintain(force=True)  # roster for the new days, retention compaction
    return {"server_time_epoch": rt.clock.now(), "head_seq": rt.store.head_seq, "changes": n}


@router.post("/_sim/compact")
def compact(body: Compact, request: Request) -> dict:
    """Compact the change feed up to ``before_seq`` now (loopback only)."""
    rt = _loopback(request)
    cut = rt.store.head_seq if body.before_seq is None else body.before_seq
    removed = rt.store.compact(cut)
    return {"compacted_seq": rt.store.compacted_seq, "removed": removed}
