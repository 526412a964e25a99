"""What the hall sends the district during an emergency, and the rules each obeys.

- The scene video push (the Changning 2024 rule "5分钟推送现场视频、15分钟上线视频会议"):
  the chosen cameras' stream links and fresh snapshots; only online cameras; the
  platform confirms receipt and the checklist's video step is done at that moment.
- The conference record: when it started and who joined, from the platform's answer
  or entered by hand when the link is down.
- Resources (应急物资, 应急力量) assigned to the incident, each once.
- 预警发布 ("突发事件预警发布"): a warning with a colour (蓝/黄/橙/红), an area on the map
  and a text; it has a life as common alerting protocols give it — issued, updated,
  cancelled, or expired when its time runs out — each change a new version.

The desk's operations and the platform check the same rules here. Qt-free.
"""

from __future__ import annotations

import math
from typing import Any

from console.domain.plans import WARNING_LEVELS, WARNING_ZH

KINDS = ("video_push", "conference", "warning", "resource_assignment")
WARNING_STATES = ("issued", "updated", "cancelled", "expired")
STATE_ZH = {"issued": "已发布", "updated": "已更新", "cancelled": "已撤销", "expired": "已过期"}
MAX_PUSH_CAMERAS = 16
MAX_WARNING_CHARS = 1000
MAX_WARNING_HOURS = 72


class SendError(ValueError):
    """A send that cannot go (message for the officer; the platform's ``reason``)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def check_push(cameras: list[dict[str, Any]]) -> None:
    """The cameras of a video push: some, not too many, every one known and online."""
    if not cameras:
        raise SendError("missing_field", "请选择要推送的现场监控")
    if len(cameras) > MAX_PUSH_CAMERAS:
        raise SendError("invalid_field", f"一次最多推送{MAX_PUSH_CAMERAS}路监控")
    off = [str(c.get("name") or c.get("id")) for c in cameras if not c.get("online", True)]
    if off:
        raise SendError("camera_offline", f"监控离线，不能推送：{'、'.join(off)}（请换一路在线监控）")


def check_area(area: Any) -> dict[str, float]:
    """A warning's area: a circle ``{"lat","lon","radius_m"}`` (WGS-84, 10 m to 20 km)."""
    if not isinstance(area, dict):
        raise SendError("missing_field", "预警须在地图上划定范围")
    try:
        lat, lon, r = (float(area["lat"]), float(area["lon"]), float(area["radius_m"]))
    except (KeyError, TypeError, ValueError):
        raise SendError("missing_field", "预警须在地图上划定范围（中心点和半径）") from None
    if not all(math.isfinite(v) for v in (lat, lon, r)) or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise SendError("invalid_field", "预警范围的中心点无效")
    if not 10 <= r <= 20000:
        raise SendError("invalid_field", "预警范围的半径须在10米到20公里之间")
    return {"lat": lat, "lon": lon, "radius_m": r}


def check_warning(level: Any, area: Any, text: Any, issued_at: float, expires_at: Any) -> None:
    if level not in WARNING_LEVELS:
        raise SendError("invalid_field", "预警级别只有蓝色、黄色、橙色、红色")
    check_area(area)
    if not isinstance(text, str) or not text.strip():
        raise SendError("missing_field", "请填写预警内容")
    if len(text) > MAX_WARNING_CHARS:
        raise SendError("invalid_field", f"预警内容不能超过{MAX_WARNING_CHARS}字")
    if (isinstance(expires_at, bool) or not isinstance(expires_at, int | float)
            or not math.isfinite(expires_at)):
        raise SendError("missing_field", "请填写预警的有效期")
    if not issued_at < expires_at <= issued_at + MAX_WARNING_HOURS * 3600:
        raise SendError("invalid_field", f"预警有效期须在发布后{MAX_WARNING_HOURS}小时以内")


def state_at(w: dict[str, Any], now: float) -> str:
    """A warning's state now: its last recorded state, or expired once its time is up."""
    if w["state"] in ("issued", "updated") and w.get("expires_at") is not None and now >= w["expires_at"]:
        return "expired"
    return w["state"]


def check_change(current: dict[str, Any] | None, new_state: str, version: int, now: float) -> None:
    """May a warning go to ``new_state`` as ``version``? (``current``: its latest version.)"""
    if new_state not in ("issued", "updated", "cancelled"):
        raise SendError("invalid_field", "预警状态只能是发布、更新或撤销（过期由有效期决定）")
    if current is None:
        if new_state != "issued" or version != 1:
            raise SendError("unknown_warning", "该预警尚未发布，不能更新或撤销")
        return
    if version != int(current["version"]) + 1:
        raise SendError("stale_state", f"预警已有第{current['version']}版，本次应为第{int(current['version']) + 1}版")
    state = state_at(current, now)
    if new_state == "issued":
        raise SendError("stale_state", "该预警已发布")
    if state in ("cancelled", "expired"):
        raise SendError("stale_state", f"该预警{STATE_ZH[state]}，不能再{'更新' if new_state == 'updated' else '撤销'}")


def warning_title(level: str) -> str:
    return f"{WARNING_ZH.get(level, level)}预警"
