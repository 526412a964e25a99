"""Display names for every enum value of the domain model, in the current language.

Panels never show an enum value (``"dispatched"``) to an officer; they call
``label(value)`` (or one of the typed helpers) and get ``"已派遣"`` in zh_CN or
``"Dispatched"`` in English. The English source strings are marked with
``QT_TRANSLATE_NOOP("labels", ...)`` so ``pyside6-lupdate`` finds them; the zh_CN
translations live in ``resources/i18n/shell.zh_CN.ts``.

Usage::

    from views.labels import label, state_label, LABELS
    state_label(TicketState.DISPATCHED)   # -> "已派遣"
    label(Priority.URGENT)                # any enum member of console.domain.model
    label("dispatched", TicketState)      # a raw wire value, with its enum
    choices(Channel)                      # [(value, display name), ...] for combo boxes
"""

from __future__ import annotations

import enum
from typing import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from console.domain.model import (
    Action,
    CategoryKind,
    Channel,
    Datum,
    GridLayer,
    LimitMode,
    LimitState,
    MicroGridType,
    Priority,
    Role,
    TicketState,
)

CONTEXT = "labels"

STATES: dict[TicketState, str] = {
    TicketState.PENDING: QT_TRANSLATE_NOOP("labels", "Pending"),
    TicketState.ACCEPTED: QT_TRANSLATE_NOOP("labels", "Accepted"),
    TicketState.REGISTERED: QT_TRANSLATE_NOOP("labels", "Registered"),
    TicketState.DISPATCHED: QT_TRANSLATE_NOOP("labels", "Dispatched"),
    TicketState.HANDLING: QT_TRANSLATE_NOOP("labels", "Handling"),
    TicketState.FEEDBACK: QT_TRANSLATE_NOOP("labels", "Feedback received"),
    TicketState.VERIFIED: QT_TRANSLATE_NOOP("labels", "Verified"),
    TicketState.CLOSED: QT_TRANSLATE_NOOP("labels", "Closed"),
    TicketState.ARCHIVED: QT_TRANSLATE_NOOP("labels", "Archived"),
    TicketState.SUSPENDED: QT_TRANSLATE_NOOP("labels", "Suspended"),
    TicketState.RETURNED: QT_TRANSLATE_NOOP("labels", "Returned"),
}

ACTIONS: dict[Action, str] = {
    Action.CREATE: QT_TRANSLATE_NOOP("labels", "Create"),
    Action.ACCEPT: QT_TRANSLATE_NOOP("labels", "Accept"),
    Action.REGISTER: QT_TRANSLATE_NOOP("labels", "Register"),
    Action.DISPATCH: QT_TRANSLATE_NOOP("labels", "Dispatch"),
    Action.HANDLE: QT_TRANSLATE_NOOP("labels", "Start handling"),
    Action.FEEDBACK: QT_TRANSLATE_NOOP("labels", "Report feedback"),
    Action.VERIFY: QT_TRANSLATE_NOOP("labels", "Verify"),
    Action.SECOND_REVIEW: QT_TRANSLATE_NOOP("labels", "Second review"),
    Action.CLOSE: QT_TRANSLATE_NOOP("labels", "Close"),
    Action.ARCHIVE: QT_TRANSLATE_NOOP("labels", "Archive"),
    Action.RETURN: QT_TRANSLATE_NOOP("labels", "Return to sender"),
    Action.REQUEST_EXTENSION: QT_TRANSLATE_NOOP("labels", "Request extension"),
    Action.APPROVE_EXTENSION: QT_TRANSLATE_NOOP("labels", "Approve extension"),
    Action.DENY_EXTENSION: QT_TRANSLATE_NOOP("labels", "Deny extension"),
    Action.SUSPEND: QT_TRANSLATE_NOOP("labels", "Suspend"),
    Action.RESUME: QT_TRANSLATE_NOOP("labels", "Resume"),
    Action.URGE: QT_TRANSLATE_NOOP("labels", "Urge"),
    Action.ESCALATE: QT_TRANSLATE_NOOP("labels", "Escalate one level"),
    Action.LEADER_DISPATCH: QT_TRANSLATE_NOOP("labels", "Request leader dispatch"),
    Action.INSTRUCT: QT_TRANSLATE_NOOP("labels", "Commander instruction"),
    Action.SELF_HANDLE: QT_TRANSLATE_NOOP("labels", "Self-handle"),
    Action.SET_KEY_SUPERVISION: QT_TRANSLATE_NOOP("labels", "Key supervision"),
    Action.ANNOTATE: QT_TRANSLATE_NOOP("labels", "Add note"),
    Action.MERGE: QT_TRANSLATE_NOOP("labels", "Merge as duplicate"),
    Action.UNMERGE: QT_TRANSLATE_NOOP("labels", "Undo merge"),
    Action.CLOSE_WITH_MAIN: QT_TRANSLATE_NOOP("labels", "Closed with main ticket"),
    Action.CO_FEEDBACK: QT_TRANSLATE_NOOP("labels", "Co-handler feedback"),
    Action.RELEASE_CO: QT_TRANSLATE_NOOP("labels", "Release co-handler"),
}

