"""The dialogs of the emergency switch: starting (plan, level, place) and ending.

The place of the incident comes from a pick on the map or from an address of the
street (the same place search as the new-ticket form); there is no default point, so
the rings and the nearby cameras are drawn where the incident is. The plan is the
desk's current plan for the incident type, shown with its version; the level offers
only the plan's levels. Ending with checklist items open names them and asks why.
"""

from __future__ import annotations

import json
import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from console.domain import plans as P
from console.domain.grids import GridIndex
from localdb import repo
from localdb import repo_commander as rc
from localdb import repo_queue as rq

if TYPE_CHECKING:
    from console.qt.context import AppContext

TYPES = {
    "flood": QT_TRANSLATE_NOOP("EmergencyView", "Flood and typhoon"),
    "fire": QT_TRANSLATE_NOOP("EmergencyView", "Fire"),
    "gas": QT_TRANSLATE_NOOP("EmergencyView", "Gas leak"),
    "crowd": QT_TRANSLATE_NOOP("EmergencyView", "Large crowd"),
    "hazmat": QT_TRANSLATE_NOOP("EmergencyView", "Hazardous chemicals"),
    "public_health": QT_TRANSLATE_NOOP("EmergencyView", "Public health"),
    "utility": QT_TRANSLATE_NOOP("EmergencyView", "Water or power cut"),
    "general": QT_TRANSLATE_NOOP("EmergencyView", "Other"),
}


def type_label(kind: str) -> str:
    src = TYPES.get(kind)
    return QCoreApplication.translate("EmergencyView", src) if src else kind


def level_label(level: str) -> str:
    return QCoreApplication.translate("EmergencyView", "Level %1").replace("%1", level)


