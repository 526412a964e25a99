"""The emergency under its plan: who may switch, where it is, the plan version it keeps,
level changes as steps of the record, ending with open items, and the settings it raises."""

from __future__ import annotations

import copy
import json

import pytest
from sqlalchemy import text

from console import settings as S
from console.domain import authz
from console.domain.model import Actor, Role
from console.operations import commander as ops
from console.operations.duty import DutyError
from localdb import repo_commander as rc
from localdb.feed import apply_changes
from simulator.plans import PLANS
from tests.factories import SCENE

from .conftest import COMMANDER, LEADER, OFFICER, FakeClock, at

T0 = at(22, 10)


def plan_change(d: dict, seq: int = 1) -> dict:
    return {"seq": seq, "kind": "plan", "op": "upsert", "id": d["id"], "data": d}


def flood_v2() -> dict:
    d = copy.deepcopy(next(p for p in PLANS if p["type"] == "flood"))
    d["version"] = 2
    d["steps"].insert(3, {"id": "sandbags", "text": "沙袋、挡水板发放", "owner": "物资仓库", "limit_min": 45})
    return d


def start(store, actor=LEADER, kind="flood", level="IV", **kw):
    kw.setdefault("location_source", "map")
    return ops.start_emergency(store, actor, kind, "浦明路积水", level, T0, *kw.pop("at", SCENE), **kw)


def test_the_place_must_be_picked_or_found_never_a_default(make_store):
    store = make_store()
    with pytest.raises(DutyError, match="地图上选点或输入街道内的地址"):
        ops.start_emergency(store, LEADER, "flood", "积水", "IV", T0, *SCENE)  # no source
    with pytest.raises(DutyError, match="地图上选点"):
        ops.start_emergency(store, LEADER, "flood", "积水", "IV", T0, location_source="map")
    with pytest.raises(DutyError, match="不在本街道范围内"):
        start(store, at=(31.30, 121.60))
    with pytest.raises(DutyError, match="事发位置无效"):
        start(store, at=(float("nan"), 121.49))
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM emergencies")).scalar() == 0
        assert s.execute(text("SELECT count(*) FROM outbox")).scalar() == 0
    eid = start(store, address="浦明路88号", location_source="address")
    with store.session() as s:
        e = rc.emergency(s, eid)
    assert (e["lat"], e["lon"], e["address"], e["location_source"]) == (*SCENE, "浦明路88号", "address")


def test_only_the_shift_leader_or_the_commander_holding_command_switches(make_store):
    store = make_store()
    with pytest.raises(DutyError, match="只有值班长或当前指挥长可以启动应急"):
        start(store, actor=OFFICER)
    not_holding = Actor("commander2", "赵指挥", Role.COMMANDER, "WS-9")  # not today's 指挥长
    assert ops.start_why_not(store, not_holding, T0).code == "no_command_authority"
    with pytest.raises(DutyError):
        start(store, actor=not_holding)
    with store.session() as s:
        assert s.execute(text("SELECT count(*) FROM emergencies")).scalar() == 0
    eid = start(store, actor=COMMANDER)  # today's 指挥长 holds command
    with pytest.raises(DutyError):
        ops.change_level(store, not_holding, eid, "III", T0 + 60)
    with pytest.raises(DutyError):
        ops.end_emergency(store, OFFICER, eid, T0 + 60, reason="x")
    ops.end_emergency(store, LEADER, eid, T0 + 60, reason="演练结束")  # the shift leader may
    assert authz.record_why_not(OFFICER, "emergency", {"ended_at": T0}).code == "forbidden_role"


