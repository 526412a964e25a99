import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from console.domain import timelimits
from localdb import Store, feed, repo
from localdb.repo import TicketFilter
from tests.localdb.helpers import (CATEGORIES, CHANNELS, DEPTS, NOW, STATES, change,
                                   grid_change,
                                   random_ticket, ticket)

N = 300
SORTS = list(repo.SORT_COLUMNS)
PRIO = {"normal": 0, "urgent": 1, "critical": 2}


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
            loc = {"pending": rng.choice([0, 0, 0, 2]), "attention": rng.random() < 0.1,
                   "last_actor_id": rng.choice([None, "u1", "u2"])}
            s.execute(text("UPDATE tickets SET pending=:pending, attention=:attention, "
                           "last_actor_id=:last_actor_id WHERE id=:id"), {**loc, "id": t.id})
            local[t.id] = loc
    with store.session() as s:
        rids = repo.rowids_for(s, [t.id for t in tickets])
    yield store, tickets, local, rids
    store.close()


def _matches(t, loc, f: TicketFilter) -> bool:
    if f.states and t.state.value not in f.states:
        return False
    if f.channels and t.channel.value not in f.channels:
        return False
    if f.category_codes and t.category_code not in f.category_codes:
        return False
    if f.department_ids and t.department_id not in f.department_ids:
        return False
    if f.grid_ids and not set(t.grids.values()) & set(f.grid_ids):
        return False
    if f.limit_states:
        ls = timelimits.limit_state(t, f.now, f.warning_lead_s).value
        if ls not in f.limit_states:
            return False
    if f.mine and loc["last_actor_id"] != f.mine:
        return False
    if f.needs_commander is not None and t.needs_commander != f.needs_commander:
        return False
    if f.pending is not None and (loc["pending"] > 0) != f.pending:
        return False
    if f.attention is not None and loc["attention"] != f.attention:
        return False
    for term in f.text.split():
        hay = [t.description.lower(), t.address.lower(), (t.number or "").lower()]
        if not any(term.lower() in h for h in hay):
            return False
    return True


def _col_value(t, col):
    if col == "priority_rank":
        return PRIO[t.priority.value]
    if col == "grid_resp":
        return t.grids.get("resp_grid")
    v = getattr(t, col)
    return getattr(v, "value", v)


def _reference(world, f, sort):
    store, tickets, local, rids = world
    hits = [t for t in tickets if _matches(t, local[t.id], f)]
    col, direction = sort
    cols = repo.SORT_COLUMNS[col][0]

    def key(t):
        out = []
        for c in cols:  # SQLite: NULLs first ascending
            v = _col_value(t, c)
            out += [v is not None, 0 if v is None else v]
        return (*out, rids[t.id])

    hits.sort(key=key)
    ids = [rids[t.id] for t in hits]
    return ids[::-1] if direction == "desc" else ids


filters = st.builds(
    TicketFilter,
    states=st.lists(st.sampled_from(STATES), max_size=3, unique=True).map(tuple),
    channels=st.lists(st.sampled_from(CHANNELS), max_size=2, unique=True).map(tuple),
    category_codes=st.lists(st.sampled_from(CATEGORIES), max_size=2, unique=True).map(tuple),
    grid_ids=st.lists(st.sampled_from(["S-01", "R-02", "M-1", "D-PD", "X"]), max_size=2,
                      unique=True).map(tuple),
    department_ids=st.lists(st.sampled_from([d for d in DEPTS if d]), max_size=2,
                            unique=True).map(tuple),
    limit_states=st.lists(st.sampled_from(["on_time", "warning", "overdue", "suspended", "done"]),
                          max_size=2, unique=True).map(tuple),
    mine=st.sampled_from([None, "u1"]),
    needs_commander=st.sampled_from([None, True, False]),
    pending=st.sampled_from([None, True, False]),
    attention=st.sampled_from([None, True]),
    text=st.sampled_from(["", "井盖", "世纪大道", "占道经营", "浦东南路 积水", "sh0000001", "1号"]),
    now=st.just(NOW),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=filters, sort=st.tuples(st.sampled_from(SORTS), st.sampled_from(["asc", "desc"])))
