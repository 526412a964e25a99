"""Uncaught exceptions and Qt warnings go to the log and to one notifier.

``install(notifier)`` hooks ``sys.excepthook``, ``threading.excepthook`` and Qt's
message handler. An exception in a slot or a worker thread must not vanish and must
not kill the duty hall's console: it is logged with its traceback and shown in the
window's notice bar (non-modal). ``Notifier`` signals are thread-safe, so a worker
thread's exception reaches the UI thread as a queued signal.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from types import TracebackType
from typing import Any

from PySide6.QtCore import QCoreApplication, QtMsgType, qInstallMessageHandler

log = logging.getLogger(__name__)

_state: dict[str, Any] = {}


def _summary(exc: BaseException) -> str:
    text = str(exc).strip() or exc.__class__.__name__
    first = text.splitlines()[0]
    return f"{exc.__class__.__name__}: {first}" if not first.startswith(exc.__class__.__name__) else first


def store_damage(exc: BaseException) -> str | None:
    """The message if ``exc`` (or what caused it) says the local store is damaged or
    unreadable (``StoreError`` corrupt/unreadable, SQLite's "malformed"), else None."""
    import sqlite3

    seen = 0
    cur: BaseException | None = exc
    while cur is not None and seen < 8:
        kind = getattr(cur, "kind", None)
        if type(cur).__name__ == "StoreError" and kind in ("corrupt", "unreadable"):
            return str(cur)
        orig = getattr(cur, "orig", None)
        for e in (cur, orig):
            if isinstance(e, sqlite3.DatabaseError) and any(
                    w in str(e).lower() for w in ("malformed", "not a database", "corrupt")):
                return str(e)
        cur = cur.__cause__ or cur.__context__
        seen += 1
    return None


def on_store_damage(fn: Any) -> None:
    """``fn(message)`` is called (on whatever thread) when an error says the store is
    damaged: the console then stops saying it is online and offers recovery."""
    _state["on_store_damage"] = fn


def report(exc: BaseException, where: str = "") -> None:
    """Log ``exc`` with its traceback and show a one-line notice (a damaged store:
    its own clear notice, no traceback text)."""
    damage = store_damage(exc)
    if damage is not None and _state.get("on_store_damage") is not None:
        log.error("local store damaged%s: %s", f" ({where})" if where else "", damage)
        try:
            _state["on_store_damage"](damage)
        except Exception:  # noqa: BLE001 - the report itself must not fail
            log.exception("store damage handler failed")
        return
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unhandled error%s:\n%s", f" in {where}" if where else "", tb)
    notifier = _state.get("notifier")
    if notifier is not None:
        try:
            notifier.error(QCoreApplication.translate("errors", "Unexpected error: %1")
                           .replace("%1", _summary(exc)))
        except RuntimeError:  # the notifier was deleted at shutdown
            pass


def _excepthook(etype: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    if issubclass(etype, KeyboardInterrupt):
        _state["sys_hook"](etype, value, tb)
        return
    if value.__traceback__ is None:
        value = value.with_traceback(tb)
    report(value)


def _thread_hook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is SystemExit:
        return
    exc = args.exc_value or args.exc_type()
    report(exc, where=f"thread {args.thread.name if args.thread else '?'}")


_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
_qt_log = logging.getLogger("qt")


def _qt_handler(mode: QtMsgType, context: Any, message: str) -> None:
    level = _QT_LEVELS.get(mode, logging.WARNING)
    # Chromium and font probing are chatty at warning level; keep them in the file only.
    if level == logging.WARNING and ("js:" in message or "Fontconfig" in message):
        level = logging.INFO
    _qt_log.log(level, "%s", message)


def install(notifier: Any) -> None:
    """Route uncaught exceptions to ``notifier`` (idempotent)."""
    _state["notifier"] = notifier
    if "sys_hook" not in _state:
        _state["sys_hook"] = sys.excepthook
        _state["thread_hook"] = threading.excepthook
        sys.excepthook = _excepthook
        threading.excepthook = _thread_hook
        qInstallMessageHandler(_qt_handler)


def uninstall() -> None:
    if "sys_hook" in _state:
        sys.excepthook = _state.pop("sys_hook")
        threading.excepthook = _state.pop("thread_hook")
        qInstallMessageHandler(None)
    _state.pop("notifier", None)
    _state.pop("on_store_damage", None)
