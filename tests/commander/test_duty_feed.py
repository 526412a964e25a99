"""Duty records from the feed (localdb.feed_duty): idempotent, never backwards, own echoes."""

from __future__ import annotations

import json
import uuid

import pytest
from sqlalchemy import text

from console.operations import commander as ops
from console.operations import duty
from localdb import repo_commander as rc
from localdb.feed import apply_changes
from tests.factories import SCENE

from .conftest import LEADER, OFFICER, at

T = at(22, 22, 50)
_SEQ = [10_000]
OTHER = {"user_id": "leader2", "name": "值班长2", "role": "shift_leader", "workstation": "WS-9"}


def change(kind: str, data: dict, actor: dict = OTHER, record_id: str | None = None) -> dict:
    _SEQ[0] += 1
    rid = record_id or str(uuid.uuid4())
    return {"seq": _SEQ[0], "kind": "duty_record", "op": "upsert", "id": rid,
            "data": {"record_id": rid, "kind": kind, "data": data, "actor": actor, "issued_at": T}}


def rows(store, sql: str, **p) -> list[dict]:
    with store.session() as s:
        return [dict(r._mapping) for r in s.execute(text(sql), p)]


def handover(state: str, hid: str = "h-remote") -> dict:
    d = {"id": hid, "shift_date": "2026-11-22", "shift": "evening", "from_user": "leader2",
         "state": state, "created_at": T, "summary": {"open": 3}, "notes": "注意K单"}
    if state != "draft":
        d["signed_at"] = T + 1
    if state == "acknowledged":
        d.update(acknowledged_at=T + 2, acknowledged_by="leader3", to_user="leader3")
    return d


def test_a_handover_signed_elsewhere_appears_and_never_goes_back(make_store):
    store = make_store()
    signed = change("handover", handover("signed"))
    log = change("duty_log", {"at": T + 1, "kind": "handover", "text": "交班签字",
                              "shift_date": "2026-11-22", "shift": "evening"})
    rep = apply_changes(store, [signed, log], "c1")
    assert rep.changed == {"handover": ["h-remote"], "duty_log": [rep.changed["duty_log"][0]]}
    with store.session() as s:
        h = rc.handover_for_shift(s, "2026-11-22", "evening")
        lines = rc.duty_log(s, T, T + 10)
    assert (h["id"], h["state"], h["summary"], h["notes"]) == ("h-remote", "signed", {"open": 3}, "注意K单")
    assert [(x["text"], x["actor_id"], json.loads(x["actor"])["workstation"]) for x in lines] == [
        ("交班签字", "leader2", "WS-9")]
    # the same records again (a resync): nothing changes, nothing is journaled
    again = apply_changes(store, [{**signed, "seq": 1}, {**log, "seq": 2}], "c2")
    assert again.changed == {} and again.unchanged == 2
    apply_changes(store, [change("handover", handover("acknowledged"))], "c3")
    apply_changes(store, [change("handover", handover("signed"))], "c4")  # late, older copy
    (h,) = rows(store, "SELECT state, acknowledged_by FROM handovers")
    assert h == {"state": "acknowledged", "acknowledged_by": "leader3"}
    # this workstation cannot write a second handover for that shift
    with pytest.raises(duty.DutyError, match="本班次已有交接单"):
        ops.sign_handover_as(store, LEADER, "leader2", "1234", "2026-11-22", "evening", {}, T)


def test_own_records_coming_back_do_not_duplicate(make_store):
    store = make_store()
    hid = ops.sign_handover_as(store, LEADER, "leader2", "1234", "2026-11-22", "day", {"x": 1}, T,
                               notes="n")
    ops.add_note(store, LEADER, "巡查发现积水", T + 5)
    with store.session() as s:
        mine = [json.loads(r[0]) for r in s.execute(text(
            "SELECT params FROM outbox WHERE verb='duty_record' ORDER BY seq"))]
    # the PIN check's own record (kind auth) stays in the platform's ledger, off the feed
    assert [r["kind"] for r in mine] == ["auth", "handover", "duty_log", "duty_log"]
    mine = mine[1:]
    # the feed's copies equal what we hold (even before our outbox heard the answer)
    echo = [change(r["kind"], r["data"], r["actor"], r["record_id"]) for r in mine]
    assert apply_changes(store, echo, "c1").changed == {}
    # once sent and settled, the echo still changes nothing
    with store.write() as s:
        s.execute(text("UPDATE outbox SET status='done'"))
    assert apply_changes(store, [{**c, "seq": c["seq"] + 100} for c in echo], "c2").changed == {}
    assert len(rows(store, "SELECT id FROM duty_log")) == 2
    (h,) = rows(store, "SELECT id, state FROM handovers")
    assert h == {"id": hid, "state": "signed"}


