"""Alarm-linked video: when the wall opens cameras by itself.

Requests come from other panels (``Bus.sig_open_cameras_near``, ``sig_emergency``)
and from the change journal: a new, uncleared alarm or a new pending urgent/critical
ticket with a location opens the nearest cameras around it. Each alarm or ticket
does so once. The store is read on ``ctx.tasks``; the panel places the cameras.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, Signal

from localdb import repo_video

if TYPE_CHECKING:
    from console.qt.context import AppContext

ALARM_CAMERAS = 4           # nearest K cameras opened for an alarm or urgent ticket
ALARM_RADIUS_M = 300.0
EMERGENCY_CAMERAS = 6
EMERGENCY_RADIUS_M = 800.0
RECENT_S = 600.0            # alarms/tickets older than this (platform time) open nothing


class LinkedVideo(QObject):
    #: camera dicts to open and highlight, nearest first (with "distance_m")
    sig_open = Signal(list)
    #: radius_m — a request found no camera in range
    sig_nothing_near = Signal(float)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._seen: set[str] = set()
        ctx.bus.sig_open_cameras_near.connect(self._on_bus_open_cameras_near)
        ctx.bus.sig_emergency.connect(self._on_bus_emergency)
        if ctx.journal is not None:
            ctx.journal.sig_changed.connect(self._on_journal_changed)

    def open_near(self, lat: float, lon: float, radius_m: float, k: int = ALARM_CAMERAS) -> None:
        """Open the nearest ``k`` cameras within ``radius_m`` metres."""
        self.ctx.tasks.run(_do_near, self.ctx.store, lat, lon, radius_m, k,
                           on_done=lambda r: self._on_near_read(r, lat, lon), on_error=self._on_read_failed)

    def _on_near_read(self, result: tuple[list[dict], float], lat: float, lon: float) -> None:
        cams, radius_m = result
        self.ctx.bus.sig_cameras_near_answer.emit(float(lat), float(lon), float(radius_m), len(cams))
        if cams:
            self.sig_open.emit(cams)
        else:
            self.sig_nothing_near.emit(radius_m)

    def _on_read_failed(self, exc: BaseException) -> None:
        self.ctx.notify.error(QCoreApplication.translate(
            "VideoWallPanel", "Video wall: could not read cameras: %1").replace("%1", str(exc)))

    def _on_bus_open_cameras_near(self, lat: float, lon: float, radius_m: float) -> None:
        self.open_near(lat, lon, radius_m, ALARM_CAMERAS)

    def _on_bus_emergency(self, incident: dict) -> None:
        lat, lon = incident.get("lat"), incident.get("lon")
        if lat is not None and lon is not None:
            self.open_near(float(lat), float(lon), EMERGENCY_RADIUS_M, EMERGENCY_CAMERAS)

    def _on_journal_changed(self, changed: dict) -> None:
        alarms = [a for a in changed.get("alarm", []) if f"alarm:{a}" not in self._seen]
        if alarms:
            self.ctx.tasks.run(repo_video.alarms, self.ctx.store, alarms,
                               on_done=self._on_alarms_read, on_error=self._on_read_failed)
        tickets = [t for t in changed.get("ticket", []) if f"ticket:{t}" not in self._seen]
        if tickets:
            self.ctx.tasks.run(repo_video.urgent_tickets, self.ctx.store, tickets,
                               self.ctx.clock() - RECENT_S,
                               on_done=self._on_urgent_tickets_read, on_error=self._on_read_failed)

    def _on_alarms_read(self, alarms: list[dict]) -> None:
        now = self.ctx.clock()
        fresh = [a for a in alarms if a["lat"] is not None and a["lon"] is not None
                 and a["cleared_at"] is None and (a["raised_at"] or 0) >= now - RECENT_S]
        self._seen.update(f"alarm:{a['id']}" for a in alarms)
        if fresh:
            a = max(fresh, key=lambda x: x["raised_at"] or 0)
            self.open_near(a["lat"], a["lon"], ALARM_RADIUS_M, ALARM_CAMERAS)

    def _on_urgent_tickets_read(self, tickets: list[dict]) -> None:
        self._seen.update(f"ticket:{t['id']}" for t in tickets)
        if tickets:  # newest first
            self.open_near(tickets[0]["lat"], tickets[0]["lon"], ALARM_RADIUS_M, ALARM_CAMERAS)


def _do_near(store, lat: float, lon: float, radius_m: float, k: int) -> tuple[list[dict], float]:
    return repo_video.cameras_near(store, lat, lon, radius_m, k), radius_m
