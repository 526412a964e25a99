"""The wall under an emergency plan: the plan's layout and the scene's cameras, then the
officer's wall back exactly (layout, every tile, the patrol)."""

from __future__ import annotations


def test_the_plans_wall_and_back_exactly(panel, ctx, qtbot):
    panel.set_layout("3x3")
    for slot, cid in enumerate(("CAM003", "CAM005", "", "CAM001")):
        panel.assign(slot, cid or None)
    panel.start_patrol(60_000)
    before = panel.wall_state()
    assert before[0] == "3x3" and before[2] is True
    c1 = panel.tree.model.camera("CAM001")
    with qtbot.waitSignal(panel.sig_linked_opened, timeout=5000) as sig:
        ctx.bus.sig_emergency.emit({"id": "E1", "type": "flood", "lat": c1["lat"], "lon": c1["lon"],
                                    "level": "IV", "title": "积水", "started_at": 0,
                                    "profile": {"wall_layout": "1+7", "ring_m": [300], "layers": [],
                                                "cameras": []}})
    layout, slots, patrolling = panel.wall_state()
    assert layout == "1+7" and not patrolling
    assert slots[:len(sig.args[0])] == sig.args[0] and sig.args[0][0] == "CAM001"
    ctx.bus.sig_emergency_end.emit()
    assert panel.wall_state() == before
    panel.stop_patrol()  # without the patrol, the tiles show the officer's own cameras again
    assert [t.camera_id for t in panel.tiles[:4]] == ["CAM003", "CAM005", None, "CAM001"]
    ctx.bus.sig_emergency.emit({"id": "E2", "type": "fire", "lat": c1["lat"], "lon": c1["lon"],
                                "level": "IV", "title": "火情", "started_at": 0,
                                "profile": {"wall_layout": "1+5", "ring_m": [100], "layers": [],
                                            "cameras": ["CAM008", "CAM002"]}})
    assert panel.wall_state()[0] == "1+5"
    ctx.bus.sig_emergency_end.emit()
    assert panel.wall_state() == ("3x3", before[1], False)
    assert [t.camera_id for t in panel.tiles[:4]] == ["CAM003", "CAM005", None, "CAM001"]


def test_the_scene_push_carries_a_fresh_frame_of_a_playing_camera(panel, store, server, qtbot):
    from tests.video.conftest import set_cameras
    from widgets.camera_tile import TileState

    set_cameras(store, CAM001={"stream_url": server.url("clip.mp4"), "substream_url": server.url("sub.mp4")})
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
    panel.assign(0, "CAM001")
    tile = panel.tiles[0]
    qtbot.waitUntil(lambda: tile.state == TileState.PLAYING and tile.frames > 3, timeout=8000)
    jpeg = panel.snapshot_jpeg("CAM001")
    assert jpeg is not None and jpeg[:3] == b"\xff\xd8\xff" and len(jpeg) < 120_000
    assert panel.snapshot_jpeg("CAM002") is None  # not on the wall: nothing to send


def test_a_restart_mid_emergency_still_goes_back_to_the_wall_from_before(panel, ctx, qtbot):
    from tests.video.conftest import make_panel

    panel.set_layout("3x3")
    for slot, cid in enumerate(("CAM004", "", "CAM006")):
        panel.assign(slot, cid or None)
    before = panel.wall_state()
    incident = {"id": "E9", "type": "flood", "lat": 31.18, "lon": 121.49, "level": "IV", "title": "积水",
                "started_at": 0, "profile": {"wall_layout": "1+7", "ring_m": [300], "layers": [], "cameras": []}}
    ctx.bus.sig_emergency.emit(incident)
    assert panel.wall_state()[0] == "1+7"
    panel.shutdown()  # the console goes down mid-emergency …
    again = make_panel(ctx, qtbot)  # … and comes back with the wall as the plan left it
    assert again.wall_state()[0] == "1+7"
    ctx.bus.sig_emergency.emit(incident)  # the running emergency is announced again at start
    ctx.bus.sig_emergency_end.emit()
    assert again.wall_state() == before
    again.shutdown()
