"""The briefing's figures computed a second way: plain Python over ticket dicts (the
platform's own records or the list a test generated), written from the definitions in
``localdb.repo_reports`` without its SQL, so that the two can be compared."""

from __future__ import annotations

from collections import defaultdict

CLOSED = ("closed", "archived")


def figures(tickets: list[dict], start: float, end: float, now: float) -> dict[str, dict[str, dict]]:
    """group ("total" | "department" | "grid") -> key -> counters (incl. overdue)."""
    cut = min(end, now)
    out: dict[str, dict[str, dict]] = {"total": defaultdict(lambda: defaultdict(int)),
                                       "department": defaultdict(lambda: defaultdict(int)),
                                       "grid": defaultdict(lambda: defaultdict(int))}
    for t in {t["id"]: t for t in tickets}.values():
        keys = (("total", "total"), ("department", t.get("department_id") or ""),
                ("grid", (t.get("grids") or {}).get("resp_grid") or ""))
        inc: dict[str, int] = {}
        if start <= t["created_at"] < end:
            inc["received"] = 1
            inc["returned"] = int(t["state"] == "returned")
            inc["extended"] = int((t.get("extension_hours") or 0) > 0)
            inc["escalations"] = int(t.get("escalation_level") or 0)
            inc["urges"] = int(t.get("urge_count") or 0)
        closed_at = t.get("closed_at")
        closed_here = t["state"] in CLOSED and closed_at is not None and start <= closed_at < end
        if closed_here:
            inc["closed"] = 1
            inc["on_time"] = int(bool(t.get("closed_on_time")))
            inc["rework"] = int((t.get("rework_count") or 0) > 0)
            inc["due"] = 1
        else:
            d = t.get("deadline")
            closed_before = t["state"] in CLOSED and closed_at is not None and closed_at < start
            if (d is not None and start <= d < cut and t["state"] not in ("returned", "suspended")
                    and not closed_before):
                inc["due"] = 1
        if not inc:
            continue
        for group, key in keys:
            row = out[group][key]
            for f, v in inc.items():
                row[f] += v
    for group in out.values():
        for row in group.values():
            row["overdue"] = row["due"] - row["on_time"]
    return {g: {k: dict(v) for k, v in rows.items()} for g, rows in out.items()}


def from_briefing(period_json: dict) -> dict[str, dict[str, dict]]:
    """The same shape from a briefing's JSON period (zeros dropped, as the oracle does)."""
    fields = ("received", "returned", "extended", "escalations", "urges", "closed", "on_time",
              "rework", "due", "overdue")

    def row(x: dict) -> dict:
        return {f: x[f] for f in fields if x[f]}

    out = {"total": {}, "department": {}, "grid": {}}
    if not period_json["empty"] or any(period_json["total"][f] for f in fields):
        out["total"]["total"] = row(period_json["total"])
    for x in period_json["departments"]:
        out["department"][x["key"]] = row(x)
    for x in period_json["grids"]:
        out["grid"][x["key"]] = row(x)
    return out


def nonzero(fig: dict[str, dict[str, dict]]) -> dict[str, dict[str, dict]]:
    return {g: {k: {f: v for f, v in row.items() if v} for k, row in rows.items()}
            for g, rows in fig.items()}
