"""The composition root: builds the store, the context, the platform link, the login
and the main window, and shuts them down in reverse.

local store -> context -> platform link (sync engine in its own threads, started
before login so a fresh workstation receives its user list) -> login -> main
window -> journal follower. Every stage after ``app.exec()`` starts is a callback:
the UI thread never waits on the network or the demo simulator. ``console.app`` (the
command line) resolves paths, settings and the platform and calls ``run``.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console import logs
from console import settings as S
from console.paths import Paths

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from console.domain.model import Actor
    from console.qt.context import AppContext
    from console.qt.demo import DemoPlatform
    from console.qt.sync_bridge import SyncBridge
    from console.snapshot import SnapshotCheck
    from localdb import Store
    from views.login import LoginDialog
    from views.main_window import MainWindow

log = logging.getLogger(__name__)

#: Heavy Qt-free modules imported in the background during start-up.
PREWARM_MODULES = ("localdb", "localdb.repo", "alembic.command", "console.sync.engine")

#: Set-up some panels need before the QApplication exists (module, function); optional.
PRE_APP_HOOKS = (("views.map_tiles", "register_scheme"), ("console.qt.media", "quiet_libav"))


def wall_memory_profile() -> None:
    """The display wall runs for weeks on a small PC: keep its memory low. Fewer glibc malloc
    arenas (decoder and pool threads each get one otherwise), freed memory handed back to
    the system sooner, and Chromium's low-memory mode for the map page. Before any thread."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--enable-low-end-device-mode" not in flags:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " --enable-low-end-device-mode").strip()
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL("libc.so.6")
            m_trim_threshold, m_mmap_threshold, m_arena_max = -1, -3, -8   # glibc mallopt parameters
            libc.mallopt(m_arena_max, 2)
            libc.mallopt(m_mmap_threshold, 64 * 1024)
            libc.mallopt(m_trim_threshold, 64 * 1024)
        except (OSError, AttributeError) as exc:  # not glibc: the defaults stay
            log.info("wall memory profile: malloc tuning not available (%s)", exc)


def prepare_environment() -> None:
    """Environment Qt reads at start-up; must run before the first Qt import."""
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM") \
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        print("duty-console: warning: no DISPLAY or WAYLAND_DISPLAY; running offscreen "
              "(nothing will appear on screen)", file=sys.stderr)
    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--disable-gpu")


def pick_cjk_font(app: QApplication) -> str | None:
    """Set an application font that has Chinese glyphs (no tofu)."""
    from PySide6.QtGui import QFont, QFontDatabase

    families = set(QFontDatabase.families())
    for family in ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei",
                   "Microsoft YaHei", "PingFang SC", "Noto Sans CJK JP", "Noto Serif CJK SC"):
        if family in families:
            font = QFont(family)
            font.setPointSize(max(10, app.font().pointSize()))
            app.setFont(font)
            return family
    log.warning("no CJK font found; Chinese may not render (install fonts-noto-cjk)")
    return None


