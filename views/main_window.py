"""The main window: four panels as docks, menus, status bar, notices and toasts.

Panels plug in by module and class name (``PANELS``); each is imported lazily and
built as ``Panel(ctx, parent)``. A panel whose module is missing or fails to
build is replaced by a placeholder that says so and shows the error; the rest of
the window works. The window paints first with light "loading" placeholders and
builds the panels in the following event-loop turns, so the first paint does not
wait for a web view or a video pipeline.

Dock layout lives in ``<data_dir>/layout.ini`` (not in the settings).
"""

from __future__ import annotations

import importlib
import logging
import time
import traceback
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from console import settings as S
from console.domain.formatting import format_clock, plausible_epoch
from console.qt import duty
from console.operations import command as command_ops
from console.operations import duty_pattern
from views.labels import shift_label, post_label
from widgets.link_indicator import make_indicator
from widgets.notice_bar import NoticeBar
from widgets.toast import ToastManager

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)
#: room left for the window manager's title bar when sizing the first window
TITLE_BAR_PX = 40

LAYOUT_VERSION = 1
#: how often the window asks its panels whether they are usable, until they all are
USABLE_POLL_MS = 50
#: after this long the window stops asking (a camera that never plays must not keep a
#: timer on the UI thread for the rest of the shift) and logs the panels still not usable
USABLE_GIVE_UP_S = 120.0
@dataclass(frozen=True)
class PanelSpec:
    name: str
    module: str
    cls: str
    title: str  # English source, context "MainWindow"
    area: Qt.DockWidgetArea


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("queue", "views.queue", "QueuePanel", QT_TRANSLATE_NOOP("MainWindow", "Ticket queue"),
              Qt.DockWidgetArea.LeftDockWidgetArea),
    PanelSpec("map", "views.map", "MapPanel", QT_TRANSLATE_NOOP("MainWindow", "Map"),
              Qt.DockWidgetArea.RightDockWidgetArea),
    PanelSpec("video", "views.video_wall", "VideoWallPanel", QT_TRANSLATE_NOOP("MainWindow", "Video wall"),
              Qt.DockWidgetArea.RightDockWidgetArea),
    PanelSpec("commander", "views.commander", "CommanderPanel", QT_TRANSLATE_NOOP("MainWindow", "Commander"),
              Qt.DockWidgetArea.RightDockWidgetArea),
)


