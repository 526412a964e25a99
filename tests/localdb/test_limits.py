"""The limit-state rule in Python (``timelimits.limit_state_at``) and in SQL
(``localdb.limits``) agree, boundaries included, with the hall's warning lead and the
leads the catalogue sets per category (copied onto tickets when either changes)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from console.domain import timelimits
from console.domain.model import LimitState, TicketState
from localdb import Store, feed
from localdb.limits import LIMIT_CODES, crossing_clause, limit_clause, limit_code, max_lead_s
from localdb.models import TicketRow
from tests.localdb.helpers import NOW, change, ticket

T = TicketRow.__table__.c
STATES = [s.value for s in TicketState]
CODES = ["01001", "01002", "02001"]
LEADS = st.sampled_from([None, 0.0, 15.0, 30.0, 240.0, 1440.0])  # minutes


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store.open(tmp_path_factory.mktemp("limits") / "s.sqlite3")
    yield s
    s.close()


def category(code: str, lead: float | None, seq: int = 1) -> dict:
    return {"seq": seq, "kind": "category", "op": "upsert", "id": f"event:{code}", "data": {
        "kind": "event", "code": code, "big_code": code[:2], "big_name": "市容", "small_name": code,
        "limit_hours": 24, "limit_mode": "calendar", "urgent_limit_hours": None,
        "warning_lead_minutes": lead}}


#: deadlines around the clock and the leads, exact boundaries included
def _deadline(now: float):
    near = [now, now - 1e-6, now + 900, now + 1800, now + 7200, now + 14400, now + 86400,
            now + 7200 + 1e-6, now + 600, now + 1234.5]
    return st.one_of(st.none(), st.sampled_from(near),
                     st.floats(now - 5 * 86400, now + 5 * 86400, allow_nan=False))


cases = st.tuples(
    st.floats(NOW - 86400, NOW + 86400, allow_nan=False),          # now
    st.sampled_from([0.0, 600.0, 7200.0, 36000.0, 1234.5]),       # the hall's lead (s)
).flatmap(lambda nl: st.tuples(
    st.just(nl[0]), st.just(nl[1]),
    st.lists(st.tuples(st.sampled_from(STATES), _deadline(nl[0]), st.sampled_from(CODES)),
             min_size=1, max_size=25),
    st.fixed_dictionaries({c: LEADS for c in CODES}),              # catalogue leads
    st.fixed_dictionaries({c: LEADS for c in CODES}),              # ... after a change
))


def _check(store, ts, now, hall, leads, t1):
    ids = {t.id for t in ts}
    expected = {t.id: timelimits.limit_state(
        t, now, hall, None if leads[t.category_code] is None else leads[t.category_code] * 60)
        for t in ts}
    with store.session() as s:
        top = max_lead_s(s, hall)
        assert top == max([hall] + [v * 60 for v in leads.values() if v is not None])
        for state in LimitState:
            want = {i for i, v in expected.items() if v is state}
            for bound in (top, None):
                got = ids & set(s.execute(select(T.id).where(limit_clause([state], now, hall, bound))).scalars())
                assert got == want, (state, bound)
        codes = dict(s.execute(select(T.id, limit_code(now, hall))).all())
        assert {i: LIMIT_CODES[c] for i, c in codes.items() if i in ids} == {i: v.value for i, v in expected.items()}
        # crossing: exactly the tickets whose state changed by the clock between now and t1
        later = {t.id: timelimits.limit_state(
            t, t1, hall, None if leads[t.category_code] is None else leads[t.category_code] * 60)
            for t in ts}
        for bound in (top, None):
            crossed = ids & set(s.execute(select(T.id).where(crossing_clause(now, t1, hall, bound))).scalars())
            assert crossed == {i for i in expected if expected[i] != later[i]}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases, t1_later=st.floats(0, 3 * 86400, allow_nan=False))
def test_python_and_sql_agree(store, case, t1_later):
    now, hall, rows, leads, leads2 = case
    ts = [ticket(i, state=state, deadline=deadline, category_code=code,
                 suspended_since=NOW if state == "suspended" else None)
          for i, (state, deadline, code) in enumerate(rows)]
    with store.write() as s:
        s.execute(text("DELETE FROM tickets"))
    rep = feed.apply_changes(store, [category(c, v) for c, v in leads.items()]
                             + [change(t, i + 1) for i, t in enumerate(ts)], "c", now=NOW)
    assert rep.quarantined == 0, rep.reasons
    _check(store, ts, now, hall, leads, now + t1_later)
    # the catalogue changes: the tickets whose clock runs follow at once
    feed.apply_changes(store, [category(c, v) for c, v in leads2.items()], "d", now=NOW)
    running = [t for t in ts if t.state.value in
               ("pending", "accepted", "registered", "dispatched", "handling", "feedback", "verified")]
    _check(store, running, now, hall, leads2, now + t1_later)


def test_a_lead_out_of_range_is_quarantined(store):
    rep = feed.apply_changes(store, [category("09001", -5), category("09002", float("nan")),
                                     category("09003", "soon"), category("09004", 90)], "q", now=NOW)
    assert rep.quarantined == 3
    with store.session() as s:
        assert s.execute(text("SELECT code, warning_lead_minutes FROM categories "
                              "WHERE code LIKE '0900%'")).all() == [("09004", 90.0)]
