"""Camera streams made with ffmpeg on first request, cached under ``<data-dir>/streams``.

Each camera gets a moving synthetic scene (testsrc2, mandelbrot, life, cellauto by
source) with its name and a running clock burned in. Two forms:

* **HLS (live)** — ``/streams/<id>/main.m3u8`` (640x360 25 fps) and ``sub.m3u8``
  (320x180 25 fps, the PAL rate Shanghai's cameras run both streams at). One ffmpeg run per camera encodes a loop of ``HLS_SEGMENTS``
  H.264 MPEG-TS segments of ``HLS_SEGMENT_S`` seconds for both variants. The playlist
  is a live sliding window: its ``EXT-X-MEDIA-SEQUENCE`` follows wall time (segment
  ``n`` covers ``[n*2 s, (n+1)*2 s)`` since the epoch) and cycles through the loop,
  with ``EXT-X-DISCONTINUITY`` where the loop wraps. ``/streams/<id>/<variant>/<n>.ts``
  serves segment ``n`` of the endless stream: the loop's ``n mod HLS_SEGMENTS`` with
  its PCR/PTS/DTS and continuity counters moved on by the passes before it, so the
  stream's clock never jumps back (FFmpeg-based players, QtMultimedia among them,
  ignore the discontinuity tag and stop showing frames when time goes backwards).
* **MP4** — ``/streams/<id>/main.mp4`` and ``sub.mp4``: a 6 s clip players loop.

No network needed; ``--no-streams`` turns generation off (404). An offline camera
answers 503. Encoding runs on worker threads, never on the event loop; concurrent
requests for one camera wait for the same encoding.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import glob
import hashlib
import hmac
import logging
import os
import re
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from fastapi import APIRouter, Path as PathParam, Request
from fastapi.responses import FileResponse, Response

from console.domain import cameras
from simulator.errors import ApiError, responses

log = logging.getLogger(__name__)
router = APIRouter(tags=["streams"])
CLIP_SECONDS = 6
HLS_SEGMENT_S = 2          # seconds per segment (a key frame starts each)
HLS_SEGMENTS = 8           # segments in the loop (16 s)
HLS_WINDOW = 5             # segments listed in the live playlist
HLS_MIME = "application/vnd.apple.mpegurl"
VARIANTS = {"main": (640, 360, 25, 28), "sub": (320, 180, 25, 16)}
#: the encoding's parameters name the cache directory, so a data directory made by an
#: older build (other sizes or rates) is encoded anew instead of played stale
_HLS_TAG = "-".join(f"{v}{w}x{h}r{r}" for v, (w, h, r, _s) in sorted(VARIANTS.items()))
_SCENES = {
    "street": "testsrc2=size={w}x{h}:rate={r}",
    "police": "mandelbrot=size={w}x{h}:rate={r}:maxiter=96",
    "property": "life=size={w}x{h}:rate={r}:mold=10:ratio=0.12:life_color=#30c060:death_color=#204060",
    "construction": "cellauto=size={w}x{h}:rate={r}:rule=110:random_fill_ratio=0.3",
}
_FONT_GLOBS = ("/usr/share/fonts/**/*NotoSansCJK*", "/usr/share/fonts/**/*SourceHanSans*",
               "/usr/share/fonts/**/wqy*", "/usr/share/fonts/**/*NotoSerifCJK*",
               "/usr/share/fonts/**/*[Dd]roid*Fallback*")
_EXTINF = re.compile(r"^#EXTINF:([0-9.]+)", re.M)


def find_cjk_font() -> str | None:
    for pattern in _FONT_GLOBS:
        hits = sorted(glob.glob(pattern, recursive=True))
        if hits:
            return hits[0]
    return None


def _latin_font() -> str | None:
    hits = sorted(glob.glob("/usr/share/fonts/**/DejaVuSans.ttf", recursive=True))
    return hits[0] if hits else None


@dataclass(frozen=True)
class HlsLoop:
    """One camera variant's encoded loop: ``dir/segNN.ts``, their durations, and per
    TS packet id how many packets carry payload in one pass (continuity counters)."""
    dir: Path
    durations: tuple[float, ...]
    payload_packets: dict[int, int]

    @property
    def ticks(self) -> int:
        """One pass of the loop in 90 kHz clock ticks."""
        return round(sum(self.durations) * 90_000)

    def segment(self, seq: int) -> Path:
        return self.dir / f"seg{seq % len(self.durations):02d}.ts"

    def segment_bytes(self, seq: int) -> bytes:
        """Segment ``seq`` of the endless stream: the loop's file with its clocks moved
        on by the passes before it, so time only goes forward across the wrap (players
        stall when timestamps jump back)."""
        data = bytearray(self.segment(seq).read_bytes())
        passes = seq // len(self.durations)
        shift_ts(data, passes * self.ticks, {pid: passes * n for pid, n in self.payload_packets.items()})
        return bytes(data)


_TS = 188
_WRAP = 1 << 33


def _get_ts(b: bytearray, i: int) -> int:
    return (((b[i] >> 1) & 7) << 30 | b[i + 1] << 22 | (b[i + 2] >> 1) << 15
            | b[i + 3] << 7 | b[i + 4] >> 1)


def _put_ts(b: bytearray, i: int, ts: int) -> None:
    b[i] = (b[i] & 0xF0) | ((ts >> 29) & 0x0E) | 1
    b[i + 1] = (ts >> 22) & 0xFF
    b[i + 2] = ((ts >> 14) & 0xFE) | 1
    b[i + 3] = (ts >> 7) & 0xFF
    b[i + 4] = ((ts << 1) & 0xFE) | 1


def count_payload_packets(data: bytes | bytearray) -> dict[int, int]:
    out: dict[int, int] = {}
    for off in range(0, len(data) - _TS + 1, _TS):
        if data[off] == 0x47 and data[off + 3] & 0x10:
            pid = (data[off + 1] & 0x1F) << 8 | data[off + 2]
            out[pid] = out.get(pid, 0) + 1
    return out


def shift_ts(b: bytearray, ticks: int, cc_steps: dict[int, int]) -> None:
    """Add ``ticks`` (90 kHz) to every PCR, PTS and DTS of an MPEG-TS buffer in place,
    and advance each packet id's continuity counter by ``cc_steps[pid]``."""
    ticks %= _WRAP
    for off in range(0, len(b) - _TS + 1, _TS):
        if b[off] != 0x47:
            continue
        pid = (b[off + 1] & 0x1F) << 8 | b[off + 2]
        afc = (b[off + 3] >> 4) & 3
        step = cc_steps.get(pid, 0) & 0x0F
        if step and afc & 1:
            b[off + 3] = (b[off + 3] & 0xF0) | ((b[off + 3] + step) & 0x0F)
        p = off + 4
        if afc & 2:
            length = b[p]
            if length and b[p + 1] & 0x10:  # PCR: 33-bit base (90 kHz), 6 reserved, 9-bit ext
                q = p + 2
                base = (b[q] << 25 | b[q + 1] << 17 | b[q + 2] << 9 | b[q + 3] << 1 | b[q + 4] >> 7)
                base = (base + ticks) % _WRAP
                b[q], b[q + 1], b[q + 2], b[q + 3] = (base >> 25) & 0xFF, (base >> 17) & 0xFF, \
                    (base >> 9) & 0xFF, (base >> 1) & 0xFF
                b[q + 4] = ((base & 1) << 7) | (b[q + 4] & 0x7F)
            p += 1 + length
        if not (afc & 1) or not (b[off + 1] & 0x40) or p + 14 > off + _TS:
            continue
        if b[p] != 0 or b[p + 1] != 0 or b[p + 2] != 1 or b[p + 3] in (0xBC, 0xBE, 0xBF, 0xF0, 0xF1, 0xFF):
            continue
        flags = b[p + 7] >> 6
        if flags & 2:  # PTS
            _put_ts(b, p + 9, (_get_ts(b, p + 9) + ticks) % _WRAP)
        if flags == 3 and p + 19 <= off + _TS:  # and DTS
            _put_ts(b, p + 14, (_get_ts(b, p + 14) + ticks) % _WRAP)


