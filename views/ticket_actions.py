"""Officer actions on tickets: one QAction per lifecycle verb, shared by the detail
pane's buttons, the queue's context menu and the keyboard.

Each action asks for what its verb needs (a department, a reason, a photo, a second
officer's PIN) in a non-modal-loop dialog (``QDialog.open``), then runs the matching
``console.operations.tickets.VERBS`` function on the writer thread with the
dialog's parameters as its keyword arguments. The queue shows the pending
marker at once; the journal change clears it when the write (and later the
platform's answer) lands. An action the officer may not use is disabled, and its
tooltip says why (``lifecycle.why_not``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from console.domain import lifecycle, posts
from console.domain.model import Action, Actor, Ticket
from console.operations import tickets as ops
from console.operations.attachments import attach_snapshot
from localdb import hall
from views import queue_labels as L
from views.labels import post_label

if TYPE_CHECKING:
    from console.qt.context import AppContext

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Verb:
    action: str           # console.domain.model.Action value (its operation: ops.VERBS)
    shortcut: str = ""
    needs: str | None = None  # which dialog collects the parameters
    bulk: bool = False    # may run on several selected tickets at once


VERBS: tuple[Verb, ...] = (
    Verb("accept", "A", bulk=True),
    Verb("register", "R"),
    Verb("dispatch", "D", "department", bulk=True),
    Verb("verify", "V", "verify"),
    Verb("second_review", "Shift+V", "review"),
    Verb("close", "C"),
    Verb("return", "T", "reason"),
    Verb("request_extension", "X", "extension"),
    Verb("approve_extension", "", "note_optional"),
    Verb("deny_extension", "", "reason_optional"),
    Verb("suspend", "S", "reason"),
    Verb("resume", "Shift+S"),
    Verb("urge", "U", "urge", bulk=True),
    Verb("escalate", "E", "reason_optional"),
    Verb("leader_dispatch", "L", "reason_optional"),
    Verb("self_handle", "H", "photo"),
    Verb("set_key_supervision", "K", "toggle_key"),
    Verb("annotate", "N", "note"),
    Verb("release_co", "Shift+J", "release_co"),
    Verb("merge", "M", "merge"),
    Verb("unmerge"),
)
VERB_BY_ACTION = {v.action: v for v in VERBS}
def why_not(ticket: Ticket | None, action: str, actor: Actor) -> str | None:
    if ticket is None:
        return QCoreApplication.translate("TicketActions", "No ticket selected")
    try:
        return lifecycle.why_not(ticket, action, actor)
    except Exception as exc:  # noqa: BLE001 - an unknown verb must not break the pane
        return str(exc)


class TicketActions(QObject):
    """The verbs as QActions for the current ticket(s)."""

    #: ticket_ids — an action was started on these tickets (pending marker)
    sig_started = Signal(list)
    #: ticket_ids — the local write finished (ok or failed)
    sig_finished = Signal(list)

    def __init__(self, ctx: AppContext, host: QWidget, current: Callable[[], Ticket | None],
                 selected: Callable[[], Sequence[Ticket]]) -> None:
        super().__init__(host)
        self.ctx = ctx
        self.host = host
        self._current = current
        self._selected = selected
        self.actions: dict[str, QAction] = {}
        self.dialog: QWidget | None = None  # the open parameter dialog (tests)
        for verb in VERBS:
            act = QAction(L.action_label(verb.action), host)
            act.setObjectName(f"action_{verb.action}")
            if verb.shortcut:
                act.setShortcut(QKeySequence(verb.shortcut))
                act.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            act.triggered.connect(lambda _=False, v=verb: self.trigger(v.action))
            host.addAction(act)
            self.actions[verb.action] = act
        self.refresh()

    # -- state -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Enable what the officer may do on the current ticket; say why not otherwise."""
        ticket = self._current()
        selected = list(self._selected())
        for verb in VERBS:
            act = self.actions[verb.action]
            targets = selected if (verb.bulk and len(selected) > 1) else ([ticket] if ticket else [])
            reason = None
            post = getattr(self.ctx.actor, "post", "")
            if not posts.allowed(post, verb.action):
                reason = QCoreApplication.translate("TicketActions", "Not offered at the %1 post").replace(
                    "%1", post_label(post))
            elif not targets:
                reason = QCoreApplication.translate("TicketActions", "No ticket selected")
            else:
                for t in targets:
                    reason = why_not(t, verb.action, self.ctx.actor)
                    if reason:
                        break
                if verb.action == "second_review" and reason and self._review_possible(ticket):
                    reason = None  # the second officer's role is checked in the dialog
            label = L.action_label(verb.action)
            if verb.bulk and len(selected) > 1:
                label = QCoreApplication.translate("TicketActions", "%1 (%2 tickets)").replace("%1", label).replace("%2", str(len(selected)))
            act.setText(label)
            act.setEnabled(reason is None)
            keys = f" ({verb.shortcut})" if verb.shortcut else ""
            act.setToolTip(label + keys + (f"\n{reason}" if reason else ""))
            act.setData(reason)

    def _review_possible(self, ticket: Ticket | None) -> bool:
        return (ticket is not None and ticket.state.value == "verified"
                and ticket.reviewed_by is None)

    # -- running -----------------------------------------------------------------------
    def trigger(self, action: str) -> None:
        act = self.actions[action]
        self.refresh()
        if not act.isEnabled():
            reason = act.data()
            if reason:
                self.ctx.notify.warning(str(reason))
            return
        verb = VERB_BY_ACTION[action]
        ticket = self._current()
        selected = list(self._selected())
        targets = selected if (verb.bulk and len(selected) > 1) else [ticket]
        targets = [t for t in targets if t is not None]
        if not targets:
            return
        from views import ticket_dialogs as dlg

        if verb.needs is None:
            self.run(verb, targets, {})
        elif verb.needs == "department":
            from views.dispatch import DispatchDialog

            d = DispatchDialog(self.ctx, targets, self.host)
            d.sig_dispatch.connect(lambda dep: self.run(verb, targets, {"department_id": dep}, form=d))
            d.sig_joint_dispatch.connect(lambda dep, co: self.run(
                verb, targets, {"department_id": dep, "co_handlers": list(co)}, form=d))
            d.sig_leader_dispatch.connect(
                lambda reason: self.run(VERB_BY_ACTION["leader_dispatch"], targets,
                                        {"reason": reason} if reason else {}, form=d))
            self._open(d)
        elif verb.needs == "review":
            from views.review import SecondReviewDialog

            d = SecondReviewDialog(self.ctx, ticket, self.host)
            d.sig_reviewer.connect(lambda reviewer: self.run(verb, targets, {}, actor=reviewer))
            self._open(d)
        elif verb.needs == "merge":
            from views.merge_dialog import MergeDialog

            d = MergeDialog(self.ctx, ticket, self.host)
            d.sig_params.connect(lambda params: self.run(verb, targets, params, form=d))
            self._open(d)
        elif verb.needs == "toggle_key":
            self.run(verb, targets, {"on": not ticket.key_supervision})
        else:
            d = dlg.params_dialog(verb.needs, verb.action, self.ctx, ticket, self.host)
            d.sig_params.connect(lambda params: self.run(verb, targets, params, form=d))
            self._open(d)

    def _open(self, d: QWidget) -> None:
        self.dialog = d
        d.finished.connect(lambda _=0: setattr(self, "dialog", None))
        self._presence(hall.ACTING)  # the hall sees this officer acting on the ticket
        d.finished.connect(lambda _=0: self._presence(hall.VIEWING))
        d.open()

    def _presence(self, activity: str) -> None:
        presence = getattr(self.ctx, "presence", None)
        ticket = self._current()
        if presence is not None and ticket is not None:
            presence.set_ticket(ticket.id, activity)

    def _reopen(self, form: QWidget | None, exc: BaseException) -> None:
        """Another desk acted first, or the hall database did not answer (nothing was
        written): the officer's form comes back as they left it; the notice says why."""
        refused = isinstance(exc, lifecycle.ChangedMeanwhile) or getattr(exc, "kind", None) == "unreachable"
        if form is None or not refused:
            return

        def _again() -> None:  # after the form's own accept() has closed it
            if not form.isVisible():
                self.dialog = form
                self._presence(hall.ACTING)
                form.open()

        QTimer.singleShot(0, _again)

    def _store_photo(self, ticket: Ticket, png: bytes) -> None:
        """Keep the photo as an attachment (queued for upload) before the verb that
        names it; the one writer thread runs both in order."""
        self.ctx.run_action(attach_snapshot, ticket.id, png, float(self.ctx.clock()),
                            caption=QCoreApplication.translate("TicketActions", "Self-handling photo"))

    def run(self, verb: Verb, targets: Sequence[Ticket], params: dict[str, Any],
            actor: Actor | None = None, form: QWidget | None = None) -> None:
        """Each target as the officer saw it (its version): if another officer acted on
        it first, nothing is written here and ``form`` opens again as it was."""
        action = Action(verb.action)
        params = dict(params)
        png = params.pop("photo_png", None)
        if png:
            self._store_photo(targets[0], png)
        ids = [t.id for t in targets]
        self.sig_started.emit(ids)
        remaining = set(ids)
        done: list[str] = []
        label = L.action_label(verb.action)

        def _one_done(t: Ticket, ok: bool) -> None:
            remaining.discard(t.id)
            if ok:
                done.append(t.number or t.id[:8])
            self.sig_finished.emit([t.id])
            if not remaining:
                self.refresh()
                if done:  # every action names the tickets it was done on
                    self.ctx.notify.info(QCoreApplication.translate("TicketActions", "%1 done: %2")
                                         .replace("%1", label).replace("%2", ", ".join(done)))

        for t in targets:
            self.ctx.run_action(ops.as_seen, action, t.id, t.version, actor=actor,
                                now=float(self.ctx.clock()),
                                on_done=lambda _r, t=t: _one_done(t, True),
                                on_error=lambda e, t=t: (_one_done(t, False), self._reopen(form, e)),
                                what=f"{label} {t.number or t.id[:8]}", **params)
