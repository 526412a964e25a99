"""The queue panel driven as an officer would: keys, clicks, what it shows."""

from __future__ import annotations

from PySide6.QtCore import Qt

from localdb import repo
from localdb import queue_query as qq
from tests.queue.conftest import NOW, ticket_in_state
from views import queue_labels as L
from views.queue_model import COLUMNS


def type_chinese(widget, text: str) -> None:
    """What an input method does: commit the composed characters to the widget."""
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def _all_rows(panel):
    panel.model.load_all()
    return [panel.model.row_dict(r) for r in range(panel.model.rowCount())]


def test_snapshot_info_counts_store(panel, store):
    with store.session() as s:
        assert panel.snapshot_info()["tickets"] == qq.total(s)


def test_tabs_by_keyboard_show_what_sql_counts(panel, store, qtbot):
    panel.table.setFocus()
    with store.session() as s:
        expected = qq.tab_counts(s, NOW, "officer1")
    assert panel.counts == expected
    for i, key in enumerate(L.TAB_KEYS, start=1):
        qtbot.keyClick(panel.table, Qt.Key.Key_0 + i, Qt.KeyboardModifier.ControlModifier)
        assert panel.current_tab() == key
        rows = _all_rows(panel)
        assert len(rows) == expected[key], key
        assert f"({expected[key]})" in panel.tabs.tabText(panel.tabs.currentIndex())
        if key == "pending":
            assert {r["state"] for r in rows} == {"pending"}
    qtbot.keyClick(panel.table, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert panel.current_tab() == "all"
    assert len(_all_rows(panel)) == panel.snapshot_info()["tickets"]


def test_search_finds_chinese_description(panel, store, qtbot):
    qtbot.keyClick(panel.table, Qt.Key.Key_F3)
    assert panel.search.hasFocus()
    type_chinese(panel.search, "井盖缺失")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    rows = _all_rows(panel)
    assert rows and all("井盖缺失" in r["description"] for r in rows)
    with store.session() as s:
        assert len(rows) == qq.count(s, {"text": "井盖缺失"}, NOW)
    # a two-character word (below the trigram length) is found too
    panel.search.setText("井盖")
    panel.apply_filters()
    assert all("井盖" in r["description"] for r in _all_rows(panel))


def test_open_ticket_by_click_shows_detail(panel, qtbot):
    row = 3
    rect = panel.table.visualRect(panel.model.index(row, COLUMNS.index("address")))
    qtbot.mouseClick(panel.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    r = panel.model.row_dict(row)
    assert panel.detail.ticket is not None and panel.detail.ticket.id == r["id"]
    assert r["number"] in panel.detail.title.text()
    assert panel.detail.fields["description"].text() == r["description"]


def test_dispatch_with_keyboard_only(panel, store, qtbot):
    tid = ticket_in_state(store, "registered")
    with store.session() as s:
        number = repo.get_ticket(s, tid).number
    qtbot.keyClick(panel.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.search, number)
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    assert panel.table.hasFocus() and panel.detail.ticket.id == tid
    qtbot.keyClick(panel.table, Qt.Key.Key_D)
    dialog = panel.actions.dialog
    assert dialog is not None and dialog.objectName() == "dispatch_dialog"
    suggested = dialog.selected_department()
    assert suggested == dialog.suggested and suggested
    qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    with store.session() as s:
        t = repo.get_ticket(s, tid)
        local = repo.ticket_local_state(s, tid)
    assert t.state.value == "dispatched" and t.department_id == suggested
    assert local["pending"] > 0
    row = panel.model.row_of_ticket(tid)
    sync = panel.model.index(row, COLUMNS.index("sync")).data()
    assert sync == L.sync_label(1, False)
    qtbot.waitUntil(lambda: panel.detail.fields["state"].text() == L.state_label("dispatched"))


def test_pending_marker_shows_before_the_write(qtbot, store):
    """With a real (threaded) writer, the marker is there before the write lands."""
    from tests.queue.conftest import make_ctx
    from views.queue import QueuePanel

    ctx = make_ctx(store, inline=False)
    p = QueuePanel(ctx)
    qtbot.addWidget(p)
    tid = ticket_in_state(store, "pending")
    p.select_ticket(tid)
    with qtbot.waitSignal(p.actions.sig_finished, timeout=10000):
        p.actions.actions["accept"].trigger()
        row = p.model.row_of_ticket(tid)
        assert p.model.index(row, COLUMNS.index("sync")).data() == L.sync_label(1, False)
    row = p.model.row_of_ticket(tid)
    assert p.model.index(row, COLUMNS.index("state")).data() == L.state_label("accepted")
    assert p.model.index(row, COLUMNS.index("sync")).data() == L.sync_label(1, False)
    ctx.tasks.wait()


def test_disabled_action_says_why(panel, store):
    tid = ticket_in_state(store, "closed")
    panel.select_ticket(tid)
    act = panel.actions.actions["accept"]
    assert not act.isEnabled()
    from console.domain import lifecycle

    reason = lifecycle.why_not(panel.detail.ticket, "accept", panel.ctx.actor)
    assert reason and reason in act.toolTip()
    button = panel.detail.buttons["accept"]
    assert not button.isEnabled() and reason in button.toolTip()
    # the officer role may not suspend (supervisors only), whatever the state
    panel.select_ticket(ticket_in_state(store, "registered"))
    assert not panel.actions.actions["suspend"].isEnabled()
    assert panel.actions.actions["suspend"].data()


def test_phone_masked_and_reveal_audited(qtbot, store):
    from tests.queue.conftest import LEADER, make_ctx
    from views.queue import QueuePanel

    tid = ticket_in_state(store, "pending")
    officer_panel = QueuePanel(make_ctx(store))
    qtbot.addWidget(officer_panel)
    officer_panel.select_ticket(tid)
    assert officer_panel.detail.phone.text() == "138****1234"
    assert not officer_panel.detail.reveal_button.isEnabled()

    p = QueuePanel(make_ctx(store, actor=LEADER))
    qtbot.addWidget(p)
    p.show()
    p.select_ticket(tid)
    assert p.detail.phone.text() == "138****1234"
    assert p.detail.reveal_button.isEnabled()
    qtbot.mouseClick(p.detail.reveal_button, Qt.MouseButton.LeftButton)
    assert p.detail.phone.text() == "13812341234"
    with store.session() as s:
        log = repo.audit_log(s, tid)
    assert [e["action"] for e in log] == ["reveal_contact"] and log[0]["actor_id"] == "leader1"
    # another ticket: masked again
    p.select_ticket(ticket_in_state(store, "accepted"))
    assert p.detail.phone.text() == "138****1234"


def test_bus_filter_and_select(panel, store, ctx):
    ctx.bus.sig_filter_queue.emit({"grids": ["G02"], "state": "dispatched"})
    rows = _all_rows(panel)
    assert rows and all(r["grid_resp"] == "G02" and r["state"] == "dispatched" for r in rows)
    assert panel.external_label.text()
    hidden = ticket_in_state(store, "closed")
    ctx.bus.sig_select_ticket.emit(hidden)  # not in the filter: falls back to all
    assert panel.detail.ticket.id == hidden
    assert panel.model.ticket_id_at(panel.table.currentIndex().row()) == hidden


def test_journal_change_repaints_only_changed_row(panel, store, ctx, qtbot):
    from console.operations import tickets as ops

    panel.table.scrollToTop()
    r = panel.model.row_dict(5)
    seen = []
    panel.model.dataChanged.connect(lambda a, b, _roles=(): seen.append((a.row(), b.row())))
    ops.urge(store, ctx.actor, r["id"], NOW)
    ctx.journal.poke()
    assert (5, 5) in seen and all(a == b == 5 for a, b in seen)
    assert panel.model.row_dict(5)["urge_count"] == r["urge_count"] + 1


def test_bulk_urge_from_context_menu(panel, store, qtbot):
    panel.set_tab("pending")
    panel.table.selectRow(0)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(panel.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    ids = panel.selected_ticket_ids()
    assert len(ids) == 3
    menu = panel.build_context_menu()
    urge = next(a for a in menu.actions() if a.objectName() == "action_urge")
    assert "3" in urge.text() and urge.isEnabled()
    urge.trigger()
    panel.actions.dialog._on_ok_clicked()  # one plain 督办 for the three
    qtbot.waitUntil(lambda: all(_urges(store, i) == 1 for i in ids), timeout=10_000)


def _urges(store, tid):
    with store.session() as s:
        return repo.get_ticket(s, tid).urge_count


def test_model_fetches_only_visible_rows(qtbot, tmp_path_factory):
    """Over 20,000 tickets the model reads pages of ids and only the drawn rows."""
    from tests.factories import load_sample_store
    from tests.queue.conftest import make_ctx
    from views.queue import QueuePanel

    store = load_sample_store(tmp_path_factory.mktemp("big") / "big.db", 20000, now=NOW)
    p = QueuePanel(make_ctx(store))
    qtbot.addWidget(p)
    p.resize(1400, 800)
    p.show()
    qtbot.waitExposed(p)
    m = p.model
    assert m.rowCount() == m.page_size < 20000
    bar = p.table.verticalScrollBar()
    for _ in range(12):  # scroll to the bottom repeatedly: pages of ids come in
        bar.setValue(bar.maximum())
        p.table.viewport().repaint()
    assert m.rowCount() > m.page_size
    assert m.cache_size_now() <= m.cache_size
    assert m.fetches < 2000
    with store.session() as s:
        assert qq.total(s) == 20000
    store.close()


def test_shortcut_sheet(panel, qtbot):
    from views.shortcuts import show_shortcut_sheet

    d = show_shortcut_sheet(panel)
    keys = [d.table.item(r, 0).text() for r in range(d.table.rowCount())]
    assert "Ctrl+N" in keys and "D" in keys
    d.close()


def test_ticket_entering_warning_flashes_once(qtbot, store):
    from console.qt.context import AppContext, TaskRunner
    from tests.queue.conftest import OFFICER
    from views.queue import QueuePanel
    from widgets.limit_badge import FLASH_ROLE, LIMIT_STATE_ROLE

    clock = {"now": NOW}
    ctx = AppContext(store=store, actor=OFFICER, clock=lambda: clock["now"], tasks=TaskRunner(inline=True))
    p = QueuePanel(ctx)
    qtbot.addWidget(p)
    with store.session() as s:
        tid = s.execute(__import__("sqlalchemy").text(
            "SELECT id FROM tickets WHERE limit_deadline > :a ORDER BY limit_deadline LIMIT 1"),
            {"a": NOW + 7200}).scalar()
        deadline = repo.get_ticket(s, tid).deadline
    p.apply_external_filter({"ids": [tid]})
    idx = p.model.index(0, 0)
    assert idx.data(LIMIT_STATE_ROLE) == "on_time" and not idx.data(FLASH_ROLE)
    clock["now"] = deadline - 3600
    with qtbot.waitSignal(p.model.sig_limit_entered) as blocker:
        p.model.tick()
    assert blocker.args == [tid, "warning"]
    assert idx.data(FLASH_ROLE) and idx.data(LIMIT_STATE_ROLE) == "warning"
    qtbot.waitUntil(lambda: not idx.data(FLASH_ROLE), timeout=3000)
    with qtbot.assertNotEmitted(p.model.sig_limit_entered):
        p.model.tick()
    clock["now"] = deadline + 60
    with qtbot.waitSignal(p.model.sig_limit_entered) as blocker:
        p.model.tick()
    assert blocker.args == [tid, "overdue"]


def test_new_urgent_ticket_from_the_feed_raises_a_toast(panel, store, ctx, qtbot):
    import random

    from localdb.feed import apply_changes
    from tests.factories import make_ticket

    t = make_ticket(random.Random(99), NOW, 9999).replace(
        state=__import__("console.domain.model", fromlist=["TicketState"]).TicketState.PENDING,
        priority="urgent", created_at=NOW - 30, description="路口窨井冒水")
    d = t.to_dict()
    d["priority"] = "urgent"
    toasts = []
    ctx.notify.sig_toast.connect(lambda title, text, sound: toasts.append((title, text, sound)))
    apply_changes(store, [{"seq": 10_000, "kind": "ticket", "op": "upsert", "id": t.id, "data": d}], "c2")
    ctx.journal.poke()
    qtbot.waitUntil(lambda: len(toasts) == 1)
    assert t.address in toasts[0][1] and toasts[0][2] is True
    # it enters the list (in the priority order) after the (debounced) re-query
    qtbot.waitUntil(lambda: panel.model.row_of_ticket(t.id) is not None, timeout=3000)
    ctx.journal.poke()
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.processEvents()  # the deferred alert pass (no second toast may come)
    assert len(toasts) == 1


def test_flash_is_held_while_the_officer_has_the_ticket_open(qtbot, store):
    from console.qt.context import AppContext, TaskRunner
    from tests.queue.conftest import OFFICER
    from views.queue import QueuePanel
    from widgets.limit_badge import FLASH_ROLE

    clock = {"now": NOW}
    ctx = AppContext(store=store, actor=OFFICER, clock=lambda: clock["now"], tasks=TaskRunner(inline=True))
    p = QueuePanel(ctx)
    qtbot.addWidget(p)
    with store.session() as s:
        q = "SELECT id FROM tickets WHERE limit_deadline > :a ORDER BY limit_deadline {} LIMIT 1"
        tid = s.execute(__import__("sqlalchemy").text(q.format("")), {"a": NOW + 7200}).scalar()
        other = s.execute(__import__("sqlalchemy").text(q.format("DESC")), {"a": NOW + 7200}).scalar()
        deadline = repo.get_ticket(s, tid).deadline
        assert repo.get_ticket(s, other).deadline > deadline + 3600  # the other stays on time
    p.apply_external_filter({"ids": [tid, other]})
    p.select_ticket(tid)
    assert p.shown_ticket_id() == tid
    row = p.model.row_of_ticket(tid)
    clock["now"] = deadline - 3600
    with qtbot.waitSignal(p.model.sig_limit_entered):
        p.model.tick()
    idx = p.model.index(row, 0)
    assert idx.data(FLASH_ROLE)
    # the flash period passes while the ticket is open: the flash is held, not spent
    qtbot.waitUntil(lambda: not p.model._flash_timer.isActive(), timeout=5000)
    assert idx.data(FLASH_ROLE) and p.model.flash_held(tid)
    p.select_ticket(other)  # the officer moves on: one more period, then the flash ends
    assert p.shown_ticket_id() == other
    assert p.model.index(p.model.row_of_ticket(tid), 0).data(FLASH_ROLE)
    qtbot.waitUntil(lambda: not p.model.index(p.model.row_of_ticket(tid), 0).data(FLASH_ROLE), timeout=5000)
    assert not p.model.flash_held(tid)
