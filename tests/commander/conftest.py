"""Fixtures of the commander tests: a store with the sample roster/users and tickets
built with KNOWN states and deadlines, a fake platform clock, an inline context."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from typing import Any

import pytest

from console.domain.model import Actor, CategoryKind, Channel, Role, Ticket, TicketState
from console.domain.roster import SHANGHAI
from tests.factories import reference_changes

COMMANDER = Actor("commander1", "王指挥", Role.COMMANDER, "WS-1")
LEADER = Actor("leader1", "值班长1", Role.SHIFT_LEADER, "WS-1")
OFFICER = Actor("officer1", "李信息员", Role.OFFICER, "WS-2")


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> float:
    """Epoch seconds of 2026-11-<day> hh:mm:ss in Shanghai."""
    return dt.datetime(2026, 11, day, hour, minute, second, tzinfo=SHANGHAI).timestamp()


class FakeClock:
    """Platform time the test moves by hand."""

    def __init__(self, t: float) -> None:
        self.t = float(t)

    def __call__(self) -> float:
        return self.t

    def set(self, t: float) -> None:
        self.t = float(t)


_N = [0]


def ticket(state: str, *, created: float, deadline: float | None = None, grid: str = "G01",
           dept: str | None = "D01", code: str = "02001", name: str = "暴露垃圾", **kw: Any) -> Ticket:
    """A ticket in ``state``; ``deadline`` is its running limit (None: clock not running)."""
    _N[0] += 1
    fields: dict[str, Any] = dict(
        id=str(uuid.UUID(int=_N[0])), number=f"T{_N[0]:05d}", state=TicketState(state),
        channel=Channel.HOTLINE_12345, category_kind=CategoryKind.EVENT, category_code=code,
        category_name=name, big_code=code[:2], big_name="市容环境", version=1,
        lat=31.18, lon=121.49, address=f"测试路{_N[0]}号",
        grids={"district": "310115", "street": "310115009", "resp_grid": grid, "committee": "C01",
               "micro_grid": "M001"},
        department_id=dept, created_at=created, updated_at=created,
        clock_start=created if deadline is not None else None, limit_hours=8.0, deadline=deadline,
    )
    fields.update(kw)
    return Ticket(**fields)


def changes_for(tickets: list[Ticket], extra: list[dict] | None = None) -> list[dict]:
    out = reference_changes() + [
        {"seq": 0, "kind": "ticket", "op": "upsert", "id": t.id, "data": t.to_dict()} for t in tickets
    ]
    for uid, name, role in (("leader2", "值班长2", "shift_leader"), ("leader3", "值班长3", "shift_leader"),
                            ("commander2", "赵指挥", "commander")):
        out.append({"seq": 0, "kind": "user", "op": "upsert", "id": uid, "data": {
            "id": uid, "name": name, "role": role,
            "pin_hash": hashlib.sha256(f"{uid}:1234".encode()).hexdigest()}})
    out += extra or []
    for seq, ch in enumerate(out, start=1):
        ch["seq"] = seq
    return out


@pytest.fixture
def make_store(tmp_path):
    from localdb import Store
    from localdb.feed import apply_changes

    opened = []

    def make(tickets: list[Ticket] = (), extra: list[dict] | None = None, name: str = "store.sqlite3"):
        store = Store.open(tmp_path / name)
        apply_changes(store, changes_for(list(tickets), extra), "test-cursor")
        opened.append(store)
        return store

    yield make
    for s in opened:
        s.close()


@pytest.fixture
def make_ctx(qtbot):
    from console.qt.context import AppContext, TaskRunner

    made = []

    def make(store, clock: FakeClock, actor: Actor = COMMANDER, link: str = "online"):
        ctx = AppContext(store=store, actor=actor, clock=clock, tasks=TaskRunner(inline=True))
        ctx.link.set_state(link)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        if ctx.journal is not None:
            ctx.journal.stop()
