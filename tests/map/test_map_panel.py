"""The map panel driven as an officer would: a real QWebEngineView, offscreen."""

from __future__ import annotations

import json
import sqlite3

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QColor, QImage

from localdb.feed import apply_changes
from tests.factories import make_ticket
from tests.map.conftest import NOW, js, stats

GRID_COUNTS = {"district": 1, "street": 1, "resp_grid": 4, "committee": 4, "micro_grid": 8}
LOCAL = ("file:", "qrc:", "data:", "tiles:", "about:")


def _open_ticket_count(store) -> int:
    from localdb import repo_map

    with store.session() as s:
        return len(repo_map.ticket_points(s, NOW))


def test_page_loads_offline_and_draws_every_layer(qtbot, open_panel, recorder, store):
    panel = open_panel()
    st = stats(qtbot, panel)
    assert st["grids"] == GRID_COUNTS
    assert st["tickets"] == _open_ticket_count(store) > 0
    assert st["cameras"] == 8 and st["sensors"] == 10
    assert st["errors"] == 0, st["lastError"]
    assert panel.snapshot_info() == {"grid_layers": 5, "base_map_tiles": 0}  # no base map configured
    assert st["heat"] == 0  # read only when the layer is turned on
    js(qtbot, panel, "DutyMap.showHeat()")
    qtbot.waitUntil(lambda: stats(qtbot, panel)["heat"] == 200, timeout=5000)  # all sample tickets are recent
    assert recorder.urls, "the interceptor saw no request at all"
    assert all(u.startswith(LOCAL) for u in recorder.urls), [u for u in recorder.urls if not u.startswith(LOCAL)]
    assert not any(u.startswith(("http:", "https:")) for u in recorder.urls)
    # a stray link cannot navigate the map page away
    js(qtbot, panel, "window.location.href = 'https://example.org/'; 1")
    assert stats(qtbot, panel)["grids"] == GRID_COUNTS
    assert panel.page.url().scheme() == "file"
    assert not any(u.startswith(("http:", "https:")) for u in recorder.urls)


def test_a_new_ticket_appears_and_a_closed_one_goes(qtbot, open_panel, store):
    import random

    panel = open_panel()
    t = make_ticket(random.Random(99), NOW, 9999).replace(state="dispatched", deadline=NOW - 60)
    apply_changes(store, [{"seq": 50_000, "kind": "ticket", "op": "upsert", "id": t.id, "data": t.to_dict()}], "c2")
    panel.ctx.journal.poke()
    qtbot.waitUntil(lambda: js(qtbot, panel, f"DutyMap.ticketClass({json.dumps(t.id)})") == "tk tk-overdue",
                    timeout=5000)
    closed = t.replace(state="closed", version=t.version + 1, deadline=None)
    apply_changes(store, [{"seq": 50_001, "kind": "ticket", "op": "upsert", "id": t.id, "data": closed.to_dict()}], "c3")
    panel.ctx.journal.poke()
    qtbot.waitUntil(lambda: js(qtbot, panel, f"DutyMap.ticketClass({json.dumps(t.id)})") in (None, ""), timeout=5000)


def test_clicks_in_the_page_reach_the_bus(qtbot, open_panel, store):
    panel = open_panel()
    bus = panel.ctx.bus
    with store.session() as s:
        from localdb import repo_map

        tid = repo_map.ticket_points(s, NOW)[0][0]
    with qtbot.waitSignal(bus.sig_select_ticket, timeout=5000) as sel:
        assert js(qtbot, panel, f"DutyMap.click('ticket', {json.dumps(tid)})") is True
    assert sel.args == [tid]
    # hovering fetches the tooltip once (number, category, address, states; no phone)
    js(qtbot, panel, f"DutyMap.hover({json.dumps(tid)})")
    qtbot.waitUntil(lambda: bool(js(qtbot, panel, f"DutyMap.ticketTip({json.dumps(tid)})")), timeout=5000)
    tip = js(qtbot, panel, f"DutyMap.ticketTip({json.dumps(tid)})")
    assert "HP2026" in tip and "13812341234" not in tip
    with qtbot.waitSignal(bus.sig_play_camera, timeout=5000) as cam:
        js(qtbot, panel, "DutyMap.click('camera', 'CAM003')")
    assert cam.args == ["CAM003"]
    with qtbot.waitSignal(bus.sig_filter_queue, timeout=5000) as grid:
        js(qtbot, panel, "DutyMap.click('grid', 'G02')")
    assert grid.args == [{"grids": ["G02"]}]
    with qtbot.waitSignal(bus.sig_filter_queue, timeout=5000) as box:
        js(qtbot, panel, "DutyMap.selectBox(31.17, 121.47, 31.19, 121.50)")
    assert box.args[0]["bbox"] == [31.17, 121.47, 31.19, 121.5]
    with qtbot.waitSignal(bus.sig_open_cameras_near, timeout=5000) as near:
        js(qtbot, panel, "DutyMap.click('sensor', 'S001')")
    assert near.args[2] > 0


