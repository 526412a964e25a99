"""The one QObject on the map page's QWebChannel: JSON both ways.

Python -> page: ``send(op, **payload)`` queues a message; nothing reaches the page
before it reports ready (Anki's ``AnkiWebView`` pattern), then messages go out in one
``sig_to_js`` emission per 100 ms at most. Point updates (tickets, cameras, sensors, alarms)
are coalesced by id in the meantime, so a burst of changes to one marker is drawn once.

Page -> Python: the page calls ``post(json_text)``; each message type becomes a Qt
signal. Data is only ever passed as JSON, never spliced into JavaScript source.
"""

from __future__ import annotations

import json
import logging
import math
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot

log = logging.getLogger(__name__)

POINT_KINDS = ("cameras", "sensors", "alarms")


def _finite(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


class MapBridge(QObject):
    #: JSON text: a list of {"op": ..., ...} messages for the page (connected by map.js)
    sig_to_js = Signal(str)
    #: the page has loaded and connected to the channel
    sig_ready = Signal()
    #: ticket_id — a ticket marker was clicked
    sig_ticket_clicked = Signal(str)
    #: camera_id — a camera marker was clicked
    sig_camera_clicked = Signal(str)
    #: sensor_id — an IoT sensor marker was clicked
    sig_sensor_clicked = Signal(str)
    #: grid cell id — a grid polygon was clicked
    sig_grid_clicked = Signal(str)
    #: {"bbox": [south, west, north, east]} in the map's datum — a box was selected
    sig_area_selected = Signal(dict)
    #: {"polygon": [[lat, lon], ...]} in the map's datum — a lasso was drawn
    sig_lasso_selected = Signal(dict)
    #: request_id, lat, lon in the map's datum — the officer clicked the map in pick mode
    sig_point_picked = Signal(str, float, float)
    #: request_id — the officer left pick mode (Esc or the banner's cancel)
    sig_pick_cancelled = Signal(str)
    #: {"counts": {layer: n}, "skipped": n} — the page drew the grid layers
    sig_grids_drawn = Signal(dict)
    #: number of ticket markers on the map, after the cluster layer finished adding them
    sig_tickets_drawn = Signal(int)
    #: ticket_id — the pointer rests on a ticket marker that has no tooltip yet
    sig_ticket_hovered = Signal(str)
    #: the officer turned the heat map on: it needs its points
    sig_heat_wanted = Signal()
    #: number of messages the page applied from one batch
    sig_applied = Signal(int)
    #: error text from the page (JavaScript exception)
    sig_js_error = Signal(str)

    def __init__(self, parent: QObject | None = None, interval_ms: int = 100) -> None:
        super().__init__(parent)
        self.ready = False
        self._queue: list[dict[str, Any]] = []
        self._tickets: dict[str, tuple | None] = {}  # id -> (lat, lon, st) or None = remove
        self._points: dict[str, dict[str, dict | None]] = {k: {} for k in POINT_KINDS}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._interval_ms = interval_ms
        self._last_flush = 0.0
        self._timer.timeout.connect(self.flush)
        self.sent_batches = 0

    # -- Python -> page ----------------------------------------------------------------
    def send(self, op: str, **payload: Any) -> None:
        """Queue one message; it is delivered in order, after the page is ready."""
        self._queue.append({"op": op, **payload})
        self._schedule()

    def update_tickets(self, cols: dict[str, list], remove: list[str]) -> None:
        """Coalesce ticket marker changes: ``cols`` as from map_data.ticket_payload."""
        for tid in remove:
            self._tickets[tid] = None
        for tid, lat, lon, st in zip(cols["ids"], cols["lat"], cols["lon"], cols["st"]):
            self._tickets[tid] = (lat, lon, st)
        self._schedule()

    def update_points(self, kind: str, upsert: list[dict], remove: list[str]) -> None:
        pending = self._points[kind]
        for pid in remove:
            pending[pid] = None
        for p in upsert:
            pending[p["id"]] = p
        self._schedule()

    def reset(self) -> None:
        """The page is (re)loading: hold messages until it is ready again."""
        self.ready = False
        self._timer.stop()

    def clear(self) -> None:
        self._queue.clear()
        self._tickets.clear()
        for pending in self._points.values():
            pending.clear()

    def _schedule(self) -> None:
        # Throttle, not debounce: the first change after a quiet spell goes out on the
        # next turn of the event loop; changes within 100 ms of a batch wait for the next.
        if self.ready and not self._timer.isActive():
            since = (time.monotonic() - self._last_flush) * 1000.0
            self._timer.start(max(0, int(self._interval_ms - since)))

    def _take_batch(self) -> list[dict[str, Any]]:
        batch, self._queue = self._queue, []
        if self._tickets:
            up = {"ids": [], "lat": [], "lon": [], "st": []}
            remove = []
            for tid, v in self._tickets.items():
                if v is None:
                    remove.append(tid)
                else:
                    up["ids"].append(tid)
                    up["lat"].append(v[0])
                    up["lon"].append(v[1])
                    up["st"].append(v[2])
            batch.append({"op": "tickets", "upsert": up, "remove": remove})
            self._tickets = {}
        for kind, pending in self._points.items():
            if pending:
                batch.append({"op": kind, "upsert": [p for p in pending.values() if p is not None],
                              "remove": [k for k, p in pending.items() if p is None]})
                self._points[kind] = {}
        return batch

    @Slot()
    def flush(self) -> None:
        if not self.ready:
            return
        batch = self._take_batch()
        if batch:
            self._last_flush = time.monotonic()
            self.sent_batches += 1
            self.sig_to_js.emit(json.dumps(batch, ensure_ascii=False, separators=(",", ":")))

    # -- page -> Python --------------------------------------------------------------------
    @Slot(str)
    def post(self, text: str) -> None:
        try:
            msg = json.loads(text)
            kind = msg.get("type")
        except (ValueError, AttributeError):
            log.warning("map page sent a malformed message: %.200s", text)
            return
        if kind == "ready":
            self.ready = True
            self.sig_ready.emit()
            self.flush()
        elif kind == "ticket":
            self.sig_ticket_clicked.emit(str(msg.get("id", "")))
        elif kind == "camera":
            self.sig_camera_clicked.emit(str(msg.get("id", "")))
        elif kind == "sensor":
            self.sig_sensor_clicked.emit(str(msg.get("id", "")))
        elif kind == "grid":
            self.sig_grid_clicked.emit(str(msg.get("id", "")))
        elif kind == "area":
            bbox = msg.get("bbox")
            if isinstance(bbox, list) and len(bbox) == 4 and all(isinstance(v, (int, float)) for v in bbox):
                self.sig_area_selected.emit({"bbox": [float(v) for v in bbox]})
        elif kind == "lasso":
            poly = msg.get("polygon")
            if isinstance(poly, list) and len(poly) >= 3 and all(
                    isinstance(p, list) and len(p) == 2 and all(_finite(v) for v in p) for p in poly):
                self.sig_lasso_selected.emit({"polygon": [[float(a), float(b)] for a, b in poly]})
        elif kind == "picked":
            lat, lon = msg.get("lat"), msg.get("lon")
            if _finite(lat) and _finite(lon):
                self.sig_point_picked.emit(str(msg.get("id", "")), float(lat), float(lon))
        elif kind == "pick_cancel":
            self.sig_pick_cancelled.emit(str(msg.get("id", "")))
        elif kind == "grids_drawn":
            self.sig_grids_drawn.emit({"counts": dict(msg.get("counts") or {}),
                                       "skipped": int(msg.get("skipped") or 0)})
        elif kind == "tickets_drawn":
            self.sig_tickets_drawn.emit(int(msg.get("n") or 0))
        elif kind == "ticket_hover":
            self.sig_ticket_hovered.emit(str(msg.get("id", "")))
        elif kind == "heat_wanted":
            self.sig_heat_wanted.emit()
        elif kind == "applied":
            self.sig_applied.emit(int(msg.get("n") or 0))
        elif kind == "error":
            log.warning("map page error: %s", msg.get("message"))
            self.sig_js_error.emit(str(msg.get("message", "")))
        elif kind == "tile_error":
            pass  # the scheme handler reports real tile failures; 404s are normal
        else:
            log.debug("map page message ignored: %s", kind)
