"""Duty records end to end: real simulator on loopback, real SyncEngine, fault proxy.

- a handover signed and acknowledged while offline reaches the platform once;
- lost replies and a console restart still store each record once;
- a roster swap at workstation A appears in workstation B's store with its history;
- a refused record lands in needs-attention without holding ticket commands back.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from console.domain.model import Actor, Role
from console.operations import commander as cops
from console.operations import duty
from console.operations import tickets as tops
from console.sync import storeapi
from console.sync.client import LinkDown
from console.sync.engine import SyncEngine
from console.sync.puller import Puller
from console.sync.pusher import Pusher
from localdb import outbox, repo_commander

from .conftest import OFFICER, now
from .helpers import login_online, push_killed_after_send, wait_until

LEADER_A = Actor("leader1", "值班长甲", Role.SHIFT_LEADER, "WS-A")
LEADER_B = Actor("leader2", "值班长乙", Role.SHIFT_LEADER, "WS-B")
PIN = "1234"  # the simulator's demo accounts


def platform_records(client, pred) -> list[dict]:
    """Every ``duty_record`` change on the feed whose record matches ``pred``."""
    found, cursor = [], ""
    while True:
        b = client.changes(cursor, 5000)
        found += [c for c in b.changes if c["kind"] == "duty_record" and pred(c["data"])]
        cursor = b.next_cursor
        if not b.has_more:
            return found


def about(entity_id: str):
    return lambda r: r["data"].get("id") == entity_id


def duty_rows(store, sql: str, **params) -> list[dict]:
    with store.session() as s:
        return [dict(r._mapping) for r in s.execute(text(sql), params)]


def scene(store) -> tuple[float, float]:
    """A place in the platform's street (where its first camera stands)."""
    with store.session() as s:
        return tuple(s.execute(text("SELECT lat, lon FROM cameras ORDER BY id LIMIT 1")).one())


def started(store, client, name: str) -> SyncEngine:
    eng = SyncEngine(store, client, name)
    eng.PULL_INTERVAL_S = 0.2
    eng.start()
    wait_until(lambda: not eng.puller.bootstrapping and eng.link_state == "online", 60,
               what=f"{name} bootstrapped")
    return eng


def test_handover_signed_and_acknowledged_offline_reaches_the_platform_once(
        sim, direct, proxy, via_proxy, open_store):
    store = open_store()
    eng = started(store, via_proxy, "WS-A")
    try:
        # both leaders logged in at WS-A while it was online: their PINs are checked offline
        for uid in ("leader1", "leader2"):
            login_online(store, direct, uid, "WS-A", eng.platform_now())
        eng.kick()
        wait_until(lambda: eng.outbox_depth() == 0, 20, what="login records sent")
        proxy.partition("refuse")
        wait_until(lambda: eng.link_state == "offline", 15, what="offline")
        t = eng.platform_now()
        hid = cops.sign_handover_as(store, LEADER_A, "leader1", PIN, "2030-01-01", "day",
                                    {"open": 7}, t, notes="离线交班")
        eng.kick()
        cops.acknowledge_handover_as(store, LEADER_A, "leader2", PIN, hid, t + 60)
        eng.kick()
        # two PIN checks, signed + its log line, acknowledged + its log line: queued, nothing sent
        assert eng.outbox_depth() == 6
        assert not platform_records(direct, about(hid))

        proxy.pass_through()
        wait_until(lambda: eng.outbox_depth() == 0, 20, what="outbox drained")
        recs = platform_records(direct, about(hid))
        assert [r["data"]["data"]["state"] for r in recs] == ["signed", "acknowledged"]
        assert len({r["id"] for r in recs}) == 2           # each record once on the feed
        assert recs[1]["data"]["actor"]["user_id"] == "leader2"
        assert recs[1]["data"]["actor"]["workstation"] == "WS-A"
        with store.session() as s:
            done = [r[0] for r in s.execute(text(
                "SELECT result_code FROM outbox WHERE verb='duty_record' "
                "AND ticket_id NOT LIKE 'auth:%' ORDER BY seq"))]
        assert done == ["applied"] * 4

        # our own records come back on the feed: nothing is duplicated locally
        assert eng.stop(10)
        Puller(store, direct).catch_up()
        log_sql = "SELECT text FROM duty_log WHERE kind='handover' AND shift_date='2030-01-01'"
        assert sorted(r["text"] for r in duty_rows(store, log_sql)) == ["交班签字", "接班确认"]
        assert duty_rows(store, "SELECT * FROM quarantine WHERE kind='duty_record'") == []
        (h,) = duty_rows(store, "SELECT state, acknowledged_by, notes FROM handovers WHERE id=:i", i=hid)
        assert h == {"state": "acknowledged", "acknowledged_by": "leader2", "notes": "离线交班"}
    finally:
        assert eng.stop(10)


