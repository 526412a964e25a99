"""Department evaluation (考核评价) with configurable weights, 跨前承办 found from the
responsibility matrix, and 责任倒查 over a ticket's timeline."""

from __future__ import annotations

import pytest

from console import briefing as B
from console import evaluation as E
from console.domain import lifecycle
from console.domain.model import Actor, Role
from localdb.feed import apply_changes
from simulator.runtime import event_dict
from tests.commander.conftest import at, ticket
from tests.supervision import oracle
from tests.supervision.test_briefing import NOW, seeded_history


def test_scores_follow_the_weights_and_the_independent_figures(make_store):
    tickets = seeded_history(seed=11)
    store = make_store(tickets)
    w = E.parse_weights("on_time=60,closure=20,rework=20")
    ev = E.evaluate(store, "2026-11", NOW, w)
    start, end = B.month_bounds(2026, 11)
    fig = oracle.figures([t.to_dict() for t in tickets], start, end, NOW)["department"]
    assert [r["key"] for r in ev.rows if r["score"] is not None]  # some departments are scored
    for r in ev.rows:
        f = fig[r["key"]]
        if not f.get("due"):
            assert r["score"] is None and r["rank"] is None
            continue
        parts = [(60, f.get("on_time", 0) / f["due"]), (20, f.get("closed", 0) / f["due"])]
        if f.get("closed"):
            parts.append((20, 1 - f.get("rework", 0) / f["closed"]))
        expect = 100 * sum(a * b for a, b in parts) / sum(a for a, _ in parts)
        assert r["score"] == pytest.approx(expect, abs=0.051)
    scored = [r["score"] for r in ev.rows if r["score"] is not None]
    assert scored == sorted(scored, reverse=True)
    assert "" not in {r["key"] for r in ev.rows}  # tickets without a department are not a department


@pytest.mark.parametrize("bad", ["on_time", "speed=10", "on_time=abc", "on_time=-1", "on_time=0,closure=0"])
def test_malformed_weights_are_refused_with_a_message(bad):
    with pytest.raises(E.EvaluationError):
        E.parse_weights(bad)


def test_beyond_responsibility_is_found_from_the_matrix(make_store):
    # the sample matrix names D04 for 暴露垃圾 (02001) in G01 and D05 in G02
    own = ticket("closed", created=at(5, 9), deadline=at(5, 17), dept="D04", grid="G01", closed_at=at(5, 12),
                 closed_on_time=True)
    beyond = ticket("closed", created=at(6, 9), deadline=at(6, 17), dept="D01", grid="G01", closed_at=at(6, 12),
                    closed_on_time=True)
    open_ = ticket("handling", created=at(6, 9), deadline=at(6, 17), dept="D01", grid="G01")
    store = make_store([own, beyond, open_])
    ev = E.evaluate(store, "2026-11", NOW)
    assert [(t["number"], t["department_id"], t["responsible"]) for t in ev.beyond] == [(beyond.number, "D01", "D04")]
    assert ev.beyond[0]["department"] == "上钢新村派出所"
    assert {r["key"]: r["beyond_responsibility"] for r in ev.rows}["D01"] == 1


