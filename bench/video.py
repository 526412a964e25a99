"""Video wall benchmark: our 16-tile wall against a bare QtMultimedia wall.

Both walls play the simulator's live HLS camera streams, the ones the wall plays in
production (``/streams/<id>/main.m3u8`` / ``sub.m3u8``, simulator.streams). The
simulator runs as a separate process on loopback (so its CPU is not counted) behind
the fault proxy (console.sync.proxy), which is how the outage is made. Our wall is
``VideoWallPanel`` in the 4x4 layout, 16 of the simulator's cameras assigned, each tile
choosing its stream as in production (small tiles take the substream); the bare wall
plays the same 16 URLs. Measured in one run:

- ``video_bare_16_cpu_pct``: process CPU of 16 plain ``QMediaPlayer`` + ``QVideoWidget``
- ``video_wall_16_cpu_pct``: process CPU of ``VideoWallPanel`` in the 4x4 layout
- ``video_wall_vs_bare_cpu``: their ratio (target ≤ 1.2)
- ``video_wall_16_min_fps``: the slowest tile's frame rate (target ≥ 24; the 4x4 tiles
  play the substream, 25 fps like the main stream, as Shanghai's PAL cameras send it)
- ``video_wall_16_source_fps``: the frame rate of the stream the tiles play
- ``video_first_frame_ms``: assignment to first frame of the slowest of 16 tiles (≤ 2000)
- ``video_outage_notice_s``: from cutting the link (proxy refuses) to tile 0 saying
  "reconnecting"; the benchmark fails when the outage is never noticed
- ``video_reconnect_s``: after the outage was noticed and the link restored, time to
  tile 0 playing new frames again (≤ 5)

Run with ``python -m bench --only video`` (or ``python -m bench.video``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from simulator.streams import VARIANTS

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
N = 16
WARMUP_S = 3.0
MEASURE_S = 8.0
BARE_SIZE = (1060, 700)  # the wall area of both walls


def _pump(app, seconds: float, until=None) -> bool:
    """Run the event loop for ``seconds`` or until ``until()`` is true."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if until is not None and until():
            return True
        time.sleep(0.005)
    return until() if until is not None else True


def _cpu_s(proc) -> float:
    t = proc.cpu_times()
    return t.user + t.system


class _Server:
    """The simulator (child process, streams on) behind the fault proxy."""

    def __init__(self, root: Path) -> None:
        from console.sync.proxy import FaultProxy
        from simulator.testing import SimProcess

        self.sim = SimProcess(root / "sim", args=["--history-days", "0", "--no-traffic"])
        host, port = self.sim.url.rsplit("//", 1)[1].rsplit(":", 1)
        self.proxy = FaultProxy(host, int(port))

    def url(self, cam_id: str, variant: str) -> str:
        return f"{self.proxy.url}/streams/{cam_id}/{variant}.m3u8"

    def cameras(self, n: int) -> list[str]:
        """The first ``n`` cameras whose streams open without a grant, encodings ready
        (the first request of a camera encodes its loop: not part of any figure)."""
        ids: list[str] = []
        for k in range(1, 400):
            cid = f"CAM{k:03d}"
            req = urllib.request.Request(self.url(cid, "main"), method="HEAD")
            try:
                urllib.request.urlopen(req, timeout=300).read()
            except urllib.error.HTTPError as e:
                if e.code == 404 and k > 1 and not ids:
                    break
                continue  # restricted (403), offline (503) or no such camera
            ids.append(cid)
            if len(ids) == n:
                return ids
        raise RuntimeError(f"the simulator serves only {len(ids)} open camera streams, {n} needed")

    def close(self) -> None:
        self.proxy.close()
        self.sim.stop()


def _measure(app, proc, counters) -> tuple[float, float]:
    """CPU % and the slowest counter's frames per second over MEASURE_S."""
    _pump(app, WARMUP_S)
    before = [c() for c in counters]
    cpu0, t0 = _cpu_s(proc), time.monotonic()
    _pump(app, MEASURE_S)
    dt = time.monotonic() - t0
    cpu = (_cpu_s(proc) - cpu0) / dt * 100.0
    fps = min((c() - b) / dt for c, b in zip(counters, before))
    return cpu, fps


