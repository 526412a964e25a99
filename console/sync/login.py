"""The platform's half of an officer's login: ``console.operations.auth.Confirm`` over
the platform client (``POST /api/v1/sessions``, docs/CONTRACT.md "Identity")."""

from __future__ import annotations

from typing import Any

from console.operations.auth import AuthRefused, Confirm, Confirmed, Unreachable
from console.sync.client import LinkDown, RequestRejected, SyncError


def confirmer(client: Any) -> Confirm:
    """The platform checks the login proof; a link failure lets the cached verifier decide."""

    def confirm(user_id: str, workstation: str, at: float, proof: str) -> Confirmed:
        try:
            body = client.open_session(user_id, workstation, at, proof)
        except RequestRejected as exc:
            if exc.status in (403, 423):
                raise AuthRefused(exc.code, exc.message) from None
            raise Unreachable(str(exc)) from None
        except (LinkDown, SyncError) as exc:
            raise Unreachable(str(exc)) from None
        u = body.get("user") or {}
        return Confirmed(body["session_id"], str(u.get("name", "")), str(u.get("role", "")))
    return confirm
