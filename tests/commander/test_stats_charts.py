"""Situation figures against a hand count; chart clicks filter the queue; debounced updates."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from localdb import stats

from .conftest import FakeClock, at, ticket

NOW = at(22, 10)
OCT = 1790000000.0  # 2026-09-21: long before every window of the test


def oct_(day: int, hour: int = 12) -> float:
    import datetime as dt

    from console.domain.roster import SHANGHAI
    return dt.datetime(2026, 10, day, hour, tzinfo=SHANGHAI).timestamp()


def hand_counted() -> list:
    t = []
    # intake today (hours 1, 1, 3, 9) and in the previous 7 days (hours 1, 1, 5; one too old)
    t += [ticket("pending", created=at(22, 1, 10), code="02001", name="暴露垃圾"),
          ticket("pending", created=at(22, 1, 50), code="02001", name="暴露垃圾"),
          ticket("pending", created=at(22, 3, 0), code="03001", name="无证设摊"),
          ticket("pending", created=at(22, 9, 59), code="01001", name="上水井盖")]
    t += [ticket("pending", created=at(21, 1, 30)), ticket("pending", created=at(15, 1, 0)),
          ticket("pending", created=at(20, 5, 0)), ticket("pending", created=at(14, 23, 0))]
    # closures
    t += [ticket("closed", created=OCT, closed_at=at(22, 8), updated_at=at(22, 8), closed_on_time=True,
                 grid="G01", dept="D01"),
          ticket("closed", created=OCT, closed_at=at(22, 9), updated_at=at(22, 9), closed_on_time=False,
                 grid="G02", dept="D02"),
          ticket("closed", created=OCT, closed_at=at(10, 9), updated_at=at(10, 9), closed_on_time=True,
                 grid="G01", dept="D01"),
          ticket("archived", created=OCT, closed_at=at(12, 9), updated_at=at(13, 9), closed_on_time=True,
                 grid="G02", dept="D02"),
          ticket("closed", created=OCT, closed_at=oct_(30), updated_at=oct_(30), closed_on_time=True)]
    # running limits
    t += [ticket("handling", created=OCT, deadline=at(22, 5), grid="G01", dept="D01"),   # due today, overdue
          ticket("handling", created=OCT, deadline=at(5, 12), grid="G02", dept="D02"),   # due this month
          ticket("handling", created=OCT, deadline=at(22, 11), grid="G03", dept="D03"),  # warning
          ticket("handling", created=OCT, deadline=at(23, 12), grid="G03", dept="D03"),  # on time
          ticket("handling", created=OCT, deadline=oct_(20), grid="G04", dept="D04")]    # overdue since October
    return t


@pytest.fixture
def store(make_store):
    return make_store(hand_counted())


def test_figures_match_a_hand_count(store):
    f = stats.compute(store, NOW)
    today = [0] * 24
    today[1], today[3], today[9] = 2, 1, 1
    assert f.hourly_today == today
    avg = [0.0] * 24
    avg[1], avg[5] = 2 / 7, 1 / 7
    assert f.hourly_avg7 == pytest.approx(avg)
    assert f.open_by_state == {"pending": 8, "handling": 5}
    assert (f.warning, f.overdue) == (1, 3)
    t, m = f.total("today"), f.total("month")
    assert (t.due, t.closed, t.on_time) == (3, 2, 1)
    assert t.closure_rate == pytest.approx(2 / 3) and t.on_time_rate == pytest.approx(1 / 3)
    assert (m.due, m.closed, m.on_time) == (6, 4, 3)
    assert m.closure_rate == pytest.approx(4 / 6) and m.on_time_rate == pytest.approx(3 / 6)
    grid = {r.key: (r.due, r.closed, r.on_time, r.name) for r in f.rates["month"]["grid"]}
    assert grid == {"G01": (3, 2, 2, "第1责任网格"), "G02": (3, 2, 1, "第2责任网格")}
    dept = {r.key: (r.due, r.closed, r.on_time) for r in f.rates["today"]["department"]}
    assert dept == {"D01": (2, 1, 1), "D02": (1, 1, 0)}
    assert f.top_categories == [("02001", "暴露垃圾", 2), ("01001", "上水井盖", 1), ("03001", "无证设摊", 1)]


def test_rates_of_an_empty_period_are_none(make_store):
    f = stats.compute(make_store(), NOW)
    assert f.total("today").due == 0 and f.total("today").closure_rate is None


def test_clicking_a_bar_filters_the_queue(store, make_ctx, qtbot):
    from views.charts import ChartsView

    ctx = make_ctx(store, FakeClock(NOW))
    view = ChartsView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.sig_updated, timeout=3000):
        view.refresh()
    assert view.limits.values() == [[1.0, 3.0]] and view.limits.keys() == ["warning", "overdue"]
    assert view.states.keys() == ["pending", "handling"]

    def click(chart, index: int, series: int = 0) -> None:
        pos = chart.mapFromScene(chart.bar_scene_pos(index, series))
        qtbot.mouseClick(chart.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(pos.x(), pos.y()))

    with qtbot.waitSignal(ctx.bus.sig_filter_queue, timeout=2000) as sig:
        click(view.limits, 1)
    assert sig.args == [{"limit": ["overdue"]}]
    with qtbot.waitSignal(ctx.bus.sig_filter_queue, timeout=2000) as sig:
        click(view.states, 1)
    assert sig.args == [{"states": ["handling"]}]
    with qtbot.waitSignal(ctx.bus.sig_filter_queue, timeout=2000) as sig:
        click(view.by_grid, 1, series=1)
    assert sig.args == [{"grids": ["G02"]}]
    # the queue understands the filter: three tickets are overdue
    from localdb import queue_query as qq
    with store.session() as s:
        assert qq.count(s, {"limit": ["overdue"]}, NOW) == 3


def test_store_changes_are_debounced_into_one_recompute(store, make_ctx, qtbot, monkeypatch):
    from views.charts import DEBOUNCE_MS, ChartsView

    assert DEBOUNCE_MS >= 2000
    ctx = make_ctx(store, FakeClock(NOW))
    view = ChartsView(ctx)
    qtbot.addWidget(view)
    assert view._debounce.interval() >= 2000
    calls = []
    real = stats.compute
    monkeypatch.setattr(stats, "compute", lambda *a, **k: calls.append(1) or real(*a, **k))
    view.set_debounce_ms(50)  # the test does not wait two seconds
    for _ in range(5):
        ctx.journal.sig_changed.emit({"ticket": ["x"]})
    ctx.journal.sig_changed.emit({"camera": ["CAM001"]})  # not a ticket change
    with qtbot.waitSignal(view.sig_updated, timeout=3000):
        pass
    assert len(calls) == 1
