"""The monthly briefing (月度简报): what the centre reports to the members of the street's
grid-management leading group every month.

The grid-centre plan: "街道网格中心每月以简报形式，向领导小组各成员单位通报工作情况".
The figures (definitions in ``localdb.repo_reports``) come from the platform's ticket
records as synced to the store; per department and per grid: received, closed, on time,
按期结案率, 结案率, 返工率, 退单率, extensions, overdue, escalations, urges; the top
problems by category and place; this month against the previous one. One ``Briefing``
makes the JSON twin (``to_json``) and the printed record (``to_record``, rendered by
``console.printing``), so the two never disagree.

Qt-free: the CLI (``duty-console report monthly``) and the console's briefing dialog
both call ``build``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from console.domain.roster import SHANGHAI
from console.printing import Record
from localdb import repo_reports as rr
from localdb.repo_reports import Cell

if TYPE_CHECKING:
    from localdb.store import Store

SCHEMA = "duty-console/briefing-monthly/1"
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
#: the key of tickets with no department (not dispatched yet, returned, self-handled)
#: or no responsibility grid
NONE_KEY = ""


class BriefingError(ValueError):
    """The briefing cannot be made as asked (a malformed month)."""


def parse_month(value: str) -> tuple[int, int]:
    m = _MONTH.match(value.strip()) if isinstance(value, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise BriefingError(f"月份格式应为 YYYY-MM（例如 2026-11），收到：{value!r}")
    return int(m.group(1)), int(m.group(2))


def month_bounds(year: int, month: int) -> tuple[float, float]:
    """[1st 00:00, next 1st 00:00) of the month in Asia/Shanghai, as epoch seconds."""
    a = dt.datetime(year, month, 1, tzinfo=SHANGHAI)
    b = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=SHANGHAI)
    return a.timestamp(), b.timestamp()


def previous_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def rate(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass
class Line:
    """One row of a table: a department, a grid or the total."""

    key: str
    name: str
    cell: Cell

    @property
    def overdue(self) -> int:
        return self.cell.due - self.cell.on_time

    def rates(self) -> dict[str, float | None]:
        c = self.cell
        return {
            "on_time_rate": rate(c.on_time, c.due),    # 按期结案率
            "closure_rate": rate(c.closed, c.due),     # 结案率
            "rework_rate": rate(c.rework, c.closed),   # 返工率
            "return_rate": rate(c.returned, c.received),  # 退单率
        }

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "name": self.name, **self.cell.as_dict(), "overdue": self.overdue,
                **self.rates()}


@dataclass
class Period:
    label: str  # "2026-11"
    start: float
    end: float
    total: Line
    departments: list[Line]
    grids: list[Line]
    categories: list[tuple[str, str, int]]
    places: list[tuple[str, str, int]]

    @property
    def empty(self) -> bool:
        c = self.total.cell
        return not (c.received or c.closed or c.due)

    def to_json(self) -> dict[str, Any]:
        return {
            "month": self.label, "start": self.start, "end": self.end, "empty": self.empty,
            "total": self.total.to_json(),
            "departments": [x.to_json() for x in self.departments],
            "grids": [x.to_json() for x in self.grids],
            "top_categories": [{"code": c, "name": n, "count": k} for c, n, k in self.categories],
            "top_places": [{"grid_id": g, "name": n, "count": k} for g, n, k in self.places],
        }


@dataclass
class Briefing:
    month: Period
    previous: Period
    generated_at: float
    store_tickets: int
    centre: str = "城运中心"
    elapsed_s: float = 0.0
    notes: list[str] = field(default_factory=list)

    def changes(self) -> dict[str, dict[str, Any]]:
        """This month against the previous one (totals): value, previous, difference."""
        a, b = self.month.total, self.previous.total
        out: dict[str, dict[str, Any]] = {}
        for f in (*rr.FIELDS, "overdue"):
            va = a.overdue if f == "overdue" else getattr(a.cell, f)
            vb = b.overdue if f == "overdue" else getattr(b.cell, f)
            out[f] = {"this": va, "previous": vb, "change": va - vb}
        for f, va in a.rates().items():
            vb = b.rates()[f]
            out[f] = {"this": va, "previous": vb,
                      "change": None if va is None or vb is None else va - vb}
        return out

    def to_json(self) -> dict[str, Any]:
        return {"schema": SCHEMA, "centre": self.centre, "generated_at": self.generated_at,
                "store_tickets": self.store_tickets, "notes": list(self.notes),
                "month": self.month.to_json(), "previous": self.previous.to_json(),
                "changes": self.changes()}

    # -- the printed form ---------------------------------------------------------------

    def to_record(self) -> Record:
        m, prev = self.month, self.previous
        y, mo = m.label.split("-")
        title = f"{self.centre}{int(y)}年{int(mo)}月工作简报"
        sections: list[tuple[str, Any]] = []
        if m.empty:
            sections.append(("说明", f"{m.label} 本月无工单数据：平台记录中本月没有受理、结案或到期的工单。"))
        t = m.total
        r = t.rates()
        summary = (f"本月受理工单 {t.cell.received} 件，结案 {t.cell.closed} 件，其中按期结案 {t.cell.on_time} 件；"
                   f"应结案 {t.cell.due} 件，按期结案率 {_pct(r['on_time_rate'])}，结案率 {_pct(r['closure_rate'])}；"
                   f"超期 {t.overdue} 件，返工率 {_pct(r['rework_rate'])}，退单率 {_pct(r['return_rate'])}；"
                   f"延期 {t.cell.extended} 件，上提 {t.cell.escalations} 次，督办 {t.cell.urges} 次。"
                   + (f"受理工单中并案（同一问题重复反映）{t.cell.merged} 件，随主单办结，不另计结案。"
                      if t.cell.merged else ""))
        sections.append(("一、总体情况", summary))
        sections.append(("二、各部门情况", _table(m.departments + [t])))
        sections.append(("三、各责任网格情况", _table(m.grids + [t])))
        cats = [["排名", "类别", "受理数"]] + [[str(i + 1), f"{n}（{c}）", str(k)]
                                          for i, (c, n, k) in enumerate(m.categories)]
        sections.append(("四、高发问题（按类别）", cats if m.categories else "本月无受理工单。"))
        places = [["排名", "地点（居村）", "受理数"]] + [[str(i + 1), n, str(k)]
                                               for i, (_g, n, k) in enumerate(m.places)]
        sections.append(("五、高发地点（按居村）", places if m.places else "本月无受理工单。"))
        ch = self.changes()
        rows = [["指标", m.label, prev.label, "增减"]]
        for f, zh in _CHANGE_ROWS:
            c = ch[f]
            if f.endswith("_rate"):
                diff = "—" if c["change"] is None else f"{c['change'] * 100:+.1f}个百分点"
                rows.append([zh, _pct(c["this"]), _pct(c["previous"]), diff])
            else:
                rows.append([zh, str(c["this"]), str(c["previous"]), f"{c['change']:+d}"])
        sections.append(("六、与上月对比", rows))
        if self.notes:
            sections.append(("附注", "；".join(self.notes)))
        when = dt.datetime.fromtimestamp(self.generated_at, SHANGHAI).strftime("%Y-%m-%d %H:%M")
        footer = (f"统计口径：{m.label} 月（北京时间），数据来自区城运平台工单记录（本地共 {self.store_tickets} 件）；"
                  f"应结案 = 本月结案 + 本月到期未结案（不含退单、挂账）；按期结案率 = 按期结案 / 应结案。"
                  f"生成时间 {when}。")
        return Record(title=title, sections=sections, footer=footer)


_CHANGE_ROWS = (
    ("received", "受理"), ("closed", "结案"), ("on_time", "按期结案"), ("due", "应结案"),
    ("overdue", "超期"), ("on_time_rate", "按期结案率"), ("closure_rate", "结案率"),
    ("rework_rate", "返工率"), ("return_rate", "退单率"), ("extended", "延期"),
    ("escalations", "上提"), ("urges", "督办"),
)
_HEADER = ["名称", "受理", "结案", "按期结案", "应结案", "按期结案率", "结案率", "返工率", "退单率",
           "延期", "超期", "上提", "督办"]


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


def _table(lines: list[Line]) -> list[list[str]]:
    rows = [list(_HEADER)]
    for x in lines:
        c, r = x.cell, x.rates()
        rows.append([x.name, str(c.received), str(c.closed), str(c.on_time), str(c.due),
                     _pct(r["on_time_rate"]), _pct(r["closure_rate"]), _pct(r["rework_rate"]),
                     _pct(r["return_rate"]), str(c.extended), str(x.overdue), str(c.escalations),
                     str(c.urges)])
    return rows


def _period(session: Any, year: int, month: int, now: float, names: dict[str, dict[str, str]]) -> Period:
    start, end = month_bounds(year, month)
    raw = rr.period_rows(session, start, end, now)
    by: dict[str, dict[str, Cell]] = {"department": {}, "grid": {}}
    total = Cell()
    for (d, g), c in raw.cells.items():
        by["department"].setdefault(d, Cell()).add(c)
        by["grid"].setdefault(g, Cell()).add(c)
        total.add(c)

    def lines(group: str, none_name: str) -> list[Line]:
        out = [Line(k, names[group].get(k, k) if k else none_name, c) for k, c in by[group].items()]
        return sorted(out, key=lambda x: (x.key == NONE_KEY, x.key))

    return Period(
        label=f"{year:04d}-{month:02d}", start=start, end=end, total=Line("total", "合计", total),
        departments=lines("department", "未派遣/无部门"), grids=lines("grid", "未落网格"),
        categories=[(c, names["category"].get(c) or n, k) for c, n, k in raw.categories],
        places=[(g, names["grid"].get(g, g) if g else "未落网格", k) for g, k in raw.places],
    )


def build(store: Store, month: str, now: float | None = None, centre: str = "城运中心") -> Briefing:
    """The briefing of ``month`` ("YYYY-MM") and the one before it, in one read snapshot."""
    year, mo = parse_month(month)
    now = time.time() if now is None else float(now)
    t0 = time.perf_counter()
    with store.session() as s:
        names = rr.names(s)
        cur = _period(s, year, mo, now, names)
        prev = _period(s, *previous_month(year, mo), now, names)
        n = rr.ticket_count(s)
    b = Briefing(month=cur, previous=prev, generated_at=now, store_tickets=n, centre=centre)
    if cur.start >= now:
        b.notes.append(f"{cur.label} 尚未开始，简报为空")
    elif cur.end > now:
        b.notes.append(f"{cur.label} 尚未结束，数字截至生成时间")
    b.elapsed_s = time.perf_counter() - t0
    return b


def write(b: Briefing, pdf: str | Path | None = None, json_path: str | Path | None = None) -> list[Path]:
    """Write the briefing's PDF and/or JSON twin; returns the paths written. Raises
    ``console.printing.PrintError`` (no font, unwritable path) with a message to show."""
    from console.printing import PrintError, write_pdf

    out = []
    if json_path:
        try:
            Path(json_path).write_text(json.dumps(b.to_json(), ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:
            raise PrintError(f"无法写入 {json_path}：{exc.strerror or exc}") from exc
        out.append(Path(json_path))
    if pdf:
        out.append(write_pdf(b.to_record(), pdf))
    return out


__all__ = ["Briefing", "BriefingError", "Line", "Period", "build", "month_bounds", "parse_month",
           "previous_month", "write"]
