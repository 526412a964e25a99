"""The duty hall's vocabulary: ticket states, channels, roles, the ticket record.

Plain Python, no Qt, no storage. Every other layer (local store, sync, simulator,
panels) speaks in these terms. Enum *values* are the wire and database spelling and
must never change once released; display names live in ``console.domain.labels``.
"""

from __future__ import annotations

import dataclasses
import enum
import uuid
from dataclasses import dataclass, field
from typing import Any


class TicketState(enum.StrEnum):
    """Lifecycle states (受理 -> 立案 -> 派遣 -> 处置 -> 反馈 -> 核查 -> 结案 -> 存档)."""

    PENDING = "pending"          # 待受理: arrived, nobody accepted it yet
    ACCEPTED = "accepted"        # 已受理
    REGISTERED = "registered"    # 已立案
    DISPATCHED = "dispatched"    # 已派遣 (to a department)
    HANDLING = "handling"        # 处置中 (department working on it)
    FEEDBACK = "feedback"        # 已反馈 (department reported done)
    VERIFIED = "verified"        # 已核查 (centre checked the result on site)
    CLOSED = "closed"            # 已结案
    ARCHIVED = "archived"        # 已存档
    SUSPENDED = "suspended"      # 挂账 (long-standing problem, clock paused)
    RETURNED = "returned"        # 已退单 (returned to the sender: not ours)


#: States in which the ticket is still open work for the hall.
OPEN_STATES = frozenset(
    {
        TicketState.PENDING,
        TicketState.ACCEPTED,
        TicketState.REGISTERED,
        TicketState.DISPATCHED,
        TicketState.HANDLING,
        TicketState.FEEDBACK,
        TicketState.VERIFIED,
        TicketState.SUSPENDED,
    }
)
#: States that end the work on a ticket (the time limit no longer runs).
DONE_STATES = frozenset({TicketState.CLOSED, TicketState.ARCHIVED, TicketState.RETURNED})


class Action(enum.StrEnum):
    """Lifecycle verbs. The value is the command verb on the wire."""

    CREATE = "create"                          # new ticket (client UUID)
    ACCEPT = "accept"                          # 受理
    REGISTER = "register"                      # 立案
    DISPATCH = "dispatch"                      # 派遣 (needs department_id)
    HANDLE = "handle"                          # 处置 (department starts)
    FEEDBACK = "feedback"                      # 反馈 (department reports result)
    VERIFY = "verify"                          # 核查 (params: passed: bool)
    SECOND_REVIEW = "second_review"            # 双审 (a different officer)
    CLOSE = "close"                            # 结案
    ARCHIVE = "archive"                        # 存档
    RETURN = "return"                          # 退单
    REQUEST_EXTENSION = "request_extension"    # 延期申请 (params: hours, reason)
    APPROVE_EXTENSION = "approve_extension"    # 延期批准
    DENY_EXTENSION = "deny_extension"          # 延期驳回
    SUSPEND = "suspend"                        # 挂账
    RESUME = "resume"                          # 恢复 (from 挂账)
    URGE = "urge"                              # 督办
    ESCALATE = "escalate"                      # 上提一级 (to the commander)
    LEADER_DISPATCH = "leader_dispatch"        # 领导派单请求 (to commander's inbox)
    INSTRUCT = "instruct"                      # 指挥长批示 (commander's decision)
    SELF_HANDLE = "self_handle"                # 自行处置 (photo required)
    SET_KEY_SUPERVISION = "set_key_supervision"  # 重点监管 (params: on: bool)
    ANNOTATE = "annotate"                      # 备注 (free note on the timeline)
    MERGE = "merge"                            # 并案 (params: main_id: the main ticket)
    UNMERGE = "unmerge"                        # 撤销并案 (until the main ticket closes)
    CLOSE_WITH_MAIN = "close_with_main"        # 随主单办结 (the platform, when the main closes)
    CO_FEEDBACK = "co_feedback"                # 协办反馈 (a co-handler's own feedback, joint handling)
    RELEASE_CO = "release_co"                  # 解除协办 (the hall lets a co-handler go)


