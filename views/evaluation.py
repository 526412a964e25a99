"""Department evaluation (考核评价) on the commander panel: a month, the weights, the
table of departments with their rates, score and rank, and the tickets handled beyond
responsibility (跨前承办). Figures and scores come from ``console.evaluation``."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console import briefing as B
from console import evaluation as E
from console.qt.context import AppContext
from views.briefing import MONTHS_OFFERED


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


class EvaluationView(QWidget):
    COLUMNS = ("Rank", "Department", "Score", "On-time rate", "Closure rate", "Rework rate", "Return rate",
               "Overdue", "Beyond responsibility")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.result: E.Evaluation | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(2, 2, 2, 2)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Month"), self))
        self.month = QComboBox(self)
        self.month.setEditable(True)
        bar.addWidget(self.month)
        bar.addWidget(QLabel(self.tr("Weights"), self))
        self.weights = QLineEdit(",".join(f"{k}={w:g}" for k, w in E.DEFAULT_WEIGHTS.items()), self)
        self.weights.setObjectName("evaluation_weights")
        bar.addWidget(self.weights, 1)
        self.run_button = QPushButton(self.tr("Evaluate"), self)
        self.run_button.setObjectName("evaluation_run")
        self.run_button.clicked.connect(self.evaluate)
        bar.addWidget(self.run_button)
        lay.addLayout(bar)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        lay.addWidget(self.status)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("evaluation_table")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lay.addWidget(self.table, 2)
        lay.addWidget(QLabel(self.tr("Handled beyond responsibility (跨前承办), for reward"), self))
        self.beyond = QTableWidget(0, 4, self)
        self.beyond.setObjectName("evaluation_beyond")
        self.beyond.setHorizontalHeaderLabels([self.tr("Ticket"), self.tr("Category"), self.tr("Handled by"),
                                               self.tr("Responsible by the matrix")])
        self.beyond.verticalHeader().setVisible(False)
        self.beyond.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        lay.addWidget(self.beyond, 1)
        import datetime as dt

        from console.domain.roster import SHANGHAI

        now = dt.datetime.fromtimestamp(float(ctx.clock()), SHANGHAI)
        y, m = now.year, now.month
        for _ in range(MONTHS_OFFERED):
            self.month.addItem(f"{y:04d}-{m:02d}")
            y, m = B.previous_month(y, m)
        self.month.setCurrentIndex(1)

    def evaluate(self) -> None:
        month = self.month.currentText().strip()
        try:
            B.parse_month(month)
            weights = E.parse_weights(self.weights.text())
        except (B.BriefingError, E.EvaluationError) as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(self.tr("Counting %1…").replace("%1", month))
        self.ctx.tasks.run(E.evaluate, self.ctx.store, month, float(self.ctx.clock()), weights,
                           on_done=self._on_done, on_error=lambda exc: self.status.setText(str(exc)))

    def _on_done(self, ev: E.Evaluation) -> None:
        self.result = ev
        self.table.setRowCount(len(ev.rows))
        for i, r in enumerate(ev.rows):
            cells = (r["rank"] or "—", r["name"], "—" if r["score"] is None else f"{r['score']:.1f}",
                     _pct(r["on_time_rate"]), _pct(r["closure_rate"]), _pct(r["rework_rate"]),
                     _pct(r["return_rate"]), r["overdue"], r["beyond_responsibility"])
            for j, c in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(str(c)))
        self.beyond.setRowCount(len(ev.beyond))
        for i, t in enumerate(ev.beyond):
            for j, c in enumerate((t["number"] or t["id"][:8], t["category_name"], t["department"],
                                   t["responsible_department"])):
                self.beyond.setItem(i, j, QTableWidgetItem(str(c)))
        self.status.setText(self.tr("%1: %2 departments evaluated.").replace("%1", ev.period.label)
                            .replace("%2", str(sum(1 for r in ev.rows if r["score"] is not None))))
