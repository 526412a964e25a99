"""Plans over real HTTP: the platform serves the street's eight plans on the feed and at
GET /api/v1/plans; an edit is checked like the desks check it and becomes the next
version; a bad edit is 422 with the checker's message and changes nothing."""

from __future__ import annotations

import copy

from .conftest import Api


def plan_items(api: Api, cursor: str = "") -> tuple[list[dict], str]:
    changes, cursor = api.drain(cursor)
    return [c for c in changes if c["kind"] == "plan"], cursor


def test_plans_are_served_edited_as_versions_and_bad_edits_refused(sim, api):
    items, cursor = plan_items(api)
    assert len({c["id"] for c in items}) == 8
    r = api.get("/api/v1/plans")
    assert r.status_code == 200
    plans = {p["id"]: p for p in r.json()["plans"]}
    assert {p["type"] for p in plans.values()} == {"flood", "fire", "gas", "crowd", "hazmat", "public_health",
                                                    "utility", "general"}
    gas = copy.deepcopy(plans["plan-gas"])
    gas["steps"].append({"id": "ventilate", "text": "开窗通风、检测浓度", "owner": "燃气公司", "limit_min": 40})
    for who in ({}, {"user_id": "officer1", "role": "officer"}, {"user_id": "officer1", "role": "admin"},
                {"user_id": "nobody", "role": "admin"}):
        r = api.s.put(api.url + "/api/v1/plans/plan-gas", json={**gas, "editor": who}, timeout=10)
        assert r.status_code == 403 and r.json()["error"]["code"] == "not_admin", who
    assert plan_items(api, cursor)[0] == []                                 # not edited
    gas["editor"] = {"user_id": "admin1", "role": "admin"}
    r = api.s.put(api.url + "/api/v1/plans/plan-gas", json=gas, timeout=10)
    assert r.status_code == 200 and r.json()["version"] == gas["version"] + 1
    new, cursor = plan_items(api, cursor)
    assert [(c["id"], c["data"]["version"], c["data"]["steps"][-1]["text"], c["data"]["edited_by"])
            for c in new] == [("plan-gas", gas["version"] + 1, "开窗通风、检测浓度", "admin1")]
    assert "editor" not in new[0]["data"]
    bad = copy.deepcopy(gas)
    bad["steps"][0]["after"] = ["ventilate"]
    bad["steps"][-1]["after"] = ["video"]
    r = api.s.put(api.url + "/api/v1/plans/plan-gas", json=bad, timeout=10)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "invalid_plan" and "循环依赖" in err["message"]
    no_owner = copy.deepcopy(gas)
    no_owner["steps"][1]["owner"] = ""
    r = api.s.put(api.url + "/api/v1/plans/plan-gas", json=no_owner, timeout=10)
    assert r.status_code == 422 and "没有责任人" in r.json()["error"]["message"]
    assert plan_items(api, cursor)[0] == []  # nothing changed
