"""Small read-only queries the shell needs: who is on duty, users, counts.

Who is on duty is ``console.domain.roster``'s rule over the store's roster
(``localdb.repo_commander``). Qt-free apart from living in this package.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Sequence

from console.domain import roster
from localdb import repo_commander

if TYPE_CHECKING:
    from localdb.store import Store

log = logging.getLogger(__name__)

#: The hall runs on Shanghai time (no daylight saving).
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
SHIFT_CODES = ("day", "evening", "night")


@dataclass(frozen=True)
class DutyNow:
    shift: str          # day | evening | night
    date: str           # roster date of the shift (a night shift after midnight: the day before)
    commander: str      # name of the rotating commander, "" if none on the roster
    commander_id: str
    shift_leader: str


def shift_at(epoch: float, starts: Sequence[str] = ("07:00", "15:00", "23:00")) -> tuple[str, str]:
    """(shift code, roster date) at ``epoch`` (platform time) for three shift starts."""
    dt = datetime.fromtimestamp(epoch, SHANGHAI)
    minutes = dt.hour * 60 + dt.minute
    marks = []
    for s in starts[:3]:
        h, _, m = s.partition(":")
        marks.append(int(h) * 60 + int(m or 0))
    if len(marks) != 3:
        marks = [420, 900, 1380]
    day_start, evening_start, night_start = marks
    if day_start <= minutes < evening_start:
        return "day", dt.date().isoformat()
    if evening_start <= minutes < night_start:
        return "evening", dt.date().isoformat()
    roster_day = dt.date() if minutes >= night_start else dt.date() - timedelta(days=1)
    return "night", roster_day.isoformat()


@functools.lru_cache(maxsize=8)
def _plan(roster: Any, starts: tuple[str, ...]) -> Any:
    """The domain's ShiftPlan for the configured shift starts (default plan if odd)."""
    try:
        from datetime import time as dtime

        t = [dtime(int(x.split(":")[0]), int(x.split(":")[1] or 0)) for x in starts[:3]]
        if len(t) == 3 and tuple(t) != (dtime(7), dtime(15), dtime(23)):
            return roster.ShiftPlan(shifts=(roster.Shift("day", t[0], t[1]), roster.Shift("evening", t[1], t[2]),
                                            roster.Shift("night", t[2], t[0])))
    except (ValueError, IndexError, TypeError):
        log.warning("shift_times %r not usable; using 07/15/23", list(starts))
    return roster.DEFAULT_PLAN


def duty_now(store: Store, epoch: float, starts: Sequence[str] = ("07:00", "15:00", "23:00")) -> DutyNow:
    """Shift and rotating commander at ``epoch`` (platform time), by console.domain.roster."""
    at = datetime.fromtimestamp(epoch, SHANGHAI)
    plan = _plan(roster, tuple(starts))
    day, _shift = plan.shift_at(at)
    with store.session() as s:
        entries = repo_commander.roster_entries(s, day.isoformat(), day.isoformat())
    now = roster.on_duty(entries, at, plan)
    cmd, leader = now.commander, now.shift_leader
    return DutyNow(now.shift, now.date.isoformat(), (cmd.name or cmd.person_id) if cmd else "",
                   cmd.person_id if cmd else "", (leader.name or leader.person_id) if leader else "")


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

