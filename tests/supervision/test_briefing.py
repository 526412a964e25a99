"""The monthly briefing (月度简报): figures against an independent count on a seeded
history, the edge cases of the bad-input list, the CLI, and the printed PDF's text."""

from __future__ import annotations

import json
import random
import subprocess

import pytest

from console import briefing
from console.domain.model import Ticket
from tests.commander.conftest import at, changes_for, ticket
from tests.supervision import oracle

H = 3600.0
NOW = at(22, 10)  # 2026-11-22 10:00 Shanghai: November is still running
DEPTS = ["D01", "D02", "D03", "D04", "D05", None]
GRIDS = ["G01", "G02", "G03", "G04"]


def seeded_history(seed: int = 4, n: int = 400) -> list[Ticket]:
    """Tickets created from 2026-09-25 to 2026-11-22 in every kind of end state."""
    rng = random.Random(seed)
    t0, t1 = at(1, 0) - 37 * 86400, NOW
    out = []
    for _ in range(n):
        created = rng.uniform(t0, t1)
        limit = rng.choice([4, 8, 24, 72]) * H
        ext = rng.choice([0, 0, 0, 0, 24.0])
        deadline = created + limit + ext * H
        kind = rng.random()
        kw = dict(extension_hours=ext, urge_count=rng.choice([0, 0, 1, 2]),
                  escalation_level=rng.choice([0, 0, 0, 1]), rework_count=rng.choice([0, 0, 0, 1]),
                  grids={"district": "310115", "street": "310115009", "resp_grid": rng.choice(GRIDS),
                         "committee": rng.choice(["C01", "C02", "C03", "C04"]), "micro_grid": "M001"})
        dept = rng.choice(DEPTS)
        if kind < 0.55 and created + 600 < NOW:  # closed (sometimes late)
            closed = min(NOW - 1, created + rng.uniform(0.2, 1.4) * (limit + ext * H))
            t = ticket(rng.choice(["closed", "archived"]), created=created, deadline=deadline, dept=dept,
                       closed_at=closed, closed_on_time=closed <= deadline, **kw)
        elif kind < 0.62:
            t = ticket("returned", created=created, deadline=None, dept=None, **kw)
        elif kind < 0.66:
            t = ticket("suspended", created=created, deadline=deadline, dept=dept, suspended_since=created + H,
                       resume_state="handling", **kw)
        elif kind < 0.72:
            t = ticket("pending", created=created, deadline=None, dept=None, **kw)
        else:
            t = ticket(rng.choice(["dispatched", "handling", "feedback"]), created=created,
                       deadline=deadline, dept=dept, **kw)
        out.append(t)
    return out


def _bounds(month: str) -> tuple[float, float]:
    return briefing.month_bounds(*briefing.parse_month(month))


@pytest.mark.parametrize("month", ["2026-11", "2026-10", "2026-09"])
def test_figures_match_an_independent_count(make_store, month):
    tickets = seeded_history()
    store = make_store(tickets)
    b = briefing.build(store, month, now=NOW)
    start, end = _bounds(month)
    expected = oracle.nonzero(oracle.figures([t.to_dict() for t in tickets], start, end, NOW))
    got = oracle.from_briefing(b.to_json()["month"])
    assert got == expected
    # the previous month is the same computation one month back
    ps, pe = _bounds(b.previous.label)
    assert oracle.from_briefing(b.to_json()["previous"]) == oracle.nonzero(
        oracle.figures([t.to_dict() for t in tickets], ps, pe, NOW))
    tot = b.month.total
    assert tot.cell.received > 0 and tot.cell.due >= tot.cell.closed >= tot.cell.on_time
    assert tot.rates()["on_time_rate"] == pytest.approx(tot.cell.on_time / tot.cell.due)


def test_departments_and_grids_add_up_to_the_total_without_double_counting(make_store):
    store = make_store(seeded_history(seed=9))
    m = briefing.build(store, "2026-11", now=NOW).month
    for lines in (m.departments, m.grids):
        for f in ("received", "closed", "on_time", "due", "urges", "escalations", "rework"):
            assert sum(getattr(x.cell, f) for x in lines) == getattr(m.total.cell, f)
    assert len({x.key for x in m.departments}) == len(m.departments)


