"""The platform's base map on the map panel: drawn from the district, kept through an outage.

A real simulator on loopback behind the fault proxy; the link is cut with the proxy.
"""

from __future__ import annotations

import pytest

from console.sync.proxy import FaultProxy
from tests.map.test_map_panel import stats


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    from simulator.testing import running_simulator

    with running_simulator(tmp_path_factory.mktemp("basemap-sim"), seed=7, history_days=0.05,
                           daily_rate=50) as sim:
        port = int(sim.url.rstrip("/").rsplit(":", 1)[1])
        with FaultProxy("127.0.0.1", port, seed=5) as px:
            yield px


def test_map_draws_the_platform_base_map_and_keeps_it_through_an_outage(qtbot, open_panel, platform):
    platform.pass_through()
    panel = open_panel()
    assert panel.tiles.template == ""          # no base map configured, platform not known yet
    with qtbot.waitSignal(panel.bridge.sig_tickets_drawn, timeout=20000):
        panel.ctx.bus.sig_platform_connected.emit(platform.url)
    assert panel.tiles.template.startswith(platform.url + "/tiles/")
    qtbot.waitUntil(lambda: (lambda st: st["tilesLoaded"] >= 4 and not st["tilesLoading"])(
        stats(qtbot, panel)), timeout=20000)
    online_served = panel.tiles.served
    assert online_served >= 4 and panel.snapshot_info()["base_map_tiles"] == online_served
    cached = list(panel.tiles.cache_dir.rglob("*.tile"))
    assert cached and all(p.read_bytes()[:4] == b"\x89PNG" for p in cached)

    platform.partition("refuse")                 # the district link is cut
    again = open_panel()                         # a fresh page after a restart of the desk
    with qtbot.waitSignal(again.bridge.sig_tickets_drawn, timeout=20000):
        again.ctx.bus.sig_platform_connected.emit(platform.url)
    qtbot.waitUntil(lambda: stats(qtbot, again)["tilesLoaded"] >= 4, timeout=20000)
    assert again.tiles.served >= 4
    assert "tiles" not in stats(qtbot, again)["notices"]   # served from the cache, no alarm


def test_a_configured_tile_server_wins_over_the_platform(qtbot, open_panel, platform):
    platform.pass_through()
    panel = open_panel(tile_url="http://127.0.0.1:9/{z}/{x}/{y}.png")
    panel.ctx.bus.sig_platform_connected.emit(platform.url)
    assert panel.tiles.template == "http://127.0.0.1:9/{z}/{x}/{y}.png"


def test_a_tile_that_is_not_an_image_is_not_cached_and_gives_a_notice(qtbot, open_panel):
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Garbage(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            body = b"<html>proxy error</html>"
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Garbage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        panel = open_panel(tile_url=f"http://127.0.0.1:{server.server_port}/{{z}}/{{x}}/{{y}}.png")
        qtbot.waitUntil(lambda: panel.tiles.corrupt > 0, timeout=20000)
        qtbot.waitUntil(lambda: bool(stats(qtbot, panel)["notices"].get("tiles")), timeout=10000)
        assert not list(panel.tiles.cache_dir.rglob("*.tile"))
        assert stats(qtbot, panel)["tilesLoaded"] == 0
    finally:
        server.shutdown()
        server.server_close()
