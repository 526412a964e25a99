"""The audit chain checked at start (off the UI thread): a broken link is said at once,
in the log and to the officer, naming the first broken entry."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from console.operations import audit

log = logging.getLogger(__name__)


def message(broken) -> str:
    return (QCoreApplication.translate(
        "audit", "The audit log of this desk has been tampered with: entry %1 was changed or one "
                 "before it removed. Tell the shift leader; run “duty-console audit verify” for details.")
            .replace("%1", str(broken.entry_id)))


def check_at_start(store, tasks, notify, on_result=None) -> None:
    """Verify ``store``'s chain in the background; ``notify.error`` when it is broken.
    ``on_result(broken_or_None, head)`` is called on the UI thread when done."""

    def done(result) -> None:
        broken, head = result
        if broken is None:
            log.info("audit chain intact: %d entries", head.count)
        else:
            log.error("audit chain broken: %s", broken.describe())
            notify.error(message(broken))
        if on_result is not None:
            on_result(broken, head)

    def failed(exc: BaseException) -> None:
        log.error("audit chain not checked: %s", exc)

    tasks.run(audit.verify, store, on_done=done, on_error=failed)
