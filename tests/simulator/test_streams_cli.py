"""Camera clips (ffmpeg) and the command line (child process, JSON ready line)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import requests

from simulator.testing import SimProcess, running_simulator


def test_camera_clip_is_h264_mp4(tmp_path, ffmpeg):
    with running_simulator(tmp_path / "sim", history_days=0, streams=True) as sim:
        cams = [c["data"] for c in requests.get(
            sim.url + "/api/v1/changes", params={"limit": 5000}, headers=sim.headers(),
            timeout=10).json()["changes"] if c["kind"] == "camera"]
        police = next(c for c in cams if c["source"] == "police")
        clip_url = f"{sim.url}/streams/{police['id']}/sub.mp4"
        assert requests.get(clip_url, timeout=30).status_code == 403   # restricted: a grant is needed
        leader = {"user_id": "leader1", "name": "乙", "role": "shift_leader", "workstation": "WS-2"}
        g = requests.post(f"{sim.url}/api/v1/cameras/{police['id']}/grant", json={"actor": leader},
                          headers=sim.headers(), timeout=10).json()
        r = requests.get(clip_url + "?" + g["substream_url"].split("?", 1)[1], timeout=120)
        assert r.status_code == 200 and r.content[4:8] == b"ftyp"
        url = f"{sim.url}/streams/{cams[0]['id']}/sub.mp4"  # the feed's URLs are HLS; MP4 stays
        r = requests.get(url, timeout=120)
        assert r.status_code == 200 and r.headers["content-type"] == "video/mp4"
        assert r.content[4:8] == b"ftyp"
        clip = tmp_path / "clip.mp4"
        clip.write_bytes(r.content)
        ffprobe = shutil.which("ffprobe")
        assert ffprobe, "ffprobe comes with ffmpeg and is needed to check the clip"
        probe = json.loads(subprocess.run(
            [ffprobe, "-v", "error", "-show_streams", "-of", "json", str(clip)],
            capture_output=True, text=True, check=True).stdout)
        v = probe["streams"][0]
        assert v["codec_name"] == "h264" and (v["width"], v["height"]) == (320, 180)
        part = requests.get(url, headers={"Range": "bytes=0-99"}, timeout=10)
        assert part.status_code == 206 and len(part.content) == 100
        assert requests.get(sim.url + "/streams/NOPE/main.mp4", timeout=5).status_code == 404


def test_cli_prints_ready_line_and_serves(tmp_path):
    p = SimProcess(tmp_path / "cli", token="cli-token",
                   args=["--history-days", "0.05", "--no-streams", "--seed", "4"])
    try:
        assert p.url.startswith("http://127.0.0.1:") and p.pid == p.proc.pid
        assert requests.get(p.url + "/api/v1/health", timeout=5).json()["status"] == "ok"
        r = requests.get(p.url + "/api/v1/changes", headers={"Authorization": "Bearer cli-token"},
                         params={"limit": 1}, timeout=5)
        assert r.status_code == 200 and r.json()["has_more"] is True
    finally:
        p.stop()
    assert p.proc.returncode == 0   # SIGTERM: graceful stop, clock saved, store closed
