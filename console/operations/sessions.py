"""Officer sessions at a workstation: who logs in, who hands the desk over (switch user /
lock screen), and whether that person is on duty now. Each session change is in the
local audit log, so the desk's history says who sat at it when."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from console.domain import roster as R
from console.domain.model import Actor
from console.operations import duty_pattern
from localdb import repo_commander as rc
from localdb.actions import audit

if TYPE_CHECKING:
    from localdb.store import Store


def _post(actor: Actor) -> dict[str, str]:
    """The post (岗位) the session sits at, when the officer chose one at login."""
    return {"post": actor.post} if actor.post else {}


def session_opened(store: Store, actor: Actor, now: float, *, previous: str | None = None) -> None:
    """Audited; a street leader's login is also a command-chain mark (they are in the hall)."""
    from console.operations import command

    with store.write() as s:
        audit(s, actor, "session_open", None,
              {"workstation": actor.workstation, "previous": previous, **_post(actor)}, now)
        command.presence(store, actor, "login", now)


def session_closed(store: Store, actor: Actor, now: float, reason: str) -> None:
    """``reason``: "switch_user", "lock" or "quit"."""
    from console.operations import command

    with store.write() as s:
        audit(s, actor, "session_close", None,
              {"workstation": actor.workstation, "reason": reason, **_post(actor)}, now)
        command.presence(store, actor, "logout", now)


def roster_known(store: Store, now: float, plan: R.ShiftPlan | None = None) -> bool:
    """Whether this desk holds any roster entry for the duty date running at ``now``."""
    plan = plan or duty_pattern.plan_of(store)
    date, _shift = plan.shift_at(dt.datetime.fromtimestamp(now, plan.tz))
    with store.session() as s:
        return bool(rc.roster_entries(s, date.isoformat(), date.isoformat()))


def on_duty_now(store: Store, user_id: str, now: float, plan: R.ShiftPlan | None = None) -> bool:
    """True if ``user_id`` is on the roster of the shift running at ``now`` (the day's
    commander, the shift's leader or one of its officers)."""
    plan = plan or duty_pattern.plan_of(store)
    at = dt.datetime.fromtimestamp(now, plan.tz)
    date, _shift = plan.shift_at(at)
    with store.session() as s:
        entries = rc.roster_entries(s, (date - dt.timedelta(days=1)).isoformat(),
                                    (date + dt.timedelta(days=1)).isoformat())
    return any(e.person_id == user_id for e in R.on_duty(entries, at, plan).people())
