"""The shift handover record (交接班): built from the store, printable, exportable as PDF.

Qt-free. ``build_record`` reads one consistent snapshot of the store and returns a
plain dict (stored as the handover's ``summary`` JSON, so a past handover shows what
the outgoing shift saw, not today's numbers). ``printed`` turns it into a
``console.printing.Record``: the one renderer gives the HTML preview (the view feeds it
to a QTextDocument) and the PDF (fonts embedded).

The record is Chinese: it is a document of the hall, read and filed in Chinese.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console import printing
from console.domain import roster as R
from console.domain.formatting import format_epoch
from localdb import repo_commander as rc

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)

SHIFT_ZH = {"day": "白班", "evening": "中班", "night": "夜班", "all": "全天"}
STATE_ZH = {
    "pending": "待受理", "accepted": "已受理", "registered": "已立案", "dispatched": "已派遣",
    "handling": "处置中", "feedback": "已反馈", "verified": "已核查", "closed": "已结案",
    "archived": "已存档", "suspended": "挂账中", "returned": "已退单",
}
REASON_ZH = {"escalate": "上提一级", "leader_dispatch": "领导派单", "extension": "延期审批",
             "overdue_key": "重点监管超时", "urge_district": "区级督办"}
LINK_ZH = {"online": "在线", "degraded": "不稳定", "offline": "离线"}
ROLE_ZH_CHAIN = {"commander": "指挥长", "executive_deputy": "常务副指挥长", "deputy": "副指挥长"}
HANDOVER_GRACE_S = 1800.0  # a handover written up to 30 min after the boundary is the old shift's


def shift_label(shift: str, plan: R.ShiftPlan = R.DEFAULT_PLAN) -> str:
    """"白班 07:00–15:00"."""
    try:
        s = plan._shift(shift)
    except KeyError:
        return SHIFT_ZH.get(shift, shift)
    return f"{SHIFT_ZH.get(shift, shift)} {s.start:%H:%M}–{s.end:%H:%M}"


def handover_shift(now: float, plan: R.ShiftPlan = R.DEFAULT_PLAN,
                   grace_s: float = HANDOVER_GRACE_S) -> tuple[str, str]:
    """The shift a handover written at ``now`` belongs to (duty date ISO, name)."""
    date, name = plan.shift_at(dt.datetime.fromtimestamp(now - grace_s, plan.tz))
    return date.isoformat(), name


def _fmt(ts: float | None, with_date: bool = False) -> str:
    return format_epoch(ts, "%m-%d %H:%M" if with_date else "%H:%M", placeholder="")


def _names(entries: list[R.RosterEntry], at: dt.datetime, plan: R.ShiftPlan) -> dict[str, Any]:
    d = R.on_duty(entries, at, plan)
    return {
        "commander": d.commander.name if d.commander else "",
        "shift_leader": d.shift_leader.name if d.shift_leader else "",
        "shift_leader_id": d.shift_leader.person_id if d.shift_leader else "",
        "officers": [e.name or e.person_id for e in d.officers],
    }


def build_record(store: Store, now: float, *, shift_date: str | None = None, shift: str | None = None,
                 link_state: str = "online", notes: str = "",
                 plan: R.ShiftPlan | None = None) -> dict[str, Any]:
    """Everything the incoming shift must know, as of ``now`` (platform time); shift
    times are the street's duty pattern unless ``plan`` is given."""
    from console.domain import command as C
    from console.operations import command as command_ops
    from console.operations import duty_pattern
    from localdb import repo_devices, repo_queue, repo_supervision

    plan = plan or duty_pattern.plan_of(store)
    if shift_date is None or shift is None:
        shift_date, shift = handover_shift(now, plan)
    date = dt.date.fromisoformat(shift_date)
    start, end = plan.shift_bounds(date, shift)
    ndate, nshift = plan.next_shift(date, shift)
    nstart, nend = plan.shift_bounds(ndate, nshift)
    t0, t1, n0, n1 = start.timestamp(), end.timestamp(), nstart.timestamp(), nend.timestamp()
    with store.session() as s:
        entries = rc.roster_entries(s, (date - dt.timedelta(days=1)).isoformat(), ndate.isoformat())
        by_state = rc.open_by_state(s)
        due_n, due_rows = rc.due_between(s, n0, n1)
        overdue = rc.overdue_count(s, now)
        cmd_n, cmd_rows = rc.commander_pending(s)
        outbox = rc.outbox_summary(s)
        outages = rc.link_outages(s, t0, min(t1, max(now, t0)) + 1)
        faults = rc.device_faults(s, t0, t1)
        emergencies = rc.emergencies(s, t0, t1)
        for e in emergencies:  # the emergency report's outline: what was sent, what reached the district
            sent = rc.sends(s, e["id"])
            e["sent"] = len(sent)
            e["confirmed"] = sum(1 for x in sent if x["confirmed_at"] is not None)
        log_rows = rc.duty_log(s, t0, max(t1, now) + 1)
        depts = rc.department_names(s)
        unresolved = repo_queue.needs_attention(s)
        open_alarms = repo_devices.open_alarm_count(s)
        alerts = repo_supervision.alerts_between(s, t0, max(t1, now) + 1)
        alerts_open = len(repo_supervision.unacknowledged(s))
        # the night handed to the police station that this shift ends or follows
        watch = rc.night_watch_for(s, shift_date) or (
            rc.night_watch_for(s, (date - dt.timedelta(days=1)).isoformat()) if shift == plan.names[0] else None)
    held = command_ops.command_now(store, now, plan)
    chain_next = C.chain_for(entries, ndate)
    for r in due_rows:
        r["department"] = depts.get(r.get("department_id") or "", "")
    highlights = [
        {"at": r["at"], "kind": r["kind"], "text": r["text"], "actor_id": r["actor_id"]}
        for r in log_rows if r["kind"] != "handover"
    ]
    return {
        "version": 1,
        "shift_date": shift_date, "shift": shift, "shift_label": shift_label(shift, plan),
        "start": t0, "end": t1, "generated_at": now,
        "next": {"date": ndate.isoformat(), "shift": nshift, "label": shift_label(nshift, plan),
                 "start": n0, "end": n1},
        "on_duty": _names(entries, start, plan),
        "next_on_duty": _names(entries, nstart, plan),
        "open_by_state": by_state,
        "open_total": sum(by_state.values()),
        "overdue": overdue,
        "due_next_shift": {"count": due_n, "tickets": due_rows},
        "commander_pending": {"count": cmd_n, "tickets": cmd_rows},
        "link": {"state": link_state, "down": link_state != "online", **outbox},
        "outages": outages,
        "faults": faults,
        "emergencies": [{k: e.get(k) for k in ("id", "kind", "title", "level", "started_at", "ended_at",
                                               "summary", "plan_id", "plan_version", "end_reason", "sent",
                                               "confirmed")} for e in emergencies],
        "highlights": highlights,
        "notes": notes,
        # what a handover must not hide (it cannot be signed over unresolved items without
        # a carry-over note each: console.operations.commander.sign_handover_as)
        "unresolved": [{"command_id": u["command_id"], "number": u["number"] or "", "verb": u["verb"],
                        "reason": u["reason"] or u["result_code"] or ""} for u in unresolved],
        "open_alarms": open_alarms,
        # supervision alerts of the shift (警示提醒): raised or acknowledged in it
        "alerts": [{k: a.get(k) for k in ("id", "kind", "ticket_id", "number", "raised_at", "level",
                                          "reminders", "acked_at", "acked_by", "ack_note")} for a in alerts],
        "alerts_open": alerts_open,
        "command": ({"holder": held.name or held.person_id, "role": held.role, "acting": held.acting}
                    if isinstance(held, C.Holder) else
                    {"gap": held.message} if isinstance(held, C.CommandGap) else {}),
        "command_next": {r: (e.name or e.person_id) for r, e in chain_next.items()},
        "night": None if watch is None else {
            "station": watch["station"], "handed_by": watch["handed_by"], "handed_at": watch["handed_at"],
            "taken_back_by": watch["taken_back_by"], "taken_back_at": watch["taken_back_at"],
            "arrived": (watch["summary"] or {}).get("arrived"),
            "urgent": len((watch["summary"] or {}).get("urgent", [])),
            "open_urgent_at_handoff": len(watch["details"].get("open_urgent", []))},
    }


