"""督办 by level (分级协调督办机制): a levelled 督办 names its level and its target.

A plain 督办 (催办, no level) is what the hall has always sent. A levelled one carries
``level`` (``street``: the street's own 督办; ``district``: the district's) and ``target``
(whom it presses: the department, or the person who must act); a level without a target,
or an unknown level, is refused. A district-level 督办 goes to the commander's inbox
(``commander_reason`` ``urge_district``). ``console.domain.lifecycle`` asks these functions
for the verb ``urge``, at the desk and on the platform alike.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

LEVELS = {"street": "街道", "district": "区"}
#: commander_reason of a district-level 督办 (the commander's inbox)
COMMANDER_REASON = "urge_district"


def level_problem(value: Any) -> str | None:
    """Why ``value`` is not a 督办 level, or None."""
    if value not in LEVELS:
        return f"督办层级须为{'或'.join(LEVELS.values())}（{'/'.join(LEVELS)}）"
    return None


def params_problem(params: Mapping[str, Any]) -> str | None:
    """A levelled 督办 needs its target; a target needs its level."""
    level, target = params.get("level"), params.get("target")
    if level is not None and target is None:
        return f"{LEVELS.get(level, '')}督办须写明督办对象"
    if target is not None and level is None:
        return "督办对象须与督办层级一起填写"
    return None


def changes(params: Mapping[str, Any]) -> dict[str, Any]:
    """What a levelled 督办 changes beyond the count: a district one reaches the commander."""
    if params.get("level") == "district":
        return {"needs_commander": True, "commander_reason": COMMANDER_REASON}
    return {}