def test_a_running_emergency_keeps_its_plan_version_when_the_plan_changes(make_store):
    store = make_store()
    eid = start(store)
    with store.session() as s:
        before = [(i["text"], i["owner"], i["limit_min"]) for i in rc.emergency_items(s, eid)]
    assert before[:4] == [("推送现场视频", "值班长", 5.0), ("上线视频会议", "值班长", 15.0),
                          ("向区城运中心报告", "值班长", 30.0), ("排水泵站、移动泵车就位", "水务所", 30.0)]
    apply_changes(store, [plan_change(flood_v2())], "c-v2")
    with store.session() as s:
        assert rc.plan(s, "plan-flood")["version"] == 2
        assert [(i["text"], i["owner"], i["limit_min"]) for i in rc.emergency_items(s, eid)] == before
        assert rc.emergency(s, eid)["plan_version"] == 1
        assert ops.plan_of(s, "plan-flood", 1).version == 1  # the old version is still here
    ops.change_level(store, LEADER, eid, "III", T0 + 120, reason="积水超过30厘米")
    with store.session() as s:
        assert ops.plan_of(s, "plan-flood", rc.emergency(s, eid)["plan_version"]).version == 1
    ops.end_emergency(store, LEADER, eid, T0 + 600, reason="演练")
    eid2 = ops.start_emergency(store, LEADER, "flood", "第二次", "IV", T0 + 700, *SCENE, location_source="map")
    with store.session() as s:
        assert rc.emergency(s, eid2)["plan_version"] == 2
        assert "沙袋、挡水板发放" in [i["text"] for i in rc.emergency_items(s, eid2)]


def test_a_bad_plan_from_the_platform_is_quarantined_and_the_old_one_kept(make_store):
    store = make_store()
    bad = flood_v2()
    bad["steps"][2]["after"] = ["written"]  # report after written, written after report
    apply_changes(store, [plan_change(bad)], "c-bad")
    with store.session() as s:
        assert rc.plan(s, "plan-flood")["version"] == 1
        (reason,) = s.execute(text("SELECT reason FROM quarantine WHERE kind='plan'")).one()
    assert reason.startswith("预案不可用：") and "循环依赖" in reason
    older = copy.deepcopy(next(p for p in PLANS if p["type"] == "flood"))
    apply_changes(store, [plan_change(flood_v2())], "c-v2")
    apply_changes(store, [plan_change(older)], "c-late")  # version 1 again, late: kept, not current
    with store.session() as s:
        assert rc.plan(s, "plan-flood")["version"] == 2 and rc.plan(s, "plan-flood", 1) is not None


def test_levels_are_steps_of_the_record_and_only_the_plans_levels(make_store):
    store = make_store()
    eid = start(store, kind="gas", level="IV")
    with pytest.raises(DutyError, match="没有Ⅰ级（特别重大）响应"):
        ops.change_level(store, LEADER, eid, "I", T0 + 60)
    with pytest.raises(DutyError, match="当前已是"):
        ops.change_level(store, LEADER, eid, "IV", T0 + 60)
    ops.change_level(store, LEADER, eid, "II", T0 + 60, reason="泄漏扩大")
    ops.change_level(store, COMMANDER, eid, "III", T0 + 900, reason="已关阀")
    with store.session() as s:
        e = rc.emergency(s, eid)
        log = [r["text"] for r in rc.duty_log(s, T0, T0 + 3600)]
        recs = [json.loads(p) for (p,) in s.execute(text(
            "SELECT params FROM outbox WHERE json_extract(params, '$.kind')='emergency' ORDER BY seq"))]
    assert e["level"] == "III"
    assert [(x["level"], x["by"], x["reason"]) for x in json.loads(e["levels"])] == [
        ("IV", "leader1", ""), ("II", "leader1", "泄漏扩大"), ("III", "commander1", "已关阀")]
    assert "应急响应升级：Ⅳ级（一般） → Ⅱ级（重大）（泄漏扩大）" in log
    assert "应急响应降级：Ⅱ级（重大） → Ⅲ级（较大）（已关阀）" in log
    assert [r["data"]["level"] for r in recs] == ["IV", "II", "III"]
    with pytest.raises(DutyError, match="没有Ⅳ级（一般）响应"):
        start(store, kind="hazmat", level="IV")  # the hazmat plan starts at Ⅲ


