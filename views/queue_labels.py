"""Queue-only display names (sync marker, tabs); enum names come from views/labels.py.

Functions, not constants, so that the installed translator is consulted at call time.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from views.labels import (  # noqa: F401 - re-exported for the queue modules
    action_label,
    channel_label,
    limit_state_label,
    priority_label,
    role_label,
    state_label,
)


def limit_label(value: str | None) -> str:
    return limit_state_label(value)


def sync_label(pending: int, attention: bool) -> str:
    if attention:
        return QCoreApplication.translate("QueueLabels", "Needs action")
    if pending:
        return QCoreApplication.translate("QueueLabels", "Pending sync")
    return ""


def presence_label(desks: list) -> str:
    """Who else in the hall has the ticket (``localdb.hall.Presence`` rows):
    "正在处理：张三 · 3号工位" for an officer acting on it, "正在查看：…" for one who
    only has it open; several desks joined by "；"."""
    parts = []
    for p in sorted(desks, key=lambda p: (p.activity != "acting", p.desk)):
        who = p.user_name or p.user_id or "?"
        if p.activity == "acting":
            t = QCoreApplication.translate("QueueLabels", "Being handled: %1 · %2")
        else:
            t = QCoreApplication.translate("QueueLabels", "Open at: %1 · %2")
        parts.append(t.replace("%1", who).replace("%2", p.desk))
    return "；".join(parts)


#: tab key (localdb.queue_query.TAB_NAMES) in display order
TAB_KEYS = ("pending", "warning", "overdue", "feedback", "needs_commander", "mine")


def tab_labels() -> dict[str, str]:
    return {"pending": QCoreApplication.translate("QueueLabels", "To accept"), "warning": QCoreApplication.translate("QueueLabels", "Due soon"), "overdue": QCoreApplication.translate("QueueLabels", "Overdue"),
            "feedback": QCoreApplication.translate("QueueLabels", "To verify"), "needs_commander": QCoreApplication.translate("QueueLabels", "Needs commander"),
            "mine": QCoreApplication.translate("QueueLabels", "Mine"), "all": QCoreApplication.translate("QueueLabels", "All")}
