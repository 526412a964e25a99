"""The street's emergency resources (应急储备物资 and 应急力量: "依托社会公共资源加强应急储备
物资保障,密切与各类应急力量联勤协作"), served as feed entities of kind ``resource``.

Supplies: what, how many, where. Forces: the team, its contact and its status. Placed
at points of the demo street (beside its cameras), deterministic for a seed.
"""

from __future__ import annotations

from typing import Any

_SUPPLIES = (
    ("sup-sandbag", "防汛沙袋", 2000, "袋", "街道防汛物资仓库"),
    ("sup-pump", "移动排水泵", 6, "台", "街道防汛物资仓库"),
    ("sup-boat", "冲锋舟", 2, "艘", "城管中队"),
    ("sup-extinguisher", "灭火器", 120, "具", "联勤联动站"),
    ("sup-tent", "帐篷", 40, "顶", "社区应急避难点"),
    ("sup-water", "饮用水", 300, "箱", "社区应急避难点"),
)
_FORCES = (
    ("force-flood", "街道防汛抢险队", "抢险", "王队长", "13800001001", "standby"),
    ("force-volunteer", "社区应急志愿者队", "志愿者", "李书记", "13800001002", "standby"),
    ("force-city", "城管中队机动分队", "城管", "赵中队长", "13800001003", "on_duty"),
    ("force-fire", "微型消防站", "消防", "陈站长", "13800001004", "standby"),
)


def seed_items(cameras: list[dict[str, Any]]) -> list[tuple[str, str, str, dict]]:
    spots = sorted(cameras, key=lambda c: c["id"]) or [{"lat": 31.18, "lon": 121.49}]
    out = []
    for n, (rid, name, qty, unit, where) in enumerate(_SUPPLIES):
        c = spots[(3 * n) % len(spots)]
        out.append(("resource", rid, "upsert", {
            "id": rid, "category": "supply", "name": name, "quantity": qty, "unit": unit, "location": where,
            "lat": round(c["lat"] + 0.0004, 6), "lon": round(c["lon"] + 0.0004, 6)}))
    for n, (rid, name, team, contact, phone, status) in enumerate(_FORCES):
        c = spots[(5 * n + 1) % len(spots)]
        out.append(("resource", rid, "upsert", {
            "id": rid, "category": "force", "name": name, "team": team, "contact": contact, "phone": phone,
            "status": status, "lat": round(c["lat"] - 0.0004, 6), "lon": round(c["lon"] - 0.0004, 6)}))
    return out
