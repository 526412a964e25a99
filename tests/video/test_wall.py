"""The wall as an officer uses it: layouts, tree, patrol, linked video, snapshots."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDropEvent
from sqlalchemy import text

from tests.video.conftest import make_panel, set_cameras
from views.video_layouts import LAYOUTS
from widgets.camera_tile import CAMERA_MIME, TileState
from widgets.camera_tree import CAMERA_ID_ROLE


def _visible(panel) -> int:
    return sum(t.isVisible() for t in panel.tiles)


def test_layout_switch_changes_tile_count_and_is_restored(panel, ctx, qtbot):
    for name, cells in LAYOUTS.items():
        panel._layout_actions[name].trigger()
        assert _visible(panel) == len(cells), name
    panel._layout_actions["1+5"].trigger()
    big, small = panel.tiles[0], panel.tiles[1]
    assert big.width() > 1.5 * small.width()
    assert big.main_stream and not small.main_stream
    panel.assign(2, "CAM003")
    panel.assign(5, "CAM005")
    panel.shutdown()
    again = make_panel(ctx, qtbot)
    assert again.state.layout == "1+5" and _visible(again) == 6
    assert again.tiles[2].camera_id == "CAM003" and again.tiles[5].camera_id == "CAM005"
    assert again.tiles[0].camera is None
    again.shutdown()


def test_tree_groups_searches_and_plays_on_double_click(panel, qtbot):
    tree = panel.tree
    assert tree.proxy.rowCount() >= 2  # grouped by grid
    assert len(tree.visible_camera_ids()) == 8
    tree.search.setText("测试路口3")
    assert tree.visible_camera_ids() == ["CAM003"]
    grp = tree.proxy.index(0, 0)
    idx = tree.proxy.index(0, 0, grp)
    assert idx.data(CAMERA_ID_ROLE) == "CAM003"
    tree.view.scrollTo(idx)
    rect = tree.view.visualRect(idx)
    qtbot.mouseClick(tree.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(tree.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.tiles[0].camera_id == "CAM003"
    tree.search.clear()
    tree.group_combo.setCurrentIndex(1)  # by source
    assert tree.proxy.rowCount() == 1
    # offline state icon differs from online
    m = tree.model
    on = m.data(m.index_of("CAM001"), Qt.ItemDataRole.DecorationRole)
    off = m.data(m.index_of("CAM008"), Qt.ItemDataRole.DecorationRole)
    assert on.cacheKey() != off.cacheKey()


def test_drag_camera_onto_tile(panel, qtbot):
    m = panel.tree.model
    mime = m.mimeData([m.index_of("CAM006")])
    assert bytes(mime.data(CAMERA_MIME)).decode() == "CAM006"
    tile = panel.tiles[3]
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    tile.dropEvent(ev)
    assert tile.camera_id == "CAM006"
    assert panel.state.slots[3] == "CAM006"


def test_patrol_advances(panel, qtbot):
    panel.set_layout("2x2")
    seen = []
    panel.sig_assigned.connect(lambda slot, cid: seen.append((slot, cid)))
    panel.start_patrol(interval_ms=200)
    assert panel.patrolling and panel.patrol_action.isChecked()
    first = [t.camera_id for t in panel.tiles[:4]]
    assert first == ["CAM001", "CAM002", "CAM003", "CAM004"] or len(set(first)) == 4
    qtbot.waitUntil(lambda: [t.camera_id for t in panel.tiles[:4]] != first, timeout=3000)
    qtbot.waitUntil(lambda: len(seen) >= 12, timeout=3000)
    online = {c["id"] for c in panel.tree.model.cameras() if c["online"]}
    assert {cid for _s, cid in seen} == online  # cycles through every online camera
    panel.stop_patrol()
    assert not panel.patrolling
    assert all(t.camera is None for t in panel.tiles[:4])  # officer's own tiles come back


def test_open_cameras_near_highlights_nearest(panel, ctx, store, qtbot):
    cams = panel.tree.model.cameras()
    c1 = next(c for c in cams if c["id"] == "CAM001")
    with qtbot.waitSignal(panel.sig_linked_opened, timeout=5000) as sig:
        ctx.bus.sig_open_cameras_near.emit(c1["lat"], c1["lon"], 5000.0)
    ids = sig.args[0]
    assert ids[0] == "CAM001" and len(ids) == 4
    assert [t.camera_id for t in panel.tiles[:4]] == ids
    assert all(t.highlighted for t in panel.tiles[:4])
    panel.clear_highlights()
    assert not any(t.highlighted for t in panel.tiles)
    with qtbot.waitSignal(panel.sig_linked_opened, timeout=5000) as sig:
        ctx.bus.sig_emergency.emit({"id": "E1", "type": "fire", "lat": c1["lat"], "lon": c1["lon"],
                                    "level": "1", "title": "火警", "started_at": 0})
    from localdb import repo_video

    expected = [c["id"] for c in repo_video.cameras_near(store, c1["lat"], c1["lon"], 800.0, 6)]
    assert sig.args[0] == expected and len(expected) > 4 and panel.state.layout == "1+5"
    ctx.bus.sig_play_camera.emit("CAM007")
    assert "CAM007" in [t.camera_id for t in panel.tiles[:6]]


def test_new_alarm_opens_cameras_near_it(panel, ctx, store, qtbot):
    from localdb.feed import apply_changes

    c2 = panel.tree.model.camera("CAM002")
    alarm = {"seq": 0, "kind": "alarm", "op": "upsert", "id": "A1", "data": {
        "id": "A1", "sensor_id": "S001", "type": "smoke", "lat": c2["lat"] + 0.0001,
        "lon": c2["lon"], "raised_at": ctx.clock(), "cleared_at": None, "ticket_id": None,
        "level": "high"}}
    with qtbot.waitSignal(panel.sig_linked_opened, timeout=5000) as sig:
        apply_changes(store, [alarm], "c2")
        ctx.journal.poke()
    assert sig.args[0][0] == "CAM002"
    assert panel.tiles[0].highlighted


def test_camera_change_updates_tree_and_tile_in_place(panel, ctx, store, server, qtbot):
    set_cameras(store, CAM001={"stream_url": server.url("clip.mp4")})
    ctx.journal.poke()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
    panel.assign(0, "CAM001")
    tile = panel.tiles[0]
    qtbot.waitUntil(lambda: tile.state == TileState.PLAYING, timeout=8000)
    set_cameras(store, CAM001={"online": False})
    ctx.journal.poke()
    qtbot.waitUntil(lambda: tile.state == TileState.OFFLINE, timeout=5000)
    assert not panel.tree.model.camera("CAM001")["online"]
    assert tile._player is None


def test_snapshot_lands_on_ticket(panel, ctx, store, server, qtbot):
    set_cameras(store, CAM001={"stream_url": server.url("clip.mp4")})
    ctx.journal.poke()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
    panel.assign(0, "CAM001")
    qtbot.waitUntil(lambda: panel.tiles[0].state == TileState.PLAYING, timeout=8000)
    with store.session() as s:
        ticket_id = s.execute(text("SELECT id FROM tickets ORDER BY rid LIMIT 1")).scalar()
    ctx.bus.sig_select_ticket.emit(ticket_id)
    with qtbot.waitSignal(panel.sig_snapshot_attached, timeout=5000) as sig:
        assert panel.snapshot_to_ticket(0)
    sha = sig.args[1]
    with store.session() as s:
        row = s.execute(text("SELECT ticket_id, state, content_type, path FROM attachments "
                             "WHERE sha256=:h"), {"h": sha}).one()
        verb = s.execute(text("SELECT verb FROM outbox WHERE ticket_id=:t ORDER BY seq DESC"),
                         {"t": ticket_id}).scalar()
    assert row[0] == ticket_id and row[1] == "pending" and row[2] == "image/png"
    assert open(row[3], "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    assert verb == "annotate"


def test_detach_to_own_window_and_back(panel, store, server, qtbot):
    set_cameras(store, CAM001={"stream_url": server.url("clip.mp4")})
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
    panel.assign(0, "CAM001")
    tile = panel.tiles[0]
    panel.detach_action.trigger()
    win = panel.detached_window
    assert win is not None and win.isVisible() and tile.window() is win
    qtbot.waitUntil(lambda: tile.playing_recently(), timeout=8000)
    win.close()
    assert panel.detached_window is None and tile.window() is panel.window()
    qtbot.waitUntil(lambda: tile.playing_recently(), timeout=8000)
    assert not panel.state.detached
    # closing the console while the wall has its own window keeps it that way
    panel.set_detached(True)
    panel.shutdown()
    assert all(t._player is None for t in panel.tiles)
    again = make_panel(panel.ctx, qtbot)
    qtbot.waitUntil(lambda: again.detached_window is not None, timeout=3000)
    assert again.tiles[0].camera_id == "CAM001"
    again.shutdown()


def test_new_urgent_ticket_opens_cameras_near_it(panel, ctx, store, qtbot):
    from console.domain.model import CategoryKind, Channel, Priority, Ticket, TicketState
    from localdb.feed import apply_changes

    c5 = panel.tree.model.camera("CAM005")
    now = ctx.clock()
    t = Ticket(id="11111111-2222-3333-4444-555555555555", state=TicketState.PENDING,
               channel=Channel.IOT_ALARM, category_kind=CategoryKind.EVENT, category_code="02001",
               category_name="暴露垃圾", priority=Priority.URGENT, lat=c5["lat"], lon=c5["lon"],
               created_at=now, updated_at=now)
    with qtbot.waitSignal(panel.sig_linked_opened, timeout=5000) as sig:
        apply_changes(store, [{"seq": 0, "kind": "ticket", "op": "upsert", "id": t.id,
                               "data": t.to_dict()}], "c3")
        ctx.journal.poke()
    assert sig.args[0][0] == "CAM005"


def test_patrol_group_by_grid(panel):
    model = panel.tree.model
    key = model.group_keys()[0]
    panel.patrol_group.setCurrentIndex(panel.patrol_group.findData(f"grid:{key}"))
    ids = panel.patrol_cameras()
    members = [c for c in model.members(key)]
    assert set(ids) == {c["id"] for c in members if c["online"]}


def test_captions_in_chinese(panel, qtbot, tmp_path):
    from PySide6.QtCore import QCoreApplication, QTranslator

    from console.paths import I18N_DIR
    from console.qt.i18n import compile_ts

    qm = tmp_path / "video.zh_CN.qm"
    assert compile_ts(I18N_DIR / "video.zh_CN.ts", qm)
    tr = QTranslator()
    assert tr.load(str(qm))
    QCoreApplication.installTranslator(tr)
    try:
        panel.assign(0, "CAM008")
        assert panel.tiles[0].state_text() == "离线"
        panel.tiles[0].reason = "x"
        panel.tiles[0].state = TileState.ERROR
        assert panel.tiles[0].state_text() == "错误: x"
    finally:
        QCoreApplication.removeTranslator(tr)


def test_translation_is_complete():
    import json
    import subprocess
    import xml.etree.ElementTree as ET
    from glob import glob

    from console.paths import I18N_DIR, ROOT
    from console.qt.i18n import lupdate_binary

    ts = ET.parse(I18N_DIR / "video.zh_CN.ts")
    done = {(c.findtext("name"), m.findtext("source")) for c in ts.iter("context")
            for m in c.iter("message")
            if (m.find("translation").text or "").strip()
            and m.find("translation").get("type") not in ("unfinished", "obsolete", "vanished")}
    exe = lupdate_binary()
    if exe is None:
        return
    areas = json.loads((I18N_DIR / "areas.json").read_text())["video"]
    files = sorted({f for pat in areas for f in glob(str(ROOT / pat))})
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        out = f"{d}/probe.ts"
        subprocess.run([str(exe), "-silent", *files, "-ts", out], check=True, timeout=60)
        wanted = {(c.findtext("name"), m.findtext("source")) for c in ET.parse(out).iter("context")
                  for m in c.iter("message")}
    assert wanted - done == set()


def _alarm_view_with(ctx, store, qtbot, monkeypatch, camera_id: str):
    """An alarm a few metres from ``camera_id``, the alarm list beside the wall, 'yes' to the question."""
    from PySide6.QtWidgets import QMessageBox

    from localdb.feed import apply_changes
    from views.alarms import AlarmsView

    cam = repo_video_camera(store, camera_id)
    apply_changes(store, [{"seq": 0, "kind": "alarm", "op": "upsert", "id": "AL-cam", "data": {
        "id": "AL-cam", "sensor_id": "S001", "type": "smoke", "lat": cam["lat"] + 0.00005, "lon": cam["lon"],
        "raised_at": ctx.clock() - 60, "cleared_at": None, "ticket_id": None, "level": "high"}}], "alarm")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    view = AlarmsView(ctx)
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: [a["id"] for a in view.model.rows] == ["AL-cam"], timeout=5000)
    view.table.selectRow(0)
    return view


def repo_video_camera(store, camera_id: str) -> dict:
    from localdb import repo_video

    return repo_video.get_cameras(store, [camera_id])[camera_id]


def test_an_alarm_ticket_gets_the_nearest_cameras_snapshot(panel, ctx, store, server, qtbot, monkeypatch):
    set_cameras(store, CAM001={"stream_url": server.url("clip.mp4")})
    ctx.journal.poke()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
    view = _alarm_view_with(ctx, store, qtbot, monkeypatch, "CAM001")
    with qtbot.waitSignal(panel.sig_snapshot_attached, timeout=20000) as sig:
        view.ticket_button.click()
    ticket_id, sha = sig.args
    assert "CAM001" in [t.camera_id for t in panel.tiles]          # the officer sees what was captured
    with store.session() as s:
        channel, desc = s.execute(text("SELECT channel, description FROM tickets WHERE id=:t"),
                                  {"t": ticket_id}).one()
        att = s.execute(text("SELECT ticket_id, state FROM attachments WHERE sha256=:h"), {"h": sha}).one()
        verbs = [r[0] for r in s.execute(text("SELECT verb FROM outbox ORDER BY seq")).all()]
    assert channel == "iot_alarm" and "测试路口1" in desc
    assert tuple(att) == (ticket_id, "pending")
    assert verbs == ["create", "duty_record", "annotate"]          # the ticket, its alarm answer, the picture


def test_an_alarm_ticket_whose_camera_shows_nothing_says_so(panel, ctx, store, server, qtbot, monkeypatch):
    set_cameras(store, CAM002={"stream_url": server.url("notvideo.mp4")})
    ctx.journal.poke()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM002")["stream_url"] != "", timeout=5000)
    monkeypatch.setattr("views.video_wall.SNAPSHOT_WAIT_S", 3.0)
    warnings = []
    ctx.notify.sig_message.connect(lambda level, t: warnings.append(t) if level == "warning" else None)
    view = _alarm_view_with(ctx, store, qtbot, monkeypatch, "CAM002")
    view.ticket_button.click()
    qtbot.waitUntil(lambda: any("CAM002" in w for w in warnings), timeout=15000)
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM attachments")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM tickets WHERE description LIKE '%AL-cam%'")).scalar() == 1


def test_linked_video_passes_by_cameras_the_officer_may_not_see_without_a_refusal(panel, ctx, store, qtbot):
    set_cameras(store, CAM002={"security_level": 3})
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM002") is None, timeout=5000)
    warnings = []
    ctx.notify.sig_message.connect(lambda level, t: warnings.append(t) if level == "warning" else None)
    c2 = repo_video_camera(store, "CAM002")
    with qtbot.waitSignal(panel.sig_linked_opened, timeout=5000) as sig:
        ctx.bus.sig_open_cameras_near.emit(c2["lat"], c2["lon"], 5000.0)   # CAM002 is the nearest
    assert sig.args[0] and "CAM002" not in sig.args[0]
    assert "CAM002" not in [t.camera_id for t in panel.tiles]
    assert not any("CAM002" in w for w in warnings)


def test_wall_state_is_kept_in_the_contexts_own_data_directory(store, qtbot, tmp_path, _isolated_data_dir):
    """A window built on its own data directory (a benchmark, a second desk's test) keeps
    its wall there: the officer's saved wall in the default place is left as it was."""
    from console.domain.model import Actor, Role
    from console.paths import Paths
    from console.qt.context import AppContext
    from views.video_wall import VideoWallPanel

    own = Paths(tmp_path / "own").ensure()
    c = AppContext(store=store, actor=Actor("officer1", "李信息员", Role.OFFICER, "WS-01"), paths=own)
    p = VideoWallPanel(c, autofill=False)
    qtbot.addWidget(p)
    qtbot.waitUntil(lambda: len(p.tree.model.cameras()) == 8, timeout=5000)
    p._layout_actions["4x4"].trigger()
    p.assign(0, "CAM003")
    p.shutdown()
    c.journal.stop()
    c.tasks.wait()
    assert "layout=4x4" in own.layout.read_text() and "CAM003" in own.layout.read_text()
    assert not (_isolated_data_dir / "layout.ini").exists()