CHANNELS: dict[Channel, str] = {
    Channel.HOTLINE_12345: QT_TRANSLATE_NOOP("labels", "12345 citizen hotline"),
    Channel.HOTLINE_12319: QT_TRANSLATE_NOOP("labels", "12319 construction hotline"),
    Channel.GRID_INSPECTOR: QT_TRANSLATE_NOOP("labels", "Grid inspection"),
    Channel.JOINT_STATION: QT_TRANSLATE_NOOP("labels", "Joint-service station"),
    Channel.DEPT_PATROL: QT_TRANSLATE_NOOP("labels", "Department patrol"),
    Channel.IOT_ALARM: QT_TRANSLATE_NOOP("labels", "IoT sensing"),
    Channel.VIDEO_AI: QT_TRANSLATE_NOOP("labels", "Video AI detection"),
    Channel.LEADER: QT_TRANSLATE_NOOP("labels", "Assigned by leader"),
    Channel.SELF_FOUND: QT_TRANSLATE_NOOP("labels", "Self-found"),
    Channel.MEDIA: QT_TRANSLATE_NOOP("labels", "Media report"),
    Channel.DEPUTY_RECEPTION: QT_TRANSLATE_NOOP("labels", "Deputies' community reception"),
    Channel.CITIZEN_VISIT: QT_TRANSLATE_NOOP("labels", "Citizen inspection visit"),
    Channel.ONLINE_MEDIA: QT_TRANSLATE_NOOP("labels", "Online media"),
    Channel.THIRD_PARTY: QT_TRANSLATE_NOOP("labels", "Third-party supervision"),
    Channel.GRASSROOTS: QT_TRANSLATE_NOOP("labels", "Direct report from the grassroots"),
}

PRIORITIES: dict[Priority, str] = {
    Priority.NORMAL: QT_TRANSLATE_NOOP("labels", "Normal"),
    Priority.URGENT: QT_TRANSLATE_NOOP("labels", "Urgent"),
    Priority.CRITICAL: QT_TRANSLATE_NOOP("labels", "Critical"),
}

CATEGORY_KINDS: dict[CategoryKind, str] = {
    CategoryKind.COMPONENT: QT_TRANSLATE_NOOP("labels", "Component"),
    CategoryKind.EVENT: QT_TRANSLATE_NOOP("labels", "Event"),
}

ROLES: dict[Role, str] = {
    Role.OFFICER: QT_TRANSLATE_NOOP("labels", "Platform information officer"),
    Role.SHIFT_LEADER: QT_TRANSLATE_NOOP("labels", "Shift leader"),
    Role.COMMANDER: QT_TRANSLATE_NOOP("labels", "Rotating commander"),
    Role.ADMIN: QT_TRANSLATE_NOOP("labels", "Administrator"),
    Role.DEPARTMENT: QT_TRANSLATE_NOOP("labels", "Handling department"),
    Role.DISTRICT: QT_TRANSLATE_NOOP("labels", "District platform"),
    Role.SYSTEM: QT_TRANSLATE_NOOP("labels", "System"),
}

LIMIT_STATES: dict[LimitState, str] = {
    LimitState.ON_TIME: QT_TRANSLATE_NOOP("labels", "On time"),
    LimitState.WARNING: QT_TRANSLATE_NOOP("labels", "Due soon"),
    LimitState.OVERDUE: QT_TRANSLATE_NOOP("labels", "Overdue"),
    LimitState.SUSPENDED: QT_TRANSLATE_NOOP("labels", "Clock paused"),
    LimitState.DONE: QT_TRANSLATE_NOOP("labels", "Done"),
}

LIMIT_MODES: dict[LimitMode, str] = {
    LimitMode.CALENDAR: QT_TRANSLATE_NOOP("labels", "Calendar hours"),
    LimitMode.WORKING: QT_TRANSLATE_NOOP("labels", "Working hours"),
}

GRID_LAYERS: dict[GridLayer, str] = {
    GridLayer.DISTRICT: QT_TRANSLATE_NOOP("labels", "District"),
    GridLayer.STREET: QT_TRANSLATE_NOOP("labels", "Street"),
    GridLayer.RESP_GRID: QT_TRANSLATE_NOOP("labels", "Responsibility grid"),
    GridLayer.COMMITTEE: QT_TRANSLATE_NOOP("labels", "Village/residents' committee"),
    GridLayer.MICRO_GRID: QT_TRANSLATE_NOOP("labels", "Micro-grid"),
}

