"""The limit-state rule in Python (``timelimits.limit_state_at``) and in SQL
(``localdb.limits``) agree, boundaries included."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from console.domain import timelimits
from console.domain.model import LimitState, TicketState
from localdb import Store, feed
from localdb.limits import LIMIT_CODES, crossing_clause, limit_clause, limit_code
from localdb.models import TicketRow
from tests.localdb.helpers import NOW, change, ticket

T = TicketRow.__table__.c
STATES = [s.value for s in TicketState]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = Store.open(tmp_path_factory.mktemp("limits") / "s.sqlite3")
    yield s
    s.close()


#: deadlines around the clock and the lead, exact boundaries included
def _deadline(now: float, lead: float):
    return st.one_of(
        st.none(),
        st.sampled_from([now, now + lead, now - 1e-6, now + lead + 1e-6, now + lead / 2]),
        st.floats(now - 5 * 86400, now + 5 * 86400, allow_nan=False),
    )


tickets = st.tuples(
    st.floats(NOW - 86400, NOW + 86400, allow_nan=False),          # now
    st.sampled_from([0.0, 600.0, 7200.0, 36000.0, 1234.5]),       # hall lead
).flatmap(lambda nl: st.tuples(st.just(nl[0]), st.just(nl[1]), st.lists(
    st.tuples(st.sampled_from(STATES), _deadline(*nl)), min_size=1, max_size=25)))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=tickets, t1_later=st.floats(0, 3 * 86400, allow_nan=False))
def test_python_and_sql_agree(store, case, t1_later):
    now, lead, rows = case
    ts = [ticket(i, state=state, deadline=deadline, suspended_since=NOW if state == "suspended" else None)
          for i, (state, deadline) in enumerate(rows)]
    with store.write() as s:
        s.execute(text("DELETE FROM tickets"))
    feed.apply_changes(store, [change(t, i + 1) for i, t in enumerate(ts)], "c", now=NOW)
    expected = {t.id: timelimits.limit_state_at(t.state, t.deadline, now, lead) for t in ts}
    assert expected == {t.id: timelimits.limit_state(t, now, lead) for t in ts}
    with store.session() as s:
        for state in LimitState:
            got = set(s.execute(select(T.id).where(limit_clause([state], now, lead))).scalars())
            assert got == {i for i, v in expected.items() if v is state}, state
        codes = dict(s.execute(select(T.id, limit_code(now, lead))).all())
        assert {i: LIMIT_CODES[c] for i, c in codes.items()} == {i: v.value for i, v in expected.items()}
        # crossing: exactly the tickets whose state changed by the clock between now and t1
        t1 = now + t1_later
        later = {t.id: timelimits.limit_state_at(t.state, t.deadline, t1, lead) for t in ts}
        crossed = set(s.execute(select(T.id).where(crossing_clause(now, t1, lead))).scalars())
        changed = {i for i in expected if expected[i] != later[i]}
        assert crossed == changed
