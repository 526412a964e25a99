"""The officer who acted second sees who acted first, and gets their form back as typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget
from sqlalchemy import text

from console.domain.model import Actor, Role
from console.operations import tickets as ops
from console.qt.context import AppContext, TaskRunner
from localdb import Store, feed, repo
from localdb.wakeup import wait_until
from tests.localdb.helpers import NOW, change, ticket
from views.ticket_actions import TicketActions

ZHANG = Actor("u1", "张三", Role.OFFICER, "1号工位")
LI = Actor("u2", "李四", Role.OFFICER, "3号工位")


def test_second_officer_is_told_who_and_keeps_the_form(qtbot, hall_url):
    desk_a, desk_b = Store.open(hall_url), Store.open(hall_url)
    try:
        t = ticket(1, state="registered", version=3)
        feed.apply_changes(desk_a, [change(t)], "c", now=NOW)
        with desk_a.session() as s:
            seen = repo.get_ticket(s, t.id)
        ctx = AppContext(store=desk_a, actor=ZHANG, tasks=TaskRunner(inline=True), clock=lambda: NOW)
        messages: list[tuple[str, str]] = []
        ctx.notify.sig_message.connect(lambda level, msg: messages.append((level, msg)))
        host = QWidget()
        qtbot.addWidget(host)
        actions = TicketActions(ctx, host, current=lambda: seen, selected=lambda: [seen])
        actions.trigger("annotate")
        form = actions.dialog
        qtbot.waitUntil(form.isVisible)
        form.text.setPlainText("现场已核实，待派遣")

        ops.dispatch(desk_b, LI, t.id, "D02", NOW)  # the other desk, a moment earlier

        qtbot.mouseClick(form.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: any(level == "error" for level, _m in messages))
        err = next(m for level, m in messages if level == "error")
        assert "李四" in err and "3号工位" in err and "派遣" in err
        qtbot.waitUntil(form.isVisible)  # the form is back, as the officer typed it
        assert actions.dialog is form and form.text.toPlainText() == "现场已核实，待派遣"
        with desk_a.session() as s:
            verbs = [r[0] for r in s.execute(text("SELECT verb FROM outbox WHERE ticket_id=:t"), {"t": t.id})]
            assert verbs == ["dispatch"] and repo.get_ticket(s, t.id).version == 4
        form.reject()
    finally:
        desk_a.close()
        desk_b.close()


def test_hall_database_down_the_action_is_refused_and_the_form_kept(qtbot, hall_url, pg_cluster):
    desk = Store.open(hall_url)
    try:
        t = ticket(2, state="registered", version=1)
        feed.apply_changes(desk, [change(t)], "c", now=NOW)
        with desk.session() as s:
            seen = repo.get_ticket(s, t.id)
        ctx = AppContext(store=desk, actor=ZHANG, tasks=TaskRunner(inline=True), clock=lambda: NOW)
        messages: list[tuple[str, str]] = []
        ctx.notify.sig_message.connect(lambda level, msg: messages.append((level, msg)))
        host = QWidget()
        qtbot.addWidget(host)
        actions = TicketActions(ctx, host, current=lambda: seen, selected=lambda: [seen])
        actions.trigger("annotate")
        form = actions.dialog
        qtbot.waitUntil(form.isVisible)
        form.text.setPlainText("断网期间的备注")
        ok = form.buttons.button(QDialogButtonBox.StandardButton.Ok)
        pg_cluster.stop(mode="immediate")
        try:
            qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: any(level == "error" for level, _m in messages), timeout=15000)
            assert "unreachable" in next(m for level, m in messages if level == "error")
            qtbot.waitUntil(form.isVisible)
            assert form.text.toPlainText() == "断网期间的备注"
        finally:
            pg_cluster.start()
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # the server is back: the same form applies
        assert wait_until(lambda: _annotations(desk, t.id) == ["断网期间的备注"], 15)
    finally:
        desk.close()


def _annotations(store, ticket_id: str) -> list[str]:
    import json

    with store.session() as s:
        return [json.loads(r[0]).get("text") for r in s.execute(text(
            "SELECT params FROM ticket_events WHERE ticket_id=:t AND action='annotate'"), {"t": ticket_id})]
