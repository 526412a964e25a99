"""Checking an officer's PIN at this desk: login, second review, handover signatures.

One function, ``verify``, serves every place a PIN is typed. It refuses a locked
account before any work, runs the KDF once (``console.domain.auth``), counts wrong PINs
and locks the account on this desk after ``Lockout.limit`` of them, replaces an old or
weaker verifier after a right PIN, and leaves an audit entry and a duty record
(kind ``auth``, docs/CONTRACT.md) for every success, failure, lock and unlock, so the
platform learns of them at the next push.

Online, the platform decides (``confirm``: it checks the login proof, knows disabled
accounts and changed PINs); the desk then caches a verifier from the same derivation.
Offline (``confirm`` absent or the link down), the cached verifier decides.
"""

from __future__ import annotations

import hmac
import logging
from dataclasses import dataclass
from typing import Any, Callable

from console.domain import auth
from console.domain.model import Actor, Role
from console.operations import duty as duty_ops
from console.operations.duty import DutyError
from localdb import Store, repo_auth
from localdb.actions import audit

log = logging.getLogger(__name__)

#: who may lift a lock
UNLOCK_ROLES = frozenset({Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN})


class AuthRefused(DutyError):
    """A PIN check that did not let the officer in. ``code``: ``empty``, ``not_digits``,
    ``length``, ``unknown_user``, ``disabled``, ``locked``, ``wrong_pin``,
    ``corrupt_verifier``, ``no_verifier``, ``forbidden``; ``remaining_s`` for ``locked``."""

    def __init__(self, code: str, message: str, remaining_s: float = 0.0):
        super().__init__(message)
        self.code, self.message, self.remaining_s = code, message, remaining_s


class Unreachable(Exception):
    """``confirm`` could not reach the platform: the cached verifier decides."""


@dataclass(frozen=True, slots=True)
class Confirmed:
    """The platform's answer to a good login proof."""

    session_id: str
    name: str
    role: str


#: confirm(user_id, workstation, at, proof) -> Confirmed; raises AuthRefused or Unreachable
Confirm = Callable[[str, str, float, str], Confirmed]


_REASONS = {"corrupt_verifier": "本机保存的密码校验数据已损坏，请连接区平台后登录",
            "no_verifier": "本机尚无此账号的登录记录，请在连接区平台时登录",
            "disabled": "此账号已被区平台停用",
            "locked": "账号已在区平台锁定，请稍后再试或请值班长解锁"}


def login_proof(key: bytes, user_id: str, workstation: str, at: float) -> str:
    """What the desk sends the platform instead of the PIN (the platform holds the key)."""
    return auth.sign(key, {"login": user_id, "workstation": workstation, "at": at})


def _role(raw: str) -> Role:
    try:
        return Role(raw)
    except ValueError:
        return Role.OFFICER


def _event(s, who: Actor, event: str, user_id: str, workstation: str, now: float,
           **extra: Any) -> None:
    """Audit entry + duty record ``auth`` for a login event."""
    data = {"event": event, "user_id": user_id, "workstation": workstation, "at": now, **extra}
    audit(s, who, f"auth_{event}", None, data, now)
    duty_ops.record(s, who, "auth", data, now)