def test_lost_replies_and_a_restart_store_each_record_once(sim, direct, proxy, via_proxy, open_store):
    store = open_store()
    Puller(store, direct).catch_up()
    eid = cops.start_emergency(store, LEADER_A, "flood", "演练：世纪大道积水", "III", now(),
                               *scene(store), location_source="map")
    n = storeapi.outbox_depth(store)
    with store.session() as s:
        steps = len(cops.plan_for_type(s, "flood").steps)
    assert n == 1 + steps + 1                             # emergency, its items, the log line
    proxy.drop_replies(1.0)                               # the platform stores, we never hear
    with pytest.raises(LinkDown):
        Pusher(store, via_proxy).push_once()
    assert storeapi.outbox_depth(store) == n
    store.close()
    # the console starts again and sends the records again; the platform answers
    # "duplicate", and the process is killed (SIGKILL) before it stores those answers
    proxy.pass_through()
    push_killed_after_send(store.path, proxy.url, sim.token)

    from localdb import Store
    store2 = Store.open(store.path)                       # and the console starts once more
    try:
        assert storeapi.outbox_depth(store2) == n
        again = Pusher(store2, via_proxy)
        assert again.drain() == n
        assert again.stats.duplicate == n and again.stats.records_sent == n
        assert storeapi.outbox_depth(store2) == 0
        assert len(platform_records(direct, about(eid))) == 1
        items = platform_records(direct, lambda r: r["kind"] == "emergency_item"
                                 and r["data"]["emergency_id"] == eid)
        assert sorted(r["data"]["data"]["position"] for r in items) == list(range(n - 2))
    finally:
        store2.close()


def test_roster_swap_at_a_appears_at_b_with_its_history(sim, direct, open_store):
    from console.sync.client import PlatformClient

    a, b = open_store("a.sqlite3"), open_store("b.sqlite3")
    ca, cb = PlatformClient(sim.url, sim.token), PlatformClient(sim.url, sim.token)
    ea, eb = started(a, ca, "WS-A"), started(b, cb, "WS-B")
    try:
        (old,) = duty_rows(a, "SELECT id, date, shift FROM roster WHERE role='officer' AND "
                              "superseded_by IS NULL AND local=0 ORDER BY date DESC, id LIMIT 1 OFFSET 3")
        new_id = cops.roster_swap(a, LEADER_A, old["id"], "p-off16", "替班员", now(), phone="13800000000",
                                  reason="病假")
        ea.kick()
        row = "SELECT * FROM roster WHERE id=:i"
        wait_until(lambda: duty_rows(b, row, i=new_id), 20, what="the swap at B")
        wait_until(lambda: duty_rows(b, row, i=old["id"])[0]["superseded_by"] == new_id, 10,
                   what="history at B")
        (got,) = duty_rows(b, row, i=new_id)
        assert (got["replaces"], got["person_id"], got["name"], got["reason"], got["local"]) == (
            old["id"], "p-off16", "替班员", "病假", 1)
        with b.session() as s:
            chain = repo_commander.roster_history(s, new_id)
        assert [e["id"] for e in chain] == [old["id"], new_id]
        log = "SELECT text, actor_id FROM duty_log WHERE kind='roster' AND text LIKE :t"
        wait_until(lambda: duty_rows(b, log, t="%替班员%"), 10, what="the log line at B")
        assert duty_rows(b, log, t="%替班员%") == [{"text": duty_rows(a, log, t="%替班员%")[0]["text"],
                                                   "actor_id": "leader1"}]
        # A got its own records back: same rows, nothing doubled, reason kept
        wait_until(lambda: ea.outbox_depth() == 0, 10, what="A drained")
        Puller(a, direct).catch_up()
        (mine,) = duty_rows(a, row, i=new_id)
        assert (mine["reason"], mine["replaces"], mine["superseded_by"]) == ("病假", old["id"], None)
        assert len(duty_rows(a, log, t="%替班员%")) == 1
    finally:
        assert ea.stop(10) and eb.stop(10)
        ca.close()
        cb.close()


