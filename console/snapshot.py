"""The ``--snapshot PATH --quit-after S`` check.

After S seconds (and, bounded, until the panels report their first load) the main
window is rendered to PATH and exactly one JSON line goes to stdout.

The JSON is built here and only here, one function per key group. To add keys, add a
function with ``@key_group(key=default, ...)``: the defaults are what the line says
when there is no window or the function fails, so every key is always present and
the set of keys is ``keys()``. A group reads what it needs from ``Source``: the
context, the window, and the ``snapshot_info()`` of the visible panels.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QObject, QTimer

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from console.qt.context import AppContext
    from views.main_window import MainWindow

log = logging.getLogger(__name__)

GRACE_S = 60.0   # most extra wait for the window to be ready after --quit-after
BOOTSTRAP_SETTLE_S = 3.0  # after the first load from the platform, for the panels to draw it
SETTLE_MS = 800  # paint time for web views after they report loaded


# -- the JSON line ------------------------------------------------------------------
@dataclass
class Source:
    ctx: AppContext | None
    window: MainWindow | None

    def panels(self) -> dict[str, QWidget]:
        return self.window.visible_panels() if self.window is not None else {}

    def panel_info(self, name: str) -> dict[str, Any]:
        """``snapshot_info()`` of the visible panel ``name`` ({} when hidden or absent)."""
        fn = getattr(self.panels().get(name), "snapshot_info", None)
        return dict(fn() or {}) if callable(fn) else {}


KeyGroup = Callable[[Source], dict[str, Any]]
#: (defaults, function) in JSON order
GROUPS: list[tuple[dict[str, Any], KeyGroup]] = []


def key_group(**defaults: Any) -> Callable[[KeyGroup], KeyGroup]:
    def register(fn: KeyGroup) -> KeyGroup:
        GROUPS.append((defaults, fn))
        return fn
    return register


@key_group(panels=[])
def _panels(src: Source) -> dict[str, Any]:
    return {"panels": [getattr(p, "panel_name", name) for name, p in src.panels().items()]}


@key_group(tickets=0, link="offline", pending_outbox=0)
def _store_and_link(src: Source) -> dict[str, Any]:
    from localdb import queue_query
    from localdb.outbox import depth

    ctx = src.ctx
    if ctx is None:
        return {}
    info: dict[str, Any] = {"link": ctx.link.state, "pending_outbox": int(ctx.link.outbox_depth or 0)}
    with ctx.store.session() as s:
        info["tickets"] = queue_query.total(s)
        info["pending_outbox"] = depth(s)
    return info


@key_group(cameras=0, video_playing=0)
def _video(src: Source) -> dict[str, Any]:
    info = src.panel_info("video")
    return {k: info[k] for k in ("cameras", "video_playing") if k in info}


@key_group(grid_layers=0, base_map_tiles=0)
def _map(src: Source) -> dict[str, Any]:
    info = src.panel_info("map")
    return {k: info[k] for k in ("grid_layers", "base_map_tiles") if k in info}


@key_group(queue_first=[])
def _queue(src: Source) -> dict[str, Any]:
    """The first five rows of the tab the console opens on."""
    info = src.panel_info("queue")
    return {"queue_first": info["queue_first"]} if "queue_first" in info else {}


@key_group(store="sqlite", desks_online=None, sync_holder=None)
def _hall(src: Source) -> dict[str, Any]:
    """The store mode; in hall mode the desks alive and the process that syncs."""
    ctx = src.ctx
    if ctx is None:
        return {}
    dialect = getattr(ctx.store, "dialect", "sqlite")
    if dialect != "postgresql":
        return {"store": dialect}
    from localdb import hall

    with ctx.store.session() as s:
        desks = len(hall.online(s))
        holder = hall.holder(s)
    return {"store": dialect, "desks_online": desks,
            "sync_holder": (holder.get("label") or holder.get("workstation")) if holder else None}


@key_group(shift="", commander="")
def _duty(src: Source) -> dict[str, Any]:
    from console.qt.duty import duty_now

    if src.ctx is None:
        return {}
    now = getattr(src.window, "duty", None) or duty_now(src.ctx.store, src.ctx.clock())
    return {"shift": now.shift, "commander": now.commander}


@key_group(duty_pattern="", command_holder=None, night_watch=None)
def _command(src: Source) -> dict[str, Any]:
    """The street's duty pattern, who holds command now ({"name", "role", "acting"}: acting
    when a deputy stands in) and, in night mode, who holds the video watch."""
    from console.domain import command as C
    from console.operations import command, duty_pattern, night

    if src.ctx is None:
        return {}
    store, now = src.ctx.store, float(src.ctx.clock())
    pattern = duty_pattern.pattern_of(store)
    held = command.command_now(store, now)
    info: dict[str, Any] = {"duty_pattern": pattern.kind}
    if isinstance(held, C.Holder):
        info["command_holder"] = {k: held.to_dict()[k] for k in ("name", "role", "acting")}
    w = night.night_watch(store)
    if w is not None:
        info["night_watch"] = {"station": w["station"], "handed_by": w["handed_by"],
                               "since": w["handed_at"]}
    return info


@key_group(vital_signs=0, alarms_open=0)
def _eyes(src: Source) -> dict[str, Any]:
    from PySide6.QtWidgets import QWidget

    from localdb import repo_devices

    info: dict[str, Any] = {}
    if src.ctx is not None:
        with src.ctx.store.session() as s:
            info["alarms_open"] = repo_devices.open_alarm_count(s)
    if src.window is not None:
        views = src.window.findChildren(QWidget, "VitalSignsView")
        shown = [v.snapshot_info().get("vital_signs", 0) for v in views if hasattr(v, "snapshot_info")]
        info["vital_signs"] = max(shown, default=0)
    return info


@key_group(plans=0, emergency=None)
def _emergency(src: Source) -> dict[str, Any]:
    """How many plans the desk holds; the running emergency's plan and level, or null."""
    from localdb import repo_commander as rc

    if src.ctx is None:
        return {}
    with src.ctx.store.session() as s:
        e = rc.active_emergency(s)
        info: dict[str, Any] = {"plans": rc.plan_count(s), "emergency": None}
    if e is not None:
        info["emergency"] = {"plan": e["plan_id"], "plan_version": e["plan_version"], "type": e["kind"],
                             "level": e["level"], "title": e["title"], "started_at": e["started_at"]}
    return info


