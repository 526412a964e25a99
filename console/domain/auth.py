"""PINs, their verifiers and the officer's signing key: the one home of the PIN rules.

A PIN never leaves the desk and is never stored. At login it goes through argon2id
(memory-hard, parameters and a per-user salt kept beside the result) once; from that
one derivation come two independent values:

* the *verifier tag* ``HMAC(K, "duty-console verifier v1")`` the desk caches to check
  the PIN offline, stored as ``argon2id$v1$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<tag>``;
* the officer's *signing key* ``HMAC(K, "duty-console signing v1")``, kept in memory
  only while the officer is logged in, which signs every action the desk records for
  them. The platform holds the same key (it derived it when the PIN was set) and
  checks the signature; the verifier tag does not give the key away without guessing
  the PIN at the KDF's cost.

The salt and parameters are the platform's (they arrive with the user on the feed, the
tag never does), so the desk and the platform derive the same key. Old verifiers
(``sha256("<id>:<pin>")`` as 64 hex digits) are still accepted and replaced by an
argon2id verifier at the next successful check (``Check.upgrade``). Every comparison
is constant-time.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from argon2.low_level import Type, hash_secret_raw

PIN_MIN, PIN_MAX = 4, 12
_VERIFY_LABEL = b"duty-console verifier v1"
_SIGN_LABEL = b"duty-console signing v1"
_LEGACY = re.compile(r"[0-9a-f]{64}")
_SCHEME = "argon2id"


class AuthError(ValueError):
    """A PIN or verifier problem; ``code`` is stable, the UI translates it."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message


@dataclass(frozen=True, slots=True)
class Params:
    """argon2id cost: memory in KiB, passes, lanes. 64 MiB x 3 passes costs one guess
    about 150-300 ms on the hall's machines (``make bench`` reports ``pin_verify_ms``)."""

    memory_kib: int = 65536
    time_cost: int = 3
    parallelism: int = 1

    def encode(self) -> str:
        return f"m={self.memory_kib},t={self.time_cost},p={self.parallelism}"

    @classmethod
    def decode(cls, text: str) -> Params:
        try:
            kv = dict(part.split("=", 1) for part in text.split(","))
            p = cls(int(kv["m"]), int(kv["t"]), int(kv["p"]))
        except (ValueError, KeyError) as exc:
            raise AuthError("corrupt_verifier", f"bad KDF parameters {text!r}") from exc
        if not (8 <= p.memory_kib <= 4 * 1024 * 1024 and 1 <= p.time_cost <= 64
                and 1 <= p.parallelism <= 16):
            raise AuthError("corrupt_verifier", f"KDF parameters out of range {text!r}")
        return p

    def weaker_than(self, other: Params) -> bool:
        return self.memory_kib < other.memory_kib or self.time_cost < other.time_cost


DEFAULT_PARAMS = Params()


def pin_problem(pin: str) -> str | None:
    """Why ``pin`` cannot be a PIN (a code: ``empty``, ``not_digits``, ``length``), or None."""
    if not pin:
        return "empty"
    if not pin.isascii() or not pin.isdigit():
        return "not_digits"
    if not PIN_MIN <= len(pin) <= PIN_MAX:
        return "length"
    return None


