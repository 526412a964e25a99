"""The hall's sends to the district during an emergency (one transaction each).

``push_video`` (现场视频推送), ``record_conference`` (视频会议), ``issue_warning`` /
``update_warning`` / ``cancel_warning`` (预警发布): each writes its row in
``emergency_sends``, queues one duty record (``console.operations.duty.record``) and a
duty-log line, in one transaction. Offline they wait in the outbox, in order, and go
out when the link returns; the platform's receipt (the record back on the feed with
its ``received_at``: ``localdb.feed_duty``) sets ``confirmed_at`` — the timeline shows
when each really reached the district, and the checklist's video step is done only then.
Refusals raise ``DutyError`` (zh_CN); nothing is half-written.
"""

from __future__ import annotations

import base64
import uuid
from typing import Any

from console.domain import emergency_sends as ES
from console.domain import plans as P
from console.domain.model import Actor
from console.operations import duty
from console.operations.commander import shift_of, start_why_not
from console.operations.duty import DutyError
from localdb import Store, repo_commander
from localdb import duty as rows

SNAPSHOT_MAX_BYTES = 120_000  # one JPEG per camera, small: the record stays far below its limit


def _running(s, emergency_id: str) -> dict[str, Any]:
    e = repo_commander.emergency(s, emergency_id)
    if e is None:
        raise DutyError("应急处置不存在")
    if e["ended_at"] is not None:
        raise DutyError("应急处置已结束")
    return e


def _send(s, actor: Actor, kind: str, entity_id: str, version: int, emergency_id: str,
          data: dict[str, Any], now: float, log: str) -> str:
    send_id = f"{kind}:{entity_id}:{version}"
    rows.add_send(s, send_id, emergency_id, kind, entity_id, now, actor.user_id, data)
    duty.record(s, actor, kind, data, now)
    date, shift = shift_of(now)
    duty._log(s, actor, "emergency", log, now, shift_date=date, shift=shift)
    return send_id


def push_video(store: Store, actor: Actor, emergency_id: str, camera_ids: list[str], now: float,
               snapshots: dict[str, bytes] | None = None) -> str:
    """Push the scene cameras (stream links, and a fresh snapshot where the wall has one)
    to the district; returns the push id. Offline or unknown cameras refuse the push."""
    snapshots = snapshots or {}
    with store.write() as s:
        _running(s, emergency_id)
        found = repo_commander.cameras(s, camera_ids)
        unknown = [c for c in camera_ids if c not in found]
        if unknown:
            raise DutyError(f"没有这些监控：{'、'.join(unknown)}")
        cams = [found[c] for c in dict.fromkeys(camera_ids)]
        try:
            ES.check_push(cams)
        except ES.SendError as exc:
            raise DutyError(str(exc)) from None
        out = []
        for c in cams:
            item = {"id": c["id"], "name": c["name"], "stream_url": c["stream_url"] or ""}
            snap = snapshots.get(c["id"])
            if snap and len(snap) <= SNAPSHOT_MAX_BYTES:
                item["snapshot"] = base64.b64encode(snap).decode("ascii")
                item["snapshot_at"] = now
            out.append(item)
        push_id = str(uuid.uuid4())
        data = {"id": push_id, "emergency_id": emergency_id, "at": now, "cameras": out}
        names = "、".join(c["name"] or c["id"] for c in cams)
        _send(s, actor, "video_push", push_id, 1, emergency_id, data, now,
              f"推送现场视频{len(cams)}路：{names}")
    return push_id


def record_conference(store: Store, actor: Actor, emergency_id: str, now: float, *,
                      joined: list[str] | None = None, started_at: float | None = None) -> str:
    """The video conference: online, the platform answers with its start and who joined;
    with ``joined`` (entered by hand when the link is down) the record says so."""
    manual = joined is not None
    if manual and not [j for j in joined if j.strip()]:
        raise DutyError("请填写参会单位")
    with store.write() as s:
        e = _running(s, emergency_id)
        cid = str(uuid.uuid4())
        data: dict[str, Any] = {"id": cid, "emergency_id": emergency_id, "at": now,
                                "source": "manual" if manual else "platform"}
        if manual:
            data["joined"] = [j.strip() for j in joined if j.strip()]
            data["started_at"] = started_at if started_at is not None else now
        _send(s, actor, "conference", cid, 1, emergency_id, data, now,
              "上线视频会议" + (f"（手工登记，参会：{'、'.join(data['joined'])}）" if manual else ""))
        rows.tick_step(s, emergency_id, "conference", data.get("started_at", now), actor.user_id, now)
        duty.record_item_step(s, actor, e["id"], "conference", now)
    return cid


def resource_label(r: dict[str, Any]) -> str:
    if r.get("category") == "supply":
        return f"{r['name']} {r.get('quantity', '')}{r.get('unit', '')}（{r.get('location', '')}）"
    return f"{r['name']}（{r.get('contact', '')} {r.get('phone', '')}）"


