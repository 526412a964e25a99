"""The map is readable: a legend for the camera squares and IoT diamonds, and "no camera
near here" said at the spot the officer clicked, not in small text at the bottom-left."""

from __future__ import annotations

from localdb import repo
from tests.factories import LAT0, LON0
from tests.map.conftest import stats
from views.map import SENSOR_CAMERA_RADIUS_M
from views.video_links import LinkedVideo


def test_legend_names_every_symbol(qtbot, open_panel):
    panel = open_panel()
    legend = stats(qtbot, panel)["legend"]
    for text in ("Camera (square)", "Camera offline", "IoT sensor (diamond)", "Sensor in alarm",
                 "Sensor offline", "Live alarm (pulsing ring)", "Ticket time limit"):
        assert text in legend, text


def test_no_camera_near_a_clicked_sensor_is_said_at_the_sensor(qtbot, open_panel, store):
    panel = open_panel()
    LinkedVideo(panel.ctx, panel)  # the wall's link: reads the cameras and answers on the bus
    with store.session() as s:
        sensors = repo.sensors(s)
        lonely = [x for x in sensors if x["lat"] is not None
                  and not repo.cameras_near(s, x["lat"], x["lon"], SENSOR_CAMERA_RADIUS_M)]
        crowded = [x for x in sensors if x["lat"] is not None
                   and repo.cameras_near(s, x["lat"], x["lon"], SENSOR_CAMERA_RADIUS_M)]
    assert crowded
    qtbot.waitUntil(lambda: stats(qtbot, panel)["sensors"] == len(sensors), timeout=10000)
    # a sensor with cameras around: they open on the wall, nothing to say on the map
    with qtbot.waitSignal(panel.ctx.bus.sig_cameras_near_answer, timeout=5000) as got:
        panel._on_sensor_clicked(crowded[0]["id"])
    assert got.args[3] > 0
    assert stats(qtbot, panel)["sayAt"] == ""
    # nowhere near a camera (a sensor if the sample has one, else a spot off the street)
    if lonely:
        panel._on_sensor_clicked(lonely[0]["id"])
    else:
        with store.session() as s:
            assert not repo.cameras_near(s, LAT0 - 0.05, LON0, SENSOR_CAMERA_RADIUS_M)
        panel.ctx.bus.sig_open_cameras_near.emit(LAT0 - 0.05, LON0, SENSOR_CAMERA_RADIUS_M)
    qtbot.waitUntil(lambda: "No camera within 300 m" in stats(qtbot, panel)["sayAt"], timeout=5000)


def test_legend_folds_away_on_a_small_map(qtbot, open_panel):
    from tests.map.conftest import js

    panel = open_panel()
    cls = "document.querySelector('.legend').className"
    assert "folded" not in js(qtbot, panel, cls)
    js(qtbot, panel, "document.querySelector('.legend-head').click(), 1")
    assert "folded" in js(qtbot, panel, cls)
    js(qtbot, panel, "document.querySelector('.legend-head').click(), 1")
    assert "folded" not in js(qtbot, panel, cls)
