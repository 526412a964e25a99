"""Help → About, and the fallback keyboard-shortcut sheet."""

from __future__ import annotations

import platform
from typing import Any

from PySide6 import __version__ as PYSIDE_VERSION
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

VERSION = "0.1.0"


class AboutDialog(QDialog):
    def __init__(self, paths: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("AboutDialog")
        self.setWindowTitle(self.tr("About"))
        lines = [
            f"<h3>{self.tr('City operations duty console')}</h3>",
            self.tr("Version %1").replace("%1", VERSION),
            f"Qt {qVersion()} · PySide6 {PYSIDE_VERSION} · Python {platform.python_version()}",
        ]
        if paths is not None:
            lines.append(self.tr("Data directory: %1").replace("%1", str(paths.data_dir)))
            lines.append(self.tr("Log file: %1").replace("%1", str(paths.log_file)))
        label = QLabel("<br>".join(lines), self)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(label)
        lay.addWidget(buttons)


class ShortcutSheet(QDialog):
    """A plain two-column list of shortcuts (used unless views.shortcuts provides one)."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ShortcutSheet")
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        table = QTableWidget(len(rows), 2, self)
        table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        table.verticalHeader().hide()
        table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for i, (keys, what) in enumerate(rows):
            table.setItem(i, 0, QTableWidgetItem(keys))
            table.setItem(i, 1, QTableWidgetItem(what))
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        self.table = table
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        lay = QVBoxLayout(self)
        lay.addWidget(table)
        lay.addWidget(buttons)
        self.resize(420, 360)
