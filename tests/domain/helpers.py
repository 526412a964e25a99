"""Shared actors and tickets for the domain tests."""

from console.domain import lifecycle
from console.domain.model import Actor, CategoryKind, Channel, Role

#: 2026-11-23 (a Monday) 10:00 Asia/Shanghai.
MONDAY_10 = 1795399200.0

OFFICER = Actor("u-off-1", "张三", Role.OFFICER, "WS-01")
OFFICER_2 = Actor("u-off-2", "李四", Role.OFFICER, "WS-02")
LEADER = Actor("u-lead", "王五", Role.SHIFT_LEADER, "WS-00")
COMMANDER = Actor("u-cmd", "赵六", Role.COMMANDER)
DEPARTMENT = Actor("d-cg", "城管中队", Role.DEPARTMENT)
DISTRICT = Actor("district", "区城运平台", Role.DISTRICT)
ADMIN = Actor("u-admin", "管理员", Role.ADMIN)
SYSTEM = Actor("system", "系统", Role.SYSTEM)
ALL_ACTORS = (OFFICER, OFFICER_2, LEADER, COMMANDER, DEPARTMENT, DISTRICT, ADMIN, SYSTEM)

PHOTO = "a" * 64


def make_ticket(**fields):
    base = dict(
        id="00000000-0000-4000-8000-000000000001",
        channel=Channel.HOTLINE_12345,
        category_kind=CategoryKind.EVENT,
        category_code="01001",
        category_name="暴露垃圾",
        created_at=MONDAY_10,
        limit_hours=24.0,
    )
    return lifecycle.new_ticket(**{**base, **fields})
