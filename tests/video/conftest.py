"""Fixtures of the video wall tests: real media made with ffmpeg, served over loopback
HTTP, and a sample store whose cameras point at it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.video.streamserver import StreamServer, make_clip


@pytest.fixture(scope="session")
def media(tmp_path_factory) -> Path:
    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg is needed to make the test media: install it (make test does, as root)")
    d = tmp_path_factory.mktemp("media")
    make_clip(d / "clip.mp4", seconds=4)                       # main stream
    make_clip(d / "sub.mp4", seconds=4, size="320x180")       # substream
    make_clip(d / "long.mp4", seconds=30, crf=38)              # for throttled "live" playback
    (d / "notvideo.mp4").write_text("this is not a video\n" * 50)
    return d


@pytest.fixture
def server(media):
    srv = StreamServer(media).start()
    yield srv
    srv.stop()


@pytest.fixture
def store(tmp_path):
    from tests.factories import load_sample_store

    st = load_sample_store(tmp_path / "console.db", n_tickets=20)
    yield st
    st.close()


@pytest.fixture
def ctx(store, qtbot):
    from console.domain.model import Actor, Role
    from console.qt.context import AppContext

    c = AppContext(store=store, actor=Actor("officer1", "李信息员", Role.OFFICER, "WS-01"))
    yield c
    c.journal.stop()
    c.tasks.wait()


def set_cameras(store, **rows: dict) -> None:
    """Change camera rows through the feed (as the sync worker would)."""
    from localdb import repo_video
    from localdb.feed import apply_changes

    current = repo_video.get_cameras(store, rows)
    changes = []
    for cid, upd in rows.items():
        data = dict(current[cid] or {"id": cid, "name": cid, "lat": 31.18, "lon": 121.49,
                                     "grid_id": "G01", "source": "street"})
        data.update(upd)
        changes.append({"seq": 0, "kind": "camera", "op": "upsert", "id": cid, "data": data})
    apply_changes(store, changes, "test-cursor")


@pytest.fixture
def panel(ctx, qtbot):
    from views.video_wall import VideoWallPanel

    p = VideoWallPanel(ctx, autofill=False)  # the tests put cameras on the tiles themselves
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    qtbot.waitUntil(lambda: len(p.tree.model.cameras()) == 8, timeout=5000)
    yield p
    p.shutdown()


def make_panel(ctx, qtbot, autofill: bool = False):
    from views.video_wall import VideoWallPanel

    p = VideoWallPanel(ctx, autofill=autofill)
    qtbot.addWidget(p)
    p.resize(1100, 700)
    p.show()
    qtbot.waitUntil(lambda: len(p.tree.model.cameras()) == 8, timeout=5000)
    return p


@pytest.fixture(scope="session", autouse=True)
def _quiet_libav():
    """As the app does at start-up: keep FFmpeg's per-stream banners out of the test log."""
    from console.qt.media import quiet_libav

    quiet_libav()
