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
