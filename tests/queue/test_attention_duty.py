"""A refused duty record (handover, roster, ...) reads as such in "needs attention"."""

from PySide6.QtCore import Qt
from sqlalchemy import text

from console.operations import duty
from localdb import outbox
from views.attention import AttentionList

from .conftest import OFFICER


def test_a_rejected_duty_record_is_labelled_and_opens_no_ticket(qtbot, ctx, store):
    duty.add_duty_log(store, OFFICER, "manual", "东明路积水，已通知水务所", 1795300000.0)
    with store.session() as s:
        cid, tid = s.execute(text("SELECT command_id, ticket_id FROM outbox WHERE verb = 'duty_record'"
                                  " ORDER BY seq DESC LIMIT 1")).one()
    outbox.apply_results(store, [{"record_id": cid, "status": "rejected",
                                  "reason": "platform refused", "code": "validation_error"}])
    view = AttentionList(ctx)
    qtbot.addWidget(view)
    items = [view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())]
    row = next(i for i in items if i.data(0, Qt.ItemDataRole.UserRole) == cid)
    assert row.text(1) == view.tr("Duty record")
    assert view.tr("Duty log entry") in row.text(2)
    assert tid.startswith("duty_log:") and tid not in row.text(2)   # no raw internals
    view.tree.setCurrentItem(row)
    assert not view.open_button.isEnabled()
    assert view.discard_button.isEnabled()


def test_a_command_refused_for_its_actor_says_so(qtbot, ctx, store):
    """The platform's identity refusals read as refusals of who acted, with its reason."""
    from console.operations import tickets as tops

    with store.session() as s:
        tid = s.execute(text("SELECT id FROM tickets ORDER BY id LIMIT 1")).scalar_one()
    tops.annotate(store, OFFICER, tid, "核实中", 1795300000.0)
    with store.session() as s:
        cid = s.execute(text("SELECT command_id FROM outbox WHERE ticket_id=:t ORDER BY seq DESC LIMIT 1"),
                        {"t": tid}).scalar_one()
    outbox.apply_results(store, [{"command_id": cid, "status": "rejected", "code": "bad_signature",
                                  "reason": "the signature does not match officer2's key"}])
    view = AttentionList(ctx)
    qtbot.addWidget(view)
    items = [view.tree.topLevelItem(i) for i in range(view.tree.topLevelItemCount())]
    row = next(i for i in items if i.data(0, Qt.ItemDataRole.UserRole) == cid)
    why = row.text(4)
    assert view.tr("Refused: the signature does not match the person this action names "
                   "(changed, or sent in someone else's name)") in why
    assert "officer2's key" in why
