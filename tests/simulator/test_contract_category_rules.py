"""The platform's catalogue marks simple categories, and refuses self-handling the others."""

from __future__ import annotations

from simulator import catalogue

from .conftest import cmd, new_ticket_dict


def _create(api, **over):
    t = new_ticket_dict(**over)
    res = api.commands(cmd(t["id"], "create", None, {"ticket": t})).json()["results"][0]
    assert res["status"] == "applied", res
    return res["ticket"]


def test_the_feed_carries_the_simple_mark(api):
    changes, _ = api.drain()
    cats = {c["data"]["code"]: c["data"] for c in changes if c["kind"] == "category"}
    assert cats["11001"]["simple"] is True      # 暴露垃圾
    assert cats["15006"]["simple"] is False     # 井盖缺失
    assert {code for code, d in cats.items() if d["simple"]} == \
        {s.category.code for s in catalogue.CATALOGUE if s.simple}


def test_self_handling_a_category_not_simple_is_refused_and_changes_nothing(api):
    t = _create(api, category_code="15006", category_name="井盖缺失", big_code="15",
                big_name="突发事件", limit_hours=2.0)
    r = api.commands(cmd(t["id"], "self_handle", 0, {"photo": "a" * 64})).json()["results"][0]
    assert r["status"] == "rejected" and r["code"] == "invalid_param"
    assert "井盖缺失" in r["reason"] and "不能自行处置" in r["reason"]
    assert r["ticket"]["state"] == "pending" and r["ticket"]["version"] == 0


def test_self_handling_a_simple_category_is_applied(api):
    t = _create(api)  # 暴露垃圾
    r = api.commands(cmd(t["id"], "self_handle", 0, {"photo": "a" * 64})).json()["results"][0]
    assert r["status"] == "applied" and r["ticket"]["state"] == "feedback", r


def test_the_platform_refuses_a_levelled_urge_without_target_and_applies_a_district_one(api):
    t = _create(api)
    r = api.commands(cmd(t["id"], "urge", 0, {"level": "district"})).json()["results"][0]
    assert r["status"] == "rejected" and "督办对象" in r["reason"] and r["ticket"]["version"] == 0
    r = api.commands(cmd(t["id"], "urge", 0, {"level": "city", "target": "x"})).json()["results"][0]
    assert r["status"] == "rejected" and r["code"] == "invalid_param"
    r = api.commands(cmd(t["id"], "urge", 0, {"level": "district", "target": "上钢环卫"})).json()["results"][0]
    assert r["status"] == "applied" and r["ticket"]["commander_reason"] == "urge_district"


def test_the_feed_carries_the_dangerous_mark(api):
    changes, _ = api.drain()
    cats = {c["data"]["code"]: c["data"] for c in changes if c["kind"] == "category"}
    assert cats["15006"]["dangerous"] is True   # 井盖缺失
    assert cats["15002"]["dangerous"] is True   # 架空线坠落
    assert cats["11001"]["dangerous"] is False  # 暴露垃圾
    assert {code for code, d in cats.items() if d["dangerous"]} == \
        {s.category.code for s in catalogue.CATALOGUE if s.dangerous}


def test_a_ticket_of_a_dangerous_category_is_under_key_supervision_from_intake(api):
    hole = _create(api, category_code="15006", category_name="井盖缺失", big_code="15",
                   big_name="突发事件", limit_hours=2.0)
    assert hole["key_supervision"] is True and hole["version"] == 0
    litter = _create(api)  # 暴露垃圾
    assert litter["key_supervision"] is False


def test_a_client_may_still_not_set_key_supervision_itself(api):
    t = new_ticket_dict(key_supervision=True)  # 暴露垃圾, not dangerous
    r = api.commands(cmd(t["id"], "create", None, {"ticket": t})).json()["results"][0]
    assert r["status"] == "rejected" and "key_supervision" in r["reason"]


def test_the_platform_verifies_only_with_the_closure_standard_ticked(api):
    cats = {c["data"]["code"]: c["data"] for c in api.drain()[0] if c["kind"] == "category"}
    standard = cats["11001"]["closure_standard"]  # 暴露垃圾
    assert standard == list(catalogue.BY_CODE["11001"].category.closure_standard) and len(standard) >= 2
    assert cats["14001"]["closure_standard"] == []  # a category without one
    t = _create(api)
    r = api.commands(cmd(t["id"], "self_handle", 0, {"photo": "a" * 64})).json()["results"][0]
    assert r["status"] == "applied", r
    v = r["ticket"]["version"]
    for checked in (None, standard[:1], standard + ["别的"]):
        params = {"passed": True} | ({} if checked is None else {"checked": checked})
        r = api.commands(cmd(t["id"], "verify", v, params)).json()["results"][0]
        assert r["status"] == "rejected" and r["code"] == "invalid_param", r
        assert "结案标准" in r["reason"] and r["ticket"]["version"] == v
    r = api.commands(cmd(t["id"], "verify", v, {"passed": True, "checked": standard})).json()["results"][0]
    assert r["status"] == "applied" and r["ticket"]["state"] == "verified", r
    events = [c["data"] for c in api.drain()[0]
              if c["kind"] == "ticket_event" and c["data"]["ticket_id"] == t["id"]]
    verify = [e for e in events if e["action"] == "verify"]
    assert len(verify) == 1 and verify[0]["params"]["checked"] == standard  # on the timeline
