"""The map under an emergency plan: rings of the plan's radii at the incident's place,
the plan's overlays, and the officer's overlays back exactly when it ends."""

from __future__ import annotations

from .conftest import stats


def test_rings_at_the_place_with_the_plans_overlays_and_back(qtbot, open_panel):
    panel = open_panel()
    before = stats(qtbot, panel)["overlays"]
    assert before == {"tickets": True, "cameras": True, "sensors": True, "heat": False, "resources": False}
    assert stats(qtbot, panel)["resources"] == 10  # the platform's 应急物资 and 应急力量, on their layer
    lat, lon = 31.183, 121.487
    panel.ctx.bus.sig_emergency.emit({
        "id": "E1", "type": "flood", "lat": lat, "lon": lon, "level": "IV", "title": "积水",
        "started_at": 0, "profile": {"wall_layout": "1+7", "ring_m": [300, 800, 1500],
                                     "layers": ["cameras", "heat", "resources"], "cameras": []}})
    qtbot.waitUntil(lambda: stats(qtbot, panel)["emergency"], timeout=20000)
    st = stats(qtbot, panel)
    assert st["overlays"] == {"tickets": False, "cameras": True, "sensors": False, "heat": True, "resources": True}
    assert sorted(r[2] for r in st["rings"]) == [300, 800, 1500]
    assert all(abs(r[0] - lat) < 1e-9 and abs(r[1] - lon) < 1e-9 for r in st["rings"])  # WGS-84 tiles
    panel.ctx.bus.sig_emergency_end.emit()
    qtbot.waitUntil(lambda: not stats(qtbot, panel)["emergency"], timeout=20000)
    assert stats(qtbot, panel)["overlays"] == before and stats(qtbot, panel)["rings"] == []