def test_trace_lists_everyone_who_held_a_media_ticket(make_store):
    off = Actor("officer1", "李信息员", Role.OFFICER, "WS-2")
    ldr = Actor("leader1", "值班长1", Role.SHIFT_LEADER, "WS-1")
    dep = Actor("dept-D02", "上钢城管中队", Role.DEPARTMENT, "")
    t = ticket("pending", created=at(7, 9), deadline=None, dept=None, channel="media", version=1)
    steps = [(at(7, 9, 10), "accept", off, {}), (at(7, 9, 20), "register", off, {}),
             (at(7, 9, 30), "dispatch", ldr, {"department_id": "D02"}), (at(7, 10), "handle", dep, {}),
             (at(7, 13), "feedback", dep, {"result": "已清理"}), (at(7, 14), "verify", off, {"passed": True}),
             (at(7, 14, 20), "second_review", ldr, {}), (at(7, 14, 30), "close", ldr, {})]
    hotline = Actor("district", "区平台", Role.DISTRICT, "")
    created = lifecycle.create_event(t, hotline, at(7, 9))
    changes = [{"seq": 0, "kind": "ticket_event", "op": "upsert", "id": created.event_id,
                "data": event_dict(created)}]
    for when, action, actor, params in steps:
        t, e = lifecycle.apply(t, action, actor, params, when)
        changes.append({"seq": 0, "kind": "ticket_event", "op": "upsert", "id": e.event_id, "data": event_dict(e)})
    store = make_store([t])
    for i, c in enumerate(changes):
        c["seq"] = 9000 + i
    apply_changes(store, changes, "ev")
    tr = E.trace(store, t.number, NOW)
    assert tr.complete and tr.events == 9 and tr.message == ""
    who = {p["user_id"]: p for p in tr.people}
    assert set(who) == {"district", "officer1", "leader1", "dept-D02"}
    assert who["dept-D02"]["actions"] == ["handle", "feedback"]
    assert who["dept-D02"]["held_s"] == pytest.approx(4 * 3600)  # 10:00 -> 14:00
    assert sum(p["held_s"] for p in tr.people) == pytest.approx(at(7, 14, 30) - at(7, 9))
    assert [(d["department_id"], d["held_s"]) for d in tr.departments] == [("D02", at(7, 13) - at(7, 9, 30))]


def test_trace_of_a_ticket_known_only_from_its_final_state_says_so(make_store):
    t = ticket("closed", created=at(7, 9), deadline=at(7, 17), closed_at=at(7, 12), closed_on_time=True,
               version=6)
    store = make_store([t])
    tr = E.trace(store, t.id, NOW)
    assert not tr.complete and "以区平台记录为准" in tr.message
    with pytest.raises(E.EvaluationError, match="没有工单"):
        E.trace(store, "HP2026NOPE", NOW)


def test_cli_evaluation_and_trace(make_store, tmp_path, capsys):
    import json

    from console import app

    t = ticket("closed", created=at(6, 9), deadline=at(6, 17), dept="D01", grid="G01", closed_at=at(6, 12),
               closed_on_time=True)
    make_store([t])
    db = str(tmp_path / "store.sqlite3")
    out = tmp_path / "ev.json"
    assert app.main(["report", "evaluation", "--month", "2026-11", "--store", db, "--json", str(out),
                     "--weights", "on_time=1", "--now", str(NOW)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["departments"][0]["key"] == "D01" and data["departments"][0]["score"] == 100.0
    assert data["beyond_responsibility"][0]["number"] == t.number
    assert app.main(["report", "evaluation", "--month", "2026-11", "--store", db, "--weights", "x=1"]) == 2
    assert "权重" in capsys.readouterr().err
    assert app.main(["report", "trace", "--ticket", t.number, "--store", db, "--now", str(NOW)]) == 0
    assert "责任倒查" in capsys.readouterr().out
    assert app.main(["report", "trace", "--ticket", "nope", "--store", db]) == 2
    assert "没有工单" in capsys.readouterr().err


def test_the_evaluation_tab_shows_scores_and_beyond_responsibility(qtbot, make_store, make_ctx):
    from tests.commander.conftest import FakeClock
    from views.evaluation import EvaluationView

    t = ticket("closed", created=at(6, 9), deadline=at(6, 17), dept="D01", grid="G01", closed_at=at(6, 12),
               closed_on_time=True)
    view = EvaluationView(make_ctx(make_store([t]), FakeClock(NOW)))
    qtbot.addWidget(view)
    view.month.setCurrentText("2026-11")
    view.weights.setText("on_time=bad")
    view.evaluate()
    assert "不是数字" in view.status.text() and view.result is None
    view.weights.setText("on_time=50,closure=50")
    view.evaluate()
    qtbot.waitUntil(lambda: view.result is not None)
    assert view.table.rowCount() == 1 and view.table.item(0, 1).text() == "上钢新村派出所"
    assert view.table.item(0, 2).text() == "100.0"
    assert view.beyond.rowCount() == 1 and view.beyond.item(0, 0).text() == t.number