class ConsoleApp:
    """Builds and owns the parts, stage by stage; each stage is a Qt callback."""

    def __init__(self, app: QApplication, args: argparse.Namespace, paths: Paths, settings: S.Settings,
                 started: float, stdout_fd: int | None = None) -> None:
        from console.qt.context import Notifier, TaskRunner

        self.app = app
        self.args = args
        self.paths = paths
        self.settings = settings
        self.started = started
        self.stdout_fd = stdout_fd
        self.notify = Notifier()
        self.tasks = TaskRunner()
        self.store: Store | None = None
        self.ctx: AppContext | None = None
        self.bridge: SyncBridge | None = None
        self.demo: DemoPlatform | None = None
        self.window: MainWindow | None = None
        self.login_dialog: LoginDialog | None = None
        self.snapshot: SnapshotCheck | None = None
        self.exit_code = 0
        self.workstation = args.workstation or settings.get(S.WORKSTATION_ID)
        self.token: str | None = args.token
        self.platform_url: str | None = None

    # -- stages ---------------------------------------------------------------------
    def start(self) -> None:
        from PySide6.QtCore import QTimer

        from console.qt import errors

        errors.install(self.notify)
        self.app.aboutToQuit.connect(self.shutdown)
        if self.args.quit_after is not None:
            delay = max(0.0, self.args.quit_after - (time.monotonic() - self.started))
            QTimer.singleShot(int(delay * 1000), self._on_quit_timer)
        QTimer.singleShot(0, self.open_store)

    def open_store(self) -> None:
        from console.qt import errors
        from localdb import Store, StoreError, crypto

        t = time.perf_counter()
        crypto.configure(self.settings.get(S.KEY_FILE) or None)  # recovery opens with it too
        marker = self._recover_marker()
        try:
            # asked to recover last time (damage seen while running): check in full
            self.store = Store.open(self.store_target(), check=True if marker and marker.exists() else None)
        except StoreError as exc:
            log.error("store: %s", exc)
            self._store_failed(exc)
            return
        if marker is not None:
            marker.unlink(missing_ok=True)
        log.info("store opened in %.0f ms", (time.perf_counter() - t) * 1000)
        self.make_context()
        self.notify.sig_store_damage.connect(self._on_store_damage)
        errors.on_store_damage(self.notify.sig_store_damage.emit)
        if not getattr(self.store, "checked", True):
            # too big for the check at open: the whole check runs in the background
            self.tasks.run(self.store.verify, on_done=lambda p: p and self._on_store_damage(p))
        from console.qt.audit_check import check_at_start

        check_at_start(self.store, self.tasks, self.notify)
        self.connect_platform()
        self.login()

    def store_target(self) -> Any:
        """The hall database URL (setting ``store``) or this desk's own file."""
        target = (self.settings.get(S.STORE) or "").strip()
        if not target:
            return self.paths.store
        from urllib.parse import urlsplit

        from localdb.store import is_store_url

        if is_store_url(target):
            pw = urlsplit(target).password
            if pw:
                logs.add_secret(pw)
            return target
        return Path(target).expanduser()

    def _recover_marker(self) -> Path | None:
        target = self.store_target()
        if isinstance(target, str):
            return None   # the hall database: repaired on its server
        return Path(target).with_name(Path(target).name + ".recover")

    def _on_store_damage(self, problem: str) -> None:
        """The store cannot be read (found while running): the status bar says so, never
        "online", and the officer is offered recovery (quit now; the next start checks
        the file in full and offers to move it aside, keeping the unsent actions)."""
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QMessageBox

        if self.ctx is None or self.ctx.link.store_problem is not None:
            if self.ctx is not None:
                self.ctx.link.set_store_problem(problem)
            return
        self.ctx.link.set_store_problem(problem)
        tr = QCoreApplication.translate
        self.notify.error(tr("app", "The local store is damaged: %1").replace("%1", problem[:200]))
        if self.args.snapshot or self.args.quit_after is not None:
            return
        box = QMessageBox(QMessageBox.Icon.Critical, tr("app", "Local store damaged"),
                          tr("app", "This desk cannot read its local store. Quit and recover: the "
                                    "console closes, and at the next start the damaged file is moved "
                                    "aside, the actions not yet sent are kept and the rest is rebuilt "
                                    "from the district platform (or run: duty-console recover)."),
                          parent=self.window)
        box.setObjectName("StoreDamageBox")
        box.setDetailedText(problem)
        quit_button = box.addButton(tr("app", "Quit and recover"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(tr("app", "Later"), QMessageBox.ButtonRole.RejectRole)

        def _chosen(button: object) -> None:
            if button is quit_button:
                marker = self._recover_marker()
                if marker is not None:
                    try:
                        marker.write_text(problem[:2000], encoding="utf-8")
                    except OSError as exc:
                        log.error("cannot write %s: %s", marker, exc)
                self.app.quit()
        box.buttonClicked.connect(_chosen)
        self._damage_box = box
        box.open()

    def _store_failed(self, exc: Exception) -> None:
        if self.args.snapshot or self.args.quit_after is not None:
            print(f"duty-console: {exc}", file=sys.stderr)
            self.exit_code = 1
            self.app.exit(1)
            return
        from views.store_error import StoreErrorDialog

        dlg = StoreErrorDialog(exc, self.store_target())
        dlg.sig_recovered.connect(self.open_store)
        dlg.rejected.connect(lambda: self.app.exit(1))
        self._store_dialog = dlg
        dlg.open()

    def make_context(self) -> None:
        from console.qt.context import AppContext

        self.ctx = AppContext(store=self.store, actor=None, settings=self.settings,
                              notify=self.notify, tasks=self.tasks, paths=self.paths)
        if getattr(self.store, "dialect", "sqlite") == "postgresql":
            from console.hall.presence import PresenceBeat

            self.ctx.presence = PresenceBeat(self.store, self.workstation, self.workstation).start()

    def connect_platform(self) -> None:
        if self.args.demo:
            from console.qt.demo import DemoPlatform

            self.demo = DemoPlatform(self.paths.demo_dir, seed=self.args.seed or self.settings.get(S.DEMO_SEED),
                                     extra_args=self.args.demo_sim_arg)
            self.token = self.demo.token
            logs.add_secret(self.token)
            self.demo.start()
            self.tasks.run(self.demo.wait_ready, on_done=self._on_demo_ready, on_error=self._on_demo_failed)
        else:
            self._start_sync(self.platform_url or "")

    def _on_demo_ready(self, url: str) -> None:
        self._start_sync(url)

    def _on_demo_failed(self, exc: BaseException) -> None:
        log.error("demo platform failed: %s", exc)
        from PySide6.QtCore import QCoreApplication

        self.notify.error(QCoreApplication.translate("app", "The demo platform did not start: %1")
                          .replace("%1", str(exc)))

    def _start_sync(self, url: str) -> None:
        from console.qt.sync_bridge import SyncBridge

        self.platform_url = url
        try:
            self.bridge = SyncBridge.connect_platform(self.ctx, url, self.token or "", self.workstation,
                                                      parent=self.app)
        except Exception as exc:  # noqa: BLE001 - the console still works on its local store
            log.exception("sync engine not available")
            from PySide6.QtCore import QCoreApplication

            self.notify.error(QCoreApplication.translate("app", "Cannot connect to the platform: %1")
                              .replace("%1", str(exc)))
            return
        self.bridge.sig_bootstrap.connect(self._on_bootstrap)
        self.bridge.start()

    def _on_bootstrap(self, applied: int, done: bool) -> None:
        if self.window is not None:
            self.window.show_bootstrap(applied, done)

    def _confirm(self, *args: Any) -> Any:
        """The platform confirms a login while a client exists (else the desk's cache decides)."""
        from console.operations.auth import Unreachable
        from console.qt import duty

        client = getattr(getattr(self.bridge, "engine", None), "client", None)
        if client is None:
            raise Unreachable("not connected to the platform")
        return duty.confirmer(client)(*args)

    def login(self) -> None:
        from console.qt import duty
        from console.qt.demo import demo_credentials

        if self.args.wall:  # the display wall shows without a login and takes no actions
            self.show_wall()
            return
        user, pin = self.args.user, self.args.pin
        unattended = self.args.snapshot is not None or self.args.quit_after is not None
        if user is None and self.args.demo and unattended:
            # A demo snapshot needs no interaction: log in as the demo officer.
            user, pin = demo_credentials()
        if user is not None:
            from console.qt.autologin import AutoLogin

            self._auto = AutoLogin(self.store, user, pin or "", self.workstation, parent=self.app,
                                   lockout=duty.lockout_from(self.settings), confirm=self._confirm)
            self._auto.sig_done.connect(self.show_window)
            self._auto.sig_failed.connect(self._on_login_failed)
            self._auto.start()
            return
        from views.login import LoginDialog

        demo_user, demo_pin = demo_credentials()
        self.login_dialog = LoginDialog(self.store, self.workstation, demo=self.args.demo,
                                        demo_pin=demo_pin if self.args.demo else None,
                                        clock=self.ctx.clock,
                                        lockout=duty.lockout_from(self.settings), confirm=self._confirm)
        if self.args.demo:  # one Enter logs in as the demo officer; the list offers the others
            self.login_dialog.user_edit.setText(demo_user)
            self.login_dialog.pin_edit.setText(demo_pin)
        self.login_dialog.sig_logged_in.connect(self.show_window)
        self.login_dialog.rejected.connect(self.app.quit)
        self.login_dialog.show()

    def _on_login_failed(self, message: str) -> None:
        print(f"duty-console: {message}", file=sys.stderr)
        log.error("login failed: %s", message)
        if self.args.snapshot is None:
            self.exit_code = 3
            self.app.exit(3)

    def show_window(self, actor: Actor, previous: str | None = None) -> None:
        from console.operations import sessions
        from views.main_window import MainWindow

        self.ctx.actor = actor
        if self.ctx.presence is not None:
            self.ctx.presence.set_user(actor.user_id, actor.name)
        self._audit_session(sessions.session_opened, actor, previous=previous)
        t = time.perf_counter()
        self.window = MainWindow(self.ctx, self.paths)
        self.window.sig_first_paint.connect(self._on_first_paint)
        self.window.sig_panels_ready.connect(self._on_panels_ready)
        self.window.sig_usable.connect(self._on_usable)
        self.window.sig_lock_requested.connect(self.lock)
        self.window.show()
        log.info("main window built in %.0f ms, shown %.2f s after start",
                 (time.perf_counter() - t) * 1000, time.monotonic() - self.started)
        if self.ctx.journal is not None:
            self.ctx.journal.start()

    def show_wall(self) -> None:
        from views.wall_mode import WallWindow

        self.ctx.actor = None
        self.window = WallWindow(self.ctx, screen=self.args.screen, video_layout=self.args.layout or "2x2")
        self.window.sig_first_paint.connect(self._on_first_paint)
        if self.window.screen_warning:
            print(f"duty-console: {self.window.screen_warning}", file=sys.stderr)
        self.window.showFullScreen()
        if self.ctx.journal is not None:
            self.ctx.journal.start()

    # -- lock screen / switch user ---------------------------------------------------------
    def _audit_session(self, fn: object, actor: Actor, *args: object, **kwargs: object) -> None:
        def _failed(exc: BaseException) -> None:
            log.error("session audit failed: %s", exc)

        self.ctx.tasks.run(fn, self.store, actor, float(self.ctx.clock()), *args, write=True,
                           on_error=_failed, **kwargs)

    def lock(self) -> None:
        """Hide the desk behind the login: the same officer comes back, or the next one
        takes over (a new window for them; store, link and journal stay up)."""
        from console.operations import sessions
        from console.qt import duty
        from console.qt.demo import demo_credentials
        from views.login import LoginDialog

        if self.window is None or self.ctx.actor is None:
            return
        old = self.ctx.actor
        if self.ctx.presence is not None:
            self.ctx.presence.set_user(None, None)  # a locked desk has nobody at a ticket
        self._audit_session(sessions.session_closed, old, "lock")
        self.window.save_layout()
        self.window.hide()
        _user, demo_pin = demo_credentials()
        dlg = LoginDialog(self.store, self.workstation, demo=self.args.demo,
                          demo_pin=demo_pin if self.args.demo else None,
                          clock=self.ctx.clock, locked_by=old.name,
                          lockout=duty.lockout_from(self.settings), confirm=self._confirm)
        dlg.sig_logged_in.connect(lambda actor: self._on_unlocked(old, actor))
        self.login_dialog = dlg
        dlg.show()

    def _on_unlocked(self, old: Actor, actor: Actor) -> None:
        from console.operations import sessions

        if self.window is None:
            return
        if actor.user_id == old.user_id:
            self._audit_session(sessions.session_opened, actor, previous=old.user_id)
            self.ctx.actor = actor
            self.window.show()
            return
        # another officer: a window built for them (their role, their "mine" tab)
        stale = self.window
        for panel in stale.panels.values():
            stop = getattr(panel, "shutdown", None)
            if callable(stop):
                try:
                    stop()
                except Exception:  # noqa: BLE001 - switching regardless
                    log.exception("panel shutdown failed")
        self.show_window(actor, previous=old.user_id)
        stale.deleteLater()
        log.info("desk handed over from %s to %s", old.user_id, actor.user_id)

    def _since_process_start(self) -> float:
        try:
            import psutil

            return time.time() - psutil.Process().create_time()
        except Exception:  # noqa: BLE001 - psutil is a nicety here
            return time.monotonic() - self.started

    def _on_first_paint(self) -> None:
        # bench/startup.py reads these lines.
        log.info("first paint %.3f s after process start (%.3f s after main)",
                 self._since_process_start(), time.monotonic() - self.started)

    def _on_panels_ready(self) -> None:
        log.info("panels ready %.3f s after process start", self._since_process_start())
        freeze_startup_heap()

    def _on_usable(self, parts: dict) -> None:
        # bench/startup.py reads this line: queue rows drawn, map markers drawn, wall tiles playing
        video = self.window.panels.get("video") if self.window is not None else None
        counts = getattr(video, "tiles_playing_visible", None)
        playing, given = counts() if callable(counts) else (0, 0)
        log.info("usable %.3f s after process start (panels %s; wall tiles playing %d of %d)",
                 self._since_process_start(), ",".join(sorted(parts)), playing, given)

    # -- quitting -----------------------------------------------------------------------
    def _on_quit_timer(self) -> None:
        if not self.args.snapshot:
            self.app.quit()
            return
        from console.snapshot import SnapshotCheck

        self.snapshot = SnapshotCheck(self.app, Path(self.args.snapshot), self.stdout_fd,
                                      ctx=lambda: self.ctx, window=lambda: self.window,
                                      fallback=lambda: self.login_dialog)
        self.snapshot.start()

    @property
    def code(self) -> int:
        return self.exit_code or (self.snapshot.exit_code if self.snapshot is not None else 0)

    def shutdown(self) -> None:
        from console.qt import errors

        log.info("shutting down")
        if self.window is not None and not hasattr(self.window, "panels"):
            self.window.shutdown()  # the display wall
        elif self.window is not None:
            self.window.save_layout()
            # Players first: a demo platform stopped under live streams makes every
            # tile report a refused connection on the way out.
            for panel in self.window.panels.values():
                stop = getattr(panel, "shutdown", None)
                if callable(stop):
                    try:
                        stop()
                    except Exception:  # noqa: BLE001 - shutting down regardless
                        log.exception("panel shutdown failed")
        if self.ctx is not None and self.ctx.journal is not None:
            self.ctx.journal.stop()
        if self.ctx is not None and self.ctx.presence is not None:
            self.ctx.presence.close()
        if self.bridge is not None:
            self.bridge.stop()
        if self.demo is not None:
            self.demo.stop()  # also ends a wait_ready still running on the pool
        self.tasks.wait(5000)
        if self.store is not None:
            try:
                self.store.close()
            except Exception:  # noqa: BLE001
                log.exception("store close failed")
        errors.uninstall()


def freeze_startup_heap() -> None:
    """Once the window is up: the objects made so far (modules, Qt wrappers, panels)
    live as long as the process. ``gc.freeze`` moves them out of the cyclic
    collector's reach, so a full collection no longer walks them all with the GIL
    held (~70-110 ms in the console: a visible freeze of the UI whenever one ran,
    e.g. during a sync's catch-up)."""
    import gc

    gc.freeze()


def run(args: argparse.Namespace, paths: Paths, settings: S.Settings, *, platform_url: str | None,
        token: str | None, started: float) -> int:
    """Start Qt and the console; returns the exit code when the application quits."""
    prepare_environment()
    if args.wall:
        wall_memory_profile()
    _prewarm_imports()
    # Only our JSON line may reach stdout: point fd 1 at stderr for everyone else
    # (Python prints, Chromium, plugins) and keep a private copy for the snapshot.
    stdout_fd = None
    if args.snapshot:
        sys.stdout.flush()
        stdout_fd = os.dup(1)
        os.dup2(2, 1)

    from PySide6.QtCore import QCoreApplication, Qt, QThreadPool
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from console.paths import ICONS_DIR
    from console.qt import i18n

    pool = QThreadPool.globalInstance()
    pool.setMaxThreadCount(max(16, pool.maxThreadCount()))  # media sources open on the global pool
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)  # QtWebEngine, loaded later
    QCoreApplication.setOrganizationName("duty-hall")
    QCoreApplication.setApplicationName("duty-console")
    _run_pre_app_hooks()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setWindowIcon(QIcon(str(ICONS_DIR / "duty-console.svg")))
    log.info("font: %s", pick_cjk_font(app))
    i18n.install(app, settings.get(S.LANGUAGE), paths.i18n_cache)

    console_app = ConsoleApp(app, args, paths, settings, started, stdout_fd)
    console_app.token = token
    console_app.platform_url = platform_url
    _install_sigint(app)
    console_app.start()
    code = app.exec() or console_app.code
    log.info("exit %s", code)
    if stdout_fd is not None:
        os.close(stdout_fd)
    return code


def _prewarm_imports() -> None:
    """Import the store and sync stacks (SQLAlchemy, Alembic, requests: ~0.7 s) in a
    background thread while Qt starts, so the first paint does not wait for them."""
    import importlib
    import threading

    def _work() -> None:
        for name in PREWARM_MODULES:
            try:
                importlib.import_module(name)
            except Exception:  # noqa: BLE001 - the real import reports it later
                pass

    threading.Thread(target=_work, name="prewarm-imports", daemon=True).start()


def _run_pre_app_hooks() -> None:
    import importlib

    for module, name in PRE_APP_HOOKS:
        try:
            getattr(importlib.import_module(module), name)()
        except Exception as exc:  # noqa: BLE001 - that panel will show its own placeholder
            log.info("pre-app hook %s.%s skipped: %s", module, name, exc)


def _install_sigint(app: QApplication) -> None:
    import signal

    from PySide6.QtCore import QTimer

    signal.signal(signal.SIGINT, lambda *_: app.quit())
    timer = QTimer(app)  # wakes the interpreter so the Python handler runs
    timer.start(500)
    timer.timeout.connect(lambda: None)
