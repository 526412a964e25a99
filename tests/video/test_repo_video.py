"""Camera reads of the video wall, below Qt."""

from __future__ import annotations

from console.domain.geodesy import distance_m
from localdb import repo_video
from tests.video.conftest import set_cameras


def test_cameras_near_is_nearest_first_within_radius(store):
    cams = repo_video.list_cameras(store)
    assert len(cams) == 8 and all(c["stream_url"] == "" for c in cams)
    c = cams[0]
    near = repo_video.cameras_near(store, c["lat"], c["lon"], 1000.0, 3)
    assert near[0]["id"] == c["id"] and near[0]["distance_m"] == 0.0
    assert len(near) <= 3
    dists = [n["distance_m"] for n in near]
    assert dists == sorted(dists) and all(d <= 1000.0 for d in dists)
    every = repo_video.cameras_near(store, c["lat"], c["lon"], 100_000.0, 100)
    assert len(every) == 8
    inside = [x for x in cams if distance_m(c["lat"], c["lon"], x["lat"], x["lon"]) <= 300.0]
    assert {n["id"] for n in repo_video.cameras_near(store, c["lat"], c["lon"], 300.0, 100)} == \
        {x["id"] for x in inside}


def test_get_cameras_reports_deleted_as_none(store):
    set_cameras(store, CAM001={"stream_url": "http://x/1.mp4"})
    rows = repo_video.get_cameras(store, ["CAM001", "NOPE"])
    assert rows["CAM001"]["stream_url"] == "http://x/1.mp4" and rows["NOPE"] is None


def test_urgent_tickets_filters_recent_pending_located(store):
    from sqlalchemy import text

    with store.session() as s:
        ids = [r[0] for r in s.execute(text("SELECT id FROM tickets"))]
        expected = {r[0] for r in s.execute(text(
            "SELECT id FROM tickets WHERE priority IN ('urgent','critical') AND state='pending' "
            "AND lat IS NOT NULL AND created_at >= 0"))}
    got = repo_video.urgent_tickets(store, ids, 0.0)
    assert {t["id"] for t in got} == expected
    assert repo_video.urgent_tickets(store, ids, 9e12) == []
