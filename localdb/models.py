"""Tables of the local store (SQLAlchemy 2 typed declarative).

The migrations in ``localdb/migrations/versions`` are the source of truth for the
schema on disk; these classes describe the same tables for queries. Ticket rows are
the flattened ``console.domain.model.Ticket`` plus a few local columns (``pending``,
``attention``, ``last_actor_id``, ``limit_deadline``, ``priority_rank``).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    literal_column,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from console.domain.model import OPEN_STATES


class Base(DeclarativeBase):
    pass


#: Columns after the sort key(s) in the sort indexes: row id, then the filter columns.
SORT_INDEX_TAIL = ("rid", "state", "channel", "category_code", "grid_resp", "department_id",
                   "priority")
#: what ix_tickets_limit_deadline carries after the deadline (revision 0023)
LIMIT_INDEX_TAIL = (*SORT_INDEX_TAIL, "created_at", "updated_at", "pending")


#: The open states as the index expression spells them (revision 0009 writes the same
#: list; tests/localdb/test_priority_open_first.py checks they agree).
OPEN_STATES_SQL = "state IN (" + ", ".join(f"'{s}'" for s in sorted(s.value for s in OPEN_STATES)) + ")"

#: The priority order's leading keys (descending: most urgent first), as expressions
#: over ``tickets`` so that the queue's ORDER BY and the index read the same text:
#: open work first (a closed 特急 ticket is done), then 特急, then running clocks by
#: time left.
PRIORITY_ORDER = (
    literal_column(OPEN_STATES_SQL),
    literal_column("priority_rank >= 2"),
    literal_column("limit_deadline IS NOT NULL"),
    literal_column("-limit_deadline"),
)


class TicketRow(Base):
    __tablename__ = "tickets"

    rid: Mapped[int] = mapped_column(Integer, primary_key=True)  # rowid: the queue's row id
    id: Mapped[str] = mapped_column(String, unique=True)
    state: Mapped[str] = mapped_column(String)
    channel: Mapped[str] = mapped_column(String)
    category_kind: Mapped[str] = mapped_column(String)
    category_code: Mapped[str] = mapped_column(String)
    category_name: Mapped[str] = mapped_column(String, default="")
    big_code: Mapped[str] = mapped_column(String, default="")
    big_name: Mapped[str] = mapped_column(String, default="")
    priority: Mapped[str] = mapped_column(String, default="normal")
    priority_rank: Mapped[int] = mapped_column(Integer, default=0)
    number: Mapped[str | None] = mapped_column(String)
    version: Mapped[int] = mapped_column(Integer, default=0)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    source_datum: Mapped[str] = mapped_column(String, default="WGS84")
    address: Mapped[str] = mapped_column(Text, default="")
    grid_district: Mapped[str | None] = mapped_column(String)
    grid_street: Mapped[str | None] = mapped_column(String)
    grid_resp: Mapped[str | None] = mapped_column(String)
    grid_committee: Mapped[str | None] = mapped_column(String)
    grid_micro: Mapped[str | None] = mapped_column(String)
    description: Mapped[str] = mapped_column(Text, default="")
    reporter_name: Mapped[str] = mapped_column(String, default="")
    reporter_phone: Mapped[str] = mapped_column(String, default="")
    attachments: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of sha256
    department_id: Mapped[str | None] = mapped_column(String)
    created_at: Mapped[float] = mapped_column(Float, default=0.0)
    updated_at: Mapped[float] = mapped_column(Float, default=0.0)
    clock_start: Mapped[float | None] = mapped_column(Float)
    limit_hours: Mapped[float] = mapped_column(Float, default=72.0)
    limit_mode: Mapped[str] = mapped_column(String, default="calendar")
    extension_hours: Mapped[float] = mapped_column(Float, default=0.0)
    suspended_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    suspended_since: Mapped[float | None] = mapped_column(Float)
    resume_state: Mapped[str | None] = mapped_column(String)
    deadline: Mapped[float | None] = mapped_column(Float)
    extension_request: Mapped[str | None] = mapped_column(Text)  # JSON
    urge_count: Mapped[int] = mapped_column(Integer, default=0)
    escalation_level: Mapped[int] = mapped_column(Integer, default=0)
    needs_commander: Mapped[bool] = mapped_column(Boolean, default=False)
    commander_reason: Mapped[str] = mapped_column(String, default="")
    key_supervision: Mapped[bool] = mapped_column(Boolean, default=False)
    verified_by: Mapped[str | None] = mapped_column(String)
    reviewed_by: Mapped[str | None] = mapped_column(String)
    rework_count: Mapped[int] = mapped_column(Integer, default=0)
    closed_at: Mapped[float | None] = mapped_column(Float)
    closed_on_time: Mapped[bool | None] = mapped_column(Boolean)
    # local columns
    pending: Mapped[int] = mapped_column(Integer, default=0)  # unsent outbox entries
    attention: Mapped[bool] = mapped_column(Boolean, default=False)
    last_actor_id: Mapped[str | None] = mapped_column(String)
    # deadline while the clock runs (open and not suspended), else NULL: lets the
    # limit-state filters be index range scans.
    limit_deadline: Mapped[float | None] = mapped_column(Float)
    # the warning lead of the ticket's category in the platform's catalogue (seconds),
    # NULL: the hall's default (revision 0005)
    warn_lead_s: Mapped[float | None] = mapped_column(Float)
    # 并案: the main ticket this one follows (revision 0014)
    duplicate_of: Mapped[str | None] = mapped_column(String)
    # joint handling: the co-handlers beside the lead, JSON (console.domain.joint; revision 0017)
    co_handlers: Mapped[str | None] = mapped_column(Text)

    # Every index costs on each feed upsert, so only those the queue needs. The filter
    # indexes carry the sort keys (covering: filter + sort without touching the wide
    # rows); flags that are rarely set use partial indexes (nearly free for the bulk of
    # closed tickets). ix_tickets_limit_deadline serves the limit states
    # (``localdb.limits``), the priority indexes the queue's priority order.
    __table_args__ = (
        Index("ix_tickets_state_cover", "state", "created_at", "priority_rank", "deadline", "updated_at"),
        Index("ix_tickets_channel_cover", "channel", "state", "created_at", "priority_rank", "deadline", "updated_at"),
        Index("ix_tickets_category_cover", "category_code", "state", "created_at", "priority_rank", "deadline", "updated_at"),
        Index("ix_tickets_grid_resp_cover", "grid_resp", "state", "created_at", "priority_rank", "deadline", "updated_at"),
        Index("ix_tickets_grid_committee", "grid_committee"),
        Index("ix_tickets_grid_micro", "grid_micro"),
        Index("ix_tickets_department_cover", "department_id", "state", "created_at", "priority_rank", "deadline", "updated_at"),
        # Sort indexes (revision 0003): the sort key, the row id (the tie-break, so the
        # walk needs no sort step) and the common filter columns, so that walking one
        # in order and filtering reads index entries only, never the wide rows.
        Index("ix_tickets_deadline", "deadline", *SORT_INDEX_TAIL),
        # the queue's priority order (revisions 0005, 0009): open first, then 特急, then
        # by time left (overdue first), tickets whose clock has not started newest first
        Index("ix_tickets_priority_order", *PRIORITY_ORDER, "created_at", *SORT_INDEX_TAIL),
        Index("ix_tickets_state_priority", "state", *PRIORITY_ORDER, "created_at", "rid"),
        Index("ix_tickets_created", "created_at", *SORT_INDEX_TAIL),
        Index("ix_tickets_updated", "updated_at", *SORT_INDEX_TAIL),
        Index("ix_tickets_latlon", "lat", "lon"),
        Index("ix_tickets_duplicate_of", "duplicate_of",
              sqlite_where=text("duplicate_of IS NOT NULL"), postgresql_where=text("duplicate_of IS NOT NULL")),
        # revision 0023: the limit-state tabs' range carries the filter and sort columns
        Index("ix_tickets_limit_deadline", "limit_deadline", "warn_lead_s", *LIMIT_INDEX_TAIL,
              sqlite_where=text("limit_deadline IS NOT NULL"), postgresql_where=text("limit_deadline IS NOT NULL")),
        Index("ix_tickets_needs_commander", "created_at",
              sqlite_where=text("needs_commander = 1"), postgresql_where=text("needs_commander = 1")),
        Index("ix_tickets_pending", "created_at",
              sqlite_where=text("pending > 0"), postgresql_where=text("pending > 0")),
        # revision 0015: the 重点监管 filter and the 同步 column's sort (pending first)
        Index("ix_tickets_key_supervision", "created_at", *SORT_INDEX_TAIL,
              sqlite_where=text("key_supervision = 1"), postgresql_where=text("key_supervision = 1")),
        Index("ix_tickets_pending_order", "pending", "created_at", *SORT_INDEX_TAIL,
              sqlite_where=text("pending > 0"), postgresql_where=text("pending > 0")),
        Index("ix_tickets_attention", "created_at",
              sqlite_where=text("attention = 1"), postgresql_where=text("attention = 1")),
        Index("ix_tickets_last_actor", "last_actor_id", "updated_at",
              sqlite_where=text("last_actor_id IS NOT NULL"), postgresql_where=text("last_actor_id IS NOT NULL")),
        # revision 0003: grid filters on the street/district layers, closure rates
        Index("ix_tickets_grid_street", "grid_street", "created_at"),
        Index("ix_tickets_grid_district", "grid_district", "created_at"),
        Index("ix_tickets_closed_at", "closed_at", sqlite_where=text("closed_at IS NOT NULL"), postgresql_where=text("closed_at IS NOT NULL")),
    )


class TicketBase(Base):
    """Platform state of a ticket that has local actions not yet confirmed."""

    __tablename__ = "ticket_base"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)  # Ticket.to_dict() JSON


class TicketEvent(Base):
    __tablename__ = "ticket_events"
    event_id: Mapped[str] = mapped_column(String, primary_key=True)
    ticket_id: Mapped[str] = mapped_column(String, index=True)
    action: Mapped[str] = mapped_column(String)
    actor: Mapped[str] = mapped_column(Text)  # JSON
    actor_id: Mapped[str | None] = mapped_column(String)
    at: Mapped[float] = mapped_column(Float)
    from_state: Mapped[str | None] = mapped_column(String)
    to_state: Mapped[str | None] = mapped_column(String)
    params: Mapped[str] = mapped_column(Text, default="{}")
    local: Mapped[bool] = mapped_column(Boolean, default=False)  # optimistic, not yet on the feed
    command_id: Mapped[str | None] = mapped_column(String)


class Category(Base):
    __tablename__ = "categories"
    id: Mapped[str] = mapped_column(String, primary_key=True)  # "<kind>:<code>"
    kind: Mapped[str] = mapped_column(String)
    code: Mapped[str] = mapped_column(String, index=True)
    big_code: Mapped[str] = mapped_column(String, default="")
    big_name: Mapped[str] = mapped_column(String, default="")
    small_name: Mapped[str] = mapped_column(String, default="")
    limit_hours: Mapped[float] = mapped_column(Float, default=72.0)
    limit_mode: Mapped[str] = mapped_column(String, default="calendar")
    urgent_limit_hours: Mapped[float | None] = mapped_column(Float)
    warning_lead_minutes: Mapped[float | None] = mapped_column(Float)  # None: hall default
    simple: Mapped[bool] = mapped_column(Boolean, default=False)  # 自行处置 allowed (category_rules)
    dangerous: Mapped[bool] = mapped_column(Boolean, default=False)  # 重点监管 at intake (category_rules)
    closure_standard: Mapped[str] = mapped_column(Text, default="[]")  # JSON list: 结案标准


class Department(Base):
    __tablename__ = "departments"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    kind: Mapped[str] = mapped_column(String, default="other")
    phone: Mapped[str] = mapped_column(String, default="")


class Responsibility(Base):
    __tablename__ = "responsibilities"
    id: Mapped[str] = mapped_column(String, primary_key=True)  # "<kind>:<code>:<grid_id>"
    category_kind: Mapped[str] = mapped_column(String)
    category_code: Mapped[str] = mapped_column(String)
    grid_id: Mapped[str] = mapped_column(String)
    department_id: Mapped[str] = mapped_column(String)
    __table_args__ = (Index("ix_resp_cat_grid", "category_code", "grid_id"),)


class Grid(Base):
    __tablename__ = "grids"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    layer: Mapped[str] = mapped_column(String, index=True)
    name: Mapped[str] = mapped_column(String, default="")
    code: Mapped[str] = mapped_column(String, default="")
    parent_id: Mapped[str | None] = mapped_column(String)
    micro_type: Mapped[str | None] = mapped_column(String)
    min_lat: Mapped[float | None] = mapped_column(Float)
    min_lon: Mapped[float | None] = mapped_column(Float)
    max_lat: Mapped[float | None] = mapped_column(Float)
    max_lon: Mapped[float | None] = mapped_column(Float)
    feature: Mapped[str] = mapped_column(Text)  # GeoJSON Feature text (WGS-84)


class Camera(Base):
    __tablename__ = "cameras"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    grid_id: Mapped[str | None] = mapped_column(String)
    online: Mapped[bool] = mapped_column(Boolean, default=True)
    stream_url: Mapped[str] = mapped_column(String, default="")
    substream_url: Mapped[str] = mapped_column(String, default="")
    source: Mapped[str] = mapped_column(String, default="street")
    security_level: Mapped[int | None] = mapped_column(Integer)  # 1..3; NULL counts as internal (2)
    __table_args__ = (Index("ix_cameras_latlon", "lat", "lon"),)


class Sensor(Base):
    __tablename__ = "sensors"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String, default="")
    type: Mapped[str] = mapped_column(String, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    grid_id: Mapped[str | None] = mapped_column(String)
    status: Mapped[str] = mapped_column(String, default="normal")
    value: Mapped[float | None] = mapped_column(Float)       # latest reading (None: none / not showable)
    unit: Mapped[str | None] = mapped_column(String)
    threshold: Mapped[float | None] = mapped_column(Float)
    reading_at: Mapped[float | None] = mapped_column(Float)
    reading_error: Mapped[str | None] = mapped_column(String)  # why the last reading is not shown
    access_mode: Mapped[str | None] = mapped_column(String)    # device | platform
    via: Mapped[str | None] = mapped_column(String)            # the platform it comes through
    online: Mapped[bool] = mapped_column(Boolean, default=True)


class Alarm(Base):
    __tablename__ = "alarms"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    sensor_id: Mapped[str | None] = mapped_column(String, index=True)
    type: Mapped[str] = mapped_column(String, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    raised_at: Mapped[float | None] = mapped_column(Float, index=True)
    cleared_at: Mapped[float | None] = mapped_column(Float)
    ticket_id: Mapped[str | None] = mapped_column(String)
    level: Mapped[str | None] = mapped_column(String)
    disposition: Mapped[str | None] = mapped_column(String)  # ticket | linked | dismissed
    disposed_at: Mapped[float | None] = mapped_column(Float)
    disposed_by: Mapped[str | None] = mapped_column(String)
    dismiss_reason: Mapped[str | None] = mapped_column(String)
    note: Mapped[str | None] = mapped_column(String)


class DeviceEvent(Base):
    """A camera or sensor going offline or coming back (from the platform's feed)."""

    __tablename__ = "device_events"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    device_kind: Mapped[str] = mapped_column(String)  # camera | sensor
    device_id: Mapped[str] = mapped_column(String)
    event: Mapped[str] = mapped_column(String)        # offline | online
    at: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_device_events_device", "device_id", "at"),
                      Index("ix_device_events_at", "at"))


