"""PIN checks at a desk: lockout per desk, audit and duty records, unlock, upgrade, refusals."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import text

from console.domain import auth
from console.domain.model import Actor, Role
from console.operations import auth as ops
from localdb import repo_auth
from localdb.feed import apply_changes

LEADER = Actor("leader1", "值班长", Role.SHIFT_LEADER, "ws-1")


def _users(store, *users):
    changes = [{"seq": i + 1, "kind": "user", "op": "upsert", "id": uid,
                "data": {"id": uid, "name": uid, "role": role,
                         "pin_hash": hashlib.sha256(f"{uid}:1234".encode()).hexdigest(), **extra}}
               for i, (uid, role, extra) in enumerate(users)]
    apply_changes(store, changes, "c1")


def _audit(store):
    with store.session() as s:
        return [(r.action, json.loads(r.details)) for r in
                s.execute(text("SELECT action, details FROM audit_log ORDER BY id"))]


def _records(store):
    with store.session() as s:
        return [json.loads(r.params) for r in
                s.execute(text("SELECT params FROM outbox WHERE verb='duty_record' ORDER BY seq"))]


def test_wrong_pins_lock_the_account_at_that_desk_and_the_leader_unlocks(store):
    _users(store, ("officer1", "officer", {}), ("leader1", "shift_leader", {}))
    rule = auth.Lockout(limit=3, first_s=300)
    for i in range(2):
        with pytest.raises(ops.AuthRefused) as e:
            ops.verify(store, "officer1", "0000", "ws-1", 1000.0 + i, rule)
        assert e.value.code == "wrong_pin"
    with pytest.raises(ops.AuthRefused) as e:
        ops.verify(store, "officer1", "0000", "ws-1", 1002.0, rule)
    assert e.value.code == "locked" and e.value.remaining_s == 300
    # even the right PIN is refused while locked, without running the KDF
    with pytest.raises(ops.AuthRefused) as e:
        ops.verify(store, "officer1", "1234", "ws-1", 1010.0, rule)
    assert e.value.code == "locked"
    # another desk is not locked
    assert ops.verify(store, "officer1", "1234", "ws-2", 1010.0, rule).user_id == "officer1"
    assert [a["user_id"] for a in ops.locked_accounts(store, 1010.0)] == ["officer1"]
    with pytest.raises(ops.AuthRefused):
        ops.unlock(store, Actor("officer2", "x", Role.OFFICER, "ws-1"), "officer1", "ws-1", 1011.0)
    ops.unlock(store, LEADER, "officer1", "ws-1", 1012.0)
    assert ops.verify(store, "officer1", "1234", "ws-1", 1013.0, rule).user_id == "officer1"
    actions = [a for a, _ in _audit(store)]
    assert actions == ["auth_failed", "auth_failed", "auth_failed", "auth_locked", "auth_refused",
                       "auth_succeeded", "auth_unlocked", "auth_succeeded"]
    details = dict(_audit(store))
    assert details["auth_locked"]["workstation"] == "ws-1" and details["auth_locked"]["at"] == 1002.0
    # every event also goes to the platform as a duty record of kind auth
    recs = [r for r in _records(store) if r["kind"] == "auth"]
    assert [r["data"]["event"] for r in recs] == ["failed", "failed", "failed", "locked", "refused",
                                                   "succeeded", "unlocked", "succeeded"]
    assert recs[6]["data"]["by"] == "leader1"


def test_a_lock_grows_each_time(store):
    _users(store, ("officer1", "officer", {}))
    rule = auth.Lockout(limit=1, first_s=60)
    with pytest.raises(ops.AuthRefused) as first:
        ops.verify(store, "officer1", "0000", "ws", 0.0, rule)
    with pytest.raises(ops.AuthRefused) as second:
        ops.verify(store, "officer1", "0000", "ws", 100.0, rule)
    assert (first.value.remaining_s, second.value.remaining_s) == (60, 120)


def test_old_verifier_is_replaced_at_the_first_right_pin(store):
    _users(store, ("officer1", "officer", {}))
    ops.verify(store, "officer1", "1234", "ws", 0.0)
    with store.session() as s:
        v = repo_auth.account(s, "officer1")["verifier"]
    assert v.startswith("argon2id$") and not auth.is_legacy(v)
    assert ops.verify(store, "officer1", "1234", "ws", 1.0).user_id == "officer1"
    with pytest.raises(ops.AuthRefused):
        ops.verify(store, "officer1", "4321", "ws", 2.0)


def test_refusals_are_named(store):
    _users(store, ("officer1", "officer", {}), ("gone", "officer", {"disabled": True}),
           ("new", "officer", {"pin_hash": None}))
    for uid, pin, code in (("officer1", "", "empty"), ("officer1", "12ab", "not_digits"),
                           ("ghost", "1234", "unknown_user"), ("gone", "1234", "disabled"),
                           ("new", "1234", "no_verifier")):
        with pytest.raises(ops.AuthRefused) as e:
            ops.verify(store, uid, pin, "ws", 0.0)
        assert e.value.code == code, uid
    with store.write() as s:
        repo_auth.set_verifier(s, "officer1", "argon2id$v1$garbage")
    with pytest.raises(ops.AuthRefused) as e:
        ops.verify(store, "officer1", "1234", "ws", 0.0)
    assert e.value.code == "corrupt_verifier"


def test_the_platform_decides_when_reachable(store):
    kdf = auth.Kdf(auth.new_salt(), auth.Params(1024, 1, 1))
    _users(store, ("officer1", "officer", {"kdf": kdf.to_dict(), "pin_hash": None}))
    platform_key = auth.derive("1234", kdf).key
    seen = []

    def confirm(uid, ws, at, proof):
        seen.append(uid)
        if not auth.signature_ok(platform_key, {"login": uid, "workstation": ws, "at": at}, proof):
            raise ops.AuthRefused("wrong_pin", "no")
        return ops.Confirmed("s1", uid, "officer")

    with pytest.raises(ops.AuthRefused):
        ops.verify(store, "officer1", "9999", "ws", 0.0, confirm=confirm)
    actor = ops.verify(store, "officer1", "1234", "ws", 1.0, confirm=confirm)
    assert actor.credential.key == platform_key and seen == ["officer1", "officer1"]

    def down(*_a):
        raise ops.Unreachable("link down")

    # offline: the verifier cached at the online login serves
    assert ops.verify(store, "officer1", "1234", "ws", 2.0, confirm=down).credential.key == platform_key
    with pytest.raises(ops.AuthRefused):
        ops.verify(store, "officer1", "1111", "ws", 3.0, confirm=down)
