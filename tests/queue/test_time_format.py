"""One time format everywhere an officer reads a time limit: 剩余 2小时15分 / 超时 3小时."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale

from console.domain import urgency
from widgets.limit_badge import LimitBadge, format_remaining


@pytest.fixture
def zh():
    old = QLocale()
    QLocale.setDefault(QLocale("zh_CN"))
    yield
    QLocale.setDefault(old)


def test_queue_badge_and_inbox_share_one_format(zh, qtbot):
    assert format_remaining(2 * 3600 + 15 * 60 + 20, "on_time") == "剩余 2小时15分"
    assert format_remaining(-3 * 3600, "overdue") == "超时 3小时"
    assert format_remaining(482.7 * 3600, "on_time") == "剩余 20天2小时42分"
    b = LimitBadge()
    qtbot.addWidget(b)
    b.set_limit("overdue", -(3 * 3600 + 60))
    assert b.text() == "超时 3小时1分"


def test_english_format(qtbot):
    old = QLocale()
    QLocale.setDefault(QLocale("en_GB"))
    try:
        assert format_remaining(-3 * 3600, "overdue") == "3 h overdue"
        assert format_remaining(135 * 60, "warning") == "2 h 15 min left"
    finally:
        QLocale.setDefault(old)


def test_priority_key_critical_then_time_left_then_unstarted_newest():
    rows = [
        {"id": "a", "state": "registered", "priority": "normal", "limit_deadline": 5000.0, "created_at": 1},
        {"id": "b", "state": "registered", "priority": "critical", "limit_deadline": 9000.0, "created_at": 1},
        {"id": "c", "state": "registered", "priority": "urgent", "limit_deadline": 100.0, "created_at": 1},
        {"id": "d", "state": "pending", "priority": "normal", "limit_deadline": None, "created_at": 10},
        {"id": "e", "state": "pending", "priority": "normal", "limit_deadline": None, "created_at": 20},
    ]
    assert [r["id"] for r in sorted(rows, key=urgency.row_priority_key)] == ["b", "c", "a", "e", "d"]
