"""The chaos verdict: the platform's final state judged against the parent's ledger.

The ledger (``console.sync.chaos.Ledger``) says, for every action, that it was asked of
a workstation (written before asking) and what the workstation answered, if it did
before it died. Each action carries a marker (``chaos <ws> #<n>``) that the platform
keeps with its effect (annotation text, the action's note; a new ticket has a known id),
so effects are counted on the platform's own feed, read directly (no proxy):

- answered ``ok``: the action was committed at the workstation; it must take effect on
  the platform exactly once, or be shown to the officer as needing attention — and that
  only counts as correct when the platform really held a conflicting state (another
  workstation acted on the same ticket); otherwise it is lost;
- answered ``refused`` (the officer's error box: not a legal move here) or never
  answered (killed during the action): at most once;
- an effect with a marker nobody asked for, or one more than once: duplicated.

``diverged`` compares every field of every ticket (``Ticket.to_dict``: what the panels
show and more) and every entry of its timeline (what the detail panel lists: action,
actor, time, states, parameters, and whether it is still unconfirmed) between each
workstation's store and the platform, and counts tickets one side has and the other
lacks. A conflict or rejection shown to the officer is justified only when somebody
else holds a version of that ticket past the one the desk had from the platform when
it acted.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from console.domain.lifecycle import _event_id
from console.domain.model import Ticket
from console.sync.chaosworker import ticket_id_for
from console.sync.client import PlatformClient

#: local-only bookkeeping, not part of what the platform holds
LOCAL_ONLY = frozenset({"pending"})


def platform_state(url: str, token: str) -> tuple[dict[str, dict], dict[str, dict]]:
    """(tickets by id, ticket events by event id) from the full feed."""
    client = PlatformClient(url, token, timeout=(5, 60))
    tickets: dict[str, dict] = {}
    events: dict[str, dict] = {}
    cursor = ""
    try:
        while True:
            b = client.changes(cursor, 5000)
            for ch in b.changes:
                box = tickets if ch["kind"] == "ticket" else events if ch["kind"] == "ticket_event" else None
                if box is None:
                    continue
                if ch["op"] == "delete":
                    box.pop(ch["id"], None)
                else:
                    box[ch["id"]] = ch["data"]
            cursor = b.next_cursor
            if not b.has_more:
                break
    finally:
        client.close()
    return tickets, events


def _marker_of(ev: dict) -> str | None:
    params = ev.get("params") or {}
    m = params.get("text") if ev.get("action") == "annotate" else params.get("note")
    return m if isinstance(m, str) and m.startswith("chaos ") else None


def _local_tickets(path: Path) -> dict[str, dict]:
    from localdb import crypto
    from localdb.convert import row_to_ticket

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:  # the workstation's contact key opens the reporter fields, as its panels see them
        with crypto.active(crypto.read_key_file(crypto.default_key_file(path))):
            return {r["id"]: row_to_ticket(r).to_dict() for r in con.execute("SELECT * FROM tickets")}
    finally:
        con.close()


def _norm(d: dict) -> dict:
    return {k: v for k, v in Ticket.from_dict(d).to_dict().items() if k not in LOCAL_ONLY}


def _moved_past(tid: str, confirmed: int | None, ticket: dict | None, events: dict[str, dict]) -> set[str]:
    """Who (workstation, or ``platform``) holds a version of ticket ``tid`` on the platform
    after ``confirmed``, the version the acting desk had from the platform when it acted:
    a conflict or rejection is justified only when somebody else moved the ticket past
    what the desk knew (event ids are ``uuid5(ticket, version)``, so the holder of each
    version is looked up exactly)."""
    if ticket is None or confirmed is None:
        return set()
    out = set()
    for v in range(int(confirmed) + 1, int(ticket.get("version") or 0) + 1):
        ev = events.get(_event_id(tid, v))
        if ev is not None:
            out.add((ev.get("actor") or {}).get("workstation") or "platform")
    return out


def _timeline(rows: list[dict]) -> list[tuple]:
    """A ticket's timeline as the detail panel shows it (oldest first)."""
    return sorted((r["event_id"], r["action"], (r.get("actor") or {}).get("user_id"),
                   (r.get("actor") or {}).get("workstation"), round(float(r["at"]), 3), r.get("from_state"),
                   r.get("to_state"), json.dumps(r.get("params") or {}, sort_keys=True, ensure_ascii=False),
                   bool(r.get("local"))) for r in rows)


