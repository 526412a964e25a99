"""The printable emergency report: what happened, from switch to switch-back.

Timeline (the duty log's emergency lines), the plan and its version, the level
changes, the checklist with owners, deadlines and when each was done, the scene video
pushes and the conference with the platform's receipt times, the warnings and their
versions. Built from the store as a ``console.printing.Record`` (the one renderer:
HTML preview, PDF with the font embedded). Qt-free.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from console import printing
from console.domain import emergency_sends as ES
from console.domain import plans as P
from console.domain.formatting import format_epoch
from console.operations import commander as ops
from console.operations import emergency_sends as sends_ops
from localdb import Store, repo_commander

_T = "%Y-%m-%d %H:%M:%S"


def _t(v: float | None) -> str:
    return format_epoch(v, _T) if v is not None else "—"


def _mins(v: float | None, start: float) -> str:
    return f"{(v - start) / 60:.0f}分" if v is not None else "—"


def record(store: Store, emergency_id: str, now: float | None = None) -> printing.Record:
    """The report; ``now`` (default: the end, or the wall clock while it runs) decides
    which warnings have expired."""
    with store.session() as s:
        e = repo_commander.emergency(s, emergency_id)
        if e is None:
            raise ops.DutyError("应急处置不存在")
        items = repo_commander.emergency_items(s, emergency_id)
        sends = repo_commander.sends(s, emergency_id)
        resources = {r["id"]: r for r in repo_commander.resources(s)}
        warnings = repo_commander.warnings(s, emergency_id)
        end = e["ended_at"] or e["started_at"] + 86400
        log = [r for r in repo_commander.duty_log(s, e["started_at"], end + 1) if r["kind"] == "emergency"]
        plan = None
        if e["plan_id"]:
            try:
                plan = ops.plan_of(s, e["plan_id"], e["plan_version"])
            except (ops.DutyError, P.PlanError):
                plan = None
    start = e["started_at"]
    head = [["项目", "内容"],
            ["事件", e["title"]], ["类型", P.TYPE_ZH.get(e["kind"], e["kind"])],
            ["预案", f"{plan.name}（第{plan.version}版）" if plan else (e["plan_id"] or "—")],
            ["地点", f"{e['address'] or ''} {e['lat']:.6f},{e['lon']:.6f}"
                     + ("（地图选点）" if e["location_source"] == "map" else "（地址）")
             if e["lat"] is not None else "—"],
            ["启动", f"{_t(start)}（{e['started_by']}）"],
            ["结束", f"{_t(e['ended_at'])}（{e['ended_by'] or '—'}）" if e["ended_at"] else "进行中"],
            ["未完成原因", e["end_reason"] or "—"]]
    levels = [["时间", "响应等级", "调整人", "原因"]] + [
        [_t(x["at"]), P.LEVEL_ZH.get(x["level"], x["level"]), x["by"], x.get("reason") or ""]
        for x in json.loads(e["levels"] or "[]")]
    steps = [["步骤", "责任人", "时限", "完成时间", "用时", "完成人"]]
    for i in items:
        due = ops.item_deadline(start, i)
        late = "（超时）" if due is not None and i["done_at"] is not None and i["done_at"] > due else ""
        steps.append([i["text"], i["owner"] or "—",
                      f"{i['limit_min']:.0f}分钟" if i["limit_min"] is not None else "—",
                      _t(i["done_at"]) if i["done_at"] else "未完成", _mins(i["done_at"], start) + late,
                      i["done_by"] or ""])
    pushes = [["发送时间", "内容", "发送人", "区平台确认"]]
    for r in sends:
        d = r["data"]
        if r["kind"] == "video_push":
            what = "现场视频：" + "、".join(f"{c.get('name') or c['id']}" for c in d["cameras"])
        elif r["kind"] == "resource_assignment":
            res = resources.get(d["resource_id"])
            what = "调派：" + (sends_ops.resource_label(res) if res else d["resource_id"])
            if d.get("note"):
                what += f"，{d['note']}"
        elif r["kind"] == "conference":
            what = "视频会议" + ("（手工登记）" if d.get("source") == "manual" else "")
            if d.get("joined"):
                what += "，参会：" + "、".join(d["joined"])
        else:
            what = f"{ES.warning_title(d['level'])}第{d['version']}版 {ES.STATE_ZH.get(d['state'], d['state'])}"
        pushes.append([_t(r["at"]), what, r["by"], _t(r["confirmed_at"]) if r["confirmed_at"] else "未确认"])
    warns = [["预警", "级别", "状态", "范围", "有效期至", "内容"]]
    now = now if now is not None else (e["ended_at"] or time.time())
    for w in warnings:
        a = w["area"]
        warns.append([w["id"][:8], ES.warning_title(w["level"]), ES.STATE_ZH[ES.state_at(w, now)],
                      f"{a['radius_m']:.0f}米", _t(w["expires_at"]), w["text"]])
    timeline = [["时间", "记录"]] + [[_t(r["at"]), r["text"]] for r in log]
    sections: list[tuple[str, Any]] = [("概况", head), ("响应等级", levels), ("处置步骤", steps),
                                       ("视频推送、会议、资源调派与预警发送", pushes), ("预警", warns),
                                       ("时间线（值班日志）", timeline)]
    if e["summary"]:
        sections.append(("小结", e["summary"]))
    return printing.Record(f"应急处置报告：{e['title']}", sections,
                           footer=f"报告生成依据本工作站记录；启动于{_t(start)}")


def html(store: Store, emergency_id: str, now: float | None = None) -> str:
    return printing.to_html(record(store, emergency_id, now))


def write_pdf(store: Store, emergency_id: str, path: str | Path, now: float | None = None) -> Path:
    """The report as a PDF (``printing.PrintError`` if it cannot be printed whole)."""
    return printing.write_pdf(record(store, emergency_id, now), path)
