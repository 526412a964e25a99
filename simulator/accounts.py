"""The platform's accounts: who exists, their role, PIN salts and signing keys, sessions.

The platform is the authority for accounts. It derives each officer's signing key from
the PIN with the same KDF as the desks (``console.domain.auth``) and keeps it; the feed
carries only the public half (salt and parameters) and ``disabled``, never a verifier.
A login is a proof signed with that key (``POST /api/v1/sessions``); wrong proofs are
counted and lock the account on the platform as on the desk. Commands and duty records
name their actor and carry the actor's signature (docs/CONTRACT.md "Identity").
"""

from __future__ import annotations

import base64
import functools
import hashlib
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from console.domain import auth

#: how far a login proof's time may be from the platform's clock
PROOF_SLACK_S = 300.0


@functools.lru_cache(maxsize=256)
def _key(pin: str, salt: str, params: auth.Params) -> bytes:
    return auth.derive(pin, auth.Kdf(salt, params)).key


def demo_salt(seed: int, user_id: str) -> str:
    """Demo accounts get a salt fixed by the seed (a real platform draws one per PIN)."""
    raw = hashlib.sha256(f"duty-demo-salt:{seed}:{user_id}".encode()).digest()[:16]
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass
class Account:
    id: str
    name: str
    role: str
    pin: str = field(repr=False)
    salt: str
    params: auth.Params = auth.DEFAULT_PARAMS
    disabled: bool = False
    attempts: auth.Attempts = auth.Attempts()
    street: str = ""  # the street whose desks this account works at

    @property
    def kdf(self) -> auth.Kdf:
        return auth.Kdf(self.salt, self.params)

    @property
    def key(self) -> bytes:
        return _key(self.pin, self.salt, self.params)

    def entity(self) -> dict[str, Any]:
        """The ``user`` entity on the feed: no verifier, only the public KDF half."""
        return {"id": self.id, "name": self.name, "role": self.role, "disabled": self.disabled,
                "kdf": self.kdf.to_dict()}


class Refused(Exception):
    def __init__(self, status: int, code: str, message: str, retry_after: float = 0.0):
        super().__init__(message)
        self.status, self.code, self.message, self.retry_after = status, code, message, retry_after


class Accounts:
    def __init__(self, seed: int, users: list[dict[str, Any]], pin: str, street: str = "",
                 lockout: auth.Lockout = auth.Lockout()):
        self.lockout = lockout
        self._lock = threading.Lock()
        self.by_id = {u["id"]: Account(u["id"], u["name"], u["role"], pin, demo_salt(seed, u["id"]),
                                       street=street) for u in users}
        #: (user_id, workstation) -> session id of the latest login there
        self.sessions: dict[tuple[str, str], str] = {}

    def get(self, user_id: str) -> Account | None:
        return self.by_id.get(user_id)

    def login(self, user_id: str, workstation: str, at: float, proof: str, now: float) -> dict[str, Any]:
        """Check a login proof; a session id and the account, or Refused."""
        with self._lock:
            acc = self.by_id.get(user_id)
            if acc is None:
                raise Refused(403, "unknown_user", "no such account")
            if acc.disabled:
                raise Refused(403, "disabled", "the account is disabled")
            left = self.lockout.remaining(acc.attempts, now)
            if left > 0:
                raise Refused(423, "locked", "too many wrong PINs", left)
            if abs(at - now) > PROOF_SLACK_S:
                raise Refused(403, "stale_proof", "the login proof's time is too far from the platform's")
        good = auth.signature_ok(acc.key, {"login": user_id, "workstation": workstation, "at": at}, proof)
        with self._lock:
            if not good:
                acc.attempts = self.lockout.failed(acc.attempts, now)
                if acc.attempts.locked_until is not None and acc.attempts.locked_until > now:
                    raise Refused(423, "locked", "too many wrong PINs", acc.attempts.locked_until - now)
                raise Refused(403, "wrong_pin", "wrong PIN")
            acc.attempts = self.lockout.succeeded(acc.attempts)
            sid = str(uuid.uuid4())
            self.sessions[(user_id, workstation)] = sid
        return {"session_id": sid, "user": {"id": acc.id, "name": acc.name, "role": acc.role}}

    def note_login(self, user_id: str, workstation: str, record_id: str) -> None:
        """A signed offline login record: the officer was logged in at that desk."""
        with self._lock:
            self.sessions.setdefault((user_id, workstation), f"offline:{record_id}")

    def logged_in(self, user_id: str, workstation: str) -> bool:
        return (user_id, workstation) in self.sessions