def assign_resource(store: Store, actor: Actor, emergency_id: str, resource_id: str, now: float,
                    note: str = "") -> str:
    """调派: a supply or a force assigned to the incident (once each), logged and sent."""
    with store.write() as s:
        _running(s, emergency_id)
        r = repo_commander.resource(s, resource_id)
        if r is None:
            raise DutyError(f"没有这项应急资源：{resource_id}")
        if any(x["data"]["resource_id"] == resource_id
               for x in repo_commander.sends(s, emergency_id, "resource_assignment")):
            raise DutyError(f"{r['name']}已调派到本次应急处置")
        aid = str(uuid.uuid4())
        data = {"id": aid, "emergency_id": emergency_id, "resource_id": resource_id, "at": now}
        if note.strip():
            data["note"] = note.strip()
        _send(s, actor, "resource_assignment", aid, 1, emergency_id, data, now,
              f"调派应急{'物资' if r.get('category') == 'supply' else '力量'}：{resource_label(r)}"
              + (f"，{note.strip()}" if note.strip() else ""))
    return aid


def _warning_data(wid: str, emergency_id: str, version: int, state: str, level: str,
                  area: dict[str, float], text: str, issued_at: float, expires_at: float,
                  now: float, reason: str = "") -> dict[str, Any]:
    d = {"id": wid, "emergency_id": emergency_id, "version": version, "state": state, "level": level,
         "area": area, "text": text.strip(), "issued_at": issued_at, "expires_at": expires_at, "at": now}
    if reason.strip():
        d["reason"] = reason.strip()
    return d


def issue_warning(store: Store, actor: Actor, emergency_id: str, level: str, area: Any, text: str,
                  now: float, expires_at: float) -> str:
    """预警发布: a new warning (version 1, issued); returns its id."""
    refusal = start_why_not(store, actor, now)
    if refusal is not None:
        raise DutyError(refusal.message.replace("启动应急", "发布预警"))
    try:
        ES.check_warning(level, area, text, now, expires_at)
        area = ES.check_area(area)
    except ES.SendError as exc:
        raise DutyError(str(exc)) from None
    with store.write() as s:
        _running(s, emergency_id)
        wid = str(uuid.uuid4())
        data = _warning_data(wid, emergency_id, 1, "issued", level, area, text, now, expires_at, now)
        _send(s, actor, "warning", wid, 1, emergency_id, data, now,
              f"发布{ES.warning_title(level)}：{text.strip()[:60]}")
    return wid


def _change(store: Store, actor: Actor, warning_id: str, state: str, now: float, reason: str = "",
            **changes: Any) -> int:
    refusal = start_why_not(store, actor, now)
    if refusal is not None:
        raise DutyError(refusal.message.replace("启动应急", "变更预警"))
    with store.write() as s:
        cur = repo_commander.warning(s, warning_id)
        if cur is None:
            raise DutyError("预警不存在")
        version = int(cur["version"]) + 1
        new = {**cur, **{k: v for k, v in changes.items() if v is not None}}
        try:
            ES.check_change(cur, state, version, now)
            if state == "updated":
                ES.check_warning(new["level"], new["area"], new["text"], cur["issued_at"], new["expires_at"])
                new["area"] = ES.check_area(new["area"])
        except ES.SendError as exc:
            raise DutyError(str(exc)) from None
        if state == "cancelled" and not reason.strip():
            raise DutyError("请填写撤销预警的原因")
        data = _warning_data(warning_id, cur["emergency_id"], version, state, new["level"], new["area"],
                             new["text"], cur["issued_at"], new["expires_at"], now, reason)
        word = "更新" if state == "updated" else "撤销"
        _send(s, actor, "warning", warning_id, version, cur["emergency_id"], data, now,
              f"{word}{ES.warning_title(new['level'])}（第{version}版）"
              + (f"：{reason.strip()}" if reason.strip() else ""))
    return version


def update_warning(store: Store, actor: Actor, warning_id: str, now: float, *, level: str | None = None,
                   area: Any = None, text: str | None = None, expires_at: float | None = None) -> int:
    """A new version of the warning (its colour, area, text or time); returns the version."""
    return _change(store, actor, warning_id, "updated", now, level=level, area=area, text=text,
                   expires_at=expires_at)


def cancel_warning(store: Store, actor: Actor, warning_id: str, now: float, reason: str) -> int:
    return _change(store, actor, warning_id, "cancelled", now, reason)


def draft_warning_text(store: Store, emergency_id: str, level: str) -> str:
    """The plan's template for ``level``, filled with the incident's place and title."""
    from console.operations.commander import plan_of

    with store.session() as s:
        e = repo_commander.emergency(s, emergency_id)
        if e is None:
            raise DutyError("应急处置不存在")
        plan = plan_of(s, e["plan_id"], e["plan_version"])
    try:
        return P.warning_text(plan, level, e["address"] or "", e["title"])
    except P.PlanError as exc:
        raise DutyError(str(exc)) from None


