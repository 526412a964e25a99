"""The one PIN module: argon2id verifiers, upgrade of old ones, signatures, lockout."""

from __future__ import annotations

import hashlib

import pytest

from console.domain import auth

CHEAP = auth.Params(memory_kib=1024, time_cost=1, parallelism=1)  # format tests only


def test_verifier_holds_salt_and_parameters_and_checks_the_pin():
    v = auth.make_verifier("482916")
    kdf, tag = auth.parse(v)
    assert v.startswith("argon2id$v1$m=65536,t=3,p=1$")
    assert kdf.params == auth.DEFAULT_PARAMS and len(tag) == 32
    assert "482916" not in v
    ok = auth.check(v, "u1", "482916")
    assert ok.ok and ok.upgrade is None and ok.key
    assert not auth.check(v, "u1", "482917").ok


def test_two_users_with_one_pin_have_different_verifiers():
    assert auth.make_verifier("1234") != auth.make_verifier("1234")


def test_old_sha256_verifier_is_accepted_once_and_upgraded():
    legacy = hashlib.sha256(b"officer1:1234").hexdigest()
    assert not auth.check(legacy, "officer1", "9999").ok
    res = auth.check(legacy, "officer1", "1234")
    assert res.ok and res.upgrade and res.upgrade.startswith("argon2id$")
    assert auth.check(res.upgrade, "officer1", "1234").ok


def test_weaker_parameters_are_upgraded_at_the_next_right_pin():
    weak = auth.make_verifier("1234", auth.Kdf(auth.new_salt(), CHEAP))
    res = auth.check(weak, "u", "1234")
    assert res.ok and auth.parse(res.upgrade)[0].params == auth.DEFAULT_PARAMS


@pytest.mark.parametrize("pin,code", [("", "empty"), ("12a4", "not_digits"), ("１２３４", "not_digits"),
                                      ("12", "length"), (" 1234", "not_digits")])
def test_bad_pins_are_named_before_any_work(pin, code):
    assert auth.pin_problem(pin) == code
    with pytest.raises(auth.AuthError) as e:
        auth.check(auth.make_verifier("1234", auth.Kdf(auth.new_salt(), CHEAP)), "u", pin)
    assert e.value.code == code


@pytest.mark.parametrize("bad", ["argon2id$v1$m=x$abc$def", "argon2id$v2$m=1024,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
                                 "bcrypt$whatever", "argon2id$v1$m=1024,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA",
                                 "argon2id$v1$m=99999999999,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$" + "A" * 43])
def test_a_damaged_verifier_is_an_error_not_a_no(bad):
    with pytest.raises(auth.AuthError) as e:
        auth.check(bad, "u", "1234")
    assert e.value.code == "corrupt_verifier"


def test_one_derivation_gives_the_verifier_and_the_platforms_signing_key():
    kdf = auth.Kdf(auth.new_salt(), CHEAP)
    desk = auth.derive("1234", kdf)
    platform = auth.derive("1234", kdf)  # the platform derived it when the PIN was set
    assert desk.key == platform.key
    assert desk.key not in desk.verifier.encode() and auth.parse(desk.verifier)[1] != desk.key
    assert auth.check(desk.verifier, "u", "1234", kdf=kdf, params=CHEAP).key == desk.key


def test_signature_covers_actor_verb_ticket_and_parameters():
    key = auth.derive("1234", auth.Kdf(auth.new_salt(), CHEAP)).key
    other = auth.derive("1234", auth.Kdf(auth.new_salt(), CHEAP)).key
    cmd = {"command_id": "c1", "ticket_id": "t1", "verb": "accept", "params": {"note": "x"},
           "expected_version": 3, "issued_at": 1.5,
           "actor": {"user_id": "officer1", "name": "n", "role": "officer", "workstation": "ws"}}
    signed = auth.sign_command(cmd, auth.Credential("officer1", key))
    assert "sig" not in cmd["actor"] and auth.command_signed_by(signed, key)
    assert not auth.command_signed_by(signed, other)
    for change in ({"verb": "close"}, {"ticket_id": "t2"}, {"params": {"note": "y"}},
                   {"actor": {**signed["actor"], "user_id": "leader1"}},
                   {"actor": {**signed["actor"], "role": "shift_leader"}}):
        assert not auth.command_signed_by({**signed, **change}, key)


def test_lockout_after_the_limit_grows_and_clears():
    rule = auth.Lockout(limit=3, first_s=60)
    a = auth.Attempts()
    for _ in range(2):
        a = rule.failed(a, 1000.0)
    assert rule.remaining(a, 1000.0) == 0 and a.failures == 2
    a = rule.failed(a, 1000.0)
    assert rule.remaining(a, 1000.0) == 60 and a.locks == 1
    assert rule.remaining(a, 1061.0) == 0
    for _ in range(3):
        a = rule.failed(a, 2000.0)
    assert rule.remaining(a, 2000.0) == 120  # the second lock lasts twice as long
    assert rule.remaining(rule.unlocked(a), 2000.0) == 0
    assert rule.succeeded(a).failures == 0
