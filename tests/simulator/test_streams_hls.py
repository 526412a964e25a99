"""Live HLS camera streams: the sliding window over wall time, the wrap of the loop,
segments whose clocks only go forward, offline and disabled cameras."""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests

from simulator.streams import HLS_SEGMENTS, HlsLoop, live_playlist
from simulator.testing import running_simulator

needs_ffmpeg = pytest.mark.usefixtures("ffmpeg")  # missing ffmpeg fails the test


def _seqs(text: str) -> list[int]:
    return [int(m) for m in re.findall(r"^main/(\d+)\.ts$", text, re.M)]


def test_live_window_follows_wall_time_and_marks_the_wrap():
    loop = HlsLoop(Path("/x/main"), (2.0,) * 8, {})
    t = 1_000_000 * 2.0 + 0.5          # inside segment 1 000 000: 999 999 is the newest complete
    text = live_playlist(loop, t, window=5)
    assert text.startswith("#EXTM3U\n") and "#EXT-X-ENDLIST" not in text
    assert "#EXT-X-TARGETDURATION:2\n" in text and "#EXT-X-MEDIA-SEQUENCE:999995\n" in text
    assert _seqs(text) == list(range(999995, 1000000))
    later = live_playlist(loop, t + 2.0, window=5)
    assert "#EXT-X-MEDIA-SEQUENCE:999996\n" in later  # one segment later, the window slid by one
    # 1 000 000 is a multiple of 8: the loop starts again there, after a discontinuity
    wrap = live_playlist(loop, 1_000_003 * 2.0, window=5)
    lines = wrap.splitlines()
    i = lines.index("main/1000000.ts")
    assert lines[i - 2] == "#EXT-X-DISCONTINUITY" and wrap.count("#EXT-X-DISCONTINUITY\n") == 1
    # tags that slid out are counted: 999 998 .. 1 000 002 has 124 999 wraps before it
    assert "#EXT-X-DISCONTINUITY-SEQUENCE:124999\n" in wrap
    slid = live_playlist(loop, 1_000_006 * 2.0, window=5)  # 1 000 001 .. 1 000 005: tag gone
    assert "#EXT-X-DISCONTINUITY\n" not in slid and "#EXT-X-DISCONTINUITY-SEQUENCE:125000\n" in slid
    assert live_playlist(loop, 3.0, window=5).count(".ts") == 5  # never before segment 0