def test_a_refused_record_needs_attention_and_does_not_block_tickets(sim, direct, open_store):
    a, b = open_store("a.sqlite3"), open_store("b.sqlite3")
    Puller(a, direct).catch_up()
    Puller(b, direct).catch_up()
    login_online(a, direct, "leader1", "WS-A", now())
    login_online(b, direct, "leader2", "WS-B", now())
    # both workstations write the same shift's handover; A reaches the platform first
    ha = cops.sign_handover_as(a, LEADER_A, "leader1", PIN, "2030-02-02", "night", {}, now())
    Pusher(a, direct).drain()
    hb = cops.sign_handover_as(b, LEADER_B, "leader2", PIN, "2030-02-02", "night", {}, now())
    with b.session() as s:
        target = s.execute(text("SELECT id FROM tickets WHERE state='handling' ORDER BY id "
                                "LIMIT 1 OFFSET 77")).scalar_one()
    tops.annotate(b, OFFICER, target, "交班后补充说明", now())
    pb = Pusher(b, direct)
    pb.drain()
    assert storeapi.outbox_depth(b) == 0
    attn = storeapi.needs_attention(b)
    assert [(e["verb"], e["result_code"]) for e in attn] == [("duty_record", "handover_exists")]
    (e,) = attn
    assert e["ticket_id"] == f"handover:{e['command_id']}" and ha in e["reason"]
    assert e["params"]["data"]["id"] == hb and e["expected_version"] is None
    with b.session() as s:
        assert s.execute(text("SELECT result_code FROM outbox WHERE ticket_id=:t"),
                         {"t": target}).scalar_one() == "applied"   # not blocked
        assert repo_commander.outbox_summary(s) == {"unsent": 0, "needs_attention": 1}
    assert pb.stats.rejected == 1
    # B's feed brings A's handover next to its own refused one
    Puller(b, direct).catch_up()
    assert {r["id"] for r in duty_rows(b, "SELECT id FROM handovers WHERE shift_date='2030-02-02'")} == {ha, hb}
    # redo sends it again as a new record (judged afresh: still refused); discard is audited
    outbox.redo(b, e["command_id"], now=now())
    pb.drain()
    (again,) = storeapi.needs_attention(b)
    assert again["command_id"] != e["command_id"] and again["result_code"] == "handover_exists"
    outbox.discard(b, again["command_id"], LEADER_B, now=now())
    assert storeapi.needs_attention(b) == []
    with b.session() as s:
        assert s.execute(text("SELECT count(*) FROM audit_log WHERE action='outbox_discard'")).scalar() == 1


def test_link_lines_stay_local(open_store):
    store = open_store()
    cops.link_changed(store, LEADER_A, "offline", now(), reason="专线中断")
    duty.add_duty_log(store, LEADER_A, "note", "交班前巡查", now())
    with store.session() as s:
        kinds = [r[0] for r in s.execute(text(
            "SELECT json_extract(params, '$.data.kind') FROM outbox WHERE verb='duty_record'"))]
    assert kinds == ["note"]


class RouteRecorder:
    """A client that answers everything ``applied`` and remembers the routes in order."""

    def __init__(self):
        self.calls: list[tuple[str, list[str]]] = []

    def send_commands(self, commands):
        self.calls.append(("commands", [c["verb"] for c in commands]))
        return [{"command_id": c["command_id"], "status": "applied", "ticket": None, "reason": None,
                 "code": None} for c in commands]

    def send_duty_records(self, records):
        self.calls.append(("duty-records", [r["kind"] for r in records]))
        return [{"record_id": r["record_id"], "status": "applied", "reason": None, "code": None}
                for r in records]


def test_mixed_outbox_goes_out_in_order_by_route(open_store, sim, direct):
    store = open_store()
    Puller(store, direct).catch_up()
    with store.session() as s:
        a, b = [r[0] for r in s.execute(text(
            "SELECT id FROM tickets WHERE state='handling' ORDER BY id LIMIT 2 OFFSET 120"))]
    tops.annotate(store, OFFICER, a, "一", now())
    tops.annotate(store, OFFICER, b, "二", now())
    duty.add_duty_log(store, LEADER_A, "note", "三", now())
    duty.add_duty_log(store, LEADER_A, "call", "四", now())
    tops.annotate(store, OFFICER, a, "五", now())
    client = RouteRecorder()
    assert Pusher(store, client).drain() == 5
    assert client.calls == [("commands", ["annotate", "annotate"]), ("duty-records", ["duty_log", "duty_log"]),
                            ("commands", ["annotate"])]
    assert storeapi.outbox_depth(store) == 0
