"""The main window: docks, placeholders, layout, status bar, notices, snapshot info.

The window is built with the real panels (``make_window`` defaults to ``PANELS``); stand-ins
from ``fake_panels`` appear only where a test says why."""

from __future__ import annotations

import threading

from PySide6.QtWidgets import QDockWidget

from console import snapshot
from tests.shell.conftest import L, R
from views.main_window import PANELS, PanelPlaceholder, PanelSpec


def test_window_opens_with_four_docks(make_window, qtbot):
    w = make_window()
    w.show()
    qtbot.waitExposed(w)
    assert set(w.docks) == {"queue", "map", "video", "commander"}
    for name, dock in w.docks.items():
        assert isinstance(dock, QDockWidget)
        assert dock.objectName() == f"dock_{name}"
        assert dock.features() & QDockWidget.DockWidgetFeature.DockWidgetFloatable
        assert dock.isVisible()
        assert dock.widget().panel_name == name
        assert not isinstance(dock.widget(), PanelPlaceholder)
    assert not w.errors
    assert w.panels_ready
    qtbot.waitUntil(w.snapshot_ready, timeout=30000)  # the map page loaded and drew


def test_real_panel_specs_are_the_documented_ones():
    assert [(s.name, s.module, s.cls) for s in PANELS] == [
        ("queue", "views.queue", "QueuePanel"), ("map", "views.map", "MapPanel"),
        ("video", "views.video_wall", "VideoWallPanel"), ("commander", "views.commander", "CommanderPanel")]


def test_missing_or_broken_panel_shows_placeholder_and_rest_works(make_window, qtbot):
    # stand-ins: one panel module missing and one that raises in its constructor are
    # what this test is about; the other two are light fakes to keep it to the point
    panels = (
        PanelSpec("queue", "tests.shell.fake_panels", "QueueFake", "Ticket queue", L),
        PanelSpec("map", "views.no_such_panel_module", "MapPanel", "Map", R),
        PanelSpec("video", "tests.shell.fake_panels", "VideoFake", "Video wall", R),
        PanelSpec("commander", "tests.shell.fake_panels", "Broken", "Commander", R),
    )
    w = make_window(panels=panels)
    w.show()
    qtbot.waitExposed(w)
    assert isinstance(w.panels["map"], PanelPlaceholder)
    assert "No module named 'views.no_such_panel_module'" in w.errors["map"]
    assert isinstance(w.panels["commander"], PanelPlaceholder)
    assert "the commander panel blew up" in w.errors["commander"]
    assert w.panels["map"].title_label.text() in ("此面板尚未就绪", "Panel not available")
    assert snapshot.collect(w.ctx, w)["panels"] == ["queue", "video"]


def test_lazy_loading_builds_panels_after_first_paint(make_window, qtbot):
    w = make_window(lazy=True)
    assert all(isinstance(d.widget(), PanelPlaceholder) for d in w.docks.values())
    w.show()
    with qtbot.waitSignal(w.sig_panels_ready, timeout=60000):
        pass
    assert set(w.real_panels()) == {"queue", "map", "video", "commander"}


def test_layout_saved_and_restored(make_window, qtbot, paths):
    w = make_window()
    w.show()
    qtbot.waitExposed(w)
    w.docks["video"].hide()
    w.docks["map"].setFloating(True)
    w.close()
    assert paths.layout.exists()
    assert paths.layout != paths.config
    assert "platform_url" not in paths.layout.read_text(errors="replace")

    w2 = make_window()
    w2.show()
    qtbot.waitExposed(w2)
    assert not w2.docks["video"].isVisible()
    assert w2.docks["map"].isFloating()
    w2.reset_layout()
    assert w2.docks["video"].isVisible()
    assert not w2.docks["map"].isFloating()


def test_dock_floats_on_another_screen(make_window, qtbot):
    w = make_window()
    w.show()
    w.float_dock_on_screen("video", 1)  # clamps to the last screen offscreen
    assert w.docks["video"].isFloating()