class Channel(enum.StrEnum):
    HOTLINE_12345 = "hotline_12345"      # 12345 市民热线
    HOTLINE_12319 = "hotline_12319"      # 12319 建设热线
    GRID_INSPECTOR = "grid_inspector"    # 网格巡查
    JOINT_STATION = "joint_station"      # 联勤联动站
    DEPT_PATROL = "dept_patrol"          # 部门巡查
    IOT_ALARM = "iot_alarm"              # 物联感知
    VIDEO_AI = "video_ai"                # 智能发现
    LEADER = "leader"                    # 领导交办
    SELF_FOUND = "self_found"            # 自行发现
    MEDIA = "media"                      # 媒体曝光
    # the street plan's other ways in ("结合人大代表和政协委员社区接待,投诉热线、市民巡访、
    # 网络媒体、第三方监督等多种渠道") and 基层直报 (a committee or station reports straight in)
    DEPUTY_RECEPTION = "deputy_reception"  # 人大代表和政协委员社区接待
    CITIZEN_VISIT = "citizen_visit"      # 市民巡访
    ONLINE_MEDIA = "online_media"        # 网络媒体
    THIRD_PARTY = "third_party"          # 第三方监督
    GRASSROOTS = "grassroots"            # 基层直报


class Priority(enum.StrEnum):
    NORMAL = "normal"      # 一般
    URGENT = "urgent"      # 紧急
    CRITICAL = "critical"  # 特急


class CategoryKind(enum.StrEnum):
    COMPONENT = "component"  # 部件
    EVENT = "event"          # 事件


class Role(enum.StrEnum):
    OFFICER = "officer"            # 平台信息员
    SHIFT_LEADER = "shift_leader"  # 平台值班长
    COMMANDER = "commander"        # 轮值指挥长
    ADMIN = "admin"                # 系统管理员
    DEPARTMENT = "department"      # 处置部门 (platform side)
    DISTRICT = "district"          # 区城运平台 (platform side)
    SYSTEM = "system"              # automatic (archive job, IoT rule)


class LimitState(enum.StrEnum):
    """Where a ticket stands against its time limit (案件处置警示)."""

    ON_TIME = "on_time"      # 正常
    WARNING = "warning"      # 即将超时
    OVERDUE = "overdue"      # 已超时
    SUSPENDED = "suspended"  # 挂账 (clock paused)
    DONE = "done"            # 已办结 (clock stopped)


class LimitMode(enum.StrEnum):
    CALENDAR = "calendar"  # 自然时
    WORKING = "working"    # 工作时


class GridLayer(enum.StrEnum):
    DISTRICT = "district"      # 区
    STREET = "street"          # 街镇
    RESP_GRID = "resp_grid"    # 责任网格
    COMMITTEE = "committee"    # 村居委
    MICRO_GRID = "micro_grid"  # 责任块 / 微网格


GRID_LAYERS: tuple[GridLayer, ...] = tuple(GridLayer)


class MicroGridType(enum.StrEnum):
    """The 13 micro-grid types of the Pudong standard."""

    RESIDENTIAL = "residential"        # 小区
    ENTERPRISE = "enterprise"          # 企业/园区
    OFFICE = "office"                  # 楼宇
    COMMERCIAL = "commercial"          # 商业体
    PUBLIC_INSTITUTION = "public_institution"  # 公共机构
    SCHOOL = "school"                  # 学校
    SCENIC = "scenic"                  # 风景区
    CULTURE_SPORTS = "culture_sports"  # 文体
    MEDICAL = "medical"                # 医疗
    ELDERLY_CARE = "elderly_care"      # 养老
    CONSTRUCTION = "construction"      # 工地
    PUBLIC_AREA = "public_area"        # 公共区域
    OTHER = "other"                    # 其他


class Datum(enum.StrEnum):
    WGS84 = "WGS84"
    GCJ02 = "GCJ02"
    CGCS2000 = "CGCS2000"  # within centimetres of WGS-84 for our purpose


@dataclass(frozen=True, slots=True)
class Actor:
    """Who performs an action: an officer at a workstation, or the platform side."""

    user_id: str
    name: str
    role: Role
    workstation: str = ""
    #: the officer's ``console.domain.auth.Credential`` for this login (signs what the
    #: desk records for them); None for the platform side and for actors read back
    credential: Any = field(default=None, repr=False, compare=False)
    #: the post (岗位) this login sits at (``console.domain.posts``); "" when none was chosen
    post: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class Category:
    """A category as the platform delivers it (never hard-coded in the console)."""

    kind: CategoryKind
    code: str            # five digits: big class (2) + small class (3)
    big_code: str
    big_name: str
    small_name: str
    limit_hours: float = 72.0
    limit_mode: LimitMode = LimitMode.CALENDAR
    urgent_limit_hours: float | None = None  # stricter limit for urgent/critical tickets
    warning_lead_minutes: float | None = None  # 即将超时 this long before the limit (None: hall default)
    simple: bool = False  # may be self-handled on the spot (自行处置; console.domain.category_rules)
    dangerous: bool = False  # 重点监管 set at intake (console.domain.category_rules)
    closure_standard: tuple[str, ...] = ()  # 结案标准: what 核查 must confirm (category_rules)


