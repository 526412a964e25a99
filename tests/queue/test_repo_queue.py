"""The queue engine (``localdb.queue_query``) over the sample store: tabs, parts, grids,
bbox, the limit sort and the limit filters."""

from __future__ import annotations

from localdb import queue_query as qq
from localdb import repo, repo_queue as rq
from tests.queue.conftest import NOW


def _all(s, f, sort="age", desc=True):
    return qq.query_ids(s, f, sort, desc, 0, 100_000, NOW, "officer1")


def test_tabs_list_what_they_count(store):
    with store.session() as s:
        counts = qq.tab_counts(s, NOW, "officer1")
        assert sum(counts.values()) > 0
        for tab, n in counts.items():
            assert len(_all(s, {"all_of": [{"tab": tab}]})) == n
            assert qq.count(s, {"tab": tab}, NOW, "officer1") == n


def test_parts_intersect(store):
    with store.session() as s:
        assert _all(s, {"all_of": [{"tab": "pending"}, {"state": "closed"}]}) == []
        assert qq.count(s, {"all_of": [{"tab": "pending"}, {"state": "closed"}]}, NOW) == 0
        both = _all(s, {"all_of": [{"states": ["pending", "accepted"]}, {"state": "accepted"}]})
        rows = rq.get_rows(s, both)
        assert rows and {r["state"] for r in rows.values()} == {"accepted"}


def test_grid_of_any_layer_and_bbox(store):
    with store.session() as s:
        rows = rq.get_rows(s, _all(s, {"grids": ["C02"]}))
        assert rows and all(r["grid_committee"] == "C02" for r in rows.values())
        box = [31.175, 121.48, 31.18, 121.49]
        rows = rq.get_rows(s, _all(s, {"bbox": box}))
        assert rows and all(box[0] <= r["lat"] <= box[2] and box[1] <= r["lon"] <= box[3]
                            for r in rows.values())


def test_limit_sort_puts_tickets_without_a_running_clock_last(store):
    with store.session() as s:
        for desc in (False, True):
            ids = _all(s, {}, "limit", desc)
            rows = rq.get_rows(s, ids)
            running = [rows[i]["deadline"] is not None and rows[i]["state"] not in
                       ("closed", "archived", "returned", "suspended") for i in ids]
            first_idle = running.index(False)
            assert all(running[:first_idle]) and not any(running[first_idle:])
            deadlines = [rows[i]["deadline"] for i in ids[:first_idle]]
            assert deadlines == sorted(deadlines, reverse=desc)
            # paging gives the same order
            paged = [r for off in range(0, len(ids), 37)
                     for r in qq.query_ids(s, {}, "limit", desc, off, 37, NOW)]
            assert paged == ids


def test_limit_filters_match_the_domain_rule(store):
    from console.domain import timelimits

    with store.session() as s:
        seen = set()
        for state in ("on_time", "warning", "overdue", "suspended", "done"):
            for rid in _all(s, {"limit": [state]}):
                t = repo.get_ticket(s, rid)
                assert timelimits.limit_state(t, NOW).value == state
                seen.add(state)
        assert seen >= {"on_time", "warning", "overdue", "done"}  # the sample has no 挂账
