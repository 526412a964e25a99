"""docs/openapi.json is what the server serves, and it is a valid OpenAPI document."""

from __future__ import annotations

import json
from pathlib import Path

import requests
from openapi_spec_validator import validate

from simulator import openapi

DOC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"


def test_file_equals_served_and_validates(sim):
    served = requests.get(sim.url + "/openapi.json", timeout=5).json()
    on_disk = json.loads(DOC.read_text(encoding="utf-8"))
    assert on_disk == served, "regenerate with: python -m simulator.openapi"
    assert openapi.schema() == served
    validate(served)
    for path in ("/api/v1/health", "/api/v1/changes", "/api/v1/commands",
                 "/api/v1/attachments/{sha256}", "/open311/v2/requests.{fmt}", "/_sim/faults"):
        assert path in served["paths"]
