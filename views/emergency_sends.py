"""What the hall sends the district during the emergency: the scene video push, the
conference, warnings — and the timeline of when each really reached the district.

Thin: the operations are ``console.operations.emergency_sends``; the rows come from
``localdb.repo_commander``. A send made offline shows "waiting for the district" until
the platform's receipt arrives over the feed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain import emergency_sends as ES
from console.domain import plans as P
from console.domain.formatting import format_epoch
from console.operations import emergency_sends as ops
from localdb import repo_commander as rc
from localdb import repo_video

if TYPE_CHECKING:
    from console.qt.context import AppContext

PUSH_RADIUS_M = 800.0
PUSH_CAMERAS = 6



def _ticked(lst) -> list[str]:
    """The ids (UserRole) of the ticked rows of a list."""
    return [lst.item(i).data(Qt.ItemDataRole.UserRole) for i in range(lst.count())
            if lst.item(i).checkState() == Qt.CheckState.Checked]


class PushDialog(QDialog):
    """The cameras near the scene, online ones ticked; offline ones cannot be pushed."""

    def __init__(self, cameras: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Push the scene video to the district"))
        lay = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setObjectName("push_cameras")
        for c in cameras:
            dist = f"{c.get('distance_m', 0):.0f} m"
            item = QListWidgetItem(f"{c['name'] or c['id']}  {dist}"
                                   + ("" if c["online"] else "  " + self.tr("(offline)")))
            item.setData(Qt.ItemDataRole.UserRole, c["id"])
            if c["online"]:
                item.setCheckState(Qt.CheckState.Checked)
            else:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
        lay.addWidget(self.list)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def chosen(self) -> list[str]:
        return _ticked(self.list)


class ResourceDialog(QDialog):
    """应急物资 and 应急力量 from the platform; the ones not yet assigned may be ticked."""

    def __init__(self, resources: list[dict[str, Any]], assigned: set[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Assign emergency resources"))
        lay = QVBoxLayout(self)
        self.list = QListWidget(self)
        self.list.setObjectName("resources")
        for r in resources:
            kind = self.tr("Supply") if r.get("category") == "supply" else self.tr("Force")
            item = QListWidgetItem(f"[{kind}] {ops.resource_label(r)}"
                                   + ("  " + self.tr("(assigned)") if r["id"] in assigned else ""))
            item.setData(Qt.ItemDataRole.UserRole, r["id"])
            if r["id"] in assigned:
                item.setFlags(Qt.ItemFlag.NoItemFlags)
            else:
                item.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(item)
        lay.addWidget(self.list)
        self.note = QLineEdit(self)
        self.note.setPlaceholderText(self.tr("Note (where to, what for)"))
        lay.addWidget(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def chosen(self) -> list[str]:
        return _ticked(self.list)


class WarningDialog(QDialog):
    """预警发布: colour, text (from the plan's template), the area around the scene, the time."""

    def __init__(self, ctx: AppContext, emergency: dict[str, Any], plan: P.Plan | None,
                 parent: QWidget | None = None, current: dict[str, Any] | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.emergency, self.current = ctx, emergency, current
        self.setWindowTitle(self.tr("Update warning") if current else self.tr("Issue a warning"))
        form = QFormLayout(self)
        self.level = QComboBox(self)
        self.level.setObjectName("warning_level")
        for lv in P.WARNING_LEVELS:
            self.level.addItem(P.WARNING_ZH[lv], lv)
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("warning_text")
        self.radius = QSpinBox(self)
        self.radius.setObjectName("warning_radius")
        self.radius.setRange(10, 20000)
        self.radius.setSuffix(" m")
        ring = plan.profile.ring_m if plan is not None else (800.0,)
        self.radius.setValue(int((current or {}).get("area", {}).get("radius_m") or max(ring)))
        self.hours = QSpinBox(self)
        self.hours.setObjectName("warning_hours")
        self.hours.setRange(1, ES.MAX_WARNING_HOURS)
        self.hours.setValue(6)
        form.addRow(self.tr("Colour"), self.level)
        form.addRow(self.tr("Text"), self.text)
        form.addRow(self.tr("Area around the scene"), self.radius)
        form.addRow(self.tr("Valid for (hours)"), self.hours)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.level.currentIndexChanged.connect(self._on_level_changed)
        if current:
            self.level.setCurrentIndex(self.level.findData(current["level"]))
            self.text.setPlainText(current["text"])
        else:
            self.level.setCurrentIndex(1)  # yellow
            self._on_level_changed()

    def _on_level_changed(self, _i: int = 0) -> None:
        if self.current:
            return
        try:
            self.text.setPlainText(ops.draft_warning_text(self.ctx.store, self.emergency["id"],
                                                          self.level.currentData()))
        except ops.DutyError as exc:
            self.error.setText(str(exc))

    def values(self, now: float) -> dict[str, Any]:
        e = self.emergency
        return {"level": self.level.currentData(), "text": self.text.toPlainText(),
                "area": {"lat": e["lat"], "lon": e["lon"], "radius_m": float(self.radius.value())},
                "expires_at": now + self.hours.value() * 3600}


class SendsView(QWidget):
    """The buttons of the sends and the timeline of what reached the district."""

    COLUMNS = 4  # time, what, by, reached the district

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.emergency: dict[str, Any] | None = None
        self.plan: P.Plan | None = None
        self.rows: list[dict[str, Any]] = []
        self.warnings: list[dict[str, Any]] = []
        self.resources: dict[str, dict[str, Any]] = {}
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        bar = QHBoxLayout()
        self.push_button = QPushButton(self.tr("Push scene video…"), self)
        self.push_button.setObjectName("push_video")
        self.push_button.clicked.connect(self._on_push_clicked)
        self.conference_button = QPushButton(self.tr("Video conference…"), self)
        self.conference_button.setObjectName("conference")
        self.conference_button.clicked.connect(self._on_conference_clicked)
        self.warning_button = QPushButton(self.tr("Issue warning…"), self)
        self.warning_button.setObjectName("issue_warning")
        self.warning_button.clicked.connect(self._on_warning_clicked)
        self.update_button = QPushButton(self.tr("Update warning…"), self)
        self.update_button.setObjectName("update_warning")
        self.update_button.clicked.connect(self._on_update_clicked)
        self.cancel_button = QPushButton(self.tr("Cancel warning…"), self)
        self.cancel_button.setObjectName("cancel_warning")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.resource_button = QPushButton(self.tr("Assign resources…"), self)
        self.resource_button.setObjectName("assign_resources")
        self.resource_button.clicked.connect(self._on_resources_clicked)
        for b in (self.push_button, self.conference_button, self.warning_button, self.update_button,
                  self.cancel_button, self.resource_button):
            bar.addWidget(b)
        bar.addStretch(1)
        lay.addLayout(bar)
        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setObjectName("emergency_timeline")
        self.table.setHorizontalHeaderLabels([self.tr("Sent"), self.tr("What"), self.tr("By"),
                                              self.tr("Reached the district")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        lay.addWidget(self.table, 1)

    def show_emergency(self, emergency: dict[str, Any] | None, plan: P.Plan | None) -> None:
        self.emergency, self.plan = emergency, plan
        self.rows, self.warnings = [], []
        if emergency is not None:
            with self.ctx.store.session() as s:
                self.rows = rc.sends(s, emergency["id"])
                self.warnings = rc.warnings(s, emergency["id"])
                self.resources = {r["id"]: r for r in rc.resources(s)}
        self._fill()

    def describe(self, r: dict[str, Any]) -> str:
        d = r["data"]
        if r["kind"] == "video_push":
            return self.tr("Scene video: %1").replace("%1", "、".join(c.get("name") or c["id"] for c in d["cameras"]))
        if r["kind"] == "resource_assignment":
            res = self.resources.get(d["resource_id"])
            return self.tr("Assigned: %1").replace("%1", ops.resource_label(res) if res else d["resource_id"])
        if r["kind"] == "conference":
            who = "、".join(d.get("joined") or [])
            return self.tr("Video conference") + (f"（{who}）" if who else "")
        return f"{ES.warning_title(d['level'])} {ES.STATE_ZH.get(d['state'], d['state'])}（{d['version']}）"

    def _fill(self) -> None:
        self.table.setRowCount(len(self.rows))
        for i, r in enumerate(self.rows):
            reached = (format_epoch(r["confirmed_at"], "%H:%M:%S") if r["confirmed_at"] is not None
                       else self.tr("waiting for the district"))
            for j, v in enumerate((format_epoch(r["at"], "%H:%M:%S"), self.describe(r), r["by"], reached)):
                self.table.setItem(i, j, QTableWidgetItem(v))
        live = [w for w in self.warnings if ES.state_at(w, float(self.ctx.clock())) in ("issued", "updated")]
        self.update_button.setEnabled(bool(live))
        self.cancel_button.setEnabled(bool(live))

    def live_warning(self) -> dict[str, Any] | None:
        now = float(self.ctx.clock())
        live = [w for w in self.warnings if ES.state_at(w, now) in ("issued", "updated")]
        return live[-1] if live else None

    # -- actions -----------------------------------------------------------------------------
    def _after(self, _r: Any = None) -> None:
        self.show_emergency(self.emergency, self.plan)

    def snapshots(self, camera_ids: list[str]) -> dict[str, bytes]:
        """Fresh frames of the cameras the wall plays now (the wall of this window, if any)."""
        from views.video_wall import VideoWallPanel

        walls = self.window().findChildren(VideoWallPanel) if self.window() is not None else []
        out: dict[str, bytes] = {}
        for wall in walls:
            for cid in camera_ids:
                jpeg = out.get(cid) or wall.snapshot_jpeg(cid)
                if jpeg:
                    out[cid] = jpeg
        return out

    def push(self, camera_ids: list[str]) -> None:
        self.ctx.run_action(ops.push_video, self.emergency["id"], camera_ids, float(self.ctx.clock()),
                            snapshots=self.snapshots(camera_ids), on_done=self._after,
                            what=self.tr("Scene video push"))

    def _on_push_clicked(self) -> None:
        if self.emergency is None:
            return
        e = self.emergency
        cams = repo_video.cameras_near(self.ctx.store, e["lat"], e["lon"], PUSH_RADIUS_M, PUSH_CAMERAS)
        if not cams:
            self.ctx.notify.warning(self.tr("No camera within %1 m of the scene").replace("%1", f"{PUSH_RADIUS_M:.0f}"))
            return
        dlg = PushDialog(cams, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.chosen():
            self.push(dlg.chosen())

    def conference(self, joined: list[str] | None = None) -> None:
        self.ctx.run_action(ops.record_conference, self.emergency["id"], float(self.ctx.clock()), joined=joined,
                            on_done=self._after, what=self.tr("Video conference"))

    def _on_conference_clicked(self) -> None:
        if self.emergency is None:
            return
        if self.ctx.link.state == "online":
            self.conference()
            return
        text, ok = QInputDialog.getText(self, self.tr("Video conference"),
                                        self.tr("The district is not reachable: who joined? (separate with 、)"))
        if ok:
            self.conference([p for p in text.replace(",", "、").split("、") if p.strip()])

    def assign(self, resource_ids: list[str], note: str = "") -> None:
        for rid in resource_ids:
            self.ctx.run_action(ops.assign_resource, self.emergency["id"], rid, float(self.ctx.clock()), note,
                                on_done=self._after, what=self.tr("Assign resources"))

    def _on_resources_clicked(self) -> None:
        if self.emergency is None:
            return
        assigned = {r["data"]["resource_id"] for r in self.rows if r["kind"] == "resource_assignment"}
        dlg = ResourceDialog(list(self.resources.values()), assigned, self)
        if dlg.exec() == QDialog.DialogCode.Accepted and dlg.chosen():
            self.assign(dlg.chosen(), dlg.note.text())

    def issue(self, level: str, area: dict[str, float], text: str, expires_at: float) -> None:
        self.ctx.run_action(ops.issue_warning, self.emergency["id"], level, area, text, float(self.ctx.clock()),
                            expires_at, on_done=self._after, what=self.tr("Issue warning"))

    def _on_warning_clicked(self) -> None:
        if self.emergency is None:
            return
        dlg = WarningDialog(self.ctx, self.emergency, self.plan, self)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            self.issue(**dlg.values(float(self.ctx.clock())))

    def _on_update_clicked(self) -> None:
        w = self.live_warning()
        if w is None:
            return
        dlg = WarningDialog(self.ctx, self.emergency, self.plan, self, current=w)
        if dlg.exec() == QDialog.DialogCode.Accepted:
            v = dlg.values(float(self.ctx.clock()))
            self.ctx.run_action(ops.update_warning, w["id"], float(self.ctx.clock()), level=v["level"],
                                area=v["area"], text=v["text"], expires_at=v["expires_at"],
                                on_done=self._after, what=self.tr("Update warning"))

    def _on_cancel_clicked(self) -> None:
        w = self.live_warning()
        if w is None:
            return
        reason, ok = QInputDialog.getText(self, self.tr("Cancel warning"), self.tr("Reason:"),
                                          QLineEdit.EchoMode.Normal)
        if ok:
            self.ctx.run_action(ops.cancel_warning, w["id"], float(self.ctx.clock()), reason,
                                on_done=self._after, what=self.tr("Cancel warning"))
