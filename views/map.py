"""The map panel: grids, tickets, cameras and IoT sensors on a Leaflet page.

The page (``views.map_page``) is static; everything it shows arrives over the
``MapBridge`` as JSON. Store reads run on the task pool; the journal tells the panel
which tickets, cameras, sensors and alarms changed and only those markers are sent
again. Clicks on the page become bus requests for the other panels.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QStringListModel, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
from PySide6.QtWebEngineWidgets import QWebEngineView
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from console import settings as S
from localdb import repo_map
from views import labels, map_data
from views.map_bridge import MapBridge
from views.map_page import cache_dir, write_page
from views.map_tiles import SCHEME, TileSchemeHandler, TileSourceError, register_scheme

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)

HEAT_DAYS = 7
EMERGENCY_RINGS_M = (100, 300, 500)
SENSOR_CAMERA_RADIUS_M = 300.0
BASEMAP_PATH = "/tiles/{z}/{x}/{y}.png"  # the platform's base map (docs/CONTRACT.md)
BASEMAP_DATUM = "WGS84"
_KINDS = ("ticket", "camera", "sensor", "alarm", "grid")


class _MapPage(QWebEnginePage):
    """The map page never navigates away (a stray link would replace the map) and
    its console goes to the log."""

    def acceptNavigationRequest(self, url: QUrl, nav_type: Any, is_main_frame: bool) -> bool:  # noqa: N802
        if is_main_frame and url.scheme() != "file":
            log.info("map page: navigation to %s refused", url.toString())
            return False
        return True

    def javaScriptConsoleMessage(self, level: Any, message: str, line: int, source: str) -> None:  # noqa: N802
        log.debug("map page console (%s:%s): %s", source.rsplit("/", 1)[-1], line, message)


class MapPanel(QWidget):
    """Street map for the duty hall (``panel_name = "map"``)."""

    panel_name = "map"

    sig_grids_drawn = Signal(dict)
    """dict {"counts": {layer: n}, "skipped": n}: the page drew the grid layers."""
    sig_loaded = Signal()
    """The full load (grids, tickets, cameras, sensors) was handed to the page."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        register_scheme()  # no-op when console.app already did it before QApplication
        self.ctx = ctx
        self.datum = "WGS84"
        self._platform = ""
        self.grid_counts: dict[str, int] = {}
        self._notices: dict[str, str] = {}
        self._places: dict[str, list[float]] = {}
        self._sensor_pos: dict[str, tuple[float, float]] = {}
        self._dirty: dict[str, set[str]] = {k: set() for k in _KINDS}
        self._reading = False
        self._loading = False
        #: the first full load has been drawn (``sig_loaded`` may fire inside __init__)
        self.loaded_once = False
        #: markers in the last full load, and how many the page reported drawn (-1: not yet)
        self._tickets_sent = 0
        self._tickets_drawn = -1
        self._generation = 0
        self._limit_now = self._now()
        self._skipped_points = 0
        self._pick_id: str | None = None  # the pick request the page is answering

        self._build_toolbar()
        self._build_page()
        self._build_layout()
        self._connect()
        app = QCoreApplication.instance()
        if app is not None:
            # At exit nothing is deleted in order: let the page go before its profile.
            app.aboutToQuit.connect(self._release_page)

        self._limit_timer = QTimer(self)
        self._limit_timer.setInterval(60_000)
        self._limit_timer.timeout.connect(self._on_limit_tick)
        self._limit_timer.start()
        self.start()
        self._refresh_alarm_count()

    # -- construction ----------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        """Place search, whole street, the alarms button."""
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("Find a grid or committee…"))
        self.search.setClearButtonEnabled(True)
        self._place_model = QStringListModel(self)
        completer = QCompleter(self._place_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.activated.connect(self._on_place_chosen)
        self.search.setCompleter(completer)
        self.search.returnPressed.connect(lambda: self._on_place_chosen(self.search.text()))
        self.fit_button = QToolButton(self)
        self.fit_button.setText(self.tr("Whole street"))
        self.fit_button.setToolTip(self.tr("Show the whole street"))
        self.fit_button.clicked.connect(self._on_fit_clicked)
        self.alarm_button = QToolButton(self)
        self.alarm_button.setObjectName("map_alarms")
        self.alarm_button.setText(self.tr("Alarms"))
        self.alarm_button.setToolTip(self.tr("IoT alarms without an answer: make a ticket, link or dismiss"))
        self.alarm_button.clicked.connect(self.open_alarm_list)
        self._alarm_dialog: QDialog | None = None

    def _build_page(self) -> None:
        """The web view, its own profile (the tiles: scheme) and the JSON bridge."""
        self.view = QWebEngineView(self)
        # The profile is created after the view so that, as the panel's children are
        # deleted in order, the page goes before its profile.
        self.profile = QWebEngineProfile(None)
        self.tiles = TileSchemeHandler(cache_dir() / "tiles", self.profile)
        self.profile.installUrlSchemeHandler(SCHEME, self.tiles)
        self.page = _MapPage(self.profile, self.view)
        self.view.setPage(self.page)
        self.profile.setParent(self)
        self.bridge = MapBridge(self)
        self.channel = QWebChannel(self.page)
        self.channel.registerObject("bridge", self.bridge)
        self.page.setWebChannel(self.channel)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 4, 4, 0)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.alarm_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(bar)
        lay.addWidget(self.view, 1)

    def _connect(self) -> None:
        """The page's bridge, the tiles, the journal, the other panels' requests, Esc."""
        self.bridge.sig_ticket_clicked.connect(self._on_ticket_clicked)
        self.bridge.sig_camera_clicked.connect(self._on_camera_clicked)
        self.bridge.sig_sensor_clicked.connect(self._on_sensor_clicked)
        self.bridge.sig_grid_clicked.connect(self._on_grid_clicked)
        self.bridge.sig_area_selected.connect(self._on_area_selected)
        self.bridge.sig_lasso_selected.connect(self._on_lasso_selected)
        self.bridge.sig_point_picked.connect(self._on_page_point_picked)
        self.bridge.sig_pick_cancelled.connect(self._on_page_pick_cancelled)
        self.bridge.sig_grids_drawn.connect(self._on_grids_drawn)
        self.bridge.sig_heat_wanted.connect(self._on_heat_wanted)
        self.bridge.sig_tickets_drawn.connect(self._on_tickets_drawn)
        self.bridge.sig_ticket_hovered.connect(self._on_ticket_hovered)
        self.page.loadStarted.connect(self.bridge.reset)
        self.page.renderProcessTerminated.connect(self._on_render_process_terminated)
        self.page.loadFinished.connect(self._on_load_finished)
        self.tiles.sig_failed.connect(self._on_tiles_failed)
        self.tiles.sig_recovered.connect(lambda: self._notice("tiles", ""))
        if self.ctx.journal is not None:
            self.ctx.journal.sig_changed.connect(self._on_journal_changed)
        self.ctx.bus.sig_locate_ticket.connect(self._on_locate_ticket)
        self.ctx.bus.sig_emergency.connect(self._on_emergency)
        self.ctx.bus.sig_emergency_end.connect(self._on_emergency_end)
        self.ctx.bus.sig_pick_point.connect(self._on_pick_point)
        self.ctx.bus.sig_cameras_near_answer.connect(self._on_bus_cameras_near_answer)
        self.ctx.bus.sig_platform_connected.connect(self._on_platform_connected)
        # Esc anywhere in the panel leaves pick mode (the page also hears it when focused)
        self._pick_escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        self._pick_escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._pick_escape.setEnabled(False)
        self._pick_escape.activated.connect(self.cancel_pick)
        self.ctx.settings.subscribe(self._on_setting_changed)

    # -- life cycle ----------------------------------------------------------------------
    def start(self) -> None:
        """(Re)load the page and send it everything (first start, settings change, crash)."""
        self._generation += 1
        self.bridge.reset()
        self.bridge.clear()
        tiles = self._configure_tiles()
        self.bridge.send("setup", i18n=self._page_strings(), maxZoom=19, tiles=tiles,
                         center=[31.18, 121.49], zoom=15)
        for key, text in self._notices.items():
            self.bridge.send("notice", key=key, text=text)
        if self._pick_id is not None:  # a reloaded page is still answering the request
            self.bridge.send("pick", id=self._pick_id, text=self._pick_text())
        self._load_all()
        self.page.load(QUrl.fromLocalFile(str(write_page())))

    def _release_page(self) -> None:
        if shiboken6.isValid(self.page):
            self.view.setPage(None)
            shiboken6.delete(self.page)

    def _platform_url(self) -> str:
        if self._platform:
            return self._platform
        client = getattr(getattr(self.ctx, "sync", None), "client", None)
        return str(getattr(client, "base_url", "") or "")

    def _configure_tiles(self) -> dict | None:
        url = self.ctx.settings.get(S.TILE_URL)
        mbtiles = self.ctx.settings.get(S.MBTILES_PATH)
        tile_datum = self.ctx.settings.get(S.TILE_DATUM).upper()
        cache_key = ""
        platform = self._platform_url()
        if not url and not mbtiles and platform:
            # No base map of the hall's own: the district platform's (docs/CONTRACT.md
            # "Base map"), kept in the tile cache so it still draws through an outage.
            url, cache_key = platform + BASEMAP_PATH, "platform-basemap"
            tile_datum = BASEMAP_DATUM
        try:
            tiles = self.tiles.configure(url, mbtiles, cache_key=cache_key)
        except TileSourceError as exc:
            log.warning("map tiles not usable: %s", exc)
            self._notices["tiles"] = self.tr("Base map unavailable: %1").replace("%1", str(exc))
            tiles = None
        else:
            self._notices.pop("tiles", None)
        # Data is WGS-84; only GCJ-02 tiles need the data moved. No tiles: draw as stored.
        self.datum = "GCJ02" if tiles and tile_datum == "GCJ02" else "WGS84"
        return tiles

    def _now(self) -> float:
        return float(self.ctx.clock())

    def _lead_s(self) -> float:
        return self.ctx.settings.warning_lead_s

    def snapshot_info(self) -> dict:
        return {"grid_layers": sum(1 for n in self.grid_counts.values() if n > 0),
                "base_map_tiles": self.tiles.served}

    def _on_tickets_drawn(self, n: int) -> None:
        self._tickets_drawn = n

    def usable(self) -> bool:
        """The first full load is drawn: every ticket marker it sent is on the map."""
        return self.loaded_once and (self._tickets_sent == 0 or self._tickets_drawn >= self._tickets_sent)

    def _on_platform_connected(self, url: str) -> None:
        # The platform's base map becomes available once its address is known (the
        # demo's platform starts after the panel); a hall's own tiles are kept.
        if not shiboken6.isValid(self) or url.rstrip("/") == self._platform:
            return
        self._platform = url.rstrip("/")
        if not (self.ctx.settings.get(S.TILE_URL) or self.ctx.settings.get(S.MBTILES_PATH)):
            self.start()

    # -- loading ---------------------------------------------------------------------------
    def _load_all(self) -> None:
        # Changes seen while the full load runs wait for it: its snapshot may be older
        # than theirs, and it must not be drawn over them.
        self._loading = True
        gen = self._generation
        self.ctx.tasks.run(map_data.load_all, self.ctx.store, self.datum, self._now(), self._lead_s(),
                           on_done=lambda result: self._on_loaded(gen, result),
                           on_error=self._on_load_failed)

    def _on_loaded(self, gen: int, result: dict) -> None:
        if gen != self._generation:
            return  # a newer start() superseded this load
        grids: map_data.GridPayload = result["grids"]
        if grids.skipped:
            log.warning("map: %d grid features skipped: %s", grids.skipped, "; ".join(grids.reasons[:5]))
        self._set_grid_notice(grids.skipped)
        self._skipped_points = result["skipped"]
        self._set_points_notice()
        self.bridge.send("grids", layers=grids.layers, fit=True)
        self._tickets_sent, self._tickets_drawn = len(result["tickets"]["ids"]), -1
        self.bridge.send("tickets_all", **result["tickets"])
        for kind in ("cameras", "sensors", "alarms"):
            self.bridge.send(kind, upsert=result[kind], remove=[], replace=True)
        self.bridge.send("resources", points=result.get("resources", []))
        self._sensor_pos = result["sensor_pos"]
        self._set_places(result["places"])
        self._loading = False
        self.loaded_once = True
        self.sig_loaded.emit()
        self._read_changes()

    @Slot()
    def _on_heat_wanted(self) -> None:
        gen = self._generation
        self.ctx.tasks.run(map_data.load_heat, self.ctx.store, self.datum, self._now() - HEAT_DAYS * 86400,
                           on_done=lambda flat: self._on_heat_loaded(gen, flat),
                           on_error=lambda exc: log.error("map: heat map read failed: %s", exc))

    def _on_heat_loaded(self, gen: int, flat: list[float]) -> None:
        if gen == self._generation:
            self.bridge.send("heat", points=flat)

    def _on_load_failed(self, exc: BaseException) -> None:
        self._loading = False
        log.error("map: loading from the store failed: %s", exc)
        self.ctx.notify.error(self.tr("The map could not read the local store: %1").replace("%1", str(exc)))

    def _set_places(self, rows: list[tuple]) -> None:
        self._places.clear()
        for gid, layer, name, s, w, n, e in rows:
            if None in (s, w, n, e) or not name:
                continue
            text = name if name not in self._places else f"{name} ({labels.layer_label(layer)})"
            self._places[text] = [s, w, n, e]
        self._place_model.setStringList(sorted(self._places))

    # -- notices -----------------------------------------------------------------------------
    def _notice(self, key: str, text: str) -> None:
        if self._notices.get(key, "") == text:
            return
        if text:
            self._notices[key] = text
        else:
            self._notices.pop(key, None)
        self.bridge.send("notice", key=key, text=text)

    def _set_grid_notice(self, skipped: int) -> None:
        text = self.tr("%n grid feature(s) could not be drawn (invalid geometry)", "", skipped) if skipped else ""
        self._notice("grids", text)

    def _set_points_notice(self) -> None:
        n = self._skipped_points
        self._notice("points", self.tr("%n marker(s) skipped (coordinates out of range)", "", n) if n else "")

    @Slot(str, str)
    def _on_tiles_failed(self, kind: str, detail: str) -> None:
        if kind == "mbtiles":
            text = self.tr("The offline map file cannot be read: %1").replace("%1", detail)
        elif kind == "corrupt":
            text = self.tr("The tile server sent a damaged tile: %1").replace("%1", detail)
        else:
            text = self.tr("The tile server cannot be reached: %1").replace("%1", detail)
        self._notice("tiles", text)

    @Slot(dict)
    def _on_grids_drawn(self, info: dict) -> None:
        self.grid_counts = {k: int(v) for k, v in info.get("counts", {}).items()}
        self.sig_grids_drawn.emit(info)

    # -- live updates ------------------------------------------------------------------------
    @Slot(dict)
    def open_alarm_list(self) -> None:
        """The alarm list (告警处置) over the map, as in the commander panel."""
        if self._alarm_dialog is None:
            from views.alarms import AlarmsView

            dlg = QDialog(self)
            dlg.setWindowTitle(self.tr("Unanswered IoT alarms"))
            lay = QVBoxLayout(dlg)
            self.alarm_list = AlarmsView(self.ctx, dlg)
            self.alarm_list.sig_count.connect(self._on_alarm_count)
            lay.addWidget(self.alarm_list)
            dlg.resize(900, 420)
            self._alarm_dialog = dlg
        self._alarm_dialog.show()
        self._alarm_dialog.raise_()

    def _on_alarm_count(self, open_n: int, overdue: int) -> None:
        self.alarm_button.setText(self.tr("Alarms") + (f" ({open_n})" if open_n else ""))
        self.alarm_button.setStyleSheet("color: #c62828; font-weight: bold;" if overdue else "")

    def _refresh_alarm_count(self) -> None:
        self.ctx.tasks.run(_do_alarm_counts, self.ctx.store, self._now(),
                           on_done=lambda r: self._on_alarm_count(*r) if shiboken6.isValid(self) else None,
                           on_error=lambda exc: log.warning("alarm count: %s", exc))

    def _on_journal_changed(self, changed: dict) -> None:
        if changed.get("alarm") and self._alarm_dialog is None:
            self._refresh_alarm_count()
        touched = False
        for kind, ids in changed.items():
            if kind in self._dirty:
                self._dirty[kind].update(ids)
                touched = True
        if touched:
            self._read_changes()

    def _on_limit_tick(self) -> None:
        """Deadlines pass without any journal entry: recolour the tickets that crossed."""
        now = self._now()
        with self.ctx.store.session() as s:
            ids = repo_map.tickets_crossing(s, self._limit_now, now, self._lead_s())
        self._limit_now = now
        if ids:
            self._on_journal_changed({"ticket": ids})

    def _read_changes(self) -> None:
        # One read in flight at a time, so an older answer never overwrites a newer one.
        if self._reading or self._loading or not any(self._dirty.values()):
            return
        dirty = {k: sorted(v) for k, v in self._dirty.items() if v}
        self._dirty = {k: set() for k in _KINDS}
        self._reading = True
        gen = self._generation
        self.ctx.tasks.run(map_data.read_changes, self.ctx.store, dirty, self.datum, self._now(), self._lead_s(),
                           on_done=lambda result: self._on_changes_read(gen, result),
                           on_error=self._on_changes_failed)

    def _on_changes_read(self, gen: int, out: dict) -> None:
        self._reading = False
        if gen == self._generation:
            if "ticket" in out:
                self.bridge.update_tickets(*out["ticket"])
            for kind in ("camera", "sensor", "alarm"):
                if kind in out:
                    self.bridge.update_points(kind + "s", *out[kind])
            self._sensor_pos.update(out.get("sensor_pos", {}))
            if "grid" in out:
                self._set_grid_notice(out["grid"].skipped)
                self.bridge.send("grids", layers=out["grid"].layers, fit=False)
                self._set_places(out["places"])
        self._read_changes()

    def _on_changes_failed(self, exc: BaseException) -> None:
        self._reading = False
        log.error("map: reading changes failed: %s", exc)

    # -- page events -> bus ---------------------------------------------------------------------
    @Slot(str)
    def _on_ticket_clicked(self, ticket_id: str) -> None:
        self.ctx.bus.sig_select_ticket.emit(ticket_id)

    @Slot(str)
    def _on_ticket_hovered(self, ticket_id: str) -> None:
        # One indexed row: cheap enough for the UI thread, and only on hover.
        with self.ctx.store.session() as s:
            row = repo_map.ticket_summary(s, ticket_id, self._now(), self._lead_s())
        if row is None:
            return
        number, category, address, state, code = row
        no_number = self.tr("(no number yet)")
        lines = [f"{number or no_number}  {category}", address,
                 f"{labels.state_label(state)} · {labels.limit_state_label(repo_map.LIMIT_CODES[code])}"]
        self.bridge.send("ticket_tip", id=ticket_id, lines=[line for line in lines if line])

    @Slot(str)
    def _on_camera_clicked(self, camera_id: str) -> None:
        self.ctx.bus.sig_play_camera.emit(camera_id)

    @Slot(float, float, float, int)
    def _on_bus_cameras_near_answer(self, lat: float, lon: float, radius_m: float, count: int) -> None:
        """No camera near the spot the officer clicked: say so at that spot, not only in the
        status bar at the bottom of the screen."""
        if count or not map_data.valid_point(lat, lon):
            return
        mlat, mlon = map_data.to_map_datum(self.datum)(float(lat), float(lon))
        self.bridge.send("say_at", lat=mlat, lon=mlon,
                         text=self.tr("No camera within %1 m").replace("%1", f"{radius_m:.0f}"))

    @Slot(str)
    def _on_sensor_clicked(self, sensor_id: str) -> None:
        pos = self._sensor_pos.get(sensor_id)
        if pos and map_data.valid_point(*pos):
            self.ctx.bus.sig_open_cameras_near.emit(float(pos[0]), float(pos[1]), SENSOR_CAMERA_RADIUS_M)

    @Slot(str)
    def _on_grid_clicked(self, grid_id: str) -> None:
        self.ctx.bus.sig_filter_queue.emit({"grids": [grid_id]})

    @Slot(dict)
    def _on_area_selected(self, area: dict) -> None:
        bbox = map_data.bbox_to_wgs84(area["bbox"], self.datum)
        self.ctx.bus.sig_filter_queue.emit({"bbox": bbox})

    @Slot(dict)
    def _on_lasso_selected(self, area: dict) -> None:
        conv = map_data.from_map_datum(self.datum)
        polygon = [list(conv(float(lat), float(lon))) for lat, lon in area["polygon"]]
        self.ctx.bus.sig_filter_queue.emit({"polygon": polygon})

    # -- picking a point for another panel --------------------------------------------------------
    @property
    def picking(self) -> str | None:
        """The pick request being answered, or None."""
        return self._pick_id

    @Slot(str)
    def _on_pick_point(self, request_id: str) -> None:
        if self._pick_id is not None and self._pick_id != request_id:
            # one pick at a time: the older request is answered "cancelled"
            self.ctx.bus.sig_pick_cancelled.emit(self._pick_id)
        self._pick_id = request_id
        self._pick_escape.setEnabled(True)
        self.bridge.send("pick", id=request_id, text=self._pick_text())
        self._bring_forward()

    def _pick_text(self) -> str:
        return self.tr("Click the map to choose the location, Esc to cancel")

    def _bring_forward(self) -> None:
        w = self.parentWidget()
        while w is not None and not isinstance(w, QDockWidget):
            w = w.parentWidget()
        if w is not None:
            w.show()
            w.raise_()
        else:
            self.show()
            self.raise_()
        win = self.window()
        if win is not None:
            win.raise_()
            win.activateWindow()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)

    def _end_pick(self) -> str | None:
        rid, self._pick_id = self._pick_id, None
        self._pick_escape.setEnabled(False)
        return rid

    @Slot()
    def cancel_pick(self) -> None:
        """Leave pick mode and answer the request cancelled."""
        rid = self._end_pick()
        if rid is not None:
            self.bridge.send("pick_end")
            self.ctx.bus.sig_pick_cancelled.emit(rid)

    @Slot(str, float, float)
    def _on_page_point_picked(self, request_id: str, lat: float, lon: float) -> None:
        if request_id != self._pick_id:
            return  # an answer to a request already cancelled
        self._end_pick()
        wlat, wlon = map_data.from_map_datum(self.datum)(lat, lon)
        self.ctx.bus.sig_point_picked.emit(request_id, float(wlat), float(wlon))

    @Slot(str)
    def _on_page_pick_cancelled(self, request_id: str) -> None:
        if request_id == self._pick_id:
            self._end_pick()
            self.ctx.bus.sig_pick_cancelled.emit(request_id)

    # -- bus -> page --------------------------------------------------------------------------------
    @Slot(str)
    def _on_locate_ticket(self, ticket_id: str) -> None:
        with self.ctx.store.session() as s:
            pos = repo_map.ticket_location(s, ticket_id)
        if pos is None or not map_data.valid_point(*pos):
            self.ctx.notify.info(self.tr("This ticket has no location on the map."))
            return
        lat, lon = map_data.to_map_datum(self.datum)(*pos)
        self.bridge.send("locate", id=ticket_id, lat=lat, lon=lon)

    @Slot(dict)
    def _on_emergency(self, incident: dict) -> None:
        lat, lon = incident.get("lat"), incident.get("lon")
        if not map_data.valid_point(lat, lon):
            return
        lat, lon = map_data.to_map_datum(self.datum)(float(lat), float(lon))
        profile = incident.get("profile") or {}
        extra = {"layers": list(profile["layers"])} if profile.get("layers") else {}
        self.bridge.send("emergency", lat=lat, lon=lon, title=str(incident.get("title") or ""),
                         rings=list(profile.get("ring_m") or EMERGENCY_RINGS_M), **extra)

    @Slot()
    def _on_emergency_end(self) -> None:
        self.bridge.send("emergency_end")

    @Slot(str)
    def _on_place_chosen(self, text: str) -> None:
        bbox = self._places.get(text.strip())
        if bbox is None:
            matches = [k for k in self._places if text.strip() and text.strip() in k]
            if len(matches) != 1:
                return
            bbox = self._places[matches[0]]
        conv = map_data.to_map_datum(self.datum)
        s, w = conv(bbox[0], bbox[1])
        n, e = conv(bbox[2], bbox[3])
        self.bridge.send("fit", bbox=[s, w, n, e])

    def _on_fit_clicked(self) -> None:
        self.bridge.send("fit_grids")

    def _on_setting_changed(self, key: str, _value: Any) -> None:
        # Settings keep their listeners; a deleted panel must ignore the call.
        if key in ("tile_url", "tile_datum", "mbtiles_path") and shiboken6.isValid(self):
            self.start()

    def _on_load_finished(self, ok: bool) -> None:
        if not ok:
            log.error("map page failed to load")
            self.ctx.notify.error(self.tr("The map page could not be loaded."))

    def _on_render_process_terminated(self, status: Any, code: int) -> None:
        log.error("map page renderer ended (%s, %s); reloading", status, code)
        QTimer.singleShot(1000, self.start)

    # -- texts for the page ----------------------------------------------------------------------------
    def _page_strings(self) -> dict:
        from console.domain.model import GRID_LAYERS, MicroGridType

        return {
            "basemap": self.tr("Base map"),
            "blank": self.tr("No base map"),
            "layers": {layer.value: labels.layer_label(layer) for layer in GRID_LAYERS},
            "tickets": self.tr("Tickets"),
            "cameras": self.tr("Cameras"),
            "resources": self.tr("Emergency resources"),
            "sensors": self.tr("IoT sensors"),
            "heat": self.tr("Ticket heat (last %n day(s))", "", HEAT_DAYS),
            "legend_tickets": self.tr("Ticket time limit"),
            "legend_micro": self.tr("Micro-grid type"),
            "legend": self.tr("Legend"),
            "legend_symbols": self.tr("Symbols"),
            "legend_camera_online": self.tr("Camera (square)"),
            "legend_camera_offline": self.tr("Camera offline"),
            "legend_sensor": self.tr("IoT sensor (diamond)"),
            "legend_sensor_alarm": self.tr("Sensor in alarm"),
            "legend_sensor_offline": self.tr("Sensor offline"),
            "legend_alarm": self.tr("Live alarm (pulsing ring)"),
            "legend_cluster": self.tr("Several tickets (number, worst colour)"),
            "states": {s: labels.limit_state_label(s) for s in repo_map.LIMIT_CODES},
            "micro": {t.value: labels.micro_type_label(t) for t in MicroGridType},
            "offline": self.tr("offline"),
            "alarm": self.tr("Alarm"),
            "sensor_status": {"normal": self.tr("normal"), "alarm": self.tr("alarm"),
                              "offline": self.tr("offline")},
            "select": self.tr("Box select"),
            "select_hint": self.tr("Drag a box to filter the queue by area (or hold Ctrl and drag)"),
            "lasso": self.tr("Lasso"),
            "lasso_hint": self.tr("Draw around an area to filter the queue by it (or hold Alt and drag)"),
            "pick_banner": self.tr("Click the map to choose the location, Esc to cancel"),
            "cancel": self.tr("Cancel"),
        }


def _do_alarm_counts(store: Any, now: float) -> tuple[int, int]:
    from console.domain import devices
    from localdb import repo_devices

    with store.session() as s:
        rows = repo_devices.open_alarms(s)
    return len(rows), sum(1 for a in rows if devices.alarm_overdue(a, now))