def live_playlist(loop: HlsLoop, now: float, window: int = HLS_WINDOW,
                  segment_s: float = HLS_SEGMENT_S) -> str:
    """The live window at wall time ``now``: the newest listed segment is the last one
    completed (``n`` covers ``[n*segment_s, (n+1)*segment_s)``)."""
    k = len(loop.durations)
    last = max(window - 1, int(now // segment_s) - 1)
    first = last - window + 1
    disc_seq = (first - 1) // k if first > 0 else 0  # wrap tags that slid out of the window
    target = max(1, round(max(loop.durations) + 0.49))
    start = dt.datetime.fromtimestamp(first * segment_s, dt.timezone.utc)
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", f"#EXT-X-TARGETDURATION:{target}",
             f"#EXT-X-MEDIA-SEQUENCE:{first}", f"#EXT-X-DISCONTINUITY-SEQUENCE:{disc_seq}",
             "#EXT-X-PROGRAM-DATE-TIME:" + start.isoformat(timespec="milliseconds").replace("+00:00", "Z")]
    for seq in range(first, last + 1):
        if seq % k == 0 and seq > 0:  # the loop wraps: timestamps start again
            lines.append("#EXT-X-DISCONTINUITY")
        lines.append(f"#EXTINF:{loop.durations[seq % k]:.3f},")
        lines.append(f"{loop.dir.name}/{seq}.ts")  # relative: /streams/<id>/<variant>/<n>.ts
    return "\n".join(lines) + "\n"


class Streams:
    def __init__(self, data_dir: Path, enabled: bool):
        self.dir = Path(data_dir) / "streams"
        self.enabled = enabled and shutil.which("ffmpeg") is not None
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()
        self._encoders = threading.BoundedSemaphore(2)
        self._cjk = find_cjk_font()
        self._latin = _latin_font()
        self._loops: dict[tuple[str, str], HlsLoop] = {}
        self._pending: dict[str, asyncio.Future] = {}
        self.encodings = 0   # ffmpeg runs for HLS loops (tests count them)

    def _lock(self, name: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(name, threading.Lock())

    def _label_file(self, cam: dict) -> Path:
        self.dir.mkdir(parents=True, exist_ok=True)
        label = f"{cam['id']} {cam['name']}" if self._cjk else cam["id"]
        text_file = self.dir / f"{cam['id']}.txt"
        if not text_file.exists() or text_file.read_text(encoding="utf-8") != label:
            text_file.write_text(label, encoding="utf-8")
        return text_file

    def _drawtext(self, cam: dict, size: int) -> str:
        font = self._cjk or self._latin
        fontopt = f"fontfile={font}:" if font else ""
        return (f"drawtext={fontopt}textfile={self._label_file(cam)}:fontsize={size}:fontcolor=white:"
                f"box=1:boxcolor=black@0.55:x=8:y=8,"
                f"drawtext={fontopt}text='%{{pts\\:hms}}':fontsize={size}:fontcolor=yellow:"
                f"box=1:boxcolor=black@0.55:x=w-tw-8:y=h-th-8")

    # -- MP4 clips ----------------------------------------------------------------------
    def clip(self, cam: dict, variant: str) -> Path:
        out = self.dir / f"{cam['id']}-{variant}.mp4"
        if out.exists():
            return out
        with self._lock(out.name):
            if not out.exists():
                with self._encoders:  # a video wall asks for 16 at once: two encoders at a time
                    self._make(cam, variant, out)
        return out

    def _make(self, cam: dict, variant: str, out: Path) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        w, h, r, size = VARIANTS[variant]
        src = _SCENES.get(cam.get("source"), _SCENES["street"]).format(w=w, h=h, r=r)
        vf = f"format=yuv420p,{self._drawtext(cam, size)}"
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

    # -- HLS loops ----------------------------------------------------------------------
    def hls_dir(self, camera_id: str) -> Path:
        return self.dir / f"hls-{_HLS_TAG}" / camera_id

    def hls_loop(self, cam: dict, variant: str) -> HlsLoop:
        """The camera's encoded loop for ``variant`` (blocking: encodes both variants
        on first use; call it from a worker thread)."""
        key = (cam["id"], variant)
        loop = self._loops.get(key)
        if loop is not None:
            return loop
        with self._lock("hls:" + cam["id"]):
            loaded = self._load_hls(cam["id"])
            if loaded is None:
                with self._encoders:
                    self._make_hls(cam)
                loaded = self._load_hls(cam["id"])
                if loaded is None:
                    raise ApiError(503, "unavailable", "the stream could not be generated")
            self._loops.update({(cam["id"], v): lp for v, lp in loaded.items()})
        return self._loops[key]

    async def hls_loop_async(self, cam: dict, variant: str) -> HlsLoop:
        """``hls_loop`` off the event loop; concurrent callers share one encoding."""
        loop = self._loops.get((cam["id"], variant))
        if loop is not None:
            return loop
        fut = self._pending.get(cam["id"])
        if fut is None:
            fut = asyncio.ensure_future(asyncio.to_thread(self.hls_loop, cam, variant))
            self._pending[cam["id"]] = fut
            fut.add_done_callback(lambda _f, cid=cam["id"]: self._pending.pop(cid, None))
        await asyncio.shield(fut)
        return self._loops[(cam["id"], variant)]

    def _load_hls(self, camera_id: str) -> dict[str, HlsLoop] | None:
        out = {}
        for variant in VARIANTS:
            d = self.hls_dir(camera_id) / variant
            try:
                text = (d / "index.m3u8").read_text(encoding="utf-8")
            except OSError:
                return None
            durations = tuple(float(x) for x in _EXTINF.findall(text))
            if "#EXT-X-ENDLIST" not in text or not durations:
                return None
            counts: dict[int, int] = {}
            for i in range(len(durations)):
                try:
                    seg = (d / f"seg{i:02d}.ts").read_bytes()
                except OSError:
                    return None
                for pid, n in count_payload_packets(seg).items():
                    counts[pid] = counts.get(pid, 0) + n
            out[variant] = HlsLoop(d, durations, counts)
        return out

    def _make_hls(self, cam: dict) -> None:
        final = self.hls_dir(cam["id"])
        tmp = final.with_name(f"{cam['id']}.tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(final, ignore_errors=True)
        (w, h, r, size), (sw, sh, sr, ssize) = VARIANTS["main"], VARIANTS["sub"]
        src = _SCENES.get(cam.get("source"), _SCENES["street"]).format(w=w, h=h, r=r)
        graph = (f"[0:v]format=yuv420p,split=2[a][b];[a]{self._drawtext(cam, size)}[main];"
                 f"[b]scale={sw}:{sh},fps={sr},{self._drawtext(cam, ssize)}[sub]")
        cmd = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
               "-t", str(HLS_SEGMENT_S * HLS_SEGMENTS), "-i", src, "-filter_complex", graph]
        for variant, rate in (("main", r), ("sub", sr)):
            d = tmp / variant
            d.mkdir(parents=True)
            gop = str(rate * HLS_SEGMENT_S)
            cmd += ["-map", f"[{variant}]", "-an", "-c:v", "libx264", "-preset", "ultrafast",
                    "-profile:v", "baseline", "-pix_fmt", "yuv420p", "-crf", "26",
                    "-g", gop, "-keyint_min", gop, "-sc_threshold", "0",
                    "-f", "hls", "-hls_time", str(HLS_SEGMENT_S), "-hls_list_size", "0",
                    "-hls_playlist_type", "vod", "-hls_segment_filename", str(d / "seg%02d.ts"),
                    str(d / "index.m3u8")]
        t0 = time.monotonic()
        self.encodings += 1
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            shutil.rmtree(tmp, ignore_errors=True)
            log.error("ffmpeg failed for the HLS loop of %s: %s", cam["id"], proc.stderr[-500:])
            raise ApiError(503, "unavailable", "the stream could not be generated")
        os.replace(tmp, final)
        log.info("HLS loop of %s encoded in %.1f s", cam["id"], time.monotonic() - t0)


GRANT_TTL_S = 15 * 60


def _sign(secret: str, camera_id: str, exp: int, ws: str) -> str:
    msg = f"{camera_id}|{exp}|{ws}".encode()
    return hmac.new(secret.encode(), msg, hashlib.sha256).hexdigest()[:32]


def grant_query(secret: str, camera_id: str, ws: str, now: float) -> tuple[str, int]:
    """The query that opens a restricted camera's stream for one desk until it expires."""
    exp = int(now) + GRANT_TTL_S
    return urlencode({"exp": exp, "ws": ws, "sig": _sign(secret, camera_id, exp, ws)}), exp


def _granted(request: Request, cam: dict) -> str:
    """'' for a camera anyone may stream; for a restricted one the valid grant query
    (403 without it): the platform refuses streams to desks that were not cleared."""
    if not cameras.is_restricted(cam):
        return ""
    q = request.query_params
    try:
        exp = int(q.get("exp", "0"))
    except ValueError:
        exp = 0
    ws, sig = q.get("ws", ""), q.get("sig", "")
    secret = request.app.state.rt.cfg.token
    if exp < time.time() or not hmac.compare_digest(sig, _sign(secret, cam["id"], exp, ws)):
        raise ApiError(403, "not_cleared", f"camera {cam['id']} is restricted: ask for a grant "
                                          "(POST /api/v1/cameras/{id}/grant)")
    return urlencode({"exp": exp, "ws": ws, "sig": sig})


def _camera(request: Request, camera_id: str) -> tuple[dict, Streams]:
    """The camera if its stream can be served now: 404 unknown or streams off, 503 offline,
    403 restricted without a grant."""
    rt = request.app.state.rt
    cam = rt.cameras.get(camera_id)
    if cam is None:
        raise ApiError(404, "not_found", f"no camera {camera_id}")
    _granted(request, cam)
    if rt.streams is None or not rt.streams.enabled:
        raise ApiError(404, "not_found", "streams are disabled on this simulator (--no-streams)")
    if not cam.get("online", True):
        raise ApiError(503, "unavailable", f"camera {camera_id} is offline")
    return cam, rt.streams


_NO_STORE = {"Cache-Control": "no-cache, no-store"}


_PLAYLIST = "/streams/{camera_id}/{variant}.m3u8"
_SEGMENT = "/streams/{camera_id}/{variant}/{seq}.ts"
_PLAYLIST_DOC = {"response_class": Response,
                 "responses": {200: {"content": {HLS_MIME: {}}}, **responses(403, 404, 503)}}
_SEGMENT_DOC = {"response_class": Response,
                "responses": {200: {"content": {"video/mp2t": {}}}, **responses(403, 404, 503)}}


@router.head(_PLAYLIST, operation_id="hls_playlist_head", **_PLAYLIST_DOC)
@router.get(_PLAYLIST, operation_id="hls_playlist", **_PLAYLIST_DOC)
async def hls_playlist(request: Request, camera_id: str = PathParam(max_length=32),
                       variant: str = PathParam(pattern="^(main|sub)$")):
    """A camera's live HLS playlist (sliding window over wall time; no token)."""
    cam, streams = _camera(request, camera_id)
    loop = await streams.hls_loop_async(cam, variant)
    body = live_playlist(loop, time.time())
    query = _granted(request, cam)
    if query:  # segments of a restricted camera need the grant too
        body = "\n".join(f"{ln}?{query}" if ln and not ln.startswith("#") else ln for ln in body.split("\n"))
    return Response(b"" if request.method == "HEAD" else body.encode(), media_type=HLS_MIME,
                    headers=_NO_STORE)


@router.head(_SEGMENT, operation_id="hls_segment_head", **_SEGMENT_DOC)
@router.get(_SEGMENT, operation_id="hls_segment", **_SEGMENT_DOC)
async def hls_segment(request: Request, camera_id: str = PathParam(max_length=32),
                      variant: str = PathParam(pattern="^(main|sub)$"), seq: int = PathParam(ge=0, le=2 ** 40)):
    """Segment ``seq`` of a camera's live HLS stream (MPEG-TS, H.264)."""
    cam, streams = _camera(request, camera_id)
    loop = await streams.hls_loop_async(cam, variant)
    body = b"" if request.method == "HEAD" else await asyncio.to_thread(loop.segment_bytes, seq)
    return Response(body, media_type="video/mp2t")


@router.get("/streams/{camera_id}/{variant}.mp4", response_class=FileResponse,
            responses=responses(403, 404, 503))
def stream(request: Request, camera_id: str = PathParam(max_length=32),
           variant: str = PathParam(pattern="^(main|sub)$")):
    """A camera's looping clip (no token: video players cannot send one)."""
    cam, streams = _camera(request, camera_id)
    return FileResponse(streams.clip(cam, variant), media_type="video/mp4")
