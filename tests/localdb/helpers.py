"""Builders shared by the store and operations tests."""

from __future__ import annotations

import random
import uuid
from typing import Any

from console.domain.model import Actor, Role, Ticket, TicketState

NOW = 1_795_000_000.0
OFFICER = Actor("u1", "张三", Role.OFFICER, "WS-01")
OFFICER2 = Actor("u2", "李四", Role.OFFICER, "WS-02")
LEADER = Actor("u3", "王五", Role.SHIFT_LEADER, "WS-03")
COMMANDER = Actor("u9", "赵指挥", Role.COMMANDER, "WS-09")
DEPT = Actor("d1", "城管中队", Role.DEPARTMENT, "")

STATES = [s.value for s in TicketState]
CHANNELS = ["hotline_12345", "grid_inspector", "iot_alarm", "video_ai", "leader"]
CATEGORIES = ["01001", "01002", "02001", "03005"]
DEPTS = ["D01", "D02", "D03", None]
WORDS = ["井盖缺失", "占道经营", "垃圾堆放", "路灯损坏", "噪声扰民", "违章搭建", "树木倒伏", "积水"]
ROADS = ["浦东南路", "世纪大道", "张杨路", "东方路"]


def tid(i: int) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"ticket/{i}"))


def ticket(i: int = 1, **kw: Any) -> Ticket:
    base = dict(
        id=tid(i), state="registered", channel="hotline_12345", category_kind="event",
        category_code="01001", category_name="井盖", version=1, address="浦东南路100号",
        description="小区门口井盖缺失", created_at=NOW - 3600, updated_at=NOW - 3600,
        clock_start=NOW - 3600, deadline=NOW + 86400, number=f"SH{i:08d}",
        grids={"district": "D-PD", "street": "S-01", "resp_grid": "R-01"},
        lat=31.2 + i * 1e-4, lon=121.5,
    )
    base.update(kw)
    return Ticket.from_dict({k: getattr(v, "value", v) for k, v in base.items()})


def random_ticket(rng: random.Random, i: int) -> Ticket:
    state = rng.choice(STATES)
    deadline = rng.choice([None, NOW + rng.uniform(-3 * 86400, 3 * 86400),
                           NOW + rng.uniform(-7200, 7200)])
    return ticket(
        i, state=state, channel=rng.choice(CHANNELS), category_code=rng.choice(CATEGORIES),
        department_id=rng.choice(DEPTS), priority=rng.choice(["normal", "urgent", "critical"]),
        created_at=NOW - rng.randrange(0, 30 * 86400), updated_at=NOW - rng.randrange(0, 86400),
        deadline=deadline, needs_commander=rng.random() < 0.2,
        description=f"{rng.choice(ROADS)}{rng.choice(WORDS)}{i}", address=f"{rng.choice(ROADS)}{i}号",
        grids={"district": "D-PD", "street": rng.choice(["S-01", "S-02"]),
               "resp_grid": rng.choice(["R-01", "R-02", "R-03"]),
               "micro_grid": rng.choice(["M-1", "M-2", None]) or "M-0"},
        number=rng.choice([None, f"SH{i:08d}"]),
    )


def change(t: Ticket | dict, seq: int = 1) -> dict[str, Any]:
    d = t.to_dict() if isinstance(t, Ticket) else t
    return {"seq": seq, "kind": "ticket", "op": "upsert", "id": d["id"], "data": d}


def square(lon: float, lat: float, size: float = 0.01) -> dict[str, Any]:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def grid_change(gid: str, layer: str = "resp_grid", seq: int = 1, **props) -> dict[str, Any]:
    return {"seq": seq, "kind": "grid", "op": "upsert", "id": gid, "data": {
        "type": "Feature", "id": gid,
        "properties": {"layer": layer, "name": gid, "code": gid, "parent_id": None, **props},
        "geometry": square(121.5, 31.2)}}