def test_status_bar_follows_link_state_and_outbox(make_window, qtbot, ctx):
    w = make_window()
    w.show()
    ind = w.link_indicator
    assert ind.state == "offline"
    with qtbot.waitSignal(ctx.link.sig_changed, timeout=1000):
        ctx.link.set_state("online", last_ok=ctx.clock())
    assert ind.state == "online"
    assert ind.state_label.text() in ("在线", "Online")
    assert ind.alerts == []  # first contact is not "the link returned"
    with qtbot.waitSignal(ind.sig_alert, timeout=1000) as blocker:
        ctx.link.set_state("offline")
    assert blocker.args == ["link_down"]
    assert ind.state_label.text() in ("离线", "Offline")
    ctx.link.set_state("degraded")
    assert ind.alerts == ["link_down", "link_up"]
    with qtbot.waitSignal(ctx.link.sig_outbox, timeout=1000):
        ctx.link.set_outbox_depth(7)
    assert "7" in ind.detail_label.text()


def test_no_alert_when_the_platform_was_never_reached(make_window, ctx):
    w = make_window()
    ind = w.link_indicator
    ctx.link.set_state("degraded")  # first failure, never an answer
    ctx.link.set_state("offline")
    assert ind.alerts == [] and ind.state == "offline"


def test_status_bar_shows_shift_commander_and_platform_clock(make_window, qtbot, ctx):
    w = make_window()
    qtbot.waitUntil(lambda: w.duty is not None, timeout=3000)
    assert w.duty.shift == "day"
    assert w.duty.commander == "王指挥"
    assert "王指挥" in w.commander_label.text()
    assert w.shift_label.text() in ("白班 07:00-15:00", "Day shift 07:00-15:00")
    assert w.clock_label.text() == "10:30:00"  # platform time, Shanghai


def test_snapshot_info_merges_panels_and_counts_the_store(make_window, qtbot):
    w = make_window()
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(w.snapshot_ready, timeout=30000)
    # the sample store has all five grid layers: the map page reports them drawn
    qtbot.waitUntil(lambda: snapshot.collect(w.ctx, w)["grid_layers"] == 5, timeout=30000)
    info = snapshot.collect(w.ctx, w)
    assert list(info) == snapshot.keys()
    assert {"panels", "tickets", "link", "pending_outbox", "cameras", "video_playing",
            "grid_layers", "base_map_tiles", "shift", "commander"} <= set(info)
    assert info["panels"] == ["queue", "map", "video", "commander"]
    assert info["tickets"] == 200
    assert (info["plans"], info["emergency"]) == (8, None)  # the platform's eight plans, no emergency
    # eight cameras in the sample store; none has a reachable stream, so none plays
    assert (info["cameras"], info["video_playing"]) == (8, 0)
    assert info["link"] == "offline" and info["pending_outbox"] == 0
    assert (info["shift"], info["commander"]) == ("day", "王指挥")


def test_notifier_errors_go_to_the_notice_bar(make_window, qtbot, ctx):
    w = make_window()
    w.show()
    with qtbot.waitSignal(w.notice_bar.sig_shown, timeout=1000):
        ctx.notify.error("数据库忙")
    assert w.notice_toolbar.isVisible() and w.notice_bar.isVisible()
    assert "数据库忙" in w.notice_bar.text()
    ctx.notify.warning("second")
    assert "second" in w.notice_bar.text()
    assert "1" in w.notice_bar.count_label.text()
    w.notice_bar.dismiss_button.click()
    assert not w.notice_toolbar.isVisible() and not w.notice_bar.active


def test_uncaught_thread_exception_reaches_notice_bar(make_window, qtbot, ctx):
    from console.qt import errors

    w = make_window()
    w.show()
    errors.install(ctx.notify)
    try:
        def boom():
            raise ValueError("worker exploded")

        with qtbot.waitSignal(w.notice_bar.sig_shown, timeout=3000) as blocker:
            t = threading.Thread(target=boom, name="worker-x")
            t.start()
            t.join()
        assert "worker exploded" in blocker.args[1]
    finally:
        errors.uninstall()


