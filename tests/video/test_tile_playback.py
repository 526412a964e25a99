"""A tile plays real H.264 over HTTP, says what is wrong when it cannot, and recovers."""

from __future__ import annotations

from tests.video.conftest import set_cameras
from widgets.camera_tile import TileState


def _playing(tile, more_than: int = 0):
    return lambda: tile.state == TileState.PLAYING and tile.frames > more_than


def test_frames_arrive_and_snapshot_info_counts_them(panel, store, server, qtbot):
    set_cameras(store, CAM001={"stream_url": server.url("clip.mp4"), "substream_url": server.url("sub.mp4")})
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
    panel.set_layout("3x3")
    panel.assign(4, "CAM001")
    tile = panel.tiles[4]
    qtbot.waitUntil(_playing(tile, 5), timeout=8000)
    assert tile._url.endswith("sub.mp4")  # small tile: substream
    assert "测试路口1号" in tile._name.text()
    assert tile.state_text() == "Playing"
    info = panel.snapshot_info()
    assert info == {"cameras": 8, "video_playing": 1}
    frames = tile.frames
    qtbot.waitUntil(lambda: tile.frames > frames + 10, timeout=5000)  # it keeps playing
    img = tile.snapshot()
    assert img is not None and img.width() == 320


def test_maximised_tile_switches_to_main_stream(panel, store, server, qtbot):
    set_cameras(store, CAM001={"stream_url": server.url("clip.mp4"), "substream_url": server.url("sub.mp4")})
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
    panel.set_layout("3x3")
    panel.assign(1, "CAM001")
    tile = panel.tiles[1]
    qtbot.waitUntil(_playing(tile), timeout=8000)
    qtbot.mouseDClick(tile, __import__("PySide6.QtCore").QtCore.Qt.MouseButton.LeftButton)
    assert panel.maximised == 1
    assert [t.isVisible() for t in panel.tiles[:9]].count(True) == 1
    qtbot.waitUntil(lambda: tile._url.endswith("clip.mp4") and tile.state == TileState.PLAYING, timeout=8000)
    # "playing" comes with the main stream's first frame, which may trail the switch a
    # little on a loaded machine: wait for a frame of the main stream's size
    qtbot.waitUntil(lambda: getattr(tile.snapshot(), "width", lambda: 0)() == 640, timeout=8000)
    panel.toggle_maximise(1)
    assert panel.maximised is None and [t.isVisible() for t in panel.tiles].count(True) == 9


def test_bad_url_and_non_video_show_errors_while_others_play(panel, store, server, qtbot):
    set_cameras(store,
                CAM001={"stream_url": server.url("clip.mp4"), "substream_url": ""},
                CAM002={"stream_url": server.url("missing.mp4"), "substream_url": ""},
                CAM003={"stream_url": server.url("notvideo.mp4"), "substream_url": ""},
                CAM004={"stream_url": "", "substream_url": ""})
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
    panel.set_layout("2x2")
    for slot, cid in enumerate(["CAM001", "CAM002", "CAM003", "CAM004"]):
        panel.assign(slot, cid)
    good, missing, notvideo, empty = panel.tiles[:4]
    qtbot.waitUntil(lambda: missing.state == TileState.ERROR and notvideo.state == TileState.ERROR,
                    timeout=8000)
    assert notvideo.reason == "unsupported format"
    assert empty.state == TileState.ERROR and empty.reason == "no stream address"
    qtbot.waitUntil(lambda: missing.reason == "HTTP 404", timeout=5000)  # the server was asked
    assert missing.state_text() == "Error: HTTP 404"
    assert missing._stack.currentWidget() is missing._notice
    qtbot.waitUntil(_playing(good, 10), timeout=8000)
    assert panel.snapshot_info()["video_playing"] == 1


def test_offline_camera_says_so_without_trying(panel, store, server, qtbot):
    set_cameras(store, CAM008={"stream_url": server.url("clip.mp4"), "online": False})
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM008")["stream_url"] != "", timeout=5000)
    panel.assign(0, "CAM008")
    tile = panel.tiles[0]
    assert tile.state == TileState.OFFLINE
    assert tile.state_text() == "Offline"
    assert tile._player is None and server.requests == 0
    # the platform reports it online again: it starts playing in place
    set_cameras(store, CAM008={"online": True})
    panel.ctx.journal.poke()
    qtbot.waitUntil(_playing(tile), timeout=8000)


