"""The queue engine (``localdb.queue_query``, the one the panel runs) against a
reference in Python over a random store; reference reads of ``localdb.repo``."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from console.domain import timelimits, urgency
from localdb import Store, feed, fts, queue_query as qq, repo
from tests.localdb.helpers import (CATEGORIES, CHANNELS, DEPTS, NOW, STATES, change,
                                   grid_change,
                                   random_ticket, ticket)

N = 300
SORTS = list(qq.SORT_COLUMNS)
PRIO = {"normal": 0, "urgent": 1, "critical": 2}
OPEN = {"pending", "accepted", "registered", "dispatched", "handling", "feedback", "verified",
        "suspended"}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    rng = random.Random(7)
    store = Store.open(tmp_path_factory.mktemp("repo") / "s.sqlite3")
    tickets = [random_ticket(rng, i) for i in range(N)]
    grids = [grid_change("R-02", "resp_grid"), grid_change("M-1", "micro_grid"),
             grid_change("S-01", "street")]
    feed.apply_changes(store, grids + [change(t, i) for i, t in enumerate(tickets)], "c1", now=NOW)
    local = {}
    with store.write() as s:
        for t in tickets:
            loc = {"pending": rng.choice([0, 0, 0, 1, 2]), "attention": rng.random() < 0.1,
                   "last_actor_id": rng.choice([None, "u1", "u2"]),
                   "key_supervision": rng.random() < 0.15}
            s.execute(text("UPDATE tickets SET pending=:pending, attention=:attention, "
                           "last_actor_id=:last_actor_id, key_supervision=:key_supervision "
                           "WHERE id=:id"), {**loc, "id": t.id})
            local[t.id] = loc
    with store.session() as s:
        rids = repo.rowids_for(s, [t.id for t in tickets])
    yield store, tickets, local, rids
    store.close()


def _tab_ok(t, loc, tab, lead_s) -> bool:
    if tab in ("pending", "feedback"):
        return t.state.value == tab
    if tab in ("warning", "overdue"):
        return timelimits.limit_state(t, NOW, lead_s).value == tab
    if tab == "needs_commander":
        return t.needs_commander
    return loc["last_actor_id"] == "u1"  # mine


def _matches(t, loc, f: dict) -> bool:
    lead_s = f.get("lead_s", timelimits.DEFAULT_WARNING_LEAD_S)
    if f.get("tab") and not _tab_ok(t, loc, f["tab"], lead_s):
        return False
    if f.get("states") and t.state.value not in f["states"]:
        return False
    if f.get("open_only") and not f.get("states") and t.state.value not in OPEN:
        return False
    if f.get("channels") and t.channel.value not in f["channels"]:
        return False
    if f.get("categories") and t.category_code not in f["categories"]:
        return False
    if f.get("departments") and t.department_id not in f["departments"]:
        return False
    if f.get("priorities") and t.priority.value not in f["priorities"]:
        return False
    if f.get("grids") and not set(t.grids.values()) & set(f["grids"]):
        return False
    if f.get("limit") and timelimits.limit_state(t, NOW, lead_s).value not in f["limit"]:
        return False
    if f.get("mine") and loc["last_actor_id"] != (f["mine"] if isinstance(f["mine"], str) else "u1"):
        return False
    if f.get("needs_commander") and not t.needs_commander:
        return False
    if f.get("pending") and not loc["pending"] > 0:
        return False
    if f.get("pending_sync") and not (loc["pending"] > 0 or loc["attention"]):
        return False
    if f.get("attention") and not loc["attention"]:
        return False
    if f.get("key_supervision") and not loc["key_supervision"]:
        return False
    for term in (f.get("text") or "").split():
        hay = [t.description.lower(), t.address.lower(), (t.number or "").lower()]
        if not any(term.lower() in h for h in hay):
            return False
    return True


def _col_value(t, loc, sort):
    running = t.deadline if t.state.value in OPEN - {"suspended"} else None
    return {"limit": running,
            "priority": PRIO[t.priority.value], "channel": t.channel.value,
            "category": t.category_code, "grid": t.grids.get("resp_grid"), "address": t.address,
            "state": t.state.value, "department": t.department_id, "age": t.created_at,
            "sync": (loc["pending"], t.created_at), "created": t.created_at, "updated": t.updated_at}[sort]


def _reference(world, f, sort, desc):
    store, tickets, local, rids = world
    hits = [t for t in tickets if _matches(t, local[t.id], f)]
    if sort == "priority":  # descending: the domain's priority order, ties by row id last first
        running = {t.id: _col_value(t, local[t.id], "limit") for t in hits}
        hits.sort(key=lambda t: (urgency.priority_key(t.state.value, t.priority.value, running[t.id], t.created_at),
                                 -rids[t.id]))
        return [rids[t.id] for t in (hits if desc else hits[::-1])]
    vals = {t.id: _col_value(t, local[t.id], sort) for t in hits}
    have = sorted((t for t in hits if vals[t.id] is not None), key=lambda t: (vals[t.id], rids[t.id]),
                  reverse=desc)
    none = sorted((t for t in hits if vals[t.id] is None), key=lambda t: rids[t.id], reverse=desc)
    return [rids[t.id] for t in have + none]  # NULLs last either way


def _lists(values, n=2):
    return st.lists(st.sampled_from(values), max_size=n, unique=True)


filters = st.fixed_dictionaries({}, optional={
    "tab": st.sampled_from(list(qq.TAB_NAMES)),
    "states": _lists(STATES, 3),
    "open_only": st.just(True),
    "channels": _lists(CHANNELS),
    "categories": _lists(CATEGORIES),
    "grids": _lists(["S-01", "R-02", "M-1", "D-PD", "X"]),
    "departments": _lists([d for d in DEPTS if d]),
    "priorities": _lists(["normal", "urgent", "critical"]),
    "limit": _lists(["on_time", "warning", "overdue", "suspended", "done"]),
    "lead_s": st.sampled_from([600.0, 7200.0, 36000.0]),
    "mine": st.sampled_from([True, "u2"]),  # the officer, or an actor id
    "needs_commander": st.just(True),
    "pending": st.just(True),
    "pending_sync": st.just(True),
    "attention": st.just(True),
    "key_supervision": st.just(True),
    "text": st.sampled_from(["", "井盖", "世纪大道", "占道经营", "浦东南路 积水", "sh0000001", "1号"]),
})


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=filters, sort=st.sampled_from(SORTS), desc=st.booleans(), nested=st.booleans())
def test_filters_and_sorts_match_reference(world, f, sort, desc, nested):
    store = world[0]
    expected = _reference(world, f, sort, desc)
    if nested:  # the panel sends its parts under all_of, with the lead outside
        f = {"all_of": [{k: v for k, v in f.items() if k != "lead_s"}],
             **({"lead_s": f["lead_s"]} if "lead_s" in f else {})}
    with store.session() as s:
        assert qq.query_ids(s, f, sort, desc, 0, 10_000, NOW, "u1") == expected
        assert qq.count(s, f, NOW, "u1") == len(expected)
        assert qq.query_ids(s, f, sort, desc, 5, 7, NOW, "u1") == expected[5:12]
        some = [t.id for t in world[1][::7]]
        ids_of = {rid: tid for tid, rid in world[3].items()}
        assert qq.matching(s, f, some, NOW, "u1") == {ids_of[r] for r in expected} & set(some)


def test_tab_counts(world):
    store, tickets, local, _ = world
    with store.session() as s:
        counts = qq.tab_counts(s, NOW, "u1")
    lim = [timelimits.limit_state(t, NOW).value for t in tickets]
    assert counts == {
        "pending": sum(t.state.value == "pending" for t in tickets),
        "warning": lim.count("warning"),
        "overdue": lim.count("overdue"),
        "feedback": sum(t.state.value == "feedback" for t in tickets),
        "needs_commander": sum(t.needs_commander for t in tickets),
        "mine": sum(local[t.id]["last_actor_id"] == "u1" for t in tickets),
    }
    assert all(counts.values())


def test_get_rows_in_order_without_phone(world):
    store, tickets, _, rids = world
    ids = [rids[tickets[5].id], rids[tickets[2].id], 999_999]
    with store.session() as s:
        rows = repo.get_rows(s, ids)
    assert [r["id"] for r in rows] == [tickets[5].id, tickets[2].id]
    assert "reporter_phone" not in rows[0]
    with store.session() as s:
        assert repo.get_ticket(s, tickets[5].id) == tickets[5]
        assert repo.get_ticket(s, rids[tickets[5].id]) == tickets[5]


def test_fts_finds_chinese_substrings(store):
    feed.apply_changes(store, [
        change(ticket(1, description="小区门口井盖缺失", address="浦东南路100号")),
        change(ticket(2, description="人行道占道经营", address="世纪大道8号", number="SH2026ABC")),
    ], "c", now=NOW)
    with store.session() as s:
        one = repo.rowids_for(s, [ticket(1).id])[ticket(1).id]
        two = repo.rowids_for(s, [ticket(2).id])[ticket(2).id]
        assert qq.search(s, "井盖") == [one]  # two characters: below trigram length
        assert qq.search(s, "井盖缺失") == [one]
        assert qq.search(s, "门口井盖") == [one]
        assert qq.search(s, "世纪大道") == [two]
        assert qq.search(s, "sh2026abc") == [two]
        assert qq.search(s, "井盖 世纪") == []
        assert qq.search(s, '"引号') == []
        plan = " ".join(qq.explain(s, {"text": "井盖缺失"}))
        assert "tickets_fts" in plan or "VIRTUAL TABLE" in plan or fts.PG_INDEX in plan
    # the index follows edits and deletes (triggers)
    feed.apply_changes(store, [change(ticket(1, version=2, description="路灯损坏"))], "d", now=NOW)
    with store.session() as s:
        assert qq.search(s, "井盖缺失") == []
        assert qq.search(s, "路灯损坏") == [one]
    feed.apply_changes(store, [{"seq": 9, "kind": "ticket", "op": "delete", "id": ticket(1).id}],
                       "e", now=NOW)
    with store.session() as s:
        assert qq.search(s, "路灯损坏") == []


def test_queue_queries_use_indexes(store):
    cases = [
        ({"tab": "pending"}, "age", True),
        ({"tab": "overdue"}, "limit", False),
        ({"channels": ["hotline_12345"]}, "age", True),
        ({"tab": "needs_commander"}, "age", False),
        ({}, "updated", True),
        ({"tab": "mine"}, "updated", True),
    ]
    with store.session() as s:
        for f, sort, desc in cases:
            plan = " ".join(qq.explain(s, f, sort, desc, NOW, "u1"))
            if store.dialect == "postgresql":
                plan = plan.upper()
            assert "INDEX" in plan, (f, sort, plan)
            assert "SCAN tickets" not in plan.replace("SCAN tickets USING", ""), (f, sort, plan)


def test_reference_reads(store):
    changes = [
        {"seq": 1, "kind": "department", "op": "upsert", "id": "D01",
         "data": {"id": "D01", "name": "城管中队", "kind": "city_management", "phone": "1"}},
        {"seq": 2, "kind": "category", "op": "upsert", "id": "event:01001",
         "data": {"kind": "event", "code": "01001", "big_code": "01", "big_name": "市容",
                  "small_name": "井盖", "limit_hours": 24, "limit_mode": "calendar",
                  "urgent_limit_hours": None}},
        {"seq": 3, "kind": "responsibility", "op": "upsert", "id": "event:01001:R-01",
         "data": {"category_code": "01001", "category_kind": "event", "grid_id": "R-01",
                  "department_id": "D01"}},
        {"seq": 4, "kind": "responsibility", "op": "upsert", "id": "event:01001:S-01",
         "data": {"category_code": "01001", "category_kind": "event", "grid_id": "S-01",
                  "department_id": "D02"}},
        {"seq": 5, "kind": "camera", "op": "upsert", "id": "C1",
         "data": {"id": "C1", "name": "路口", "lat": 31.2001, "lon": 121.5, "grid_id": "R-01",
                  "online": True, "stream_url": "rtsp://x", "substream_url": "", "source": "street"}},
        {"seq": 6, "kind": "sensor", "op": "upsert", "id": "S1",
         "data": {"id": "S1", "name": "烟感", "type": "smoke", "lat": 31.2, "lon": 121.5,
                  "grid_id": "R-01", "status": "alarm"}},
        {"seq": 7, "kind": "roster", "op": "upsert", "id": "r1",
         "data": {"id": "r1", "date": "2026-11-22", "shift": "day", "role": "officer",
                  "person_id": "u1", "name": "张三", "phone": "138"}},
        {"seq": 8, "kind": "user", "op": "upsert", "id": "u1",
         "data": {"id": "u1", "name": "张三", "role": "officer", "pin_hash": "x"}},
        change(ticket(1, department_id="D01", state="dispatched"), 9),
        change(ticket(2, department_id="D01", state="closed"), 10),
    ]
    rep = feed.apply_changes(store, changes, "c", now=NOW)
    assert rep.quarantined == 0, rep.reasons
    with store.session() as s:
        deps = repo.departments(s)
        assert deps[0]["open_load"] == 1
        assert repo.suggested_department(s, "01001", {"street": "S-01", "resp_grid": "R-01"}) == "D01"
        assert repo.suggested_department(s, "01001", {"street": "S-01"}) == "D02"
        assert repo.suggested_department(s, "09999", {"street": "S-01"}) is None
        assert repo.categories(s)[0]["small_name"] == "井盖"
        assert [c["id"] for c in repo.cameras_near(s, 31.2, 121.5, 50)] == ["C1"]
        assert repo.cameras_near(s, 31.3, 121.5, 50) == []
        assert repo.sensors(s, "alarm")[0]["id"] == "S1"
        assert repo.roster_entries(s, "2026-11-22")[0]["name"] == "张三"
        assert [u["role"] for u in repo.users(s).values()][0] == "officer"
        near = repo.nearby_tickets(s, 31.2, 121.5, 30, since=0)
        assert [d["id"] for d in near] == [ticket(1).id, ticket(2).id]
        assert near[0]["distance_m"] < near[1]["distance_m"]
        assert repo.nearby_tickets(s, 31.2, 121.5, 30, since=NOW) == []


def test_priority_order_is_urgent_first_and_index_backed(world):
    store, tickets, local, rids = world
    with store.session() as s:
        got = qq.query_ids(s, {}, "priority", True, 0, 10_000, NOW)
        for f in ({}, {"tab": "pending"}, {"state": "registered"}):
            plan = " ".join(qq.explain(s, f, "priority", True, NOW))
            assert "TEMP B-TREE" not in plan and "priority" in plan, (f, plan)
    by_rid = {rids[t.id]: t for t in tickets}
    ranked = [by_rid[r] for r in got]
    is_open = [t.state.value in OPEN for t in ranked]
    assert is_open == sorted(is_open, reverse=True)  # open work before closed
    ranked = [t for t in ranked if t.state.value in OPEN]
    crit = [t.priority.value == "critical" for t in ranked]
    assert crit == sorted(crit, reverse=True)  # every open 特急 before the rest
    rest = [t for t in ranked if t.priority.value != "critical"]
    states = [timelimits.limit_state(t, NOW).value for t in rest]
    first_not_overdue = states.index(next(x for x in states if x != "overdue"))
    assert "overdue" not in states[first_not_overdue:]  # then the overdue, then by time left
    left = [t.deadline for t in rest if t.state.value in OPEN - {"suspended"} and t.deadline is not None]
    assert left == sorted(left)


def test_key_supervision_and_sync_sort_are_index_served(store):
    """重点监管 reads its partial index whatever the sort; the 同步 sort reads the tickets
    with unsent actions by ix_tickets_pending_order, the rest by the age index."""
    cases = [({"key_supervision": True}, sort, desc) for sort, desc in
             (("age", True), ("channel", False), ("grid", False), ("sync", True), ("updated", True))]
    cases += [({}, "sync", True), ({}, "sync", False), ({"tab": "pending"}, "sync", True),
              ({"all_of": [{"tab": "mine"}, {"key_supervision": True}]}, "priority", True)]
    with store.session() as s:
        for f, sort, desc in cases:
            plan = " ".join(qq.explain(s, f, sort, desc, NOW, "u1"))
            if store.dialect == "postgresql":
                assert "Seq Scan" not in plan, (f, sort, plan)
                assert "Index" in plan, (f, sort, plan)
                continue
            assert "SCAN tickets" not in plan.replace("SCAN tickets USING", ""), (f, sort, plan)
            if f.get("key_supervision") and sort != "sync":
                assert "ix_tickets_key_supervision" in plan, (f, sort, plan)
        plan = " ".join(qq.explain(s, {}, "sync", True, NOW))
        if store.dialect == "sqlite":
            assert "ix_tickets_pending_order" in plan and "ix_tickets_created" in plan, plan
            assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("flag", [{"key_supervision": True}, {"tab": "needs_commander"},
                                  {"needs_commander": True}, {"attention": True}, {"pending": True},
                                  {"tab": "mine"}, {"mine": "u2"}, {"tab": "warning"}])
def test_few_rows_filters_read_their_partial_index_first(tmp_path, flag):
    """A flag or tab with a partial index is read from that index whatever the sort,
    the limit sort included, even when the index is empty and ANALYZE left no
    statistics for it (the 1M benchmark's 重点监管): the planner would otherwise take it
    for a big index and walk the channel or sort index through the whole table."""
    store = Store.open(tmp_path / "s.sqlite3")
    rng = random.Random(3)
    feed.apply_changes(store, [change(random_ticket(rng, i), i) for i in range(400)], "c", now=NOW)
    store.analyze()  # no ticket is 重点监管, has unsent actions or needs attention: empty indexes
    index = {"key_supervision": "ix_tickets_key_supervision", "needs_commander": "ix_tickets_needs_commander",
             "attention": "ix_tickets_attention", "pending": "ix_tickets_pending", "mine": "ix_tickets_last_actor",
             "tab:needs_commander": "ix_tickets_needs_commander", "tab:mine": "ix_tickets_last_actor",
             "tab:warning": "ix_tickets_limit_deadline"}
    key = f"tab:{flag['tab']}" if "tab" in flag else next(iter(flag))
    with store.session() as s:
        for combo in ({}, {"channels": [CHANNELS[0]]}, {"limit": ["overdue", "warning"]}):
            f = {"all_of": [flag, combo], "lead_s": 7200.0}
            for sort in SORTS:
                plan = qq.explain(s, f, sort, sort in ("age", "sync", "updated"), NOW, "u1")
                # every part of the page reads the flag's index, never the channel or sort index
                walks = [p for p in plan if p.startswith(("SCAN", "SEARCH"))]
                assert walks and all(index[key] in p for p in walks), (f, sort, plan)
    store.close()


def test_limit_state_tabs_read_their_range_index_only(tmp_path):
    """已超时 / 即将超时 with a channel filter and the queue's sorts read the deadline
    range from ix_tickets_limit_deadline alone (revision 0023: it carries the filter and
    sort columns), never looking each ticket of the range up in the table."""
    store = Store.open(tmp_path / "s.sqlite3")
    rng = random.Random(3)
    feed.apply_changes(store, [change(random_ticket(rng, i), i) for i in range(400)], "c", now=NOW)
    store.analyze()
    with store.session() as s:
        for tab in ("overdue", "warning"):
            for combo in ({}, {"channels": [CHANNELS[0]]}, {"states": ["dispatched", "handling"]}):
                f = {"all_of": [{"tab": tab}, combo], "lead_s": 7200.0}
                for sort in ("limit", "channel", "category", "grid", "state", "department", "age",
                             "created", "updated"):
                    plan = qq.explain(s, f, sort, False, NOW, "u1")
                    walks = [p for p in plan if p.startswith(("SCAN", "SEARCH"))]
                    assert walks and all("COVERING INDEX ix_tickets_limit_deadline" in p for p in walks), \
                        (f, sort, plan)
    store.close()


def test_sync_sort_pages_across_the_pending_part(world):
    """A page that starts inside, at the end of, or past the pending part of the 同步
    order is the same slice of the whole order, both directions."""
    store, tickets, local, rids = world
    for desc in (True, False):
        whole = _reference(world, {}, "sync", desc)
        n_pending = sum(1 for t in tickets if local[t.id]["pending"] > 0)
        edge = n_pending if desc else len(tickets) - n_pending
        with store.session() as s:
            for off in (0, edge - 3, edge, edge + 4, len(whole) - 2, len(whole) + 5):
                assert qq.query_ids(s, {}, "sync", desc, off, 10, NOW) == whole[max(0, off):off + 10]
