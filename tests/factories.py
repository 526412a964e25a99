"""Small, deterministic feed changes in the contract's format (docs/CONTRACT.md).

Panel and store tests load these through ``localdb.feed.apply_changes`` so that they
see exactly what the sync worker would store, without a server. Contract tests use the
real simulator instead.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from console.domain.model import (
    CategoryKind,
    Channel,
    Priority,
    Ticket,
    TicketState,
)

# A 2 km x 2 km square near 上钢新村街道, Pudong (WGS-84).
LAT0, LON0 = 31.175, 121.480
DLAT, DLON = 0.018, 0.021  # about 2 km each way

CATEGORIES = [
    ("component", "01001", "01", "公用设施", "上水井盖", 24.0, "calendar"),
    ("component", "01021", "01", "公用设施", "路灯", 48.0, "working"),
    ("component", "01030", "01", "公用设施", "消防栓", 24.0, "calendar"),
    ("event", "02001", "02", "市容环境", "暴露垃圾", 8.0, "calendar"),
    ("event", "02004", "02", "市容环境", "乱张贴", 24.0, "working"),
    ("event", "03001", "03", "街面秩序", "无证设摊", 4.0, "calendar"),
    ("event", "04002", "04", "施工管理", "违法搭建", 72.0, "working"),
]
#: the simple problems (自行处置 allowed) of the sample catalogue
SIMPLE_CODES = frozenset({"02001", "02004"})
#: the dangerous problems (重点监管 from intake) of the sample catalogue
DANGEROUS_CODES = frozenset({"01001"})
DEPARTMENTS = [
    ("D01", "上钢新村派出所", "police"),
    ("D02", "上钢城管中队", "city_management"),
    ("D03", "上钢市场监管所", "market"),
    ("D04", "上钢房管所", "housing"),
    ("D05", "上钢绿化市容所", "greening"),
]
STATES = [
    TicketState.PENDING, TicketState.ACCEPTED, TicketState.REGISTERED, TicketState.DISPATCHED,
    TicketState.HANDLING, TicketState.FEEDBACK, TicketState.VERIFIED, TicketState.CLOSED,
]


def _square(lat: float, lon: float, dlat: float, dlon: float) -> list[list[list[float]]]:
    return [[[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]]


def _grid(fid: str, layer: str, name: str, ring: list, parent: str | None = None,
          micro_type: str | None = None) -> dict:
    return {
        "seq": 0, "kind": "grid", "op": "upsert", "id": fid,
        "data": {
            "type": "Feature", "id": fid,
            "properties": {"layer": layer, "name": name, "code": fid, "parent_id": parent,
                           "micro_type": micro_type},
            "geometry": {"type": "Polygon", "coordinates": ring},
        },
    }


def grid_changes() -> list[dict]:
    out = [
        _grid("310115", "district", "浦东新区", _square(LAT0 - 0.01, LON0 - 0.01, DLAT + 0.02, DLON + 0.02)),
        _grid("310115009", "street", "上钢新村街道", _square(LAT0, LON0, DLAT, DLON), "310115"),
    ]
    names = ["济阳一村", "上钢三村", "耀华", "德州二村"]
    micro_types = ["residential", "school", "commercial", "public_area"]
    for i in range(2):
        for j in range(2):
            k = i * 2 + j
            lat, lon = LAT0 + i * DLAT / 2, LON0 + j * DLON / 2
            out.append(_grid(f"G{k + 1:02d}", "resp_grid", f"第{k + 1}责任网格",
                             _square(lat, lon, DLAT / 2, DLON / 2), "310115009"))
            out.append(_grid(f"C{k + 1:02d}", "committee", f"{names[k]}居委会",
                             _square(lat, lon, DLAT / 2, DLON / 2), f"G{k + 1:02d}"))
            for m in range(2):
                out.append(_grid(f"M{k * 2 + m + 1:03d}", "micro_grid", f"{names[k]}{m + 1}号块",
                                 _square(lat + m * DLAT / 4, lon, DLAT / 4, DLON / 2),
                                 f"C{k + 1:02d}", micro_types[(k + m) % 4]))
    return out


def _cell_of(lat: float, lon: float) -> dict[str, str]:
    i = min(1, int((lat - LAT0) / (DLAT / 2)))
    j = min(1, int((lon - LON0) / (DLON / 2)))
    k = i * 2 + j
    m = min(1, int((lat - (LAT0 + i * DLAT / 2)) / (DLAT / 4)))
    return {"district": "310115", "street": "310115009", "resp_grid": f"G{k + 1:02d}",
            "committee": f"C{k + 1:02d}", "micro_grid": f"M{k * 2 + m + 1:03d}"}


def reference_changes() -> list[dict]:
    """Everything but tickets: catalogue, departments, grids, cameras, sensors, roster, users."""
    out: list[dict] = []
    for kind, code, big, big_name, name, hours, mode in CATEGORIES:
        out.append({"seq": 0, "kind": "category", "op": "upsert", "id": f"{kind}:{code}", "data": {
            "kind": kind, "code": code, "big_code": big, "big_name": big_name, "small_name": name,
            "limit_hours": hours, "limit_mode": mode, "urgent_limit_hours": hours / 2,
            "simple": code in SIMPLE_CODES, "dangerous": code in DANGEROUS_CODES}})
    for did, name, kind in DEPARTMENTS:
        out.append({"seq": 0, "kind": "department", "op": "upsert", "id": did,
                    "data": {"id": did, "name": name, "kind": kind, "phone": "021-5888" + did[1:] + "00"}})
    for n, (kind, code, *_rest) in enumerate(CATEGORIES):
        for g in range(4):
            gid = f"G{g + 1:02d}"
            out.append({"seq": 0, "kind": "responsibility", "op": "upsert", "id": f"{kind}:{code}:{gid}",
                        "data": {"category_code": code, "category_kind": kind, "grid_id": gid,
                                 "department_id": DEPARTMENTS[(n + g) % len(DEPARTMENTS)][0]}})
    out.extend(grid_changes())
    rnd = random.Random(7)
    for c in range(8):
        lat, lon = LAT0 + rnd.random() * DLAT, LON0 + rnd.random() * DLON
        out.append({"seq": 0, "kind": "camera", "op": "upsert", "id": f"CAM{c + 1:03d}", "data": {
            "id": f"CAM{c + 1:03d}", "name": f"测试路口{c + 1}号", "lat": lat, "lon": lon,
            "grid_id": _cell_of(lat, lon)["resp_grid"], "online": c != 7,
            "stream_url": "", "substream_url": "", "source": "street"}})
    for s in range(10):
        lat, lon = LAT0 + rnd.random() * DLAT, LON0 + rnd.random() * DLON
        out.append({"seq": 0, "kind": "sensor", "op": "upsert", "id": f"S{s + 1:03d}", "data": {
            "id": f"S{s + 1:03d}", "name": f"烟感{s + 1}", "type": "smoke", "lat": lat, "lon": lon,
            "grid_id": _cell_of(lat, lon)["resp_grid"], "status": "alarm" if s == 0 else "normal"}})
    today = date(2026, 11, 22)
    for d in range(-1, 8):
        day = (today + timedelta(days=d)).isoformat()
        out.append(_roster(f"R{day}-cmd", day, "all", "commander", "commander1", "王指挥"))
        for shift, leader in (("day", "leader1"), ("evening", "leader2"), ("night", "leader3")):
            out.append(_roster(f"R{day}-{shift}-l", day, shift, "shift_leader", leader, f"值班长{leader[-1]}"))
            out.append(_roster(f"R{day}-{shift}-o", day, shift, "officer", "officer1", "李信息员"))
    for uid, name, role in (("officer1", "李信息员", "officer"), ("officer2", "赵信息员", "officer"),
                            ("leader1", "值班长1", "shift_leader"), ("commander1", "王指挥", "commander"),
                            ("admin1", "管理员", "admin")):
        import hashlib

        out.append({"seq": 0, "kind": "user", "op": "upsert", "id": uid, "data": {
            "id": uid, "name": name, "role": role,
            "pin_hash": hashlib.sha256(f"{uid}:1234".encode()).hexdigest()}})
    out.extend(plan_changes())
    from simulator.resources import seed_items as resource_items

    cams = [c["data"] for c in out if c["kind"] == "camera"]
    out.extend({"seq": 0, "kind": k, "op": op, "id": rid, "data": d} for k, rid, op, d in resource_items(cams))
    return out


#: a point inside the test street (grid G01): where the test incidents happen
SCENE = (LAT0 + 0.004, LON0 + 0.005)


def plan_changes() -> list[dict]:
    """The platform's emergency plans (the simulator's set), as feed items."""
    from simulator.plans import seed_items

    return [{"seq": 0, "kind": kind, "op": op, "id": pid, "data": data}
            for kind, pid, op, data in seed_items()]


def _roster(rid: str, day: str, shift: str, role: str, pid: str, name: str) -> dict:
    return {"seq": 0, "kind": "roster", "op": "upsert", "id": rid, "data": {
        "id": rid, "date": day, "shift": shift, "role": role, "person_id": pid, "name": name,
        "phone": "13800138000"}}


def make_ticket(rnd: random.Random, now: float, i: int) -> Ticket:
    kind, code, big, big_name, name, hours, mode = rnd.choice(CATEGORIES)
    state = rnd.choice(STATES)
    lat, lon = LAT0 + rnd.random() * DLAT * 0.999, LON0 + rnd.random() * DLON * 0.999
    created = now - rnd.random() * 3 * 86400
    started = state not in (TicketState.PENDING, TicketState.ACCEPTED)
    dept = DEPARTMENTS[i % len(DEPARTMENTS)][0] if state in (
        TicketState.DISPATCHED, TicketState.HANDLING, TicketState.FEEDBACK,
        TicketState.VERIFIED, TicketState.CLOSED) else None
    return Ticket(
        id=str(uuid.UUID(int=rnd.getrandbits(128))),
        number=f"HP20261122{i:05d}",
        state=state,
        channel=rnd.choice(list(Channel)),
        category_kind=CategoryKind(kind), category_code=code, category_name=name,
        big_code=big, big_name=big_name,
        priority=rnd.choice([Priority.NORMAL] * 6 + [Priority.URGENT, Priority.CRITICAL]),
        version=1 + rnd.randrange(5),
        lat=lat, lon=lon, address=f"浦东新区济阳路{100 + i}号",
        grids=_cell_of(lat, lon),
        description=rnd.choice(["小区门口井盖缺失", "人行道暴露垃圾", "路口无证设摊", "路灯不亮",
                                "墙面乱张贴小广告", "屋顶违法搭建"]),
        reporter_name="市民", reporter_phone="13812341234",
        department_id=dept,
        created_at=created, updated_at=created + 60,
        clock_start=created + 300 if started else None,
        limit_hours=hours, limit_mode=mode,
        deadline=(created + 300 + hours * 3600) if started and state != TicketState.CLOSED else None,
        verified_by="officer1" if state in (TicketState.VERIFIED, TicketState.CLOSED) else None,
        reviewed_by="leader1" if state == TicketState.CLOSED else None,
        closed_at=created + 7200 if state == TicketState.CLOSED else None,
        closed_on_time=True if state == TicketState.CLOSED else None,
    )


def ticket_changes(n: int, now: float, seed: int = 1) -> list[dict]:
    rnd = random.Random(seed)
    out = []
    for i in range(n):
        t = make_ticket(rnd, now, i)
        out.append({"seq": 0, "kind": "ticket", "op": "upsert", "id": t.id, "data": t.to_dict()})
    return out


def sample_changes(n_tickets: int = 200, now: float = 1795300000.0, seed: int = 1) -> list[dict]:
    """Reference data plus ``n_tickets`` tickets, with seq numbers 1..N."""
    changes = reference_changes() + ticket_changes(n_tickets, now, seed)
    for seq, ch in enumerate(changes, start=1):
        ch["seq"] = seq
    return changes


def load_sample_store(path, n_tickets: int = 200, now: float = 1795300000.0, seed: int = 1):
    """Open a store at ``path`` and load the sample through the real feed code."""
    from localdb import Store
    from localdb.feed import apply_changes

    store = Store.open(path)
    apply_changes(store, sample_changes(n_tickets, now, seed), "sample-cursor")
    return store
