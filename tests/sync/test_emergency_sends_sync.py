"""The emergency's sends against the real simulator on loopback: the scene video push the
platform confirms (the checklist's five-minute step stops on that receipt), the
conference, warnings with a life; and an emergency started during an outage whose
pushes and warnings reach the district once and in order when the link returns."""

from __future__ import annotations

import time
import uuid

import pytest
from sqlalchemy import text

from console.domain.model import Actor, Role
from console.operations import commander as cops
from console.operations import emergency_sends as sends
from console.operations.duty import DutyError
from console.sync.puller import Puller
from console.sync.pusher import Pusher
from localdb import repo_commander as rc
from localdb.feed import apply_changes

from .conftest import now
from .helpers import wait_until
from .test_duty_records_sync import LEADER_A, platform_records, scene, started

OFFICER_A = Actor("officer1", "信息员甲", Role.OFFICER, "WS-A")
SEND_KINDS = ("video_push", "conference", "warning")


def online_cameras(store, n: int) -> list[str]:
    with store.session() as s:
        return [r[0] for r in s.execute(text("SELECT id FROM cameras WHERE online=1 ORDER BY id LIMIT :n"),
                                        {"n": n})]


def steps_done(store, eid: str) -> dict[str, float | None]:
    with store.session() as s:
        return {i["step"]: i["done_at"] for i in rc.emergency_items(s, eid)}


def begin(store, client, kind: str, title: str, level: str, t: float, **kw) -> str:
    """Start a drill; a drill another test left running on the shared platform is ended first."""
    kw.setdefault("location_source", "map")
    with store.session() as s:
        left = rc.active_emergency(s)
    if left is not None:
        cops.end_emergency(store, LEADER_A, left["id"], t - 1, reason="上一演练结束")
        Pusher(store, client).drain()
    return cops.start_emergency(store, LEADER_A, kind, title, level, t, *scene(store), **kw)


def area(store) -> dict:
    lat, lon = scene(store)
    return {"lat": lat, "lon": lon, "radius_m": 800}


def test_the_video_push_is_done_when_the_platform_confirms_it(sim, direct, open_store):
    store = open_store()
    Puller(store, direct).catch_up()
    t = direct.health().server_time_epoch
    eid = begin(store, direct, "flood", "演练：浦明路积水", "IV", t)
    cams = online_cameras(store, 3)
    pid = sends.push_video(store, LEADER_A, eid, cams, t + 60, snapshots={cams[0]: b"\xff\xd8\xff" + b"0" * 500})
    assert steps_done(store, eid)["video"] is None  # pushed, not yet received: the clock runs on
    Pusher(store, direct).drain()
    assert steps_done(store, eid)["video"] is None  # the answer alone does not stop it either
    Puller(store, direct).catch_up()
    with store.session() as s:
        (push,) = rc.sends(s, eid, "video_push")
    assert push["entity_id"] == pid and push["confirmed_at"] is not None
    assert steps_done(store, eid)["video"] == push["confirmed_at"]  # the platform's receipt time
    assert [c["id"] for c in push["data"]["cameras"]] == cams and push["data"]["cameras"][0]["snapshot"]
    (rec,) = platform_records(direct, lambda r: r["kind"] == "video_push" and r["data"]["id"] == pid)
    assert rec["data"]["data"]["received_at"] == push["confirmed_at"]
    assert rec["data"]["data"]["cameras"][1]["stream_url"].endswith(f"/streams/{cams[1]}/main.m3u8")


def test_an_offline_camera_is_not_pushed_and_nothing_is_written(sim, direct, open_store):
    store = open_store()
    Puller(store, direct).catch_up()
    eid = begin(store, direct, "fire", "演练：仓库火情", "IV", now(), location_source="address",
                address="演练地址")
    cams = online_cameras(store, 2)
    with store.session() as s:
        cam = dict(s.execute(text("SELECT * FROM cameras WHERE id=:i"), {"i": cams[1]}).one()._mapping)
    apply_changes(store, [{"seq": 1, "kind": "camera", "op": "upsert", "id": cams[1],
                           "data": {**cam, "online": False}}], "cam-off")
    with store.session() as s:
        before = s.execute(text("SELECT count(*) FROM outbox")).scalar()
    with pytest.raises(DutyError, match=f"监控离线，不能推送：{cam['name']}"):
        sends.push_video(store, LEADER_A, eid, cams, now())
    with pytest.raises(DutyError, match="没有这些监控：CAM-NOPE"):
        sends.push_video(store, LEADER_A, eid, ["CAM-NOPE"], now())
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM outbox")).scalar() == before
        assert rc.sends(s, eid) == []


