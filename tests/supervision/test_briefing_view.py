"""The briefing tab of the commander panel: the officer picks a month, prepares the
briefing, sees its figures and exports the PDF and the JSON twin."""

from __future__ import annotations

import json

from tests.commander.conftest import FakeClock, at
from tests.supervision.test_briefing import NOW, seeded_history


def test_prepare_and_export_from_the_panel(qtbot, make_store, make_ctx, tmp_path):
    from views.briefing import BriefingView

    store = make_store(seeded_history())
    ctx = make_ctx(store, FakeClock(at(22, 10)))
    view = BriefingView(ctx)
    qtbot.addWidget(view)
    assert view.month.currentText() == "2026-10"  # the last whole month is offered first
    assert not view.pdf_button.isEnabled()
    view.month.setCurrentText("2026-11")
    qtbot.mouseClick(view.build_button, qtbot_button())
    qtbot.waitUntil(lambda: view.briefing is not None)
    t = view.briefing.month.total.cell
    assert f"受理 {t.received} 件" in view.status.text() or f"{t.received} received" in view.status.text()
    assert "工作简报" in view.preview.toPlainText() and "上钢新村派出所" in view.preview.toPlainText()
    assert view.pdf_button.isEnabled()
    view.export(pdf=str(tmp_path / "b.pdf"), json_path=str(tmp_path / "b.json"))
    qtbot.waitUntil(lambda: (tmp_path / "b.json").exists() and (tmp_path / "b.pdf").exists())
    assert json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))["month"]["total"]["received"] == t.received
    assert NOW == at(22, 10)


def test_a_malformed_month_is_refused_with_a_message(qtbot, make_store, make_ctx):
    from views.briefing import BriefingView

    ctx = make_ctx(make_store([]), FakeClock(at(22, 10)))
    view = BriefingView(ctx)
    qtbot.addWidget(view)
    view.month.setCurrentText("2026/11")
    view.prepare()
    assert "YYYY-MM" in view.status.text() and view.briefing is None


def qtbot_button():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
