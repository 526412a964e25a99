"""Map panel fixtures: a sample store, an AppContext and a loaded MapPanel.

The ``tiles:`` scheme must be registered before the QApplication exists, so it is
done at import time here (conftest modules are imported before any fixture runs).
"""

from __future__ import annotations

import json

import pytest
import shiboken6

from views.map_tiles import register_scheme

register_scheme()

from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor  # noqa: E402

NOW = 1795300000.0


class RequestRecorder(QWebEngineUrlRequestInterceptor):
    """Records every URL the page asks for (to prove nothing goes to the network)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info) -> None:  # noqa: N802 - Qt API
        self.urls.append(info.requestUrl().toString())


@pytest.fixture
def store(tmp_path):
    from tests.factories import load_sample_store

    s = load_sample_store(tmp_path / "store.db", n_tickets=200, now=NOW)
    yield s
    s.close()


@pytest.fixture
def make_ctx(store):
    from console.domain.model import Actor, Role
    from console.qt.context import AppContext
    from console.settings import Settings

    made = []

    def _make(**settings):
        st = Settings()
        for k, v in settings.items():
            st.set(k, v)
        ctx = AppContext(store=store, actor=Actor("officer1", "李信息员", Role.OFFICER, "WS-01"),
                         settings=st, clock=lambda: NOW)
        made.append(ctx)
        return ctx

    yield _make
    for ctx in made:
        ctx.tasks.wait(5000)


@pytest.fixture
def recorder():
    return RequestRecorder()


@pytest.fixture
def open_panel(qtbot, make_ctx, recorder):
    from views.map import MapPanel

    panels = []

    def _open(**settings):
        ctx = make_ctx(**settings)
        panel = MapPanel(ctx)
        panel.profile.setUrlRequestInterceptor(recorder)
        panel.resize(900, 650)
        with qtbot.waitSignals([panel.bridge.sig_ready, panel.sig_grids_drawn, panel.bridge.sig_tickets_drawn],
                               timeout=20000):
            panel.show()
        panels.append(panel)
        return panel

    yield _open
    for panel in panels:  # delete now (page before profile), not at interpreter exit
        panel.ctx.tasks.wait(5000)
        panel.deleteLater()
        qtbot.waitUntil(lambda p=panel: not shiboken6.isValid(p), timeout=5000)


def js(qtbot, panel, code: str):
    """Run JavaScript in the page and return its (JSON-decoded when a string) result."""
    with qtbot.waitCallback(timeout=10000) as cb:
        panel.page.runJavaScript(code, 0, cb)
    value = cb.args[0]
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def stats(qtbot, panel) -> dict:
    return js(qtbot, panel, "DutyMap.stats()")
