"""Video wall benchmark: our 16-tile wall against a bare QtMultimedia wall.

Both walls play the same sixteen 640×360 25 fps H.264 streams, served over loopback
HTTP by a separate process (so the server's CPU is not counted), throttled to 2.4×
real time the way a camera gateway delivers them. Measured in one run:

- ``video_bare_16_cpu_pct``: process CPU of 16 plain ``QMediaPlayer`` + ``QVideoWidget``
- ``video_wall_16_cpu_pct``: process CPU of ``VideoWallPanel`` in the 4×4 layout
- ``video_wall_vs_bare_cpu``: their ratio (target ≤ 1.2)
- ``video_wall_16_min_fps``: the slowest tile's frame rate (target ≥ 24)
- ``video_first_frame_ms``: assignment to first frame of the slowest of 16 tiles (≤ 2000)
- ``video_reconnect_s``: after a 3 s outage of one stream, time from the stream's
  return to its picture being back (≤ 5)
- ``video_outage_notice_s``: time from the cut to the tile saying "reconnecting"

Run with ``python -m bench --only video`` (or ``python -m bench.video``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
N = 16
WARMUP_S = 3.0
MEASURE_S = 8.0
CLIP_S = 10
RATE_BPS = 350_000  # ~2.4x the clip's bitrate: the player reads ahead as from a gateway
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
    def __init__(self, root: Path, rate: int | None) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.video.streamserver", str(root), str(rate or 0)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True)
        self.port = int(self.proc.stdout.readline())

    def url(self, name: str, tag: int) -> str:
        return f"http://127.0.0.1:{self.port}/{name}?cam={tag}"

    def control(self, cmd: str) -> None:
        urllib.request.urlopen(f"http://127.0.0.1:{self.port}/_control/{cmd}", timeout=5).read()

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(10)


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
        p.setLoops(QMediaPlayer.Loops.Infinite)
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

    from tests.video.streamserver import make_clip

    tmp = Path(tempfile.mkdtemp(prefix="bench-video-"))
    os.environ["DUTY_CONSOLE_DATA_DIR"] = str(tmp / "data")  # never the real layout.ini
    make_clip(tmp / "clip.mp4", seconds=CLIP_S)
    app = QApplication.instance() or QApplication([])
    QThreadPool.globalInstance().setMaxThreadCount(max(24, QThreadPool.globalInstance().maxThreadCount()))
    proc = psutil.Process()
    srv = _Server(tmp, RATE_BPS)
    out: dict[str, float] = {}
    try:
        bare_cpu, bare_fps = _bare_wall(app, proc, [srv.url("clip.mp4", i) for i in range(N)])
        out["video_bare_16_cpu_pct"] = bare_cpu
        out["video_bare_16_min_fps"] = bare_fps
        out.update(_our_wall(app, proc, srv, tmp))
        out["video_wall_vs_bare_cpu"] = out["video_wall_16_cpu_pct"] / max(bare_cpu, 1e-6)
    finally:
        srv.close()
    return out


def _our_wall(app, proc, srv: _Server, tmp: Path) -> dict[str, float]:
    from console.domain.model import Actor, Role
    from console.qt.context import AppContext
    from localdb.feed import apply_changes
    from tests.factories import load_sample_store
    from views.video_wall import VideoWallPanel
    from widgets.camera_tile import TileState

    store = load_sample_store(tmp / "console.db", n_tickets=10)
    cams = [{"seq": 0, "kind": "camera", "op": "upsert", "id": f"B{i:02d}", "data": {
        "id": f"B{i:02d}", "name": f"基准{i}", "lat": 31.18 + i * 1e-4, "lon": 121.49, "grid_id": "G01",
        "online": True, "stream_url": srv.url("clip.mp4", 100 + i), "substream_url": "",
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

    # reconnect: cut the streams for 3 s (all tiles see it; we time tile 0)
    tile = tiles[0]
    frames = tile.frames
    t_cut = time.monotonic()
    srv.control("down")
    _pump(app, 15, lambda: tile.state in (TileState.RECONNECTING, TileState.ERROR))
    out["video_outage_notice_s"] = time.monotonic() - t_cut
    _pump(app, max(0.0, 3.0 - (time.monotonic() - t_cut)))
    srv.control("up")
    t_up = time.monotonic()
    ok = _pump(app, 40, lambda: tile.state == TileState.PLAYING and tile.frames > frames)
    out["video_reconnect_s"] = (time.monotonic() - t_up) if ok else float("inf")
    _pump(app, 40, lambda: all(t.state == TileState.PLAYING for t in tiles))
    out["video_reconnect_all16_s"] = time.monotonic() - t_up
    panel.shutdown()
    panel.close()
    panel.deleteLater()
    ctx.tasks.wait()
    _pump(app, 0.5)
    store.close()
    return out


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