def test_a_warning_lives_issued_updated_cancelled_and_the_platform_acknowledges(sim, direct, open_store):
    store = open_store()
    Puller(store, direct).catch_up()
    t = now()
    eid = begin(store, direct, "flood", "演练：低洼积水", "IV", t)
    text_ = sends.draft_warning_text(store, eid, "yellow")
    assert "演练：低洼积水" in text_ and "请勿涉水通行" in text_
    with pytest.raises(DutyError, match="预警须在地图上划定范围"):
        sends.issue_warning(store, LEADER_A, eid, "yellow", None, text_, t + 10, t + 3600)
    with pytest.raises(DutyError, match="只有值班长或当前指挥长"):
        sends.issue_warning(store, OFFICER_A, eid, "yellow", area(store), text_, t + 10, t + 3600)
    wid = sends.issue_warning(store, LEADER_A, eid, "yellow", area(store), text_, t + 10, t + 3600)
    assert sends.update_warning(store, LEADER_A, wid, t + 600, level="orange") == 2
    assert sends.cancel_warning(store, LEADER_A, wid, t + 1200, "雨停，积水已退") == 3
    with pytest.raises(DutyError, match="该预警已撤销，不能再更新"):
        sends.update_warning(store, LEADER_A, wid, t + 1300, text="x")
    Pusher(store, direct).drain()
    Puller(store, direct).catch_up()
    with store.session() as s:
        w = rc.warning(s, wid)
        versions = rc.sends(s, eid, "warning")
    assert (w["state"], w["level"], w["version"], w["reason"]) == ("cancelled", "orange", 3, "雨停，积水已退")
    assert all(v["confirmed_at"] is not None for v in versions) and len(versions) == 3
    assert steps_done(store, eid)["warning"] == versions[0]["confirmed_at"]
    fed = platform_records(direct, lambda r: r["kind"] == "warning" and r["data"]["id"] == wid)
    assert [(r["data"]["data"]["version"], r["data"]["data"]["state"]) for r in fed] == [
        (1, "issued"), (2, "updated"), (3, "cancelled")]


def _raw(kind: str, data: dict, role: str = "shift_leader") -> dict:
    return {"record_id": str(uuid.uuid4()), "kind": kind, "data": data, "issued_at": time.time(),
            "actor": {"user_id": "leader1" if role == "shift_leader" else "officer1", "name": "x",
                      "role": role, "workstation": "WS-T"}}


def test_the_platform_refuses_bad_sends_with_a_code(sim, direct, open_store):
    store = open_store()
    Puller(store, direct).catch_up()
    eid = begin(store, direct, "gas", "演练：燃气泄漏", "IV", now())
    Pusher(store, direct).drain()
    t = time.time()
    w = {"id": str(uuid.uuid4()), "emergency_id": eid, "version": 1, "state": "issued", "level": "yellow",
         "area": {"lat": 31.18, "lon": 121.49, "radius_m": 300}, "text": "演练", "issued_at": t,
         "expires_at": t + 3600, "at": t}
    res = direct.send_duty_records([
        _raw("warning", {**w, "area": {"lat": 31.18}}),
        _raw("warning", {**w, "level": "green"}),
        _raw("warning", {**w, "state": "updated", "version": 2}),
        _raw("warning", w, role="officer"),
        _raw("video_push", {"id": "p1", "emergency_id": eid, "at": t, "cameras": [{"id": "CAM-NOPE"}]}),
        _raw("video_push", {"id": "p2", "emergency_id": "nope", "at": t, "cameras": [{"id": "x"}]}),
        _raw("conference", {"id": "c1", "emergency_id": eid, "at": t, "source": "manual"}),
    ])
    assert [(r["status"], r["code"]) for r in res] == [
        ("rejected", "missing_field"), ("rejected", "invalid_field"), ("rejected", "unknown_warning"),
        ("rejected", "forbidden_role"), ("rejected", "unknown_camera"), ("rejected", "unknown_emergency"),
        ("rejected", "missing_field")]
    assert "预警须在地图上划定范围" in res[0]["reason"]


