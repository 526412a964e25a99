"""Time-limit countdown (案件处置警示): a table delegate and a small badge widget.

Both draw the same thing: an icon and the remaining time, coloured by the limit state
(on time: green, warning: amber, overdue: red, suspended: grey). The colour never
carries the meaning alone: the icon differs per state as well (a dot, a triangle, an
exclamation mark, a pause sign), for colour-blind officers and monochrome prints.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from console.domain import formatting
from console.qt.i18n import ui_language

#: Qt.UserRole + n roles the queue model answers for the limit column
LIMIT_STATE_ROLE = Qt.ItemDataRole.UserRole + 10   # LimitState value (str)
REMAINING_ROLE = Qt.ItemDataRole.UserRole + 11      # seconds left (float) or None
FLASH_ROLE = Qt.ItemDataRole.UserRole + 12          # bool: row is flashing

COLOURS = {
    "on_time": QColor("#2e7d32"),
    "warning": QColor("#ef8f00"),
    "overdue": QColor("#c62828"),
    "suspended": QColor("#757575"),
    "done": QColor("#9e9e9e"),
}
FLASH_COLOUR = QColor(255, 213, 79, 170)


def format_remaining(seconds: float | None, state: str) -> str:
    """"剩余 2小时15分" / "超时 3小时" (``formatting.format_time_left``, the one time
    format); words for suspended/done/no clock."""
    if state == "suspended":
        return QCoreApplication.translate("LimitBadge", "Suspended")
    if state == "done":
        return QCoreApplication.translate("LimitBadge", "Done")
    if seconds is None:
        return QCoreApplication.translate("LimitBadge", "Not started")
    return formatting.format_time_left(seconds, ui_language())


def state_name(state: str) -> str:
    return {
        "on_time": QCoreApplication.translate("LimitBadge", "On time"),
        "warning": QCoreApplication.translate("LimitBadge", "Due soon"),
        "overdue": QCoreApplication.translate("LimitBadge", "Overdue"),
        "suspended": QCoreApplication.translate("LimitBadge", "Suspended"),
        "done": QCoreApplication.translate("LimitBadge", "Done"),
    }.get(state, state)


def paint_icon(p: QPainter, rect: QRectF, state: str, colour: QColor) -> None:
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    c = rect.center()
    r = min(rect.width(), rect.height()) / 2 - 1
    if state == "warning":
        tri = QPolygonF([QPointF(c.x(), c.y() - r), QPointF(c.x() + r, c.y() + r * 0.85),
                         QPointF(c.x() - r, c.y() + r * 0.85)])
        p.drawPolygon(tri)
        p.setPen(QPen(QColor("white"), max(1.0, r / 4)))
        p.drawLine(QPointF(c.x(), c.y() - r * 0.35), QPointF(c.x(), c.y() + r * 0.3))
        p.drawPoint(QPointF(c.x(), c.y() + r * 0.6))
    elif state == "overdue":
        p.drawEllipse(c, r, r)
        p.setPen(QPen(QColor("white"), max(1.0, r / 3.5)))
        p.drawLine(QPointF(c.x(), c.y() - r * 0.55), QPointF(c.x(), c.y() + r * 0.15))
        p.drawPoint(QPointF(c.x(), c.y() + r * 0.5))
    elif state == "suspended":
        w = r * 0.55
        p.drawRect(QRectF(c.x() - r * 0.8, c.y() - r * 0.8, w, r * 1.6))
        p.drawRect(QRectF(c.x() + r * 0.25, c.y() - r * 0.8, w, r * 1.6))
    else:
        p.drawEllipse(c, r * 0.7, r * 0.7)
    p.restore()


def paint_badge(p: QPainter, rect: QRect, state: str, text: str, selected: bool = False) -> None:
    colour = COLOURS.get(state, COLOURS["on_time"])
    h = rect.height()
    icon = QRectF(rect.left() + 4, rect.top() + (h - 14) / 2, 14, 14)
    paint_icon(p, icon, state, colour)
    p.save()
    font = QFont(p.font())
    if state in ("warning", "overdue"):
        font.setBold(True)
    p.setFont(font)
    p.setPen(colour if not selected else QColor("white"))
    p.drawText(rect.adjusted(22, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)
    p.restore()


class LimitBadgeDelegate(QStyledItemDelegate):
    """Paints the queue's limit column from LIMIT_STATE_ROLE / REMAINING_ROLE.

    The background is filled directly (selection, flash, alternate rows) instead of
    going through initStyleOption + the style: this column is drawn for every visible
    row on every scroll step, and the style path costs several times more."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        if selected:
            painter.fillRect(option.rect, pal.highlight())
        elif index.data(FLASH_ROLE):
            painter.fillRect(option.rect, FLASH_COLOUR)
        elif option.features & QStyleOptionViewItem.ViewItemFeature.Alternate:
            painter.fillRect(option.rect, pal.alternateBase())
        state = index.data(LIMIT_STATE_ROLE) or "on_time"
        text = index.data(Qt.ItemDataRole.DisplayRole) or ""
        paint_badge(painter, option.rect, state, text, selected)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + 24, size.height())


class LimitBadge(QWidget):
    """The same badge as a widget (ticket detail header)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = "on_time"
        self._text = ""
        self.setMinimumHeight(22)

    def set_limit(self, state: str, remaining: float | None) -> None:
        self._state = state
        left = format_remaining(remaining, state)
        # "超时 3小时" and "剩余 2小时15分" say their state; the others are named
        self._text = f"{state_name(state)} · {left}" if state == "warning" and remaining is not None else left
        self.setToolTip(self._text)
        self.updateGeometry()
        self.update()

    def text(self) -> str:
        return self._text

    def state(self) -> str:
        return self._state

    def sizeHint(self) -> QSize:
        font = QFont(self.font())
        font.setBold(self._state in ("warning", "overdue"))  # as paint_badge draws it
        return QSize(QFontMetrics(font).horizontalAdvance(self._text) + 30, 22)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """Never squeezed by the title beside it: "剩余 23小时32分" read "● 剩余"."""
        return self.sizeHint()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        bg = QColor(COLOURS.get(self._state, COLOURS["on_time"]))
        bg.setAlpha(28)
        p.setBrush(QBrush(bg))
        p.setPen(Qt.PenStyle.NoPen)
        p.drawRoundedRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4)
        paint_badge(p, self.rect(), self._state, self._text)
        p.end()