def _local_timelines(path: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        by: dict[str, list[dict]] = defaultdict(list)
        for r in con.execute("SELECT * FROM ticket_events"):
            d = dict(r)
            d["actor"] = json.loads(d["actor"] or "{}")
            d["params"] = json.loads(d["params"] or "{}")
            by[d["ticket_id"]].append(d)
        return {tid: _timeline(rows) for tid, rows in by.items()}
    finally:
        con.close()


def verify(url: str, token: str, ledger: list[dict[str, Any]], reports: dict[str, dict],
           stores: dict[str, Path], seed: int) -> dict[str, Any]:
    tickets, events = platform_state(url, token)
    details: list[str] = []

    # effects on the platform, by marker
    effects: Counter = Counter()
    create_marker: dict[str, str] = {}
    asks = [e for e in ledger if e.get("t") == "ask"]
    for a in asks:
        if a["kind"] == "create":
            create_marker[ticket_id_for(seed, a["ws"], a["n"])] = a["marker"]
    for ev in events.values():
        m = create_marker.get(ev["ticket_id"]) if ev.get("action") == "create" else _marker_of(ev)
        if m is not None:
            effects[m] += 1

    answers = {(e["ws"], e["n"]): e for e in ledger if e.get("t") == "acted"}
    attention_of = {ws: {a.get("marker"): a for a in (r.get("attention") or [])} for ws, r in reports.items()}
    issued = lost = duplicated = attention = justified = 0
    asked_markers = set()
    for a in asks:
        m = a["marker"]
        asked_markers.add(m)
        ans = answers.get((a["ws"], a["n"]))
        got = effects[m]
        outcome = ans.get("outcome") if ans else None
        if outcome == "ok":
            issued += 1
            if got == 1:
                continue
            if got > 1:
                duplicated += got - 1
                details.append(f"duplicated: {m} ({a['kind']}) took effect {got} times")
                continue
            att = attention_of.get(a["ws"], {}).get(m)
            if att is not None:
                attention += 1
                tid = ans.get("ticket_id") or ""
                movers = _moved_past(tid, ans.get("confirmed_version"), tickets.get(tid), events) - {a["ws"]}
                if movers:
                    justified += 1
                else:
                    details.append(f"unjustified attention: {m} ({a['kind']}) {att.get('code')}: the platform "
                                   f"did not move {str(tid)[:8]} past v{ans.get('confirmed_version')} "
                                   "by anyone else")
                continue
            lost += 1
            details.append(f"lost: {m} ({a['kind']} on {str(ans.get('ticket_id'))[:8]}) answered ok, "
                           "not on the platform, not shown as needing attention")
        elif got > 1:
            duplicated += got - 1
            details.append(f"duplicated: {m} ({a['kind']}, {outcome or 'unanswered'}) took effect {got} times")
        elif got == 1 and outcome == "refused":
            duplicated += 1
            details.append(f"refused at the workstation but took effect: {m}")
    for m, n in effects.items():
        if m not in asked_markers:
            duplicated += n
            details.append(f"an effect nobody asked for: {m} x{n}")

    # every field of every ticket, each workstation against the platform
    diverged_at: set[tuple[str, str]] = set()   # (workstation, ticket) that differ
    plat = {tid: _norm(d) for tid, d in tickets.items()}
    for ws, path in stores.items():
        local = {tid: {k: v for k, v in d.items() if k not in LOCAL_ONLY} for tid, d in _local_tickets(path).items()}
        for tid in local.keys() | plat.keys():
            lt, pt = local.get(tid), plat.get(tid)
            if lt is None or pt is None:
                diverged_at.add((ws, tid))
                details.append(f"{ws}: ticket {tid[:8]} {'missing locally' if lt is None else 'only local'}")
            elif lt != pt:
                diverged_at.add((ws, tid))
                fields = sorted(k for k in lt.keys() | pt.keys() if lt.get(k) != pt.get(k))
                details.append(f"{ws}: ticket {tid[:8]} differs in " + ", ".join(
                    f"{k} (local {lt.get(k)!r}, platform {pt.get(k)!r})" for k in fields[:4]))
    # every entry of every ticket's timeline (the detail panel's 处置记录)
    plat_tl: dict[str, list[dict]] = defaultdict(list)
    for ev in events.values():
        plat_tl[ev["ticket_id"]].append({**ev, "local": False})
    plat_timelines = {tid: _timeline(rows) for tid, rows in plat_tl.items()}
    for ws, path in stores.items():
        local_tl = _local_timelines(path)
        for tid in local_tl.keys() | plat_timelines.keys():
            lt, pt = local_tl.get(tid, []), plat_timelines.get(tid, [])
            if lt != pt:
                diverged_at.add((ws, tid))
                only_l = [e for e in lt if e not in pt]
                only_p = [e for e in pt if e not in lt]
                details.append(f"{ws}: timeline of {tid[:8]} differs: local only {only_l[:2]!r}, "
                               f"platform only {only_p[:2]!r}")
    diverged = len(diverged_at)
    return {"issued": issued, "lost": lost, "duplicated": duplicated, "diverged": diverged,
            "attention": attention, "attention_justified": justified, "details": details,
            "platform_tickets": len(tickets)}
