"""``POST /api/v1/cameras/{camera_id}/grant``: a desk asks to open a restricted camera.

The platform checks the street's camera policy (``console.domain.cameras``, the same rule
the desks apply) for the actor named: a known user of the street holding that role. A
cleared actor gets the camera's stream URLs with a grant query valid for
``streams.GRANT_TTL_S`` at that desk; the stream routes refuse a restricted camera
without one (403 ``not_cleared``). Every grant and refusal is kept in memory
(``rt.camera_grants``) — the platform's record of who opened what.
"""

from __future__ import annotations

import time

from fastapi import APIRouter, Depends, Path as PathParam, Request
from pydantic import BaseModel, ConfigDict

from console.domain import cameras
from simulator import streams
from simulator.commands import ActorIn
from simulator.errors import ApiError, responses


class GrantIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    actor: ActorIn


class Grant(BaseModel):
    camera_id: str
    stream_url: str
    substream_url: str
    expires_at: float


def register(auth) -> APIRouter:
    router = APIRouter()

    @router.post("/api/v1/cameras/{camera_id}/grant", response_model=Grant, dependencies=[Depends(auth)],
                 responses=responses(401, 403, 404, 422), tags=["cameras"])
    def grant(body: GrantIn, request: Request, camera_id: str = PathParam(max_length=32)):
        """Stream URLs of a restricted camera for a cleared officer at one desk."""
        from simulator.runtime import CAMERA_POLICY

        rt = request.app.state.rt
        cam = rt.cameras.get(camera_id)
        if cam is None:
            raise ApiError(404, "not_found", f"no camera {camera_id}")
        actor = body.actor
        known = {u["id"]: u["role"] for u in rt.people.users()}
        records = getattr(rt, "camera_grants", None)
        if records is None:
            records = rt.camera_grants = []
        why = None
        if known.get(actor.user_id) != actor.role.value:
            why = f"{actor.user_id} is not a {actor.role.value} of this street"
        else:
            policy, _ = cameras.policy_from(CAMERA_POLICY)
            why = cameras.refusal(cam, actor.role.value, None, policy)
        records.append({"camera_id": camera_id, "user_id": actor.user_id, "workstation": actor.workstation,
                        "at": time.time(), "granted": why is None, "reason": why})
        if why is not None:
            raise ApiError(403, "not_cleared", f"camera {camera_id}: {why}")
        query, exp = streams.grant_query(rt.cfg.token, camera_id, actor.workstation, time.time())
        urls = rt.camera_with_urls(cam)
        return {"camera_id": camera_id, "stream_url": f"{urls['stream_url']}?{query}",
                "substream_url": f"{urls['substream_url']}?{query}", "expires_at": float(exp)}
    return router