def _probe_packets(data: bytes, tmp_path: Path) -> list[dict]:
    f = tmp_path / "seg.ts"
    f.write_bytes(data)
    out = subprocess.run(["ffprobe", "-v", "error", "-show_packets", "-show_streams", "-of", "json", str(f)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


@needs_ffmpeg
def test_hls_stream_is_live_h264_and_encoded_once(tmp_path):
    with running_simulator(tmp_path / "sim", history_days=0, streams=True) as sim:
        cams = {c["id"]: c["data"] for c in requests.get(
            sim.url + "/api/v1/changes", params={"limit": 5000}, headers=sim.headers(),
            timeout=10).json()["changes"] if c["kind"] == "camera"}
        cam = next(c for c in cams.values() if c["source"] == "street" and c["online"])
        assert cam["stream_url"] == f"{sim.url}/streams/{cam['id']}/main.m3u8"
        assert cam["substream_url"] == f"{sim.url}/streams/{cam['id']}/sub.m3u8"

        # a wall asks for one camera several times at once: one ffmpeg run, and the
        # server keeps answering other requests while it encodes
        # (the encoding is held until the health answer is in: no race with ffmpeg's speed)
        streams = sim.rt.streams
        encoding, release = threading.Event(), threading.Event()
        real_make = streams._make_hls

        def held_make(c):
            encoding.set()
            assert release.wait(60)
            return real_make(c)

        streams._make_hls = held_make
        answers = []
        threads = [threading.Thread(target=lambda u=u: answers.append(requests.get(u, timeout=120)))
                   for u in (cam["stream_url"], cam["stream_url"], cam["substream_url"])]
        for th in threads:
            th.start()
        try:
            assert encoding.wait(30), "the encoding never started"
            health = requests.get(sim.url + "/api/v1/health", timeout=30).status_code
            still_encoding = cam["id"] in streams._pending
        finally:
            release.set()
        for th in threads:
            th.join()
        assert health == 200 and still_encoding
        assert [r.status_code for r in answers] == [200, 200, 200]
        assert sim.rt.streams.encodings == 1
        r = next(r for r in answers if r.url == cam["stream_url"])
        assert r.headers["content-type"] == "application/vnd.apple.mpegurl"
        seqs = _seqs(r.text)
        assert len(seqs) >= 3 and seqs == list(range(seqs[0], seqs[0] + len(seqs)))
        assert abs(seqs[-1] - (time.time() // 2 - 1)) <= 1  # follows wall time

        base = cam["stream_url"].rsplit("/", 1)[0]
        n = seqs[-1]
        seg = requests.get(f"{base}/main/{n}.ts", timeout=10)
        assert seg.status_code == 200 and seg.headers["content-type"] == "video/mp2t"
        assert seg.content[0] == 0x47
        one = _probe_packets(seg.content, tmp_path)
        assert one["streams"][0]["codec_name"] == "h264"
        assert (one["streams"][0]["width"], one["streams"][0]["height"]) == (640, 360)
        # the same loop segment one pass later: same pictures, clock 16 s on
        later = _probe_packets(requests.get(f"{base}/main/{n + HLS_SEGMENTS}.ts", timeout=10).content, tmp_path)
        pts = [int(p["pts"]) for p in one["packets"]]
        assert [int(p["pts"]) - 16 * 90_000 for p in later["packets"]] == pts
        sub = _probe_packets(requests.get(f"{base}/sub/{n}.ts", timeout=10).content, tmp_path)
        assert (sub["streams"][0]["width"], sub["streams"][0]["height"]) == (320, 180)

        # a police camera (restricted): no stream without the platform's grant to a cleared
        # officer; with it, the playlist's segments carry the grant too
        police = next(c for c in cams.values() if c["source"] == "police" and c["online"])
        assert police["security_level"] == 3
        assert requests.get(police["stream_url"], timeout=10).status_code == 403
        grant_url = f"{sim.url}/api/v1/cameras/{police['id']}/grant"
        officer = {"user_id": "officer1", "name": "甲", "role": "officer", "workstation": "WS-1"}
        leader = {"user_id": "leader1", "name": "乙", "role": "shift_leader", "workstation": "WS-2"}
        forged = {**leader, "user_id": "officer1"}
        for who in (officer, forged):
            r = requests.post(grant_url, json={"actor": who}, headers=sim.headers(), timeout=10)
            assert r.status_code == 403 and r.json()["error"]["code"] == "not_cleared"
        g = requests.post(grant_url, json={"actor": leader}, headers=sim.headers(), timeout=10).json()
        pl = requests.get(g["stream_url"], timeout=120)
        assert pl.status_code == 200
        segs = [ln for ln in pl.text.splitlines() if ln and not ln.startswith("#")]
        assert segs and all("?exp=" in ln and "&sig=" in ln for ln in segs)
        pbase = g["stream_url"].split("?")[0].rsplit("/", 1)[0]
        assert requests.get(f"{pbase}/{segs[-1]}", timeout=10).status_code == 200
        assert requests.get(f"{pbase}/{segs[-1].split('?')[0]}", timeout=10).status_code == 403
        tampered = g["stream_url"].replace("ws=WS-2", "ws=WS-9")
        assert requests.get(tampered, timeout=10).status_code == 403       # the grant is for one desk
        assert [(x["user_id"], x["granted"]) for x in sim.rt.camera_grants] == [
            ("officer1", False), ("officer1", False), ("leader1", True)]

        sim.rt.cameras[cam["id"]]["online"] = False
        assert requests.get(cam["stream_url"], timeout=5).status_code == 503
        assert requests.head(cam["stream_url"], timeout=5).status_code == 503  # players' probes
        assert requests.get(f"{base}/main/{n}.ts", timeout=5).status_code == 503
        assert requests.get(sim.url + "/streams/NOPE/main.m3u8", timeout=5).status_code == 404
        assert requests.get(f"{base}/hd.m3u8", timeout=5).status_code == 422


def test_streams_off_answers_404(sim):
    cam = sim.rt.camera_with_urls(next(iter(sim.rt.cameras.values())))
    assert requests.get(cam["stream_url"], timeout=5).status_code == 404
    base = cam["stream_url"].rsplit("/", 1)[0]
    assert requests.get(f"{base}/sub/5.ts", timeout=5).status_code == 404
