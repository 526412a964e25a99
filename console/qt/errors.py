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


def report(exc: BaseException, where: str = "") -> None:
    """Log ``exc`` with its traceback and show a one-line notice."""
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
