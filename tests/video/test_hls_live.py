"""The wall plays the simulator's live HLS cameras (real server, real QtMultimedia)."""

from __future__ import annotations

import pytest

from tests.video.conftest import make_panel, set_cameras
from widgets.camera_tile import TileState

pytestmark = pytest.mark.usefixtures("ffmpeg")  # missing ffmpeg fails the tests


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    from simulator.testing import running_simulator

    with running_simulator(tmp_path_factory.mktemp("hls-sim"), history_days=0, streams=True) as s:
        yield s


def _urls(sim, sim_camera: str) -> dict:
    cam = sim.rt.camera_with_urls(sim.rt.cameras[sim_camera])
    return {"stream_url": cam["stream_url"], "substream_url": cam["substream_url"], "online": True}


def test_live_hls_plays_and_a_cut_shows_reconnecting(panel, store, sim, qtbot):
    sim_cam = "CAM002"
    urls = _urls(sim, sim_cam)
    assert urls["stream_url"].endswith(f"/streams/{sim_cam}/main.m3u8")
    set_cameras(store, CAM001=urls)
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM001")["stream_url"] != "", timeout=5000)
    panel.set_layout("2x2")
    tile = panel.tiles[0]
    tile.stall_s = 1.5
    panel.assign(0, "CAM001")
    qtbot.waitUntil(lambda: tile.state == TileState.PLAYING and tile.frames > 25, timeout=15000)
    assert tile._url == urls["stream_url"]  # 2 x 2: main stream
    assert tile.state_text() == "Playing"
    img = tile.snapshot()
    assert img is not None and (img.width(), img.height()) == (640, 360)
    assert panel.snapshot_info()["video_playing"] == 1
    # a plain grab (the console's --snapshot) shows the picture, not a black box
    shot = tile.grab().toImage()
    c = tile.video.geometry().center()
    colours = {shot.pixel(c.x() + dx, c.y() + dy) for dx in range(-60, 61, 20) for dy in range(-40, 41, 20)}
    assert len(colours) > 5

    sim.rt.cameras[sim_cam]["online"] = False  # the platform's camera drops: 503 on its stream
    try:
        qtbot.waitUntil(lambda: tile.state == TileState.RECONNECTING, timeout=10000)
        assert tile.state_text() == "Reconnecting"
        assert tile._stack.currentWidget() is tile._notice  # no frozen frame
        assert not tile.playing_recently()
    finally:
        sim.rt.cameras[sim_cam]["online"] = True
    qtbot.waitUntil(lambda: tile.state == TileState.PLAYING, timeout=15000)
    assert tile.reconnects == 1


def test_empty_wall_starts_with_the_first_online_cameras(ctx, store, sim, qtbot):
    urls = _urls(sim, "CAM001")
    # CAM001 has no stream address and CAM008 is offline: neither is put on the wall
    set_cameras(store, CAM003=urls, CAM005=urls, CAM008={**urls, "online": False})
    p = make_panel(ctx, qtbot, autofill=True)
    try:
        qtbot.waitUntil(lambda: p.tiles[0].camera_id is not None, timeout=5000)
        assert [t.camera_id for t in p.tiles[:4]] == ["CAM003", "CAM005", None, None]
        assert p.state.layout == "2x2"
        qtbot.waitUntil(lambda: p.snapshot_info()["video_playing"] == 2, timeout=15000)
    finally:
        p.shutdown()
    again = make_panel(ctx, qtbot, autofill=True)  # nothing saved yet: filled the same way
    try:
        qtbot.waitUntil(lambda: again.tiles[0].camera_id is not None, timeout=5000)
        again.assign(0, "CAM002")  # the officer's choice is kept from now on
        assert again.state.slots[:2] == ["CAM002", "CAM005"]
    finally:
        again.shutdown()