# -- text forms -------------------------------------------------------------------------------

def sections(rec: dict[str, Any]) -> list[tuple[str, list[list[str]] | str]]:
    """The record as (heading, table rows or paragraph) — shared by HTML and PDF."""
    out: list[tuple[str, list[list[str]] | str]] = []
    duty_now, duty_next = rec["on_duty"], rec["next_on_duty"]
    out.append(("值班人员", [
        ["", "本班", "下一班"],
        ["班次", f"{rec['shift_date']} {rec['shift_label']}",
         f"{rec['next']['date']} {rec['next']['label']}"],
        ["轮值指挥长", duty_now["commander"] or "—", duty_next["commander"] or "—"],
        ["平台值班长", duty_now["shift_leader"] or "—", duty_next["shift_leader"] or "—"],
        ["平台信息员", "、".join(duty_now["officers"]) or "—", "、".join(duty_next["officers"]) or "—"],
    ]))
    order = list(STATE_ZH)
    states = [[STATE_ZH.get(k, k), str(v)] for k, v in
              sorted(rec["open_by_state"].items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)]
    out.append((f"在办工单（共{rec['open_total']}件，已超时{rec['overdue']}件）",
                [["状态", "数量"], *states] if states else "无"))
    due = rec["due_next_shift"]
    rows = [[t.get("number") or t["id"][:8], STATE_ZH.get(t["state"], t["state"]), t["category_name"],
             t.get("department") or "", _fmt(t["limit_deadline"], True)] for t in due["tickets"]]
    out.append((f"下一班内将到期工单（{due['count']}件）",
                [["编号", "状态", "类别", "处置部门", "到期"], *rows] if rows else "无"))
    cmd = rec["commander_pending"]
    rows = [[t.get("number") or t["id"][:8], REASON_ZH.get(t["commander_reason"], t["commander_reason"]),
             t["category_name"], t["address"]] for t in cmd["tickets"]]
    out.append((f"待指挥长决策事项（{cmd['count']}件）",
                [["编号", "事由", "类别", "地址"], *rows] if rows else "无"))
    link = rec["link"]
    text_ = f"与区平台连接：{LINK_ZH.get(link['state'], link['state'])}。"
    if link["down"] or link["unsent"] or link["needs_attention"]:
        text_ += f"未同步操作{link['unsent']}条，同步失败待处理{link['needs_attention']}条。"
    out.append(("同步状态", text_))
    rows = [[_fmt(o["started_at"], True), _fmt(o["ended_at"], True) or "未恢复", o.get("reason") or ""]
            for o in rec["outages"]]
    out.append(("本班链路中断", [["开始", "恢复", "原因"], *rows] if rows else "无"))
    f = rec["faults"]
    rows = [["摄像头离线", c["name"] or c["id"]] for c in f["cameras"]]
    rows += [["传感器" + ("告警" if x["status"] == "alarm" else "故障"), x["name"] or x["id"]]
             for x in f["sensors"]]
    rows += [["本班告警", f"{_fmt(a['raised_at'])} {a['type']} {a['sensor_id'] or ''}"] for a in f["alarms"]]
    out.append(("设备故障与告警", [["类型", "设备"], *rows] if rows else "无"))
    rows = [[e["title"], e["level"], _fmt(e["started_at"], True), _fmt(e["ended_at"], True) or "进行中",
             f"{e.get('confirmed') or 0}/{e.get('sent') or 0}", e.get("end_reason") or ""]
            for e in rec["emergencies"]]
    if rows:
        out.append(("应急处置（详见应急处置报告）", [["事件", "等级", "开始", "结束", "区平台确认/发送", "未完成原因"],
                                              *rows]))
    rows = [[_fmt(h["at"]), h["text"]] for h in rec["highlights"]]
    out.append(("值班日志摘要", [["时间", "内容"], *rows] if rows else "无"))
    cmd, nxt = rec.get("command") or {}, rec.get("command_next") or {}
    now_text = cmd.get("gap") or (f"{cmd['holder']}" + ("（代行指挥长职责）" if cmd.get("acting") else "")
                                  if cmd.get("holder") else "—")
    out.append(("指挥权", [["", "现在", "下一班"], ["持有/排班", now_text,
                                              "、".join(f"{ROLE_ZH_CHAIN.get(r, r)}{n}" for r, n in nxt.items()) or "未排班"]]))
    carried = rec.get("carried_over") or {}
    rows = [[u["number"] or "—", u["verb"], u["reason"], carried.get(u["command_id"], "")]
            for u in rec.get("unresolved") or []]
    out.append((f"同步失败待处理（{len(rows)}项）", [["工单", "操作", "原因", "移交说明"], *rows] if rows else "无"))
    if rec.get("alerts") or rec.get("alerts_open"):
        from console.domain.supervision import KIND_ZH

        rows = [[_fmt(a["raised_at"]), a.get("number") or a["ticket_id"][:8], KIND_ZH.get(a["kind"], a["kind"]),
                 f"{a['acked_by']} {_fmt(a['acked_at'])}" if a.get("acked_at") else "未确认"]
                for a in rec.get("alerts") or []]
        out.append((f"警示提醒（本班{len(rows)}条，全部待确认{rec.get('alerts_open', 0)}条）",
                    [["时间", "工单", "警示", "确认"], *rows] if rows else "本班无新警示"))
    if rec.get("open_alarms"):
        out.append(("未处置告警", f"{rec['open_alarms']}条物联告警尚未处置"))
    n = rec.get("night")
    if n:
        text_ = f"{_fmt(n['handed_at'], True)} 由{n['handed_by']}转接{n['station']}"
        text_ += (f"；{_fmt(n['taken_back_at'], True)} 由{n['taken_back_by']}收回，夜间新到工单{n['arrived']}件，"
                  f"其中紧急{n['urgent']}件" if n.get("taken_back_at") else "；尚未收回")
        out.append(("夜间转接", text_))
    out.append(("交班备注", rec.get("notes") or "无"))
    return out


