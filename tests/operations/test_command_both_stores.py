"""The command chain's marks, the duty pattern and the night hand-off in both store modes
(the desk's SQLite file and the hall's PostgreSQL)."""

import datetime as dt

from console.domain import command as C
from console.domain.model import Actor, Role
from console.domain.roster import SHANGHAI
from console.operations import command, night, sessions
from localdb import feed
from tests.domain.test_duty_pattern import THREE
from tests.factories import reference_changes

CMD = Actor("commander1", "王指挥", Role.COMMANDER, "WS-1")
LEADER = Actor("leader1", "值班长1", Role.SHIFT_LEADER, "WS-1")


def at(day, hour, minute=0):
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=SHANGHAI).timestamp()


def test_chain_and_night_in_both_stores(store):
    changes = reference_changes() + [{"seq": 0, "kind": "duty_pattern", "op": "upsert", "id": "street", "data": THREE}]
    for i, ch in enumerate(changes, 1):
        ch["seq"] = i
    feed.apply_changes(store, changes, "c1")
    assert isinstance(command.command_now(store, at(22, 10)), C.CommandGap)   # nobody logged in
    sessions.session_opened(store, CMD, at(22, 9))
    assert command.command_now(store, at(22, 10)).person_id == "commander1"
    sessions.session_opened(store, CMD, at(22, 9, 30))       # the same login again: idempotent enough
    command.set_post(store, CMD, C.OFF_POST, at(22, 11))
    assert isinstance(command.command_now(store, at(22, 12)), C.CommandGap)
    wid = night.hand_off(store, LEADER, "leader1", "1234", at(22, 22, 50))
    assert night.night_watch(store)["id"] == wid
    assert night.take_back(store, LEADER, "leader1", "1234", at(23, 7, 1))["arrived"] == 0
    assert night.night_watch(store) is None