def _bare_wall(app, proc, urls):
    from PySide6.QtCore import QUrl
    from PySide6.QtMultimedia import QMediaPlayer
    from PySide6.QtMultimediaWidgets import QVideoWidget
    from PySide6.QtWidgets import QGridLayout, QWidget

    win = QWidget()
    grid = QGridLayout(win)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(2)
    players, counts = [], []
    for i, url in enumerate(urls):
        w = QVideoWidget(win)
        grid.addWidget(w, i // 4, i % 4)
        p = QMediaPlayer(win)
        p.setVideoOutput(w)
        n = [0]
        w.videoSink().videoFrameChanged.connect(lambda _f, n=n: n.__setitem__(0, n[0] + 1))
        p.setSource(QUrl(url))
        players.append(p)
        counts.append(n)
    win.resize(*BARE_SIZE)
    win.show()
    for p in players:
        p.play()
    cpu, fps = _measure(app, proc, [lambda n=n: n[0] for n in counts])
    for p in players:
        p.stop()
        p.setSource(QUrl())
    win.close()
    win.deleteLater()
    _pump(app, 1.0)
    return cpu, fps


def run(tiny: bool = False) -> dict[str, float]:
    global N, WARMUP_S, MEASURE_S
    if tiny:  # two tiles for a moment: the code path, not the figure
        N, WARMUP_S, MEASURE_S = 2, 1.0, 1.5
    import psutil
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    tmp = Path(tempfile.mkdtemp(prefix="bench-video-"))
    os.environ["DUTY_CONSOLE_DATA_DIR"] = str(tmp / "data")  # never the real layout.ini
    app = QApplication.instance() or QApplication([])
    QThreadPool.globalInstance().setMaxThreadCount(max(24, QThreadPool.globalInstance().maxThreadCount()))
    proc = psutil.Process()
    srv = _Server(tmp)
    out: dict[str, float] = {}
    try:
        ids = srv.cameras(N)
        wall, urls = _our_wall(app, proc, srv, tmp, ids)
        bare_cpu, bare_fps = _bare_wall(app, proc, urls)
        out["video_bare_16_cpu_pct"] = bare_cpu
        out["video_bare_16_min_fps"] = bare_fps
        out.update(wall)
        out["video_wall_vs_bare_cpu"] = out["video_wall_16_cpu_pct"] / max(bare_cpu, 1e-6)
    finally:
        srv.close()
    return out


def _our_wall(app, proc, srv: _Server, tmp: Path, ids: list[str]) -> tuple[dict[str, float], list[str]]:
    from console.domain.model import Actor, Role
    from console.qt.context import AppContext
    from localdb.feed import apply_changes
    from tests.factories import load_sample_store
    from views.video_wall import VideoWallPanel
    from widgets.camera_tile import TileState

    store = load_sample_store(tmp / "console.db", n_tickets=10)
    cams = [{"seq": 0, "kind": "camera", "op": "upsert", "id": f"B{i:02d}", "data": {
        "id": f"B{i:02d}", "name": f"基准{i}", "lat": 31.18 + i * 1e-4, "lon": 121.49, "grid_id": "G01",
        "online": True, "stream_url": srv.url(ids[i], "main"), "substream_url": srv.url(ids[i], "sub"),
        "source": "street"}} for i in range(N)]
    apply_changes(store, cams, "bench")
    ctx = AppContext(store=store, actor=Actor("bench", "bench", Role.OFFICER, "WS-B"))
    panel = VideoWallPanel(ctx)
    panel.resize(1280, 800)
    panel.show()
    _pump(app, 10, lambda: len(panel.tree.model.cameras()) >= N)
    panel.set_layout("4x4")
    for _ in range(3):  # the same wall area as the bare wall, so both scale the same pixels
        _pump(app, 0.1)
        d = panel.host.size()
        panel.resize(panel.width() + BARE_SIZE[0] - d.width(), panel.height() + BARE_SIZE[1] - d.height())
    tiles = panel.tiles[:N]
    t0 = time.monotonic()
    for i in range(N):
        panel.assign(i, f"B{i:02d}")
    _pump(app, 20, lambda: all(t.state == TileState.PLAYING for t in tiles))
    first_ms = max((t.first_frame_ms or float("inf")) for t in tiles)
    out = {"video_first_frame_ms": first_ms,
           "video_first_frame_wall_ms": (time.monotonic() - t0) * 1000.0}
    cpu, fps = _measure(app, proc, [lambda t=t: t.frames for t in tiles])
    out["video_wall_16_cpu_pct"] = cpu
    out["video_wall_16_min_fps"] = fps
    out["video_wall_16_playing"] = float(panel.snapshot_info()["video_playing"])

    urls = [t._url for t in tiles]
    out["video_wall_16_source_fps"] = float(VARIANTS["main" if urls[0].endswith("/main.m3u8") else "sub"][2])

    # reconnect: the proxy refuses (every tile loses its link); we time tile 0
    tile = tiles[0]
    t_cut = time.monotonic()
    srv.proxy.partition("refuse")
    noticed = _pump(app, 30, lambda: tile.state in (TileState.RECONNECTING, TileState.ERROR))
    if not noticed:
        srv.proxy.pass_through()
        raise RuntimeError(f"the wall never showed the outage (tile 0 stayed {tile.state})")
    out["video_outage_notice_s"] = time.monotonic() - t_cut
    srv.proxy.pass_through()
    frames = tile.frames
    t_up = time.monotonic()
    ok = _pump(app, 40, lambda: tile.state == TileState.PLAYING and tile.frames > frames)
    if not ok:
        raise RuntimeError(f"tile 0 did not play again within 40 s of the link's return ({tile.state})")
    out["video_reconnect_s"] = time.monotonic() - t_up
    _pump(app, 40, lambda: all(t.state == TileState.PLAYING for t in tiles))
    out["video_reconnect_all16_s"] = time.monotonic() - t_up
    panel.shutdown()
    panel.close()
    panel.deleteLater()
    ctx.tasks.wait()
    _pump(app, 0.5)
    store.close()
    return out, urls


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
