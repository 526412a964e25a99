"""The commander panel's duty header speaks the interface language (in English it still
read "白班")."""

from __future__ import annotations

import pytest

from console.qt import i18n

from .conftest import OFFICER, FakeClock, at


@pytest.fixture
def english(qapp, tmp_path):
    i18n.install(qapp, "en", cache_dir=tmp_path / "qm")
    yield
    i18n.remove(qapp)


def test_duty_header_in_english(english, make_store, make_ctx, qtbot):
    from views.commander import CommanderPanel

    panel = CommanderPanel(make_ctx(make_store(), FakeClock(at(22, 10)), actor=OFFICER))
    qtbot.addWidget(panel)
    head = panel.duty_label.text()
    assert "07:00–15:00" in head
    assert not any(zh in head for zh in ("白班", "中班", "夜班")), head
    assert not any(zh in panel.next_label.text() for zh in ("白班", "中班", "夜班"))


def test_inbox_reasons_states_and_limits_are_whole_in_english(english, make_store, make_ctx, qtbot):
    from views.commander import CommanderPanel

    from .conftest import ticket

    rows = [ticket("handling", created=at(21, 9), deadline=at(22, 8), key_supervision=True),
            ticket("feedback", created=at(21, 9), deadline=at(22, 9), key_supervision=True),
            ticket("handling", created=at(22, 9), deadline=at(30, 12), needs_commander=True,
                   commander_reason="extension",
                   extension_request={"hours": 12, "reason": "等待配件", "by": "D01", "at": at(22, 9)})]
    panel = CommanderPanel(make_ctx(make_store(rows), FakeClock(at(22, 10)), actor=OFFICER))
    qtbot.addWidget(panel)
    panel.resize(1100, 600)
    panel.show()
    qtbot.waitExposed(panel)
    panel.reload_inbox()
    table = panel.inbox
    qtbot.waitUntil(lambda: table.rowCount() == 3)
    fm = table.fontMetrics()
    for i in range(table.rowCount()):
        for j in (0, 1, 2, 4, 5):
            text = table.item(i, j).text()
            assert table.columnWidth(j) >= fm.horizontalAdvance(text) + 6, (i, j, text)  # not elided
