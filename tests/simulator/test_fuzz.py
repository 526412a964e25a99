"""Arbitrary bodies never break the platform: 200/4xx with the error envelope, no 500."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import cmd

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12)
_fields = st.fixed_dictionaries({}, optional={
    "command_id": _json, "ticket_id": _json, "verb": st.sampled_from(["accept", "create", "x"]) | _json,
    "expected_version": _json, "params": _json, "actor": _json, "issued_at": _json, "extra": _json})


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(body=st.one_of(_json, st.fixed_dictionaries({"commands": st.lists(_fields, max_size=3)}),
                      st.binary(max_size=64)))
def test_commands_endpoint_survives_garbage(api, body):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    r = api.post("/api/v1/commands", data=data, headers={"Content-Type": "application/json"})
    assert r.status_code in (200, 422), (r.status_code, r.text[:300])
    if r.status_code == 422:
        assert r.json()["error"]["code"] == "validation_error"


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(params=st.dictionaries(st.sampled_from(["department_id", "reason", "text", "hours", "passed",
                                               "on", "photo", "note", "x"]), _json, max_size=3),
       verb=st.sampled_from(["accept", "register", "dispatch", "return", "request_extension",
                             "set_key_supervision", "annotate", "instruct", "suspend"]))
def test_any_params_are_answered_per_command(api, params, verb):
    c = cmd("00000000-0000-4000-8000-000000000000", verb, 0, params)
    r = api.commands(c)
    assert r.status_code == 200
    assert r.json()["results"][0]["status"] in ("rejected", "conflict", "applied")
