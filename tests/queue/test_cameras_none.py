"""The detail pane says "no camera within 300 m" in its camera box, where the officer is
looking, instead of an open-cameras button that only reports it in the status bar."""

from __future__ import annotations

import dataclasses
import random

from localdb import repo
from localdb.feed import apply_changes
from tests.factories import LAT0, LON0, make_ticket
from tests.queue.conftest import NOW
from views.ticket_detail import CAMERA_RADIUS_M


def test_pane_says_when_no_camera_is_near(panel, store, qtbot):
    t = dataclasses.replace(make_ticket(random.Random(5), NOW, 77_001), lat=LAT0 - 0.05, lon=LON0)
    apply_changes(store, [{"seq": 77_001, "kind": "ticket", "op": "upsert", "id": t.id,
                           "data": t.to_dict()}], "c-far")
    with store.session() as s:
        assert not repo.cameras_near(s, t.lat, t.lon, CAMERA_RADIUS_M)
        near = next(r for r in repo.nearby_tickets(s, LAT0 + 0.009, LON0 + 0.01, 400)
                    if repo.cameras_near(s, r["lat"], r["lon"], CAMERA_RADIUS_M))
    d = panel.detail
    d.show_ticket(t.id)
    assert d.cams_none_label.isVisible() and "300" in d.cams_none_label.text()
    assert not d.cams_near_button.isVisible()
    d.show_ticket(near["id"])
    assert not d.cams_none_label.isVisible() and d.cams_near_button.isVisible() and d.cam_buttons
    d.show_ticket(None)
    assert not d.cams_none_label.isVisible()
