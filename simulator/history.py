"""First-start history: N days of tickets with a realistic mix of states.

Recent tickets (``timeline_days``) walk their whole path through
``console.domain.lifecycle`` with hall, department and district actors and keep every
timeline event. Older ones are finished work (archived or returned) written straight
in their final form without a timeline, which keeps a 30-day start to seconds;
``bulk`` does the same for scale tests (``--history-tickets N``).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from typing import Any

from console.domain import lifecycle
from console.domain.model import Actor, Channel, Role, Ticket, TicketState
from simulator import attachments, catalogue, factory
from simulator.roster import SH
from simulator.runtime import DISTRICT_ACTOR, SYSTEM_ACTOR, Runtime, event_dict, shanghai_day
from simulator.store import dumps

H = 3600.0
MIN = 60.0
FRESH_S = 2 * H  # history tickets younger than this are left pending for the hall
_CHUNK = 20_000


class _Numbers:
    """Case numbers for generated tickets, counted in memory and saved at the end."""

    def __init__(self, c):
        self.last = dict(c.exec_driver_sql("SELECT day, last FROM numbers").all())

    def next(self, ts: float) -> str:
        day = shanghai_day(ts)
        n = self.last.get(day, 0) + 1
        self.last[day] = n
        return f"HP{day}{n:05d}"

    def save(self, c) -> None:
        if not self.last:  # executemany with no rows is an error in SQLAlchemy
            return
        c.exec_driver_sql("INSERT INTO numbers(day, last) VALUES (?, ?) ON CONFLICT(day) DO UPDATE"
                          " SET last = excluded.last", list(self.last.items()))


def _created_times(rng: random.Random, start: float, end: float, daily_rate: float) -> list[float]:
    out = []
    hour0 = math.floor(start / H) * H
    t = hour0
    while t < end:
        local_hour = dt.datetime.fromtimestamp(t, SH).hour
        lam = daily_rate / 24 * factory.hour_weight(local_hour)
        n = _poisson(rng, lam)
        out += [x for x in (t + rng.random() * H for _ in range(n)) if start <= x < end]
        t += H
    out.sort()
    return out


def _poisson(rng: random.Random, lam: float) -> int:
    if lam > 50:
        return max(0, round(rng.gauss(lam, math.sqrt(lam))))
    k, p, limit = 0, 1.0, math.exp(-lam)
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


class _Walker:
    """Walks one ticket through the lifecycle until the next step lies in the future."""

    def __init__(self, rt: Runtime, rng: random.Random, photos: list[str]):
        self.rt, self.rng, self.photos = rt, rng, photos
        p = rt.people
        self.officers = [rt.person_actor(o, f"WS-{i % 6 + 1:02d}")
                         for i, (_, offs) in enumerate(p.teams) for o in offs]
        self.leaders = [rt.person_actor(ldr, "WS-LDR") for ldr, _ in p.teams]
        self.commanders = [rt.person_actor(cm, "WS-CMD") for cm in p.commanders]

    def walk(self, t: Ticket, now: float) -> tuple[Ticket, list[Any]]:
        rng, events = self.rng, []
        clock = [t.created_at]
        lim = t.limit_hours * H

        def step(delay: float, action: str, actor: Actor, params: dict | None = None) -> bool:
            nonlocal t
            at = clock[0] + max(1.0, delay)
            if at > now:
                return False
            t, ev = lifecycle.apply(t, action, actor, params or {}, at, calendar=self.rt.calendar)
            clock[0] = at
            events.append(ev)
            return True

        off = rng.choice(self.officers)
        r = rng.random()
        if t.created_at > now - FRESH_S:
            return t, events  # the newest work waits for the officers on duty now
        if not step(rng.uniform(1, 15) * MIN, "accept", off):
            return t, events
        if r < 0.04:
            step(rng.uniform(2, 20) * MIN, "return", off, {"reason": "经核实不属于本街道管辖范围"})
            return t, events
        if not step(rng.uniform(2, 20) * MIN, "register", off):
            return t, events
        if r < 0.055:
            step(rng.uniform(10, 120) * MIN, "suspend", rng.choice(self.leaders),
                 {"reason": "历史遗留问题，需多部门协调，暂予挂账"})
            return t, events
        if t.big_code == "15" and not t.key_supervision and not step(rng.uniform(1, 5) * MIN, "set_key_supervision", off,
                                           {"on": True, "reason": "危险隐患，列入重点监管"}):
            return t, events
        spec = catalogue.BY_CODE.get(t.category_code)
        # 自行处置 only where the catalogue allows it (console.domain.category_rules)
        spec_simple = t.channel in (Channel.GRID_INSPECTOR, Channel.SELF_FOUND, Channel.JOINT_STATION) \
            and r > 0.7 and spec is not None and spec.simple
        if spec_simple:
            if not step(rng.uniform(5, 40) * MIN, "self_handle", off,
                        {"photo": rng.choice(self.photos), "result": "现场已自行处置完毕"}):
                return t, events
        else:
            dept = self.rt.handler_for(t.category_code, t.grids) or "D01"
            dactor = self.rt.dept_actor(dept)
            if not step(rng.uniform(5, 30) * MIN, "dispatch", off, {"department_id": dept}):
                return t, events
            if not step(lim * rng.uniform(0.02, 0.12), "handle", dactor):
                return self._urge(t, events, now)
            if rng.random() < 0.05:
                if not step(lim * rng.uniform(0.1, 0.3), "request_extension", dactor,
                            {"hours": 24, "reason": "需协调施工单位，申请延期"}):
                    return self._urge(t, events, now)
                if not step(rng.uniform(0.5, 3) * H, "approve_extension", rng.choice(self.commanders)):
                    return self._urge(t, events, now)
            late = rng.random() < 0.12
            if not step(lim * (rng.uniform(1.0, 1.5) if late else rng.uniform(0.15, 0.8)), "feedback",
                        dactor, {"result": "已到场处置完毕", "photo": rng.choice(self.photos)}):
                return self._urge(t, events, now)
            if rng.random() < 0.04:
                if not step(rng.uniform(10, 90) * MIN, "verify", off, {"passed": False}):
                    return t, events
                if not (step(rng.uniform(10, 60) * MIN, "handle", dactor)
                        and step(lim * rng.uniform(0.1, 0.3), "feedback", dactor, {"result": "已返工处置"})):
                    return self._urge(t, events, now)
        std = list(spec.category.closure_standard) if spec is not None else []
        # 核查 ticks the category's closure standard (console.domain.category_rules)
        if not step(rng.uniform(10, 90) * MIN, "verify", off,
                    {"passed": True, **({"checked": std} if std else {})}):
            return t, events
        if not step(rng.uniform(5, 60) * MIN, "second_review", rng.choice(self.leaders)):
            return t, events
        if not step(rng.uniform(2, 30) * MIN, "close", off):
            return t, events
        step(3 * 86400, "archive", SYSTEM_ACTOR)
        return t, events

    @staticmethod
    def _urge(t: Ticket, events: list, now: float):
        if t.deadline is not None and t.deadline + H < now:
            t, ev = lifecycle.apply(t, "urge", DISTRICT_ACTOR, {}, max(t.updated_at, t.deadline + H))
            events.append(ev)
        return t, events


def _finished(base: dict, f: dict, rng: random.Random, rt: Runtime, number: str) -> dict:
    """Final form of old finished work, without walking the lifecycle (speed)."""
    d = dict(base)
    d.update(f)
    d["number"] = number
    if rng.random() < 0.04:
        d.update(state="returned", version=2, updated_at=f["created_at"] + rng.uniform(10, 60) * MIN)
        return d
    start = f["created_at"] + rng.uniform(5, 40) * MIN
    closed = start + f["limit_hours"] * H * rng.uniform(0.2, 1.15)
    ppl = rt.people.teams[rng.randrange(4)]
    d.update(state="archived", version=10, clock_start=start, closed_at=closed,
             closed_on_time=closed <= start + f["limit_hours"] * H, updated_at=closed + 3 * 86400,
             department_id=rt.handler_for(f["category_code"], f["grids"]), verified_by=ppl[1][0],
             reviewed_by=ppl[0])
    return d


def _photos(rt: Runtime) -> list[str]:
    return [attachments.put_bytes(rt.store.data_dir, factory.tiny_png(c))
            for c in ((180, 90, 60), (60, 140, 90), (90, 110, 170))]


def generate(rt: Runtime, days: float, daily_rate: float, timeline_days: float) -> int:
    if days <= 0 or daily_rate <= 0:
        return 0
    rng = random.Random(f"history:{rt.cfg.seed}")
    now = rt.clock.now()
    times = _created_times(rng, now - days * 86400, now, daily_rate)
    walker = _Walker(rt, rng, _photos(rt))
    cut = now - timeline_days * 86400
    base = Ticket(id="", state=TicketState.ARCHIVED, channel=Channel.HOTLINE_12345,
                  category_kind="event", category_code="", category_name="").to_dict()
    with rt.store.write() as c:
        numbers = _Numbers(c)
        old, items = [], []
        for created in times:
            f = factory.ticket_fields(rt.street, rng, created)
            if created < cut:
                d = _finished(base, f, rng, rt, numbers.next(created))
                old.append((d, dumps(d)))
                if len(old) >= _CHUNK:  # bounded memory
                    rt.store.bulk_tickets(c, old, now)
                    old = []
                continue
            t = lifecycle.new_ticket(**f, number=numbers.next(created))
            first = lifecycle.create_event(t, _creator(t), created)
            t, evs = walker.walk(t, now)
            items.append(("ticket", t.id, "upsert", t.to_dict()))
            items += [("ticket_event", e.event_id, "upsert", event_dict(e)) for e in (first, *evs)]
        if old:
            rt.store.bulk_tickets(c, old, now)
        if items:  # a short window at night may create no recent tickets at all
            rt.store.append(c, items, now)
        numbers.save(c)
    return len(times)


def _creator(t: Ticket) -> Actor:
    if t.channel in (Channel.HOTLINE_12345, Channel.HOTLINE_12319, Channel.MEDIA, Channel.LEADER):
        return DISTRICT_ACTOR
    if t.channel in (Channel.IOT_ALARM, Channel.VIDEO_AI):
        return SYSTEM_ACTOR
    return Actor("grid-app", "网格巡查终端", Role.SYSTEM, "")


def bulk(rt: Runtime, n: int, before: float | None = None) -> int:
    """``n`` archived tickets spread over the year before ``before`` (scale tests)."""
    if n <= 0:
        return 0
    rng = random.Random(f"bulk:{rt.cfg.seed}:{n}")
    end = before if before is not None else rt.clock.now() - rt.cfg.history_days * 86400
    base = Ticket(id="", state=TicketState.ARCHIVED, channel=Channel.HOTLINE_12345,
                  category_kind="event", category_code="", category_name="").to_dict()
    times = sorted(end - rng.random() * 365 * 86400 for _ in range(n))
    now = rt.clock.now()
    for i in range(0, n, _CHUNK):  # one transaction per chunk: bounded memory and WAL
        with rt.store.write() as c:
            numbers = _Numbers(c)
            rows = []
            for created in times[i:i + _CHUNK]:
                d = _finished(base, factory.ticket_fields(rt.street, rng, created), rng, rt,
                              numbers.next(created))
                rows.append((d, dumps(d)))
            rt.store.bulk_tickets(c, rows, now)
            numbers.save(c)
    return n
