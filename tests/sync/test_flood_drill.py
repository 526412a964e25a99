"""A flood drill as a shift leader runs it, against the real simulator on loopback: one
switch turns the panel to the flood plan, the scene video reaches the district with the
platform's receipt, a warning is issued and cancelled, the emergency ends, and the
printed report says what happened (checked in the PDF's text)."""

from __future__ import annotations

import re
import shutil
import subprocess

from console import emergency_report
from console import settings as S
from console.operations import emergency_sends as sends
from console.qt.context import AppContext, TaskRunner
from console.sync.puller import Puller
from console.sync.pusher import Pusher
from localdb import repo_commander as rc

from .test_duty_records_sync import LEADER_A, scene
from .test_emergency_sends_sync import area, online_cameras


def test_flood_drill_from_switch_to_report(sim, direct, open_store, qtbot, tmp_path):
    from views.emergency import EmergencyView

    store = open_store()
    Puller(store, direct).catch_up()
    with store.session() as s:
        left = rc.active_emergency(s)
    t0 = direct.health().server_time_epoch
    clock = [t0]
    ctx = AppContext(store=store, actor=LEADER_A, clock=lambda: clock[0], tasks=TaskRunner(inline=True))
    ctx.link.set_state("online")
    try:
        view = EmergencyView(ctx)
        qtbot.addWidget(view)
        if left is not None:  # a drill another test left running on the shared platform
            view.end("", "上一演练结束")
            Pusher(store, direct).drain()
        assert view.active is None
        got = []
        ctx.bus.sig_emergency.connect(got.append)
        view.start("flood", "防汛演练：浦明路下立交积水", "IV", *scene(store), address="浦明路下立交",
                   location_source="address")
        assert view.active is not None and got[-1]["profile"]["wall_layout"] == "1+7"
        assert "防汛防台专项应急预案" in view.header.text()
        assert ctx.settings.get(S.ALARM_OPEN_ALERT_MINUTES) == 5
        view.change_level("III", "积水超过40厘米")
        clock[0] = t0 + 120
        view.sends.push(online_cameras(store, 3))
        assert view.sends.table.item(0, 3).text() == view.sends.tr("waiting for the district")
        Pusher(store, direct).drain()
        Puller(store, direct).catch_up()
        view.reload()
        receipt = view.sends.rows[0]["confirmed_at"]
        assert receipt is not None and view.sends.table.item(0, 3).text() != view.sends.tr("waiting for the district")
        assert view.item_states()[0] == "done"  # within five minutes, by the platform's receipt
        view.sends.conference()
        view.sends.assign(["force-flood", "sup-sandbag"], "赴浦明路下立交")
        view.sends.issue("yellow", area(store), "浦明路下立交积水，请绕行", clock[0] + 3600)
        clock[0] = t0 + 1800
        view.sends._after()
        w = view.sends.live_warning()
        view.ctx.run_action(sends.cancel_warning, w["id"], clock[0], "积水已排除")
        Pusher(store, direct).drain()
        Puller(store, direct).catch_up()
        eid = view.active["id"]
        clock[0] = t0 + 3600
        view.reload()
        view.end("演练结束", "演练：其余步骤不执行")
        assert view.active is None and ctx.settings.source(S.ALARM_OPEN_ALERT_MINUTES) != "emergency"
        Pusher(store, direct).drain()
        pdf = tmp_path / "report.pdf"
        view.export_report(str(pdf))  # the ended emergency's report, noted in the duty log
        with store.session() as s:
            assert rc.duty_log(s, t0, clock[0] + 1)[-1]["text"] == f"应急处置报告已导出：{pdf}"
        assert emergency_report.record(store, eid).title.startswith("应急处置报告")
    finally:
        if ctx.journal is not None:
            ctx.journal.stop()
    exe = shutil.which("pdftotext")
    assert exe, "poppler-utils is installed by the set-up"
    text = subprocess.run([exe, "-enc", "UTF-8", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          timeout=60, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "应急处置报告：防汛演练：浦明路下立交积水" in flat
    assert "防汛防台专项应急预案（第1版）" in flat and "浦明路下立交" in flat
    assert "Ⅲ级（较大）" in flat and "积水超过40厘米" in flat
    assert "推送现场视频" in flat and "黄色预警第1版" in flat and "已撤销" in flat
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", text)  # dates and times, digits whole
    assert "调派：街道防汛抢险队" in flat and "防汛沙袋2000袋" in flat
    assert "未确认" not in flat  # every send has the district's receipt
