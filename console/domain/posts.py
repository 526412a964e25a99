"""Posts (岗位) in the hall: the desk an officer logs in to.

The seeds name them: 热线信息员 (hotline), 网格信息员 (grid), 一网统管信息员 (unified),
平台值班长 (shift leader) and 技术员 (technician). The post decides the queue's default
tabs and which ticket actions the desk offers; this module is the one place that says so,
the login dialog and the queue panel ask it.
"""

from __future__ import annotations

from collections.abc import Iterable

from console.domain.model import Role

HOTLINE, GRID, UNIFIED, SHIFT_LEADER, TECHNICIAN = "hotline", "grid", "unified", "shift_leader", "technician"
POSTS = (HOTLINE, GRID, UNIFIED, SHIFT_LEADER, TECHNICIAN)

#: the queue's tabs that open first at each post, the first one current
DEFAULT_TABS: dict[str, tuple[str, ...]] = {
    HOTLINE: ("pending", "feedback", "mine"),
    GRID: ("pending", "warning", "overdue"),
    UNIFIED: ("pending", "warning", "needs_commander"),
    SHIFT_LEADER: ("needs_commander", "overdue", "warning"),
    TECHNICIAN: ("mine",),
}

#: the ticket actions each post holds back (names as ``console.domain.model.Action``);
#: the role rules (``console.domain.lifecycle``) still apply to everything offered
HELD_BACK: dict[str, frozenset[str]] = {
    HOTLINE: frozenset({"self_handle"}),  # the hotline desk does not go out on site
    GRID: frozenset(),
    UNIFIED: frozenset(),
    SHIFT_LEADER: frozenset(),
}
#: the technician's desk keeps the cameras and devices running: it only annotates tickets
TECHNICIAN_OFFERS = frozenset({"annotate"})

#: roles that may sit at the shift-leader post
_LEADER_ROLES = frozenset({Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN})


class PostRefused(ValueError):
    """A post this account may not take, or an action its post does not offer."""


def posts_for(role: Role | str) -> tuple[str, ...]:
    """The posts an account with ``role`` may log in to, its usual post first."""
    role = Role(role)
    if role in _LEADER_ROLES:
        return (SHIFT_LEADER, HOTLINE, GRID, UNIFIED, TECHNICIAN)
    if role is Role.OFFICER:
        return (HOTLINE, GRID, UNIFIED, TECHNICIAN)
    return ()


def check(role: Role | str, post: str) -> str:
    """``post`` when ``role`` may take it; raises PostRefused with what to do otherwise."""
    if post not in POSTS:
        raise PostRefused(f"unknown post {post!r}: choose one of {', '.join(POSTS)}")
    allowed = posts_for(role)
    if post not in allowed:
        raise PostRefused(f"the {post} post needs a shift leader account; "
                          f"choose one of {', '.join(allowed) or 'no post'}")
    return post


def default_tabs(post: str | None) -> tuple[str, ...]:
    """The queue tabs a post opens with (empty for no post: the queue's own default)."""
    return DEFAULT_TABS.get(post or "", ())


def allowed(post: str | None, action: str) -> bool:
    """Whether the desk at ``post`` offers ``action``; without a post nothing is held back."""
    if not post:
        return True
    if post == TECHNICIAN:
        return action in TECHNICIAN_OFFERS
    return action not in HELD_BACK.get(post, frozenset())


def offered(post: str | None, actions: Iterable[str]) -> list[str]:
    """``actions`` in their order, those the post does not offer left out."""
    return [a for a in actions if allowed(post, a)]
