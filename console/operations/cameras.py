"""Opening a restricted camera (受限监控) is on record: granted or refused, who, where, when."""

from __future__ import annotations

from console.domain.model import Actor
from localdb import Store
from localdb.actions import audit


def record_camera_access(store: Store, actor: Actor, camera_id: str, granted: bool, reason: str | None,
                         now: float) -> None:
    with store.write() as s:
        audit(s, actor, "camera_open" if granted else "camera_refused", None,
              {"camera_id": camera_id, "reason": reason}, now)