class RosterEntry(Base):
    """Duty roster. History is kept: an override is a new row that ``replaces`` the
    old one (whose ``superseded_by`` is then set); nothing is deleted locally."""

    __tablename__ = "roster"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    date: Mapped[str] = mapped_column(String)  # YYYY-MM-DD (Asia/Shanghai)
    shift: Mapped[str] = mapped_column(String)  # day|evening|night|all
    role: Mapped[str] = mapped_column(String)
    person_id: Mapped[str] = mapped_column(String)
    name: Mapped[str] = mapped_column(String, default="")
    phone: Mapped[str] = mapped_column(String, default="")
    replaces: Mapped[str | None] = mapped_column(String)
    superseded_by: Mapped[str | None] = mapped_column(String)
    local: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String, default="")
    created_at: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (Index("ix_roster_date_shift", "date", "shift"),)


class User(Base):
    __tablename__ = "users"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    name: Mapped[str] = mapped_column(String)
    role: Mapped[str] = mapped_column(String)
    #: argon2id verifier made at this desk (console.domain.auth), or an old sha256 one
    verifier: Mapped[str] = mapped_column(String, default="")
    kdf: Mapped[str] = mapped_column(Text, default="")  # the platform's salt/params (JSON)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)


class LoginAttempts(Base):
    """Wrong PINs in a row for one user at one desk, and the lock they led to."""

    __tablename__ = "login_attempts"
    user_id: Mapped[str] = mapped_column(String, primary_key=True)
    workstation: Mapped[str] = mapped_column(String, primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locks: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[float | None] = mapped_column(Float)
    updated_at: Mapped[float | None] = mapped_column(Float)


class OutboxEntry(Base):
    __tablename__ = "outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    command_id: Mapped[str] = mapped_column(String, unique=True)
    ticket_id: Mapped[str] = mapped_column(String)
    verb: Mapped[str] = mapped_column(String)
    params: Mapped[str] = mapped_column(Text, default="{}")
    expected_version: Mapped[int | None] = mapped_column(Integer)
    actor: Mapped[str] = mapped_column(Text)  # JSON
    issued_at: Mapped[float] = mapped_column(Float)
    # queued | inflight | done | needs_attention | discarded | redone
    status: Mapped[str] = mapped_column(String, default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result_code: Mapped[str | None] = mapped_column(String)
    reason: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[float | None] = mapped_column(Float)
    replaced_by: Mapped[str | None] = mapped_column(String)
    __table_args__ = (
        Index("ix_outbox_status_seq", "status", "seq"),
        Index("ix_outbox_ticket_status", "ticket_id", "status"),
        {"sqlite_autoincrement": True},
    )


class Attachment(Base):
    __tablename__ = "attachments"
    sha256: Mapped[str] = mapped_column(String, primary_key=True)
    path: Mapped[str] = mapped_column(Text)  # local file
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String, default="application/octet-stream")
    ticket_id: Mapped[str | None] = mapped_column(String, index=True)
    upload_offset: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String, default="pending")  # pending|uploading|done|failed
    created_at: Mapped[float | None] = mapped_column(Float)


