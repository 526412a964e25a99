"""Hall mode: several desks on one PostgreSQL hall database scan at once; each crossing
is stored and raised once for the whole hall, and an acknowledgement at one desk
silences the alert at every desk."""

from __future__ import annotations

import threading
import uuid

from console.domain import supervision as SV
from console.domain.model import Actor, Role
from console.operations import supervision as ops
from localdb import Store
from localdb import repo_supervision as repo
from localdb.feed import apply_changes
from tests.commander.conftest import at, changes_for, ticket

POLICY = SV.Policy(interval_s=300.0, hall_lead_s=1800.0)


def test_desks_of_a_hall_raise_once_and_one_ack_silences_all(hall_url):
    tickets = []
    for i in range(6):
        t = ticket("handling", created=at(3, 8), deadline=at(3, 16, i), updated_at=at(3, 15))
        tickets.append(t.__class__.from_dict({**t.to_dict(), "id": str(uuid.uuid4())}))
    desks = [Store.open(hall_url) for _ in range(3)]
    try:
        apply_changes(desks[0], changes_for(tickets), "hall-cursor")
        actors = [Actor(f"officer{i}", f"信息员{i}", Role.OFFICER, f"WS-{i}") for i in range(3)]
        raised: list[str] = []
        lock = threading.Lock()
        errors: list[BaseException] = []

        def desk(i: int) -> None:
            try:
                for k in range(4):
                    res = ops.scan(desks[i], actors[i], at(3, 15, 45) + k, POLICY)
                    with lock:
                        raised.extend(a["id"] for a in res.raised)
            except BaseException as exc:  # noqa: BLE001 - reported below
                errors.append(exc)

        threads = [threading.Thread(target=desk, args=(i,)) for i in range(3)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        assert not errors, errors
        expected = {SV.alert_id("warning", t.id, t.deadline) for t in tickets}
        assert sorted(raised) == sorted(expected)  # each crossing raised once in the whole hall
        with desks[1].session() as s:
            assert {a["id"] for a in repo.all_alerts(s)} == expected
            assert all(a["reminders"] == 1 for a in repo.all_alerts(s))  # the first reminder, once
        aid = sorted(expected)[0]
        ops.acknowledge(desks[2], actors[2], aid, at(3, 15, 46))
        with desks[0].session() as s:
            assert aid not in {a["id"] for a in repo.unacknowledged(s)}
        later = ops.scan(desks[0], actors[0], at(3, 15, 45) + 301, POLICY)
        assert aid not in {r["id"] for r in later.reminders}
        assert len(later.reminders) == len(expected) - 1  # the others climb to the shift leader
        assert {r["role"] for r in later.reminders} == {"shift_leader"}
    finally:
        for d in desks:
            d.close()
