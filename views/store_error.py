"""The dialog shown when the local store cannot be opened.

A damaged file has a way out: move it aside (``localdb.recovery.recover``: unsent
actions are kept) and rebuild the cache from the platform. A locked or unreadable
file can only be retried or the console closed. This is one of the few places the
officer must decide, so it is a (window-)modal dialog; it never runs a nested loop.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QMessageBox, QWidget

log = logging.getLogger(__name__)


class StoreErrorDialog(QMessageBox):
    #: the store was moved aside and a fresh one created (or the officer asked to retry)
    sig_recovered = Signal()

    def __init__(self, error: Exception, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StoreErrorDialog")
        self.error = error
        from localdb.store import is_store_url

        self.hall = is_store_url(path)
        self.path = None if self.hall else Path(path)
        kind = getattr(error, "kind", "other")
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(self.tr("Local store problem"))
        self.setText(self.tr("The console cannot open its local store."))
        detail = str(error)
        if kind == "key":
            self.setInformativeText(self.tr(
                "The key that protects citizens' contact data is missing, wrong or readable by other "
                "users. Nothing was changed. Restore the key file (the hall's IT engineer keeps a copy; "
                "docs/SECURITY.md), then retry."))
        elif self.hall:
            self.setWindowTitle(self.tr("Hall database problem"))
            self.setText(self.tr("The console cannot open the hall database."))
            self.setInformativeText({
                "auth": self.tr("The user name, password or database name of the hall database is "
                                "wrong. Ask the hall's IT engineer (docs/HALL.md)."),
                "newer": self.tr("The hall database is newer than this console. Update the console "
                                 "on this desk; nothing was changed."),
                "locked": self.tr("Another desk is updating the hall database. Retry in a moment."),
            }.get(kind, self.tr("The hall server cannot be reached. Check the network and the "
                                "server, then retry.")))
        elif kind == "corrupt":
            self.setInformativeText(self.tr(
                "The file is damaged. The console can move it aside (it is kept for support), "
                "keep the actions not yet sent, and rebuild everything else from the district platform."))
        elif kind == "disk_full":
            self.setInformativeText(self.tr(
                "The disk is full. The file is sound and nothing is lost: free some space on that "
                "disk, then retry."))
        else:
            self.setInformativeText(self.tr("Close other programs using it, check the disk, then retry."))
        self.setDetailedText(detail)
        self.rebuild_button = None
        if kind in ("corrupt", "other") and not self.hall:
            self.rebuild_button = self.addButton(self.tr("Move aside and rebuild"), QMessageBox.ButtonRole.AcceptRole)
        self.retry_button = self.addButton(self.tr("Retry"), QMessageBox.ButtonRole.ActionRole)
        self.quit_button = self.addButton(self.tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        self.buttonClicked.connect(self._on_button_clicked)

    @Slot(object)
    def _on_button_clicked(self, button: object) -> None:
        if button is self.rebuild_button:
            if not self.rebuild():
                self.open()  # still no store: the officer must choose again
        elif button is self.retry_button:
            self.sig_recovered.emit()

    def rebuild(self) -> bool:
        try:
            from localdb import recovery

            report = recovery.recover(self.path)
        except Exception as exc:  # noqa: BLE001
            log.exception("recovery failed")
            QMessageBox.critical(self.parentWidget(), self.tr("Recovery failed"), str(exc))
            return False
        log.warning("store recovered: %s", getattr(report, "message", report))
        self.sig_recovered.emit()
        return True
