"""Emergency plans (预案) from the change feed: checked, cached, every version kept.

A plan the desk cannot use (a loop in its steps, a step without an owner, a level
that does not exist: ``console.domain.plans.parse``) goes to the quarantine with the
plan checker's message and the desk keeps the version it had. A newer version
replaces the current one in ``plans``; every version stays in ``plan_versions`` so a
running emergency reads the plan it started with. A delete removes the plan from the
choices, never a version an emergency refers to.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from console.domain import plans as P
from localdb import journal


def apply_plans(s: Session, items: list[dict], now: float, report: Any) -> None:
    from localdb.feed import _changed, _quarantine

    con = journal.raw(s)
    ids: list[str] = []
    for it in items:
        pid = str(it["id"])
        if it["op"] == "delete":
            con.execute("DELETE FROM plans WHERE id=?", (pid,))
            report.deleted += 1
            ids.append(pid)
            continue
        try:
            plan = P.parse(it["data"])
        except P.PlanError as exc:
            _quarantine(s, it, f"预案不可用：{exc}", now, report)
            continue
        if plan.id != pid:
            _quarantine(s, it, f"预案编号不一致：{plan.id} ≠ {pid}", now, report)
            continue
        text = json.dumps(it["data"], ensure_ascii=False, sort_keys=True)
        cur = con.execute("SELECT version FROM plans WHERE id=?", (pid,)).fetchone()
        con.execute("INSERT INTO plan_versions (plan_id, version, data) VALUES (?,?,?) "
                    "ON CONFLICT(plan_id, version) DO UPDATE SET data=excluded.data",
                    (pid, plan.version, text))
        if cur is not None and int(cur[0]) > plan.version:
            report.unchanged += 1  # an older version arrived late: kept, not current
            continue
        con.execute("INSERT INTO plans (id, type, name, version, data) VALUES (?,?,?,?,?) "
                    "ON CONFLICT(id) DO UPDATE SET type=excluded.type, name=excluded.name, "
                    "version=excluded.version, data=excluded.data",
                    (pid, plan.type, plan.name, plan.version, text))
        ids.append(pid)
    journal.record_many(s, "plan", ids, now)
    _changed(report, "plan", ids)
