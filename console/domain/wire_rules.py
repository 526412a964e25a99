"""What a ticket or a duty record may hold: one rule for both ends of the wire.

The platform refuses a client's command or duty record that breaks these rules
(``rejected``, code ``invalid_param``/``invalid_field``); the console quarantines a
feed change that breaks them (never stored, never shown raw). Checked here: types,
ranges of times and numbers (times are plausible instants, see
``console.domain.formatting.plausible_epoch``), lengths of texts, the form of dates and
attachment digests, and which fields of a new ticket a client may set at all (the
others belong to the lifecycle and must carry their initial values).

Every function returns a short English reason, or None when the value is fine; none
raises. Qt-free and storage-free (the simulator imports it too).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from console.domain.formatting import finite_number, plausible_epoch

#: the longest time limit or extension (a year); a limit of 0 or less is no limit
MAX_LIMIT_HOURS = 8760.0
#: paused time of a ticket: at most ten years
MAX_SUSPENDED_S = 10 * 365 * 86400.0
#: counters (urges, escalations, rework, versions) are small non-negative integers
MAX_COUNT = 1_000_000
MAX_ATTACHMENTS = 50
_DIGEST = re.compile(r"[0-9a-f]{64}")

#: text field -> longest allowed (characters)
TICKET_TEXTS = {
    "category_code": 32, "category_name": 200, "big_code": 32, "big_name": 200,
    "number": 64, "address": 4000, "description": 4000, "reporter_name": 64,
    "reporter_phone": 32, "department_id": 64, "commander_reason": 64,
    "verified_by": 64, "reviewed_by": 64,
}
#: instants a ticket always has / may have
TICKET_TIMES = ("created_at", "updated_at")
TICKET_OPTIONAL_TIMES = ("clock_start", "suspended_since", "deadline", "closed_at")
TICKET_COUNTS = ("version", "urge_count", "escalation_level", "rework_count")

#: fields of a new ticket the lifecycle owns: a client's create must leave them at these
#: initial values (``console.domain.lifecycle.new_ticket`` gives exactly these)
LIFECYCLE_FIELDS: dict[str, Any] = {
    "number": None, "version": 0, "clock_start": None, "extension_hours": 0.0,
    "suspended_seconds": 0.0, "suspended_since": None, "resume_state": None,
    "extension_request": None, "urge_count": 0, "escalation_level": 0,
    "needs_commander": False, "commander_reason": "", "key_supervision": False,
    "verified_by": None, "reviewed_by": None, "rework_count": 0, "closed_at": None,
    "closed_on_time": None, "duplicate_of": None, "co_handlers": [],
}


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def epoch_problem(name: str, value: Any, required: bool = True) -> str | None:
    """Why ``value`` is not a plausible instant (None allowed unless ``required``)."""
    if value is None and not required:
        return None
    if plausible_epoch(value) is None:
        return f"{name} is not a plausible time"
    return None


def date_problem(name: str, value: Any, required: bool = True) -> str | None:
    """Why ``value`` is not an ISO date ``YYYY-MM-DD`` between 2000 and 2099."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or len(value) != 10:
        return f"{name} is not a date (YYYY-MM-DD)"
    try:
        d = dt.date.fromisoformat(value)
    except ValueError:
        return f"{name} is not a date (YYYY-MM-DD)"
    if not 2000 <= d.year <= 2099:
        return f"{name} is out of range"
    return None


