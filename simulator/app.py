"""The FastAPI application of the district-platform simulator.

``create_app(rt)`` wires the contract's routes (docs/CONTRACT.md) around one
``Runtime``. ``create_app(None)`` builds the same app without state: enough for
``python -m simulator.openapi`` to write docs/openapi.json.
"""

from __future__ import annotations

import datetime as dt
import hmac
import logging

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from simulator import (attachments, basemap, camera_access, commands, duty_records, faults, feed, limits, plans,
                       open311, sessions, streams)
from simulator.errors import ApiError, error_response
from simulator.roster import SH

log = logging.getLogger(__name__)
API_VERSION = "1"
_bearer = HTTPBearer(auto_error=False, description="The platform token (--token)")


def auth(request: Request, cred: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> None:
    token = request.app.state.rt.cfg.token
    if cred is None or cred.scheme.lower() != "bearer" or not hmac.compare_digest(
            cred.credentials.encode(), token.encode()):
        raise ApiError(401, "unauthorized", "missing or wrong bearer token",
                       headers={"WWW-Authenticate": "Bearer"})


class Health(BaseModel):
    status: str
    server_time: str
    server_time_epoch: float
    api_version: str


def _error(request: Request, status: int, code: str, message: str, details=None, headers=None):
    if request.url.path.startswith("/open311/"):
        return open311.error_response(request, status, message, headers)
    return error_response(status, code, message, details, headers)


def create_app(rt=None) -> FastAPI:
    app = FastAPI(title="duty-platform-sim: district city-operations platform (区城运平台) simulator",
                  version="1.0.0", description="The contract of docs/CONTRACT.md.")
    app.state.rt = rt

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError):
        return _error(request, exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.exception_handler(limits.BodyTooLarge)
    async def _too_large(request: Request, exc: limits.BodyTooLarge):
        return _error(request, 413, "payload_too_large", str(exc), {"limit": exc.limit})

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        details = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", "")), "type": e.get("type")}
                   for e in exc.errors()][:50]  # never echo the input (size, NaN, personal data)
        return _error(request, 422, "validation_error", "the request does not match the contract", details)

    @app.exception_handler(limits.BodyTimeout)
    async def _slow_body(request: Request, exc: limits.BodyTimeout):
        return _error(request, 408, "request_timeout", str(exc), {"seconds": exc.seconds},
                      {"Connection": "close"})

    @app.exception_handler(RecursionError)
    async def _too_deep(request: Request, exc: RecursionError):
        # json.loads of a body nested thousands deep: the client's fault, not ours
        return _error(request, 422 if not request.url.path.startswith("/open311/") else 400,
                      "validation_error", "the request body is nested too deeply")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 400 and request.method in ("POST", "PUT"):
            # FastAPI's "error parsing the body" (undecodable bytes): the contract says 422
            return _error(request, 422, "validation_error", str(exc.detail))
        code = {404: "not_found", 401: "unauthorized", 413: "payload_too_large",
                503: "unavailable"}.get(exc.status_code, "bad_request")
        return _error(request, exc.status_code, code, str(exc.detail), None, exc.headers)

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        log.exception("internal error on %s", request.url.path)
        return _error(request, 500, "internal", "internal error")

    @app.get("/api/v1/health", response_model=Health, tags=["health"])
    def health(request: Request):
        """Liveness and platform time (the client measures its clock skew from it)."""
        now = request.app.state.rt.clock.now()
        iso = dt.datetime.fromtimestamp(now, SH).isoformat(timespec="milliseconds")
        return {"status": "ok", "server_time": iso, "server_time_epoch": round(now, 3),
                "api_version": API_VERSION}

    app.include_router(feed.register(auth))
    app.include_router(sessions.register(auth))
    app.include_router(commands.register(auth))
    app.include_router(duty_records.register(auth))
    app.include_router(plans.register(auth))
    app.include_router(attachments.register(auth))
    app.include_router(open311.router)
    app.include_router(streams.router)
    app.include_router(basemap.router)
    app.include_router(camera_access.register(auth))
    app.include_router(faults.router)
    app.add_middleware(limits.BodyLimit)
    return app
