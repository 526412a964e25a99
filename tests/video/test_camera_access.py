"""Camera access by security level on the wall: the tree shows what the officer is cleared
for, a refused open is said and on record, a restricted camera plays with the platform's
grant (real simulator on loopback) and never without it."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.video.conftest import set_cameras


def _audit(store, action):
    with store.session() as s:
        return [r[0] for r in s.execute(text("SELECT details FROM audit_log WHERE action=:a"), {"a": action})]


def test_officer_does_not_see_a_police_camera_and_an_open_is_refused_on_record(panel, store, qtbot):
    set_cameras(store, CAM002={"source": "police", "security_level": 3}, CAM003={"security_level": 1})
    warnings = []
    panel.ctx.notify.sig_message.connect(lambda lvl, t: warnings.append(t) if lvl == "warning" else None)
    panel.reload()
    qtbot.waitUntil(lambda: len(panel.tree.model.cameras()) == 7, timeout=5000)
    assert panel.tree.model.camera("CAM002") is None and panel.tree.model.camera("CAM003") is not None
    panel.assign(0, "CAM002")                       # e.g. linked video asked for it
    assert panel.tiles[0].camera is None
    assert warnings and "CAM002" in warnings[-1] and "3级" in warnings[-1]
    qtbot.waitUntil(lambda: len(_audit(store, "camera_refused")) == 1, timeout=5000)
    assert "CAM002" in _audit(store, "camera_refused")[0]
    assert "CAM002" not in panel.patrol_cameras()


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    from simulator.testing import running_simulator

    with running_simulator(tmp_path_factory.mktemp("cam-sim"), seed=3, history_days=0.05, daily_rate=50) as sim:
        yield sim


def test_leader_opens_a_restricted_camera_with_the_platforms_grant(ctx, store, qtbot, platform):
    from console.domain.model import Actor, Role
    from console.sync.client import PlatformClient
    from views.video_wall import VideoWallPanel

    police = next(c for c in platform.rt.cameras.values() if c["source"] == "police")
    set_cameras(store, CAM004={"source": "police", "security_level": 3,
                               "stream_url": f"{platform.url}/streams/{police['id']}/main.m3u8",
                               "substream_url": f"{platform.url}/streams/{police['id']}/sub.m3u8"})
    ctx.actor = Actor("leader1", "值班长", Role.SHIFT_LEADER, "WS-02")
    client = PlatformClient(platform.url, platform.token)

    from console.sync.engine import SyncEngine

    ctx.sync = SyncEngine(store, client, "WS-02")   # not started: the grant is asked directly
    p = VideoWallPanel(ctx, autofill=False)
    qtbot.addWidget(p)
    try:
        qtbot.waitUntil(lambda: p.tree.model.camera("CAM004") is not None, timeout=5000)
        # the camera id on the platform differs from the sample's: ask for the real one
        p.tree.model.camera("CAM004")["id"] = police["id"]
        p.assign(0, "CAM004")
        qtbot.waitUntil(lambda: p.tiles[0].camera is not None, timeout=10000)
        assert "sig=" in p.tiles[0].camera["stream_url"] and "ws=WS-02" in p.tiles[0].camera["stream_url"]
        qtbot.waitUntil(lambda: len(_audit(store, "camera_open")) == 1, timeout=5000)
        assert platform.rt.camera_grants[-1]["user_id"] == "leader1"
        assert platform.rt.camera_grants[-1]["granted"]
        p.assign(1, "CAM004", manual=False)          # patrol passes a restricted camera by
        assert p.tiles[1].camera is None
    finally:
        p.shutdown()
        client.close()


def test_the_platforms_policy_is_obeyed_and_a_bad_one_keeps_the_default(panel, store, qtbot):
    from localdb import repo_video
    from localdb.feed import apply_changes

    set_cameras(store, CAM005={"security_level": 2})
    apply_changes(store, [{"seq": 0, "kind": "camera_policy", "op": "upsert", "id": "street",
                           "data": {"clearance": {"officer": 1}, "police_posts": []}}], "c-pol")
    policy, why = repo_video.camera_policy(store)
    assert why is None and policy.clearance["officer"] == 1
    panel.reload()
    qtbot.waitUntil(lambda: panel.tree.model.camera("CAM005") is None, timeout=5000)
    report = apply_changes(store, [{"seq": 0, "kind": "camera_policy", "op": "upsert", "id": "street",
                                    "data": {"clearance": {"officer": 99}}}], "c-pol2")
    assert report.quarantined == 1
    assert repo_video.camera_policy(store)[0].clearance["officer"] == 1    # the good one stays
