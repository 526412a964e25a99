"""Fault controls on loopback: latency, 503, dropped connections, partitions, slow bodies."""

from __future__ import annotations

import time

import pytest
import requests


@pytest.fixture()
def faults(api):
    yield lambda **kw: api.post("/_sim/faults", json=kw)
    assert api.post("/_sim/faults", json={}).status_code == 200


def test_faults_default_off_and_roundtrip(api, faults):
    assert api.get("/_sim/faults").json() == {"latency_ms": 0, "drop_rate": 0.0, "error_rate": 0.0,
                                              "slow_body_ms": 0, "partition": False,
                                              "fail_ids": []}
    r = faults(latency_ms=150)
    assert r.status_code == 200 and api.get("/_sim/faults").json()["latency_ms"] == 150
    t0 = time.monotonic()
    assert api.get("/api/v1/health").status_code == 200
    assert time.monotonic() - t0 >= 0.15
    assert faults(bogus=1).status_code == 422
    assert faults(drop_rate=2).status_code == 422


def test_error_rate_gives_503_json(api, faults):
    faults(error_rate=1.0)
    r = api.get("/api/v1/changes")
    assert r.status_code == 503 and r.json()["error"]["code"] == "unavailable"


def test_drop_closes_without_an_answer(api, faults):
    faults(drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        requests.get(api.url + "/api/v1/health", timeout=5)


def test_partition_hangs_until_the_client_times_out(api, faults):
    faults(partition=True)
    with pytest.raises(requests.Timeout):
        requests.get(api.url + "/api/v1/health", timeout=0.5)
    faults(partition=False)
    assert requests.get(api.url + "/api/v1/health", timeout=5).status_code == 200


def test_slow_body(api, faults):
    faults(slow_body_ms=300)
    t0 = time.monotonic()
    r = api.get("/api/v1/changes", params={"limit": 10})
    assert r.status_code == 200 and len(r.json()["changes"]) == 10
    assert time.monotonic() - t0 >= 0.3