def test_toasts_stack_and_hide(make_window, qtbot, ctx):
    from widgets.toast import MAX_VISIBLE

    w = make_window()
    w.show()
    qtbot.waitExposed(w)
    w.toasts._seconds = 0.5
    for i in range(MAX_VISIBLE + 2):
        ctx.notify.toast("新工单", f"第{i}张", False)
    visible = w.toasts.visible_toasts()
    assert len(visible) == MAX_VISIBLE
    ys = [t.y() for t in visible]
    assert ys == sorted(ys) and len(set(ys)) == MAX_VISIBLE  # stacked, no overlap
    assert all(t.parent() is w for t in visible)  # children: never steal focus
    qtbot.waitUntil(lambda: not w.toasts.visible_toasts(), timeout=5000)


def test_help_menu_has_shortcuts_and_about(make_window, qtbot):
    w = make_window()
    titles = [a.text() for a in w.menuBar().actions()]
    assert len(titles) == 3
    with qtbot.waitSignal(w.sig_shortcuts_requested, timeout=1000):
        w.action_shortcuts.trigger()
    rows = w.shortcut_rows()
    assert ("A", "Accept") in rows and ("Ctrl+N", "New ticket") in rows   # the queue panel's
    assert any(k == "F1" for k, _ in rows)
    w.action_about.trigger()
    assert w._about.isVisible()


def test_window_opens_when_the_platform_clock_is_garbage(make_window, ctx, qtbot):
    """Issue 14: NaN platform time raised in the clock slot every second."""
    import math

    for bad in (float("nan"), float("inf"), 1e300, -1e12):
        ctx.clock = lambda bad=bad: bad
        w = make_window()
        w.show()
        qtbot.waitExposed(w)
        w._on_clock_timeout()
        text = w.clock_label.text()
        assert len(text) == 8 and text.count(":") == 2 and "nan" not in text.lower(), text
        assert not w.errors and w.panels_ready
        assert math.isfinite(w._platform_now())


def test_usable_is_signalled_once_every_panel_says_so(make_window, qtbot):
    # stand-ins whose usable() the test sets: the window's signal is what is tested here
    # (the real panels' usable() is timed end to end by bench/startup.py)
    panels = (PanelSpec("queue", "tests.shell.fake_panels", "UsableFake", "Ticket queue", L),
              PanelSpec("video", "tests.shell.fake_panels", "UsableFake", "Video wall", R))
    w = make_window(panels=panels)
    w.show()
    qtbot.waitUntil(lambda: w.panels_ready, timeout=10000)
    w.panels["queue"].ready = True
    qtbot.waitUntil(lambda: w.usable_parts() == {"queue": True, "video": False}, timeout=5000)
    assert not w.usable  # one panel still drawing its first load
    with qtbot.waitSignal(w.sig_usable, timeout=5000) as blocker:
        w.panels["video"].ready = True
    assert blocker.args == [{"queue": True, "video": True}] and w.usable
    assert not w._usable_timer.isActive()


def test_a_panel_that_never_becomes_usable_stops_the_polling_and_is_named(make_window, qtbot,
                                                                         monkeypatch, caplog):
    import views.main_window as mw

    monkeypatch.setattr(mw, "USABLE_GIVE_UP_S", 0.2)
    # a stand-in that is never usable (a camera that never plays, say)
    panels = (PanelSpec("video", "tests.shell.fake_panels", "UsableFake", "Video wall", R),)
    w = make_window(panels=panels)
    with caplog.at_level("WARNING", logger="views.main_window"):
        w.show()
        qtbot.waitUntil(lambda: w.panels_ready and not w._usable_timer.isActive(), timeout=10000)
    assert not w.usable
    assert any("still waiting for: video" in r.getMessage() for r in caplog.records)
