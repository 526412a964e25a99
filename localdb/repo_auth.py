"""Accounts at this desk: the cached verifier, the platform's KDF salt, wrong-PIN counts."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from console.domain.auth import Attempts, Kdf


def account(session: Session, user_id: str) -> dict[str, Any] | None:
    """id, name, role, verifier, kdf (a ``Kdf`` or None), disabled — or None."""
    r = session.execute(text("SELECT id, name, role, verifier, kdf, disabled FROM users WHERE id = :i"),
                        {"i": user_id}).first()
    if r is None:
        return None
    try:
        kdf = Kdf.from_dict(json.loads(r.kdf)) if r.kdf else None
    except ValueError:
        kdf = None
    return {"id": r.id, "name": r.name, "role": r.role, "verifier": r.verifier or "",
            "kdf": kdf, "disabled": bool(r.disabled)}


def set_verifier(session: Session, user_id: str, verifier: str) -> None:
    session.execute(text("UPDATE users SET verifier = :v WHERE id = :i"), {"v": verifier, "i": user_id})


def attempts(session: Session, user_id: str, workstation: str) -> Attempts:
    r = session.execute(text("SELECT failures, locks, locked_until FROM login_attempts "
                             "WHERE user_id = :u AND workstation = :w"),
                        {"u": user_id, "w": workstation}).first()
    return Attempts() if r is None else Attempts(int(r.failures), int(r.locks), r.locked_until)


def save_attempts(session: Session, user_id: str, workstation: str, a: Attempts, now: float) -> None:
    session.execute(text(
        "INSERT INTO login_attempts (user_id, workstation, failures, locks, locked_until, updated_at) "
        "VALUES (:u, :w, :f, :l, :t, :n) ON CONFLICT (user_id, workstation) DO UPDATE SET "
        "failures = excluded.failures, locks = excluded.locks, locked_until = excluded.locked_until, "
        "updated_at = excluded.updated_at"),
        {"u": user_id, "w": workstation, "f": a.failures, "l": a.locks, "t": a.locked_until, "n": now})


def locked_accounts(session: Session, now: float) -> list[dict[str, Any]]:
    """Accounts locked at some desk right now (for the shift leader's unlock)."""
    rows = session.execute(text(
        "SELECT a.user_id, a.workstation, a.locked_until, u.name FROM login_attempts a "
        "LEFT JOIN users u ON u.id = a.user_id WHERE a.locked_until > :n ORDER BY a.locked_until"),
        {"n": now}).all()
    return [dict(r._mapping) for r in rows]
