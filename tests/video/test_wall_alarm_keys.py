"""The wall as duty officers ask for it: an alarm pauses the patrol and marks its cameras
until acknowledged, then the patrol goes on; arrow keys step cameras, number keys pick
layouts; a camera's offline history leaves out blips."""

from __future__ import annotations

from PySide6.QtCore import Qt

from localdb.feed import apply_changes


def test_alarm_pauses_patrol_until_acknowledged(panel, ctx, store, qtbot):
    toasts = []
    ctx.notify.sig_toast.connect(lambda title, body, sound: toasts.append(sound))
    panel.set_layout("2x2")
    panel.start_patrol(interval_ms=200)
    c3 = panel.tree.model.camera("CAM003")
    alarm = {"seq": 0, "kind": "alarm", "op": "upsert", "id": "A9", "data": {
        "id": "A9", "sensor_id": "S001", "type": "smoke", "lat": c3["lat"], "lon": c3["lon"],
        "raised_at": ctx.clock(), "cleared_at": None, "ticket_id": None, "level": "high"}}
    with qtbot.waitSignal(panel.sig_linked_opened, timeout=5000):
        apply_changes(store, [alarm], "c-alarm")
        ctx.journal.poke()
    assert not panel.patrolling and panel.tiles[0].camera_id == "CAM003" and panel.tiles[0].highlighted
    assert toasts == [True] and panel.ack_action.isEnabled()        # with a sound
    shown = [t.camera_id for t in panel.tiles[:4]]
    assert not panel.patrol.active                                   # no step will move the alarm's cameras
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_Space)
    assert panel.patrolling and not any(t.highlighted for t in panel.tiles)
    qtbot.waitUntil(lambda: [t.camera_id for t in panel.tiles[:4]] != shown, timeout=3000)
    panel.stop_patrol()


def test_arrow_and_number_keys(panel, qtbot):
    panel.set_layout("2x2")
    panel.assign(0, "CAM001")
    panel.setFocus()
    ids = [c["id"] for c in panel.tree.model.cameras()]
    qtbot.keyClick(panel, Qt.Key.Key_Right)
    assert panel.tiles[0].camera_id == ids[(ids.index("CAM001") + 1) % len(ids)]
    qtbot.keyClick(panel, Qt.Key.Key_Left)
    assert panel.tiles[0].camera_id == "CAM001"
    qtbot.keyClick(panel, Qt.Key.Key_3)
    assert panel.state.layout == "3x3"
    qtbot.keyClick(panel, Qt.Key.Key_1)
    assert panel.state.layout == "1"


def test_offline_history_leaves_out_blips(panel, ctx, store, qtbot, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    t = ctx.clock()
    ev = [("offline", t - 4000), ("online", t - 3990), ("offline", t - 3000), ("online", t - 1200)]
    apply_changes(store, [{"seq": 0, "kind": "device_event", "op": "upsert", "id": f"E{i}", "data": {
        "id": f"E{i}", "device_kind": "camera", "device_id": "CAM001", "event": e, "at": at}}
        for i, (e, at) in enumerate(ev)], "c-dev")
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, body: shown.append((title, body)))
    panel.show_device_timeline("CAM001")
    (title, body), = shown
    assert "CAM001" in title and body.count("\n") == 1               # two events: the 10 s blip left out
