"""``POST /api/v1/sessions``: an officer's login, confirmed by the platform.

The desk sends a proof signed with the key it derived from the PIN (never the PIN);
the platform checks it with the key it holds (simulator.accounts) and answers with a
session id, or 403 (unknown, disabled, wrong PIN, stale proof) / 423 (locked).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from simulator.accounts import Refused
from simulator.errors import ApiError, responses


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    user_id: str = Field(min_length=1, max_length=64)
    workstation: str = Field(min_length=1, max_length=64)
    at: float = Field(allow_inf_nan=False)
    proof: str = Field(min_length=64, max_length=64)


class UserOut(BaseModel):
    id: str
    name: str
    role: str


class SessionOut(BaseModel):
    session_id: str
    user: UserOut


def register(auth) -> APIRouter:
    router = APIRouter()

    @router.post("/api/v1/sessions", response_model=SessionOut, dependencies=[Depends(auth)],
                 responses=responses(401, 403, 422, 423), tags=["accounts"])
    def sessions(body: LoginIn, request: Request):
        """Confirm an officer's login at a workstation (see docs/CONTRACT.md "Identity")."""
        rt = request.app.state.rt
        try:
            return rt.accounts.login(body.user_id, body.workstation, body.at, body.proof, rt.clock.now())
        except Refused as exc:
            headers = {"Retry-After": str(int(exc.retry_after) + 1)} if exc.retry_after else None
            raise ApiError(exc.status, exc.code, exc.message, headers=headers) from None
    return router
