"""Citizens' personal data: who may see a reporter's contact, and how it is masked.

One rule for every panel and for the operation that reveals a contact, so that the
UI's disabled button and the core's refusal never disagree.
"""

from __future__ import annotations

from console.domain.model import Role

#: roles that may reveal a reporter's phone (each reveal is audited)
CONTACT_ROLES = frozenset({Role.SHIFT_LEADER, Role.COMMANDER, Role.ADMIN})


def may_see_contact(role: Role | str) -> bool:
    try:
        return Role(role) in CONTACT_ROLES
    except ValueError:
        return False


def mask_phone(phone: str | None) -> str:
    """138****1234: keep the first three and the last four digits; short numbers keep
    only their first digit."""
    p = (phone or "").strip()
    if not p:
        return ""
    if len(p) <= 7:
        return p[:1] + "*" * (len(p) - 1)
    return p[:3] + "*" * (len(p) - 7) + p[-4:]
