"""Who may see which camera (按照信息安全分级): security levels, owners, clearance.

Every camera has a security level (1 公开, 2 内部, 3 受限) and an owner (street, police,
property, construction site). A role is cleared up to a level; police cameras can in
addition be kept to named posts. The street's policy comes from the platform (feed kind
``camera_policy``); until it arrives, and when it is malformed, the default below holds.
A camera with no level (or a level that is not 1..3) counts as internal (level 2): not on
the public display wall, open to officers, and the desk says how many lack a label. Opening a restricted camera (level 3 or a police one)
needs a fresh grant from the platform, which checks the same rule, and is audited.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

LEVELS = (1, 2, 3)
RESTRICTED_LEVEL = 3
OWNERS = ("street", "police", "property", "construction")
DEFAULT_CLEARANCE = {"officer": 2, "shift_leader": 3, "commander": 3, "admin": 3}
WALL_CLEARANCE = 1  # the display wall, with no officer logged in, shows public cameras only


@dataclass(frozen=True)
class CameraPolicy:
    clearance: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_CLEARANCE))
    police_posts: tuple[str, ...] = ()  # empty: police cameras follow the level alone


DEFAULT_POLICY = CameraPolicy()


def policy_from(data: Any) -> tuple[CameraPolicy, str | None]:
    """The policy in a ``camera_policy`` entity, or the default and why it was refused."""
    if not isinstance(data, Mapping):
        return DEFAULT_POLICY, "camera policy is not an object"
    clearance = data.get("clearance", DEFAULT_CLEARANCE)
    posts = data.get("police_posts", ())
    if (not isinstance(clearance, Mapping)
            or not all(isinstance(k, str) and type(v) is int and v in (0, *LEVELS) for k, v in clearance.items())):
        return DEFAULT_POLICY, "camera policy clearance must map roles to levels 0..3"
    if not isinstance(posts, list | tuple) or not all(isinstance(p, str) for p in posts):
        return DEFAULT_POLICY, "camera policy police_posts must be a list of posts"
    return CameraPolicy(dict(clearance), tuple(posts)), None


UNLABELLED_LEVEL = 2


def labelled(camera: Mapping[str, Any]) -> bool:
    level = camera.get("security_level")
    return type(level) is int and level in LEVELS


def level_of(camera: Mapping[str, Any]) -> int:
    return camera["security_level"] if labelled(camera) else UNLABELLED_LEVEL


def is_restricted(camera: Mapping[str, Any]) -> bool:
    return level_of(camera) >= RESTRICTED_LEVEL or camera.get("source") == "police"


def refusal(camera: Mapping[str, Any], role: str | None, post: str | None = None,
            policy: CameraPolicy = DEFAULT_POLICY) -> str | None:
    """Why this role (at this post) may not see the camera; None when it may."""
    level = level_of(camera)
    cleared = WALL_CLEARANCE if role is None else policy.clearance.get(str(role), 0)
    if level > cleared:
        return f"该监控为{level}级，本岗位只可查看{cleared}级及以下的监控"
    if camera.get("source") == "police" and policy.police_posts and post not in policy.police_posts:
        return f"公安监控只对以下岗位开放：{'、'.join(policy.police_posts)}"
    return None


def visible(cameras: list[dict[str, Any]], role: str | None, post: str | None = None,
            policy: CameraPolicy = DEFAULT_POLICY) -> list[dict[str, Any]]:
    """The cameras this role may see (the tree, patrol and linked video show only these)."""
    return [c for c in cameras if refusal(c, role, post, policy) is None]
