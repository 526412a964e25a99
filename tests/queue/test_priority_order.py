"""The most urgent ticket is the first thing the officer sees: every tab an officer starts
in opens in the priority order; the officer's own sort is kept per tab."""

from __future__ import annotations

from PySide6.QtCore import Qt

from console.domain.urgency import OPEN_STATE_VALUES
from tests.queue.conftest import NOW
from views.queue_model import COLUMNS, row_limit_state


def _rows(panel, n=None):
    panel.model.load_all(n)
    return [panel.model.row_dict(r) for r in range(panel.model.rowCount())][:n]


def test_tabs_open_with_critical_on_top(panel):
    for tab in ("all", "pending", "mine", "feedback"):
        panel.set_tab(tab)
        assert panel.model.sort_key() == ("priority", True), tab
        rows = _rows(panel)
        if not rows:
            continue
        is_open = [r["state"] in OPEN_STATE_VALUES for r in rows]
        assert is_open == sorted(is_open, reverse=True), tab  # open work before closed
        rows = [r for r in rows if r["state"] in OPEN_STATE_VALUES]
        top = [r["priority"] == "critical" for r in rows]
        assert top == sorted(top, reverse=True), tab  # 特急 first
        # then by time left (overdue first): the running deadlines ascend, unstarted after
        rest = [r for r in rows if r["priority"] != "critical"]
        running = [row_limit_state(r, NOW) in ("on_time", "warning", "overdue") and r["deadline"] is not None
                   for r in rest]
        assert running == sorted(running, reverse=True), tab
        deadlines = [r["deadline"] for r, on in zip(rest, running) if on]
        assert deadlines == sorted(deadlines), tab
    panel.set_tab("all")
    assert _rows(panel, 1)[0]["priority"] == "critical"


def test_the_officers_sort_is_kept_per_tab(panel, qtbot):
    panel.set_tab("all")
    age = COLUMNS.index("age")
    rect = panel.header.sectionViewportPosition(age) + panel.header.sectionSize(age) // 2
    qtbot.mouseClick(panel.header.viewport(), Qt.MouseButton.LeftButton,
                     pos=panel.header.rect().center().__class__(rect, panel.header.height() // 2))
    key, _desc = panel.model.sort_key()
    assert key == "age"
    chosen = panel.model.sort_key()
    panel.set_tab("pending")
    assert panel.model.sort_key() == ("priority", True)  # the other tab keeps its own
    panel.set_tab("all")
    assert panel.model.sort_key() == chosen
    assert panel.header.sortIndicatorSection() == age


def test_snapshot_lists_the_first_five_rows(panel):
    first = panel.snapshot_info()["queue_first"]
    assert len(first) == 5
    rows = _rows(panel, 5)
    assert [f["number"] for f in first] == [r["number"] for r in rows]
    for f in first:
        assert set(f) == {"number", "priority", "limit_state", "seconds_left"}
        assert f["limit_state"] in ("on_time", "warning", "overdue", "suspended", "done")
        assert f["seconds_left"] is None or isinstance(f["seconds_left"], int)
    assert first[0]["priority"] == "critical"


def test_tab_all_puts_open_work_above_closed_critical(panel):
    panel.set_tab("all")
    rows = _rows(panel)
    assert any(r["priority"] == "critical" and r["state"] not in OPEN_STATE_VALUES for r in rows)
    is_open = [r["state"] in OPEN_STATE_VALUES for r in rows]
    assert is_open == sorted(is_open, reverse=True)  # every open ticket before any closed one
    assert panel.snapshot_info()["queue_first"][0]["limit_state"] != "done"


def test_a_closed_critical_ticket_leaves_the_top_while_the_officer_watches(panel, store, ctx, qtbot):
    from console.domain.model import TicketState
    from localdb import repo
    from localdb.feed import apply_changes

    panel.set_tab("all")
    top_id = panel.model.ticket_id_at(0)
    with store.session() as s:
        t = repo.get_ticket(s, top_id)
    assert t.priority.value == "critical" and t.state.value in OPEN_STATE_VALUES
    done = t.replace(state=TicketState.CLOSED, version=t.version + 1, closed_at=NOW - 1, updated_at=NOW - 1)
    apply_changes(store, [{"seq": 70_001, "kind": "ticket", "op": "upsert", "id": t.id,
                           "data": done.to_dict()}], "c-close")
    with qtbot.waitSignal(ctx.journal.sig_changed, timeout=5000):
        ctx.journal.poke()
    qtbot.waitUntil(lambda: panel.model.ticket_id_at(0) != top_id, timeout=5000)
    rows = _rows(panel)
    is_open = [r["state"] in OPEN_STATE_VALUES for r in rows]
    assert is_open == sorted(is_open, reverse=True)
