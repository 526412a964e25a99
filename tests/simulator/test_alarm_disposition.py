"""Closing an alarm's loop on the platform: the disposition record, its checks, the feed."""

from __future__ import annotations

import time
import uuid

from .conftest import OFFICER
from .test_duty_records import post, rec


def _seed_alarm(sim, aid: str, **extra) -> None:
    """An alarm raised on the platform side (as the IoT platform would)."""
    now = sim.rt.clock.now()
    data = {"id": aid, "sensor_id": "SN-smoke-001", "type": "smoke", "lat": 31.18, "lon": 121.49,
            "raised_at": now - 60, "cleared_at": None, "ticket_id": None, "level": "medium", **extra}
    with sim.rt.store.write() as c:
        sim.rt.store.append(c, [("alarm", aid, "upsert", data)], now)


def _disp(aid: str, disposition: str = "dismissed", **extra) -> dict:
    return {"alarm_id": aid, "disposition": disposition, "at": time.time(), **extra}


def _feed_alarm(api, aid: str) -> dict | None:
    found, cursor = None, ""
    while True:
        page = api.get("/api/v1/changes", params={"cursor": cursor, "limit": 5000}).json()
        for ch in page["changes"]:
            if ch["kind"] == "alarm" and ch["id"] == aid:
                found = ch["data"]
        cursor = page["next_cursor"]
        if not page["has_more"]:
            return found


def test_dismissal_closes_the_alarm_for_every_desk(sim, api):
    aid = f"AL-{uuid.uuid4().hex[:8]}"
    _seed_alarm(sim, aid)
    (res,) = post(api, rec("alarm_disposition", _disp(aid, reason="maintenance", note="检修"), actor=OFFICER))
    assert res["status"] == "applied", res
    alarm = _feed_alarm(api, aid)
    assert alarm["disposition"] == "dismissed" and alarm["dismiss_reason"] == "maintenance"
    assert alarm["disposed_by"] == OFFICER["user_id"] and alarm["note"] == "检修"
    (again,) = post(api, rec("alarm_disposition", _disp(aid, reason="test"), actor=OFFICER))
    assert (again["status"], again["code"]) == ("rejected", "already_disposed")


def test_bad_dispositions_are_refused_with_a_code(sim, api):
    aid = f"AL-{uuid.uuid4().hex[:8]}"
    _seed_alarm(sim, aid)
    results = post(api,
                   rec("alarm_disposition", _disp("AL-never-raised", reason="test"), actor=OFFICER),
                   rec("alarm_disposition", _disp(aid, reason="because"), actor=OFFICER),
                   rec("alarm_disposition", _disp(aid, "linked"), actor=OFFICER),
                   rec("alarm_disposition", _disp(aid, "exploded"), actor=OFFICER))
    assert [(r["status"], r["code"]) for r in results] == [
        ("rejected", "unknown_alarm"), ("rejected", "invalid_disposition"),
        ("rejected", "invalid_disposition"), ("rejected", "invalid_disposition")]
    assert _feed_alarm(api, aid).get("disposition") is None   # still open: nothing applied


def test_an_alarm_the_platform_already_ticketed_needs_no_answer(sim, api):
    aid = f"AL-{uuid.uuid4().hex[:8]}"
    _seed_alarm(sim, aid, ticket_id="T-from-iot")
    (res,) = post(api, rec("alarm_disposition", _disp(aid, reason="test"), actor=OFFICER))
    assert (res["status"], res["code"]) == ("rejected", "already_disposed")


def test_sensors_on_the_feed_carry_readings_units_thresholds_and_access(sim, api):
    from console.domain import devices

    sensors, cursor = {}, ""
    while True:
        page = api.get("/api/v1/changes", params={"cursor": cursor, "limit": 5000}).json()
        sensors.update({ch["id"]: ch["data"] for ch in page["changes"] if ch["kind"] == "sensor"})
        cursor = page["next_cursor"]
        if not page["has_more"]:
            break
    assert len(sensors) >= 200
    for s in sensors.values():
        assert s["access_mode"] in devices.ACCESS_MODES and s["via"]
        assert devices.check_reading(s["type"], s["value"], s["unit"]) is None
        assert s["threshold"] == devices.SENSOR_KINDS[s["type"]].threshold
    assert {s["access_mode"] for s in sensors.values()} == {"device", "platform"}


def test_traffic_reports_readings_and_device_events(tmp_path):
    from simulator.testing import running_simulator
    from simulator.traffic import Traffic

    with running_simulator(tmp_path / "t", seed=5, history_days=0.05, daily_rate=50) as s:
        tr = Traffic(s.rt)
        start = s.rt.clock.now()
        s.rt.clock.advance(3 * 3600)
        tr.run_until(s.rt.clock.now())
        seq_changes = s.rt.store.read_changes(0, 1_000_000)
    import json as _json

    kinds: dict[str, int] = {}
    for _seq, raw in seq_changes:
        ch = _json.loads(raw)
        kinds[ch["kind"]] = kinds.get(ch["kind"], 0) + 1
    assert kinds.get("sensor", 0) >= 2 * 240      # at least two rounds of readings in three hours
    assert start < s.rt.clock.now()
