"""Live traffic on the simulated clock: new tickets, the district side's actions, IoT
alarms and cameras dropping out. A background thread calls ``run_until(now)``;
``POST /_sim/tick`` calls it directly after moving the clock on.

Platform-side actors only act where a hall officer would not: departments handle
and report (or hand back), the district urges overdue work, approves long-waiting
extension requests and closes reviewed tickets the hall left; the system archives.
Every change goes through ``console.domain.lifecycle``; refusals are skipped.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import random
import threading
import time

from console.domain import joint, lifecycle
from console.domain.model import Channel, Ticket
from simulator import catalogue, factory, geo
from simulator.history import _poisson
from simulator.roster import SH
from simulator.runtime import DISTRICT_ACTOR, SYSTEM_ACTOR, Runtime

log = logging.getLogger(__name__)
H, MIN = 3600.0, 60.0
STEP_S = 300.0            # platform seconds simulated per step when catching up
MAX_CATCH_UP_S = 7 * 86400.0
MIN_STEP_S = 20.0         # the live loop waits for this much platform time between steps
ALARMS_PER_DAY = 40.0
CAMERA_DROPS_PER_DAY = 12.0
SENSOR_DROPS_PER_DAY = 6.0
READING_EVERY_S = 30 * 60.0


def _device_event(kind: str, device_id: str, event: str, at: float) -> tuple[str, str, str, dict]:
    eid = f"DE-{device_id}-{int(at * 1000)}-{event}"
    return ("device_event", eid, "upsert",
            {"id": eid, "device_kind": kind, "device_id": device_id, "event": event, "at": at})


def _frac(*parts) -> float:
    """A stable pseudo-random number in [0, 1) for a ticket version: a step's delay must
    not change between two looks at the same ticket."""
    h = hashlib.blake2b("|".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(h, "big") / 2**64


class Traffic:
    def __init__(self, rt: Runtime):
        self.rt = rt
        self.rng = random.Random(f"traffic:{rt.cfg.seed}:{time.time_ns()}")
        last = rt.store.get_meta("traffic_until")
        self.until = float(last) if last else rt.clock.now()
        self._lock = threading.Lock()
        self.alarms = {a["id"]: a for a in rt.store.entities("alarm") if a.get("cleared_at") is None}
        self.offline = {c["id"]: c.get("_back", 0) for c in rt.cameras.values() if not c.get("online", True)}
        self.sensors_off = {s["id"]: 0.0 for s in rt.sensors.values() if not s.get("online", True)}
        self._thread: threading.Thread | None = None
        self._due: dict[str, tuple[int, float]] = {}  # ticket id -> (version, next due time)
        self._last_compact = 0.0

    # --- thread --------------------------------------------------------------------
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="sim-traffic", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        while not self.rt.stop_event.wait(1.0):
            try:
                if self.rt.clock.now() - self.until >= MIN_STEP_S:
                    self.run_until(self.rt.clock.now())
                self.maintain()
            except Exception:  # keep generating; a bug here must not kill the platform
                log.exception("traffic step failed")

    def join(self, timeout: float = 5.0) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    # --- one interval ------------------------------------------------------------------
    def run_until(self, now: float) -> int:
        with self._lock:
            before = self.rt.store.head_seq
            self.until = max(self.until, now - MAX_CATCH_UP_S)  # after a long stop: skip ahead
            while self.until < now - 1e-6:
                end = min(now, self.until + STEP_S)
                self._step(self.until, end)
                self.until = end
            with self.rt.store.write() as c:
                self.rt.store.set_meta(c, "traffic_until", repr(self.until))
                self.rt.store.set_meta(c, "platform_time", repr(now))
            return self.rt.store.head_seq - before

    def _step(self, t0: float, t1: float) -> None:
        rt, rng = self.rt, self.rng
        hour = dt.datetime.fromtimestamp(t0, SH).hour
        n_new = _poisson(rng, rt.cfg.daily_rate / 86400 * (t1 - t0) * factory.hour_weight(hour))
        with rt.store.write() as c:
            for _ in range(n_new):
                t = factory.new_ticket(rt.street, rng, rng.uniform(t0, t1))
                t = t.replace(channel=t.channel if t.channel != Channel.IOT_ALARM else Channel.HOTLINE_12345)
                rt.create(c, t, DISTRICT_ACTOR, t.created_at)
            self._platform_side(c, t1)
            self._iot(c, t0, t1)
            self._cameras(c, t0, t1)
            self._readings(c, t0, t1)

    def _platform_side(self, c, now: float) -> None:
        # one indexed probe per kind of due work (a table scan would cost 1M-row platforms)
        rows = c.exec_driver_sql(
            "SELECT id, version FROM tickets WHERE state IN ('dispatched','handling') AND updated_at < ?"
            " UNION SELECT id, version FROM tickets WHERE state = 'verified' AND updated_at < ?"
            " UNION SELECT id, version FROM tickets WHERE state = 'closed' AND updated_at < ?"
            " UNION SELECT id, version FROM tickets WHERE state IN ('pending','accepted','registered',"
            "'dispatched','handling','feedback','verified','suspended')"
            " AND (ext_pending = 1 OR deadline + 3600 + 86400 * urge_count < ?)",
            (now - 5 * MIN, now - 2 * H, now - 3 * 86400, now)).all()
        for tid, version in rows:
            known = self._due.get(tid)
            if known is not None and known[0] == version and known[1] > now:
                continue  # nothing due yet for this version: skip parsing it
            t = Ticket.from_dict(self.rt.store.get_ticket(c, tid))
            plan = list(self._plan(t))
            due = [p for p in plan if p[3] <= now]
            if not due:
                self._due[tid] = (version, min((p[3] for p in plan), default=float("inf")))
                continue
            action, actor, params, when = due[0]
            try:
                self.rt.apply(c, t, action, actor, params, max(when, t.updated_at))
            except lifecycle.TransitionError:
                self._due[tid] = (version, float("inf"))

    def _plan(self, t: Ticket):
        """Candidate platform-side steps of a ticket, with when they fall due."""
        lim = t.limit_hours * H
        f = _frac(t.id, t.version)
        dept = self.rt.dept_actor(t.department_id) if t.department_id else None
        if t.state in ("dispatched", "handling"):  # 联合派遣: each co-handler answers for itself
            for co in joint.pending(t):
                yield "co_feedback", self.rt.dept_actor(co), {"department_id": co, "result": "已配合完成联合处置"}, \
                    t.updated_at + lim * 0.05 * _frac(co, t.version)
        if t.state == "dispatched" and dept:
            if f < 0.04:
                yield "return", dept, {"reason": "经核实非本单位职责，退回街道重新派遣"}, t.updated_at + 30 * MIN
            else:
                yield "handle", dept, {}, t.updated_at + lim * (0.02 + 0.1 * f)
        elif t.state == "handling" and dept:
            if t.extension_request is None and t.extension_hours == 0 and f < 0.05:
                yield "request_extension", dept, {"hours": 24, "reason": "需协调相关单位，申请延期"}, \
                    t.updated_at + lim * 0.2
            else:
                yield "feedback", dept, {"result": "已到场处置完毕"}, t.updated_at + lim * (0.15 + 0.9 * f)
        if t.extension_request is not None:
            yield "approve_extension", DISTRICT_ACTOR, {}, float(t.extension_request.get("at", t.updated_at)) + 8 * H
        if t.state == "verified" and t.reviewed_by is not None:
            yield "close", DISTRICT_ACTOR, {}, t.updated_at + 2 * H
        if t.state == "closed":
            yield "archive", SYSTEM_ACTOR, {}, (t.closed_at or t.updated_at) + 3 * 86400
        if t.deadline is not None and t.is_open and t.urge_count < 3:
            yield "urge", DISTRICT_ACTOR, {}, t.deadline + H + t.urge_count * 24 * H

    def _iot(self, c, t0: float, t1: float) -> None:
        rt, rng = self.rt, self.rng
        for _ in range(_poisson(rng, ALARMS_PER_DAY / 86400 * (t1 - t0))):
            s = rt.sensors[rng.choice(sorted(rt.sensors))]
            if s["status"] != "normal":
                continue
            at = rng.uniform(t0, t1)
            ticket_id = None
            if rng.random() < 0.6:
                spec = catalogue.BY_CODE[factory.SENSOR_CATEGORY.get(s["type"], "15004")]
                grids = rt.grid_index.locate(s["lat"], s["lon"])
                t = factory.new_ticket(rt.street, rng, at, Channel.IOT_ALARM, spec,
                                       (s["lat"], s["lon"], grids))
                t = t.replace(description=f"{s['name']}报警：{spec.category.small_name}，请核实处置。")
                ticket_id = rt.create(c, t, SYSTEM_ACTOR, at).id
            alarm = {"id": f"AL-{int(at)}-{s['id']}", "sensor_id": s["id"], "type": s["type"],
                     "lat": s["lat"], "lon": s["lon"], "raised_at": at, "cleared_at": None,
                     "ticket_id": ticket_id, "level": rng.choice(("low", "medium", "high"))}
            s["status"] = "alarm"
            s.update(geo.reading(s["type"], rng, alarm=True), reading_at=at)
            self.alarms[alarm["id"]] = alarm
            rt.store.append(c, [("alarm", alarm["id"], "upsert", alarm), ("sensor", s["id"], "upsert", s)], t1)
        for aid, a in list(self.alarms.items()):
            if _frac(aid) * 50 * MIN + 10 * MIN + a["raised_at"] <= t1:
                # the platform's copy: a desk may have closed the alarm's loop meanwhile
                a = {**(rt.store.entity_in(c, "alarm", aid) or a), "cleared_at": t1}
                s = rt.sensors[a["sensor_id"]]
                s["status"] = "normal"
                s.update(geo.reading(s["type"], rng), reading_at=t1)
                del self.alarms[aid]
                rt.store.append(c, [("alarm", aid, "upsert", a), ("sensor", s["id"], "upsert", s)], t1)

    def _cameras(self, c, t0: float, t1: float) -> None:
        rt, rng = self.rt, self.rng
        for _ in range(_poisson(rng, CAMERA_DROPS_PER_DAY / 86400 * (t1 - t0))):
            cam = rt.cameras[rng.choice(sorted(rt.cameras))]
            if cam["online"]:
                cam["online"] = False
                self.offline[cam["id"]] = t1 + rng.uniform(10, 120) * MIN
                rt.store.append(c, [("camera", cam["id"], "upsert", rt.camera_with_urls(cam)),
                                    _device_event("camera", cam["id"], "offline", t1)], t1)
        for cid, back in list(self.offline.items()):
            if back <= t1:
                cam = rt.cameras[cid]
                cam["online"] = True
                del self.offline[cid]
                rt.store.append(c, [("camera", cid, "upsert", rt.camera_with_urls(cam)),
                                    _device_event("camera", cid, "online", t1)], t1)

    def _readings(self, c, t0: float, t1: float) -> None:
        """Every sensor reports a reading each READING_EVERY_S of platform time; a few drop
        off line for a while (device events mark both ends)."""
        rt, rng = self.rt, self.rng
        slot0, slot1 = int(t0 // READING_EVERY_S), int(t1 // READING_EVERY_S)
        items: list[tuple[str, str, str, dict]] = []
        for _ in range(_poisson(rng, SENSOR_DROPS_PER_DAY / 86400 * (t1 - t0))):
            s = rt.sensors[rng.choice(sorted(rt.sensors))]
            if s.get("online", True) and s["status"] == "normal":
                s["online"], s["status"] = False, "offline"
                self.sensors_off[s["id"]] = t1 + rng.uniform(10, 90) * MIN
                items += [("sensor", s["id"], "upsert", dict(s)), _device_event("sensor", s["id"], "offline", t1)]
        for sid, back in list(self.sensors_off.items()):
            if back <= t1:
                s = rt.sensors[sid]
                s["online"], s["status"] = True, "normal"
                del self.sensors_off[sid]
                items += [("sensor", sid, "upsert", dict(s)), _device_event("sensor", sid, "online", t1)]
        if slot1 > slot0:
            for sid in sorted(rt.sensors):
                s = rt.sensors[sid]
                if s.get("online", True):
                    s.update(geo.reading(s["type"], rng, alarm=s["status"] == "alarm"), reading_at=t1)
                    items.append(("sensor", sid, "upsert", dict(s)))
        if items:
            rt.store.append(c, items, t1)

    # --- upkeep --------------------------------------------------------------------
    def maintain(self, force: bool = False) -> None:
        """Extend the roster, compact the feed beyond the retention window (once a minute)."""
        now = self.rt.clock.now()
        if not force and time.monotonic() - self._last_compact < 60:
            return
        self._last_compact = time.monotonic()
        with self.rt.store.write() as c:
            self.rt.extend_roster(c, now)
        cut = self.rt.store.seq_before(now - self.rt.cfg.retention_s)
        if cut > self.rt.store.compacted_seq:
            n = self.rt.store.compact(cut)
            log.info("compacted the feed up to seq %d (%d changes dropped)", cut, n)
