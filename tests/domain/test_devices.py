"""IoT rules: readings, alarm loops, device timelines, vital signs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, strategies as st

from console.domain import devices


@pytest.mark.parametrize("kind,value,unit,ok", [
    ("water_level", 12.0, "cm", True), ("water_level", 12.0, "m", False), ("water_level", -5, "cm", False),
    ("gas", 150, "%LEL", False), ("gas", float("nan"), "%LEL", False), ("gas", True, "%LEL", False),
    ("smoke", "3", "%obs/m", False), ("fire_hydrant", 0.3, "MPa", True), ("manhole", 1e300, "°", False),
    ("unknown_kind", 3.0, "cm", True), ("unknown_kind", 3.0, "furlong", False), ("gas", None, None, True),
])
def test_readings_that_cannot_be_shown_say_why(kind, value, unit, ok):
    why = devices.check_reading(kind, value, unit)
    assert (why is None) is ok
    if not ok:
        assert isinstance(why, str) and why


def test_alarm_thresholds_respect_direction():
    assert devices.reading_in_alarm("water_level", 20.0)
    assert not devices.reading_in_alarm("water_level", 3.0)
    assert devices.reading_in_alarm("fire_hydrant", 0.08)        # pressure too LOW is the alarm
    assert not devices.reading_in_alarm("fire_hydrant", 0.3)


def test_an_alarm_is_open_until_ticket_link_or_dismissal():
    a = {"id": "A", "raised_at": 1000.0}
    assert devices.alarm_is_open(a) and devices.alarm_overdue(a, 1000.0 + 16 * 60)
    assert not devices.alarm_overdue(a, 1000.0 + 5 * 60)
    assert not devices.alarm_is_open({**a, "ticket_id": "T1"})
    assert not devices.alarm_is_open({**a, "disposition": "dismissed"})
    with pytest.raises(devices.DeviceError):
        devices.check_disposition(a, "dismissed", reason="bored")
    with pytest.raises(devices.DeviceError):
        devices.check_disposition(a, "linked")
    with pytest.raises(devices.DeviceError):
        devices.check_disposition({**a, "disposition": "dismissed"}, "dismissed", reason="test")
    with pytest.raises(devices.DeviceError):
        devices.check_disposition(None, "dismissed", reason="test")
    devices.check_disposition(a, "dismissed", reason="false_alarm")
    devices.check_disposition(a, "linked", ticket_id="T9")


def test_blips_are_left_out_of_a_device_timeline():
    evs = [{"event": "offline", "at": 0}, {"event": "online", "at": 30},      # 30 s blip
           {"event": "offline", "at": 100}, {"event": "online", "at": 1000},  # real outage
           {"event": "offline", "at": 2000}]                                  # still down
    out = devices.steady_events(evs, 60)
    assert [(e["event"], e["at"]) for e in out] == [("offline", 100), ("online", 1000), ("offline", 2000)]


@given(st.lists(st.tuples(st.sampled_from(["offline", "online"]), st.floats(0, 1e6)), max_size=30),
       st.floats(0, 1e4))
def test_steady_events_only_drop_short_offline_online_pairs(raw, min_s):
    evs = [{"event": e, "at": t} for e, t in raw]
    out = devices.steady_events(evs, min_s)
    assert len(out) <= len(evs) and (len(evs) - len(out)) % 2 == 0
    assert [e["at"] for e in out] == sorted(e["at"] for e in out)


def test_vital_signs_turn_red_past_their_thresholds():
    signs = {i.key: i for i in devices.vital_signs({"tickets_open": 300, "tickets_overdue": 25,
                                                    "on_time_rate_today": 0.95, "alarms_open": 2,
                                                    "water_level_max_cm": None})}
    assert list(signs) == list(devices.VITAL_SIGNS)
    assert signs["tickets_overdue"].state == "alarm" and signs["alarms_open"].state == "normal"
    assert signs["on_time_rate_today"].state == "normal"
    assert devices.vital_signs({"on_time_rate_today": 0.5})[2].state == "alarm"
    assert signs["water_level_max_cm"].state == "unknown" and signs["tickets_open"].state == "normal"
    assert not math.isnan(signs["tickets_open"].value)
