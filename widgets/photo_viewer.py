"""A simple photo viewer for ticket attachments: fit to window, zoom, previous/next.

Images are read with QImageReader (auto-transform honours EXIF rotation from phone
cameras); a file that cannot be read shows the reason instead of an empty window.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QImageReader, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)


class PhotoViewer(QDialog):
    def __init__(self, paths: Sequence[str], index: int = 0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("photo_viewer")
        self.paths = list(paths)
        self.index = max(0, min(index, len(self.paths) - 1))
        self.scale = 0.0  # 0: fit to window
        self._pixmap = QPixmap()
        self.resize(900, 700)
        lay = QVBoxLayout(self)
        self.area = QScrollArea()
        self.area.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label = QLabel()
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.area.setWidget(self.label)
        self.area.setWidgetResizable(True)
        lay.addWidget(self.area, 1)
        bar = QHBoxLayout()
        self.prev_button = QPushButton(self.tr("Previous"))
        self.next_button = QPushButton(self.tr("Next"))
        fit = QPushButton(self.tr("Fit"))
        zoom_in = QPushButton("+")
        zoom_out = QPushButton("−")
        self.caption = QLabel()
        for w in (self.prev_button, self.next_button, fit, zoom_out, zoom_in):
            bar.addWidget(w)
        bar.addWidget(self.caption, 1)
        lay.addLayout(bar)
        self.prev_button.clicked.connect(lambda: self.show_index(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_index(self.index + 1))
        fit.clicked.connect(lambda: self._set_scale(0.0))
        zoom_in.clicked.connect(lambda: self._set_scale((self.scale or self._fit_scale()) * 1.25))
        zoom_out.clicked.connect(lambda: self._set_scale((self.scale or self._fit_scale()) / 1.25))
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, lambda: self.show_index(self.index - 1))
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, lambda: self.show_index(self.index + 1))
        self.show_index(self.index)

    def show_index(self, index: int) -> None:
        if not self.paths:
            self.label.setText(self.tr("No photos"))
            return
        self.index = index % len(self.paths)
        path = self.paths[self.index]
        reader = QImageReader(path)
        reader.setAutoTransform(True)
        image = reader.read()
        self.setWindowTitle(self.tr("Photo %1 of %2").replace("%1", str(self.index + 1))
                            .replace("%2", str(len(self.paths))))
        if image.isNull():
            self._pixmap = QPixmap()
            self.label.setText(self.tr("Cannot show this photo: %1").replace("%1", reader.errorString()))
        else:
            self._pixmap = QPixmap.fromImage(image)
        self.caption.setText(path)
        self.prev_button.setEnabled(len(self.paths) > 1)
        self.next_button.setEnabled(len(self.paths) > 1)
        self._render()

    def _fit_scale(self) -> float:
        if self._pixmap.isNull():
            return 1.0
        vp = self.area.viewport().size()
        return max(0.05, min(vp.width() / self._pixmap.width(), vp.height() / self._pixmap.height(), 1.0))

    def _set_scale(self, s: float) -> None:
        self.scale = max(0.0, min(s, 8.0))
        self._render()

    def _render(self) -> None:
        if self._pixmap.isNull():
            return
        s = self.scale or self._fit_scale()
        self.label.setPixmap(self._pixmap.scaled(
            int(self._pixmap.width() * s), int(self._pixmap.height() * s),
            Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if not self.scale:
            self._render()

    def wheelEvent(self, event) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self._set_scale((self.scale or self._fit_scale()) * factor)
            event.accept()
        else:
            super().wheelEvent(event)