@dataclass(frozen=True, slots=True)
class AuditEvent:
    """One entry of a ticket's timeline. Every change leaves exactly one."""

    ticket_id: str
    action: Action
    actor: Actor
    at: float                       # platform time, epoch seconds
    from_state: TicketState | None
    to_state: TicketState
    params: dict[str, Any] = field(default_factory=dict)
    event_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass(frozen=True, slots=True)
class Ticket:
    """A work ticket (工单). Immutable: the lifecycle returns a new one.

    ``id`` is a UUID string: the client UUID when a workstation created it, else the
    platform's. ``number`` is the platform's human case number (None until the
    platform has assigned one). Times are epoch seconds in platform time.
    """

    id: str
    state: TicketState
    channel: Channel
    category_kind: CategoryKind
    category_code: str
    category_name: str
    big_code: str = ""
    big_name: str = ""
    priority: Priority = Priority.NORMAL
    number: str | None = None
    version: int = 0
    lat: float | None = None       # WGS-84
    lon: float | None = None       # WGS-84
    source_datum: Datum = Datum.WGS84
    address: str = ""
    grids: dict[str, str] = field(default_factory=dict)  # GridLayer value -> cell id
    description: str = ""
    reporter_name: str = ""
    reporter_phone: str = ""        # personal data: mask in UI, never log
    attachments: tuple[str, ...] = ()  # sha256 digests
    department_id: str | None = None
    created_at: float = 0.0
    updated_at: float = 0.0
    # time limit (see console.domain.timelimits)
    clock_start: float | None = None   # when the limit starts running (立案 time)
    limit_hours: float = 72.0
    limit_mode: LimitMode = LimitMode.CALENDAR
    extension_hours: float = 0.0
    # total paused time so far, in the limit's own units: working seconds for a
    # working-hours limit (see console.domain.timelimits)
    suspended_seconds: float = 0.0
    suspended_since: float | None = None
    resume_state: TicketState | None = None  # state to go back to after 挂账
    deadline: float | None = None      # derived: recomputed on every change
    # flags
    extension_request: dict[str, Any] | None = None  # {"hours":..,"reason":..,"by":..}
    urge_count: int = 0
    escalation_level: int = 0
    needs_commander: bool = False
    commander_reason: str = ""         # "escalate" | "leader_dispatch" | "extension" | ...
    key_supervision: bool = False
    verified_by: str | None = None
    reviewed_by: str | None = None
    rework_count: int = 0
    closed_at: float | None = None
    closed_on_time: bool | None = None
    duplicate_of: str | None = None   # 并案: the main ticket's id; this one follows its outcome
    # joint handling (console.domain.joint): the co-handling departments beside the lead
    co_handlers: tuple[dict[str, Any], ...] = ()

    def replace(self, **changes: Any) -> "Ticket":
        return dataclasses.replace(self, **changes)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def to_dict(self) -> dict[str, Any]:
        """Wire/JSON form (see docs/CONTRACT.md)."""
        d = dataclasses.asdict(self)
        d["attachments"] = list(self.attachments)
        d["co_handlers"] = [dict(e) for e in self.co_handlers]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Ticket":
        """Build from the wire form; raises ValueError/KeyError/TypeError on bad input."""
        names = {f.name for f in dataclasses.fields(cls)}
        kw = {k: v for k, v in d.items() if k in names}
        kw["state"] = TicketState(kw["state"])
        kw["channel"] = Channel(kw["channel"])
        kw["category_kind"] = CategoryKind(kw["category_kind"])
        kw["priority"] = Priority(kw.get("priority", "normal"))
        kw["source_datum"] = Datum(kw.get("source_datum", "WGS84"))
        kw["limit_mode"] = LimitMode(kw.get("limit_mode", "calendar"))
        if kw.get("resume_state") is not None:
            kw["resume_state"] = TicketState(kw["resume_state"])
        kw["attachments"] = tuple(kw.get("attachments") or ())
        kw["co_handlers"] = tuple(dict(e) for e in kw.get("co_handlers") or ())
        kw["grids"] = dict(kw.get("grids") or {})
        return cls(**kw)
