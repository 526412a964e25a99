"""New ticket, second review, self-handling photo, needs attention."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from localdb import queue_query as qq
from localdb import repo
from tests.factories import LAT0, LON0
from tests.queue.conftest import NOW, ticket_in_state
from tests.queue.test_queue_panel import type_chinese


def _count(store):
    with store.session() as s:
        return qq.total(s)


def _open_new(panel, qtbot):
    qtbot.keyClick(panel.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    d = panel.dialog
    assert d is not None and d.objectName() == "new_ticket_dialog"
    return d


def test_new_ticket_errors_at_the_field_nothing_saved(panel, store, qtbot):
    before = _count(store)
    d = _open_new(panel, qtbot)
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    for key in ("category", "description", "address", "point"):
        assert d.errors[key].isVisible(), key
        assert d.errors[key].text()
    assert not d.errors["reporter_phone"].isVisible()
    assert _count(store) == before
    # too long, bad phone, a point outside every grid
    type_chinese(d.description, "井" * 2001)
    d.address.setText("x" * 201)
    d.reporter_phone.setText("abc")
    d.set_point(31.0, 121.0)
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert "2000" in d.errors["description"].text()
    assert "200" in d.errors["address"].text()
    assert d.errors["reporter_phone"].isVisible()
    assert d.errors["point"].isVisible()
    assert _count(store) == before
    assert d.isVisible()


def test_new_ticket_category_search_place_search_duplicate_warning(panel, store, qtbot):
    before = _count(store)
    d = _open_new(panel, qtbot)
    type_chinese(d.category_search, "井盖")
    assert d.selected_category()["small_name"] == "上水井盖"
    type_chinese(d.place_search, "济阳一村")
    assert d.places.count() >= 1
    qtbot.mouseClick(d.places.viewport(), Qt.MouseButton.LeftButton,
                     pos=d.places.visualItemRect(d.places.item(0)).center())
    assert d.lat.value() != 0 and "第1责任网格" in d.grid_label.text()
    type_chinese(d.description, "人行道井盖缺失，有行人跌落风险")
    d.reporter_phone.setText("13900001111")
    qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    # sample tickets are dense: nearby ones are shown first, nothing saved yet
    if d.dupes_label.isVisible():
        assert d.dupes.count() >= 1
        assert _count(store) == before
        qtbot.mouseClick(d.save_button, Qt.MouseButton.LeftButton)
    assert _count(store) == before + 1
    assert not d.isVisible()
    t = panel.detail.ticket
    assert t is not None and t.description.startswith("人行道井盖缺失")
    assert t.grids["resp_grid"] == "G01" and t.category_code == "01001"


def test_new_ticket_point_typed_in_grid(panel, store, qtbot):
    d = _open_new(panel, qtbot)
    d.set_point(LAT0 + 0.015, LON0 + 0.018)
    assert "第4责任网格" in d.grid_label.text()


def test_second_review_needs_another_officer_with_pin(qtbot, store):
    from console.operations import tickets as ops
    from tests.queue.conftest import OFFICER, make_ctx
    from views.queue import QueuePanel
    from views.review import SecondReviewDialog

    tid = ticket_in_state(store, "feedback")
    ops.verify(store, OFFICER, tid, True, NOW)
    p = QueuePanel(make_ctx(store))
    qtbot.addWidget(p)
    p.select_ticket(tid)
    act = p.actions.actions["second_review"]
    assert act.isEnabled()
    act.trigger()
    d = p.actions.dialog
    assert isinstance(d, SecondReviewDialog)
    d.user.setText("officer1")  # the verifier
    d.pin.setText("1234")
    d._on_ok_clicked()
    assert "verifier" in d.user_error.text() or d.user_error.text()
    d.user.setText("leader1")
    d.pin.setText("0000")
    d._on_ok_clicked()
    assert d.pin_error.isVisible()
    d.pin.setText("1234")
    d._on_ok_clicked()
    with store.session() as s:
        assert repo.get_ticket(s, tid).reviewed_by == "leader1"
    qtbot.waitUntil(p.actions.actions["close"].isEnabled)


def test_self_handle_checks_the_photo(qtbot, store, tmp_path):
    from tests.queue.conftest import make_ctx
    from views.queue import QueuePanel

    with store.session() as s:  # 自行处置: a category the catalogue marks simple
        tid = s.execute(__import__("sqlalchemy").text(
            "SELECT t.id FROM tickets t JOIN categories c ON c.kind = t.category_kind "
            "AND c.code = t.category_code WHERE t.state = 'pending' AND c.simple = 1 "
            "ORDER BY t.id LIMIT 1")).scalar_one()
    p = QueuePanel(make_ctx(store))
    qtbot.addWidget(p)
    p.select_ticket(tid)
    p.actions.actions["self_handle"].trigger()
    d = p.actions.dialog
    not_image = tmp_path / "note.jpg"
    not_image.write_bytes(b"not an image at all")
    d.photo.setText(str(not_image))
    d._on_ok_clicked()
    assert d.photo_error.isVisible() and d.isVisible()
    big = tmp_path / "big.png"
    big.write_bytes(b"\0" * (10 * 1024 * 1024 + 1))
    d.photo.setText(str(big))
    d._on_ok_clicked()
    assert "10 MB" in d.photo_error.text()
    img = QImage(64, 48, QImage.Format.Format_RGB32)
    img.fill(QColor("green"))
    good = tmp_path / "site.png"
    img.save(str(good))
    d.photo.setText(str(good))
    type_chinese(d.text, "已清理乱张贴")
    d._on_ok_clicked()
    with store.session() as s:
        t = repo.get_ticket(s, tid)
        atts = s.execute(__import__("sqlalchemy").text("SELECT sha256 FROM attachments")).scalars().all()
    assert t.state.value != "pending" and t.attachments
    assert t.attachments[-1] in atts
    # the photo is listed on the ticket and opens in the viewer
    qtbot.waitUntil(lambda: p.detail.attachments.count() >= 1)
    item = p.detail.attachments.item(0)
    p.detail.attachments.itemActivated.emit(item)
    viewer = p.detail.viewer
    assert viewer.isVisible() and not viewer._pixmap.isNull()
    assert viewer._pixmap.width() == 64
    viewer.close()


def test_needs_attention_lists_rejected_action_and_discards(panel, store, ctx, qtbot):
    from localdb import outbox

    tid = ticket_in_state(store, "registered")
    panel.select_ticket(tid)
    panel.actions.actions["urge"].trigger()
    panel.actions.dialog._on_ok_clicked()  # a plain 督办
    with store.session() as s:
        entry = outbox.next_batch(s, 10)[-1]
    outbox.apply_results(store, [{"command_id": entry["command_id"], "status": "rejected",
                                  "ticket": None, "reason": "平台拒绝：测试", "code": "forbidden_role"}], NOW)
    ctx.journal.poke()
    row = panel.model.row_of_ticket(tid)
    from views import queue_labels as L
    from views.queue_model import COLUMNS

    assert panel.model.index(row, COLUMNS.index("sync")).data() == L.sync_label(0, True)
    qtbot.waitUntil(lambda: "(1)" in panel.attention_button.text())
    qtbot.mouseClick(panel.attention_button, Qt.MouseButton.LeftButton)
    d = panel.dialog
    tree = d.list.tree
    assert tree.topLevelItemCount() == 1
    item = tree.topLevelItem(0)
    assert "平台拒绝：测试" in item.text(4)
    assert item.text(3) == "李信息员"
    qtbot.mouseClick(d.list.discard_button, Qt.MouseButton.LeftButton)
    assert tree.topLevelItemCount() == 0
    with store.session() as s:
        assert [e["action"] for e in repo.audit_log(s, tid)] == ["outbox_discard"]