def test_emergency_items_and_malformed_records(make_store):
    store = make_store()
    e = {"id": "e-1", "kind": "flood", "title": "积水", "level": "II", "started_at": T,
         "started_by": "leader2"}
    items = [change("emergency_item", {"emergency_id": "e-1", "position": i, "text": t})
             for i, t in enumerate(("推送现场视频", "上线视频会议"))]
    bad = [change("emergency_item", {"emergency_id": "e-none", "position": 0, "text": "x"}),
           change("teatime", {"id": "t"}),
           change("handover", {"id": "h-bad"}),
           change("roster", {"id": "r", "date": "2026-11-22", "shift": "day", "role": "officer",
                             "person_id": "p", "name": "n", "created_at": "soon"})]
    rep = apply_changes(store, [change("emergency", e), *items, *bad], "c1")
    assert rep.quarantined == 4 and rep.changed == {"emergency": ["e-1"]}
    with store.session() as s:
        assert rc.active_emergency(s)["id"] == "e-1"
        assert [i["text"] for i in rc.emergency_items(s, "e-1")] == ["推送现场视频", "上线视频会议"]
    done = change("emergency_item", {"emergency_id": "e-1", "position": 1, "text": "上线视频会议",
                                     "done_at": T + 60, "done_by": "officer1"})
    ended = change("emergency", {**e, "ended_at": T + 600, "ended_by": "leader2", "summary": "ok"})
    apply_changes(store, [done, ended], "c2")
    apply_changes(store, [change("emergency", e)], "c3")  # an older copy: the end stays
    with store.session() as s:
        assert rc.active_emergency(s) is None
        assert [i["done_by"] for i in rc.emergency_items(s, "e-1")] == [None, "officer1"]


def test_each_duty_action_queues_its_records_in_the_same_transaction(make_store):
    store = make_store()
    eid = ops.start_emergency(store, LEADER, "fire", "仓库火情", "I", T, *SCENE, location_source="map")
    ops.check_item(store, OFFICER, eid, 0, T + 60)
    ops.end_emergency(store, LEADER, eid, T + 600, note="已扑灭", reason="演练，其余步骤不执行")
    with store.session() as s:
        recs = [json.loads(r[0]) for r in s.execute(text(
            "SELECT params FROM outbox WHERE verb='duty_record' ORDER BY seq"))]
        entries = rows(store, "SELECT ticket_id, command_id, expected_version FROM outbox")
    with store.session() as s:
        n_items = len(ops.plan_for_type(s, "fire").steps)
    assert [r["kind"] for r in recs] == (["emergency"] + ["emergency_item"] * n_items + ["duty_log"]
                                         + ["emergency_item", "duty_log"]
                                         + ["emergency", "duty_log", "duty_log"])
    assert recs[-3]["data"]["ended_at"] == T + 600 and recs[-3]["actor"]["user_id"] == LEADER.user_id
    assert all(e["ticket_id"] == f"{r['kind']}:{e['command_id']}" and e["expected_version"] is None
               for e, r in zip(entries, recs))
    # a refused action writes nothing, records included
    with pytest.raises(duty.DutyError):
        ops.check_item(store, OFFICER, eid, 99, T + 700)
    assert len(rows(store, "SELECT seq FROM outbox")) == len(recs)


def test_an_item_unchecked_here_is_not_flipped_back_by_the_older_echo(make_store):
    store = make_store()
    eid = ops.start_emergency(store, LEADER, "flood", "积水", "II", T, *SCENE, location_source="address")
    ops.check_item(store, OFFICER, eid, 0, T + 60)
    with store.session() as s:
        checked = json.loads(s.execute(text(
            "SELECT params FROM outbox WHERE json_extract(params, '$.kind')='emergency_item' "
            "ORDER BY seq DESC LIMIT 1")).scalar())
    with store.write() as s:
        s.execute(text("UPDATE outbox SET status='done'"))  # sent and answered
    ops.check_item(store, OFFICER, eid, 0, T + 90, done=False)  # unchecked, not yet sent
    echo = change("emergency_item", checked["data"], checked["actor"], checked["record_id"])
    assert apply_changes(store, [echo], "c1").changed == {}
    with store.session() as s:
        assert rc.emergency_items(s, eid)[0]["done_at"] is None
