"""Fuzzing the desk: feed changes with any values never crash the feed applier, are
applied or quarantined (counted), and what is stored formats cleanly; health answers
from a lying server never reach the clock; a fuzzed action never blocks the outbox."""

from __future__ import annotations

import json
import uuid

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from console.domain import formatting
from console.domain.model import Ticket
from tests.localdb.helpers import NOW, ticket

from .conftest import PROFILE
from .strategies import VALUES, overrides

TICKET_KEYS = sorted(Ticket.__dataclass_fields__)
_SEQ = [0]


def _seq() -> int:
    _SEQ[0] += 1
    return _SEQ[0]


def _ticket_change(over: dict) -> dict:
    d = {**ticket(_seq() + 1000).to_dict(), **over}
    return {"seq": _seq(), "kind": "ticket", "op": "upsert", "id": str(d.get("id")), "data": d}


def _record_change(kind, data) -> dict:
    rid = str(uuid.uuid4())
    return {"seq": _seq(), "kind": "duty_record", "op": "upsert", "id": rid,
            "data": {"record_id": rid, "kind": kind, "data": data,
                     "actor": {"user_id": "leader2", "name": "x", "role": "shift_leader"}, "issued_at": NOW}}


GARBAGE = st.one_of(VALUES, st.fixed_dictionaries({"kind": VALUES, "op": VALUES, "id": VALUES, "data": VALUES}))


@settings(settings.get_profile(PROFILE))
@given(tickets=st.lists(overrides(TICKET_KEYS), min_size=1, max_size=4),
       records=st.lists(st.tuples(st.sampled_from(["duty_log", "handover", "emergency", "emergency_item",
                                                   "roster"]), VALUES), max_size=3),
       garbage=st.lists(GARBAGE, max_size=3))
def test_any_feed_batch_is_applied_or_quarantined_and_what_is_stored_formats(tmp_path_factory, empty_store,
                                                                           tickets, records, garbage):
    import shutil

    from localdb import Store, feed

    path = tmp_path_factory.mktemp("fz") / "s.sqlite3"
    shutil.copyfile(empty_store, path)
    st_ = Store.open(path, check=False)
    try:
        changes = [_ticket_change(o) for o in tickets] + [_record_change(k, d) for k, d in records] + garbage
        rep = feed.apply_changes(st_, changes, "c", now=NOW)   # never raises
        with st_.session() as s:
            n_q = s.execute(text("SELECT count(*) FROM quarantine")).scalar()
            rows = [dict(r._mapping) for r in s.execute(text("SELECT * FROM tickets"))]
        assert n_q == rep.quarantined
        assert rep.applied + rep.quarantined + rep.unchanged + rep.deleted >= 1
        for r in rows:
            for k in ("created_at", "updated_at", "deadline", "closed_at", "clock_start"):
                assert r[k] is None or r[k] == 0 or formatting.plausible_epoch(r[k]) is not None, (k, r[k])
                formatting.format_epoch(r[k])   # never raises
            formatting.format_number(r["urge_count"])
    finally:
        st_.close()


@settings(settings.get_profile(PROFILE))
@given(epoch=VALUES, version=VALUES)
def test_any_health_answer_is_refused_or_plausible(epoch, version):
    from console.sync.client import BadResponse, LinkDown, PlatformClient
    from tests.sync.helpers import Canned

    srv = Canned()
    try:
        srv.body = json.dumps({"status": "ok", "server_time_epoch": epoch, "api_version": version},
                              allow_nan=True, default=str).encode()
        c = PlatformClient(srv.url, "t", timeout=(2, 5))
        try:
            h = c.health()
        except (BadResponse, LinkDown):
            return
        finally:
            c.close()
        assert formatting.plausible_epoch(h.server_time_epoch) is not None
        assert formatting.finite_number(h.offset_s) is not None
    finally:
        srv.close()


@settings(settings.get_profile(PROFILE), max_examples=min(settings.get_profile(PROFILE).max_examples, 10))
@given(over=overrides(TICKET_KEYS))
def test_a_fuzzed_create_never_blocks_the_outbox(fsim, tmp_path_factory, over):
    from console.sync import storeapi
    from console.sync.client import PlatformClient
    from console.sync.pusher import Pusher
    from localdb import Store, outbox
    from tests.simulator.conftest import new_ticket_dict

    actor = {"user_id": "officer1", "name": "测试员", "role": "officer", "workstation": "WS-FZ"}
    st_ = Store.open(tmp_path_factory.mktemp("fzo") / "s.sqlite3", check=False)
    client = PlatformClient(fsim.url, fsim.token, timeout=(2, 10))
    try:
        t = {**new_ticket_dict(), **over}
        tid = t["id"] if isinstance(t.get("id"), str) else str(uuid.uuid4())
        good = new_ticket_dict()
        with st_.write() as s:   # the fuzzed create first, an innocent one behind it
            for ticket_id, body in ((tid, t), (good["id"], good)):
                outbox.enqueue(s, {"command_id": str(uuid.uuid4()), "ticket_id": ticket_id, "verb": "create",
                                   "params": {"ticket": body}, "expected_version": None, "actor": actor,
                                   "issued_at": NOW})
        pusher = Pusher(st_, client)
        for _ in range(10):
            try:
                if not pusher.drain():
                    break
            except Exception:  # noqa: BLE001 - a 500 alone is retried; what matters is the end
                continue
        assert storeapi.outbox_depth(st_) == 0                   # nothing left hanging
        with st_.session() as s:
            done = {e["ticket_id"] for e in outbox.needs_attention(s)}
            rows = [tuple(r) for r in s.execute(text("SELECT ticket_id, status FROM outbox"))]
        assert (good["id"], "done") in rows          # the innocent one went
        assert good["id"] not in done
        for ticket_id, status in rows:               # the fuzzed one: done or shown to the officer
            assert status in ("done", "needs_attention"), (ticket_id, status)
    finally:
        client.close()
        st_.close()