def ticket_problem(d: Any) -> str | None:
    """Why a ticket's wire form (from a client or on the feed) cannot be true, or None.

    Types of enums and required fields are checked where the ticket is built
    (``Ticket.from_dict``); this checks what a type cannot say."""
    if not isinstance(d, dict):
        return "a ticket is an object"
    for k in TICKET_TIMES:
        # 0 is the "not set yet" of a client's new ticket (the platform sets it)
        if d.get(k, 0) not in (0, 0.0) or isinstance(d.get(k), bool):
            why = epoch_problem(k, d.get(k))
            if why:
                return why
    for k in TICKET_OPTIONAL_TIMES:
        why = epoch_problem(k, d.get(k), required=False)
        if why:
            return why
    for k in TICKET_COUNTS:
        v = d.get(k, 0)
        if not _is_int(v) or not 0 <= v <= MAX_COUNT:
            return f"{k} must be a whole number 0..{MAX_COUNT}"
    for k, longest in TICKET_TEXTS.items():
        v = d.get(k)
        if v is None:
            continue
        if not isinstance(v, str):
            return f"{k} must be text"
        if len(v) > longest:
            return f"{k} longer than {longest} characters"
    lat, lon = d.get("lat"), d.get("lon")
    if (lat is None) != (lon is None):
        return "lat and lon go together"
    if lat is not None:
        la, lo = finite_number(lat), finite_number(lon)
        if la is None or lo is None or not (-90 <= la <= 90 and -180 <= lo <= 180):
            return "lat/lon out of range"
    limit = finite_number(d.get("limit_hours", 72.0))
    if limit is None or not 0 < limit <= MAX_LIMIT_HOURS:
        return "limit_hours out of range"
    ext = finite_number(d.get("extension_hours", 0.0))
    if ext is None or not 0 <= ext <= MAX_LIMIT_HOURS:
        return "extension_hours out of range"
    sus = finite_number(d.get("suspended_seconds", 0.0))
    if sus is None or not 0 <= sus <= MAX_SUSPENDED_S:
        return "suspended_seconds out of range"
    atts = d.get("attachments") or []
    if not isinstance(atts, list | tuple) or len(atts) > MAX_ATTACHMENTS or not all(
            isinstance(a, str) and _DIGEST.fullmatch(a) for a in atts):
        return f"attachments must be up to {MAX_ATTACHMENTS} sha256 digests"
    grids = d.get("grids") or {}
    if not isinstance(grids, dict) or len(grids) > 16 or not all(
            isinstance(k, str) and isinstance(v, str) and len(k) <= 32 and len(v) <= 64
            for k, v in grids.items()):
        return "grids must map a few layer names to cell ids"
    req = d.get("extension_request")
    if req is not None:
        if not isinstance(req, dict):
            return "extension_request must be an object"
        hours = finite_number(req.get("hours"))
        if hours is None or not 0 < hours <= MAX_LIMIT_HOURS:
            return "extension_request.hours out of range"
    from console.domain.joint import wire_problem  # joint imports the model, not the reverse
    return wire_problem(d.get("co_handlers"))


def new_ticket_problem(d: Any) -> str | None:
    """``ticket_problem`` plus: the lifecycle's fields at their initial values (a
    client may not create a ticket already urged, verified or extended)."""
    why = ticket_problem(d)
    if why:
        return why
    set_ = sorted(k for k, initial in LIFECYCLE_FIELDS.items()
                  if k in d and d[k] != initial and not (initial is None and d[k] is None))
    if set_:
        return f"fields the platform keeps may not be set by a client: {', '.join(set_)}"
    if plausible_epoch(d.get("created_at")) is None and d.get("created_at", 0) not in (0, 0.0):
        return "created_at is not a plausible time"
    return None


#: duty record kind -> its instants (required ones first in the tuple of the pair)
RECORD_TIMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "handover": (("created_at",), ("signed_at", "acknowledged_at")),
    "roster": ((), ("created_at",)),
    "emergency": (("started_at",), ("ended_at",)),
    "emergency_item": ((), ("done_at",)),
    "duty_log": (("at",), ()),
    "alarm_disposition": (("at",), ()),
    "auth": (("at",), ("until",)),
    "command": (("at",), ()),
    "night_watch": (("handed_at",), ("taken_back_at",)),
    "alert_ack": (("at",), ("raised_at",)),
}
RECORD_DATES: dict[str, tuple[tuple[str, bool], ...]] = {
    "handover": (("shift_date", True),),
    "roster": (("date", True),),
    "night_watch": (("shift_date", True),),
    "duty_log": (("shift_date", False),),
}
#: a checklist has at most this many items (positions 0..MAX_CHECKLIST-1)
MAX_CHECKLIST = 200


def record_problem(kind: str, data: Any) -> str | None:
    """Why a duty record's ``data`` cannot be true (times, dates, positions), or None."""
    if not isinstance(data, dict):
        return "data is an object"
    required, optional = RECORD_TIMES.get(kind, ((), ()))
    for k in required:
        why = epoch_problem(k, data.get(k))
        if why:
            return why
    for k in optional:
        why = epoch_problem(k, data.get(k), required=False)
        if why:
            return why
    for k, req in RECORD_DATES.get(kind, ()):
        why = date_problem(k, data.get(k), required=req)
        if why:
            return why
    if kind == "emergency_item":
        pos = data.get("position")
        if not _is_int(pos) or not 0 <= pos < MAX_CHECKLIST:
            return f"position must be 0..{MAX_CHECKLIST - 1}"
    if kind == "emergency":
        lat, lon = data.get("lat"), data.get("lon")
        if (lat is None) != (lon is None):
            return "lat and lon go together"
        if lat is not None:
            la, lo = finite_number(lat), finite_number(lon)
            if la is None or lo is None or not (-90 <= la <= 90 and -180 <= lo <= 180):
                return "lat/lon out of range"
    return None
