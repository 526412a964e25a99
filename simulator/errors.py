"""The contract's error body and the exception that carries it."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: Any = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.details = status, code, message, details
        self.headers = headers


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message, "details": details}},
                        status_code=status, headers=headers)


class ErrorBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    message: str
    details: Any = None


class ErrorEnvelope(BaseModel):
    """``{"error": {"code", "message", "details"}}``"""
    error: ErrorBody


def responses(*codes: int) -> dict:
    return {c: {"model": ErrorEnvelope} for c in codes}


def internal(log, what: str, exc: Exception) -> ApiError:
    """A 500 for a failure inside a route, answered as the contract's envelope.

    Raised as an ``ApiError`` (handled by the app's exception handler) rather than left
    to the catch-all: Starlette re-raises what reaches the catch-all after answering,
    and the server then drops the connection, so the client's next request on it fails
    as if the link were down."""
    log.error("internal error in %s: %s", what, type(exc).__name__, exc_info=exc)
    return ApiError(500, "internal", f"internal error ({type(exc).__name__})")
