"""The shift handover record (交接班): built from the store, printable, exportable as PDF.

Qt-free. ``build_record`` reads one consistent snapshot of the store and returns a
plain dict (stored as the handover's ``summary`` JSON, so a past handover shows what
the outgoing shift saw, not today's numbers). ``render_html`` gives the text for
printing (the view feeds it to a QTextDocument); ``export_pdf`` writes the same
content with reportlab.

The record is Chinese: it is a document of the hall, read and filed in Chinese.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

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
             "overdue_key": "重点监管超时"}
LINK_ZH = {"online": "在线", "degraded": "不稳定", "offline": "离线"}
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
                 plan: R.ShiftPlan = R.DEFAULT_PLAN) -> dict[str, Any]:
    """Everything the incoming shift must know, as of ``now`` (platform time)."""
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
        log_rows = rc.duty_log(s, t0, max(t1, now) + 1)
        depts = rc.department_names(s)
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
        "emergencies": [{k: e[k] for k in ("id", "kind", "title", "level", "started_at", "ended_at",
                                           "summary")} for e in emergencies],
        "highlights": highlights,
        "notes": notes,
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
        text_ += f"未同步操作{link['unsent']}条，需处理{link['needs_attention']}条。"
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
    rows = [[e["title"], e["level"], _fmt(e["started_at"], True), _fmt(e["ended_at"], True) or "进行中"]
            for e in rec["emergencies"]]
    if rows:
        out.append(("应急处置", [["事件", "等级", "开始", "结束"], *rows]))
    rows = [[_fmt(h["at"]), h["text"]] for h in rec["highlights"]]
    out.append(("值班日志摘要", [["时间", "内容"], *rows] if rows else "无"))
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


def render_html(rec: dict[str, Any], handover: dict[str, Any] | None = None,
                users: dict[str, dict] | None = None) -> str:
    e = html.escape
    parts = [f"<h2>{e(title(rec))}</h2>"]
    for head, body in sections(rec):
        parts.append(f"<h3>{e(head)}</h3>")
        if isinstance(body, str):
            parts.append(f"<p>{e(body)}</p>")
            continue
        parts.append('<table border="1" cellspacing="0" cellpadding="3" width="100%">')
        for i, row in enumerate(body):
            tag = "th" if i == 0 else "td"
            parts.append("<tr>" + "".join(f"<{tag}>{e(str(c))}</{tag}>" for c in row) + "</tr>")
        parts.append("</table>")
    parts.append(f"<p>{e(signature_line(rec, handover, users))}</p>")
    return "\n".join(parts)


# -- PDF ----------------------------------------------------------------------------------------

#: TrueType CJK fonts reportlab can embed (it cannot embed CFF-outlined OpenType such as
#: the Noto Sans CJK .ttc of fonts-noto-cjk); tried in order.
TRUETYPE_CJK = (
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)
NOTO_CJK = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",)
_FONT: str | None = None


def pdf_font() -> str:
    """Register a CJK font with reportlab once; returns its name.

    Order: $DUTY_CONSOLE_PDF_FONT, Noto CJK, other TrueType CJK fonts (embedded);
    else the Adobe-GB1 CID font STSong-Light (not embedded: every PDF viewer supplies
    it, poppler maps it to Noto CJK through fontconfig).
    """
    global _FONT
    if _FONT is not None:
        return _FONT
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    candidates = [os.environ.get("DUTY_CONSOLE_PDF_FONT", ""), *NOTO_CJK, *TRUETYPE_CJK]
    for path in candidates:
        if not path or not Path(path).exists():
            continue
        try:
            pdfmetrics.registerFont(TTFont("HallCJK", path, subfontIndex=_sc_index(path)))
        except Exception as exc:  # noqa: BLE001 - unsupported outlines, damaged file
            log.info("PDF font %s not usable: %s", path, exc)
            continue
        _FONT = "HallCJK"
        return _FONT
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    _FONT = "STSong-Light"
    return _FONT


def _sc_index(path: str) -> int:
    # Noto CJK collections: index 2 is Simplified Chinese
    return 2 if "NotoSansCJK" in path or "NotoSerifCJK" in path else 0


def export_pdf(rec: dict[str, Any], path: str | Path, handover: dict[str, Any] | None = None,
               users: dict[str, dict] | None = None) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = pdf_font()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")

    def e(value: str) -> str:  # the CID font has no en dash
        return html.escape(value.replace("–", "-"))

    story: list[Any] = [Paragraph(e(title(rec)), h1)]
    width = A4[0] - 30 * mm
    for head, content in sections(rec):
        story.append(Paragraph(e(head), h2))
        if isinstance(content, str):
            story.append(Paragraph(e(content), body))
            continue
        data = [[Paragraph(e(str(c)), body) for c in row] for row in content]
        n = len(content[0])
        t = Table(data, colWidths=[width / n] * n, repeatRows=1)
        t.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.94, 0.97)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(t)
    story += [Spacer(1, 8 * mm), Paragraph(e(signature_line(rec, handover, users)), body)]
    path = Path(path)
    doc = SimpleDocTemplate(str(path), pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=title(rec),
                            author="城运中心值班台")
    doc.build(story)
    return path