class PanelPlaceholder(QWidget):
    """Stands in for a panel that could not be loaded (or is still loading)."""

    def __init__(self, name: str, error: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel_name = name
        self.error = error
        lay = QVBoxLayout(self)
        title = QLabel(self.tr("Panel not available") if error is not None else self.tr("Loading…"), self)
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setStyleSheet("font-size: 18px; color: #666;")
        self.title_label = title
        lay.addStretch(1)
        lay.addWidget(title)
        if error:
            details = QPlainTextEdit(error, self)
            details.setReadOnly(True)
            details.setMaximumHeight(160)
            details.setStyleSheet("font-family: monospace; font-size: 11px; color: #844;")
            lay.addWidget(details)
        lay.addStretch(1)


class MainWindow(QMainWindow):
    #: panel name, the panel widget (real or placeholder) — after it was built
    sig_panel_loaded = Signal(str, object)
    #: all panels built
    sig_panels_ready = Signal()
    #: the window is closing (layout saved)
    sig_closing = Signal()
    #: the officer asked for the keyboard shortcut sheet
    sig_shortcuts_requested = Signal()
    #: the window painted for the first time (panels are built after this)
    sig_first_paint = Signal()
    #: the officer locks the screen / hands the desk over (Ctrl+L)
    sig_lock_requested = Signal()
    #: every built panel reports itself usable (queue rows drawn, map markers drawn,
    #: wall tiles playing): {panel name: True} of the panels that were asked
    sig_usable = Signal(dict)

    def __init__(self, ctx: AppContext, paths: Any = None, lazy: bool = True,
                 panels: tuple[PanelSpec, ...] = PANELS, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.ctx = ctx
        self.paths = paths
        self.specs = panels
        self.docks: dict[str, QDockWidget] = {}
        self.panels: dict[str, QWidget] = {}
        self.errors: dict[str, str] = {}
        self._duty: duty.DutyNow | None = None
        self._duty_busy = False
        self._panels_ready = False
        self._waiting: set[str] = set()  # panels with a sig_loaded not yet emitted
        workstation = getattr(ctx.actor, "workstation", "") or ""
        self.setWindowTitle(self.tr("City operations duty console") + (f" — {workstation}" if workstation else ""))
        self._restored = False
        self._sized = False
        self.resize(*self._default_size())
        self.setDockNestingEnabled(True)
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowNestedDocks
                            | QMainWindow.DockOption.AllowTabbedDocks)

        # Docks fill the window: the central widget only exists because Qt wants one.
        central = QWidget(self)
        central.setObjectName("Central")
        central.hide()
        self.setCentralWidget(central)

        self.notice_bar = NoticeBar(self, self_hiding=False)
        bar = QToolBar(self.tr("Notices"), self)
        bar.setObjectName("NoticeToolbar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.toggleViewAction().setVisible(False)
        bar.addWidget(self.notice_bar)
        bar.setVisible(False)
        self.notice_toolbar = bar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        self.notice_bar.sig_shown.connect(lambda *_: bar.setVisible(True))
        self.notice_bar.sig_dismissed.connect(lambda: bar.setVisible(False))
        ctx.notify.sig_message.connect(self._on_notify_message)

        self.toasts = ToastManager(self, seconds=self._toast_seconds, play_sound=self._play_notice)
        ctx.notify.sig_toast.connect(self.toasts.show_toast)
        ctx.notify.sig_toast_keyed.connect(self.toasts.show_keyed)

        self._build_docks()
        self._build_menus()
        self._build_status_bar()
        self._default_state = self.saveState(LAYOUT_VERSION)
        self._restored = self.restore_layout()
        self.notice_toolbar.setVisible(False)  # the saved state may have it open: no notice yet

        self._painted = False
        self._lazy = lazy
        if lazy:
            # Build the panels once the window has painted (or after a second if it
            # never paints, e.g. minimised), one per event-loop turn.
            QTimer.singleShot(1000, self._start_loading)
        else:
            self.load_panels()

    # -- docks and panels -------------------------------------------------------------
    def _build_docks(self) -> None:
        for spec in self.specs:
            dock = QDockWidget(self.tr(spec.title), self)
            dock.setObjectName(f"dock_{spec.name}")
            dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                             | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                             | QDockWidget.DockWidgetFeature.DockWidgetClosable)
            dock.setAllowedAreas(Qt.DockWidgetArea.AllDockWidgetAreas)
            dock.setWidget(PanelPlaceholder(spec.name, None, dock))
            self.docks[spec.name] = dock
        # Default layout: the queue full height on the left; map | video on the right
        # with the commander panel below them.
        placed: set[str] = set()
        if {"map", "commander"} <= self.docks.keys():
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.docks["map"])
            self.splitDockWidget(self.docks["map"], self.docks["commander"], Qt.Orientation.Vertical)
            placed |= {"map", "commander"}
            if "video" in self.docks:
                self.splitDockWidget(self.docks["map"], self.docks["video"], Qt.Orientation.Horizontal)
                placed.add("video")
        for spec in self.specs:
            if spec.name not in placed:
                self.addDockWidget(spec.area, self.docks[spec.name])

    def _apply_default_sizes(self) -> None:
        """Proportions of the default layout; only meaningful once the window has its size."""
        w, h = max(self.width(), 800), max(self.height(), 600)
        names = [n for n in ("queue", "map", "video") if n in self.docks]
        shares = {"queue": 0.42, "map": 0.33, "video": 0.25}
        if names:
            self.resizeDocks([self.docks[n] for n in names], [int(w * shares[n]) for n in names],
                             Qt.Orientation.Horizontal)
        if {"map", "commander"} <= self.docks.keys():
            self.resizeDocks([self.docks["map"], self.docks["commander"]], [int(h * 0.58), int(h * 0.42)],
                             Qt.Orientation.Vertical)

    def load_panels(self) -> None:
        """Build every panel now (tests; the app builds them one per event-loop turn)."""
        for spec in self.specs:
            if spec.name not in self.panels:
                self._load_panel(spec)
        self._mark_ready()

    def paintEvent(self, event: Any) -> None:  # noqa: N802
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.sig_first_paint.emit()
            if self._lazy:
                QTimer.singleShot(0, self._start_loading)

    @Slot()
    def _start_loading(self) -> None:
        if not self._loading_started:
            self._loading_started = True
            self._load_next_panel()

    _loading_started = False

    @Slot()
    def _load_next_panel(self) -> None:
        for spec in self.specs:
            if spec.name not in self.panels:
                self._load_panel(spec)
                QTimer.singleShot(0, self._load_next_panel)
                return
        self._mark_ready()

    def _mark_ready(self) -> None:
        if not self._panels_ready:
            self._panels_ready = True
            if not self._restored and self.isVisible():
                # The real panels' size hints replaced the placeholders': set the proportions again.
                self._apply_default_sizes()
                self._default_state = self.saveState(LAYOUT_VERSION)
            self.sig_panels_ready.emit()
            self._usable_timer = QTimer(self)
            self._usable_timer.setInterval(USABLE_POLL_MS)
            self._usable_timer.timeout.connect(self._check_usable)
            self._usable_since = time.monotonic()
            self._usable_timer.start()

    def usable_parts(self) -> dict[str, bool]:
        """Each built panel with a ``usable()`` check: whether it is usable now."""
        parts: dict[str, bool] = {}
        for name, panel in self.real_panels().items():
            fn = getattr(panel, "usable", None)
            if callable(fn):
                try:
                    parts[name] = bool(fn())
                except Exception:  # noqa: BLE001 - a broken check is "not usable", never a crash
                    log.exception("usable check of %s failed", name)
                    parts[name] = False
        return parts

    @Slot()
    def _check_usable(self) -> None:
        parts = self.usable_parts()
        if all(parts.values()):
            self._usable_timer.stop()
            self.usable = True
            self.sig_usable.emit(parts)
        elif time.monotonic() - self._usable_since > USABLE_GIVE_UP_S:
            self._usable_timer.stop()
            log.warning("console not usable after %.0f s; still waiting for: %s", USABLE_GIVE_UP_S,
                        ", ".join(n for n, ok in parts.items() if not ok))

    #: every panel has drawn its first load (``sig_usable`` was emitted)
    usable = False

    @property
    def panels_ready(self) -> bool:
        return self._panels_ready

    def snapshot_ready(self) -> bool:
        """All panels built, and those announcing a first load (``sig_loaded``) have loaded."""
        if not self._panels_ready or self._waiting:
            return False
        for panel in self.real_panels().values():
            fn = getattr(panel, "snapshot_ready", None)
            if callable(fn):
                try:
                    if not fn():
                        return False
                except Exception:  # noqa: BLE001
                    log.exception("snapshot_ready failed")
        return True

    def _load_panel(self, spec: PanelSpec) -> QWidget:
        dock = self.docks[spec.name]
        started = time.perf_counter()
        try:
            module = importlib.import_module(spec.module)
            cls = getattr(module, spec.cls)
            panel = cls(self.ctx, dock)
        except Exception as exc:  # noqa: BLE001 - one broken panel must not take the window down
            text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            if not isinstance(exc, ModuleNotFoundError) or exc.name != spec.module:
                log.error("panel %s failed to load", spec.name, exc_info=True)
                text += "\n\n" + "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)[-6:])
            else:
                log.warning("panel %s is not installed (%s)", spec.name, spec.module)
            self.errors[spec.name] = text
            panel = PanelPlaceholder(spec.name, text, dock)
        else:
            log.info("panel %s built in %.0f ms", spec.name, (time.perf_counter() - started) * 1000)
            loaded = getattr(panel, "sig_loaded", None)
            if loaded is not None and hasattr(loaded, "connect") and not getattr(panel, "loaded_once", False):
                # (a panel whose first load finished inside its constructor is not waited for)
                self._waiting.add(spec.name)
                loaded.connect(lambda n=spec.name: self._waiting.discard(n))
        old = dock.widget()
        dock.setWidget(panel)
        if old is not None:
            old.deleteLater()
        self.panels[spec.name] = panel
        self.sig_panel_loaded.emit(spec.name, panel)
        return panel

    def real_panels(self) -> dict[str, QWidget]:
        return {n: p for n, p in self.panels.items() if not isinstance(p, PanelPlaceholder)}

    # -- menus ---------------------------------------------------------------------------
    def _build_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu(self.tr("&File"))
        self.action_settings = QAction(self.tr("&Settings…"), self)
        self.action_settings.setShortcut(QKeySequence.StandardKey.Preferences)
        self.action_settings.triggered.connect(self._on_settings_triggered)
        file_menu.addAction(self.action_settings)
        file_menu.addSeparator()
        self.action_lock = QAction(self.tr("&Lock / switch user"), self)
        self.action_lock.setShortcut(QKeySequence("Ctrl+L"))
        self.action_lock.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action_lock.triggered.connect(self.sig_lock_requested)
        file_menu.addAction(self.action_lock)
        self.action_quit = QAction(self.tr("&Quit"), self)
        self.action_quit.setShortcut(QKeySequence("Ctrl+Q"))
        self.action_quit.triggered.connect(self.confirm_quit)
        file_menu.addAction(self.action_quit)
        self.quit_box: QMessageBox | None = None

        view_menu = mb.addMenu(self.tr("&View"))
        self.view_menu = view_menu
        for spec in self.specs:
            act = self.docks[spec.name].toggleViewAction()
            act.setText(self.tr(spec.title))
            view_menu.addAction(act)
        view_menu.addSeparator()
        self.screen_menu = QMenu(self.tr("Move panel to screen"), self)
        self.screen_menu.aboutToShow.connect(self._on_screen_menu_about_to_show)
        view_menu.addMenu(self.screen_menu)
        self.action_reset_layout = QAction(self.tr("&Reset layout"), self)
        self.action_reset_layout.triggered.connect(self.reset_layout)
        view_menu.addAction(self.action_reset_layout)
        self.action_full_screen = QAction(self.tr("&Full screen"), self)
        self.action_full_screen.setShortcut(QKeySequence("F11"))
        self.action_full_screen.setCheckable(True)
        self.action_full_screen.toggled.connect(self._on_full_screen_toggled)
        view_menu.addAction(self.action_full_screen)

        help_menu = mb.addMenu(self.tr("&Help"))
        self.action_shortcuts = QAction(self.tr("&Keyboard shortcuts"), self)
        self.action_shortcuts.setShortcut(QKeySequence("F1"))
        self.action_shortcuts.triggered.connect(self.show_shortcuts)
        help_menu.addAction(self.action_shortcuts)
        self.action_about = QAction(self.tr("&About"), self)
        self.action_about.triggered.connect(self._on_about_triggered)
        help_menu.addAction(self.action_about)

    @Slot()
    def confirm_quit(self) -> None:
        """The console must stay up in the hall: quitting asks first (no nested loop)."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Quit the duty console"),
                          self.tr("Quit the duty console on this workstation? Unsent actions are kept "
                                  "and sent at the next start. To hand the desk to the next officer, "
                                  "use Lock / switch user (Ctrl+L) instead."),
                          QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("QuitConfirm")
        self.quit_yes = box.addButton(self.tr("Quit"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Keep running"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(box.buttons()[-1])
        box.setWindowModality(Qt.WindowModality.WindowModal)
        box.finished.connect(lambda _r: self.close() if box.clickedButton() is self.quit_yes else None)
        self.quit_box = box
        box.open()

    @Slot()
    def _on_screen_menu_about_to_show(self) -> None:
        self.screen_menu.clear()
        screens = QGuiApplication.screens()
        for spec in self.specs:
            sub = self.screen_menu.addMenu(self.tr(spec.title))
            for i, screen in enumerate(screens):
                act = sub.addAction(self.tr("Screen %1 (%2)").replace("%1", str(i + 1)).replace("%2", screen.name()))
                act.triggered.connect(lambda _=False, n=spec.name, k=i: self.float_dock_on_screen(n, k))

    def float_dock_on_screen(self, name: str, screen_index: int) -> None:
        """Float a dock and maximise it on another screen (the hall's big display)."""
        screens = QGuiApplication.screens()
        if not screens:
            return
        screen = screens[min(screen_index, len(screens) - 1)]
        dock = self.docks[name]
        dock.show()
        dock.setFloating(True)
        dock.setGeometry(screen.availableGeometry())

    @Slot(bool)
    def _on_full_screen_toggled(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    def show_shortcuts(self) -> None:
        """Help → Keyboard shortcuts: the window's own, the queue's sheet
        (``views.shortcuts.shortcut_rows()``) and each panel's ``shortcuts()``."""
        self.sig_shortcuts_requested.emit()
        from views.about import ShortcutSheet

        self._sheet = ShortcutSheet(self.shortcut_rows(), self)
        self._sheet.show()

    def shortcut_rows(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        for act in self.findChildren(QAction):
            if not act.shortcut().isEmpty() and act.text():
                rows.append((act.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
                             act.text().replace("&", "")))
        providers: list[Callable[[], Any]] = []
        try:
            sheet_mod = importlib.import_module("views.shortcuts")
            if callable(getattr(sheet_mod, "shortcut_rows", None)):
                providers.append(sheet_mod.shortcut_rows)
        except Exception:  # noqa: BLE001 - optional module
            log.debug("no views.shortcuts", exc_info=True)
        for panel in self.real_panels().values():
            extra = getattr(panel, "shortcuts", None)
            if callable(extra):
                providers.append(extra)
        for provider in providers:
            try:
                rows.extend((str(k), str(v)) for k, v in provider())
            except Exception:  # noqa: BLE001
                log.exception("shortcut provider failed")
        return list(dict.fromkeys(rows))

    @Slot()
    def _on_settings_triggered(self) -> None:
        from views.settings_dialog import SettingsDialog

        self._settings_dialog = SettingsDialog(self.ctx.settings, self)
        self._settings_dialog.show()

    @Slot()
    def _on_about_triggered(self) -> None:
        from views.about import AboutDialog

        self._about = AboutDialog(self.paths, self)
        self._about.show()

    # -- status bar ----------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        sb = self.statusBar()
        self.link_indicator = make_indicator(self.ctx, self)
        self.shift_label = QLabel(self)
        self.shift_label.setObjectName("ShiftLabel")
        self.commander_label = QLabel(self)
        self.commander_label.setObjectName("CommanderLabel")
        self.user_label = QLabel(self)
        self.user_label.setObjectName("UserLabel")
        self.clock_label = QLabel(self)
        self.clock_label.setObjectName("ClockLabel")
        self.clock_label.setStyleSheet("font-family: monospace; font-weight: bold; font-size: 14px;")
        sb.addPermanentWidget(self.link_indicator)
        sb.addPermanentWidget(self.shift_label)
        sb.addPermanentWidget(self.commander_label)
        sb.addPermanentWidget(self.user_label)
        sb.addPermanentWidget(self.clock_label)
        actor = self.ctx.actor
        if actor is not None:
            from views.labels import role_label

            post = post_label(getattr(actor, "post", ""))
            self.user_label.setText(f"{actor.name}（{role_label(actor.role)}{' · ' + post if post else ''}）")
        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._on_clock_timeout)
        self._clock_timer.start()
        self._on_clock_timeout()
        if self.ctx.journal is not None:
            self.ctx.journal.sig_changed.connect(self._on_journal_changed)
        self.refresh_duty()

    def _platform_now(self) -> float:
        try:
            now = plausible_epoch(self.ctx.clock())
        except Exception:  # noqa: BLE001
            now = None
        return time.time() if now is None else now   # a clock gone wrong: our own

    @Slot()
    def _on_clock_timeout(self) -> None:
        now = self._platform_now()
        self.clock_label.setText(format_clock(now))
        # Refresh who is on duty at every minute boundary (shift changes at :00).
        if int(now) % 60 == 0 or self._duty is None:
            self.refresh_duty()

    @Slot(dict)
    def _on_journal_changed(self, changed: dict) -> None:
        if {"roster", "duty_pattern", "command", "night_watch"} & changed.keys():
            self.refresh_duty()

    def refresh_duty(self) -> None:
        """Read the shift and rotating commander off the UI thread."""
        if self._duty_busy or self.ctx.store is None:
            return
        self._duty_busy = True
        duty_pattern.set_fallback_starts(self.ctx.settings.get(S.SHIFT_TIMES))
        command_ops.set_absent_after(60.0 * self.ctx.settings.get(S.COMMAND_ABSENT_MINUTES))
        self.ctx.tasks.run(duty.duty_now, self.ctx.store, self._platform_now(),
                           on_done=self._on_duty_done, on_error=self._on_duty_failed)

    def _on_duty_done(self, now: duty.DutyNow) -> None:
        self._duty_busy = False
        self._duty = now
        text = shift_label(now.shift)
        if now.night_watch:   # night mode: who holds the live video watch
            text += " · " + self.tr("Night mode: video watch with %1").replace("%1", now.night_watch)
        self.shift_label.setText(text)
        commander = now.commander or self.tr("not on roster")
        self.commander_label.setText(self.tr("Commander: %1").replace("%1", commander))

    def _on_duty_failed(self, exc: BaseException) -> None:
        self._duty_busy = False
        log.warning("duty query failed: %s", exc)

    @property
    def duty(self) -> duty.DutyNow | None:
        return self._duty

    # -- notices -------------------------------------------------------------------------
    @Slot(str, str)
    def _on_notify_message(self, level: str, text: str) -> None:
        if level in ("error", "warning"):
            self.notice_bar.add_message(level, text)
        else:
            self.statusBar().showMessage(text, 8000)

    def _toast_seconds(self) -> float:
        return float(self.ctx.settings.get(S.TOAST_SECONDS))

    def _play_notice(self) -> None:
        if self.ctx.settings.get(S.SOUND_ENABLED):
            self.link_indicator.play("notice")

    def show_bootstrap(self, applied: int, done: bool) -> None:
        if done:
            self.statusBar().showMessage(self.tr("Loaded from the platform: %1 changes").replace("%1", str(applied)),
                                         8000)
        else:
            self.statusBar().showMessage(self.tr("Loading from the platform: %1 changes so far…")
                                         .replace("%1", str(applied)))

    # -- layout --------------------------------------------------------------------------
    @staticmethod
    def _default_size() -> tuple[int, int]:
        screen = QGuiApplication.primaryScreen()
        # The offscreen platform reports a tiny 800x600 screen: render a hall-sized
        # window there instead.
        if screen is None or QGuiApplication.platformName() == "offscreen":
            return 1920, 1080
        return MainWindow.fit_size(screen.availableGeometry())

    @staticmethod
    def fit_size(avail: Any) -> tuple[int, int]:
        """The first-start size on a screen with ``avail`` (available geometry): the
        whole window, title bar and status bar included, on the screen."""
        return min(1920, avail.width()), min(1080, avail.height() - TITLE_BAR_PX)

    def showEvent(self, event: Any) -> None:  # noqa: N802
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            if not self._restored:
                self._apply_default_sizes()
                self._default_state = self.saveState(LAYOUT_VERSION)

    def _layout_settings(self) -> QSettings | None:
        if self.paths is None:
            return None
        return QSettings(str(self.paths.layout), QSettings.Format.IniFormat)

    def save_layout(self) -> None:
        qs = self._layout_settings()
        if qs is None:
            return
        qs.setValue("window/geometry", self.saveGeometry())
        qs.setValue("window/state", self.saveState(LAYOUT_VERSION))
        qs.setValue("window/version", LAYOUT_VERSION)
        qs.sync()

    def restore_layout(self) -> bool:
        qs = self._layout_settings()
        if qs is None:
            return False
        geometry, state = qs.value("window/geometry"), qs.value("window/state")
        ok = False
        # Offscreen (snapshots, CI) has a fake 800x600 screen that would squeeze the
        # restored window; keep the hall-sized default there and restore only the docks.
        if geometry is not None and QGuiApplication.platformName() != "offscreen":
            self.restoreGeometry(geometry)
        if state is not None:
            ok = bool(self.restoreState(state, LAYOUT_VERSION))
            if not ok:
                log.warning("saved dock layout not usable; using the default")
        return ok

    @Slot()
    def reset_layout(self) -> None:
        for dock in self.docks.values():
            dock.setFloating(False)
        self.restoreState(self._default_state, LAYOUT_VERSION)
        for dock in self.docks.values():
            dock.show()
        self._apply_default_sizes()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.save_layout()
        self.sig_closing.emit()
        super().closeEvent(event)

    # -- snapshot ------------------------------------------------------------------------
    def visible_panels(self) -> dict[str, QWidget]:
        """The real panels whose docks are shown, in dock order (the snapshot reads them)."""
        real = self.real_panels()
        return {s.name: real[s.name] for s in self.specs if s.name in real and self.docks[s.name].isVisible()}
