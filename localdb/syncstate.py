"""Key/value sync state: feed cursor, bootstrap progress, last contact."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

CURSOR = "cursor"
CURSOR_AT = "cursor_at"
BOOTSTRAP = "bootstrap"  # "done" once the first full load finished
BOOTSTRAP_PROGRESS = "bootstrap_progress"


def get_value(session: Session, key: str, default: str | None = None) -> str | None:
    v = session.execute(text("SELECT value FROM sync_state WHERE key=:k"), {"k": key}).scalar()
    return default if v is None else v


def set_value(session: Session, key: str, value: str) -> None:
    session.execute(
        text("INSERT INTO sync_state (key, value) VALUES (:k, :v) "
             "ON CONFLICT(key) DO UPDATE SET value=excluded.value"),
        {"k": key, "v": value},
    )


def cursor(session: Session) -> str:
    return get_value(session, CURSOR, "") or ""


def reset_cursor(session: Session) -> None:
    """Start the feed again from the beginning (410 resync_required, or after
    recovery). The outbox is kept."""
    session.execute(text("DELETE FROM sync_state WHERE key IN (:a, :b, :c)"),
                    {"a": CURSOR, "b": BOOTSTRAP, "c": BOOTSTRAP_PROGRESS})
