"""The monthly briefing (月度简报) on the commander panel: pick a month, see the briefing,
export it as PDF and JSON. The figures and the document come from ``console.briefing``
(the same as ``duty-console report monthly``); this panel only shows them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from console import briefing as B
from console.domain.roster import SHANGHAI
from console.printing import to_html
from console.qt.context import AppContext

#: months offered in the picker (this one and the twelve before it)
MONTHS_OFFERED = 13


class BriefingView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.briefing: B.Briefing | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Month"), self))
        self.month = QComboBox(self)
        self.month.setObjectName("briefing_month")
        self.month.setEditable(True)  # any YYYY-MM; a malformed one is refused with a message
        bar.addWidget(self.month)
        self.build_button = QPushButton(self.tr("Prepare briefing"), self)
        self.build_button.setObjectName("briefing_build")
        self.build_button.clicked.connect(self.prepare)
        bar.addWidget(self.build_button)
        self.pdf_button = QPushButton(self.tr("Export PDF…"), self)
        self.pdf_button.setObjectName("briefing_pdf")
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        bar.addWidget(self.pdf_button)
        self.json_button = QPushButton(self.tr("Export JSON…"), self)
        self.json_button.setObjectName("briefing_json")
        self.json_button.clicked.connect(self._on_json_clicked)
        bar.addWidget(self.json_button)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.status = QLabel(self)
        self.status.setObjectName("briefing_status")
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("briefing_preview")
        lay.addWidget(self.preview, 1)
        self.fill_months()
        self._update_buttons()

    def fill_months(self) -> None:
        now = dt.datetime.fromtimestamp(float(self.ctx.clock()), SHANGHAI)
        y, m = now.year, now.month
        self.month.clear()
        for _ in range(MONTHS_OFFERED):
            self.month.addItem(f"{y:04d}-{m:02d}")
            y, m = B.previous_month(y, m)
        self.month.setCurrentIndex(1)  # the last whole month: what the 1st of the month prints

    def _update_buttons(self) -> None:
        has = self.briefing is not None
        self.pdf_button.setEnabled(has)
        self.json_button.setEnabled(has)

    def prepare(self) -> None:
        month = self.month.currentText().strip()
        try:
            B.parse_month(month)
        except B.BriefingError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("Counting %1…").replace("%1", month))
        self.ctx.tasks.run(B.build, self.ctx.store, month, now=float(self.ctx.clock()),
                           on_done=self._on_built, on_error=self._on_error)

    def _on_built(self, b: B.Briefing) -> None:
        self.briefing = b
        self.preview.setHtml(to_html(b.to_record()))
        t = b.month.total.cell
        if b.month.empty:
            self.status.setText(self.tr("%1: no tickets in this month.").replace("%1", b.month.label))
        else:
            self.status.setText(self.tr("%1: %2 received, %3 closed, %4 due.")
                                .replace("%1", b.month.label).replace("%2", str(t.received))
                                .replace("%3", str(t.closed)).replace("%4", str(t.due)))
        self._update_buttons()

    def _on_error(self, exc: BaseException) -> None:
        self.status.setText(str(exc))
        self.ctx.notify.error(str(exc))

    def _on_pdf_clicked(self) -> None:
        if self.briefing is None:
            return
        name = f"月度简报_{self.briefing.month.label}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export briefing as PDF"), str(Path.home() / name),
                                              self.tr("PDF files (*.pdf)"))
        if path:
            self.export(pdf=path)

    def _on_json_clicked(self) -> None:
        if self.briefing is None:
            return
        name = f"月度简报_{self.briefing.month.label}.json"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export briefing as JSON"), str(Path.home() / name),
                                              self.tr("JSON files (*.json)"))
        if path:
            self.export(json_path=path)

    def export(self, pdf: str | None = None, json_path: str | None = None) -> None:
        if self.briefing is None:
            return
        self.ctx.tasks.run(B.write, self.briefing, pdf=pdf, json_path=json_path,
                           on_done=lambda ps: self.status.setText(
                               self.tr("Saved %1").replace("%1", ", ".join(map(str, ps)))),
                           on_error=self._on_error)