class StartDialog(QDialog):
    """The incident: type (and so the plan), title, place, level."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Switch to emergency command"))
        self.point: tuple[float, float] | None = None
        self.source: str | None = None
        with ctx.store.session() as s:
            self.plans = {r["type"]: P.parse(json.loads(r["data"])) for r in rc.plans(s)}
            self.grid_index = GridIndex.from_features(repo.grid_features(s))
            self.grid_names = rq.grid_names(s)
        lay = QVBoxLayout(self)
        form = QFormLayout()
        lay.addLayout(form)
        self.kind = QComboBox(self)
        self.kind.setObjectName("incident_type")
        for k in P.TYPES:
            self.kind.addItem(type_label(k), k)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.plan_label = QLabel(self)
        self.plan_label.setObjectName("plan_label")
        self.plan_label.setWordWrap(True)
        self.title = QLineEdit(self)
        self.title.setObjectName("incident_title")
        self.address = QLineEdit(self)
        self.address.setObjectName("incident_address")
        self.address.setPlaceholderText(self.tr("Type an address or place of the street"))
        self.address.textChanged.connect(self._on_address_edited)
        self.places = QListWidget(self)
        self.places.setObjectName("incident_places")
        self.places.setMaximumHeight(110)
        self.places.itemActivated.connect(self._on_place_chosen)
        self.places.itemClicked.connect(self._on_place_chosen)
        self.pick_button = QPushButton(self.tr("Pick on map"), self)
        self.pick_button.setObjectName("incident_pick")
        self.pick_button.clicked.connect(self.pick_on_map)
        self.pick_request = f"emergency:{uuid.uuid4().hex[:12]}"
        ctx.bus.sig_point_picked.connect(self._on_point_picked)
        ctx.bus.sig_pick_cancelled.connect(self._on_pick_cancelled)
        self.finished.connect(self._on_finished)
        self.place_label = QLabel(self.tr("No place chosen yet"), self)
        self.place_label.setObjectName("incident_place")
        self.level = QComboBox(self)
        self.level.setObjectName("incident_level")
        place_row = QHBoxLayout()
        place_row.addWidget(self.address, 1)
        place_row.addWidget(self.pick_button)
        form.addRow(self.tr("Type"), self.kind)
        form.addRow(self.tr("Plan"), self.plan_label)
        form.addRow(self.tr("Incident"), self.title)
        form.addRow(self.tr("Place"), place_row)
        form.addRow("", self.places)
        form.addRow("", self.place_label)
        form.addRow(self.tr("Level"), self.level)
        self.error = QLabel(self)
        self.error.setObjectName("incident_error")
        self.error.setStyleSheet("color: #c62828; font-weight: bold;")
        self.error.setWordWrap(True)
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Switch the hall to emergency command"))
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self._on_kind_changed()

    # -- plan and level ----------------------------------------------------------------------
    def plan(self) -> P.Plan | None:
        kind = self.kind.currentData()
        return self.plans.get(kind) or self.plans.get("general")

    def _on_kind_changed(self, _i: int = 0) -> None:
        plan = self.plan()
        self.level.clear()
        if plan is None:
            self.plan_label.setText(self.tr("No plan on this desk yet: synchronise with the district platform"))
            return
        self.plan_label.setText(self.tr("%1 (version %2), steps: %3")
                                .replace("%1", plan.name).replace("%2", str(plan.version))
                                .replace("%3", str(len(plan.steps))))
        for lv in plan.levels:
            self.level.addItem(level_label(lv), lv)
        self.level.setCurrentIndex(len(plan.levels) - 1)  # the least severe the plan knows

    # -- place -------------------------------------------------------------------------------
    def _on_address_edited(self, text: str) -> None:
        self.places.clear()
        if self.source == "address":  # the typed text no longer is the chosen place
            self._set_place(None, None, "")
        if not text.strip():
            return
        with self.ctx.store.session() as s:
            hits = rq.address_matches(s, text, limit=12)
        for h in hits:
            if h.get("lat") is None or h.get("lon") is None:
                continue
            item = QListWidgetItem(h["name"])
            item.setData(Qt.ItemDataRole.UserRole, h)
            self.places.addItem(item)
        if not self.places.count():
            self.places.addItem(self.tr("No such place in the street: pick the place on the map"))
            self.places.item(0).setFlags(Qt.ItemFlag.NoItemFlags)

    def _on_place_chosen(self, item: QListWidgetItem) -> None:
        h = item.data(Qt.ItemDataRole.UserRole)
        if not h:
            return
        self.address.blockSignals(True)  # the chosen name is not a new search
        self.address.setText(h["name"])
        self.address.blockSignals(False)
        self.places.clear()
        self._set_place((float(h["lat"]), float(h["lon"])), "address", h["name"])

    def choose_address(self, text: str) -> bool:
        """Type ``text`` and take the first place found (what Enter in the list does)."""
        self.address.setText(text)
        first = self.places.item(0)
        if first is None or not first.data(Qt.ItemDataRole.UserRole):
            return False
        self._on_place_chosen(first)
        return True

    def pick_on_map(self) -> None:
        bus = self.ctx.bus
        if not bus.isSignalConnected(bus.metaObject().method(
                bus.metaObject().indexOfSignal("sig_pick_point(QString)"))):
            self.error.setText(self.tr("The map is not open: open the map panel to pick the place"))
            return
        self.hide()
        bus.sig_pick_point.emit(self.pick_request)

    def _on_point_picked(self, request_id: str, lat: float, lon: float) -> None:
        if request_id != self.pick_request:
            return
        self.show()
        self.raise_()
        if not self.address.text().strip():  # the pick names its place: the cells it lies in
            cells = self.grid_index.locate(lat, lon)
            name = " ".join(n for n in (self.grid_names.get(cells[k], "") for k in ("committee", "micro_grid")
                                        if k in cells) if n)
            if name:
                self.address.blockSignals(True)
                self.address.setText(name)
                self.address.blockSignals(False)
        self._set_place((lat, lon), "map", self.address.text().strip())

    def _on_pick_cancelled(self, request_id: str) -> None:
        if request_id == self.pick_request:
            self.show()

    def _on_finished(self, _r: int) -> None:
        bus = self.ctx.bus
        for sig, slot in ((bus.sig_point_picked, self._on_point_picked),
                          (bus.sig_pick_cancelled, self._on_pick_cancelled)):
            try:
                sig.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def _set_place(self, point: tuple[float, float] | None, source: str | None, name: str) -> None:
        if point is not None and not self.grid_index.locate(*point):
            self.error.setText(self.tr("That place is outside the street: pick again or type an address"))
            point, source = None, None
        self.point, self.source = point, source
        if point is None:
            self.place_label.setText(self.tr("No place chosen yet"))
            return
        self.error.clear()
        how = self.tr("picked on the map") if source == "map" else self.tr("found by address")
        self.place_label.setText(f"{name + '  ' if name else ''}{point[0]:.6f}, {point[1]:.6f}（{how}）")

    # -- result ------------------------------------------------------------------------------
    def _on_ok_clicked(self) -> None:
        why = self.why_not()
        if why:
            self.error.setText(why)
            return
        self.accept()

    def why_not(self) -> str:
        if self.plan() is None:
            return self.tr("No plan on this desk yet: synchronise with the district platform")
        if not self.title.text().strip():
            return self.tr("Name the incident")
        if self.point is None:
            return self.tr("Choose the place: pick it on the map or type an address of the street")
        return ""

    def incident(self) -> dict[str, Any]:
        assert self.point is not None
        return {"kind": self.kind.currentData(), "title": self.title.text().strip(),
                "level": self.level.currentData(), "lat": self.point[0], "lon": self.point[1],
                "address": self.address.text().strip(), "location_source": self.source}


class EndDialog(QDialog):
    """Back to normal duty: the open items are named, and a reason is needed for them."""

    def __init__(self, open_items: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Back to normal duty"))
        self.open_items = open_items
        lay = QVBoxLayout(self)
        if open_items:
            head = QLabel(self.tr("Checklist items still open: %1").replace("%1", str(len(open_items))), self)
            head.setStyleSheet("color: #c62828; font-weight: bold;")
            lay.addWidget(head)
            lst = QListWidget(self)
            lst.setObjectName("open_items")
            for it in open_items:
                lst.addItem(f"{it['text']}（{it.get('owner') or '—'}）")
            lst.setMaximumHeight(140)
            lay.addWidget(lst)
            lay.addWidget(QLabel(self.tr("Why do they stay open? (recorded in the duty log)"), self))
        self.reason = QPlainTextEdit(self)
        self.reason.setObjectName("end_reason")
        self.reason.setMaximumHeight(70)
        self.reason.setVisible(bool(open_items))
        lay.addWidget(self.reason)
        lay.addWidget(QLabel(self.tr("Closing note for the duty log (optional):"), self))
        self.note = QLineEdit(self)
        self.note.setObjectName("end_note")
        lay.addWidget(self.note)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                   self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self._on_ok_clicked)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def _on_ok_clicked(self) -> None:
        if self.open_items and not self.reason.toPlainText().strip():
            self.error.setText(self.tr("Give the reason the open items stay open"))
            return
        self.accept()
