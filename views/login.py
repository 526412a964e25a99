"""Login: user id + PIN, checked by ``console.operations.auth.verify`` (the platform
confirms when reachable; the desk's cached argon2id verifier otherwise).

The PIN is never stored or logged. Wrong PINs count towards the desk's lockout.
The user list comes from the platform, so on a fresh workstation the dialog waits
(without blocking) until the first sync has delivered it. In demo mode the demo
accounts are listed for a quick pick.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from console.domain import posts
from console.domain.model import Actor
from console.operations.auth import AuthRefused
from console.qt.duty import authenticate
from console.qt.auth_text import refusal_text
from localdb import repo
from views.labels import post_label, role_label

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)


class LoginDialog(QDialog):
    #: the logged-in Actor
    sig_logged_in = Signal(object)

    def __init__(self, store: Store, workstation: str, demo: bool = False, demo_pin: str | None = None,
                 parent: QWidget | None = None, *, clock: Callable[[], float] | None = None,
                 locked_by: str | None = None, lockout: Any = None, confirm: Any = None) -> None:
        super().__init__(parent)
        self.setObjectName("LoginDialog")
        self.store = store
        self.lockout, self.confirm = lockout, confirm
        self.workstation = workstation
        self.demo = demo
        self.demo_pin = demo_pin
        self.actor: Actor | None = None
        #: platform time for the on-duty check (None: no check)
        self.clock = clock
        #: set while the screen is locked: the name of who locked it
        self.locked_by = locked_by
        self._off_duty_ok: Actor | None = None  # logged in although not on duty: confirmed once
        self._users: list[dict[str, str]] = []
        self.setWindowTitle(self.tr("Log in — City operations duty console"))
        self.setMinimumWidth(400)

        self.user_edit = QLineEdit(self)
        self.user_edit.setObjectName("UserId")
        self.user_edit.setPlaceholderText(self.tr("e.g. officer1"))
        self.pin_edit = QLineEdit(self)
        self.pin_edit.setObjectName("Pin")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(32)
        self.role_label = QLabel(self)
        self.role_label.setObjectName("Role")
        self.message_label = QLabel(self)
        self.message_label.setObjectName("Message")
        self.message_label.setStyleSheet("color: #b00020;")
        self.message_label.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Workstation"), QLabel(workstation, self))
        form.addRow(self.tr("User ID"), self.user_edit)
        form.addRow(self.tr("PIN"), self.pin_edit)
        form.addRow(self.tr("Role"), self.role_label)
        self.post_combo = QComboBox(self)
        self.post_combo.setObjectName("Post")
        self._post_chosen = False  # the officer picked a post: keep it while the user id changes
        self.post_combo.activated.connect(self._on_post_activated)
        form.addRow(self.tr("Post"), self.post_combo)

        self.demo_list = QListWidget(self)
        self.demo_list.setObjectName("DemoAccounts")
        self.demo_list.itemClicked.connect(self._on_demo_item_clicked)
        self.demo_list.itemDoubleClicked.connect(self._on_demo_item_double_clicked)
        self.demo_hint = QLabel(self.tr("Demo accounts (PIN %1):").replace("%1", demo_pin or "1234"), self)
        self.demo_list.setVisible(demo)
        self.demo_hint.setVisible(demo)

        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton(self.tr("Log in"), QDialogButtonBox.ButtonRole.AcceptRole)
        if locked_by is None:
            self.buttons.addButton(self.tr("Quit"), QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        title = QLabel(self.tr("City operations centre — command hall") if locked_by is None else
                       self.tr("Screen locked by %1 — the next officer logs in here").replace("%1", locked_by),
                       self)
        title.setStyleSheet("font-size: 18px; font-weight: bold;")
        lay.addWidget(title)
        lay.addLayout(form)
        lay.addWidget(self.demo_hint)
        lay.addWidget(self.demo_list)
        lay.addWidget(self.message_label)
        lay.addWidget(self.buttons)

        self.user_edit.textChanged.connect(self._on_user_text_changed)
        self.pin_edit.returnPressed.connect(self.try_login)
        self._poll = QTimer(self)
        self._poll.setInterval(1000)
        self._poll.timeout.connect(self.reload_users)
        self.reload_users()

    # -- users ---------------------------------------------------------------------
    @Slot()
    def reload_users(self) -> None:
        try:
            with self.store.session() as s:
                users = list(repo.users(s).values())
        except Exception:  # noqa: BLE001
            log.debug("user list not readable yet", exc_info=True)
            users = []
        if users != self._users:
            self._users = users
            self.demo_list.clear()
            for u in users:
                item = QListWidgetItem(f"{u['id']}  {u['name']}  ·  {role_label(u['role'])}")
                item.setData(Qt.ItemDataRole.UserRole, u["id"])
                self.demo_list.addItem(item)
            self._on_user_text_changed(self.user_edit.text())
        if users:
            self._poll.stop()
            if self.message_label.property("waiting"):
                self.message_label.setText("")
                self.message_label.setProperty("waiting", False)
            self.login_button.setEnabled(True)
        else:
            self.message_label.setText(self.tr("Waiting for the user list from the district platform…"))
            self.message_label.setProperty("waiting", True)
            self.login_button.setEnabled(False)
            self._poll.start()

    @Slot(str)
    def _on_user_text_changed(self, text: str) -> None:
        uid = text.strip()
        match = next((u for u in self._users if u["id"] == uid), None)
        self.role_label.setText(f"{match['name']} · {role_label(match['role'])}" if match else "")
        self._fill_posts(match["role"] if match else None)

    def _fill_posts(self, role: str | None) -> None:
        """The posts this account may take (``console.domain.posts``), its usual one first."""
        keep = self.post_combo.currentData() if self._post_chosen else None
        try:
            choices = posts.posts_for(role) if role else posts.POSTS
        except ValueError:  # a role this build does not know: offer every post, the login decides
            choices = posts.POSTS
        self.post_combo.blockSignals(True)
        self.post_combo.clear()
        for p in choices:
            self.post_combo.addItem(post_label(p), p)
        if keep in choices:
            self.post_combo.setCurrentIndex(choices.index(keep))
        self.post_combo.blockSignals(False)

    @Slot(int)
    def _on_post_activated(self, _index: int) -> None:
        self._post_chosen = True

    def post(self) -> str:
        return self.post_combo.currentData() or ""

    def set_post(self, post: str) -> None:
        i = self.post_combo.findData(post)
        if i >= 0:
            self.post_combo.setCurrentIndex(i)
            self._post_chosen = True

    @Slot(QListWidgetItem)
    def _on_demo_item_clicked(self, item: QListWidgetItem) -> None:
        self.user_edit.setText(item.data(Qt.ItemDataRole.UserRole))
        if self.demo_pin:
            self.pin_edit.setText(self.demo_pin)
        self.pin_edit.setFocus()

    @Slot(QListWidgetItem)
    def _on_demo_item_double_clicked(self, item: QListWidgetItem) -> None:
        self._on_demo_item_clicked(item)
        self.try_login()

    # -- login ---------------------------------------------------------------------
    @Slot()
    def try_login(self) -> bool:
        uid, pin = self.user_edit.text().strip(), self.pin_edit.text()
        pending = self._off_duty_ok
        if pending is not None and pending.user_id == uid and not pin:
            return self._logged_in(pending)  # "log in anyway", confirmed
        self._off_duty_ok = None
        self.login_button.setText(self.tr("Log in"))
        if not uid or not pin:
            self.message_label.setText(self.tr("Enter your user ID and PIN."))
            return False
        self.pin_edit.clear()
        try:
            actor = authenticate(self.store, uid, pin, self.workstation, lockout=self.lockout,
                                 confirm=self.confirm)
        except AuthRefused as exc:
            self.message_label.setText(refusal_text(exc))
            self.pin_edit.setFocus()
            return False
        post = self.post()
        if post:
            try:
                posts.check(actor.role, post)
            except posts.PostRefused:
                self.message_label.setText(self.tr("%1 may not take the %2 post: choose another post.")
                                           .replace("%1", actor.name).replace("%2", post_label(post)))
                return False
            actor = dataclasses.replace(actor, post=post)
        if self.clock is not None and not self._on_duty(actor):
            self._off_duty_ok = actor
            self.message_label.setText(self.tr("%1 is not on the roster of the shift now. Check the roster, "
                                               "or press “Log in anyway” to continue.").replace("%1", actor.name))
            self.login_button.setText(self.tr("Log in anyway"))
            return False
        return self._logged_in(actor)

    def _on_duty(self, actor: Actor) -> bool:
        from console.operations import sessions

        try:
            return sessions.on_duty_now(self.store, actor.user_id, float(self.clock()))
        except Exception:  # noqa: BLE001 - no roster yet: do not keep anyone out
            log.warning("on-duty check failed", exc_info=True)
            return True

    def _logged_in(self, actor: Actor) -> bool:
        self.actor = actor
        self._off_duty_ok = None
        self.message_label.setText("")
        self.sig_logged_in.emit(actor)
        self.accept()
        return True

    def reject(self) -> None:
        if self.locked_by is None:  # a locked screen cannot be dismissed, only logged into
            super().reject()
