"""The platform checks who acts, over real HTTP: logins by proof (never the PIN), lockout,
and commands whose named actor is forged, replayed, unsigned, off the desk or of another
street are refused; a properly signed command by a logged-in officer is applied."""

from __future__ import annotations

import time
import uuid

import pytest

from console.domain import auth
from simulator.testing import running_simulator

from .conftest import Api, cmd, new_ticket_dict

PIN = "1234"


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    """A platform as the CLI runs it: signatures required, on-duty checked."""
    with running_simulator(tmp_path_factory.mktemp("strict"), seed=7, history_days=0.1,
                           daily_rate=200, token="tok", require_signatures=True,
                           check_duty=True) as s:
        yield s


@pytest.fixture(scope="module")
def keys(strict):
    return {uid: auth.derive(PIN, strict.rt.accounts.get(uid).kdf).key
            for uid in ("officer1", "officer2", "officer3")}


def actor(uid: str, role: str = "officer", ws: str = "WS-01") -> dict:
    return {"user_id": uid, "name": uid, "role": role, "workstation": ws}


def login(api: Api, uid: str, key: bytes, ws: str = "WS-01", at: float | None = None):
    at = time.time() if at is None else at
    proof = auth.sign(key, {"login": uid, "workstation": ws, "at": at})
    return api.post("/api/v1/sessions", json={"user_id": uid, "workstation": ws, "at": at, "proof": proof})


def signed(command: dict, uid: str, key: bytes) -> dict:
    return auth.sign_command(command, auth.Credential(uid, key))


def result(api: Api, command: dict) -> dict:
    r = api.commands(command)
    assert r.status_code == 200, r.text
    return r.json()["results"][0]


def test_a_login_is_a_proof_checked_by_the_platform_and_wrong_ones_lock(strict, keys):
    api = Api(strict.url, strict.token)
    ok = login(api, "officer1", keys["officer1"])
    assert ok.status_code == 200 and ok.json()["user"]["role"] == "officer" and ok.json()["session_id"]
    wrong = auth.derive("9999", strict.rt.accounts.get("officer3").kdf).key
    codes = [login(api, "officer3", wrong).json()["error"]["code"] for _ in range(5)]
    assert codes == ["wrong_pin"] * 4 + ["locked"]
    locked = login(api, "officer3", keys["officer3"])  # even the right PIN, while locked
    assert locked.status_code == 423 and int(locked.headers["Retry-After"]) > 0
    assert login(api, "ghost", keys["officer1"]).json()["error"]["code"] == "unknown_user"
    stale = login(api, "officer1", keys["officer1"], at=time.time() - 3600)
    assert stale.json()["error"]["code"] == "stale_proof"


def test_commands_in_someone_elses_name_are_refused(strict, keys):
    api = Api(strict.url, strict.token)
    for uid in ("officer1", "officer2"):
        assert login(api, uid, keys[uid]).status_code == 200
    t = new_ticket_dict()
    create = signed(cmd(t["id"], "create", None, {"ticket": t}, actor=actor("officer1")), "officer1",
                    keys["officer1"])
    assert result(api, create)["status"] == "applied"

    # a forged actor: no such account
    forged = cmd(t["id"], "accept", 0, actor=actor("nobody-here", "commander"))
    assert result(api, forged)["code"] == "unknown_actor"
    # a real officer claiming a higher role
    claim = signed(cmd(t["id"], "accept", 0, actor=actor("officer1", "shift_leader")), "officer1",
                   keys["officer1"])
    assert result(api, claim)["code"] == "role_mismatch"
    # officer1's signed command replayed with officer2 named as the actor
    good = signed(cmd(t["id"], "accept", 0, actor=actor("officer1")), "officer1", keys["officer1"])
    replay = {**good, "command_id": str(uuid.uuid4()), "actor": {**good["actor"], "user_id": "officer2",
                                                                  "name": "officer2"}}
    assert result(api, replay)["code"] == "bad_signature"
    # the same command with its parameters changed after signing
    tampered = {**good, "params": {"note": "changed"}}
    assert result(api, tampered)["code"] == "bad_signature"
    # no signature at all
    assert result(api, cmd(t["id"], "accept", 0, actor=actor("officer1")))["code"] == "unsigned"
    # signed, but officer1 never logged in at WS-09
    elsewhere = signed(cmd(t["id"], "accept", 0, actor=actor("officer1", ws="WS-09")), "officer1",
                       keys["officer1"])
    assert result(api, elsewhere)["code"] == "not_logged_in"
    # nothing above changed the ticket; the genuine command applies
    applied = result(api, good)
    assert applied["status"] == "applied" and applied["ticket"]["state"] == "accepted"


def test_a_ticket_of_another_street_is_refused(strict, keys):
    api = Api(strict.url, strict.token)
    assert login(api, "officer1", keys["officer1"]).status_code == 200
    t = new_ticket_dict(grids={"district": "310115", "street": "S-ELSEWHERE"})
    create = signed(cmd(t["id"], "create", None, {"ticket": t}, actor=actor("officer1")), "officer1",
                    keys["officer1"])
    res = result(api, create)
    assert res["status"] == "rejected" and res["code"] == "other_street"


def test_an_instruction_by_a_commander_off_duty_is_refused(strict):
    rt = strict.rt
    now = rt.clock.now()
    off = next(u for u in rt.people.commanders if not rt.on_duty(u, now))
    key = auth.derive(PIN, rt.accounts.get(off).kdf).key
    api = Api(strict.url, strict.token)
    assert login(api, off, key).status_code == 200
    t = new_ticket_dict()
    res = result(api, signed(cmd(t["id"], "create", None, {"ticket": t}, actor=actor(off, "commander")),
                             off, key))
    assert res["status"] == "applied"
    instruct = signed(cmd(t["id"], "instruct", 0, {"text": "立即处置"}, actor=actor(off, "commander")),
                      off, key)
    res = result(api, instruct)
    assert res["status"] == "rejected" and res["code"] == "not_on_duty"
