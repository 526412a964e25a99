import pytest
from sqlalchemy import text

from console.operations import duty
from console.operations.duty import DutyError
from localdb import feed, journal, repo, repo_commander
from tests.localdb.helpers import LEADER, NOW, OFFICER, OFFICER2


def _log(store):
    with store.session() as s:
        return [dict(r._mapping) for r in s.execute(text("SELECT * FROM duty_log ORDER BY id"))]


def test_duty_log(store):
    i = duty.add_duty_log(store, OFFICER, "call", "接到区平台电话", NOW, shift_date="2026-11-22",
                          shift="day")
    (row,) = _log(store)
    assert row["id"] == i and row["text"] == "接到区平台电话" and row["actor_id"] == "u1"
    with pytest.raises(DutyError):
        duty.add_duty_log(store, OFFICER, "note", " ", NOW)


def test_roster_override_keeps_history(store):
    feed.apply_changes(store, [{"seq": 1, "kind": "roster", "op": "upsert", "id": "r1", "data": {
        "id": "r1", "date": "2026-11-22", "shift": "night", "role": "officer", "person_id": "u1",
        "name": "张三", "phone": ""}}], "c", now=NOW)
    new_id = duty.roster_override(store, LEADER, NOW, replaces="r1", person_id="u2", name="李四",
                                  reason="病假")
    with store.session() as s:
        (current,) = repo.roster_entries(s, "2026-11-22")
        assert current["id"] == new_id and current["replaces"] == "r1" and current["local"]
        assert current["shift"] == "night" and current["role"] == "officer"
        everything = repo.roster_entries(s, include_superseded=True)
        assert {e["id"]: e["superseded_by"] for e in everything} == {"r1": new_id, new_id: None}
    with pytest.raises(DutyError):
        duty.roster_override(store, LEADER, NOW, replaces="r1", person_id="u3", name="王五")
    with pytest.raises(DutyError):
        duty.roster_override(store, LEADER, NOW, person_id="u3", name="王五")  # gap needs date
    gap = duty.roster_override(store, LEADER, NOW, person_id="u3", name="王五", date="2026-11-23",
                               shift="day", role="shift_leader")
    with store.session() as s:
        assert repo.roster_entries(s, "2026-11-23")[0]["id"] == gap
    assert any("李四" in r["text"] for r in _log(store))


def test_handover_sign_and_acknowledge(store):
    hid = duty.create_handover(store, OFFICER, "2026-11-22", "day", {"open": 12}, NOW,
                               notes="3 件待核查")
    with pytest.raises(DutyError):
        duty.acknowledge_handover(store, OFFICER2, hid, NOW)  # not signed yet
    with pytest.raises(DutyError):
        duty.sign_handover(store, OFFICER2, hid, NOW)  # only the outgoing officer signs
    duty.sign_handover(store, OFFICER, hid, NOW + 1)
    with pytest.raises(DutyError):
        duty.acknowledge_handover(store, OFFICER, hid, NOW + 2)  # not by the same person
    duty.acknowledge_handover(store, OFFICER2, hid, NOW + 2)
    with store.session() as s:
        h = dict(s.execute(text("SELECT * FROM handovers")).first()._mapping)
        assert h["state"] == "acknowledged" and h["acknowledged_by"] == "u2"
        assert {k for _, k, _ in journal.since(s, 0)} >= {"handover", "duty_log"}


def test_emergency_start_check_end(store):
    eid = duty.start_emergency(store, LEADER, "flood", "世纪大道积水", NOW, level="II",
                               checklist=["通知排水公司", "调取周边视频", "上报区平台"])
    with pytest.raises(DutyError):
        duty.start_emergency(store, LEADER, "fire", "另一起", NOW)
    duty.check_item(store, OFFICER, eid, 1, NOW + 5)
    with pytest.raises(DutyError):
        duty.check_item(store, OFFICER, eid, 9, NOW + 5)
    with store.session() as s:
        items = repo_commander.emergency_items(s, eid)
        assert [i["done_by"] for i in items] == [None, "u1", None]
    duty.end_emergency(store, LEADER, eid, NOW + 600, summary="积水已排除")
    with pytest.raises(DutyError):
        duty.end_emergency(store, LEADER, eid, NOW + 700)
    texts = [r["text"] for r in _log(store)]
    assert texts == ["启动应急：世纪大道积水", "结束应急：世纪大道积水"]


def test_handover_record_carries_the_audit_chain_head(store):
    """What the platform receives with the handover: the count and last hash of this
    store's audit chain at that moment (checked against the chain itself)."""
    from console.operations import audit as audit_ops
    from localdb import outbox
    from localdb.actions import audit

    with store.write() as s:
        for i in range(3):
            audit(s, OFFICER, "login_ok", None, {"i": i}, NOW + i)
    hid = duty.create_handover(store, OFFICER, "2026-11-23", "day", {"open": 1}, NOW + 5, to_user="u2")
    duty.sign_handover(store, OFFICER, hid, NOW + 6)
    broken, head = audit_ops.verify(store)
    assert broken is None and head.count == 3
    with store.session() as s:
        recs = [e for e in outbox.next_batch(s, 50) if e["verb"] == "duty_record"
                and e["params"]["kind"] == "handover"]
    assert recs and recs[-1]["params"]["data"]["audit_head"] == head.to_dict()