def test_ending_with_open_items_needs_a_reason_and_ending_twice_is_refused(make_store):
    store = make_store()
    eid = start(store, kind="utility")
    with store.session() as s:
        items = rc.emergency_items(s, eid)
    for it in items[:-1]:
        ops.check_item(store, OFFICER, eid, it["position"], T0 + 60)
    with pytest.raises(DutyError, match="还有1项处置未完成（书面续报），请填写未完成的原因"):
        ops.end_emergency(store, LEADER, eid, T0 + 600)
    with store.session() as s:
        assert rc.emergency(s, eid)["ended_at"] is None
    summary = ops.end_emergency(store, LEADER, eid, T0 + 600, reason="明早补报")
    assert "书面续报：未完成" in summary and "未完成原因：明早补报" in summary
    with store.session() as s:
        assert rc.emergency(s, eid)["end_reason"] == "明早补报"
    with pytest.raises(DutyError, match="应急处置已结束"):
        ops.end_emergency(store, LEADER, eid, T0 + 700, reason="x")
    with pytest.raises(DutyError, match="应急处置已结束"):
        ops.check_item(store, OFFICER, eid, items[-1]["position"], T0 + 700)
    eid2 = start(store, kind="general")
    with store.session() as s:
        for it in rc.emergency_items(s, eid2):
            ops.check_item(store, OFFICER, eid2, it["position"], T0 + 60)
    assert "未完成原因" not in ops.end_emergency(store, LEADER, eid2, T0 + 900)  # nothing open: none asked


def test_the_plan_raises_thresholds_while_it_runs_and_ending_restores_them(make_store, make_ctx, qtbot):
    from views.emergency import EmergencyView

    store = make_store()
    ctx = make_ctx(store, FakeClock(T0), actor=LEADER)
    ctx.settings.set(S.WARNING_LEAD_MINUTES, 90)  # the officer's own choice
    view = EmergencyView(ctx)
    qtbot.addWidget(view)
    before = {o.key: ctx.settings.get(o) for o in ctx.settings.options()}
    view.start("flood", "浦明路积水", "IV", *SCENE, location_source="map")
    assert view.active is not None
    assert ctx.settings.get(S.WARNING_LEAD_MINUTES) == 240 and ctx.settings.get(S.ALARM_OPEN_ALERT_MINUTES) == 5
    assert ctx.settings.source(S.WARNING_LEAD_MINUTES) == "emergency"
    view.change_level("II", "扩大")
    assert view.active["level"] == "II" and view.level_box.currentData() == "II"
    with store.session() as s:
        for it in rc.emergency_items(s, view.active["id"]):
            ops.check_item(store, LEADER, view.active["id"], it["position"], T0 + 60)
    view.reload()
    view.end()
    assert view.active is None
    assert {o.key: ctx.settings.get(o) for o in ctx.settings.options()} == before


def test_an_officer_sees_the_switch_but_cannot_press_it(make_store, make_ctx, qtbot):
    from views.emergency import EmergencyView

    ctx = make_ctx(make_store(), FakeClock(T0), actor=OFFICER)
    view = EmergencyView(ctx)
    qtbot.addWidget(view)
    assert not view.start_button.isEnabled() and "值班长" in view.start_button.toolTip()


def test_snapshot_says_how_many_plans_and_which_emergency_runs(make_store, make_ctx):
    from console import snapshot

    store = make_store()
    ctx = make_ctx(store, FakeClock(T0), actor=LEADER)
    info = snapshot.collect(ctx, None)
    assert (info["plans"], info["emergency"]) == (8, None)
    start(store, kind="gas", level="III")
    info = snapshot.collect(ctx, None)
    assert info["emergency"] == {"plan": "plan-gas", "plan_version": 1, "type": "gas", "level": "III",
                                 "title": "浦明路积水", "started_at": T0}
    assert list(info) == snapshot.keys()