@key_group(mode="desk", screen=None)
def _mode(src: Source) -> dict[str, Any]:
    if src.window is not None and getattr(src.window, "panel_name", "") == "wall":
        return {"mode": "wall", "screen": getattr(src.window, "screen_index", None)}
    return {}


def keys() -> list[str]:
    """Every key of the line, in order."""
    return [k for defaults, _fn in GROUPS for k in defaults]


def collect(ctx: AppContext | None, window: MainWindow | None) -> dict[str, Any]:
    """The snapshot JSON object: every key of every group, in group order."""
    src = Source(ctx, window)
    info: dict[str, Any] = {}
    for defaults, fn in GROUPS:
        info.update(defaults)
        try:
            values = fn(src)
        except Exception:  # noqa: BLE001 - the line still has every key
            log.exception("snapshot group %s failed", fn.__name__)
            continue
        info.update({k: v for k, v in values.items() if k in defaults})
    return info


# -- taking it ----------------------------------------------------------------------
class SnapshotCheck(QObject):
    """Waits for the window, renders it to ``target`` and writes the JSON line to
    ``stdout_fd`` (or stdout), then exits the application with the resulting code."""

    def __init__(self, app: Any, target: Path, stdout_fd: int | None,
                 ctx: Callable[[], AppContext | None], window: Callable[[], QWidget | None],
                 fallback: Callable[[], QWidget | None]) -> None:
        super().__init__(app)
        self.app = app
        self.target = target
        self.stdout_fd = stdout_fd
        self._ctx, self._window, self._fallback = ctx, window, fallback
        self.exit_code = 0
        self._cap = 0.0
        self._settled_at: float | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(200)
        self._poll.timeout.connect(self._on_poll)

    def start(self) -> None:
        # Past the deadline, still wait (bounded) for the window and its panels' first
        # load: a slow demo platform or web view must not give a half-drawn picture.
        self._cap = time.monotonic() + GRACE_S
        self._poll.start()
        self._on_poll()

    def _bootstrapped(self) -> bool:
        """Online, the first load from the platform has finished (plus a moment for the
        panels to draw it): a snapshot of a demo still loading shows an empty map."""
        ctx = self._ctx()
        engine = getattr(ctx, "sync", None)
        puller = getattr(engine, "puller", None)
        if puller is None or getattr(engine, "link_state", "online") != "online":
            return True
        if getattr(puller, "bootstrapping", False):
            self._settled_at = None
            return False
        if self._settled_at is None:
            self._settled_at = time.monotonic() + BOOTSTRAP_SETTLE_S
        return time.monotonic() >= self._settled_at

    def _on_poll(self) -> None:
        window = self._window()
        ready = window is not None and window.snapshot_ready() and self._bootstrapped()
        if not ready and time.monotonic() < self._cap:
            return
        if not ready:
            log.warning("snapshot: panels not ready after %.0f s more; taking it anyway", GRACE_S)
        self._poll.stop()
        if window is not None:
            window.raise_()
            window.update()
        # Let web views and video tiles paint their last frame before grabbing.
        QTimer.singleShot(SETTLE_MS, self._take)

    def _take(self) -> None:
        window = self._window()
        info = collect(self._ctx(), window)
        self.target.parent.mkdir(parents=True, exist_ok=True)
        widget = window or self._fallback()
        try:
            if widget is None:
                log.error("nothing to snapshot: the main window never opened")
                self.exit_code = 1
            elif not widget.grab().save(str(self.target), "PNG"):
                log.error("could not write %s", self.target)
                self.exit_code = 1
        except Exception:  # noqa: BLE001
            log.exception("snapshot failed")
            self.exit_code = 1
        line = (json.dumps(info, ensure_ascii=False) + "\n").encode("utf-8")
        if self.stdout_fd is not None:
            os.write(self.stdout_fd, line)
        else:
            sys.stdout.buffer.write(line)
            sys.stdout.flush()
        self.app.exit(self.exit_code)