def test_filters_and_sorts_match_reference(world, f, sort):
    store = world[0]
    expected = _reference(world, f, sort)
    with store.session() as s:
        got = repo.query_ticket_ids(s, f, sort, 0, 10_000)
        assert got == expected
        assert repo.count_tickets(s, f) == len(expected)
        assert repo.query_ticket_ids(s, f, sort, 5, 7) == expected[5:12]


def test_tab_counts(world):
    store, tickets, local, _ = world
    with store.session() as s:
        counts = repo.tab_counts(s, NOW, "u1")
    lim = [timelimits.limit_state(t, NOW).value for t in tickets]
    assert counts == {
        "pending": sum(t.state.value == "pending" for t in tickets),
        "warning": lim.count("warning"),
        "overdue": lim.count("overdue"),
        "feedback": sum(t.state.value == "feedback" for t in tickets),
        "needs_commander": sum(t.needs_commander for t in tickets),
        "mine": sum(local[t.id]["last_actor_id"] == "u1" for t in tickets),
    }


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
        assert repo.search(s, "井盖") == [one]  # two characters: below trigram length
        assert repo.search(s, "井盖缺失") == [one]
        assert repo.search(s, "门口井盖") == [one]
        assert repo.search(s, "世纪大道") == [two]
        assert repo.search(s, "sh2026abc") == [two]
        assert repo.search(s, "井盖 世纪") == []
        assert repo.search(s, '"引号') == []
        plan = " ".join(repo.explain(s, TicketFilter(text="井盖缺失")))
        assert "tickets_fts" in plan or "VIRTUAL TABLE" in plan
    # the index follows edits and deletes (triggers)
    feed.apply_changes(store, [change(ticket(1, version=2, description="路灯损坏"))], "d", now=NOW)
    with store.session() as s:
        assert repo.search(s, "井盖缺失") == []
        assert repo.search(s, "路灯损坏") == [one]
    feed.apply_changes(store, [{"seq": 9, "kind": "ticket", "op": "delete", "id": ticket(1).id}],
                       "e", now=NOW)
    with store.session() as s:
        assert repo.search(s, "路灯损坏") == []


def test_queue_queries_use_indexes(store):
    cases = [
        (TicketFilter(states=("pending",)), ("created_at", "desc")),
        (TicketFilter(limit_states=("overdue",), now=NOW), ("deadline", "asc")),
        (TicketFilter(channels=("hotline_12345",)), ("created_at", "desc")),
        (TicketFilter(needs_commander=True), ("created_at", "asc")),
        (TicketFilter(), ("deadline", "asc")),
        (TicketFilter(mine="u1"), ("updated_at", "desc")),
    ]
    with store.session() as s:
        for f, sort in cases:
            plan = " ".join(repo.explain(s, f, sort))
            assert "INDEX" in plan, (f, sort, plan)
            assert "SCAN tickets" not in plan.replace("USING", "") or "INDEX" in plan


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
        assert repo.users(s)[0]["role"] == "officer"
        near = repo.nearby_tickets(s, 31.2, 121.5, 30, since=0)
        assert [d["id"] for d in near] == [ticket(1).id, ticket(2).id]
        assert near[0]["distance_m"] < near[1]["distance_m"]
        assert repo.nearby_tickets(s, 31.2, 121.5, 30, since=NOW) == []


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(f=filters, sort=st.tuples(st.sampled_from(SORTS), st.sampled_from(["asc", "desc"])))
def test_sorted_index_walk_gives_the_same_pages(world, f, sort):
    """The plan that walks the sort index (used for broad filters on big stores)."""
    store = world[0]
    expected = _reference(world, f, sort)
    old = repo.SORTED_SCAN_THRESHOLD
    repo.SORTED_SCAN_THRESHOLD = 1
    try:
        with store.session() as s:
            assert repo.query_ticket_ids(s, f, sort, 0, 10_000) == expected
            assert repo.query_ticket_ids(s, f, sort, 3, 9) == expected[3:12]
    finally:
        repo.SORTED_SCAN_THRESHOLD = old