MICRO_GRID_TYPES: dict[MicroGridType, str] = {
    MicroGridType.RESIDENTIAL: QT_TRANSLATE_NOOP("labels", "Residential compound"),
    MicroGridType.ENTERPRISE: QT_TRANSLATE_NOOP("labels", "Enterprise/park"),
    MicroGridType.OFFICE: QT_TRANSLATE_NOOP("labels", "Office building"),
    MicroGridType.COMMERCIAL: QT_TRANSLATE_NOOP("labels", "Commercial complex"),
    MicroGridType.PUBLIC_INSTITUTION: QT_TRANSLATE_NOOP("labels", "Public institution"),
    MicroGridType.SCHOOL: QT_TRANSLATE_NOOP("labels", "School"),
    MicroGridType.SCENIC: QT_TRANSLATE_NOOP("labels", "Scenic area"),
    MicroGridType.CULTURE_SPORTS: QT_TRANSLATE_NOOP("labels", "Culture/sports venue"),
    MicroGridType.MEDICAL: QT_TRANSLATE_NOOP("labels", "Medical facility"),
    MicroGridType.ELDERLY_CARE: QT_TRANSLATE_NOOP("labels", "Elderly care"),
    MicroGridType.CONSTRUCTION: QT_TRANSLATE_NOOP("labels", "Construction site"),
    MicroGridType.PUBLIC_AREA: QT_TRANSLATE_NOOP("labels", "Public area"),
    MicroGridType.OTHER: QT_TRANSLATE_NOOP("labels", "Other"),
}

DATUMS: dict[Datum, str] = {
    Datum.WGS84: QT_TRANSLATE_NOOP("labels", "WGS-84"),
    Datum.GCJ02: QT_TRANSLATE_NOOP("labels", "GCJ-02 (Mars coordinates)"),
    Datum.CGCS2000: QT_TRANSLATE_NOOP("labels", "CGCS2000"),
}

#: Shift codes used by the roster (三班二运转) -> display names.
SHIFTS: dict[str, str] = {
    "day": QT_TRANSLATE_NOOP("labels", "Day shift 07:00-15:00"),
    "evening": QT_TRANSLATE_NOOP("labels", "Evening shift 15:00-23:00"),
    "night": QT_TRANSLATE_NOOP("labels", "Night shift 23:00-07:00"),
    "all": QT_TRANSLATE_NOOP("labels", "All day"),
}

#: Link states of console.sync.linkstate -> display names.
#: Every enum of console.domain.model with its table.
LABELS: dict[type[enum.Enum], dict] = {
    TicketState: STATES,
    Action: ACTIONS,
    Channel: CHANNELS,
    Priority: PRIORITIES,
    CategoryKind: CATEGORY_KINDS,
    Role: ROLES,
    LimitState: LIMIT_STATES,
    LimitMode: LIMIT_MODES,
    GridLayer: GRID_LAYERS,
    MicroGridType: MICRO_GRID_TYPES,
    Datum: DATUMS,
}


def _tr(source: str) -> str:
    return QCoreApplication.translate(CONTEXT, source)


def label(value: enum.Enum | str | None, enum_type: type[enum.Enum] | None = None) -> str:
    """Display name of an enum member (or of a raw wire value given its enum type).

    Unknown values come back unchanged rather than raising: a newer platform may send
    a value this build does not know, and the officer should still see something.
    """
    if value is None:
        return ""
    if enum_type is None:
        enum_type = type(value) if isinstance(value, enum.Enum) else None
    table = LABELS.get(enum_type) if enum_type is not None else None
    if table is None:
        return str(value.value if isinstance(value, enum.Enum) else value)
    try:
        member = enum_type(value.value if isinstance(value, enum.Enum) else value)
    except ValueError:
        return str(value)
    source = table.get(member)
    return _tr(source) if source else str(member.value)


def state_label(value: TicketState | str | None) -> str:
    return label(value, TicketState)


def action_label(value: Action | str | None) -> str:
    return label(value, Action)


def channel_label(value: Channel | str | None) -> str:
    return label(value, Channel)


def priority_label(value: Priority | str | None) -> str:
    return label(value, Priority)


def role_label(value: Role | str | None) -> str:
    return label(value, Role)


def limit_state_label(value: LimitState | str | None) -> str:
    return label(value, LimitState)


def layer_label(value: GridLayer | str | None) -> str:
    return label(value, GridLayer)


def micro_type_label(value: MicroGridType | str | None) -> str:
    return label(value, MicroGridType)


def shift_label(code: str | None) -> str:
    if not code:
        return ""
    source = SHIFTS.get(code)
    return _tr(source) if source else code


def choices(enum_type: type[enum.Enum], members: Iterable[enum.Enum] | None = None) -> list[tuple[str, str]]:
    """``[(wire value, display name), ...]`` in declaration order, for combo boxes."""
    return [(m.value, label(m, enum_type)) for m in (members if members is not None else enum_type)]


#: posts (岗位, ``console.domain.posts``) as the hall names them
POSTS: dict[str, str] = {
    "hotline": QT_TRANSLATE_NOOP("labels", "Hotline desk"),
    "grid": QT_TRANSLATE_NOOP("labels", "Grid desk"),
    "unified": QT_TRANSLATE_NOOP("labels", "Unified management desk"),
    "shift_leader": QT_TRANSLATE_NOOP("labels", "Platform shift leader"),
    "technician": QT_TRANSLATE_NOOP("labels", "Technician"),
}


def post_label(post: str | None) -> str:
    """Display name of a post; an unknown one comes back unchanged."""
    if not post:
        return ""
    text = POSTS.get(post)
    return QCoreApplication.translate(CONTEXT, text) if text else post

