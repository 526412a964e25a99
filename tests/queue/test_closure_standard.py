"""核查 shows the category's closure standard (结案标准) as check boxes: passing without
every item ticked is refused at the dialog with the domain's message, nothing changes; with
all ticked the ticket is verified and the ticked items are on its timeline."""

from __future__ import annotations

from localdb import repo
from localdb.feed import apply_changes
from tests.queue.conftest import make_ctx, ticket_in_state

STANDARD = ["问题已处置完毕", "现场照片与报件位置一致"]


def _give_standard(store, t) -> None:
    with store.session() as s:
        cat = next(c for c in repo.categories(s)
                   if c["kind"] == t.category_kind.value and c["code"] == t.category_code)
    data = {k: cat[k] for k in ("kind", "code", "big_code", "big_name", "small_name",
                                "limit_hours", "limit_mode", "urgent_limit_hours")}
    data["closure_standard"] = STANDARD
    apply_changes(store, [{"seq": 90_001, "kind": "category", "op": "upsert",
                           "id": f"{t.category_kind.value}:{t.category_code}", "data": data}], "c-std")


def test_verify_needs_every_item_of_the_closure_standard_ticked(qtbot, store):
    from views.queue import QueuePanel

    tid = ticket_in_state(store, "feedback")
    with store.session() as s:
        t = repo.get_ticket(s, tid)
    _give_standard(store, t)
    p = QueuePanel(make_ctx(store))
    qtbot.addWidget(p)
    p.select_ticket(tid)
    act = p.actions.actions["verify"]
    assert act.isEnabled()
    act.trigger()
    d = p.actions.dialog
    assert [c.text() for c in d.standard_checks] == STANDARD
    d.standard_checks[0].setChecked(True)
    d._on_ok_clicked()  # one item not ticked
    assert d.standard_error.isVisible() and STANDARD[1] in d.standard_error.text()
    assert d.isVisible()
    with store.session() as s:
        assert repo.get_ticket(s, tid).state.value == "feedback"
    d.standard_checks[1].setChecked(True)
    d._on_ok_clicked()
    assert not d.standard_error.isVisible()

    def verified() -> bool:
        with store.session() as s:
            return repo.get_ticket(s, tid).state.value == "verified"
    qtbot.waitUntil(verified, timeout=10_000)
    with store.session() as s:
        ev = [e for e in repo.ticket_events(s, tid) if e["action"] == "verify"]
    assert len(ev) == 1 and all(item in str(ev[0]["params"]) for item in STANDARD)

    def on_timeline() -> bool:  # the detail's timeline names the confirmed items
        tl = p.detail.timeline
        return any(STANDARD[1] in tl.topLevelItem(i).text(c)
                   for i in range(tl.topLevelItemCount()) for c in range(tl.columnCount()))
    p.select_ticket(tid)
    qtbot.waitUntil(on_timeline, timeout=10_000)


def test_a_category_without_a_standard_shows_no_boxes(qtbot, store):
    from views.queue import QueuePanel

    tid = ticket_in_state(store, "feedback")
    p = QueuePanel(make_ctx(store))
    qtbot.addWidget(p)
    p.select_ticket(tid)
    p.actions.actions["verify"].trigger()
    d = p.actions.dialog
    assert d.standard_checks == []
    d._on_ok_clicked()

    def verified() -> bool:
        with store.session() as s:
            return repo.get_ticket(s, tid).state.value == "verified"
    qtbot.waitUntil(verified, timeout=10_000)
