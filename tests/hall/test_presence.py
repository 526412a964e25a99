"""Presence: each desk shows who else in the hall has a ticket open or is acting on it,
in the queue row and the detail pane; a closed desk clears at once, a dead one expires."""

from __future__ import annotations

from console.domain.model import Actor, Role
from console.hall.presence import PresenceBeat
from console.qt.context import AppContext, TaskRunner
from localdb import Store, feed, hall
from tests.localdb.helpers import NOW, change, ticket

ZHANG = Actor("u1", "张三", Role.OFFICER, "1号工位")


def test_queue_row_and_detail_pane_show_who_handles_the_ticket(qtbot, hall_url):
    from views.queue_model import QueueModel
    from views.ticket_detail import TicketDetail

    desk_a, desk_b = Store.open(hall_url), Store.open(hall_url)
    tickets = [ticket(i, state="registered") for i in range(1, 4)]
    feed.apply_changes(desk_a, [change(t, i + 1) for i, t in enumerate(tickets)], "c", now=NOW)
    ctx = AppContext(store=desk_a, actor=ZHANG, tasks=TaskRunner(inline=True), clock=lambda: NOW)
    ctx.presence = PresenceBeat(desk_a, "1号工位", "1号工位").start()
    other = PresenceBeat(desk_b, "3号工位", "3号工位").start()
    try:
        ctx.presence.set_user(ZHANG.user_id, ZHANG.name)
        model = QueueModel(ctx)
        model.set_filter({})
        model.load_all()
        for row in range(model.rowCount()):
            model.index(row, 9).data()  # drawn rows are the cached ones
        detail = TicketDetail(ctx)
        qtbot.addWidget(detail)
        target = tickets[1].id
        detail.show_ticket(target)

        other.set_user("u2", "李四")
        other.set_ticket(target, hall.ACTING)
        row = model.row_of_ticket(target)
        qtbot.waitUntil(lambda: model.index(row, 9).data() == "正在处理：李四 · 3号工位"
                        or model.index(row, 9).data() == "Being handled: 李四 · 3号工位", timeout=10000)
        qtbot.waitUntil(lambda: "李四 · 3号工位" in detail.presence.text()
                        and not detail.presence.isHidden(), timeout=10000)
        others = [model.index(r, 9).data() for r in range(model.rowCount()) if r != row]
        assert not any("李四" in (o or "") for o in others)
        # this desk's own presence is not shown to itself; the other desk sees it
        with desk_b.session() as s:
            seen_by_b = hall.on_tickets(s, [target], exclude="3号工位")
        assert [p.user_name for p in seen_by_b[target]] == ["张三"]
        assert seen_by_b[target][0].activity == hall.VIEWING

        other.close()  # the other desk closes: gone at the next read
        qtbot.waitUntil(lambda: "李四" not in (model.index(row, 9).data() or "")
                        and detail.presence.isHidden(), timeout=10000)
    finally:
        ctx.presence.close()
        other.close()
        desk_a.close()
        desk_b.close()


def test_a_dead_desk_drops_out_after_the_expiry(hall_store):
    with hall_store.write() as s:
        hall.beat(s, "5号工位", label="5号工位", user_id="u5", user_name="王五", ticket_id="T1",
                  activity=hall.ACTING, now=NOW)
    with hall_store.session() as s:
        assert [p.desk for p in hall.on_tickets(s, ["T1"], now=NOW + hall.EXPIRY_S - 1)["T1"]] == ["5号工位"]
        assert hall.on_tickets(s, ["T1"], now=NOW + hall.EXPIRY_S + 1) == {}
        assert [p.workstation for p in hall.online(s, now=NOW + 1)] == ["5号工位"]
        assert hall.online(s, now=NOW + hall.EXPIRY_S + 1) == []
