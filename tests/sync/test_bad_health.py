"""A platform that lies about its clock: the answer is refused, never measured.

Probe (issue 14): one health answer with ``server_time_epoch: NaN`` stayed in the
clock-skew median for ever (platform time NaN, the main window could not open)
while the link was still reported online.
"""

from __future__ import annotations

import json
import math

import pytest

from console.sync.client import BadResponse
from console.sync.engine import SyncEngine

from .helpers import wait_until

LIES = {
    "nan": b'{"status":"ok","server_time_epoch":NaN,"api_version":"1"}',
    "inf": b'{"status":"ok","server_time_epoch":Infinity,"api_version":"1"}',
    "-inf": b'{"status":"ok","server_time_epoch":-Infinity,"api_version":"1"}',
    "1e300": b'{"status":"ok","server_time_epoch":1e300,"api_version":"1"}',
    "-1e12": b'{"status":"ok","server_time_epoch":-1e12,"api_version":"1"}',
    "string": b'{"status":"ok","server_time_epoch":"soon","api_version":"1"}',
    "bool": b'{"status":"ok","server_time_epoch":true}',
    "nested": b'{"status":"ok","server_time_epoch":{"a":[1]}}',
    "list": b'[1,2,3]',
    "not json": b'<html>gateway</html>',
    "empty": b'',
    "missing": b'{"status":"ok"}',
}


def _lie(body: bytes):
    def rewrite(line: str, old: bytes) -> bytes | None:
        return body if line.startswith("GET /api/v1/health") else None
    return rewrite


@pytest.mark.parametrize("name", sorted(LIES))
def test_client_refuses_health_answers_that_are_not_a_time(proxy, via_proxy, name):
    proxy.rewrite_replies(_lie(LIES[name]))
    with pytest.raises(BadResponse):
        via_proxy.health()
    assert proxy.rewritten >= 1
    proxy.rewrite_replies(None)
    assert via_proxy.health().server_time_epoch > 1.5e9


def test_proxy_rewrites_only_what_it_is_told(proxy, via_proxy):
    proxy.rewrite_replies(_lie(LIES["nan"]))
    batch = via_proxy.changes(None, 5)          # other answers pass untouched
    assert batch.changes and proxy.rewritten == 0


def test_a_lying_health_answer_never_enters_the_skew_and_the_link_is_not_online(
        sim, proxy, via_proxy, open_store):
    store = open_store()
    states: list[str] = []
    errors: list[tuple[str, Exception]] = []
    engine = SyncEngine(store, via_proxy, "WS-LIAR", on_link_change=lambda s, _i: states.append(s),
                        on_error=lambda w, e: errors.append((w, e)))
    engine.start()
    try:
        wait_until(lambda: engine.link_state == "online", 20, what="online")
        good_offset = engine.clock_skew.offset
        assert math.isfinite(good_offset)

        for name in ("nan", "inf", "1e300", "string"):
            proxy.rewrite_replies(_lie(LIES[name]))
            seen = proxy.rewritten
            wait_until(lambda: proxy.rewritten >= seen + 3, 20, what=f"three {name} answers")
            assert engine.link_state != "online", name
            now = engine.platform_now()
            assert math.isfinite(now) and abs(engine.clock_skew.offset - good_offset) < 5, name
        assert "online" not in states[states.index(next(s for s in states if s != "online")):]
        # reported once per streak of bad answers, not once a second
        assert 1 <= sum(1 for w, _ in errors if w == "pinger") <= 2
        assert all(isinstance(e, BadResponse) for w, e in errors if w == "pinger")

        proxy.rewrite_replies(None)
        wait_until(lambda: engine.link_state == "online", 20, what="online again")
    finally:
        assert engine.stop(10)


def test_health_bodies_are_valid_json_for_the_fixture():
    # the lies above are what a broken server sends: Python's json reads NaN/Infinity
    assert math.isnan(json.loads(LIES["nan"])["server_time_epoch"])
