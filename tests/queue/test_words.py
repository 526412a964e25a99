"""Words that say what they mean: the button to the refused actions says they are failed
sync actions in both languages (需处理 / "Needs attention" read like tickets to handle)."""

from __future__ import annotations

import pytest

from console.qt import i18n


@pytest.fixture(params=["zh_CN", "en"])
def language(request, qapp, tmp_path):
    i18n.install(qapp, request.param, cache_dir=tmp_path / "qm")
    yield request.param
    i18n.remove(qapp)


def test_failed_sync_button_says_sync(language, ctx, qtbot):
    from views.queue import QueuePanel

    panel = QueuePanel(ctx)
    qtbot.addWidget(panel)
    panel._on_attention_count(0)
    quiet = panel.attention_button.text()
    panel._on_attention_count(3)
    busy = panel.attention_button.text()
    if language == "en":
        assert "sync" in quiet.lower() and "sync" in busy.lower() and "3" in busy
    else:
        assert "同步失败" in quiet and "同步失败" in busy and "3" in busy
