"""The reveal operation enforces the contact rule itself, not only the UI."""

import pytest
from sqlalchemy import text

from console.domain.lifecycle import TransitionError
from console.domain.model import Actor, Role
from console.operations import tickets as ops
from tests.factories import load_sample_store

NOW = 1795300000.0


def _audits(store) -> int:
    with store.session() as s:
        return s.execute(text("SELECT count(*) FROM audit_log WHERE action = 'reveal_contact'")).scalar()


def test_an_officer_cannot_reveal_and_nothing_is_audited(tmp_path):
    store = load_sample_store(tmp_path / "s.db", 5, now=NOW)
    with store.session() as s:
        tid = s.execute(text("SELECT id FROM tickets LIMIT 1")).scalar()
    with pytest.raises(TransitionError) as err:
        ops.reveal_contact(store, Actor("officer1", "李", Role.OFFICER, "WS"), tid, NOW)
    assert err.value.code == "forbidden_role"
    assert _audits(store) == 0
    shown = ops.reveal_contact(store, Actor("leader1", "王", Role.SHIFT_LEADER, "WS"), tid, NOW)
    assert shown["reporter_phone"] == "13812341234"
    assert _audits(store) == 1
    store.close()