def test_dropped_stream_reconnects_and_recovers(panel, store, media, qtbot):
    from tests.video.streamserver import StreamServer

    srv = StreamServer(media, rate_bps=60_000).start()  # throttled: the player keeps reading
    try:
        set_cameras(store, CAM001={"stream_url": srv.url("long.mp4"), "substream_url": ""})
        panel.reload()
        qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
        panel.assign(0, "CAM001")
        tile = panel.tiles[0]
        qtbot.waitUntil(_playing(tile, 10), timeout=8000)
        srv.down = True  # cut the stream mid-play; new requests get 404
        qtbot.waitUntil(lambda: tile.state == TileState.RECONNECTING, timeout=8000)
        assert tile.state_text() == "Reconnecting"
        assert tile._stack.currentWidget() is tile._notice  # no frozen frame
        assert not tile.playing_recently()
        srv.down = False
        qtbot.waitUntil(_playing(tile), timeout=10000)
        assert tile.reconnects == 1
    finally:
        srv.stop()


def test_stalled_stream_is_noticed_and_retried(panel, store, media, qtbot):
    from tests.video.streamserver import StreamServer

    srv = StreamServer(media, rate_bps=60_000).start()
    try:
        set_cameras(store, CAM002={"stream_url": srv.url("long.mp4"), "substream_url": ""})
        panel.reload()
        qtbot.waitUntil(lambda: panel.tree.model.camera("CAM002")["stream_url"] != "", timeout=5000)
        tile = panel.tiles[0]
        tile.stall_s = 1.5
        tile.connect_timeout_s = 3.0
        panel.assign(0, "CAM002")
        qtbot.waitUntil(_playing(tile, 10), timeout=8000)
        srv.stall = True  # connection stays open, no data: the picture would freeze
        qtbot.waitUntil(lambda: tile.state == TileState.RECONNECTING, timeout=10000)
        assert "no picture" in tile.reason
        srv.stall = False
        qtbot.waitUntil(_playing(tile), timeout=10000)
    finally:
        srv.stop()


def test_backoff_doubles_up_to_the_cap(qtbot):
    from widgets.camera_tile import CameraTile

    tile = CameraTile(0)
    qtbot.addWidget(tile)
    tile.camera = {"id": "X", "name": "X", "online": True, "stream_url": "http://127.0.0.1:9/x"}
    waits = []
    for _ in range(7):
        tile._fail("stream unavailable")
        waits.append(tile._retry.interval() / 1000)
    tile.stop()
    assert waits == [1, 2, 4, 8, 16, 30, 30]
    assert tile.state == TileState.ERROR  # it never played: an error, not a reconnect
    tile._ever_played = True
    tile._fail("no picture for 5 s")
    assert tile.state == TileState.RECONNECTING
    tile._fail("unsupported format", fatal=True)
    assert tile._retry.interval() == 30_000 and tile.state == TileState.ERROR
    tile.stop()


def test_hidden_tiles_stop_decoding(panel, store, server, qtbot):
    set_cameras(store, **{f"CAM00{i}": {"stream_url": server.url("sub.mp4")} for i in range(1, 6)})
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM005")["stream_url"] != "", timeout=5000)
    panel.set_layout("3x3")
    for i in range(5):
        panel.assign(i, f"CAM00{i + 1}")
    qtbot.waitUntil(lambda: all(t.state == TileState.PLAYING for t in panel.tiles[:5]), timeout=8000)
    panel.set_layout("2x2")  # slot 4 is no longer shown
    assert panel.tiles[4]._player is None and panel.tiles[4].camera_id == "CAM005"
    panel.toggle_maximise(0)  # the others are hidden while one fills the wall
    assert all(t._player is None for t in panel.tiles[1:])
    panel.toggle_maximise(0)
    qtbot.waitUntil(lambda: all(t.state == TileState.PLAYING for t in panel.tiles[:4]), timeout=8000)
    panel.assign(1, None)  # unassigned: released
    assert panel.tiles[1]._player is None and panel.tiles[1].state == TileState.IDLE
