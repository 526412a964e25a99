"""Selection is sacred: the ticket an action applies to is the one the officer
highlighted and the detail pane shows. Driven the way it broke on a busy shift: act
on a ticket in a filtered list (it leaves the list), new tickets arriving at the top,
a search, then keys."""

from __future__ import annotations

import random

from PySide6.QtCore import QModelIndex, Qt

from console.domain.model import Priority, TicketState
from localdb import repo
from localdb.feed import apply_changes
from tests.factories import make_ticket
from tests.queue.conftest import NOW
from views.queue_model import COLUMNS

_seq = [50_000]


def arrive(store, ctx, qtbot, panel, n: int = 3, state=TicketState.PENDING) -> list[str]:
    """``n`` new tickets from the platform feed, newest of all (they go to the top)."""
    rnd = random.Random(len(_seq) * 7 + n)
    changes, ids = [], []
    for i in range(n):
        _seq[0] += 1
        t = make_ticket(rnd, NOW, 90_000 + _seq[0]).replace(
            state=state, created_at=NOW - 5 - i, updated_at=NOW - 5, priority=Priority.NORMAL,
            clock_start=None, deadline=None, department_id=None)
        ids.append(t.id)
        changes.append({"seq": _seq[0], "kind": "ticket", "op": "upsert", "id": t.id, "data": t.to_dict()})
    apply_changes(store, changes, "c-live")
    with qtbot.waitSignal(ctx.journal.sig_changed, timeout=5000):
        ctx.journal.poke()
    # the model re-queries (debounced) when rows enter the list
    qtbot.waitUntil(lambda: not panel.model._requery_timer.isActive(), timeout=5000)
    return ids


def refocus(panel, qtbot) -> None:
    """Focus returns to the table, as when a dialog closes."""
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.search.setFocus()
    qtbot.waitUntil(panel.search.hasFocus)
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus)


def highlighted(panel) -> list[str]:
    rows = sorted({i.row() for i in panel.table.selectionModel().selectedRows()})
    return [panel.model.ticket_id_at(r) for r in rows]


def assert_consistent(panel) -> None:
    """What is highlighted is what is shown; a shown ticket outside the list is said so."""
    shown = panel.shown_ticket_id()
    sel = highlighted(panel)
    cur = panel.table.selectionModel().currentIndex()
    if shown is None:
        assert sel == []
        return
    if panel.model.row_of_ticket(shown) is not None and sel:
        assert shown in sel
        assert cur.isValid() and panel.model.ticket_id_at(cur.row()) == shown
        assert panel.detail.left_list.isHidden()
    else:
        assert sel == [], "a row is highlighted that the pane does not show"
        assert not panel.detail.left_list.isHidden()
        assert panel.detail.ticket.number in panel.detail.left_list.text()


def click_row(panel, qtbot, row: int) -> str:
    rect = panel.table.visualRect(panel.model.index(row, COLUMNS.index("address")))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    return panel.model.ticket_id_at(row)


def state_of(store, tid: str) -> str:
    with store.session() as s:
        return repo.get_ticket(s, tid).state.value