def test_camera_and_sensor_changes_repaint_only_their_icons(qtbot, open_panel, store):
    panel = open_panel()
    assert js(qtbot, panel, "DutyMap.cameraClass('CAM001')") == "cam cam-online"
    sent = panel.bridge.sent_batches
    apply_changes(store, [
        {"seq": 60_000, "kind": "camera", "op": "upsert", "id": "CAM001",
         "data": {"id": "CAM001", "name": "测试路口1号", "lat": 31.18, "lon": 121.49, "online": False}},
        {"seq": 60_001, "kind": "sensor", "op": "upsert", "id": "S002",
         "data": {"id": "S002", "name": "烟感2", "type": "smoke", "lat": 31.181, "lon": 121.491,
                  "status": "alarm"}},
        {"seq": 60_002, "kind": "alarm", "op": "upsert", "id": "A1",
         "data": {"id": "A1", "sensor_id": "S002", "type": "smoke", "lat": 31.181, "lon": 121.491,
                  "raised_at": NOW, "cleared_at": None, "ticket_id": None, "level": "high"}},
    ], "c2")
    panel.ctx.journal.poke()
    qtbot.waitUntil(lambda: js(qtbot, panel, "DutyMap.cameraClass('CAM001')") == "cam cam-offline", timeout=5000)
    assert js(qtbot, panel, "DutyMap.sensorClass('S002')") == "sen sen-alarm"
    assert js(qtbot, panel, "DutyMap.cameraClass('CAM002')") == "cam cam-online"
    assert stats(qtbot, panel)["alarms"] == 1
    assert panel.bridge.sent_batches == sent + 1  # one coalesced batch, no page reload
    assert stats(qtbot, panel)["tickets"] == _open_ticket_count(store)


def test_bad_geojson_gives_a_notice_and_the_rest_draws(qtbot, open_panel, store):
    with store.write() as s:
        s.connection().exec_driver_sql(
            "INSERT INTO grids (id, layer, name, code, feature) VALUES "
            "('BROKEN', 'micro_grid', '坏块', '', '{\"type\": \"Feature\", \"geometry\": 7}'), "
            "('FAR', 'committee', '越界', '', ?)",
            (json.dumps({"type": "Feature", "id": "FAR", "properties": {"layer": "committee"},
                         "geometry": {"type": "Polygon",
                                      "coordinates": [[[400, 31], [401, 31], [401, 32], [400, 31]]]}}),))
    panel = open_panel()
    st = stats(qtbot, panel)
    assert st["grids"] == GRID_COUNTS
    assert "2" in st["notices"]["grids"]
    assert panel.snapshot_info() == {"grid_layers": 5, "base_map_tiles": 0}  # no base map configured


def test_locate_and_emergency_rings(qtbot, open_panel, store):
    panel = open_panel()
    with store.session() as s:
        from localdb import repo_map

        tid, lat, lon, _ = repo_map.ticket_points(s, NOW)[0]
    panel.ctx.bus.sig_locate_ticket.emit(tid)
    qtbot.waitUntil(lambda: stats(qtbot, panel)["zoom"] >= 17, timeout=20000)
    panel.ctx.bus.sig_emergency.emit({"id": "E1", "type": "fire", "lat": lat, "lon": lon, "level": "I",
                                      "title": "火情", "started_at": NOW})
    qtbot.waitUntil(lambda: stats(qtbot, panel)["emergency"], timeout=20000)
    panel.ctx.bus.sig_emergency_end.emit()
    qtbot.waitUntil(lambda: not stats(qtbot, panel)["emergency"], timeout=20000)
    # place search: the completer knows the committees; choosing one zooms to it
    assert "上钢三村居委会" in panel._place_model.stringList()
    panel.search.setText("上钢三村居委会")
    qtbot.keyClick(panel.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: abs(stats(qtbot, panel)["center"][0] - 31.1795) < 0.001, timeout=20000)


