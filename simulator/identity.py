"""Who is acting: the platform checks the actor a command or duty record names.

The actor must be an account of this street, not disabled, with the role it claims;
its signature (``actor.sig``, console.domain.auth.sign_command) must verify with the
key the platform holds for it, so a changed actor, verb, ticket or parameter — or a
command replayed under another officer's name — is refused. Unsigned actions are
refused when the platform requires signatures (the CLI's default; ``--allow-unsigned``
for old desks); a signed one also needs a login of that officer at that desk (a
session from ``POST /api/v1/sessions`` or a signed offline ``auth`` record).
"""

from __future__ import annotations

from typing import Any

from console.domain import auth


class Forbidden(Exception):
    def __init__(self, code: str, reason: str):
        super().__init__(reason)
        self.code, self.reason = code, reason


def check(rt, wire: dict[str, Any], login_record: bool = False) -> None:
    """Raise Forbidden unless ``wire``'s actor may be believed (see the module doc)."""
    actor = wire.get("actor") or {}
    uid, role = str(actor.get("user_id", "")), str(actor.get("role", ""))
    acc = rt.accounts.get(uid)
    if acc is None:
        raise Forbidden("unknown_actor", f"no account {uid!r} on this platform")
    if acc.disabled:
        raise Forbidden("actor_disabled", f"account {uid} is disabled")
    if acc.role != role:
        raise Forbidden("role_mismatch", f"{uid} holds the role {acc.role}, not {role}")
    if not actor.get("sig"):
        if rt.cfg.require_signatures:
            raise Forbidden("unsigned", "the action carries no signature of its actor")
        return
    if not auth.command_signed_by(wire, acc.key):
        raise Forbidden("bad_signature", f"the signature does not match {uid}'s key")
    ws = str(actor.get("workstation", ""))
    if login_record:
        return
    if rt.cfg.require_signatures and not rt.accounts.logged_in(uid, ws):
        raise Forbidden("not_logged_in", f"{uid} is not logged in at {ws or 'this desk'}")
