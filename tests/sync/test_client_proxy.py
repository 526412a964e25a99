"""Client error mapping and the fault proxy, against a canned loopback server."""

import json
import logging
import socket
import time

import pytest

from console.sync.client import (AuthError, BadResponse, LinkDown, PlatformClient,
                                 RequestRejected, ResyncRequired)
from console.sync.proxy import FaultProxy

from .helpers import Canned


@pytest.fixture
def canned():
    c = Canned()
    yield c
    c.close()


def _changes_body(n=2):
    return json.dumps({"changes": [{"seq": i, "kind": "x", "op": "delete", "id": str(i)} for i in range(1, n + 1)],
                       "next_cursor": "c2", "has_more": False, "server_time_epoch": 1.0}).encode()


def test_errors_are_typed(canned):
    cl = PlatformClient(canned.url, "s3cret-token", timeout=(1, 2))
    canned.body = _changes_body()
    batch = cl.changes("", 10)
    assert [c["seq"] for c in batch.changes] == [1, 2] and batch.next_cursor == "c2"
    for status, exc in ((401, AuthError), (410, ResyncRequired), (503, LinkDown), (500, LinkDown),
                        (422, RequestRejected)):
        canned.status = status
        canned.body = json.dumps({"error": {"code": "x", "message": "m"}}).encode()
        with pytest.raises(exc):
            cl.changes("c", 10)
    canned.status = 200
    canned.body = b"<html>proxy login</html>"
    with pytest.raises(BadResponse):
        cl.changes("c", 10)
    canned.body = b'{"changes": "nope", "next_cursor": 3}'
    with pytest.raises(BadResponse):
        cl.changes("c", 10)
    canned.body = json.dumps({"results": [{"command_id": "other", "status": "applied"}]}).encode()
    with pytest.raises(BadResponse):
        cl.send_commands([{"command_id": "a"}])
    # the bearer token goes on the wire, /health goes without it
    assert canned.requests[0][2]["Authorization"] == "Bearer s3cret-token"


def test_connection_refused_is_link_down():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    with pytest.raises(LinkDown):
        PlatformClient(f"http://127.0.0.1:{port}", "t", timeout=(0.5, 0.5)).health()


def test_token_never_logged(canned, caplog):
    caplog.set_level(logging.DEBUG)
    cl = PlatformClient(canned.url, "s3cret-token", timeout=(1, 1))
    canned.status = 500
    with pytest.raises(LinkDown):
        cl.changes("c", 1)
    assert "s3cret" not in caplog.text and "s3cret" not in repr(cl)


def test_proxy_modes(canned):
    canned.body = json.dumps({"status": "ok", "server_time_epoch": time.time()}).encode()
    with FaultProxy("127.0.0.1", canned.port, seed=1) as px:
        cl = PlatformClient(px.url, "t", timeout=(0.5, 0.5))
        assert cl.health().server_time_epoch > 0
        px.delay(150)  # each way
        assert cl.health().rtt_s >= 0.3
        px.partition("blackhole")
        t0 = time.monotonic()
        with pytest.raises(LinkDown):
            cl.health()
        assert time.monotonic() - t0 >= 0.5     # it waited for the read timeout
        px.partition("refuse")
        with pytest.raises(LinkDown):
            cl.health()
        px.drop_replies(1.0)
        n = len(canned.requests)
        with pytest.raises(LinkDown):
            cl.health()
        assert len(canned.requests) == n + 1    # the server saw it; the client never heard
        px.pass_through()
        assert cl.health().server_time_epoch > 0
        assert px.faults_injected >= 3


def test_proxy_is_loopback_only():
    with pytest.raises(ValueError):
        FaultProxy("10.0.0.1", 80)
