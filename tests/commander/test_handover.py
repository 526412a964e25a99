"""The handover record from a store with KNOWN tickets; signing with own PINs; PDF."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from console import handover as H
from console.operations import commander as ops
from console.operations import tickets as tops
from console.operations.duty import DutyError
from localdb import repo_commander as rc

from .conftest import LEADER, OFFICER, FakeClock, at, ticket

NOW = at(22, 22, 50)  # evening shift of the 22nd (15:00-23:00), ten minutes before its end


def known_tickets():
    ext = {"hours": 24, "reason": "材料未到", "by": "D01", "at": at(22, 9)}
    return {
        "A": ticket("pending", created=at(22, 8)),
        "B": ticket("accepted", created=at(22, 8)),
        "C": ticket("registered", created=at(22, 9), deadline=at(22, 23, 30)),
        "D": ticket("dispatched", created=at(22, 9), deadline=at(23, 6, 59)),
        "E": ticket("handling", created=at(22, 9), deadline=at(23, 7, 0)),      # next shift's end: excluded
        "F": ticket("handling", created=at(22, 9), deadline=at(22, 20, 0)),     # overdue now
        "G": ticket("dispatched", created=at(22, 9), deadline=at(22, 22, 55)),  # due in this shift
        "H": ticket("closed", created=at(22, 9), closed_at=at(22, 12), closed_on_time=True),
        "I": ticket("suspended", created=at(21, 9), suspended_since=at(22, 10)),
        "J": ticket("registered", created=at(22, 10), deadline=at(24, 10), needs_commander=True,
                    commander_reason="escalate", escalation_level=1),
        "K": ticket("handling", created=at(22, 10), deadline=at(22, 23, 59), needs_commander=True,
                    commander_reason="extension", extension_request=ext),
    }


@pytest.fixture
def seeded(make_store):
    t = known_tickets()
    store = make_store(list(t.values()))
    ops.add_note(store, LEADER, "上一班的记录", at(22, 14))               # previous shift: not included
    ops.add_note(store, LEADER, "巡查发现济阳路积水", at(22, 16))
    ops.link_changed(store, LEADER, "offline", at(22, 21), reason="专线中断")
    tops.annotate(store, OFFICER, t["B"].id, "离线时补充说明", at(22, 21, 30))  # one unsent action
    return store, t


def test_record_numbers_are_exact(seeded):
    store, t = seeded
    rec = H.build_record(store, NOW, link_state="offline", notes="注意K单延期")
    assert (rec["shift_date"], rec["shift"]) == ("2026-11-22", "evening")
    assert rec["shift_label"] == "中班 15:00–23:00"
    assert (rec["next"]["date"], rec["next"]["shift"]) == ("2026-11-22", "night")
    assert rec["open_by_state"] == {"pending": 1, "accepted": 1, "registered": 2, "dispatched": 2,
                                    "handling": 3, "suspended": 1}
    assert rec["open_total"] == 10
    assert rec["overdue"] == 1
    assert rec["due_next_shift"]["count"] == 3
    assert {r["id"] for r in rec["due_next_shift"]["tickets"]} == {t["C"].id, t["D"].id, t["K"].id}
    assert [r["number"] for r in rec["due_next_shift"]["tickets"]] == [t["C"].number, t["K"].number, t["D"].number]
    assert rec["commander_pending"]["count"] == 2
    assert {r["id"] for r in rec["commander_pending"]["tickets"]} == {t["J"].id, t["K"].id}
    # unsent: the annotate and the two notes (duty-log lines are synced as duty records)
    assert rec["link"] == {"state": "offline", "down": True, "unsent": 3, "needs_attention": 0}
    assert len(rec["outages"]) == 1 and rec["outages"][0]["ended_at"] is None
    assert rec["outages"][0]["reason"] == "专线中断"
    assert [c["id"] for c in rec["faults"]["cameras"]] == ["CAM008"]
    assert [s["id"] for s in rec["faults"]["sensors"]] == ["S001"]
    assert [h["text"] for h in rec["highlights"]] == ["巡查发现济阳路积水", "与区平台连接中断（专线中断）"]
    assert rec["on_duty"]["shift_leader"] == "值班长2" and rec["next_on_duty"]["shift_leader"] == "值班长3"
    assert rec["on_duty"]["commander"] == "王指挥"
    assert rec["notes"] == "注意K单延期"
    html = H.render_html(rec)
    assert "下一班内将到期工单（3件）" in html and "待指挥长决策事项（2件）" in html
    assert "未同步操作3条" in html


def test_sign_and_acknowledge_with_own_pins(seeded):
    store, _t = seeded
    rec = H.build_record(store, NOW, link_state="offline")
    with pytest.raises(DutyError, match="工号或密码错误"):
        ops.sign_handover_as(store, OFFICER, "leader2", "0000", rec["shift_date"], rec["shift"], rec, NOW)
    hid = ops.sign_handover_as(store, OFFICER, "leader2", "1234", rec["shift_date"], rec["shift"], rec, NOW,
                               notes="交班备注")
    with pytest.raises(DutyError):  # one handover per shift
        ops.sign_handover_as(store, OFFICER, "leader2", "1234", rec["shift_date"], rec["shift"], rec, NOW)
    with pytest.raises(DutyError, match="接班人"):
        ops.acknowledge_handover_as(store, OFFICER, "leader2", "1234", hid, NOW + 60)
    with pytest.raises(DutyError, match="工号或密码错误"):
        ops.acknowledge_handover_as(store, OFFICER, "leader3", "9999", hid, NOW + 60)
    assert ops.acknowledge_handover_as(store, OFFICER, "leader3", "1234", hid, NOW + 120) == "leader3"
    with store.session() as s:
        h = rc.handover(s, hid)
        past = rc.handovers(s)
        lines = [r["text"] for r in rc.duty_log(s, at(22, 15), at(23, 7))]
    assert h["state"] == "acknowledged" and h["from_user"] == "leader2" and h["acknowledged_by"] == "leader3"
    assert h["signed_at"] == NOW and h["acknowledged_at"] == NOW + 120 and h["notes"] == "交班备注"
    assert h["summary"]["open_total"] == 10 and h["summary"]["workstation_actor"] == OFFICER.user_id
    assert [p["id"] for p in past] == [hid]
    assert "交班签字" in lines and "接班确认" in lines


def test_pdf_export_has_chinese_text(seeded, tmp_path):
    store, _t = seeded
    rec = H.build_record(store, NOW, link_state="offline")
    out = H.export_pdf(rec, tmp_path / "handover.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True,
                              text=True, timeout=30).stdout
        assert "交接班记录" in text and "中班" in text


def test_handover_view_prepares_signs_and_lists(seeded, make_ctx, qtbot):
    from views.handover import HandoverView

    store, _t = seeded
    ctx = make_ctx(store, FakeClock(NOW), actor=OFFICER, link="offline")
    view = HandoverView(ctx)
    qtbot.addWidget(view)
    view.prepare()
    assert view.record is not None and view.record["open_total"] == 10
    assert "交接班记录" in view.preview.toPlainText()
    assert view.sign_button.isEnabled() and not view.ack_button.isEnabled()
    view.notes.setPlainText("夜班注意K单")
    errors = []
    ctx.notify.sig_message.connect(lambda level, text: errors.append(text))
    view.sign("leader2", "bad")
    assert errors and "密码只能是数字" in errors[-1]
    view.sign("leader2", "0000")
    assert "工号或密码错误" in errors[-1]
    view.sign("leader2", "1234")
    assert view.current is not None and view.current["state"] == "signed"
    assert view.history.count() == 1 and view.ack_button.isEnabled()
    view.acknowledge("leader3", "1234")
    assert view.current["state"] == "acknowledged"
    assert "夜班注意K单" in view.document().toPlainText()
    view.prepare()  # the shift already has its handover: it is shown, not rebuilt
    assert view.current is not None and view.current["state"] == "acknowledged"


def test_a_handover_cannot_hide_trouble(make_store):
    """Unresolved needs-attention items block the signature unless each is carried over
    with a note; the record names who holds command now and next, open alarms and the
    night handed to the police station."""
    from sqlalchemy import text

    from localdb import outbox
    from tests.commander.test_command_chain import chain_extra

    from .conftest import COMMANDER

    t = ticket("registered", created=at(22, 9), deadline=at(22, 20), needs_commander=True,
               commander_reason="escalate", name="无证设摊")
    store = make_store([t], chain_extra())
    ops.decide(store, COMMANDER, t.id, "instruct", "立即处置", at(22, 10))
    with store.session() as s:
        cid = s.execute(text("SELECT command_id FROM outbox WHERE verb='instruct'")).scalar()
    outbox.apply_results(store, [{"command_id": cid, "status": "rejected", "code": "no_command_authority",
                                  "reason": "指挥权现由常务副指挥长持有", "ticket": None}], at(22, 10, 1))
    rec = H.build_record(store, NOW)
    assert [(u["command_id"], u["reason"]) for u in rec["unresolved"]] == [(cid, "指挥权现由常务副指挥长持有")]
    assert rec["command_next"] == {"commander": "王指挥", "executive_deputy": "赵指挥"}   # the night of the 22nd
    heads = [h for h, _ in H.sections(rec)]
    assert "指挥权" in heads and "同步失败待处理（1项）" in heads

    with pytest.raises(DutyError, match="还有1项同步失败待处理"):
        ops.sign_handover_as(store, OFFICER, "leader2", "1234", rec["shift_date"], rec["shift"], rec, NOW)
    with pytest.raises(DutyError, match="逐项填写移交说明"):
        ops.sign_handover_as(store, OFFICER, "leader2", "1234", rec["shift_date"], rec["shift"], rec, NOW,
                             carry={cid: "   "})
    with store.session() as s:
        assert rc.handover_for_shift(s, rec["shift_date"], rec["shift"]) is None   # nothing half-done
    hid = ops.sign_handover_as(store, OFFICER, "leader2", "1234", rec["shift_date"], rec["shift"], rec, NOW,
                               carry={cid: "已报指挥长，明早重新批示"})
    with store.session() as s:
        h = rc.handover(s, hid)
    assert h["summary"]["carried_over"] == {cid: "已报指挥长，明早重新批示"}
    rows = dict(H.sections(h["summary"]))["同步失败待处理（1项）"]
    assert rows[1][3] == "已报指挥长，明早重新批示"
