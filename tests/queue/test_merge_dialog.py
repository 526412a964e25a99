"""并案 at the desk as an officer does it: on a new report press M, the open tickets nearby are
listed with the same category first, Enter merges into the first, and the detail pane says
which ticket it follows (and the main says how many reports it carries)."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from sqlalchemy import text

from localdb import repo
from localdb.feed import apply_changes
from tests.queue.conftest import ticket_in_state


def test_press_m_pick_the_nearby_main_and_the_pane_says_so(panel, store, qtbot):
    dup_id = ticket_in_state(store, "pending")
    with store.session() as s:
        dup = repo.get_ticket(s, dup_id)
    main = dataclasses.replace(dup, id="00000000-0000-4000-8000-0000000000ee", number="HP-MAIN-1",
                               lat=dup.lat + 0.0002, created_at=dup.created_at - 600,
                               description="人行道上倒伏一棵树")
    apply_changes(store, [{"seq": 0, "kind": "ticket", "op": "upsert", "id": main.id, "data": main.to_dict()}], "m")
    panel.select_ticket(dup_id)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_M)
    dialog = panel.actions.dialog
    assert dialog is not None and dialog.objectName() == "merge_dialog"
    first = dialog.list.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == main.id and "HP-MAIN-1" in first.text()
    assert "same category" in first.text()
    ids = [dialog.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.list.count())]
    assert dup_id not in ids
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    with store.session() as s:
        verb, params = s.execute(text("SELECT verb, params FROM outbox WHERE ticket_id=:t ORDER BY seq DESC"),
                                 {"t": dup_id}).one()
    assert verb == "merge" and main.id in params
    qtbot.waitUntil(lambda: "HP-MAIN-1" in panel.detail.fields["flags"].text(), timeout=5000)
    panel.select_ticket(main.id)
    qtbot.waitUntil(lambda: "1" in panel.detail.fields["flags"].text() and
                    (dup.number or "") in panel.detail.fields["flags"].text(), timeout=5000)


def test_a_typed_number_that_is_not_here_is_said_and_nothing_is_sent(panel, store, qtbot):
    dup_id = ticket_in_state(store, "pending")
    panel.select_ticket(dup_id)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_M)
    dialog = panel.actions.dialog
    dialog.number.setText("HP-NOT-HERE")
    qtbot.keyClick(dialog.number, Qt.Key.Key_Return)
    assert dialog.isVisible() and "No such ticket" in dialog.error.text()
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM outbox WHERE verb='merge'")).scalar() == 0
