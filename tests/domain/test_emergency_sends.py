"""The rules of the emergency's sends: cameras of a push, a warning's area and life."""

from __future__ import annotations

import pytest

from console.domain import emergency_sends as ES

T = 1_795_000_000.0
AREA = {"lat": 31.18, "lon": 121.49, "radius_m": 500}


def test_a_push_needs_online_cameras():
    ES.check_push([{"id": "C1", "name": "路口1", "online": True}])
    with pytest.raises(ES.SendError, match="请选择要推送的现场监控"):
        ES.check_push([])
    with pytest.raises(ES.SendError, match="监控离线，不能推送：路口2、C3") as exc:
        ES.check_push([{"id": "C1", "online": True}, {"id": "C2", "name": "路口2", "online": False},
                       {"id": "C3", "online": False}])
    assert exc.value.code == "camera_offline"


@pytest.mark.parametrize("level, area, text, expires, message", [
    ("purple", AREA, "x", T + 60, "蓝色、黄色、橙色、红色"),
    ("red", None, "x", T + 60, "划定范围"),
    ("red", {"lat": 31.18, "lon": 121.49}, "x", T + 60, "中心点和半径"),
    ("red", {**AREA, "radius_m": 5}, "x", T + 60, "半径"),
    ("red", {**AREA, "lat": float("nan")}, "x", T + 60, "中心点无效"),
    ("red", AREA, "  ", T + 60, "请填写预警内容"),
    ("red", AREA, "x", None, "有效期"),
    ("red", AREA, "x", T - 1, "72小时以内"),
    ("red", AREA, "x", T + 73 * 3600, "72小时以内"),
])
def test_a_bad_warning_says_what_is_wrong(level, area, text, expires, message):
    with pytest.raises(ES.SendError, match=message):
        ES.check_warning(level, area, text, T, expires)


def test_a_warning_has_a_life():
    w = {"state": "issued", "version": 1, "expires_at": T + 3600}
    assert ES.state_at(w, T) == "issued" and ES.state_at(w, T + 3600) == "expired"
    ES.check_change(None, "issued", 1, T)
    with pytest.raises(ES.SendError, match="尚未发布"):
        ES.check_change(None, "updated", 1, T)
    ES.check_change(w, "updated", 2, T + 60)
    with pytest.raises(ES.SendError, match="本次应为第2版"):
        ES.check_change(w, "updated", 3, T + 60)
    with pytest.raises(ES.SendError, match="已过期，不能再撤销"):
        ES.check_change(w, "cancelled", 2, T + 4000)
    with pytest.raises(ES.SendError, match="已撤销，不能再更新"):
        ES.check_change({**w, "state": "cancelled"}, "updated", 2, T)
    with pytest.raises(ES.SendError, match="过期由有效期决定"):
        ES.check_change(w, "expired", 2, T)
