"""The video wall panel: camera tree, a grid of camera tiles and its toolbar.

Thin on purpose: tiles (``widgets.camera_tile``) play and recover on their own; the
panel decides which camera goes where — by the officer (drag, double-click), by the
patrol timer, or by an alarm, an urgent ticket or an emergency near some cameras —
and keeps the tree and tiles in step with the store's change journal. Store reads
run on ``ctx.tasks``; the snapshot goes to a ticket through ``ctx.run_action``.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console import settings as S
from console.domain import cameras as camera_rules
from console.operations import cameras as camera_ops
from localdb import repo_video
from views.video_detach import WallHost
from views.video_layouts import LAYOUT_ORDER, LAYOUTS, MAX_TILES, WallState, is_big_cell, layout_title
from views.video_links import LinkedVideo
from views.video_patrol import Patrol
from widgets.camera_tile import CameraTile, TileState
from widgets.camera_tree import CameraTree

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)

#: Qt opens media sources on the global thread pool; a wall opens up to 16 at once.
MIN_GLOBAL_THREADS = 24
HIGHLIGHT_MS = 120_000
#: how long an alarm ticket waits for its camera's first live frame before the officer is told
SNAPSHOT_WAIT_S = 20.0


def _layout_path(ctx: AppContext) -> Path:
    """The wall's state sits in the window's layout file: the context's data directory
    first (a benchmark's or a test's window never writes over the officer's wall)."""
    from console.paths import Paths

    if ctx.paths is not None:
        return ctx.paths.layout
    user_file = ctx.settings.user_file
    if user_file:
        return Path(user_file).parent / "layout.ini"
    return Paths.resolve().layout


class VideoWallPanel(QWidget):
    panel_name = "video"

    #: slot, camera_id — a camera was put on a tile (officer, patrol or alarm)
    sig_assigned = Signal(int, str)
    #: ticket_id, sha256 — a snapshot was attached to a ticket
    sig_snapshot_attached = Signal(str, str)
    #: camera_ids — cameras opened for an alarm, ticket or emergency
    sig_linked_opened = Signal(list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, autofill: bool = True) -> None:
        super().__init__(parent)
        self.ctx = ctx
        pool = QThreadPool.globalInstance()
        pool.setMaxThreadCount(max(pool.maxThreadCount(), MIN_GLOBAL_THREADS))
        self._layout_file = _layout_path(ctx)
        self.state = WallState.load(self._layout_file, ctx.settings.get(S.PATROL_SECONDS))
        self._camera_count = 0
        self._hidden = 0
        self._told_unlabelled = False
        self.policy = camera_rules.DEFAULT_POLICY
        self._loaded = False
        self._current_ticket: str | None = None
        self._maximised: int | None = None
        self._replace_next = 0
        self._patrol_saved: list[str] | None = None
        self._resume_patrol = False
        self._alarm_marked = False
        self._patrol_interval_ms: int | None = None
        self._closing = False
        # A wall with nothing saved on it starts with the first online cameras, once
        # cameras with stream addresses are known (the first sync may bring them).
        self._autofill_pending = autofill and not any(self.state.slots)

        self._build_tiles()
        self._build_layout()
        self._build_timers()
        self._connect_bus()

        self.set_layout(self.state.layout, save=False)
        self.reload()
        if self.state.detached:
            QTimer.singleShot(0, self, self._restore_detached)

    # -- construction ---------------------------------------------------------------------
    def _build_tiles(self) -> None:
        """The camera tree and the tiles on their grid (inside the host that can detach)."""
        self.tree = CameraTree(self)
        self.tree.sig_camera_activated.connect(self._on_tree_camera_activated)
        self.tiles = [CameraTile(i) for i in range(MAX_TILES)]
        self._wall = QWidget()
        self._grid = QGridLayout(self._wall)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        for t in self.tiles:
            t.setParent(self._wall)
            t.hide()
            t.sig_double_clicked.connect(self._on_tile_double_clicked)
            t.sig_camera_dropped.connect(self._on_tile_camera_dropped)
            t.sig_menu_requested.connect(self._on_tile_menu_requested)

        self.host = WallHost(self._wall, self)
        self.host.window_geometry = self.state.detached_geometry
        self.host.sig_detached_changed.connect(self._on_host_detached_changed)

    def _build_layout(self) -> None:
        """Toolbar above, tree and wall side by side, status line below."""
        self._build_toolbar()
        self._status = QLabel(self)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.tree)
        split.addWidget(self.host)
        split.setStretchFactor(1, 1)
        split.setSizes([220, 800])
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.toolbar)
        lay.addWidget(split, 1)
        lay.addWidget(self._status)

    def _build_timers(self) -> None:
        """Patrol, linked video, highlight, status and pending-snapshot timers."""
        self.patrol = Patrol(self)
        self.patrol.sig_step.connect(self._on_patrol_step)
        # before LinkedVideo: the plan's layout first, then the scene's cameras into it
        self._before_emergency: tuple[str, list[str], bool] | None = None
        self.ctx.bus.sig_emergency.connect(self._on_bus_emergency)
        self.ctx.bus.sig_emergency_end.connect(self._on_bus_emergency_end)
        self.links = LinkedVideo(self.ctx, self)
        self.links.sig_open.connect(self._on_links_open)
        self.links.sig_nothing_near.connect(self._on_links_nothing_near)
        self._highlight_timer = QTimer(self)
        self._highlight_timer.setSingleShot(True)
        self._highlight_timer.timeout.connect(self.clear_highlights)
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(1000)
        self._status_timer.timeout.connect(self._refresh_status)
        self._status_timer.start()
        self._pending_snaps: list[tuple[str, str, float]] = []  # camera, ticket, give-up time
        self._snap_timer = QTimer(self)
        self._snap_timer.setInterval(250)
        self._snap_timer.timeout.connect(self._take_pending_snapshots)

    def _connect_bus(self) -> None:
        """Requests from the other panels."""
        bus = self.ctx.bus
        bus.sig_play_camera.connect(self._on_bus_play_camera)
        bus.sig_snapshot_to_ticket.connect(self.snapshot_camera_to_ticket)
        bus.sig_emergency_end.connect(self.clear_highlights)
        bus.sig_select_ticket.connect(self._on_bus_select_ticket)
        if self.ctx.journal is not None:
            self.ctx.journal.sig_changed.connect(self._on_journal_changed)

    # -- toolbar ------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        tb = QToolBar(self)
        self.toolbar = tb
        self._layout_actions: dict[str, QAction] = {}
        group = QActionGroup(self)
        for name in LAYOUT_ORDER:
            act = QAction(layout_title(name), self)
            act.setCheckable(True)
            act.setData(name)
            act.triggered.connect(lambda _=False, n=name: self.set_layout(n))
            group.addAction(act)
            tb.addAction(act)
            self._layout_actions[name] = act
        tb.addSeparator()
        self.patrol_action = QAction(self.tr("Patrol"), self)
        self.patrol_action.setCheckable(True)
        self.patrol_action.setToolTip(self.tr("Cycle the chosen cameras through the tiles"))
        self.patrol_action.toggled.connect(self._on_patrol_toggled)
        tb.addAction(self.patrol_action)
        self.patrol_group = QComboBox(self)
        self.patrol_group.setToolTip(self.tr("Cameras to patrol"))
        self.patrol_group.addItem(self.tr("All cameras"), "")
        tb.addWidget(self.patrol_group)
        self.patrol_seconds = QSpinBox(self)
        self.patrol_seconds.setRange(5, 3600)
        self.patrol_seconds.setSuffix(self.tr(" s"))
        self.patrol_seconds.setValue(self.state.patrol_seconds)
        self.patrol_seconds.setToolTip(self.tr("Patrol interval"))
        self.patrol_seconds.valueChanged.connect(self._on_patrol_seconds_changed)
        tb.addWidget(self.patrol_seconds)
        tb.addSeparator()
        self.clear_action = tb.addAction(self.tr("Clear wall"), self.clear_wall)
        self.unmark_action = tb.addAction(self.tr("Clear highlights"), self.clear_highlights)
        self.ack_action = tb.addAction(self.tr("Acknowledge alarm (Space)"), self.acknowledge_alarm)
        self.ack_action.setObjectName("ack_alarm")
        self.ack_action.setEnabled(False)
        for key, slot in ((Qt.Key.Key_Space, self.acknowledge_alarm), (Qt.Key.Key_Left, lambda: self.step_camera(-1)),
                          (Qt.Key.Key_Right, lambda: self.step_camera(1))):
            sc = QShortcut(QKeySequence(key), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(slot)
        for n, name in enumerate(LAYOUT_ORDER, start=1):  # 1..6: the layouts in toolbar order
            sc = QShortcut(QKeySequence(str(n)), self)
            sc.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            sc.activated.connect(lambda name=name: self.set_layout(name))
        self.detach_action = QAction(self.tr("Own window"), self)
        self.detach_action.setCheckable(True)
        self.detach_action.setToolTip(self.tr("Show the wall in its own window (second screen)"))
        self.detach_action.toggled.connect(self.set_detached)
        tb.addAction(self.detach_action)

    # -- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every camera (off the UI thread) and refresh tree and tiles."""
        self.ctx.tasks.run(_do_load_cameras, self.ctx.store, on_done=self._on_cameras_loaded,
                           on_error=self._on_read_failed)

    def _role(self) -> str | None:
        actor = self.ctx.actor
        return actor.role.value if actor is not None else None

    def _visible(self, cams: list[dict]) -> list[dict]:
        """The cameras this desk's officer is cleared for (tree, patrol, autofill)."""
        return camera_rules.visible(cams, self._role(), getattr(self.ctx.actor, "post", None), self.policy)

    def _on_cameras_loaded(self, result: tuple[list[dict], dict[str, str], Any]) -> None:
        cameras, names, (self.policy, why) = result
        if why:
            self.ctx.notify.warning(self.tr("Camera policy from the platform not usable (%1); the default "
                                            "policy holds").replace("%1", why))
        unlabelled = sum(1 for c in cameras if not camera_rules.labelled(c))
        if unlabelled and not self._told_unlabelled:
            self._told_unlabelled = True
            log.warning("%d cameras carry no security level: treated as internal (level 2)", unlabelled)
            self.ctx.notify.info(self.tr("%1 cameras carry no security level and are treated as internal")
                                 .replace("%1", str(unlabelled)))
        self._hidden = len(cameras)
        cameras = self._visible(cameras)
        self._hidden -= len(cameras)
        self._loaded = True
        self._camera_count = len(cameras)
        self.tree.set_cameras(cameras, names)
        self._refill_patrol_groups()
        by_id = {c["id"]: c for c in cameras}
        for slot, tile in enumerate(self.tiles):
            if tile.camera is not None:  # refresh in place (or clear a camera that is gone)
                tile.assign(by_id.get(tile.camera_id))
            elif self.state.slots[slot] in by_id:  # first load: the saved wall
                tile.assign(by_id[self.state.slots[slot]])
        self._autofill()
        self._refresh_status()

    def _autofill(self) -> None:
        """First start (nothing saved on the wall): put the first online cameras that
        have a stream address on the visible tiles, so the wall shows live video."""
        if not self._autofill_pending:
            return
        if any(t.camera is not None for t in self.tiles) or self.patrolling:
            self._autofill_pending = False
            return
        cams = sorted((c for c in self.tree.model.cameras()
                       if c.get("online") and (c.get("stream_url") or c.get("substream_url"))
                       and not camera_rules.is_restricted(c)),
                      key=lambda c: c["id"])
        if not cams:
            return  # wait for the cameras to arrive
        self._autofill_pending = False
        for slot, cam in enumerate(cams[:self.visible_slots()]):
            self.tiles[slot].assign(cam)
            self.state.slots[slot] = cam["id"]  # saved with the next change the officer makes
            self.sig_assigned.emit(slot, cam["id"])
        log.info("video wall: no saved cameras, showing %s", ", ".join(c["id"] for c in cams[:self.visible_slots()]))

    def _on_read_failed(self, exc: BaseException) -> None:
        self.ctx.notify.error(self.tr("Video wall: could not read cameras: %1").replace("%1", str(exc)))

    def _refill_patrol_groups(self) -> None:
        current = self.patrol_group.currentData()
        self.patrol_group.blockSignals(True)
        self.patrol_group.clear()
        self.patrol_group.addItem(self.tr("All cameras"), "")
        model = self.tree.model
        for key in model.group_keys():
            self.patrol_group.addItem(model.group_label(key), f"{model.group_by}:{key}")
        i = self.patrol_group.findData(current)
        self.patrol_group.setCurrentIndex(max(0, i))
        self.patrol_group.blockSignals(False)

    def _on_journal_changed(self, changed: dict) -> None:
        if changed.get("camera_policy"):
            self.reload()
            return
        cams = changed.get("camera")
        if cams:
            self.ctx.tasks.run(repo_video.get_cameras, self.ctx.store, cams,
                               on_done=self._on_cameras_changed, on_error=self._on_read_failed)
        if changed.get("grid"):
            self.reload()

    def _on_cameras_changed(self, rows: dict[str, dict | None]) -> None:
        rows = {k: (v if v is not None and self._visible([v]) else None) for k, v in rows.items()}
        self.tree.model.update_cameras(rows)
        self._camera_count = len(self.tree.model.cameras())
        for tile in self.tiles:
            if tile.camera_id in rows:
                row = rows[tile.camera_id]
                if row is None:
                    tile.assign(None)
                else:
                    tile.update_camera(row)
        self._autofill()
        self._refresh_status()

    # -- layout ---------------------------------------------------------------------------
    def visible_slots(self) -> int:
        return len(LAYOUTS[self.state.layout])

    def set_layout(self, name: str, save: bool = True) -> None:
        if name not in LAYOUTS:
            raise ValueError(f"unknown layout {name!r}")
        self.state.layout = name
        self._maximised = None
        self._place_tiles()
        self._layout_actions[name].setChecked(True)
        if save:
            self.save_state()

    def _place_tiles(self) -> None:
        for t in self.tiles:
            self._grid.removeWidget(t)
        for i in range(4):
            self._grid.setRowStretch(i, 0)
            self._grid.setColumnStretch(i, 0)
        cells = LAYOUTS[self.state.layout]
        if self._maximised is not None:
            cells = [(0, 0, 1, 1) if i == self._maximised else None for i in range(len(cells))]
        size = 1
        for i, tile in enumerate(self.tiles):
            cell = cells[i] if i < len(cells) else None
            if cell is None:
                tile.hide()
                continue
            self._grid.addWidget(tile, *cell)
            size = max(size, cell[0] + cell[2], cell[1] + cell[3])
            tile.set_main_stream(self._wants_main(i))
            tile.show()
        for i in range(size):
            self._grid.setRowStretch(i, 1)
            self._grid.setColumnStretch(i, 1)

    def _wants_main(self, slot: int) -> bool:
        if self._maximised == slot:
            return True
        rule = self.ctx.settings.get(S.CAMERA_SUBSTREAM_RULE)
        if rule == "never":
            return True
        big = is_big_cell(self.state.layout, slot)
        if rule == "always":
            return big
        return big or self.visible_slots() <= self.ctx.settings.get(S.SUBSTREAM_ABOVE_TILES)

    def toggle_maximise(self, slot: int) -> None:
        """Double-click: the tile fills the wall (main stream), and back."""
        self._maximised = None if self._maximised == slot else slot
        self._place_tiles()

    @property
    def maximised(self) -> int | None:
        return self._maximised

    def save_state(self) -> None:
        self.state.patrol_seconds = self.patrol_seconds.value()
        try:
            self.state.save(self._layout_file)
        except OSError as exc:
            log.warning("video wall state not saved: %s", exc)

    # -- assigning cameras ------------------------------------------------------------------
    def assign(self, slot: int, camera_id: str | None, *, manual: bool = True) -> None:
        cam = self.tree.model.camera(camera_id) if camera_id else None
        if camera_id and cam is None:
            known = repo_video.get_cameras(self.ctx.store, [camera_id]).get(camera_id)
            if known is not None and not manual:
                return  # linked video and patrol pass by what this officer may not see, silently
            if known is not None:  # there, but not for this officer: say so, and on record
                self._refuse(camera_id, camera_rules.refusal(known, self._role(), None, self.policy) or "")
            else:
                self.ctx.notify.warning(self.tr("Unknown camera %1").replace("%1", camera_id))
            return
        if cam is not None and camera_rules.is_restricted(cam):
            if not manual:
                return  # patrol and autofill pass restricted cameras by: each open needs a grant
            self._open_restricted(slot, cam)
        else:
            self.tiles[slot].assign(cam)
        if manual:
            self.state.slots[slot] = camera_id or ""
            self.save_state()
        if camera_id:
            self.sig_assigned.emit(slot, camera_id)

    def _refuse(self, camera_id: str, why: str) -> None:
        self.ctx.notify.warning(self.tr("Camera %1 is not open to you: %2").replace("%1", camera_id)
                                .replace("%2", why))
        if self.ctx.actor is not None:
            self.ctx.run_action(camera_ops.record_camera_access, camera_id, False, why, float(self.ctx.clock()))

    def _open_restricted(self, slot: int, cam: dict) -> None:
        """A restricted camera plays only with the platform's grant for this officer."""
        client = getattr(self.ctx.sync, "client", None)
        actor = self.ctx.actor
        if client is None or actor is None:
            self._refuse(cam["id"], self.tr("a restricted camera needs the platform's grant, and the "
                                            "platform cannot be reached"))
            return
        who = {"user_id": actor.user_id, "name": actor.name, "role": actor.role.value,
               "workstation": actor.workstation}

        def granted(g: dict) -> None:
            self.tiles[slot].assign({**cam, "stream_url": g["stream_url"], "substream_url": g["substream_url"]})
            self.ctx.run_action(camera_ops.record_camera_access, cam["id"], True, None, float(self.ctx.clock()))

        def refused(exc: BaseException) -> None:
            self._refuse(cam["id"], getattr(exc, "message", None) or str(exc))

        self.ctx.tasks.run(client.camera_grant, cam["id"], who, on_done=granted, on_error=refused)

    def play_camera(self, camera_id: str) -> int | None:
        """Show a camera on the next free visible tile (or replace the oldest)."""
        n = self.visible_slots()
        for i in range(n):
            if self.tiles[i].camera_id == camera_id:
                return i
        free = next((i for i in range(n) if self.tiles[i].camera is None), None)
        if free is None:
            free = self._replace_next % n
            self._replace_next += 1
        self.assign(free, camera_id)
        return free

    def clear_wall(self) -> None:
        self.stop_patrol()
        for i in range(MAX_TILES):
            self.tiles[i].assign(None)
            self.state.slots[i] = ""
        self.clear_highlights()
        self.save_state()

    def _on_tree_camera_activated(self, camera_id: str) -> None:
        self.play_camera(camera_id)

    def _on_tile_camera_dropped(self, slot: int, camera_id: str) -> None:
        self.assign(slot, camera_id)

    def _on_tile_double_clicked(self, slot: int) -> None:
        self.toggle_maximise(slot)

    # -- patrol -------------------------------------------------------------------------------
    def patrol_cameras(self) -> list[str]:
        """Ids of the chosen patrol group (online ones; all if none is online)."""
        key = self.patrol_group.currentData() or ""
        cams = self.tree.model.cameras()
        if key:
            by, _, group = key.partition(":")
            field = "grid_id" if by == "grid" else "source"
            cams = [c for c in cams if (c.get(field) or "") == group]
        online = [c["id"] for c in cams if c.get("online")]
        return online or [c["id"] for c in cams]

    def start_patrol(self, interval_ms: int | None = None) -> None:
        """Cycle the patrol group through the visible tiles every interval."""
        self._patrol_interval_ms = interval_ms
        if not self.patrol_action.isChecked():
            self.patrol_action.setChecked(True)  # -> _on_patrol_toggled -> _begin_patrol
            return
        self._begin_patrol()

    def _begin_patrol(self) -> None:
        if self._patrol_saved is None:
            self._patrol_saved = list(self.state.slots)
        interval = self._patrol_interval_ms or self.patrol_seconds.value() * 1000
        self.patrol.start(self.patrol_cameras(), self.visible_slots, interval)

    def stop_patrol(self) -> None:
        """Stop; the officer's own cameras come back on the tiles."""
        if self.patrol_action.isChecked():
            self.patrol_action.setChecked(False)  # -> _on_patrol_toggled -> here again
            return
        self.patrol.stop()
        self._patrol_interval_ms = None
        saved, self._patrol_saved = self._patrol_saved, None
        if saved is not None:
            for slot, cid in enumerate(saved):
                self.tiles[slot].assign(self.tree.model.camera(cid) if cid else None)

    @property
    def patrolling(self) -> bool:
        return self.patrol.active

    def _on_patrol_toggled(self, on: bool) -> None:
        if on:
            self._begin_patrol()
        else:
            self.stop_patrol()

    def _on_patrol_seconds_changed(self, value: int) -> None:
        if self._patrol_interval_ms is None:
            self.patrol.set_interval(value * 1000)
        self.save_state()

    def _on_patrol_step(self, ids: list[str]) -> None:
        for slot, cid in enumerate(ids):
            self.assign(slot, cid, manual=False)

    # -- alarm-linked video -------------------------------------------------------------------
    def open_cameras_near(self, lat: float, lon: float, radius_m: float, k: int = 4) -> None:
        """Open the nearest ``k`` cameras within ``radius_m`` and highlight their tiles."""
        self.links.open_near(lat, lon, radius_m, k)

    def _on_links_open(self, cams: list[dict]) -> None:
        # An alarm (or urgent ticket) interrupts the patrol: its cameras stay marked until
        # the officer acknowledges (Space), then the patrol goes on where it was. Only cameras
        # this officer may see (the tree holds just those): the rest pass by, not as refusals.
        cams = [c for c in cams if self.tree.model.camera(c["id"]) is not None]
        if not cams:
            return
        if self.patrolling:
            self._resume_patrol = True
            self.patrol.stop()
        self._alarm_marked = True
        self._maximised = None
        if len(cams) > self.visible_slots():
            fit = next(n for n in ("2x2", "1+5", "1+7", "3x3", "4x4") if len(LAYOUTS[n]) >= len(cams))
            self.set_layout(fit)
        else:
            self._place_tiles()
        self.clear_highlights()
        for slot, cam in enumerate(cams):
            self.assign(slot, cam["id"])
            self.tiles[slot].set_highlight(True)
        self.ack_action.setEnabled(True)
        self.ctx.notify.toast(self.tr("Alarm video"), self.tr("Cameras near the alarm are on the wall: "
                                                              "press Space to acknowledge"), True)
        self.sig_linked_opened.emit([c["id"] for c in cams])

    def acknowledge_alarm(self) -> None:
        """The officer has seen the alarm's cameras: marks off, the patrol resumes."""
        self._alarm_marked = False
        self.ack_action.setEnabled(False)
        self.clear_highlights()
        if self._resume_patrol:
            self._resume_patrol = False
            self.patrol.start(self.patrol_cameras(), self.visible_slots,
                              self._patrol_interval_ms or self.patrol_seconds.value() * 1000)

    def step_camera(self, delta: int) -> None:
        """Arrow keys: the focused (else first) tile shows the next/previous camera of the tree."""
        ids = [c["id"] for c in self.tree.model.cameras()]
        if not ids:
            return
        slot = next((i for i, t in enumerate(self.tiles[:self.visible_slots()]) if t.hasFocus()), 0)
        cur = self.tiles[slot].camera_id
        i = ids.index(cur) if cur in ids else -1
        self.assign(slot, ids[(i + delta) % len(ids)])

    def show_device_timeline(self, camera_id: str) -> None:
        """Offline/online events of a camera (blips shorter than the setting left out)."""
        from console.domain import formatting
        from localdb import repo_devices

        with self.ctx.store.session() as s:
            events = repo_devices.device_timeline(s, camera_id,
                                                  min_offline_s=float(self.ctx.settings.get(S.DEVICE_BLIP_SECONDS)))
        lines = [f"{formatting.format_epoch(e['at'], '%m-%d %H:%M')}  "
                 f"{self.tr('offline') if e['event'] == 'offline' else self.tr('back online')}" for e in events]
        QMessageBox.information(self, self.tr("Camera %1: offline and online").replace("%1", camera_id),
                                "\n".join(lines[-40:]) or self.tr("No outages on record"))

    def _on_links_nothing_near(self, radius_m: float) -> None:
        self.ctx.notify.info(self.tr("No camera within %1 m").replace("%1", f"{radius_m:.0f}"))

    def clear_highlights(self) -> None:
        self._highlight_timer.stop()
        for t in self.tiles:
            t.set_highlight(False)

    def _on_bus_emergency(self, incident: dict) -> None:
        """The plan's wall: its layout (the officer's wall is kept to come back to)."""
        profile = incident.get("profile") or {}
        if self._before_emergency is None:
            kept = self._saved_before(incident.get("id"))
            self._before_emergency = kept or (self.state.layout, list(self.state.slots), self.patrolling)
            self.state.before_emergency = json.dumps({
                "emergency": incident.get("id"), "layout": self._before_emergency[0],
                "slots": self._before_emergency[1], "patrolling": self._before_emergency[2]})
            self.save_state()
        if self.patrolling:
            self.stop_patrol()
        layout = profile.get("wall_layout")
        if layout in LAYOUTS and layout != self.state.layout:
            self.set_layout(layout)
        for slot, cid in enumerate(profile.get("cameras") or []):
            if slot < self.visible_slots():
                self.assign(slot, cid)

    def _saved_before(self, emergency_id: Any) -> tuple[str, list[str], bool] | None:
        """The wall from before this emergency, saved when it began (a restart mid-emergency)."""
        try:
            d = json.loads(self.state.before_emergency or "{}")
        except ValueError:
            return None
        if not d or d.get("emergency") != emergency_id or d.get("layout") not in LAYOUTS:
            return None
        slots = [str(x) for x in d.get("slots") or []][:MAX_TILES]
        return d["layout"], slots + [""] * (MAX_TILES - len(slots)), bool(d.get("patrolling"))

    def _on_bus_emergency_end(self) -> None:
        """Back to the wall as it was before the emergency: layout, every tile, the patrol."""
        before, self._before_emergency = self._before_emergency, None
        if before is None:
            return
        self.state.before_emergency = ""
        layout, slots, patrolling = before
        self.acknowledge_alarm()
        self.set_layout(layout)
        for slot, cid in enumerate(slots):
            if self.state.slots[slot] != cid:
                self.assign(slot, cid or None)
        if patrolling:
            self.start_patrol()

    def snapshot_jpeg(self, camera_id: str, width: int = 480) -> bytes | None:
        """A fresh, small JPEG of ``camera_id`` if a tile plays it now (for the scene push)."""
        for t in self.tiles:
            if t.camera_id == camera_id:
                img = t.snapshot()
                if img is None:
                    return None
                img = img.scaledToWidth(min(width, img.width()), Qt.TransformationMode.SmoothTransformation)
                data = QByteArray()
                buf = QBuffer(data)
                buf.open(QIODevice.OpenModeFlag.WriteOnly)
                img.save(buf, "JPEG", 70)
                buf.close()
                return bytes(data.data())
        return None

    def wall_state(self) -> tuple[str, list[str], bool]:
        """(layout, camera per slot, patrolling): what the officer sees on the wall."""
        return self.state.layout, list(self.state.slots), self.patrolling

    def _on_bus_play_camera(self, camera_id: str) -> None:
        slot = self.play_camera(camera_id)
        if slot is not None:
            self.tiles[slot].set_highlight(True)
            self._highlight_timer.start(HIGHLIGHT_MS)

    def _on_bus_select_ticket(self, ticket_id: str) -> None:
        self._current_ticket = ticket_id or None

    # -- snapshot ---------------------------------------------------------------------------
    def snapshot_png(self, slot: int) -> bytes | None:
        img = self.tiles[slot].snapshot()
        if img is None:
            return None
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        img.save(buf, "PNG")
        buf.close()
        return bytes(data.data())

    def snapshot_to_ticket(self, slot: int, ticket_id: str | None = None) -> bool:
        """Capture the tile's current frame and attach it to the ticket (stored
        locally, queued for upload). False when there is nothing to capture."""
        from console.operations.attachments import attach_snapshot

        ticket_id = ticket_id or self._current_ticket
        if not ticket_id:
            self.ctx.notify.info(self.tr("Select a ticket first, then attach the snapshot"))
            return False
        png = self.snapshot_png(slot)
        if png is None:
            self.ctx.notify.warning(self.tr("This tile shows no live picture to capture"))
            return False
        cam = self.tiles[slot].camera or {}
        caption = f"{cam.get('name', '')} ({cam.get('id', '')})"

        def _done(ticket: Any) -> None:
            import hashlib

            self.ctx.notify.info(self.tr("Snapshot attached to the ticket"))
            self.sig_snapshot_attached.emit(ticket_id, hashlib.sha256(png).hexdigest())

        self.ctx.run_action(attach_snapshot, ticket_id, png, self.ctx.clock(), caption=caption,
                            on_done=_done)
        return True

    def snapshot_camera_to_ticket(self, camera_id: str, ticket_id: str) -> None:
        """Play the camera and attach its first live frame to the ticket (an alarm's ticket
        gets the nearest camera's picture). Said plainly when the camera shows nothing."""
        if self.play_camera(camera_id) is None:
            return
        self._pending_snaps.append((camera_id, ticket_id, time.monotonic() + SNAPSHOT_WAIT_S))
        self._snap_timer.start()

    def _take_pending_snapshots(self) -> None:
        keep = []
        for camera_id, ticket_id, give_up in self._pending_snaps:
            slot = next((i for i in range(self.visible_slots()) if self.tiles[i].camera_id == camera_id), None)
            if slot is not None and self.tiles[slot].snapshot() is not None:
                self.snapshot_to_ticket(slot, ticket_id)
            elif slot is None or time.monotonic() > give_up:
                self.ctx.notify.warning(self.tr("Camera %1 showed no picture: the ticket has no snapshot, "
                                                "only the camera's name").replace("%1", camera_id))
            else:
                keep.append((camera_id, ticket_id, give_up))
        self._pending_snaps = keep
        if not keep:
            self._snap_timer.stop()

    def _on_tile_menu_requested(self, slot: int, pos) -> None:
        tile = self.tiles[slot]
        menu = QMenu(self)
        if self._current_ticket:
            act = menu.addAction(self.tr("Attach snapshot to the selected ticket"),
                                 lambda: self.snapshot_to_ticket(slot))
            act.setEnabled(tile.state == TileState.PLAYING)
        menu.addAction(self.tr("Restore") if self._maximised == slot else self.tr("Maximise"),
                       lambda: self.toggle_maximise(slot))
        if tile.camera is not None:
            menu.addAction(self.tr("Remove camera from tile"), lambda: self.assign(slot, None))
            cid = tile.camera_id
            menu.addAction(self.tr("Offline history…"), lambda: self.show_device_timeline(cid))
        menu.popup(pos)

    # -- detach ----------------------------------------------------------------------------
    def set_detached(self, on: bool) -> None:
        """Move the wall into its own top-level window (e.g. on a second screen), or back."""
        self.host.set_detached(on)

    def _restore_detached(self) -> None:
        self.set_detached(True)

    def _on_host_detached_changed(self, on: bool) -> None:
        if not self._closing:  # closing the console keeps the wall's own window for next time
            self.state.detached = on
        self.state.detached_geometry = self.host.window_geometry
        self.detach_action.blockSignals(True)
        self.detach_action.setChecked(on)
        self.detach_action.blockSignals(False)
        self.save_state()

    @property
    def detached_window(self) -> QWidget | None:
        return self.host.window_widget

    # -- status ----------------------------------------------------------------------------
    def playing_count(self, window_s: float = 2.0) -> int:
        return sum(1 for t in self.tiles if t.playing_recently(window_s))

    def usable(self) -> bool:
        """Cameras read, and every visible tile given a camera the platform reports
        online shows live frames."""
        if not self._loaded:
            return False
        playing, given = self.tiles_playing_visible()
        return playing == given

    def tiles_playing_visible(self) -> tuple[int, int]:
        """(visible tiles playing, visible tiles with a camera)."""
        shown = [t for t in self.tiles[:self.visible_slots()] if t.state not in (TileState.IDLE, TileState.OFFLINE)]
        return sum(1 for t in shown if t.playing_recently(2.0)), len(shown)

    def snapshot_info(self) -> dict:
        cameras = self._camera_count
        if not self._loaded:  # asked before the first read came back: count now (tiny table)
            cameras = repo_video.count_cameras(self.ctx.store)
        return {"cameras": cameras, "video_playing": self.playing_count(2.0)}

    def _refresh_status(self) -> None:
        self._status.setText(self.tr("%1 cameras · %2 playing").replace(
            "%1", str(self._camera_count)).replace("%2", str(self.playing_count())))

    def shutdown(self) -> None:
        """Stop every player (the window is closing)."""
        self._closing = True
        self.patrol.stop()
        self.host.set_detached(False)
        for t in self.tiles:
            t.stop()

    def closeEvent(self, event) -> None:  # noqa: N802
        self.shutdown()
        super().closeEvent(event)


def _do_load_cameras(store) -> tuple[list[dict], dict[str, str], Any]:
    cams = repo_video.list_cameras(store)
    names = repo_video.grid_names(store, {c["grid_id"] for c in cams if c["grid_id"]})
    return cams, names, repo_video.camera_policy(store)
