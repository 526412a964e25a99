"""Fixtures for the shell tests: a sample store in the per-test data directory."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from console import settings as S
from console.domain.model import Actor, Role
from console.paths import Paths
from views.main_window import PANELS

L, R = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
#: 2026-11-22 10:30:00 Asia/Shanghai — a day shift
DAY_EPOCH = 1795314600.0


@pytest.fixture(autouse=True)
def _no_system_config(monkeypatch, tmp_path):
    monkeypatch.setenv("DUTY_CONSOLE_SYSTEM_CONFIG", str(tmp_path / "no-system-config.ini"))


@pytest.fixture
def paths(_isolated_data_dir) -> Paths:
    return Paths.resolve(_isolated_data_dir).ensure()


@pytest.fixture
def store(paths):
    from tests.factories import load_sample_store

    s = load_sample_store(paths.store)
    yield s
    s.close()


@pytest.fixture
def settings(paths):
    s = S.Settings.load(paths)
    s.set(S.SOUND_ENABLED, False)  # no audio device in CI
    return s


@pytest.fixture
def ctx(store, settings):
    from console.qt.context import AppContext, TaskRunner

    c = AppContext(store=store, actor=Actor("officer1", "李信息员", Role.OFFICER, "ws-test"),
                   settings=settings, tasks=TaskRunner(inline=True), clock=lambda: DAY_EPOCH)
    yield c
    if c.journal is not None:
        c.journal.stop()


@pytest.fixture
def make_window(qtbot, ctx, paths):
    from views.main_window import MainWindow

    made = []

    def _make(panels=PANELS, lazy=False, **kw):
        w = MainWindow(ctx, paths, lazy=lazy, panels=panels, **kw)
        qtbot.addWidget(w)
        made.append(w)
        return w

    yield _make
