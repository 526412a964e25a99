"""The chaos verdict: did every recorded action take effect exactly once?

Reads the platform's full change feed (directly, no proxy) and every workstation's
store after the run. Each workstation action was recorded (``settings_kv`` key
``chaos/<ws>/<n>``) in the transaction that queued its command, so the set of
actions is exact even across SIGKILLs.

Per action, its outbox entry says how it ended:
- ``done`` (applied/duplicate): it must appear on the platform exactly once;
- ``needs_attention`` (conflict, rejection, blocked behind one): it must not appear
  (it is surfaced to the officer, so it is not lost);
- still ``queued``/``inflight`` or missing: not delivered, counted as lost.

The platform side is matched as a multiset of (ticket, verb, workstation, text)
taken from ``ticket_event`` records: annotate texts are unique per action, other
verbs are counted. ``diverged`` counts (workstation, ticket) pairs whose local row
(state, version, urge count, department) differs from the platform's, plus tickets
one side has and the other lacks; a ticket still pending locally is not compared
(its unsent actions are counted above).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

from console.sync.client import PlatformClient


def platform_state(url: str, token: str) -> tuple[dict[str, dict], dict[str, dict]]:
    """(tickets by id, ticket events by event id) from the full feed."""
    client = PlatformClient(url, token, timeout=(5, 60))
    tickets: dict[str, dict] = {}
    events: dict[str, dict] = {}
    cursor = ""
    while True:
        b = client.changes(cursor, 5000)
        for ch in b.changes:
            if ch["kind"] == "ticket":
                if ch["op"] == "delete":
                    tickets.pop(ch["id"], None)
                else:
                    tickets[ch["id"]] = ch["data"]
            elif ch["kind"] == "ticket_event":
                if ch["op"] == "delete":
                    events.pop(ch["id"], None)
                else:
                    events[ch["id"]] = ch["data"]
        cursor = b.next_cursor
        if not b.has_more:
            break
    client.close()
    return tickets, events


def _key(ticket_id: str, verb: str, ws: str, text: str | None) -> tuple:
    return (ticket_id, verb, ws, text if verb == "annotate" else None)


def verify(url: str, token: str, stores: list[Path], workstations: list[str]) -> dict[str, Any]:
    tickets, events = platform_state(url, token)
    wss = set(workstations)
    actual: Counter = Counter()
    for ev in events.values():
        ws = (ev.get("actor") or {}).get("workstation")
        if ws in wss:
            text = (ev.get("params") or {}).get("text")
            actual[_key(ev["ticket_id"], ev["action"], ws, text)] += 1

    expected: Counter = Counter()
    must_be_absent: Counter = Counter()
    issued = attention = unsynced = diverged = 0
    details: list[str] = []
    for path, ws in zip(stores, workstations):
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            recs = [json.loads(v) for (v,) in con.execute(
                "SELECT value FROM settings_kv WHERE key LIKE ?", (f"chaos/{ws}/%",))]
            status = dict(con.execute("SELECT command_id, status FROM outbox"))
            for r in recs:
                issued += 1
                st = status.get(r.get("command_id"))
                key = _key(r["ticket_id"], r["kind"], ws, r.get("text"))
                if st == "done":
                    expected[key] += 1
                elif st in ("needs_attention", "discarded", "redone"):
                    attention += 1
                    must_be_absent[key] += 1
                else:
                    unsynced += 1
                    expected[key] += 1   # it must be on the platform, or it is lost
                    details.append(f"{ws}: {r['kind']} {r['ticket_id'][:8]} still {st}")
            for tid, state, version, urges, dept, pending in con.execute(
                    "SELECT id, state, version, urge_count, department_id, pending FROM tickets"):
                p = tickets.get(tid)
                if pending:
                    continue
                if p is None:
                    diverged += 1
                    details.append(f"{ws}: ticket {tid[:8]} only local (v{version})")
                elif (p["state"], p["version"], p["urge_count"], p["department_id"]) != \
                        (state, version, urges, dept):
                    diverged += 1
                    details.append(f"{ws}: ticket {tid[:8]} local {state}/v{version} "
                                   f"platform {p['state']}/v{p['version']}")
            local_ids = {r[0] for r in con.execute("SELECT id FROM tickets")}
            missing = [t for t in tickets if t not in local_ids]
            diverged += len(missing)
            details += [f"{ws}: ticket {t[:8]} missing locally" for t in missing[:5]]
        finally:
            con.close()

    lost = duplicated = 0
    for key in set(expected) | set(must_be_absent) | set(actual):
        exp, act, absent = expected[key], actual[key], must_be_absent[key]
        if act < exp:
            lost += exp - act
            details.append(f"lost: {key[1]} {key[0][:8]} {key[2]} {key[3] or ''} ({act}/{exp})")
        elif act > exp:
            # an attention entry that did take effect would be a hidden duplicate of
            # the officer's redo; an unexplained extra is a duplicate outright
            duplicated += act - exp
            details.append(f"extra: {key[1]} {key[0][:8]} {key[2]} {key[3] or ''} "
                           f"({act}/{exp}, attention {absent})")
    return {"issued": issued, "attention": attention, "unsynced": unsynced, "lost": lost,
            "duplicated": duplicated, "diverged": diverged, "details": details,
            "platform_tickets": len(tickets)}
