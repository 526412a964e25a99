"""Bodies that arrive too slowly or nest too deeply (issue 14): 408 / 4xx, never a 500,
never a connection held open for ever."""

from __future__ import annotations

import socket
import time

import pytest
import requests

from simulator.testing import running_simulator

from .conftest import TOKEN


@pytest.fixture(scope="module")
def ssim(tmp_path_factory):
    with running_simulator(tmp_path_factory.mktemp("slow"), history_days=0.1, daily_rate=200,
                           token=TOKEN, body_timeout_s=1.0) as s:
        yield s


def _slow_post(sim, path: str, chunked: bool = False) -> tuple[bytes, float]:
    from urllib.parse import urlsplit

    u = urlsplit(sim.url)
    host, port = u.hostname, u.port
    sock = socket.create_connection((host, int(port)), timeout=10)
    length = b"Transfer-Encoding: chunked\r\n" if chunked else b"Content-Length: 100\r\n"
    sock.sendall(b"POST " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + TOKEN.encode()
                 + b"\r\nContent-Type: application/json\r\n" + length + b"\r\n"
                 + (b"1\r\n{\r\n" if chunked else b"{"))
    t0 = time.monotonic()
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    sock.close()
    return data, time.monotonic() - t0


@pytest.mark.parametrize("path,chunked", [("/api/v1/commands", False), ("/api/v1/commands", True),
                                          ("/api/v1/duty-records", False),
                                          ("/open311/v2/requests.json", False)])
def test_a_body_that_stops_arriving_is_408_and_the_connection_closed(ssim, path, chunked):
    data, waited = _slow_post(ssim, path, chunked)
    assert data.startswith(b"HTTP/1.1 408"), data[:200]
    assert waited < 8          # answered after the 1 s allowed, and the server closed the socket


def test_deeply_nested_json_is_a_4xx_everywhere(ssim):
    deep = "[" * 100_000 + "]" * 100_000
    h = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    for path in ("/api/v1/commands", "/api/v1/duty-records", "/open311/v2/requests.json",
                 "/_sim/faults"):
        r = requests.post(ssim.url + path, data=deep, headers=h, timeout=10)
        assert 400 <= r.status_code < 500, (path, r.status_code, r.text[:200])
    r = requests.post(ssim.url + "/open311/v2/requests.json", headers=h, timeout=10,
                      data='{"service_code": ' + "[" * 50_000 + "]" * 50_000 + "}")
    assert r.status_code == 400 and "nested" in r.text
    r = requests.post(ssim.url + "/open311/v2/requests.json", headers=h, timeout=10,
                      data='{"service_code": {"a": 1}}')
    assert r.status_code == 400 and "not objects or lists" in r.text
    assert requests.get(ssim.url + "/api/v1/health", timeout=5).status_code == 200


def test_an_ordinary_upload_is_not_cut(ssim):
    r = requests.post(ssim.url + "/api/v1/commands", json={"commands": []},
                      headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10)
    assert r.status_code == 422   # judged as usual (an empty batch), not timed out