class SyncState(Base):
    __tablename__ = "sync_state"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class JournalEntry(Base):
    __tablename__ = "journal"
    __table_args__ = {"sqlite_autoincrement": True}
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String)
    entity_id: Mapped[str] = mapped_column(String)
    at: Mapped[float] = mapped_column(Float)


class Quarantine(Base):
    """Feed items that could not be applied, with the reason (kept for support)."""

    __tablename__ = "quarantine"
    __table_args__ = {"sqlite_autoincrement": True}
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    seq: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str | None] = mapped_column(String)
    entity_id: Mapped[str | None] = mapped_column(String)
    reason: Mapped[str] = mapped_column(Text)
    payload: Mapped[str] = mapped_column(Text)  # truncated raw item
    at: Mapped[float] = mapped_column(Float)


class AuditLog(Base):
    """Local audit of officer actions that do not reach the platform (reveal a
    reporter's phone, discard an outbox entry)."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float)
    actor_id: Mapped[str] = mapped_column(String)
    actor: Mapped[str] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String)
    ticket_id: Mapped[str | None] = mapped_column(String, index=True)
    details: Mapped[str] = mapped_column(Text, default="{}")
    prev_hash: Mapped[str] = mapped_column(String, default="")
    hash: Mapped[str] = mapped_column(String, default="")


class SettingKV(Base):
    __tablename__ = "settings_kv"
    key: Mapped[str] = mapped_column(String, primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- revision 0002: duty hall records -------------------------------------------


class DutyLog(Base):
    __tablename__ = "duty_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[float] = mapped_column(Float, index=True)
    kind: Mapped[str] = mapped_column(String)  # note|call|incident|link|handover|emergency|...
    text: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[str] = mapped_column(String)
    actor: Mapped[str] = mapped_column(Text)
    ticket_id: Mapped[str | None] = mapped_column(String)
    shift_date: Mapped[str | None] = mapped_column(String)
    shift: Mapped[str | None] = mapped_column(String)


class Handover(Base):
    __tablename__ = "handovers"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    created_at: Mapped[float] = mapped_column(Float, index=True)
    shift_date: Mapped[str] = mapped_column(String)
    shift: Mapped[str] = mapped_column(String)
    from_user: Mapped[str] = mapped_column(String)
    to_user: Mapped[str | None] = mapped_column(String)
    summary: Mapped[str] = mapped_column(Text, default="{}")  # JSON snapshot of the shift
    notes: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[float | None] = mapped_column(Float)
    acknowledged_at: Mapped[float | None] = mapped_column(Float)
    acknowledged_by: Mapped[str | None] = mapped_column(String)
    state: Mapped[str] = mapped_column(String, default="draft")  # draft|signed|acknowledged


class Emergency(Base):
    __tablename__ = "emergencies"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    kind: Mapped[str] = mapped_column(String)
    title: Mapped[str] = mapped_column(String, default="")
    level: Mapped[str] = mapped_column(String, default="")
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    ticket_id: Mapped[str | None] = mapped_column(String)
    started_at: Mapped[float] = mapped_column(Float)
    started_by: Mapped[str] = mapped_column(String)
    ended_at: Mapped[float | None] = mapped_column(Float)
    ended_by: Mapped[str | None] = mapped_column(String)
    summary: Mapped[str] = mapped_column(Text, default="")
    # revision 0011: the plan version it runs, where (and how the place was found), why
    # it ended with open items, and its level changes ([{"level","at","by","reason"}])
    plan_id: Mapped[str | None] = mapped_column(String)
    plan_version: Mapped[int | None] = mapped_column(Integer)
    address: Mapped[str | None] = mapped_column(Text)
    location_source: Mapped[str | None] = mapped_column(String)
    end_reason: Mapped[str | None] = mapped_column(Text)
    levels: Mapped[str | None] = mapped_column(Text)


class EmergencyItem(Base):
    __tablename__ = "emergency_items"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    emergency_id: Mapped[str] = mapped_column(
        String, ForeignKey("emergencies.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    done_at: Mapped[float | None] = mapped_column(Float)
    done_by: Mapped[str | None] = mapped_column(String)
    owner: Mapped[str | None] = mapped_column(String)  # revision 0011: the plan step's owner
    limit_min: Mapped[float | None] = mapped_column(Float)  # minutes after the start
    step: Mapped[str | None] = mapped_column(String)  # the plan step's id
    __table_args__ = (UniqueConstraint("emergency_id", "position"),)


class Plan(Base):
    """Revision 0011: an emergency plan (预案) as the platform sent it, newest version."""

    __tablename__ = "plans"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    type: Mapped[str] = mapped_column(String, index=True)
    name: Mapped[str] = mapped_column(String)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[str] = mapped_column(Text)


class Resource(Base):
    """Revision 0013: an emergency resource from the platform — a supply (应急物资: what,
    how many, where) or a force (应急力量: team, contact, status); the entry in ``data``."""

    __tablename__ = "resources"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    category: Mapped[str] = mapped_column(String, index=True)
    name: Mapped[str] = mapped_column(String)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    status: Mapped[str | None] = mapped_column(String)
    data: Mapped[str] = mapped_column(Text)


class PlanVersion(Base):
    """Every plan version this desk has seen (a running emergency keeps its own)."""

    __tablename__ = "plan_versions"
    plan_id: Mapped[str] = mapped_column(String, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[str] = mapped_column(Text)


class EmergencySend(Base):
    """Revision 0011: what the hall sent the district during an emergency — a scene video
    push, the conference record, a warning version — and when the platform confirmed it
    (``confirmed_at``: the platform's time on the record's return over the feed)."""

    __tablename__ = "emergency_sends"
    id: Mapped[str] = mapped_column(String, primary_key=True)  # the duty record id
    emergency_id: Mapped[str] = mapped_column(String, index=True)
    kind: Mapped[str] = mapped_column(String)  # video_push | conference | warning
    entity_id: Mapped[str] = mapped_column(String)  # the push / conference / warning id
    at: Mapped[float] = mapped_column(Float)
    by: Mapped[str] = mapped_column(String)
    data: Mapped[str] = mapped_column(Text)
    confirmed_at: Mapped[float | None] = mapped_column(Float)


class LinkOutage(Base):
    __tablename__ = "link_outages"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[float] = mapped_column(Float, index=True)
    ended_at: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text, default="")
    queued_at_end: Mapped[int | None] = mapped_column(Integer)


#: Tables created by revision 0002 (used to split the autogenerated schema).
REVISION_2_TABLES = ("duty_log", "handovers", "emergencies", "emergency_items", "link_outages")


# --- revision 0004: hall mode ---------------------------------------------------


class Desk(Base):
    """A running desk and what its officer has open (presence); see localdb.hall."""

    __tablename__ = "desks"
    workstation: Mapped[str] = mapped_column(String, primary_key=True)
    label: Mapped[str] = mapped_column(String, default="", server_default="")
    user_id: Mapped[str | None] = mapped_column(String)
    user_name: Mapped[str | None] = mapped_column(String)
    ticket_id: Mapped[str | None] = mapped_column(String)
    activity: Mapped[str | None] = mapped_column(String)
    pid: Mapped[int | None] = mapped_column(Integer)
    host: Mapped[str | None] = mapped_column(String)
    started_at: Mapped[float] = mapped_column(Float)
    heartbeat_at: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_desks_ticket", "ticket_id", "heartbeat_at"),)


class CommandMark(Base):
    """A command-chain member's login/logout, off/on post or hand-over (console.domain.command)."""

    __tablename__ = "command_marks"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    person_id: Mapped[str] = mapped_column(String)
    event: Mapped[str] = mapped_column(String)
    at: Mapped[float] = mapped_column(Float)
    workstation: Mapped[str] = mapped_column(String, default="", server_default="")
    to_person: Mapped[str] = mapped_column(String, default="", server_default="")
    note: Mapped[str] = mapped_column(String, default="", server_default="")
    __table_args__ = (Index("ix_command_marks_at", "at"),)


class NightWatch(Base):
    """The night's live video watch handed to the police station, and taken back."""

    __tablename__ = "night_watches"
    id: Mapped[str] = mapped_column(String, primary_key=True)
    shift_date: Mapped[str] = mapped_column(String)
    station: Mapped[str] = mapped_column(String)
    handed_by: Mapped[str] = mapped_column(String)
    handed_at: Mapped[float] = mapped_column(Float)
    details: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")
    taken_back_by: Mapped[str | None] = mapped_column(String)
    taken_back_at: Mapped[float | None] = mapped_column(Float)
    summary: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (Index("ix_night_watches_date", "shift_date"),)
