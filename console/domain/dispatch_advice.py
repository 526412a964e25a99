"""Which department to dispatch to, and why: the responsibility matrix, past cases, load.

The seeds name four dispatch modes, "分级分层派单、领导派单、案例派单和智能派单". The
responsibility matrix (category × grid → department) is the catalogue's answer; it lags
behind the street's real arrangements (an estate whose property company handles it, a
unit that took an area over). Past cases (案例派单) show who really closed this kind of
problem here. The smart suggestion (智能派单) weighs both, with each department's current
load and on-time record, and says why in words an officer can check.

Pure functions; the local store's reads are ``localdb.repo_cases``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: weights of the suggestion: the matrix's word, past cases (share of the weighted cases
#: the department closed), on-time record, and current load (a penalty)
W_MATRIX, W_CASES, W_ON_TIME, W_LOAD = 1.0, 2.0, 0.2, 0.15
#: weight of the evidence the matrix is right before any case is seen (pseudo-cases): one
#: weak case elsewhere does not overturn the catalogue, a run of recent ones here does
CASE_PRIOR = 0.5
#: a case this old counts half
CASE_HALF_LIFE_DAYS = 90.0
#: a reworked case counts this much of a clean one
REWORK_FACTOR = 0.5
#: past cases shown in the dispatch dialog
SHOWN_CASES = 5


@dataclass(frozen=True)
class Case:
    ticket_id: str
    number: str | None
    department_id: str
    same_place: bool          # the same micro grid cell
    similarity: float         # 0..1, text of the two tickets
    hours: float | None       # clock start to closure
    reworked: bool
    on_time: bool | None
    closed_at: float
    weight: float             # what the case counts in the suggestion


@dataclass
class Suggestion:
    department_id: str
    score: float
    matrix: bool = False
    cases: int = 0            # past cases this department closed
    case_share: float = 0.0   # its share of the weighted cases
    open_load: int = 0
    on_time_rate: float | None = None
    reasons: list[str] = field(default_factory=list)


def bigrams(text: str) -> set[str]:
    """Character bigrams of the text without spaces and punctuation (Chinese has no words
    to split on; bigrams are what the store's trigram search is to long text)."""
    chars = [c for c in (text or "") if c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:])}


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the two texts' bigrams (0..1)."""
    x, y = bigrams(a), bigrams(b)
    if not x or not y:
        return 0.0
    return len(x & y) / len(x | y)


def cases_from_rows(rows: Iterable[Mapping[str, Any]], *, description: str, micro_grid: str | None,
                    now: float) -> list[Case]:
    """Weigh the store's candidate rows (``localdb.repo_cases.closed_cases``) against this ticket."""
    out = []
    for r in rows:
        sim = similarity(description, f"{r.get('description') or ''}{r.get('address') or ''}")
        same = bool(micro_grid) and r.get("grid_micro") == micro_grid
        age_days = max(0.0, (now - float(r["closed_at"])) / 86400.0)
        weight = (1.0 if same else 0.6) * (0.5 + sim) * math.pow(0.5, age_days / CASE_HALF_LIFE_DAYS)
        reworked = int(r.get("rework_count") or 0) > 0
        if reworked:
            weight *= REWORK_FACTOR
        start = r.get("clock_start") or r.get("created_at")
        hours = (float(r["closed_at"]) - float(start)) / 3600.0 if start is not None else None
        out.append(Case(ticket_id=r["id"], number=r.get("number"), department_id=r["department_id"],
                        same_place=same, similarity=sim, hours=hours, reworked=reworked,
                        on_time=r.get("closed_on_time"), closed_at=float(r["closed_at"]), weight=weight))
    out.sort(key=lambda c: c.weight, reverse=True)
    return out


def rank(matrix_department: str | None, cases: list[Case], *, loads: Mapping[str, int],
         on_time: Mapping[str, float], names: Mapping[str, str] | None = None) -> list[Suggestion]:
    """Departments ranked for this ticket, best first, each with the reasons in words.

    Only departments the matrix names or that closed a past case are candidates: the
    suggestion never invents a department nobody has handled this problem with.
    """
    names = names or {}
    total = sum(c.weight for c in cases)
    by_dept: dict[str, list[Case]] = {}
    for c in cases:
        by_dept.setdefault(c.department_id, []).append(c)
    candidates = set(by_dept) | ({matrix_department} if matrix_department else set())
    max_load = max([loads.get(d, 0) for d in candidates] + [1])
    out = []
    for dep in candidates:
        mine = by_dept.get(dep, [])
        share = sum(c.weight for c in mine) / (total + CASE_PRIOR)
        rate = on_time.get(dep)
        load = int(loads.get(dep, 0))
        score = (W_MATRIX if dep == matrix_department else 0.0) + W_CASES * share \
            + W_ON_TIME * (rate or 0.0) - W_LOAD * load / max_load
        s = Suggestion(department_id=dep, score=score, matrix=dep == matrix_department, cases=len(mine),
                       case_share=share, open_load=load, on_time_rate=rate)
        if s.matrix:
            s.reasons.append("责任矩阵：本网格该类别的责任单位")
        if mine:
            hours = [c.hours for c in mine if c.hours is not None]
            avg = f"，平均用时 {sum(hours) / len(hours):.0f} 小时" if hours else ""
            rework = sum(c.reworked for c in mine)
            s.reasons.append(f"相似案例：{len(cases)} 件中 {len(mine)} 件由其办结{avg}"
                             + (f"，返工 {rework} 件" if rework else "，无返工"))
        if rate is not None:
            s.reasons.append(f"在办 {load} 件，近期按期结案率 {rate * 100:.0f}%")
        else:
            s.reasons.append(f"在办 {load} 件")
        out.append(s)
    out.sort(key=lambda s: (-s.score, names.get(s.department_id, s.department_id)))
    return out
