"""A loopback HTTP server for video tests and the video benchmark.

Serves files from one directory, optionally throttled to a byte rate so that a
player keeps reading as from a live camera. ``down = True`` makes new requests
answer 404 and cuts the responses in flight, the way a camera or a media gateway
drops out; ``down = False`` brings it back. ``stall = True`` keeps connections open but sends
nothing (a hung gateway).
"""

from __future__ import annotations

import http.server
import os
import threading
import time
from pathlib import Path


class StreamServer:
    def __init__(self, root: Path, rate_bps: int | None = None) -> None:
        self.root = Path(root)
        self.rate_bps = rate_bps
        self.down = False
        self.stall = False
        self.requests = 0
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output quiet
                pass

            def do_HEAD(self):
                self._serve(head=True)

            def do_GET(self):
                self._serve(head=False)

            def _serve(self, head: bool) -> None:
                outer.requests += 1
                name = self.path.split("?", 1)[0].lstrip("/")
                if name.startswith("_control/"):  # for a server in another process
                    cmd = name.split("/", 1)[1]
                    outer.down = cmd == "down"
                    outer.stall = cmd == "stall"
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                path = outer.root / name
                if outer.down or not name or not path.is_file():
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                size = path.stat().st_size
                start, end = 0, size - 1
                rng = self.headers.get("Range")
                if rng and rng.startswith("bytes="):
                    a, _, b = rng[6:].partition("-")
                    start = int(a) if a else 0
                    end = int(b) if b else size - 1
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
                else:
                    self.send_response(200)
                ctype = {".mp4": "video/mp4", ".ts": "video/mp2t", ".m3u8": "application/vnd.apple.mpegurl"}
                self.send_header("Content-Type", ctype.get(path.suffix, "application/octet-stream"))
                self.send_header("Accept-Ranges", "bytes")
                self.send_header("Content-Length", str(end - start + 1))
                self.end_headers()
                if head:
                    return
                try:
                    with open(path, "rb") as f:
                        f.seek(start)
                        left = end - start + 1
                        t0 = time.monotonic()
                        sent = 0
                        while left > 0:
                            if outer.down:
                                self.close_connection = True
                                return
                            if outer.stall:
                                time.sleep(0.05)
                                t0 += 0.05
                                continue
                            chunk = f.read(min(32768, left))
                            if not chunk:
                                break
                            self.wfile.write(chunk)
                            left -= len(chunk)
                            sent += len(chunk)
                            if outer.rate_bps:
                                ahead = sent / outer.rate_bps - (time.monotonic() - t0)
                                if ahead > 0:
                                    time.sleep(ahead)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.port}/{name}"

    def start(self) -> "StreamServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.down = True
        self.httpd.shutdown()
        self.httpd.server_close()


def make_clip(path: Path, seconds: float = 4, size: str = "640x360", rate: int = 25,
              crf: int = 30) -> Path:
    """An H.264 testsrc2 MP4 (faststart, a key frame every second)."""
    import subprocess

    if not path.exists():
        subprocess.run(
            ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
             "-i", f"testsrc2=size={size}:rate={rate}", "-t", str(seconds), "-c:v", "libx264",
             "-preset", "ultrafast", "-crf", str(crf), "-pix_fmt", "yuv420p", "-g", str(rate),
             "-movflags", "+faststart", os.fspath(path)],
            check=True, timeout=120)
    return path


def main(argv: list[str] | None = None) -> None:
    """``python -m tests.video.streamserver DIR [RATE_BPS]``: serve until killed; prints
    the port. GET /_control/down|stall|up switches the failure mode."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    srv = StreamServer(Path(args[0]), int(args[1]) if len(args) > 1 else None)
    print(srv.port, flush=True)
    srv.httpd.serve_forever()


if __name__ == "__main__":
    main()