def verify(store: Store, user_id: str, pin: str, workstation: str, now: float,
           lockout: auth.Lockout = auth.Lockout(), confirm: Confirm | None = None,
           purpose: str = "login") -> Actor:
    """The Actor (with its signing credential) if ``pin`` is ``user_id``'s, else AuthRefused.

    ``purpose`` (login, second_review, handover_sign, ...) is kept in the audit entry.
    """
    user_id = user_id.strip()
    problem = auth.pin_problem(pin)
    if problem:  # nothing typed that could be a PIN: no attempt is counted
        raise AuthRefused(problem, {"empty": "请输入密码", "not_digits": "密码只能是数字",
                                    "length": "密码长度不对"}[problem])
    refusal: AuthRefused | None = None
    with store.write() as s:  # refusals are raised after the commit: what they record stays
        acc = repo_auth.account(s, user_id)
        if acc is None:
            raise AuthRefused("unknown_user", "工号或密码错误")
        who = Actor(acc["id"], acc["name"] or acc["id"], _role(acc["role"]), workstation)
        left = lockout.remaining(repo_auth.attempts(s, user_id, workstation), now)
        if acc["disabled"]:
            refusal = AuthRefused("disabled", "此账号已被区平台停用")
        elif left > 0:
            refusal = AuthRefused("locked", f"账号已锁定，请{int(left // 60) + 1}分钟后再试或请值班长解锁", left)
        if refusal is not None:
            _event(s, who, "refused", user_id, workstation, now, reason=refusal.code, purpose=purpose)
    if refusal is not None:
        raise refusal
    # the KDF runs outside the write transaction (it takes a few hundred ms)
    ok, upgrade, key, reason = _check(acc, pin, workstation, now, confirm)
    with store.write() as s:
        attempts = repo_auth.attempts(s, user_id, workstation)
        if not ok:
            after = lockout.failed(attempts, now)
            repo_auth.save_attempts(s, user_id, workstation, after, now)
            _event(s, who, "failed", user_id, workstation, now, reason=reason, purpose=purpose,
                   failures=attempts.failures + 1)
            if after.locked_until is not None and after.locks > attempts.locks:
                _event(s, who, "locked", user_id, workstation, now, until=after.locked_until,
                       locks=after.locks)
                refusal = AuthRefused("locked", f"密码错误次数过多，账号已锁定{int((after.locked_until - now) // 60)}分钟",
                                      after.locked_until - now)
            elif reason in _REASONS:
                refusal = AuthRefused(reason, _REASONS[reason])
            else:
                refusal = AuthRefused("wrong_pin", f"工号或密码错误（还可尝试{lockout.limit - after.failures}次）")
        else:
            credential = auth.Credential(user_id, key) if key else None
            actor = Actor(who.user_id, who.name, who.role, workstation, credential=credential)
            repo_auth.save_attempts(s, user_id, workstation, lockout.succeeded(attempts), now)
            if upgrade:
                repo_auth.set_verifier(s, user_id, upgrade)
            _event(s, actor, "succeeded", user_id, workstation, now, purpose=purpose)
    if refusal is not None:
        raise refusal
    log.info("PIN accepted for %s at %s (%s)", user_id, workstation, purpose)
    return actor


def _check(acc: dict[str, Any], pin: str, workstation: str, now: float,
           confirm: Confirm | None) -> tuple[bool, str | None, bytes | None, str]:
    """(ok, verifier to store, signing key, reason when not ok). One KDF run."""
    kdf: auth.Kdf | None = acc["kdf"]
    if confirm is not None and kdf is not None:
        secrets = auth.derive(pin, kdf)
        try:
            confirm(acc["id"], workstation, now, login_proof(secrets.key, acc["id"], workstation, now))
        except Unreachable:
            log.info("platform unreachable for the login of %s: the cached verifier decides", acc["id"])
            if not acc["verifier"] or auth.is_legacy(acc["verifier"]):
                return _offline(acc, pin, kdf)
            try:
                have, _ = auth.parse(acc["verifier"])
            except auth.AuthError as exc:
                return False, None, None, exc.code
            if have != kdf:  # cached for another salt: run the KDF the cache needs
                return _offline(acc, pin, kdf)
            ok = hmac.compare_digest(secrets.verifier.encode(), acc["verifier"].encode())
            return ok, None, secrets.key if ok else None, "" if ok else "wrong_pin"
        except AuthRefused as exc:
            return False, None, None, exc.code
        return True, None if secrets.verifier == acc["verifier"] else secrets.verifier, secrets.key, ""
    return _offline(acc, pin, kdf)


def _offline(acc: dict[str, Any], pin: str, kdf: auth.Kdf | None) -> tuple[bool, str | None, bytes | None, str]:
    try:
        res = auth.check(acc["verifier"], acc["id"], pin, kdf=kdf)
    except auth.AuthError as exc:
        return False, None, None, exc.code
    if not res.ok:
        return False, None, None, "wrong_pin"
    # a key from a salt the platform does not know signs nothing it can check
    key = res.key if kdf is not None else None
    return True, res.upgrade, key, ""


def unlock(store: Store, actor: Actor, user_id: str, workstation: str, now: float) -> None:
    """The shift leader lifts a lock on ``user_id`` at ``workstation``."""
    if actor.role not in UNLOCK_ROLES:
        raise AuthRefused("forbidden", "只有值班长可以解锁账号")
    with store.write() as s:
        a = repo_auth.attempts(s, user_id, workstation)
        repo_auth.save_attempts(s, user_id, workstation, auth.Lockout.unlocked(a), now)
        _event(s, actor, "unlocked", user_id, workstation, now, by=actor.user_id)


def locked_accounts(store: Store, now: float) -> list[dict[str, Any]]:
    with store.session() as s:
        return repo_auth.locked_accounts(s, now)


