"""Camera streams: short looping H.264 MP4 clips made with ffmpeg on first request.

Each camera gets a moving synthetic scene (testsrc2, mandelbrot, life, cellauto by
source) with its name and a running clock burned in, cached under
``<data-dir>/streams``. ``main`` is 640x360 25 fps, ``sub`` 320x180 15 fps. Players
loop the clip. No network needed; ``--no-streams`` turns generation off.
"""

from __future__ import annotations

import glob
import logging
import os
import shutil
import subprocess
import threading
from pathlib import Path

from fastapi import APIRouter, Path as PathParam, Request
from fastapi.responses import FileResponse

from simulator.errors import ApiError, responses

log = logging.getLogger(__name__)
router = APIRouter(tags=["streams"])
CLIP_SECONDS = 6
_VARIANTS = {"main": (640, 360, 25, 28), "sub": (320, 180, 15, 16)}
_SCENES = {
    "street": "testsrc2=size={w}x{h}:rate={r}",
    "police": "mandelbrot=size={w}x{h}:rate={r}:maxiter=96",
    "property": "life=size={w}x{h}:rate={r}:mold=10:ratio=0.12:life_color=#30c060:death_color=#204060",
    "construction": "cellauto=size={w}x{h}:rate={r}:rule=110:random_fill_ratio=0.3",
}
_FONT_GLOBS = ("/usr/share/fonts/**/*NotoSansCJK*", "/usr/share/fonts/**/*SourceHanSans*",
               "/usr/share/fonts/**/wqy*", "/usr/share/fonts/**/*NotoSerifCJK*",
               "/usr/share/fonts/**/*[Dd]roid*Fallback*")


def find_cjk_font() -> str | None:
    for pattern in _FONT_GLOBS:
        hits = sorted(glob.glob(pattern, recursive=True))
        if hits:
            return hits[0]
    return None


def _latin_font() -> str | None:
    hits = sorted(glob.glob("/usr/share/fonts/**/DejaVuSans.ttf", recursive=True))
    return hits[0] if hits else None


class Streams:
    def __init__(self, data_dir: Path, enabled: bool):
        self.dir = Path(data_dir) / "streams"
        self.enabled = enabled and shutil.which("ffmpeg") is not None
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._encoders = threading.BoundedSemaphore(2)
        self._cjk = find_cjk_font()
        self._latin = _latin_font()

    def clip(self, cam: dict, variant: str) -> Path:
        out = self.dir / f"{cam['id']}-{variant}.mp4"
        if out.exists():
            return out
        with self._guard:
            lock = self._locks.setdefault(out.name, threading.Lock())
        with lock:
            if not out.exists():
                with self._encoders:  # a video wall asks for 16 at once: two encoders at a time
                    self._make(cam, variant, out)
        return out

    def _make(self, cam: dict, variant: str, out: Path) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        w, h, r, size = _VARIANTS[variant]
        font = self._cjk or self._latin
        label = f"{cam['id']} {cam['name']}" if self._cjk else cam["id"]
        text_file = self.dir / f"{cam['id']}.txt"
        text_file.write_text(label, encoding="utf-8")
        fontopt = f"fontfile={font}:" if font else ""
        src = _SCENES.get(cam.get("source"), _SCENES["street"]).format(w=w, h=h, r=r)
        vf = (f"format=yuv420p,drawtext={fontopt}textfile={text_file}:fontsize={size}:fontcolor=white:"
              f"box=1:boxcolor=black@0.55:x=8:y=8,"
              f"drawtext={fontopt}text='%{{pts\\:hms}}':fontsize={size}:fontcolor=yellow:"
              f"box=1:boxcolor=black@0.55:x=w-tw-8:y=h-th-8")
        tmp = out.with_suffix(".tmp.mp4")
        cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
               "-i", src, "-t", str(CLIP_SECONDS), "-vf", vf, "-an", "-c:v", "libx264",
               "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p", "-g", str(r),
               "-movflags", "+faststart", str(tmp)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            log.error("ffmpeg failed for %s: %s", out.name, proc.stderr[-500:])
            raise ApiError(503, "unavailable", "the stream could not be generated")
        os.replace(tmp, out)


@router.get("/streams/{camera_id}/{variant}.mp4", response_class=FileResponse,
            responses=responses(404, 503))
def stream(request: Request, camera_id: str = PathParam(max_length=32),
           variant: str = PathParam(pattern="^(main|sub)$")):
    """A camera's looping clip (no token: video players cannot send one)."""
    rt = request.app.state.rt
    cam = rt.cameras.get(camera_id)
    if cam is None:
        raise ApiError(404, "not_found", f"no camera {camera_id}")
    if rt.streams is None or not rt.streams.enabled:
        raise ApiError(404, "not_found", "streams are disabled on this simulator (--no-streams)")
    if not cam.get("online", True):
        raise ApiError(503, "unavailable", f"camera {camera_id} is offline")
    return FileResponse(rt.streams.clip(cam, variant), media_type="video/mp4")