def _png() -> bytes:
    img = QImage(256, 256, QImage.Format.Format_RGB32)
    img.fill(QColor("#cde"))
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(buf.data())


def test_mbtiles_base_map_in_gcj02(qtbot, open_panel, tmp_path):
    from console.domain import geodesy

    path = tmp_path / "street.mbtiles"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE metadata (name TEXT, value TEXT);"
                     "CREATE TABLE tiles (zoom_level INT, tile_column INT, tile_row INT, tile_data BLOB);")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("format", "png"), ("maxzoom", "18")])
    png = _png()
    for z in range(12, 19):  # every tile of the sample street at zooms 12..18
        n = 1 << z
        import math

        def tile(lat, lon):
            x = int((lon + 180) / 360 * n)
            y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
            return x, y
        x0, y1 = tile(31.15, 121.45)
        x1, y0 = tile(31.21, 121.52)
        db.executemany("INSERT INTO tiles VALUES (?,?,?,?)",
                       [(z, x, n - 1 - y, png) for x in range(x0, x1 + 1) for y in range(y0, y1 + 1)])
    db.commit()
    db.close()
    panel = open_panel(mbtiles_path=str(path), tile_datum="GCJ02")
    assert panel.datum == "GCJ02"
    qtbot.waitUntil(lambda: stats(qtbot, panel)["tilesLoaded"] > 0, timeout=10000)
    assert "tiles" not in stats(qtbot, panel)["notices"]
    pos = js(qtbot, panel, "DutyMap.position('camera', 'CAM001')")
    with panel.ctx.store.session() as s:
        from localdb import repo_map

        _, _, lat, lon, _ = repo_map.cameras(s, ["CAM001"])[0]
    glat, glon = geodesy.wgs84_to_gcj02(lat, lon)
    assert abs(pos[0] - glat) < 1e-6 and abs(pos[1] - glon) < 1e-6


def test_broken_mbtiles_and_unreachable_server_give_notices(qtbot, open_panel, tmp_path):
    bad = tmp_path / "broken.mbtiles"
    bad.write_bytes(b"this is not sqlite" * 100)
    panel = open_panel(mbtiles_path=str(bad))
    st = stats(qtbot, panel)
    assert st["notices"].get("tiles") and st["grids"] == GRID_COUNTS
    panel.ctx.settings.set("mbtiles_path", "")
    with qtbot.waitSignal(panel.bridge.sig_tickets_drawn, timeout=20000):
        panel.ctx.settings.set("tile_url", "http://127.0.0.1:9/{z}/{x}/{y}.png")
    qtbot.waitUntil(lambda: bool(stats(qtbot, panel)["notices"].get("tiles")), timeout=20000)
    st = stats(qtbot, panel)
    assert st["grids"] == GRID_COUNTS and st["errors"] == 0


def test_xyz_tiles_are_fetched_once_and_cached_on_disk(qtbot, open_panel, recorder):
    png = _png()
    hits: list[str] = []

    class Tiles(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(png)))
            self.end_headers()
            self.wfile.write(png)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Tiles)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        panel = open_panel(tile_url=f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png",
                           tile_datum="WGS84")
        qtbot.waitUntil(lambda: stats(qtbot, panel)["tilesLoaded"] > 0, timeout=10000)
        cached = list(panel.tiles.cache_dir.rglob("*.tile"))
        assert cached and hits
        assert not any(u.startswith(("http:", "https:")) for u in recorder.urls)  # the page asked tiles:
    finally:
        server.shutdown()
        server.server_close()


def test_box_select_with_the_mouse(qtbot, open_panel):
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    panel = open_panel()
    bus = panel.ctx.bus
    js(qtbot, panel, "document.querySelector('.select-btn').click(), 1")
    target = panel.view.focusProxy()
    with qtbot.waitSignal(bus.sig_filter_queue, timeout=5000) as box:
        QTest.mousePress(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(300, 200))
        QTest.mouseMove(target, QPoint(400, 260))
        QTest.mouseMove(target, QPoint(500, 320))
        QTest.mouseRelease(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, QPoint(500, 320))
    s, w, n, e = box.args[0]["bbox"]
    assert s < n and w < e
    assert stats(qtbot, panel)["center"]  # the map did not pan away while selecting
