"""Settings dialog, generated from the declared options (console.settings).

One row per option, grouped by section; the widget follows the option's type.
OK writes the user layer (``<data_dir>/config.ini``). Values set on the command
line or system-wide are shown with where they come from.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from console.settings import Option, Settings

log = logging.getLogger(__name__)

SECTIONS = {
    "platform": QT_TRANSLATE_NOOP("SettingsDialog", "District platform"),
    "console": QT_TRANSLATE_NOOP("SettingsDialog", "General"),
    "duty": QT_TRANSLATE_NOOP("SettingsDialog", "Duty"),
    "map": QT_TRANSLATE_NOOP("SettingsDialog", "Map"),
    "video": QT_TRANSLATE_NOOP("SettingsDialog", "Video"),
    "demo": QT_TRANSLATE_NOOP("SettingsDialog", "Demo"),
}
SOURCES = {
    "system": QT_TRANSLATE_NOOP("SettingsDialog", "set system-wide"),
    "cli": QT_TRANSLATE_NOOP("SettingsDialog", "set on the command line"),
}


def option_title(opt: Option) -> str:
    return QCoreApplication.translate("settings", opt.title)


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SettingsDialog")
        self.settings = settings
        self.setWindowTitle(self.tr("Settings"))
        self.editors: dict[str, QWidget] = {}
        body = QWidget(self)
        body_lay = QVBoxLayout(body)
        groups: dict[str, QFormLayout] = {}
        for opt in settings.options():
            form = groups.get(opt.section)
            if form is None:
                box = QGroupBox(self.tr(SECTIONS.get(opt.section, opt.section)), body)
                form = QFormLayout(box)
                groups[opt.section] = form
                body_lay.addWidget(box)
            editor = self._editor(opt, settings.get(opt))
            self.editors[opt.key] = editor
            title = option_title(opt)
            source = settings.source(opt)
            if source in SOURCES:
                title += f" ({self.tr(SOURCES[source])})"
            form.addRow(title, editor)
        body_lay.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.note = QLabel(self.tr("Some changes take effect after the console is restarted."), self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.buttons.accepted.connect(self._on_ok_clicked)
        self.buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(scroll)
        lay.addWidget(self.note)
        lay.addWidget(self.buttons)
        self.resize(560, 640)

    def _editor(self, opt: Option, value: Any) -> QWidget:
        if opt.choices is not None:
            w = QComboBox(self)
            for c in opt.choices:
                w.addItem(str(c), c)
            w.setCurrentIndex(max(0, w.findData(value)))
            return w
        if opt.type is bool:
            w = QCheckBox(self)
            w.setChecked(bool(value))
            return w
        if opt.type is int:
            w = QSpinBox(self)
            w.setRange(int(opt.minimum if opt.minimum is not None else -10**9),
                       int(opt.maximum if opt.maximum is not None else 10**9))
            w.setValue(int(value))
            return w
        if opt.type is float:
            w = QDoubleSpinBox(self)
            w.setRange(opt.minimum if opt.minimum is not None else -1e12, opt.maximum if opt.maximum is not None else 1e12)
            w.setValue(float(value))
            return w
        w = QLineEdit(opt.format(value), self)
        if opt.secret:
            w.setEchoMode(QLineEdit.EchoMode.Password)
        return w

    def value_of(self, key: str) -> Any:
        w = self.editors[key]
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, (QSpinBox, QDoubleSpinBox)):
            return w.value()
        return w.text()

    @Slot()
    def _on_ok_clicked(self) -> None:
        for opt in self.settings.options():
            try:
                new = opt.parse(self.value_of(opt.key))
            except ValueError as exc:  # e.g. a platform URL that is not one: say so, keep the dialog
                self.note.setText(self.tr("Not saved: %1").replace("%1", str(exc)))
                return
            if new != self.settings.get(opt):
                self.settings.set(opt, new)
        try:
            self.settings.save()
        except OSError as exc:
            log.error("could not save settings: %s", exc)
            self.note.setText(self.tr("Could not save the settings: %1").replace("%1", str(exc)))
            return
        self.accept()
