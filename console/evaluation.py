"""Department evaluation (考核评价), 跨前承办 and 责任倒查.

The street plans evaluate the departments on the figures of the monthly briefing and
reward handling beyond one's responsibility (跨前承办); complaints and media exposure
are traced back to everyone who held the ticket (责任倒查). Qt-free.

- ``evaluate``: per department and period, the briefing's rates and a score out of 100:
  ``sum(weight * rate) / sum(weights)`` over 按期结案率, 结案率, 1 - 返工率, 1 - 退单率
  (weights configurable, ``parse_weights``). A department with nothing due in the period
  has no score (not 0, not 100): it is listed with "—".
- ``beyond_responsibility``: tickets closed by a department the responsibility matrix does
  not name for that category and grid, listed for reward.
- ``trace``: every person and department that touched a ticket, when, and how long each
  held it, from the ticket's timeline on this desk; when the desk holds fewer events
  than the ticket's version (it bootstrapped after the early steps) the trace says so.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from console import briefing as B
from localdb import repo_reports as rr

if TYPE_CHECKING:
    from localdb.store import Store

#: metric -> (zh, default weight)
METRICS = {"on_time": ("按期结案率", 40.0), "closure": ("结案率", 30.0), "rework": ("返工率（反向）", 20.0),
           "return": ("退单率（反向）", 10.0)}
DEFAULT_WEIGHTS = {k: w for k, (_zh, w) in METRICS.items()}


class EvaluationError(ValueError):
    """Malformed weights or an unknown ticket (message for the officer)."""


def parse_weights(text: str | None) -> dict[str, float]:
    """``"on_time=40,closure=30,rework=20,return=10"`` (missing metrics weigh 0)."""
    if not text:
        return dict(DEFAULT_WEIGHTS)
    out = {k: 0.0 for k in METRICS}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in METRICS:
            raise EvaluationError(f"权重写法应为 指标=数值，指标为 {', '.join(METRICS)}；收到：{part.strip()!r}")
        try:
            w = float(value)
        except ValueError:
            raise EvaluationError(f"权重 {key} 不是数字：{value.strip()!r}") from None
        if not 0 <= w <= 1000 or w != w:
            raise EvaluationError(f"权重 {key} 应在 0 到 1000 之间：{w}")
        out[key] = w
    if sum(out.values()) <= 0:
        raise EvaluationError("权重之和必须大于 0")
    return out


def score(line: B.Line, weights: dict[str, float]) -> float | None:
    r = line.rates()
    if line.cell.due == 0:
        return None
    values = {"on_time": r["on_time_rate"], "closure": r["closure_rate"],
              "rework": None if r["rework_rate"] is None else 1 - r["rework_rate"],
              "return": None if r["return_rate"] is None else 1 - r["return_rate"]}
    used = {k: w for k, w in weights.items() if w > 0 and values[k] is not None}
    if not used:
        return None
    return 100.0 * sum(w * values[k] for k, w in used.items()) / sum(used.values())


@dataclass
class Evaluation:
    period: B.Period
    weights: dict[str, float]
    rows: list[dict[str, Any]] = field(default_factory=list)
    beyond: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"month": self.period.label, "weights": self.weights, "departments": self.rows,
                "beyond_responsibility": self.beyond}


def evaluate(store: Store, month: str, now: float, weights: dict[str, float] | None = None) -> Evaluation:
    weights = weights or dict(DEFAULT_WEIGHTS)
    b = B.build(store, month, now=now)
    start, end = b.month.start, b.month.end
    with store.session() as s:
        beyond = rr.beyond_responsibility(s, start, end)
        names = rr.names(s)["department"]
    per_dept: dict[str, int] = {}
    for t in beyond:
        per_dept[t["department_id"]] = per_dept.get(t["department_id"], 0) + 1
        t["department"] = names.get(t["department_id"], t["department_id"])
        t["responsible_department"] = names.get(t["responsible"], t["responsible"])
    rows = []
    for line in b.month.departments:
        if line.key == B.NONE_KEY:
            continue  # not a department: nothing to evaluate
        sc = score(line, weights)
        rows.append({**line.to_json(), "score": None if sc is None else round(sc, 1),
                     "beyond_responsibility": per_dept.get(line.key, 0)})
    rows.sort(key=lambda r: (r["score"] is None, -(r["score"] or 0), r["key"]))
    for i, r in enumerate(rows):
        r["rank"] = i + 1 if r["score"] is not None else None
    return Evaluation(b.month, weights, rows, beyond)


# -- 责任倒查 --------------------------------------------------------------------------------

@dataclass
class Trace:
    ticket: dict[str, Any]
    people: list[dict[str, Any]]       # who, role, first/last touch, actions, seconds held
    departments: list[dict[str, Any]]  # department, from, to, seconds held
    events: int
    complete: bool
    message: str = ""


def trace(store: Store, ref: str, now: float) -> Trace:
    with store.session() as s:
        t = rr.ticket_by_ref(s, ref)
        if t is None:
            raise EvaluationError(f"本地库中没有工单 {ref}")
        events = rr.ticket_timeline(s, t["id"])
        names = rr.names(s)["department"]
    end = t["closed_at"] if t["state"] in ("closed", "archived", "returned") and t["closed_at"] else (
        events[-1]["at"] if t["state"] in ("closed", "archived", "returned") and events else now)
    people: dict[str, dict[str, Any]] = {}
    for i, e in enumerate(events):
        actor = json.loads(e["actor"] or "{}")
        uid = e["actor_id"] or actor.get("user_id") or "?"
        nxt = events[i + 1]["at"] if i + 1 < len(events) else end
        p = people.setdefault(uid, {"user_id": uid, "name": actor.get("name") or uid, "role": actor.get("role", ""),
                                    "workstation": actor.get("workstation", ""), "first": e["at"], "last": e["at"],
                                    "actions": [], "held_s": 0.0})
        p["last"] = e["at"]
        p["actions"].append(e["action"])
        p["held_s"] += max(0.0, float(nxt) - float(e["at"]))
    depts: list[dict[str, Any]] = []
    for e in events:
        params = json.loads(e["params"] or "{}")
        dep = params.get("department_id") if e["action"] in ("dispatch", "instruct") else None
        if dep or (depts and depts[-1]["to"] is None and e["action"] in ("return", "feedback", "close",
                                                                          "self_handle")):
            if depts and depts[-1]["to"] is None:
                depts[-1]["to"] = e["at"]
        if dep:
            depts.append({"department_id": dep, "name": names.get(dep, dep), "from": e["at"], "to": None})
    for d in depts:
        d["held_s"] = max(0.0, float(d["to"] if d["to"] is not None else end) - float(d["from"]))
    complete = len(events) >= int(t.get("version") or 0)
    msg = "" if complete else (f"本地仅有该工单的 {len(events)} 条过程记录（平台版本 {t.get('version')}），"
                               "早期环节可能缺失，请以区平台记录为准")
    return Trace(t, sorted(people.values(), key=lambda p: p["first"]), depts, len(events), complete, msg)


__all__ = [
    "DEFAULT_WEIGHTS", "Evaluation", "EvaluationError", "METRICS", "Trace", "evaluate", "parse_weights", "score",
    "trace"]
