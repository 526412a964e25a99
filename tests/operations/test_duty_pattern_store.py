"""The street's duty pattern arrives on the feed and becomes the desk's one definition of
shift times; one that cannot be used is quarantined and the previous one stays."""

from sqlalchemy import text

from console.domain import roster as R
from console.operations import duty_pattern
from localdb import feed

from tests.domain.test_duty_pattern import THREE

NIGHT_0130 = 1795314600.0 + 15 * 3600   # 01:30 on 2026-11-23 Shanghai


def change(seq, data, op="upsert"):
    return {"seq": seq, "kind": "duty_pattern", "op": op, "id": "street", "data": data}


def test_the_platforms_pattern_is_the_one_definition(sqlite_store):
    store = sqlite_store
    assert duty_pattern.pattern_of(store) == R.DEFAULT_PATTERN
    feed.apply_changes(store, [change(1, THREE)], "c1")
    p = duty_pattern.pattern_of(store)
    assert p.kind == R.THREE_CREWS and p.night_station == "上钢新村派出所"
    assert duty_pattern.shift_of(store, NIGHT_0130) == ("2026-11-22", "night")
    assert not p.staffed("night")

    broken = {**THREE, "shifts": [{"name": "day", "start": "07:00", "end": "16:00"},
                                  {"name": "night", "start": "15:00", "end": "07:00"}]}
    feed.apply_changes(store, [change(2, broken)], "c2")
    assert duty_pattern.pattern_of(store) == p           # the previous one stays
    with store.session() as s:
        reasons = [r[0] for r in s.execute(text("SELECT reason FROM quarantine"))]
    assert any("班次重叠" in r for r in reasons)

    feed.apply_changes(store, [change(3, None, op="delete")], "c3")
    assert duty_pattern.pattern_of(store) == R.DEFAULT_PATTERN
