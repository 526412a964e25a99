"""The running platform: configuration, store, clock, the demo street and its people.

Routes, the traffic generator and the command processor all act through ``Runtime``:
tickets change only through ``console.domain.lifecycle`` (``create`` and ``apply``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from console.domain import lifecycle, timelimits
from console.domain.grids import GridIndex
from console.domain.model import Actor, AuditEvent, Role, Ticket, TicketState
from simulator import catalogue, geo, plans, resources
from simulator.accounts import Accounts
from simulator.roster import DEMO_PIN, SH, People
from simulator.feed import PageCache
from simulator.store import TICKET_BODY, Clock, Store, body_data

log = logging.getLogger(__name__)
MiB = 1024 * 1024
#: the street's camera policy (docs/CONTRACT.md "Camera access"): role -> highest level it may see
CAMERA_POLICY = {"clearance": {"officer": 2, "shift_leader": 3, "commander": 3, "admin": 3}, "police_posts": []}
STREAM_FORM = "hls+levels"   # camera URLs: /streams/<id>/main.m3u8 (live HLS); cameras carry security levels


@dataclass
class Config:
    data_dir: Path
    seed: int = 1
    token: str = "demo-token"
    speed: float = 1.0
    history_days: float = 30.0
    history_tickets: int = 0          # extra bulk archived tickets (scale tests)
    timeline_days: float = 3.0        # history tickets this recent get full event timelines
    daily_rate: float = 1500.0
    streams: bool = True
    traffic: bool = True
    retention_s: float = 7 * 86400.0  # changes older than this (platform time) are compacted
    attachment_limit: int = 20 * MiB
    json_limit: int = 2 * MiB
    #: a request body must arrive within this (attachments: no longer pause between chunks)
    body_timeout_s: float = 20.0
    host: str = "127.0.0.1"
    public_url: str = ""              # what clients reach us at (when bound to 0.0.0.0)
    base_url: str = ""
    #: refuse officer actions without their actor's signature (the CLI's default)
    require_signatures: bool = False
    #: refuse commander decisions and extension verdicts by someone off duty (the CLI's default)
    check_duty: bool = False
    #: serve HTTPS with this certificate chain and key (PEM files); empty: plain HTTP
    tls_cert: str = ""
    tls_key: str = ""
    #: with check_duty: a street leader logged out this long no longer holds command
    command_absent_s: float = 600.0

    @property
    def loopback(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1")


def event_dict(ev: AuditEvent) -> dict[str, Any]:
    a = ev.actor
    return {"event_id": ev.event_id, "ticket_id": ev.ticket_id, "action": str(ev.action),
            "actor": {"user_id": a.user_id, "name": a.name, "role": str(a.role),
                      "workstation": a.workstation},
            "at": ev.at, "from_state": None if ev.from_state is None else str(ev.from_state),
            "to_state": str(ev.to_state), "params": dict(ev.params)}


def shanghai_day(ts: float) -> str:
    """The Shanghai calendar day of an instant ("20260312"); an implausible instant
    (refused before it gets here, but never a 500) counts as today."""
    from console.domain.formatting import plausible_epoch

    if plausible_epoch(ts) is None:
        ts = time.time()
    return dt.datetime.fromtimestamp(ts, SH).strftime("%Y%m%d")


class Runtime:
    def __init__(self, cfg: Config):
        self.cfg = cfg
        self.store = Store(cfg.data_dir)
        last = self.store.get_meta("platform_time")
        self.clock = Clock(float(last) if last else None, cfg.speed)
        self.street = geo.build_street(cfg.seed)
        self.grid_index = GridIndex.from_features(self.street.features)
        self.people = People(cfg.seed)
        from console.domain import roster as _R
        from simulator.roster import DUTY_PATTERN

        #: the street's duty pattern: the platform judges duty by the same shifts it sends
        self.pattern = _R.pattern_from_dict(DUTY_PATTERN)
        self.accounts = Accounts(cfg.seed, self.people.users(), DEMO_PIN, street=geo.STREET_ID)
        self.departments = catalogue.departments(cfg.seed)
        self.dept_ids = {d["id"] for d in self.departments}
        self.resp = catalogue.responsibilities(cfg.seed, self.departments, self.street.resp_grid_ids)
        self.resp_map = {(r["category_code"], r["grid_id"]): r["department_id"] for r in self.resp}
        self.calendar = timelimits.calendar_from_dict(catalogue.WORK_CALENDAR)  # working-hours limits
        self.cameras = {c["id"]: dict(c) for c in self.street.cameras}
        self.sensors = {s["id"]: dict(s) for s in self.street.sensors}
        self.stop_event = threading.Event()
        self.pages = PageCache(self.store)
        self.faults = None    # simulator.faults.Faults, set by the app factory
        self.streams = None   # simulator.streams.Streams

    # --- tickets -----------------------------------------------------------------
    def create(self, c: sa.Connection, ticket: Ticket, actor: Actor, now: float) -> Ticket:
        """Register a new ticket (state pending, version 0): number, grids, one event."""
        changes: dict[str, Any] = {"number": self.store.next_number(c, shanghai_day(ticket.created_at or now))}
        if not ticket.grids and ticket.lat is not None and ticket.lon is not None:
            changes["grids"] = self.grid_index.locate(ticket.lat, ticket.lon)
        ticket = ticket.replace(**changes)
        ev = lifecycle.create_event(ticket, actor, now)
        self.store.append(c, [("ticket", ticket.id, "upsert", ticket.to_dict()),
                              ("ticket_event", ev.event_id, "upsert", event_dict(ev))], self.clock.now())
        return ticket

    def apply(self, c: sa.Connection, ticket: Ticket, action: str, actor: Actor,
              params: dict | None, now: float) -> Ticket:
        """Apply one verb through the shared lifecycle; raises lifecycle.TransitionError."""
        new, ev = lifecycle.apply(ticket, action, actor, params or {}, now, calendar=self.calendar)
        self.store.append(c, [("ticket", new.id, "upsert", new.to_dict()),
                              ("ticket_event", ev.event_id, "upsert", event_dict(ev))], self.clock.now())
        if new.state == TicketState.CLOSED and ticket.state != TicketState.CLOSED:
            self._close_duplicates(c, new, now)
        return new

    def _close_duplicates(self, c: sa.Connection, main: Ticket, now: float) -> None:
        """并案: the tickets merged into ``main`` close with it, with its outcome."""
        rows = c.exec_driver_sql(f"SELECT body FROM {TICKET_BODY} WHERE tickets.state = 'suspended'").scalars()
        for body in rows:
            d = body_data(body)
            if d.get("duplicate_of") == main.id:
                self.apply(c, Ticket.from_dict(d), "close_with_main", SYSTEM_ACTOR,
                           {"main_id": main.id, "on_time": bool(main.closed_on_time),
                            "note": f"随主单 {main.number or main.id[:8]} 办结"}, now)

    def on_duty(self, user_id: str, now: float) -> bool:
        """Whether ``user_id`` is on the platform's roster of the shift running at ``now``."""
        from console.domain import roster as R

        at = dt.datetime.fromtimestamp(now, R.SHANGHAI)
        day = at.date()
        entries = [R.RosterEntry(e["id"], dt.date.fromisoformat(e["date"]), e["shift"], e["role"],
                                 e["person_id"], e["name"])
                   for e in self.people.roster(day - dt.timedelta(days=1), day)]
        return any(e.person_id == user_id for e in R.on_duty(entries, at, self.pattern.plan).people())

    def command_at(self, c: sa.Connection, at_ts: float, acting: Actor | None = None):
        """Who holds command at ``at_ts`` by the platform's roster (overrides included) and
        the chain's marks it knows: command records, and the logins it confirmed
        (``console.domain.command``). ``acting``: the person deciding, proven present by
        their signed command."""
        from console.domain import command as C
        from console.domain import roster as R

        day = dt.datetime.fromtimestamp(at_ts, R.SHANGHAI).date()
        rows = c.exec_driver_sql(
            "SELECT data FROM entities WHERE kind='roster' AND json_extract(data, '$.date') BETWEEN ? AND ?",
            ((day - dt.timedelta(days=1)).isoformat(), day.isoformat())).all()
        entries = []
        for (raw,) in rows:
            e = json.loads(raw)
            if e.get("role") in C.CHAIN:
                entries.append(R.RosterEntry(e["id"], dt.date.fromisoformat(e["date"]), e["shift"], e["role"],
                                             e["person_id"], e.get("name", ""), replaces=e.get("replaces"),
                                             created_at=float(e.get("created_at") or 0.0)))
        marks = [C.Mark(uid, 0.0, C.LOGIN, ws) for uid, ws in list(self.accounts.sessions)]
        try:
            recorded = c.exec_driver_sql("SELECT data FROM duty_records WHERE kind='command'").all()
        except sa.exc.OperationalError:  # no duty record yet: the table comes with the first
            recorded = []
        for (raw,) in recorded:
            m = json.loads(raw)
            marks.append(C.Mark(m["person_id"], float(m["at"]), m["event"], m.get("workstation") or "",
                                m.get("to") or ""))
        if acting is not None:
            marks.append(C.Mark(acting.user_id, at_ts, C.LOGIN, acting.workstation or "(desk)"))
        plan = self.pattern.plan
        if not C.chain_for(entries, plan.shift_at(dt.datetime.fromtimestamp(at_ts, plan.tz))[0]):
            return None
        return C.holder(entries, marks, at_ts, plan, absent_after_s=self.cfg.command_absent_s)

    def department_for(self, code: str, grids: dict) -> str | None:
        """The responsibility matrix's department (what the catalogue says)."""
        return self.resp_map.get((code, grids.get("resp_grid", "")))

    def handler_for(self, code: str, grids: dict) -> str | None:
        """The department that really handles it here (``catalogue.actual_handler``): the
        history's officers dispatch to it, so the closed tickets carry it."""
        return catalogue.actual_handler(self.cfg.seed, self.departments, self.department_for(code, grids),
                                        code, grids.get("committee", ""))

    # --- static entities ---------------------------------------------------------------
    def camera_with_urls(self, cam: dict) -> dict:
        base = self.cfg.base_url.rstrip("/")
        return {**cam, "stream_url": f"{base}/streams/{cam['id']}/main.m3u8",
                "substream_url": f"{base}/streams/{cam['id']}/sub.m3u8"}

    def seed_static(self) -> bool:
        """First start: write the catalogue, grids, units, devices and people. Later
        starts: refresh camera URLs when the address changed, extend the roster."""
        first = self.store.get_meta("seeded") is None
        now = self.clock.now()
        with self.store.write() as c:
            if first:
                items = [("category", f"{s.category.kind}:{s.category.code}", "upsert",
                          catalogue.category_dict(s.category)) for s in catalogue.CATALOGUE]
                items += [("department", d["id"], "upsert", d) for d in self.departments]
                items += [("responsibility", f"{r['category_kind']}:{r['category_code']}:{r['grid_id']}",
                           "upsert", r) for r in self.resp]
                items += [("grid", f["id"], "upsert", f) for f in self.street.features]
                items += [("sensor", s["id"], "upsert", s) for s in self.sensors.values()]
                items += [("user", a.id, "upsert", a.entity()) for a in self.accounts.by_id.values()]
                items += self.past_night_watch(now)
                self.store.append(c, items, now)
                self.store.set_meta(c, "seeded", "1")
            else:
                for cam in self.store.entities_in(c, "camera"):
                    self.cameras[cam["id"]].update(online=cam["online"])
                for s in self.store.entities_in(c, "sensor"):
                    self.sensors[s["id"]].update(status=s["status"])
            url_form = f"{self.cfg.base_url} {STREAM_FORM}"  # the address or the URL form changed
            if self.store.get_meta_in(c, "base_url") != url_form:
                self.store.append(c, [("camera", k, "upsert", self.camera_with_urls(v))
                                      for k, v in self.cameras.items()], now)
                self.store.set_meta(c, "base_url", url_form)
            from simulator.roster import DUTY_PATTERN

            if self.store.get_meta_in(c, "duty_pattern") != json.dumps(DUTY_PATTERN, sort_keys=True):
                self.store.append(c, [("duty_pattern", "street", "upsert", DUTY_PATTERN)], now)
                self.store.set_meta(c, "duty_pattern", json.dumps(DUTY_PATTERN, sort_keys=True))
            if self.store.get_meta_in(c, "camera_policy") != json.dumps(CAMERA_POLICY, sort_keys=True):
                self.store.append(c, [("camera_policy", "street", "upsert", CAMERA_POLICY)], now)
                self.store.set_meta(c, "camera_policy", json.dumps(CAMERA_POLICY, sort_keys=True))
            calendar = json.dumps(catalogue.WORK_CALENDAR, sort_keys=True)
            if self.store.get_meta_in(c, "work_calendar") != calendar:  # also a platform seeded before it
                self.store.append(c, [("work_calendar", "street", "upsert", catalogue.WORK_CALENDAR)], now)
                self.store.set_meta(c, "work_calendar", calendar)
            if self.store.get_meta_in(c, "plans") is None:  # also a platform seeded before plans
                self.store.append(c, plans.seed_items(), now)
                self.store.set_meta(c, "plans", "1")
            if self.store.get_meta_in(c, "resources") is None:  # 应急物资 and 应急力量
                self.store.append(c, resources.seed_items(list(self.cameras.values())), now)
                self.store.set_meta(c, "resources", "1")
            self.extend_roster(c, now)
        return first

    def past_night_watch(self, now: float) -> list[tuple[str, str, str, Any]]:
        """The demo's one recorded night hand-off (三班二运转): last night's evening leader
        handed the video watch to the police station at 22:55 and the morning leader took
        it back at 07:05, so the desks' handover and duty log show a night as it is done."""
        from simulator.roster import DUTY_PATTERN

        today = dt.datetime.fromtimestamp(now, SH).date()
        night = today - dt.timedelta(days=1)
        if dt.datetime.fromtimestamp(now, SH).hour < 8:   # before this morning's take-back
            night -= dt.timedelta(days=1)
        roster = self.people.roster(night, night + dt.timedelta(days=1))
        evening = next(e for e in roster if e["date"] == night.isoformat() and e["shift"] == "evening"
                       and e["role"] == "shift_leader")
        morning = next(e for e in roster if e["date"] == (night + dt.timedelta(days=1)).isoformat()
                       and e["shift"] == "day" and e["role"] == "shift_leader")
        handed = dt.datetime.combine(night, dt.time(22, 55), SH).timestamp()
        back = dt.datetime.combine(night + dt.timedelta(days=1), dt.time(7, 5), SH).timestamp()
        station = DUTY_PATTERN["night_station"]
        wid = f"demo-night-{night.isoformat()}"
        data = {"id": wid, "shift_date": night.isoformat(), "station": station,
                "handed_by": evening["person_id"], "handed_at": handed,
                "details": {"cameras": sorted(self.cameras)[:12], "layouts": ["2x2"], "open_urgent": [],
                            "callbacks": [], "signed_by": evening["person_id"], "signed_at": handed},
                "taken_back_by": morning["person_id"], "taken_back_at": back,
                "summary": {"arrived": 0, "urgent": [], "by_channel": {}, "alarms": 0, "ticket_ids": []}}

        def rec(rid, kind, d, who, at):
            p = self.people.persons[who]
            return ("duty_record", rid, "upsert", {
                "record_id": rid, "kind": kind, "data": d, "issued_at": at,
                "actor": {"user_id": who, "name": p["name"], "role": p["role"], "workstation": "WS-LDR"}})
        return [rec(wid, "night_watch", data, morning["person_id"], back),
                rec(f"{wid}-log1", "duty_log", {"at": handed, "kind": "night", "shift_date": night.isoformat(),
                                                "shift": "night", "text": f"图像监控转接{station}"},
                    evening["person_id"], handed),
                rec(f"{wid}-log2", "duty_log", {"at": back, "kind": "night",
                                                "shift_date": (night + dt.timedelta(days=1)).isoformat(),
                                                "shift": "day", "text": f"从{station}收回图像监控"},
                    morning["person_id"], back)]

    def extend_roster(self, c: sa.Connection, now: float) -> None:
        today = dt.datetime.fromtimestamp(now, SH).date()
        last = self.store.get_meta_in(c, "roster_last")
        first = today - dt.timedelta(days=14)
        if last is not None:
            first = max(first, dt.date.fromisoformat(last) + dt.timedelta(days=1))
        end = today + dt.timedelta(days=14)
        if first > end:
            return
        self.store.append(c, [("roster", e["id"], "upsert", e) for e in self.people.roster(first, end)], now)
        self.store.set_meta(c, "roster_last", end.isoformat())

    def save_clock(self) -> None:
        with self.store.write() as c:
            self.store.set_meta(c, "platform_time", repr(self.clock.now()))

    # --- actors ------------------------------------------------------------------------
    def person_actor(self, pid: str, workstation: str = "") -> Actor:
        p = self.people.persons[pid]
        return Actor(pid, p["name"], Role(p["role"]), workstation)

    def dept_actor(self, dept_id: str) -> Actor:
        d = next((x for x in self.departments if x["id"] == dept_id), self.departments[0])
        return Actor(d["id"], d["name"], Role.DEPARTMENT, "")


DISTRICT_ACTOR = Actor("district", "浦东新区城运中心", Role.DISTRICT, "")
SYSTEM_ACTOR = Actor("system", "系统", Role.SYSTEM, "")
HOTLINE_ACTOR = Actor("hotline-12345", "12345市民服务热线", Role.DISTRICT, "")