def test_a_ticket_updated_many_times_in_the_month_counts_once(make_store):
    t = ticket("dispatched", created=at(3, 9), deadline=at(3, 17), dept="D02")
    store = make_store([t])
    from localdb.feed import apply_changes

    later = [t.__class__.from_dict({**t.to_dict(), "state": s, "version": v, "updated_at": at(3, 10 + v),
                                    **extra})
             for v, (s, extra) in enumerate([("handling", {}), ("feedback", {}),
                                             ("closed", {"closed_at": at(3, 16), "closed_on_time": True})],
                                            start=2)]
    apply_changes(store, [{"seq": 1000 + i, "kind": "ticket", "op": "upsert", "id": x.id, "data": x.to_dict()}
                          for i, x in enumerate(later)], "c2")
    tot = briefing.build(store, "2026-11", now=NOW).month.total.cell
    assert (tot.received, tot.closed, tot.on_time, tot.due) == (1, 1, 1, 1)


def test_duplicate_reports_count_as_reports_and_the_problem_once(make_store):
    """并案: three citizens report one fallen tree; the briefing receives three and closes one."""
    main = ticket("closed", created=at(3, 9), deadline=at(3, 17), dept="D02", closed_at=at(3, 15),
                  closed_on_time=True)
    dups = [main.__class__.from_dict({**main.to_dict(), "id": f"00000000-0000-4000-8000-00000000d00{i}",
                                      "number": f"HP-DUP-{i}", "duplicate_of": main.id, "deadline": None})
            for i in range(2)]
    store = make_store([main, *dups])
    b = briefing.build(store, "2026-11", now=NOW)
    tot = b.month.total.cell
    assert (tot.received, tot.merged, tot.closed, tot.on_time, tot.due) == (3, 2, 1, 1, 1)
    assert "并案（同一问题重复反映）2 件" in b.to_record().sections[0][1]


def test_a_month_without_tickets_says_so(make_store):
    store = make_store(seeded_history())
    b = briefing.build(store, "2025-03", now=NOW)
    assert b.month.empty and b.month.total.cell.due == 0
    assert b.month.total.rates()["on_time_rate"] is None  # not 0 %, not a division error
    rec = b.to_record()
    assert "本月无工单数据" in rec.sections[0][1]
    assert json.loads(json.dumps(b.to_json()))["month"]["empty"] is True


def test_a_department_renamed_mid_month_stays_one_row(make_store):
    tickets = [ticket("closed", created=at(2, 9), deadline=at(2, 17), dept="D01", closed_at=at(2, 12),
                      closed_on_time=True),
               ticket("handling", created=at(10, 9), deadline=at(10, 17), dept="D01")]
    rename = [{"seq": 0, "kind": "department", "op": "upsert", "id": "D01",
               "data": {"id": "D01", "name": "上钢新村派出所（更名）", "kind": "police", "phone": ""}}]
    store = make_store(tickets[:1])
    from localdb.feed import apply_changes

    apply_changes(store, [{"seq": 5000, **rename[0]},
                          {"seq": 5001, "kind": "ticket", "op": "upsert", "id": tickets[1].id,
                           "data": tickets[1].to_dict()}], "c2")
    m = briefing.build(store, "2026-11", now=NOW).month
    d01 = [x for x in m.departments if x.key == "D01"]
    assert len(d01) == 1 and d01[0].name == "上钢新村派出所（更名）"
    assert (d01[0].cell.received, d01[0].cell.closed, d01[0].cell.due, d01[0].overdue) == (2, 1, 2, 1)


