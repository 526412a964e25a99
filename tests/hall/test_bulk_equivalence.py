"""The hall store's bulk path (COPY into a staging table, ``localdb.pg.copy_insert`` via
``dbapi.insert_many``) stores exactly what the desk's SQLite path stores from the same
feed: tickets, reference kinds, ticket events, journal and quarantine. Batches are
larger than ``dbapi.COPY_MIN_ROWS`` so PostgreSQL really takes the COPY path; one batch
repeats an event key (the COPY upsert falls back to row by row, the later row wins) and
one holds tickets the store refuses (quarantined, the rest of the batch stored)."""

from __future__ import annotations

import json
import random

from sqlalchemy import text

from bench.store import NOW, sample_ticket
from localdb import crypto, feed, journal, pg

N = 3 * pg.COPY_MIN_ROWS


def _tickets(rng: random.Random) -> list[dict]:
    ds = [sample_ticket(rng, i) for i in range(N)]
    for bad in (7, N - 3):  # NOT NULL in the store; nothing before the store checks it
        ds[bad]["category_name"] = None
    return ds


def _feed() -> list[list[dict]]:
    rng = random.Random(16)
    seq = iter(range(1, 1_000_000))
    depts = [{"seq": next(seq), "kind": "department", "op": "upsert", "id": f"D{i:03d}",
              "data": {"id": f"D{i:03d}", "name": f"部门{i}", "kind": "street", "phone": f"021-{i:04d}"}}
             for i in range(N)]
    cats = [{"seq": next(seq), "kind": "category", "op": "upsert", "id": f"event:{c:05d}",
             "data": {"kind": "event", "code": f"{c:05d}", "big_code": f"{c // 100:02d}", "big_name": "市容",
                      "small_name": f"小类{c}", "limit_hours": 24.0 + c % 48, "limit_mode": "calendar",
                      "simple": c % 2 == 0}}
            for c in range(1001, 1001 + N)]
    ts = _tickets(rng)
    tickets = [{"seq": next(seq), "kind": "ticket", "op": "upsert", "id": d["id"], "data": d} for d in ts]
    events = []
    for k, d in enumerate(ts):
        # two changes of one batch carry the same event id: a repeated key for COPY
        eid = f"ev-{k}" if k != 40 else "ev-39"
        events.append({"seq": next(seq), "kind": "ticket_event", "op": "upsert", "id": f"c-{k}",
                       "data": {"event_id": eid, "ticket_id": d["id"], "action": "register",
                                "actor": {"user_id": f"u{k % 5}", "name": "张三"}, "at": NOW - k,
                                "from_state": None, "to_state": "registered",
                                "params": {"note": f"第{k}条", "k": k}}})
    # second batch: newer versions of half the tickets, an older one (stale), deletes
    later = []
    for k, d in enumerate(ts[: N // 2]):
        if k in (7,):
            continue
        nd = {**d, "version": d["version"] + 1, "description": f"{d['description']}（更新）"}
        later.append({"seq": next(seq), "kind": "ticket", "op": "upsert", "id": nd["id"], "data": nd})
    stale = {**ts[N // 2 + 1], "version": ts[N // 2 + 1]["version"] - 1}
    later.append({"seq": next(seq), "kind": "ticket", "op": "upsert", "id": stale["id"], "data": stale})
    later += [{"seq": next(seq), "kind": "department", "op": "delete", "id": f"D{i:03d}"} for i in range(5)]
    later += [{"seq": next(seq), "kind": "ticket_event", "op": "upsert", "id": f"c2-{k}",
               "data": {"event_id": f"ev-{k}", "ticket_id": ts[k]["id"], "action": "accept",
                        "actor": {"user_id": "u9"}, "at": NOW + k, "from_state": "registered",
                        "to_state": "accepted", "params": {}}} for k in range(N)]
    return [depts + cats + tickets + events, later]


def _norm(v):
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, dict | list):
        return json.dumps(v, sort_keys=True, ensure_ascii=False)
    if isinstance(v, str) and v.startswith(crypto.PREFIX):  # sealed with a fresh nonce each time
        v = crypto.unseal(v)
    if isinstance(v, str) and v[:1] in "{[":
        try:
            return json.dumps(json.loads(v), sort_keys=True, ensure_ascii=False)
        except ValueError:
            return v
    if isinstance(v, float):
        return round(v, 6)
    return v


def _rows(store, table: str, key: str, skip: tuple[str, ...] = ()) -> list[dict]:
    with store.session() as s:
        res = s.execute(text(f"SELECT * FROM {table}"))
        cols = [c for c in res.keys() if c not in skip]
        rows = [{c: _norm(m[c]) for c in cols} for m in res.mappings()]
    return sorted(rows, key=lambda r: r[key])  # code-point order, whatever the server's collation


def _picture(store) -> dict:
    with store.session() as s:
        j = [(k, e) for _, k, e in journal.since(s, 0)]
        q = s.execute(text("SELECT seq, kind, entity_id, reason FROM quarantine ORDER BY seq")).all()
    return {
        # rid is the store's own row number: PostgreSQL's sequence also counts the rows of a
        # COPY that was undone (a refused row), so its values have gaps; the queue never shows it
        "tickets": _rows(store, "tickets", "id", skip=("rid",)),
        # (the hall store's ticket_events has its own rowid column, SQLite's is hidden)
        "ticket_events": _rows(store, "ticket_events", "event_id", skip=("rowid",)),
        "departments": _rows(store, "departments", "id"),
        "categories": _rows(store, "categories", "id"),
        "journal": j,
        # the driver's wording of a refused row differs; the kind of reason does not
        "quarantine": [(r[0], r[1], r[2], r[3].split(":")[0]) for r in q],
    }


def _apply_both(stores, batch, cursor):
    return [tuple((r.applied, r.quarantined, r.unchanged, r.deleted))
            for r in (feed.apply_changes(st, batch, cursor, now=NOW) for st in stores)]


def _same(a, b) -> dict:
    lite, pg = _picture(a), _picture(b)
    for part in lite:
        if lite[part] != pg[part]:
            diff = [(x, y) for x, y in zip(lite[part], pg[part]) if x != y][:1]
            raise AssertionError(f"{part}: {len(lite[part])} vs {len(pg[part])} rows; first difference {diff}")
    return lite


def test_copy_path_and_sqlite_path_store_the_same_picture(sqlite_store, hall_store, monkeypatch):
    copied: list[str] = []
    real_copy = pg.copy_insert

    def counted(con, sql, rows):  # the real COPY, counted: the test must go through it
        copied.append(sql.split("(")[0].split()[-1])
        return real_copy(con, sql, rows)

    monkeypatch.setattr(pg, "copy_insert", counted)
    first, later = _feed()
    stores = (sqlite_store, hall_store)
    lite_rep, pg_rep = _apply_both(stores, first, "cur-1")
    assert lite_rep == pg_rep == (4 * N - 2, 2, 0, 0)  # 2 refused tickets
    pic = _same(*stores)
    assert {"tickets", "ticket_events", "departments", "categories"} <= set(copied)
    assert len(pic["tickets"]) == N - 2 and len(pic["departments"]) == N and len(pic["categories"]) == N
    assert [q[3] for q in pic["quarantine"]] == ["refused by the store"] * 2
    ev = {e["event_id"]: e for e in pic["ticket_events"]}
    assert len(ev) == N - 1 and "ev-40" not in ev
    assert ev["ev-39"]["ticket_id"] == first[2 * N + 40]["id"]  # the later change of the key won

    lite_rep, pg_rep = _apply_both(stores, later, "cur-2")
    assert lite_rep == pg_rep
    pic = _same(*stores)
    reasons = [q[3] for q in pic["quarantine"]]
    assert reasons.count("refused by the store") == 2 and sum("stale version" in r for r in reasons) == 1
    assert len(pic["departments"]) == N - 5
    assert sum(t["description"].endswith("（更新）") for t in pic["tickets"]) == N // 2 - 1
    ev = {e["event_id"]: e for e in pic["ticket_events"]}
    assert len(ev) == N and {e["action"] for e in ev.values()} == {"accept"}
    assert pic["journal"]


# --- first full load: indexes off, built once at the end --------------------------------
def _indexes(store) -> dict[str, str]:
    with store.session() as s:
        return dict(s.execute(text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename IN ('tickets', 'ticket_events')")).all())


def test_first_full_load_on_the_hall_store_builds_its_indexes_once_and_stores_the_same(
        pg_cluster, hall_store, monkeypatch):
    from localdb import Store, fts, queue_query as qq
    from localdb.store import BULK_DDL_KEY
    from tests.pg import new_database

    monkeypatch.setattr(feed, "BULK_MIN_ROWS", 50)
    first, later = _feed()
    full = _indexes(hall_store)
    slow = Store.open(new_database(pg_cluster))
    try:
        for i, b in enumerate((first, later)):
            feed.apply_changes(slow, b, f"cur-{i}", now=NOW)
        rep = feed.apply_changes(hall_store, first, "cur-0", now=NOW, bootstrap=True)
        assert rep.bulk and feed.in_bulk(hall_store)
        off = _indexes(hall_store)
        assert fts.PG_INDEX not in off and "ix_tickets_created" in off  # BULK_KEEP stays
        assert all(name in off for name, ddl in full.items() if "UNIQUE" in ddl)  # the upserts' keys
        with hall_store.session() as s:  # a search meanwhile is still right, only slower
            assert qq.count(s, {"text": first[2 * N]["data"]["address"]}, NOW) >= 1
        feed.apply_changes(hall_store, later, "cur-1", now=NOW, bootstrap=True)
        built = feed.finish_bootstrap(hall_store)
        assert fts.PG_INDEX in built and set(off) | set(built) == set(full)
        # the very same definitions (the planner matches the queue's expressions to them)
        assert _indexes(hall_store) == full and not feed.in_bulk(hall_store)
        assert feed.finish_bootstrap(hall_store) == []  # idempotent
        _same(slow, hall_store)
        with hall_store.session() as s:
            assert s.execute(text("SELECT count(*) FROM sync_state WHERE key=:k"),
                             {"k": BULK_DDL_KEY}).scalar() == 0
        word = first[2 * N + 5]["data"]["description"][:4]
        counts = []
        for st in (slow, hall_store):  # the rebuilt search index finds what the kept one finds
            with st.session() as s:
                counts.append(qq.count(s, {"text": word}, NOW))
        assert counts[0] == counts[1] > 0
    finally:
        slow.close()


def test_a_failed_first_bulk_page_leaves_the_hall_store_indexes(hall_store, monkeypatch):
    monkeypatch.setattr(feed, "BULK_MIN_ROWS", 50)
    full = _indexes(hall_store)

    def boom(*a, **k):
        raise OSError("hall server went away")

    monkeypatch.setitem(feed._HANDLERS, "ticket_event", boom)  # after the tickets went in
    first, _ = _feed()
    try:
        feed.apply_changes(hall_store, first, "never", now=NOW, bootstrap=True)
    except OSError:
        pass
    else:
        raise AssertionError("the page should have failed")
    assert _indexes(hall_store) == full and not feed.in_bulk(hall_store)
    with hall_store.session() as s:
        assert s.execute(text("SELECT count(*) FROM tickets")).scalar() == 0
