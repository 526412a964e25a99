"""New ticket dialog (新建工单).

Category from the store's catalogue (type to filter); the point from a search over
local data (grid and committee names, addresses of existing tickets) or typed as
latitude/longitude (WGS-84); grid cells derived with ``GridIndex`` over the store's
grid features. Before saving, tickets within 50 m and 7 days that are about the same
thing (same category or a description that reads alike, ``console.domain.duplicates``)
are shown as likely duplicates and the officer confirms once more. A point picked on
the map fills the address with the nearest known one when the officer has typed none. Every field is validated where it is
typed; nothing is written until all are valid, and then in one transaction
(``operations.create_ticket``).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
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

from console.domain import duplicates as dup
from console.domain import timelimits
from console.domain.grids import GridIndex
from console.domain.model import Category, CategoryKind, Channel, LimitMode, Priority
from localdb import repo
from localdb import repo_queue as rq
from views import queue_labels as L
from console.operations.tickets import create_ticket
from views.ticket_dialogs import error_label, show_error

if TYPE_CHECKING:
    from console.qt.context import AppContext

MAX_DESCRIPTION = 2000
MAX_ADDRESS = 200
MAX_NAME = 50
MAX_PHONE = 20
DUPLICATE_RADIUS_M = 50.0
DUPLICATE_DAYS = 7.0
#: a point picked on the map takes the nearest known address within this distance
ADDRESS_RADIUS_M = 80.0


class NewTicketDialog(QDialog):
    #: ticket_id — the ticket was created (locally; the outbox sends it)
    sig_created = Signal(str)
    #: asks the map to let the officer pick a point; answer with ``set_point``
    sig_pick_on_map = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("new_ticket_dialog")
        self.setWindowTitle(self.tr("New ticket"))
        self.setMinimumWidth(600)
        self.ctx = ctx
        self._dupes_confirmed_for: tuple | None = None
        with ctx.store.session() as s:
            self.categories = repo.categories(s)
            self.grid_index = GridIndex.from_features(repo.grid_features(s))
        lay = QVBoxLayout(self)
        self.form = QFormLayout()
        lay.addLayout(self.form)
        self.errors: dict[str, QLabel] = {}
        self._build_what()
        self._build_place()
        self._build_reporter()
        self._build_duplicates(lay)
        self._build_buttons(lay)
        self.category_search.setFocus()

    # -- construction ------------------------------------------------------------------------
    def _row(self, key: str, label: str, widget: Any) -> None:
        """A form row with its error line under it."""
        self.form.addRow(label, widget)
        self.errors[key] = error_label()
        self.errors[key].setObjectName(f"error_{key}")
        self.form.addRow("", self.errors[key])

    def _build_what(self) -> None:
        """Category (searchable), channel, priority, description."""
        form, row = self.form, self._row
        cat_box = QVBoxLayout()
        self.category_search = QLineEdit()
        self.category_search.setObjectName("category_search")
        self.category_search.setPlaceholderText(self.tr("Type to filter categories"))
        self.category_search.textChanged.connect(self._on_category_search_changed)
        self.category_list = QListWidget()
        self.category_list.setObjectName("category_list")
        self.category_list.setMaximumHeight(120)
        for c in self.categories:
            item = QListWidgetItem(f"{c['big_name']} / {c['small_name']} ({c['code']})")
            item.setData(Qt.ItemDataRole.UserRole, c)
            self.category_list.addItem(item)
        # a dangerous category (catalogue mark) starts under 重点监管: said before saving
        self.key_hint = QLabel(self.tr("Serious safety hazard: the new ticket is put under key "
                                       "supervision at once"))
        self.key_hint.setObjectName("key_supervision_hint")
        self.key_hint.setWordWrap(True)
        self.key_hint.hide()
        self.category_list.currentItemChanged.connect(self._on_category_changed)
        cat_box.addWidget(self.category_search)
        cat_box.addWidget(self.category_list)
        cat_box.addWidget(self.key_hint)
        cat_w = QWidget()
        cat_w.setLayout(cat_box)
        cat_box.setContentsMargins(0, 0, 0, 0)
        row("category", self.tr("Category"), cat_w)

        self.channel = QComboBox()
        self.channel.setObjectName("channel")
        for c in Channel:
            self.channel.addItem(L.channel_label(c.value), c.value)
        self.channel.setCurrentIndex(self.channel.findData(Channel.SELF_FOUND.value))
        form.addRow(self.tr("Channel"), self.channel)
        self.priority = QComboBox()
        self.priority.setObjectName("priority")
        for p in Priority:
            self.priority.addItem(L.priority_label(p.value), p.value)
        form.addRow(self.tr("Priority"), self.priority)

        self.description = QPlainTextEdit()
        self.description.setObjectName("description")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(70)
        row("description", self.tr("Description"), self.description)

    def _build_place(self) -> None:
        """Place search, address, the point (typed or picked on the map) and its grid cells."""
        form, row = self.form, self._row
        place_box = QVBoxLayout()
        place_box.setContentsMargins(0, 0, 0, 0)
        self.place_search = QLineEdit()
        self.place_search.setObjectName("place_search")
        self.place_search.setPlaceholderText(self.tr("Search a committee, grid or known address"))
        self.place_search.textChanged.connect(self._on_place_search_changed)
        self.places = QListWidget()
        self.places.setObjectName("places")
        self.places.setMaximumHeight(90)
        self.places.itemActivated.connect(self._on_place_chosen)
        self.places.itemClicked.connect(self._on_place_chosen)
        place_box.addWidget(self.place_search)
        place_box.addWidget(self.places)
        place_w = QWidget()
        place_w.setLayout(place_box)
        form.addRow(self.tr("Find place"), place_w)

        self.address = QLineEdit()
        self.address.setObjectName("address")
        row("address", self.tr("Address"), self.address)
        point = QHBoxLayout()
        self.lat = QDoubleSpinBox()
        self.lat.setObjectName("lat")
        self.lon = QDoubleSpinBox()
        self.lon.setObjectName("lon")
        for sb, lo, hi in ((self.lat, -90, 90), (self.lon, -180, 180)):
            sb.setDecimals(6)
            sb.setRange(lo, hi)
            sb.setValue(0.0)
            sb.valueChanged.connect(lambda _v: self._on_point_changed())
        point.addWidget(QLabel(self.tr("Lat")))
        point.addWidget(self.lat)
        point.addWidget(QLabel(self.tr("Lon")))
        point.addWidget(self.lon)
        self.pick_button = QPushButton(self.tr("Pick on map"))
        self.pick_button.setObjectName("pick_button")
        self.pick_button.clicked.connect(self.pick_on_map)
        # Shown only when the bus has the map's point-picking requests.
        self.pick_button.setVisible(hasattr(self.ctx.bus, "sig_pick_point"))
        self.pick_request = f"new_ticket:{uuid.uuid4().hex[:12]}"
        self._picking = False
        self._auto_address: str | None = None  # the address last filled in for the officer
        if hasattr(self.ctx.bus, "sig_pick_point"):
            self.ctx.bus.sig_point_picked.connect(self._on_point_picked)
            self.ctx.bus.sig_pick_cancelled.connect(self._on_pick_cancelled)
            self.finished.connect(self._on_finished)
        point.addWidget(self.pick_button)
        point_w = QWidget()
        point_w.setLayout(point)
        point.setContentsMargins(0, 0, 0, 0)
        row("point", self.tr("Point (WGS-84)"), point_w)
        self.grid_label = QLabel("—")
        self.grid_label.setObjectName("grid_cells")
        form.addRow(self.tr("Grid"), self.grid_label)

    def _build_reporter(self) -> None:
        row = self._row
        self.reporter_name = QLineEdit()
        self.reporter_name.setObjectName("reporter_name")
        row("reporter_name", self.tr("Reporter"), self.reporter_name)
        self.reporter_phone = QLineEdit()
        self.reporter_phone.setObjectName("reporter_phone")
        row("reporter_phone", self.tr("Reporter phone"), self.reporter_phone)

    def _build_duplicates(self, lay: QVBoxLayout) -> None:
        """The nearby look-alikes shown before saving (console.domain.duplicates)."""
        self.dupes = QListWidget()
        self.dupes.setObjectName("duplicates")
        self.dupes.setMaximumHeight(90)
        self.dupes.hide()
        self.dupes_label = QLabel()
        self.dupes_label.setObjectName("duplicates_label")
        self.dupes_label.setStyleSheet("color: #ef6c00; font-weight: bold;")
        self.dupes_label.setWordWrap(True)
        self.dupes_label.hide()
        lay.addWidget(self.dupes_label)
        lay.addWidget(self.dupes)

    def _build_buttons(self, lay: QVBoxLayout) -> None:
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setObjectName("save_button")
        self.save_button.setText(self.tr("Save"))
        self.buttons.accepted.connect(self._on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        lay.addWidget(self.buttons)

    # -- category and place ------------------------------------------------------------------
    def _on_category_search_changed(self, text: str) -> None:
        q = text.strip().lower()
        first_visible = None
        for i in range(self.category_list.count()):
            item = self.category_list.item(i)
            hide = bool(q) and q not in item.text().lower()
            item.setHidden(hide)
            if not hide and first_visible is None:
                first_visible = item
        if q and first_visible is not None:
            self.category_list.setCurrentItem(first_visible)

    def _on_category_changed(self, *_args: Any) -> None:
        cat = self.selected_category()
        self.key_hint.setVisible(bool(cat and cat.get("dangerous")))

    def selected_category(self) -> dict[str, Any] | None:
        item = self.category_list.currentItem()
        if item is None or item.isHidden():
            return None
        return item.data(Qt.ItemDataRole.UserRole)

    def _on_place_search_changed(self, text: str) -> None:
        self.places.clear()
        if len(text.strip()) < 1:
            return
        with self.ctx.store.session() as s:
            hits = rq.address_matches(s, text, limit=15)
        for h in hits:
            item = QListWidgetItem(h["name"])
            item.setData(Qt.ItemDataRole.UserRole, h)
            self.places.addItem(item)

    def _on_place_chosen(self, item: QListWidgetItem) -> None:
        h = item.data(Qt.ItemDataRole.UserRole)
        self.set_point(h["lat"], h["lon"])
        typed = self.address.text().strip()
        if not typed or typed == self._auto_address:
            self.address.setText(h["name"])
            self._auto_address = h["name"]

    # -- picking the point on the map ----------------------------------------------------------
    def pick_on_map(self) -> None:
        """Ask the map for a point: the dialog steps aside (it is modal to the window the
        map is in) until the map answers with the point or the officer cancels."""
        bus = self.ctx.bus
        if not bus.isSignalConnected(bus.metaObject().method(
                bus.metaObject().indexOfSignal("sig_pick_point(QString)"))):
            show_error(self.errors["point"], self.tr("The map is not open: open the map panel to pick a point"))
            return
        self._picking = True
        self.sig_pick_on_map.emit()
        self.hide()
        bus.sig_pick_point.emit(self.pick_request)

    def _come_back(self) -> None:
        if self._picking:
            self._picking = False
            self.show()
            self.raise_()
            self.activateWindow()

    def _on_point_picked(self, request_id: str, lat: float, lon: float) -> None:
        if request_id != self.pick_request:
            return
        self._come_back()
        self.set_point(lat, lon)
        if not self.cells():
            show_error(self.errors["point"], self.tr("The point is outside every grid of this street"))
            return
        self._fill_address(lat, lon)

    def _fill_address(self, lat: float, lon: float) -> None:
        """The picked point's address: the nearest known one, else the committee (or grid)
        it falls in, for the officer to complete. What the officer typed is kept."""
        typed = self.address.text().strip()
        if typed and typed != self._auto_address:
            return
        cells = self.cells()
        with self.ctx.store.session() as s:
            near = rq.nearest_address(s, lat, lon, ADDRESS_RADIUS_M)
            names = rq.grid_names(s)
        if near is not None:
            text = near["address"]
        else:
            place = next((names.get(cells[k], cells[k]) for k in ("committee", "resp_grid", "street")
                          if k in cells), "")
            text = self.tr("%1 (complete the street and number)").replace("%1", place) if place else ""
        if text:
            self.address.setText(text)
            self._auto_address = text

    def _on_pick_cancelled(self, request_id: str) -> None:
        if request_id == self.pick_request:
            self._come_back()

    def _on_finished(self, _result: int) -> None:
        bus = self.ctx.bus
        for sig, slot in ((bus.sig_point_picked, self._on_point_picked),
                          (bus.sig_pick_cancelled, self._on_pick_cancelled)):
            try:
                sig.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    def set_point(self, lat: float, lon: float) -> None:
        self.lat.setValue(lat)
        self.lon.setValue(lon)
        self._on_point_changed()

    def cells(self) -> dict[str, str]:
        lat, lon = self.lat.value(), self.lon.value()
        if lat == 0.0 and lon == 0.0:
            return {}
        return self.grid_index.locate(lat, lon)

    def _on_point_changed(self) -> None:
        cells = self.cells()
        with self.ctx.store.session() as s:
            names = rq.grid_names(s)
        self.grid_label.setText(" / ".join(names.get(cells[k], cells[k]) for k in
                                           ("street", "resp_grid", "committee", "micro_grid") if k in cells)
                                or "—")
        show_error(self.errors["point"], None)

    # -- validation and saving ----------------------------------------------------------------
    def validate(self) -> dict[str, Any] | None:
        """The new ticket's fields, or None with every error shown at its field."""
        errs: dict[str, str | None] = {k: None for k in self.errors}
        cat = self.selected_category()
        if cat is None:
            errs["category"] = self.tr("Choose a category from the catalogue")
        elif not any(c["code"] == cat["code"] and c["kind"] == cat["kind"] for c in self.categories):
            errs["category"] = self.tr("Unknown category")
        desc = self.description.toPlainText().strip()
        if not desc:
            errs["description"] = self.tr("Describe the problem")
        elif len(desc) > MAX_DESCRIPTION:
            errs["description"] = self.tr("At most 2000 characters")
        addr = self.address.text().strip()
        if not addr:
            errs["address"] = self.tr("Enter the address")
        elif len(addr) > MAX_ADDRESS:
            errs["address"] = self.tr("At most 200 characters")
        cells = self.cells()
        if self.lat.value() == 0.0 and self.lon.value() == 0.0:
            errs["point"] = self.tr("Choose a place or enter the point")
        elif not cells:
            errs["point"] = self.tr("The point is outside every grid of this street")
        if len(self.reporter_name.text().strip()) > MAX_NAME:
            errs["reporter_name"] = self.tr("At most 50 characters")
        phone = self.reporter_phone.text().strip()
        if phone and (len(phone) > MAX_PHONE or not phone.replace("-", "").replace("+", "").isdigit()):
            errs["reporter_phone"] = self.tr("Digits only, at most 20")
        for key, text in errs.items():
            show_error(self.errors[key], text)
        if any(errs.values()):
            return None
        prio = Priority(self.priority.currentData())
        category = Category(kind=CategoryKind(cat["kind"]), code=cat["code"], big_code=cat["big_code"],
                            big_name=cat["big_name"], small_name=cat["small_name"],
                            limit_hours=cat["limit_hours"], limit_mode=LimitMode(cat["limit_mode"]),
                            urgent_limit_hours=cat.get("urgent_limit_hours"))
        return {
            "channel": self.channel.currentData(), "category_kind": cat["kind"],
            "category_code": cat["code"], "category_name": cat["small_name"],
            "big_code": cat["big_code"], "big_name": cat["big_name"], "priority": prio.value,
            "lat": self.lat.value(), "lon": self.lon.value(), "address": addr, "grids": cells,
            "description": desc, "reporter_name": self.reporter_name.text().strip(),
            "reporter_phone": phone, "limit_hours": timelimits.limit_for(category, prio),
            "limit_mode": cat["limit_mode"],
        }

    def duplicates(self, fields: dict[str, Any]) -> list[dict[str, Any]]:
        now = float(self.ctx.clock())
        with self.ctx.store.session() as s:
            near = repo.nearby_tickets(s, fields["lat"], fields["lon"], DUPLICATE_RADIUS_M,
                                       since=now - DUPLICATE_DAYS * 86400)
        return dup.likely_duplicates(fields, near, DUPLICATE_RADIUS_M)

    def _on_save_clicked(self) -> None:
        fields = self.validate()
        if fields is None:
            return
        key = (fields["category_code"], round(fields["lat"], 6), round(fields["lon"], 6))
        dupes = self.duplicates(fields)
        if dupes and self._dupes_confirmed_for != key:
            self._dupes_confirmed_for = key
            self.dupes.clear()
            for d in dupes:
                item = QListWidgetItem(f"{'★ ' if d['same_category'] else ''}{d.get('number') or d['id'][:8]} · "
                                       f"{d.get('category_name', '')} · {d.get('address', '')} · "
                                       f"{int(d['distance_m'])} m · {(d.get('description') or '')[:30]}")
                self.dupes.addItem(item)
            self.dupes_label.setText(self.tr("%1 ticket(s) within 50 m in the last 7 days look like the same "
                                             "matter (★ same category): is this a duplicate? Press Save again "
                                             "to create it anyway.")
                                     .replace("%1", str(len(dupes))))
            self.dupes_label.show()
            self.dupes.show()
            self.save_button.setText(self.tr("Save anyway"))
            return
        self.save_button.setEnabled(False)
        self.ctx.run_action(create_ticket, float(self.ctx.clock()), on_done=self._on_created,
                            on_error=lambda _e: self.save_button.setEnabled(True), **fields)

    def _on_created(self, ticket: Any) -> None:
        tid = getattr(ticket, "id", None) or (ticket.get("id") if isinstance(ticket, dict) else None)
        if tid:
            self.sig_created.emit(tid)
        self.accept()
