"""Draw the application icon (a PNG) so that no binary image lives in the repository."""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen


def draw(path: str, size: int = 256) -> None:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setBrush(QColor("#0b3d91"))
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRoundedRect(QRectF(8, 8, size - 16, size - 16), 36, 36)
    p.setPen(QPen(QColor("#ffd400"), size / 24))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(QRectF(size * 0.2, size * 0.2, size * 0.6, size * 0.6))
    p.setPen(QColor("white"))
    font = QFont("Noto Sans CJK SC")
    font.setPixelSize(int(size * 0.32))
    font.setBold(True)
    p.setFont(font)
    p.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "城运")
    p.end()
    img.save(path)


if __name__ == "__main__":
    app = QGuiApplication(sys.argv[:1])
    draw(sys.argv[1])
