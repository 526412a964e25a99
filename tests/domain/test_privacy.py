"""Reporters' phone numbers: masked everywhere, revealed only by allowed roles."""

import pytest

from console.domain.model import Role
from console.domain.privacy import CONTACT_ROLES, mask_phone, may_see_contact


@pytest.mark.parametrize("phone, masked", [
    ("13812341234", "138****1234"),
    ("021-58881234", "021*****1234"),
    ("1234567", "1******"),
    ("", ""),
    (None, ""),
])
def test_mask_phone(phone, masked):
    assert mask_phone(phone) == masked


def test_only_leaders_commanders_and_admins_may_see_contacts():
    assert {r for r in Role if may_see_contact(r)} == set(CONTACT_ROLES)
    assert not may_see_contact(Role.OFFICER)
    assert not may_see_contact("nobody")