def test_a_category_whose_limit_changed_mid_month_keeps_each_tickets_own_judgement(make_store):
    # 暴露垃圾 (02001) had 8 h; from the 15th the catalogue says 2 h
    early = ticket("closed", created=at(5, 9), deadline=at(5, 17), closed_at=at(5, 15), closed_on_time=True)
    late = ticket("closed", created=at(16, 9), deadline=at(16, 11), closed_at=at(16, 12), closed_on_time=False,
                  limit_hours=2.0)
    store = make_store([early])
    before = briefing.build(store, "2026-11", now=NOW).month.total.cell.as_dict()
    from localdb.feed import apply_changes

    apply_changes(store, [
        {"seq": 6000, "kind": "category", "op": "upsert", "id": "event:02001", "data": {
            "kind": "event", "code": "02001", "big_code": "02", "big_name": "市容环境", "small_name": "暴露垃圾",
            "limit_hours": 2.0, "limit_mode": "calendar", "urgent_limit_hours": 1.0}},
        {"seq": 6001, "kind": "ticket", "op": "upsert", "id": late.id, "data": late.to_dict()}], "c2")
    m = briefing.build(store, "2026-11", now=NOW).month
    c = m.total.cell
    assert (c.closed, c.on_time, c.due, m.total.overdue) == (2, 1, 2, 1)
    assert before["on_time"] == 1  # the early ticket was not re-judged by the new limit
    assert m.categories == [("02001", "暴露垃圾", 2)]


def test_a_malformed_month_is_a_clear_message(make_store):
    store = make_store([])
    for bad in ("2026-13", "11/2026", "2026-1", ""):
        with pytest.raises(briefing.BriefingError, match="YYYY-MM"):
            briefing.build(store, bad, now=NOW)


def test_cli_writes_pdf_and_json_with_the_same_figures(make_store, tmp_path, capsys):
    from console import app

    tickets = seeded_history()
    make_store(tickets)
    db = tmp_path / "store.sqlite3"  # the file make_store wrote
    pdf, js = tmp_path / "b.pdf", tmp_path / "b.json"
    rc = app.main(["report", "monthly", "--month", "2026-11", "--store", str(db), "--pdf", str(pdf),
                   "--json", str(js), "--now", str(NOW)])
    assert rc == 0, capsys.readouterr().err
    data = json.loads(js.read_text(encoding="utf-8"))
    assert data["schema"] == briefing.SCHEMA and data["month"]["month"] == "2026-11"
    start, end = _bounds("2026-11")
    assert oracle.from_briefing(data["month"]) == oracle.nonzero(
        oracle.figures([t.to_dict() for t in tickets], start, end, NOW))
    assert pdf.read_bytes()[:5] == b"%PDF-"
    out = capsys.readouterr().out
    assert f"received {data['month']['total']['received']}" in out


def test_cli_bad_input_gives_a_message_and_exit_2(tmp_path, capsys):
    from console import app

    assert app.main(["report", "monthly", "--month", "2026-11", "--store", str(tmp_path / "none.db"),
                     "--json", str(tmp_path / "x.json")]) == 2
    assert "no store" in capsys.readouterr().err
    assert app.main(["report", "monthly", "--month", "26-11", "--json", str(tmp_path / "x.json")]) == 2
    assert "YYYY-MM" in capsys.readouterr().err
    assert app.main(["report", "monthly", "--month", "2026-11"]) == 2
    assert "--pdf" in capsys.readouterr().err


def test_pdf_has_the_chinese_text_and_the_numbers(make_store, tmp_path):
    from console.printing import write_pdf

    store = make_store(seeded_history())
    b = briefing.build(store, "2026-11", now=NOW, centre="上钢新村街道城运中心")
    pdf = write_pdf(b.to_record(), tmp_path / "briefing.pdf")
    txt = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    t = b.month.total
    for s in ("上钢新村街道城运中心2026年11月工作简报", "各部门情况", "按期结案率", "与上月对比",
              "上钢新村派出所", "第1责任网格", "暴露垃圾",
              f"本月受理工单 {t.cell.received} 件", f"结案 {t.cell.closed} 件",
              briefing._pct(t.rates()["on_time_rate"])):
        assert s.replace(" ", "") in txt.replace(" ", ""), s
