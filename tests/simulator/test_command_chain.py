"""The platform refuses a decision from someone who does not hold command at that time
(指挥长 → 常务副指挥长 → 副指挥长, console.domain.command), over real HTTP against a real
simulator run as the CLI runs it (signatures required, duty checked)."""

from __future__ import annotations

import datetime as dt
import time
import uuid

import pytest

from console.domain import auth
from console.domain import roster as R
from simulator.testing import running_simulator

from .conftest import Api, cmd, new_ticket_dict

PIN = "1234"


@pytest.fixture()
def strict(tmp_path):
    with running_simulator(tmp_path / "sim", seed=11, history_days=0.1, daily_rate=100, token="tok",
                           require_signatures=True, check_duty=True) as s:
        yield s


def actor(uid: str, ws: str) -> dict:
    return {"user_id": uid, "name": uid, "role": "commander", "workstation": ws}


def test_a_decision_by_a_non_holder_is_refused_and_the_deputy_acts_once_the_commander_leaves(strict):
    rt = strict.rt
    api = Api(strict.url, strict.token)
    date, _ = R.DEFAULT_PLAN.shift_at(dt.datetime.fromtimestamp(rt.clock.now(), R.SHANGHAI))
    chain = {e["role"]: e["person_id"] for e in rt.people.roster(date, date)
             if e["role"] in ("commander", "executive_deputy", "deputy")}
    cmdr, execd = chain["commander"], chain["executive_deputy"]
    keys = {u: auth.derive(PIN, rt.accounts.get(u).kdf).key for u in (cmdr, execd)}
    ws = {cmdr: "WS-CMD", execd: "WS-02"}
    for u in (cmdr, execd):
        at = time.time()
        proof = auth.sign(keys[u], {"login": u, "workstation": ws[u], "at": at})
        r = api.post("/api/v1/sessions", json={"user_id": u, "workstation": ws[u], "at": at, "proof": proof})
        assert r.status_code == 200, r.text

    def send(uid, verb, version, params, ticket_id):
        c = auth.sign_command(cmd(ticket_id, verb, version, params, actor=actor(uid, ws[uid])),
                              auth.Credential(uid, keys[uid]))
        r = api.commands(c)
        assert r.status_code == 200, r.text
        return r.json()["results"][0]

    t = new_ticket_dict()
    assert send(cmdr, "create", None, {"ticket": t}, t["id"])["status"] == "applied"
    # the commander is in the hall: the executive deputy does not hold command
    res = send(execd, "instruct", 0, {"text": "立即处置"}, t["id"])
    assert (res["status"], res["code"]) == ("rejected", "no_command_authority")
    assert "指挥长" in res["reason"]

    # the commander marks themselves off post (a signed duty record of kind "command")
    mark = {"record_id": str(uuid.uuid4()), "kind": "command", "issued_at": rt.clock.now(),
            "data": {"id": str(uuid.uuid4()), "person_id": cmdr, "event": "off_post",
                     "at": rt.clock.now(), "workstation": ws[cmdr]},
            "actor": actor(cmdr, ws[cmdr])}
    r = api.post("/api/v1/duty-records", json={"records": [auth.sign_command(mark, auth.Credential(cmdr, keys[cmdr]))]})
    assert r.status_code == 200 and r.json()["results"][0]["status"] == "applied", r.text
    # nobody may mark someone else off post
    forged = {**mark, "record_id": str(uuid.uuid4()),
              "data": {**mark["data"], "id": str(uuid.uuid4()), "person_id": execd}}
    r = api.post("/api/v1/duty-records", json={"records": [auth.sign_command(forged, auth.Credential(cmdr, keys[cmdr]))]})
    assert r.json()["results"][0]["status"] == "rejected"

    # now the commander's own decision is refused and the executive deputy's applies,
    # recording the authority it was made under
    res = send(cmdr, "instruct", 0, {"text": "我来批"}, t["id"])
    assert (res["status"], res["code"]) == ("rejected", "no_command_authority")
    res = send(execd, "instruct", 0, {"text": "立即处置", "authority": "代行指挥长职责（常务副指挥长）"}, t["id"])
    assert res["status"] == "applied", res
    feed, _ = api.drain()
    ev = [i["data"] for i in feed if i["kind"] == "ticket_event" and i["data"]["ticket_id"] == t["id"]
          and i["data"]["action"] == "instruct"]
    assert ev and ev[-1]["params"]["authority"] == "代行指挥长职责（常务副指挥长）"


def test_the_platform_keeps_the_night_hand_off_from_a_leader_only(strict):
    rt = strict.rt
    api = Api(strict.url, strict.token)
    feed, _ = api.drain()
    pattern = [i["data"] for i in feed if i["kind"] == "duty_pattern"]
    assert pattern and pattern[-1]["kind"] == "three_crews_two_shifts"   # the demo street's
    now = rt.clock.now()

    def rec(uid, role):
        key = auth.derive(PIN, rt.accounts.get(uid).kdf).key
        at = time.time()
        proof = auth.sign(key, {"login": uid, "workstation": "WS-L", "at": at})
        assert api.post("/api/v1/sessions", json={"user_id": uid, "workstation": "WS-L", "at": at,
                                                   "proof": proof}).status_code == 200
        r = {"record_id": str(uuid.uuid4()), "kind": "night_watch", "issued_at": now,
             "data": {"id": str(uuid.uuid4()), "shift_date": "2026-11-22", "station": "上钢新村派出所",
                      "handed_by": uid, "handed_at": now, "details": {"cameras": ["C001"]}},
             "actor": {"user_id": uid, "name": uid, "role": role, "workstation": "WS-L"}}
        return auth.sign_command(r, auth.Credential(uid, key))

    res = api.post("/api/v1/duty-records", json={"records": [rec("officer1", "officer")]}).json()["results"][0]
    assert (res["status"], res["code"]) == ("rejected", "forbidden_role")
    res = api.post("/api/v1/duty-records", json={"records": [rec("leader1", "shift_leader")]}).json()["results"][0]
    assert res["status"] == "applied", res


def test_the_demo_street_shows_one_night_handed_to_the_police_station(strict):
    feed, _ = Api(strict.url, strict.token).drain()
    recs = [i["data"] for i in feed if i["kind"] == "duty_record" and i["data"]["kind"] == "night_watch"]
    assert len(recs) == 1
    w = recs[0]["data"]
    assert w["station"] == "上钢新村派出所" and w["taken_back_at"] > w["handed_at"]
    start = dt.datetime.fromtimestamp(w["handed_at"], R.SHANGHAI)
    assert (start.hour, start.minute) == (22, 55)
