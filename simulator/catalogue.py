"""The simulator's category catalogue and the street's departments (local units).

Written for the simulator (not copied from any standard table). Codes are five digits:
big class (2) + small class (3). Component big classes use 01-09 and event big classes
11-19, so a code alone is unique and doubles as the Open311 ``service_code``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from console.domain.model import Category, CategoryKind, LimitMode

C, E = CategoryKind.COMPONENT, CategoryKind.EVENT
CAL, WORK = LimitMode.CALENDAR, LimitMode.WORKING


@dataclass(frozen=True)
class CatSpec:
    category: Category
    dept_kind: str      # department kind responsible by default
    weight: float       # relative frequency in generated traffic
    simple: bool = False  # may be self-handled on the spot (自行处置)
    dangerous: bool = False  # 重点监管 from intake (console.domain.category_rules)


#: Warning leads (minutes before the limit) the catalogue sets for its short and its
#: long limits; every other category uses the hall's default (2 hours). A 2-hour
#: emergency limit would otherwise be "due soon" from the moment it is registered.
_LEADS = {1: 15, 2: 30, 4: 60, 8: 120, 168: 1440}


#: closure standards (结案标准: what 核查 must confirm) of the categories that have one
_STANDARDS: dict[str, tuple[str, ...]] = {
    "11001": ("垃圾已清运", "现场已清扫干净"),
    "01001": ("井盖已复位或更换", "井盖与路面平齐、无响动", "现场照片与报件位置一致"),
    "01002": ("井盖已复位或更换", "井盖与路面平齐、无响动", "现场照片与报件位置一致"),
    "01003": ("井盖已复位或更换", "井盖与路面平齐、无响动", "现场照片与报件位置一致"),
    "15001": ("塌陷区域已围挡或修复", "周边无继续沉降", "现场照片与报件位置一致"),
    "15002": ("坠落线缆已收线固定或拆除", "权属单位已到场确认", "现场照片与报件位置一致"),
    "15003": ("积水已排除", "排水设施已疏通", "现场照片与报件位置一致"),
    "15004": ("隐患已消除", "消防部门已确认", "现场照片与报件位置一致"),
    "15005": ("泄漏点已处置", "燃气公司已检测无泄漏", "现场照片与报件位置一致"),
    "15006": ("井盖已补齐", "临时警示已撤除或保留至修复", "现场照片与报件位置一致"),
    "16001": ("违法建筑已拆除或已立案查处", "拆除后现场已清理", "现场照片与报件位置一致"),
}


def _c(kind, code, big_name, small_name, hours, mode, urgent, dept, weight, simple=False,
       dangerous=False):
    cat = Category(kind=kind, code=code, big_code=code[:2], big_name=big_name,
                   small_name=small_name, limit_hours=float(hours), limit_mode=mode,
                   urgent_limit_hours=None if urgent is None else float(urgent),
                   warning_lead_minutes=_LEADS.get(hours), simple=simple,
                   dangerous=dangerous, closure_standard=_STANDARDS.get(code, ()))
    return CatSpec(cat, dept, weight, simple, dangerous)


CATALOGUE: tuple[CatSpec, ...] = (
    # --- components (部件) ---
    _c(C, "01001", "公用设施", "上水井盖", 24, CAL, 2, "water", 2),
    _c(C, "01002", "公用设施", "污水井盖", 24, CAL, 2, "water", 2),
    _c(C, "01003", "公用设施", "雨水井盖", 24, CAL, 2, "water", 2),
    _c(C, "01004", "公用设施", "雨水箅子", 48, CAL, 4, "water", 1.5),
    _c(C, "01005", "公用设施", "电力井盖", 24, CAL, 2, "other", 1),
    _c(C, "01006", "公用设施", "消火栓", 24, CAL, 4, "fire", 0.8),
    _c(C, "01007", "公用设施", "路灯", 72, CAL, 12, "roads", 2.5),
    _c(C, "01008", "公用设施", "通信交接箱", 120, WORK, None, "other", 0.5),
    _c(C, "02001", "道路交通", "交通信号灯", 24, CAL, 4, "police", 1),
    _c(C, "02002", "道路交通", "道路护栏", 72, CAL, None, "roads", 1.2),
    _c(C, "02003", "道路交通", "道路指示牌", 120, WORK, None, "roads", 0.6),
    _c(C, "02004", "道路交通", "公交候车亭", 72, CAL, None, "roads", 0.5),
    _c(C, "02005", "道路交通", "人行道板", 120, WORK, None, "roads", 2),
    _c(C, "03001", "市容环卫", "垃圾箱", 48, CAL, None, "sanitation", 1.5),
    _c(C, "03002", "市容环卫", "公共厕所", 24, CAL, 4, "sanitation", 0.7),
    _c(C, "03003", "市容环卫", "垃圾厢房", 48, CAL, None, "sanitation", 1),
    _c(C, "04001", "园林绿化", "行道树", 72, CAL, 6, "greening", 1.8),
    _c(C, "04002", "园林绿化", "公共绿地", 120, WORK, None, "greening", 1),
    _c(C, "04003", "园林绿化", "花坛花箱", 120, WORK, None, "greening", 0.6),
    _c(C, "05001", "房屋设施", "住宅楼道灯", 72, CAL, None, "property", 1.2),
    _c(C, "05002", "房屋设施", "小区围墙", 120, WORK, None, "housing", 0.6),
    _c(C, "05003", "房屋设施", "电梯", 24, CAL, 2, "property", 0.8),
    # --- events (事件) ---
    _c(E, "11001", "市容环境", "暴露垃圾", 12, CAL, 2, "sanitation", 6, True),
    _c(E, "11002", "市容环境", "积存垃圾渣土", 24, CAL, 4, "sanitation", 3),
    _c(E, "11003", "市容环境", "道路不洁", 12, CAL, 2, "sanitation", 3, True),
    _c(E, "11004", "市容环境", "乱张贴乱涂写", 24, CAL, None, "city_management", 3, True),
    _c(E, "11005", "市容环境", "沿街晾挂", 24, CAL, None, "city_management", 1.5, True),
    _c(E, "11006", "市容环境", "绿地脏乱", 48, CAL, None, "greening", 1.5, True),
    _c(E, "12001", "宣传广告", "非法小广告", 24, CAL, None, "city_management", 2.5, True),
    _c(E, "12002", "宣传广告", "违规户外广告", 120, WORK, None, "city_management", 0.8),
    _c(E, "13001", "施工管理", "施工扰民", 4, CAL, 1, "city_management", 2),
    _c(E, "13002", "施工管理", "工地扬尘", 8, CAL, 2, "city_management", 1.2),
    _c(E, "13003", "施工管理", "渣土车辆抛洒", 8, CAL, 2, "city_management", 0.8),
    _c(E, "13004", "施工管理", "道路破损开挖", 48, CAL, 8, "roads", 1),
    _c(E, "14001", "街面秩序", "无照经营游商", 4, CAL, 1, "city_management", 4),
    _c(E, "14002", "街面秩序", "占道经营", 4, CAL, 1, "city_management", 4),
    _c(E, "14003", "街面秩序", "跨门营业", 8, CAL, 2, "city_management", 3, True),
    _c(E, "14004", "街面秩序", "非机动车乱停放", 4, CAL, 1, "city_management", 4, True),
    _c(E, "14005", "街面秩序", "机动车乱停放", 4, CAL, 1, "police", 3),
    _c(E, "14006", "街面秩序", "露天烧烤", 4, CAL, 1, "city_management", 1.2),
    _c(E, "14007", "街面秩序", "共享单车堆积", 12, CAL, None, "city_management", 2),
    _c(E, "15001", "突发事件", "路面塌陷", 2, CAL, 1, "roads", 0.3, dangerous=True),
    _c(E, "15002", "突发事件", "架空线坠落", 2, CAL, 1, "other", 0.4, dangerous=True),
    _c(E, "15003", "突发事件", "道路积水", 4, CAL, 1, "water", 0.8),
    _c(E, "15004", "突发事件", "火情隐患", 2, CAL, 1, "fire", 0.5, dangerous=True),
    _c(E, "15005", "突发事件", "燃气泄漏", 1, CAL, 0.5, "fire", 0.2, dangerous=True),
    _c(E, "15006", "突发事件", "井盖缺失", 2, CAL, 1, "water", 0.5, dangerous=True),
    _c(E, "16001", "房屋管理", "违法搭建", 168, WORK, None, "housing", 1.5),
    _c(E, "16002", "房屋管理", "群租", 168, WORK, None, "housing", 1),
    _c(E, "16003", "房屋管理", "楼道堆物", 48, CAL, None, "property", 2.5, True),
    _c(E, "16004", "房屋管理", "毁绿占绿", 72, CAL, None, "greening", 0.8),
    _c(E, "16005", "房屋管理", "电动车违规充电", 8, CAL, 2, "property", 1.5),
    _c(E, "17001", "市场监管", "无证餐饮", 72, WORK, None, "market", 1.2),
    _c(E, "17002", "市场监管", "食品安全隐患", 24, CAL, 4, "market", 0.8),
    _c(E, "17003", "市场监管", "价格投诉", 120, WORK, None, "market", 0.8),
    _c(E, "18001", "社会治安", "噪声扰民", 4, CAL, 1, "police", 2.5),
    _c(E, "18002", "社会治安", "宠物扰民", 24, CAL, None, "police", 1),
    _c(E, "18003", "社会治安", "群体聚集", 2, CAL, 1, "police", 0.3),
)

BY_CODE: dict[str, CatSpec] = {s.category.code: s for s in CATALOGUE}


def category_dict(cat: Category) -> dict:
    return {"kind": str(cat.kind), "code": cat.code, "big_code": cat.big_code,
            "big_name": cat.big_name, "small_name": cat.small_name,
            "limit_hours": cat.limit_hours, "limit_mode": str(cat.limit_mode),
            "urgent_limit_hours": cat.urgent_limit_hours,
            "warning_lead_minutes": cat.warning_lead_minutes, "simple": cat.simple,
            "dangerous": cat.dangerous, "closure_standard": list(cat.closure_standard)}


# --- departments' local units (部门派驻/属地单位) ---------------------------------
_FIXED_DEPTS: tuple[tuple[str, str], ...] = (
    ("police", "上钢新村派出所"), ("police", "济阳路派出所"), ("police", "耀华派出所"),
    ("police", "浦东交警支队上南中队"),
    ("city_management", "上钢新村城管中队"), ("city_management", "上钢新村城管中队一分队"),
    ("city_management", "上钢新村城管中队二分队"),
    ("market", "上钢市场监管所"), ("market", "耀华市场监管所"),
    ("housing", "上钢新村房管办"), ("housing", "浦东房管局第六房管所"),
    ("greening", "上钢新村绿化市容所"), ("greening", "浦东绿化养护公司上钢分部"),
    ("water", "上钢新村水务所"), ("water", "浦东排水公司南码头泵站"),
    ("roads", "浦东路政所上钢养护段"), ("roads", "上钢新村路灯管理站"),
    ("sanitation", "上钢环卫作业公司"), ("sanitation", "浦东环发集团上钢分部"),
    ("fire", "上钢消防救援站"), ("fire", "上钢新村微型消防站"),
    ("other", "浦东供电公司上钢供电所"), ("other", "上海燃气浦东公司上钢站"),
    ("other", "上钢新村社区事务受理中心"),
)
_PROPERTY_STEMS = ("古北", "陆家嘴", "东湖", "明华", "浦东", "金桥", "新长宁", "科瑞",
                   "上房", "中建", "万科", "绿城", "永升", "长城", "锦江", "复医天健",
                   "东方", "浦江", "申城", "恒益")


def departments(seed: int) -> list[dict]:
    rng = random.Random(f"depts:{seed}")
    out = []
    for i, (kind, name) in enumerate(_FIXED_DEPTS, 1):
        out.append({"id": f"D{i:02d}", "name": name, "kind": kind,
                    "phone": f"021-5{rng.randrange(1000000, 9999999)}"})
    for j, stem in enumerate(_PROPERTY_STEMS, len(out) + 1):
        out.append({"id": f"D{j:02d}", "name": f"上海{stem}物业管理有限公司上钢项目部",
                    "kind": "property", "phone": f"021-6{rng.randrange(1000000, 9999999)}"})
    return out


def responsibilities(seed: int, depts: list[dict], grid_ids: list[str]) -> list[dict]:
    """Category × responsibility grid -> department, deterministic from the seed."""
    by_kind: dict[str, list[dict]] = {}
    for d in depts:
        by_kind.setdefault(d["kind"], []).append(d)
    out = []
    for gi, gid in enumerate(grid_ids):
        for spec in CATALOGUE:
            pool = by_kind.get(spec.dept_kind) or by_kind["other"]
            # neighbouring grids share a unit: split the street between the units
            dept = pool[(gi * len(pool)) // max(1, len(grid_ids))] if spec.dept_kind != "property" \
                else pool[gi % len(pool)]
            out.append({"category_code": spec.category.code,
                        "category_kind": str(spec.category.kind),
                        "grid_id": gid, "department_id": dept["id"]})
    return out


#: share of (category, residents' committee) pairs where the street's real arrangement
#: differs from the responsibility matrix: an estate whose property company handles it,
#: a unit that took over an area. The matrix lags behind; the officers who dispatch every
#: day know (and past cases show it: 案例派单).
MATRIX_STALE_SHARE = 0.2


def actual_handler(seed: int, depts: list[dict], matrix_dept: str | None, category_code: str,
                   committee: str) -> str | None:
    """The department that really handles ``category_code`` in ``committee``: the matrix's,
    or for about one pair in five another unit of the same kind (a property company where
    the kind has one unit only). Deterministic from the seed."""
    if matrix_dept is None or not committee:
        return matrix_dept
    rng = random.Random(f"handler:{seed}:{category_code}:{committee}")
    if rng.random() >= MATRIX_STALE_SHARE:
        return matrix_dept
    kind = next((d["kind"] for d in depts if d["id"] == matrix_dept), "other")
    pool = [d["id"] for d in depts if d["kind"] == kind and d["id"] != matrix_dept] \
        or [d["id"] for d in depts if d["kind"] == "property" and d["id"] != matrix_dept]
    return rng.choice(pool) if pool else matrix_dept


def _span(first: str, last: str) -> list[str]:
    import datetime as dt

    a, b = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return [(a + dt.timedelta(days=i)).isoformat() for i in range((b - a).days + 1)]


#: The street's working calendar as the platform sends it (entity ``work_calendar``):
#: the 2026 public holidays and make-up working days (法定节假日 and 调休上班), after the
#: State Council's 2026 holiday notice. A working-hours limit does not run on these holidays
#: and does run on the make-up days, on the platform and at every desk alike.
WORK_CALENDAR = {
    "year": 2026,
    "holidays": (_span("2026-01-01", "2026-01-03") + _span("2026-02-15", "2026-02-23")
                 + _span("2026-04-04", "2026-04-06") + _span("2026-05-01", "2026-05-05")
                 + _span("2026-06-19", "2026-06-21") + _span("2026-09-25", "2026-09-27")
                 + _span("2026-10-01", "2026-10-07")),
    "makeup_days": ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
}
