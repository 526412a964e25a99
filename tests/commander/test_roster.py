"""Roster swaps keep history; gaps in the coming week are warned."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from console.domain import roster as R
from console.operations import commander as ops
from console.operations.duty import DutyError, roster_override
from localdb import repo_commander as rc

from .conftest import LEADER, OFFICER, FakeClock, at


def test_swap_is_a_new_entry_and_keeps_history(make_store):
    store = make_store()
    new_id = ops.roster_swap(store, LEADER, "R2026-11-22-evening-l", "leader3", "值班长3", at(22, 9),
                             reason="病假")
    again = ops.roster_swap(store, LEADER, new_id, "leader1", "值班长1", at(22, 10), reason="再调整")
    with store.session() as s:
        rows = {r["id"]: r for r in rc.roster_rows(s, "2026-11-22", "2026-11-22")}
        chain = rc.roster_history(s, "R2026-11-22-evening-l")
        n = s.execute(text("SELECT count(*) FROM roster WHERE date='2026-11-22' AND shift='evening' "
                           "AND role='shift_leader'")).scalar()
        entries = rc.roster_entries(s, "2026-11-21", "2026-11-23")
    assert n == 3  # nothing deleted
    assert rows["R2026-11-22-evening-l"]["superseded_by"] == new_id
    assert rows[new_id]["replaces"] == "R2026-11-22-evening-l" and rows[new_id]["superseded_by"] == again
    assert rows[again]["replaces"] == new_id and rows[again]["reason"] == "再调整"
    assert [c["person_id"] for c in chain] == ["leader2", "leader3", "leader1"]
    on = R.on_duty(entries, dt.datetime.fromtimestamp(at(22, 16), R.SHANGHAI))
    assert on.shift_leader.person_id == "leader1"
    with pytest.raises(DutyError):
        ops.roster_swap(store, OFFICER, again, "officer2", "赵信息员", at(22, 11))
    with pytest.raises(DutyError, match="已被替换"):
        ops.roster_swap(store, LEADER, new_id, "officer2", "赵信息员", at(22, 11))


def test_roster_view_swaps_shows_history_and_warns_gaps(make_store, make_ctx, qtbot):
    from views.roster import RosterView

    store = make_store()
    ctx = make_ctx(store, FakeClock(at(22, 9)), actor=LEADER)
    view = RosterView(ctx)
    qtbot.addWidget(view)
    assert "无空缺" in view.gap_label.text() or not view.gaps
    row = next(i for i, e in enumerate(view.current) if e.id == "R2026-11-23-day-o")
    view.table.selectRow(row)
    view.swap("R2026-11-23-day-o", "officer2", "赵信息员", "13700137000", "调休")
    names = [e.name for e in view.current if e.date.isoformat() == "2026-11-23" and e.shift == "day"
             and e.role == "officer"]
    assert names == ["赵信息员"]
    new = next(i for i, e in enumerate(view.current) if e.name == "赵信息员")
    view.table.selectRow(new)
    assert view.history.count() == 2
    assert "李信息员" in view.history.item(0).text() and "赵信息员" in view.history.item(1).text()
    assert "137****7000" in view.table.item(new, 4).text() or "13700137000" in view.table.item(new, 4).text()
    # vacate a slot in the coming week: the gap is warned
    roster_override(store, LEADER, at(22, 9, 30), replaces="R2026-11-25-night-l", person_id="", name="")
    view.reload()
    assert view.gaps == [R.Gap(dt.date(2026, 11, 25), "night", "shift_leader")]
    assert "11-25" in view.gap_label.text() and view.fill_button.isEnabled()


def test_officer_cannot_edit_the_roster(make_store, make_ctx, qtbot):
    from views.roster import RosterView

    view = RosterView(make_ctx(make_store(), FakeClock(at(22, 9)), actor=OFFICER))
    qtbot.addWidget(view)
    assert not view.swap_button.isEnabled()
    assert view.swap_button.toolTip()
    assert "138****8000" in view.table.item(0, 4).text()


def test_bad_roster_changes_are_refused_and_nothing_is_stored(make_store):
    from sqlalchemy import text

    from tests.commander.test_night import pattern_change

    store = make_store([], pattern_change())
    with store.session() as s:
        before = s.execute(text("SELECT count(*) FROM roster")).scalar()
    # two commanders on one day
    with pytest.raises(DutyError, match="指挥长排了2人，每天只能一人"):
        ops.roster_fill(store, LEADER, "2026-11-23", "all", "commander", "commander2", "赵指挥", at(22, 9))
    # the same person in two chain roles
    with pytest.raises(DutyError, match="同时担任指挥长、常务副指挥长"):
        ops.roster_fill(store, LEADER, "2026-11-23", "all", "executive_deputy", "commander1", "王指挥", at(22, 9))
    # a chain role per shift, an unknown role, a handed-off night
    with pytest.raises(DutyError, match="按日排班"):
        ops.roster_fill(store, LEADER, "2026-11-23", "day", "deputy", "commander2", "赵指挥", at(22, 9))
    with pytest.raises(DutyError, match="未知的岗位"):
        ops.roster_fill(store, LEADER, "2026-11-23", "day", "boss", "x", "x", at(22, 9))
    with pytest.raises(DutyError, match="夜班实行三班二运转，无人值守（转接上钢新村派出所）"):
        ops.roster_fill(store, LEADER, "2026-11-23", "night", "officer", "officer2", "赵信息员", at(22, 9))
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM roster")).scalar() == before
        assert s.execute(text("SELECT count(*) FROM outbox")).scalar() == 0
    # a deputy for the day is fine
    ops.roster_fill(store, LEADER, "2026-11-23", "all", "executive_deputy", "commander2", "赵指挥", at(22, 9))


def test_the_roster_view_warns_of_command_and_crew_gaps_by_the_pattern(make_store, make_ctx, qtbot):
    from tests.commander.test_night import pattern_change
    from views.roster import RosterView

    store = make_store([], pattern_change())   # 三班二运转: two officers a shift, nobody at night
    view = RosterView(make_ctx(store, FakeClock(at(22, 9))))
    qtbot.addWidget(view)
    assert not [g for g in view.gaps if g.shift == "night"]     # the night is the station's
    assert "2026-11-22 白班：值班员1人，三班二运转每班至少2人，请补足" in view.problems
    assert view.problem_label.isVisibleTo(view) and "请补足" in view.problem_label.text()


def test_take_over_now_when_the_rostered_person_is_tied_up(make_store, make_ctx, qtbot):
    from console.domain.model import Actor, Role
    from views.roster import RosterView

    store = make_store()
    officer2 = Actor("officer2", "赵信息员", Role.OFFICER, "WS-3")
    now = at(22, 10)
    with pytest.raises(DutyError, match="这本来就是您的班"):
        ops.take_over_now(store, OFFICER, "R2026-11-22-day-o", now)
    with pytest.raises(DutyError, match="不能接替shift_leader"):
        ops.take_over_now(store, officer2, "R2026-11-22-day-l", now)
    with pytest.raises(DutyError, match="只能接替当前班次"):
        ops.take_over_now(store, officer2, "R2026-11-22-evening-o", now)

    view = RosterView(make_ctx(store, FakeClock(now), actor=officer2))
    qtbot.addWidget(view)
    view.take_over("R2026-11-22-day-o")
    qtbot.waitUntil(lambda: any(e.person_id == "officer2" and e.shift == "day" and e.date == dt.date(2026, 11, 22)
                                for e in view.current), timeout=5000)
    new = next(e for e in view.current if e.person_id == "officer2" and e.shift == "day")
    assert new.replaces == "R2026-11-22-day-o" and new.reason == "临时接替李信息员"
    with store.session() as s:   # on duty now, by the domain's rule (the swap is respected)
        entries = rc.roster_entries(s, "2026-11-22", "2026-11-22")
    now_on = R.on_duty(entries, dt.datetime.fromtimestamp(now, R.SHANGHAI))
    assert [o.person_id for o in now_on.officers] == ["officer2"]


def test_the_shift_change_notice_respects_a_swap(make_store, make_ctx, qtbot):
    from views.commander import CommanderPanel

    store = make_store()
    ops.roster_swap(store, LEADER, "R2026-11-22-evening-l", "leader3", "值班长3", at(22, 9), reason="病假")
    clock = FakeClock(at(22, 14, 59, 59))
    panel = CommanderPanel(make_ctx(store, clock, actor=LEADER))
    qtbot.addWidget(panel)
    clock.set(at(22, 15, 0, 1))
    panel.on_shift_boundary()
    assert "值班长3" in panel.last_notice and "值班长2" not in panel.last_notice


def test_bad_swaps_are_refused_with_what_to_fix_and_nothing_is_stored(make_store):
    store = make_store()
    with store.session() as s:
        before = s.execute(text("SELECT count(*) FROM roster")).scalar()
        day = {(e.shift, e.role): e for e in R.effective(rc.roster_entries(s, "2026-11-22", "2026-11-22"))}
    leader = day[("evening", "shift_leader")]
    officer = day[("evening", "officer")]
    with pytest.raises(DutyError, match="不能与自己调班"):
        ops.roster_swap(store, LEADER, leader.id, leader.person_id, leader.name, at(22, 9))
    with pytest.raises(DutyError, match="nobody9 不在排班人员名单中"):
        ops.roster_swap(store, LEADER, leader.id, "nobody9", "无名", at(22, 9))
    # the evening's officer cannot also lead the evening: the crew would be left without them
    with pytest.raises(DutyError, match="当班已担任值班员，调班会让值班员无人"):
        ops.roster_swap(store, LEADER, leader.id, officer.person_id, officer.name, at(22, 9))
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM roster")).scalar() == before
        assert s.execute(text("SELECT count(*) FROM outbox")).scalar() == 0