def test_started_offline_everything_goes_out_in_order_once_when_the_link_returns(
        sim, direct, proxy, via_proxy, open_store):
    store = open_store()
    eng = started(store, via_proxy, "WS-A")
    try:
        with store.session() as s:
            left = rc.active_emergency(s)  # a drill another test left running on the shared platform
        if left is not None:
            cops.end_emergency(store, LEADER_A, left["id"], eng.platform_now(), reason="上一演练结束")
            eng.kick()
            wait_until(lambda: eng.outbox_depth() == 0, 20, what="the old drill ended")
        proxy.partition("refuse")
        wait_until(lambda: eng.link_state == "offline", 15, what="offline")
        t = eng.platform_now()
        eid = cops.start_emergency(store, LEADER_A, "flood", "演练：断网时积水", "III", t, *scene(store),
                                   location_source="map")
        cams = online_cameras(store, 2)
        pid = sends.push_video(store, LEADER_A, eid, cams, t + 30)
        cid = sends.record_conference(store, LEADER_A, eid, t + 60, joined=["区城运中心总值班室", "街道城运中心"])
        wid = sends.issue_warning(store, LEADER_A, eid, "yellow", area(store), "演练预警", t + 90, t + 7200)
        sends.update_warning(store, LEADER_A, wid, t + 120, level="orange")
        eng.kick()
        assert steps_done(store, eid)["video"] is None and steps_done(store, eid)["conference"] == t + 60
        queued = eng.outbox_depth()
        assert queued >= 1 + 8 + 1 + 4 * 2  # emergency, items, log; each send + its log line
        back = eng.platform_now()
        proxy.pass_through()

        def confirmed() -> bool:
            with store.session() as s:
                return all(x["confirmed_at"] is not None for x in rc.sends(s, eid)) and len(rc.sends(s, eid)) == 4
        wait_until(lambda: eng.outbox_depth() == 0 and confirmed(), 60, what="sent and confirmed")
        with store.session() as s:
            done = rc.sends(s, eid)
        fed = platform_records(direct, lambda r: r["kind"] in SEND_KINDS and r["data"]["emergency_id"] == eid)
        assert [(r["data"]["kind"], r["data"]["data"]["id"]) for r in fed] == [
            ("video_push", pid), ("conference", cid), ("warning", wid), ("warning", wid)]  # once each, in order
        assert [r["seq"] for r in fed] == sorted(r["seq"] for r in fed)
        assert all(x["confirmed_at"] >= back for x in done)  # when it really reached the district: after the outage
        assert steps_done(store, eid)["video"] == done[0]["confirmed_at"]
        assert fed[1]["data"]["data"]["source"] == "manual" and fed[1]["data"]["data"]["joined"][0] == "区城运中心总值班室"
    finally:
        assert eng.stop(10)


def test_resources_come_from_the_platform_and_are_assigned_once(sim, direct, open_store):
    store = open_store()
    Puller(store, direct).catch_up()
    with store.session() as s:
        res = rc.resources(s)
    supplies = [r for r in res if r["category"] == "supply"]
    forces = [r for r in res if r["category"] == "force"]
    assert len(supplies) == 6 and len(forces) == 4
    bags = next(r for r in supplies if r["name"] == "防汛沙袋")
    assert (bags["quantity"], bags["unit"], bags["location"]) == (2000, "袋", "街道防汛物资仓库")
    team = next(r for r in forces if r["name"] == "街道防汛抢险队")
    assert team["contact"] and team["phone"] and team["status"] == "standby"
    t = now()
    eid = begin(store, direct, "flood", "演练：调派物资", "IV", t)
    sends.assign_resource(store, LEADER_A, eid, bags["id"], t + 10, note="送至下立交")
    sends.assign_resource(store, LEADER_A, eid, team["id"], t + 20)
    with pytest.raises(DutyError, match="防汛沙袋已调派到本次应急处置"):
        sends.assign_resource(store, LEADER_A, eid, bags["id"], t + 30)
    with pytest.raises(DutyError, match="没有这项应急资源"):
        sends.assign_resource(store, LEADER_A, eid, "nope", t + 30)
    Pusher(store, direct).drain()
    Puller(store, direct).catch_up()
    with store.session() as s:
        done = rc.sends(s, eid, "resource_assignment")
        log = [r["text"] for r in rc.duty_log(s, t, t + 60)]
    assert [d["data"]["resource_id"] for d in done] == [bags["id"], team["id"]]
    assert all(d["confirmed_at"] is not None for d in done)
    assert "调派应急物资：防汛沙袋 2000袋（街道防汛物资仓库），送至下立交" in log
    res = direct.send_duty_records([_raw("resource_assignment", {"id": "a1", "emergency_id": eid,
                                                                  "resource_id": "nope", "at": t})])
    assert (res[0]["status"], res[0]["code"]) == ("rejected", "unknown_resource")
