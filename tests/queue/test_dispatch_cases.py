"""Dispatch by past cases in the dialog, as an officer uses it: the suggestion follows who
really closed this kind of problem here, says why, and a number key picks a case's unit."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt
from sqlalchemy import text

from console.domain.model import TicketState
from localdb import repo
from localdb.feed import apply_changes


def _closed_like(t, i: int, dept: str) -> dict:
    done = dataclasses.replace(t, id=f"00000000-0000-0000-0000-{i:012d}", number=f"HP-CASE-{i}",
                               state=TicketState.CLOSED, department_id=dept, clock_start=t.created_at - 86400 * 3,
                               closed_at=t.created_at - 86400 * 2, closed_on_time=True, deadline=None)
    return {"seq": 0, "kind": "ticket", "op": "upsert", "id": done.id, "data": done.to_dict()}


def test_the_dialog_suggests_who_closed_it_here_and_keys_pick_a_case(qtbot, store):
    from tests.queue.conftest import make_ctx
    from views.dispatch import DispatchDialog

    with store.session() as s:
        tid = s.execute(text("SELECT id FROM tickets WHERE state='registered' LIMIT 1")).scalar()
        t = repo.get_ticket(s, tid)
        matrix = repo.suggested_department(s, t.category_code, dict(t.grids))
        other = next(d["id"] for d in repo.departments(s) if d["id"] != matrix)
    with store.write() as s:  # only the cases of this test
        s.execute(text("DELETE FROM tickets WHERE state IN ('closed','archived') AND category_code=:c"),
                  {"c": t.category_code})
    apply_changes(store, [_closed_like(t, i, other) for i in range(3)], "cases")
    ctx = make_ctx(store)
    ctx.clock = lambda: t.created_at + 60
    dialog = DispatchDialog(ctx, [t])
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.selected_department() == other != matrix           # the cases outweigh the stale matrix
    assert "相似案例" in dialog.why.text() and "3 件中 3 件由其办结" in dialog.why.text()
    assert dialog.case_list.count() == 3 and "HP-CASE-" in dialog.case_list.item(0).text()
    dialog.pick_department(matrix)
    assert "责任矩阵" in dialog.why.text()
    dialog.list.setFocus()
    qtbot.keyClick(dialog.list, Qt.Key.Key_1)                         # the first case's unit
    assert dialog.selected_department() == other
    with qtbot.waitSignal(dialog.sig_dispatch, timeout=2000) as sig:
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)
    assert sig.args == [other]


def test_with_no_case_here_the_dialog_says_so_and_the_matrix_leads(qtbot, store):
    from tests.queue.conftest import make_ctx
    from views.dispatch import DispatchDialog

    with store.session() as s:
        tid = s.execute(text("SELECT id FROM tickets WHERE state='registered' LIMIT 1")).scalar()
        t = repo.get_ticket(s, tid)
        matrix = repo.suggested_department(s, t.category_code, dict(t.grids))
    with store.write() as s:
        s.execute(text("DELETE FROM tickets WHERE state IN ('closed','archived') AND category_code=:c"),
                  {"c": t.category_code})
    dialog = DispatchDialog(make_ctx(store), [t])
    qtbot.addWidget(dialog)
    assert dialog.selected_department() == matrix
    assert dialog.case_list.count() == 1 and dialog.case_list.item(0).data(Qt.ItemDataRole.UserRole) is None
