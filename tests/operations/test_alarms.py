"""Closing IoT alarms' loops at the desk: ticket, link or dismissal, synced and audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from console.domain import devices
from console.domain.model import Actor, Role
from console.operations import alarms as aops
from localdb import repo_devices
from localdb.feed import apply_changes
from tests.factories import load_sample_store

NOW = 1795300000.0
OFFICER = Actor("officer1", "李信息员", Role.OFFICER, "WS-01")


def _alarm(aid: str, sensor: str = "S001", **extra) -> dict:
    return {"seq": 0, "kind": "alarm", "op": "upsert", "id": aid,
            "data": {"id": aid, "sensor_id": sensor, "type": "smoke", "lat": 31.181, "lon": 121.491,
                     "raised_at": NOW - 1200, "cleared_at": None, "ticket_id": None, "level": "high",
                     **extra}}


@pytest.fixture
def store(tmp_path):
    s = load_sample_store(tmp_path / "store.sqlite3", n_tickets=50, now=NOW)
    with s.session() as ss:
        lat, lon = ss.execute(text("SELECT lat, lon FROM cameras WHERE id='CAM001'")).one()
    changes = [_alarm("AL-1"), _alarm("AL-2"), _alarm("AL-3", lat=lat + 0.0005, lon=lon),
               _alarm("AL-T", ticket_id="T-platform")]
    for i, ch in enumerate(changes, start=10_000):
        ch["seq"] = i
    apply_changes(s, changes, "alarms")
    yield s
    s.close()


def _records(store) -> list[dict]:
    with store.session() as s:
        rows = s.execute(text("SELECT params FROM outbox WHERE verb='duty_record' ORDER BY seq")).all()
    return [json.loads(r[0]) for r in rows if json.loads(r[0])["kind"] == "alarm_disposition"]


def _open_ids(store) -> set[str]:
    with store.session() as s:
        return {a["id"] for a in repo_devices.open_alarms(s)}


def test_only_alarms_without_ticket_or_disposition_are_open(store):
    assert _open_ids(store) == {"AL-1", "AL-2", "AL-3"}


def test_dismiss_needs_a_reason_and_is_recorded_once(store):
    with pytest.raises(devices.DeviceError):
        aops.dismiss_alarm(store, OFFICER, "AL-1", "no-reason", NOW)
    assert _records(store) == [] and "AL-1" in _open_ids(store)
    aops.dismiss_alarm(store, OFFICER, "AL-1", "false_alarm", NOW, note="维护人员确认误报")
    assert "AL-1" not in _open_ids(store)
    (rec,) = _records(store)
    assert rec["data"] == {"alarm_id": "AL-1", "disposition": "dismissed", "reason": "false_alarm",
                           "note": "维护人员确认误报", "at": NOW}
    assert rec["actor"]["user_id"] == "officer1"
    with store.session() as s:
        audit = s.execute(text("SELECT action, details FROM audit_log WHERE action LIKE 'alarm_%'")).all()
    assert [a[0] for a in audit] == ["alarm_dismissed"]
    with pytest.raises(devices.DeviceError):    # a second answer is refused
        aops.dismiss_alarm(store, OFFICER, "AL-1", "test", NOW)
    assert len(_records(store)) == 1


def test_link_to_an_existing_ticket(store):
    with store.session() as s:
        tid = s.execute(text("SELECT id FROM tickets LIMIT 1")).scalar_one()
    with pytest.raises(devices.DeviceError):
        aops.link_alarm(store, OFFICER, "AL-2", "no-such-ticket", NOW)
    aops.link_alarm(store, OFFICER, "AL-2", tid, NOW)
    with store.session() as s:
        a = repo_devices.alarm(s, "AL-2")
    assert (a["disposition"], a["ticket_id"]) == ("linked", tid)
    assert _records(store)[0]["data"]["ticket_id"] == tid


def test_alarm_becomes_a_prefilled_ticket_in_one_transaction(store):
    t = aops.alarm_to_ticket(store, OFFICER, "AL-3", NOW)
    assert t.channel.value == "iot_alarm" and t.priority.value == "urgent"   # a high-level alarm
    assert "AL-3" in t.description and t.grids
    assert "最近监控：测试路口1号" in t.description      # the nearest camera is named
    with store.session() as s:
        a = repo_devices.alarm(s, "AL-3")
        verbs = [r[0] for r in s.execute(text("SELECT verb FROM outbox ORDER BY seq"))]
    assert (a["disposition"], a["ticket_id"]) == ("ticket", t.id)
    assert verbs[-2:] == ["create", "duty_record"]
    assert _open_ids(store) == {"AL-1", "AL-2"}


def test_an_unknown_alarm_is_refused_and_nothing_written(store):
    with pytest.raises(devices.DeviceError):
        aops.alarm_to_ticket(store, OFFICER, "AL-nope", NOW)
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM outbox")).scalar_one() == 0


def test_feed_keeps_sensors_with_bad_readings_and_applies_device_events(store):
    changes = [
        {"seq": 20_000, "kind": "sensor", "op": "upsert", "id": "S002", "data": {
            "id": "S002", "name": "烟感2", "type": "smoke", "lat": 31.18, "lon": 121.49, "status": "normal",
            "value": 3.5, "unit": "furlong", "access_mode": "platform", "via": "区消防物联网平台"}},
        {"seq": 20_001, "kind": "sensor", "op": "upsert", "id": "S003", "data": {
            "id": "S003", "name": "烟感3", "type": "smoke", "lat": 31.18, "lon": 121.49, "status": "normal",
            "value": 2.5, "unit": "%obs/m", "threshold": 8.0, "reading_at": NOW}},
        {"seq": 20_002, "kind": "device_event", "op": "upsert", "id": "DE-1", "data": {
            "id": "DE-1", "device_kind": "camera", "device_id": "CAM001", "event": "offline", "at": NOW - 600}},
        {"seq": 20_003, "kind": "device_event", "op": "upsert", "id": "DE-2", "data": {
            "id": "DE-2", "device_kind": "camera", "device_id": "CAM001", "event": "online", "at": NOW - 10}},
        {"seq": 20_004, "kind": "device_event", "op": "upsert", "id": "DE-bad", "data": {
            "id": "DE-bad", "device_kind": "toaster", "device_id": "X", "event": "exploded", "at": NOW}},
    ]
    report = apply_changes(store, changes, "devices")
    with store.session() as s:
        s2 = dict(s.execute(text("SELECT * FROM sensors WHERE id='S002'")).one()._mapping)
        s3 = dict(s.execute(text("SELECT * FROM sensors WHERE id='S003'")).one()._mapping)
        tl = repo_devices.device_timeline(s, "CAM001")
        quarantined = s.execute(text("SELECT count(*) FROM quarantine WHERE kind='device_event'")).scalar_one()
    assert s2["value"] is None and "furlong" in s2["reading_error"] and s2["via"] == "区消防物联网平台"
    assert (s3["value"], s3["unit"], s3["reading_error"]) == (2.5, "%obs/m", None)
    assert [e["event"] for e in tl] == ["offline", "online"]
    assert quarantined == 1 and report.quarantined >= 1