def _b64(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def _unb64(s: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
    except (ValueError, TypeError) as exc:
        raise AuthError("corrupt_verifier", "bad base64 in verifier") from exc


def new_salt() -> str:
    return _b64(os.urandom(16))


@dataclass(frozen=True, slots=True)
class Kdf:
    """The public half of a verifier: salt and parameters (what the feed may carry)."""

    salt: str
    params: Params = DEFAULT_PARAMS

    def to_dict(self) -> dict[str, Any]:
        return {"salt": self.salt, "m": self.params.memory_kib, "t": self.params.time_cost,
                "p": self.params.parallelism}

    @classmethod
    def from_dict(cls, d: Any) -> Kdf | None:
        if not isinstance(d, dict) or not d.get("salt"):
            return None
        try:
            params = Params.decode(f"m={int(d['m'])},t={int(d['t'])},p={int(d['p'])}")
        except (KeyError, TypeError, ValueError):
            return None
        salt = str(d["salt"])
        if len(_unb64(salt)) < 8:
            return None
        return cls(salt, params)


def _derive(pin: str, kdf: Kdf) -> bytes:
    p = kdf.params
    return hash_secret_raw(pin.encode(), _unb64(kdf.salt), time_cost=p.time_cost,
                           memory_cost=p.memory_kib, parallelism=p.parallelism,
                           hash_len=32, type=Type.ID)


@dataclass(frozen=True, slots=True)
class Credential:
    """An officer's signing key for this login (memory only; never printed or stored)."""

    user_id: str
    key: bytes = field(repr=False)

    def sign(self, payload: dict[str, Any]) -> str:
        return sign(self.key, payload)


def _tag(k: bytes) -> bytes:
    return hmac.new(k, _VERIFY_LABEL, hashlib.sha256).digest()


def signing_key(k: bytes) -> bytes:
    return hmac.new(k, _SIGN_LABEL, hashlib.sha256).digest()


@dataclass(frozen=True, slots=True)
class Secrets:
    """Everything one derivation yields: the verifier string and the signing key."""

    verifier: str
    key: bytes = field(repr=False)


def derive(pin: str, kdf: Kdf) -> Secrets:
    """One argon2id run: the cached verifier and the signing key for ``pin``."""
    k = _derive(pin, kdf)
    verifier = f"{_SCHEME}$v1${kdf.params.encode()}${kdf.salt}${_b64(_tag(k))}"
    return Secrets(verifier, signing_key(k))


def make_verifier(pin: str, kdf: Kdf | None = None) -> str:
    problem = pin_problem(pin)
    if problem:
        raise AuthError(problem, f"not a valid PIN ({problem})")
    return derive(pin, kdf or Kdf(new_salt())).verifier


def parse(verifier: str) -> tuple[Kdf, bytes]:
    """(salt and parameters, tag) of an argon2id verifier; AuthError if it is damaged."""
    parts = verifier.split("$")
    if len(parts) != 5 or parts[0] != _SCHEME or parts[1] != "v1":
        raise AuthError("corrupt_verifier", "unknown verifier format")
    kdf = Kdf(parts[3], Params.decode(parts[2]))
    tag = _unb64(parts[4])
    if len(tag) != 32 or len(_unb64(kdf.salt)) < 8:
        raise AuthError("corrupt_verifier", "verifier has a bad salt or tag")
    return kdf, tag


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of a PIN check. ``upgrade`` is a new verifier to store (the old one
    was legacy or weaker than today's parameters); ``key`` the signing key."""

    ok: bool
    upgrade: str | None = None
    key: bytes | None = field(default=None, repr=False)


def is_legacy(verifier: str) -> bool:
    return bool(_LEGACY.fullmatch(verifier or ""))


def check(verifier: str, user_id: str, pin: str, kdf: Kdf | None = None,
          params: Params = DEFAULT_PARAMS) -> Check:
    """Is ``pin`` the PIN behind ``verifier``? ``kdf`` is the platform's salt and
    parameters for this user (for the upgrade and the signing key), when known.

    Raises AuthError("corrupt_verifier") for a damaged verifier (never a silent no),
    and the PIN's own problem (empty, not digits) before any work is done.
    """
    problem = pin_problem(pin)
    if problem:
        raise AuthError(problem, f"not a valid PIN ({problem})")
    if not verifier:
        raise AuthError("no_verifier", "no verifier for this user at this desk")
    if is_legacy(verifier):
        legacy = hashlib.sha256(f"{user_id}:{pin}".encode()).hexdigest()
        if not hmac.compare_digest(legacy.encode(), verifier.encode()):
            return Check(False)
        fresh = derive(pin, kdf or Kdf(new_salt(), params))
        return Check(True, fresh.verifier, fresh.key)
    have, tag = parse(verifier)
    k = _derive(pin, have)
    if not hmac.compare_digest(_tag(k), tag):
        return Check(False)
    # the platform's salt and parameters win (the key must be the one it holds); without
    # them, a verifier weaker than today's parameters is made again
    if (kdf is not None and kdf != have) or (kdf is None and have.params.weaker_than(params)):
        fresh = derive(pin, kdf or Kdf(new_salt(), params))
        return Check(True, fresh.verifier, fresh.key)
    return Check(True, None, signing_key(k))


# -- signatures ---------------------------------------------------------------------------

def canonical(payload: dict[str, Any]) -> bytes:
    """The bytes a signature covers: sorted-key compact JSON, no NaN."""
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode()


def sign(key: bytes, payload: dict[str, Any]) -> str:
    return hmac.new(key, canonical(payload), hashlib.sha256).hexdigest()


def signature_ok(key: bytes, payload: dict[str, Any], signature: str) -> bool:
    try:
        expected = sign(key, payload)
    except (TypeError, ValueError):
        return False
    return hmac.compare_digest(expected.encode(), str(signature).encode())


def command_payload(command: dict[str, Any]) -> dict[str, Any]:
    """What an officer's signature on a command (or duty record) covers: everything
    but the signature itself, so a changed actor, verb, ticket or parameter breaks it."""
    actor = {k: v for k, v in (command.get("actor") or {}).items() if k != "sig"}
    return {**{k: v for k, v in command.items() if k != "actor"}, "actor": actor}


def sign_command(command: dict[str, Any], credential: Credential) -> dict[str, Any]:
    """``command`` with ``actor.sig`` set (a new dict; the input is not changed)."""
    out = {**command, "actor": {k: v for k, v in command["actor"].items() if k != "sig"}}
    out["actor"]["sig"] = credential.sign(command_payload(out))
    return out


def command_signed_by(command: dict[str, Any], key: bytes) -> bool:
    sig = (command.get("actor") or {}).get("sig")
    return bool(sig) and signature_ok(key, command_payload(command), sig)


# -- wrong PINs ---------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class Attempts:
    """Wrong PINs in a row for one user at one desk; ``locks`` counts the locks so far
    (each lock lasts twice the one before); ``locked_until`` is an epoch or None."""

    failures: int = 0
    locks: int = 0
    locked_until: float | None = None


@dataclass(frozen=True, slots=True)
class Lockout:
    """After ``limit`` wrong PINs the account is locked on that desk for ``first_s``,
    doubling with each further lock up to ``max_s``."""

    limit: int = 5
    first_s: float = 300.0
    max_s: float = 24 * 3600.0

    def remaining(self, a: Attempts, now: float) -> float:
        """Seconds the lock still runs (0 when not locked)."""
        return max(0.0, (a.locked_until or 0.0) - now)

    def failed(self, a: Attempts, now: float) -> Attempts:
        failures = a.failures + 1
        if failures < self.limit:
            return Attempts(failures, a.locks, a.locked_until)
        span = min(self.max_s, self.first_s * (2 ** a.locks))
        return Attempts(0, a.locks + 1, now + span)

    @staticmethod
    def succeeded(a: Attempts) -> Attempts:
        """A right PIN clears the count; the lock history stays until an unlock."""
        return Attempts(0, a.locks, None)

    @staticmethod
    def unlocked(a: Attempts) -> Attempts:
        return Attempts()
