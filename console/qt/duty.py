"""Small read-only queries the shell needs: who is on duty, users, counts.

Who is on duty is ``console.domain.roster``'s rule over the store's roster
(``localdb.repo_commander``); shift times are the street's duty pattern
(``console.operations.duty_pattern``). Qt-free apart from living in this package.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from console.domain import roster
from console.operations import duty_pattern
from localdb import repo_commander

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DutyNow:
    shift: str          # a shift name of the street's pattern (day | evening | night)
    date: str           # roster date of the shift (a night shift after midnight: the day before)
    commander: str      # name of the rotating commander, "" if none on the roster
    commander_id: str
    shift_leader: str
    staffed: bool = True        # False: the night of 三班二运转 (the hall is unstaffed)
    pattern: str = ""           # the pattern's label (7×24小时值守 / 三班二运转)
    night_watch: str = ""       # night mode: the police station holding the video watch


def duty_now(store: Store, epoch: float) -> DutyNow:
    """Shift and rotating commander at ``epoch`` (platform time): the street's duty
    pattern (``console.operations.duty_pattern``, the one definition of shift times)
    and the domain's roster rule."""
    pattern = duty_pattern.pattern_of(store)
    plan = pattern.plan
    at = datetime.fromtimestamp(epoch, plan.tz)
    day, _shift = plan.shift_at(at)
    with store.session() as s:
        entries = repo_commander.roster_entries(s, day.isoformat(), day.isoformat())
        watch = repo_commander.open_night_watch(s)
    now = roster.on_duty(entries, at, plan)
    cmd, leader = now.commander, now.shift_leader
    return DutyNow(now.shift, now.date.isoformat(), (cmd.name or cmd.person_id) if cmd else "",
                   cmd.person_id if cmd else "", (leader.name or leader.person_id) if leader else "",
                   pattern.staffed(now.shift), pattern.label, watch["station"] if watch else "")


def lockout_from(settings: Any) -> Any:
    """The desk's wrong-PIN rule from its settings."""
    from console import settings as S
    from console.domain.auth import Lockout

    if settings is None:
        return Lockout()
    return Lockout(limit=int(settings.get(S.PIN_ATTEMPTS)), first_s=60.0 * settings.get(S.PIN_LOCK_MINUTES))


def confirmer(client: Any) -> Any:
    """``console.operations.auth.Confirm`` over the platform client (console.sync.login)."""
    from console.sync.login import confirmer as make

    return make(client)


def authenticate(store: Store, user_id: str, pin: str, workstation: str, now: float | None = None,
                 lockout: Any = None, confirm: Any = None, purpose: str = "login") -> Any:
    """The Actor for a right PIN; raises ``console.operations.auth.AuthRefused`` otherwise."""
    import time

    from console.domain.auth import Lockout
    from console.operations import auth as auth_ops

    try:
        actor = auth_ops.verify(store, user_id, pin, workstation, time.time() if now is None else now,
                                lockout or Lockout(), confirm, purpose)
    except auth_ops.AuthRefused as exc:
        log.info("PIN refused for %s at %s: %s", user_id.strip() or "(empty)", workstation, exc.code)
        raise
    log.info("login: %s (%s) at %s", actor.user_id, actor.role.value, workstation)
    return actor