def test_every_desk_of_the_hall_turns_to_the_plan_when_the_emergency_arrives(make_store, make_ctx, qtbot):
    """Desk A starts; its records reach desk B over the feed; B's panel applies the same
    profile (thresholds, the incident with the plan's wall and map) and, at the end,
    restores B's own settings."""
    from views.emergency import EmergencyView

    a, b = make_store(name="a.sqlite3"), make_store(name="b.sqlite3")
    ctx_b = make_ctx(b, FakeClock(T0 + 5), actor=OFFICER)
    view_b = EmergencyView(ctx_b)
    qtbot.addWidget(view_b)
    got = []
    ctx_b.bus.sig_emergency.connect(got.append)
    before = {o.key: ctx_b.settings.get(o) for o in ctx_b.settings.options()}

    def relay(start_seq: int) -> int:
        """What the platform does: A's duty records, in order, as feed items for B."""
        with a.session() as s:
            out = s.execute(text("SELECT seq, params FROM outbox WHERE verb='duty_record' AND seq > :q "
                                 "ORDER BY seq"), {"q": start_seq}).all()
        feed = [{"seq": n, "kind": "duty_record", "op": "upsert", "id": json.loads(p)["record_id"],
                 "data": json.loads(p)} for n, (_q, p) in enumerate(out, start=1)]
        apply_changes(b, feed, f"c{start_seq}")
        view_b.reload()  # what the journal follower does on the change
        return out[-1][0] if out else start_seq

    eid = start(a, kind="flood", level="IV")
    seq = relay(0)
    assert view_b.active is not None and view_b.active["id"] == eid
    assert got and got[-1]["profile"]["wall_layout"] == "1+7" and got[-1]["plan_version"] == 1
    assert ctx_b.settings.get(S.WARNING_LEAD_MINUTES) == 240
    assert not view_b.start_button.isEnabled()  # B's officer cannot end it either
    with a.session() as s:
        items = rc.emergency_items(s, eid)
    for it in items:
        ops.check_item(a, LEADER, eid, it["position"], T0 + 60)
    ops.end_emergency(a, LEADER, eid, T0 + 900)
    with qtbot.waitSignal(ctx_b.bus.sig_emergency_end, timeout=1000):
        relay(seq)
    assert view_b.active is None
    assert {o.key: ctx_b.settings.get(o) for o in ctx_b.settings.options()} == before


def test_the_report_says_a_warning_expired_only_once_its_time_is_up(make_store, tmp_path):
    import re
    import shutil
    import subprocess

    from console import emergency_report
    from console.operations import emergency_sends as sends

    store = make_store()
    eid = start(store, kind="flood", address="浦明路下立交", location_source="address")
    sends.issue_warning(store, LEADER, eid, "yellow", {"lat": SCENE[0], "lon": SCENE[1], "radius_m": 800},
                        "请绕行", T0 + 60, T0 + 3600)
    states = {}
    for label, t in (("during", T0 + 600), ("after", T0 + 4000)):
        pdf = emergency_report.write_pdf(store, eid, tmp_path / f"{label}.pdf", now=t)
        text = subprocess.run([shutil.which("pdftotext"), "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              text=True, timeout=60, check=True).stdout
        flat = re.sub(r"\s+", "", text)
        states[label] = ("已过期" in flat, "已发布" in flat)
        assert "应急处置报告：浦明路积水" in flat and "2026-11-22" in text
    assert states == {"during": (False, True), "after": (True, True)}  # issued in the sends, expired later


def test_the_handover_carries_the_emergency_with_its_sends_and_receipts(make_store):
    from console import handover as H
    from console.operations import emergency_sends as sends

    store = make_store()
    eid = start(store, kind="fire", level="IV")
    sends.issue_warning(store, LEADER, eid, "red", {"lat": SCENE[0], "lon": SCENE[1], "radius_m": 300},
                        "请撤离", T0 + 60, T0 + 3600)
    ops.end_emergency(store, LEADER, eid, T0 + 600, reason="移交消防")
    rec = H.build_record(store, T0 + 900)
    (e,) = [x for x in rec["emergencies"] if x["id"] == eid]
    assert (e["plan_id"], e["plan_version"], e["sent"], e["confirmed"], e["end_reason"]) == (
        "plan-fire", 1, 1, 0, "移交消防")  # offline here: sent, not yet confirmed
    html = H.render_html(rec)
    assert "0/1" in html and "移交消防" in html