def test_dispatch_from_a_filtered_list_then_live_inserts_then_keys(panel, store, ctx, qtbot):
    # a filtered list: only registered tickets
    cb = panel.combos["state"]
    cb.setCurrentIndex(cb.findData("registered"))
    assert panel.model.rowCount() >= 3
    tid = click_row(panel, qtbot, 1)
    number = panel.detail.ticket.number
    assert_consistent(panel)
    # dispatch it with the keyboard: it leaves the filtered list
    qtbot.keyClick(panel.table, Qt.Key.Key_D)
    dialog = panel.actions.dialog
    notices = []
    ctx.notify.sig_message.connect(lambda level, text: notices.append(text))
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    ctx.journal.poke()
    qtbot.waitUntil(lambda: panel.model.row_of_ticket(tid) is None, timeout=5000)
    assert any(number in n for n in notices), notices  # the confirmation names the ticket
    # new registered tickets arrive at the top while the officer works
    new_ids = arrive(store, ctx, qtbot, panel, 3, state=TicketState.REGISTERED)
    qtbot.waitUntil(lambda: panel.model.row_of_ticket(new_ids[0]) is not None, timeout=5000)
    # the pane still shows the dispatched ticket and says it left the list
    assert panel.shown_ticket_id() == tid
    assert_consistent(panel)
    assert number in panel.detail.left_list.text()
    # focus comes back to the table (the dialog closed): Qt makes row 0 "current"
    refocus(panel, qtbot)
    assert panel.shown_ticket_id() == tid
    assert_consistent(panel)
    # keys: D and R must not touch the new ticket at the top
    qtbot.keyClick(panel.table, Qt.Key.Key_R)
    qtbot.keyClick(panel.table, Qt.Key.Key_D)
    # no new dialog opened (R and D are not moves of the dispatched ticket shown)
    assert panel.actions.dialog in (None, dialog)
    assert panel.actions.dialog is None or not panel.actions.dialog.isVisible()
    for nid in new_ids:
        assert state_of(store, nid) == "registered"
    # moving on with the arrow keys picks a row, highlighted and shown together
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    assert panel.shown_ticket_id() != tid
    assert highlighted(panel) == [panel.shown_ticket_id()]
    assert_consistent(panel)


def test_search_keeps_highlight_and_pane_together(panel, store, ctx, qtbot):
    tid = click_row(panel, qtbot, 4)
    t = panel.detail.ticket
    # a search that still finds the shown ticket (its address): highlighted and shown
    panel.search.setText(t.address)
    panel.apply_filters()
    assert panel.model.row_of_ticket(tid) is not None
    assert_consistent(panel)
    assert highlighted(panel) == [tid]
    # live inserts at the top while the search is on
    arrive(store, ctx, qtbot, panel, 2)
    assert_consistent(panel)
    # a search that hides it: the pane says so, nothing else is highlighted
    panel.search.setText("井盖缺失" if "井盖" not in t.description else "路灯不亮")
    panel.apply_filters()
    assert panel.model.row_of_ticket(tid) is None
    assert panel.shown_ticket_id() == tid
    assert_consistent(panel)
    # Return picks the first hit: shown and highlighted together
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    first = panel.model.ticket_id_at(0)
    assert panel.shown_ticket_id() == first and highlighted(panel) == [first]
    # clicking another row moves both
    other = click_row(panel, qtbot, 1)
    assert panel.shown_ticket_id() == other and highlighted(panel) == [other]
    assert_consistent(panel)
    # clearing the search: still the same ticket, highlighted where it now sits
    panel.clear_filters()
    assert panel.shown_ticket_id() == other
    assert_consistent(panel)


def test_accept_in_the_pending_tab_names_the_ticket_and_never_jumps(panel, store, ctx, qtbot):
    panel.set_tab("pending")
    tid = click_row(panel, qtbot, 0)
    number = panel.detail.ticket.number
    notices = []
    ctx.notify.sig_message.connect(lambda level, text: notices.append(text))
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    ctx.journal.poke()
    qtbot.waitUntil(lambda: panel.model.row_of_ticket(tid) is None, timeout=5000)
    assert state_of(store, tid) == "accepted"
    assert any(number in n for n in notices), notices
    new_ids = arrive(store, ctx, qtbot, panel, 2)
    qtbot.waitUntil(lambda: panel.model.row_of_ticket(new_ids[0]) is not None, timeout=5000)
    refocus(panel, qtbot)
    qtbot.keyClick(panel.table, Qt.Key.Key_A)
    for nid in new_ids:
        assert state_of(store, nid) == "pending"
    assert panel.shown_ticket_id() == tid
    assert panel.table.selectionModel().selectedRows() == []
    assert panel.table.selectionModel().currentIndex() == QModelIndex() or \
        not panel.table.selectionModel().isRowSelected(panel.table.selectionModel().currentIndex().row(), QModelIndex())