def title(rec: dict[str, Any]) -> str:
    return f"交接班记录 {rec['shift_date']} {rec['shift_label']}"


def signature_line(rec: dict[str, Any], handover: dict[str, Any] | None = None,
                   users: dict[str, dict] | None = None) -> str:
    users = users or {}
    if not handover:
        return f"生成时间：{_fmt(rec['generated_at'], True)}　交班人：__________　接班人：__________"

    def who(uid: str | None) -> str:
        return (users.get(uid or "", {}) or {}).get("name") or uid or "__________"

    return (f"生成时间：{_fmt(rec['generated_at'], True)}　交班人：{who(handover.get('from_user'))}"
            f"（{_fmt(handover.get('signed_at'), True)}）　接班人：{who(handover.get('acknowledged_by'))}"
            f"（{_fmt(handover.get('acknowledged_at'), True) or '未确认'}）")


def printed(rec: dict[str, Any], handover: dict[str, Any] | None = None,
            users: dict[str, dict] | None = None) -> printing.Record:
    """The handover as a printed record (the one renderer: HTML preview and PDF)."""
    return printing.Record(title(rec), sections(rec), signature_line(rec, handover, users))


def render_html(rec: dict[str, Any], handover: dict[str, Any] | None = None,
                users: dict[str, dict] | None = None) -> str:
    return printing.to_html(printed(rec, handover, users))


def export_pdf(rec: dict[str, Any], path: str | Path, handover: dict[str, Any] | None = None,
               users: dict[str, dict] | None = None) -> Path:
    """The handover as a PDF with its font embedded (``printing.PrintError`` if it cannot
    be printed whole)."""
    return printing.write_pdf(printed(rec, handover, users), path)
