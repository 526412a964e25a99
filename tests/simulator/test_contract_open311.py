"""Open311 GeoReport v2 in XML and JSON, checked against minimal inline schemas."""

from __future__ import annotations

import defusedxml.ElementTree as ET
import jsonschema
import requests

from .conftest import TOKEN

BASE = "/open311/v2"
SERVICE = {"type": "object", "required": ["service_code", "service_name", "metadata", "type"],
           "properties": {"service_code": {"type": "string"}, "service_name": {"type": "string"},
                          "metadata": {"type": "boolean"},
                          "type": {"enum": ["realtime", "batch", "blackbox"]},
                          "group": {"type": ["string", "null"]}}}
REQUEST = {"type": "object",
           "required": ["service_request_id", "status", "service_code", "requested_datetime"],
           "properties": {"service_request_id": {"type": "string"},
                          "status": {"enum": ["open", "closed"]},
                          "service_code": {"type": "string"},
                          "requested_datetime": {"type": "string", "format": "date-time"},
                          "updated_datetime": {"type": ["string", "null"]},
                          "status_notes": {"type": ["string", "null"]},
                          "lat": {"type": ["number", "null"]}, "long": {"type": ["number", "null"]},
                          "description": {"type": ["string", "null"], "maxLength": 4000}}}
DEFINITION = {"type": "object", "required": ["service_code", "attributes"],
              "properties": {"attributes": {"type": "array", "items": {
                  "type": "object", "required": ["variable", "code", "datatype", "required"]}}}}
ERRORS = {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["code", "description"]}}


def _xml(r):
    assert r.headers["content-type"].startswith("text/xml"), r.headers["content-type"]
    return ET.fromstring(r.content)


def test_discovery_and_services_in_both_formats(sim):
    u = sim.url + BASE
    d = requests.get(u + "/discovery.json", timeout=5).json()
    assert d["endpoints"][0]["url"] == u and "application/json" in d["endpoints"][0]["formats"]
    assert _xml(requests.get(u + "/discovery", timeout=5)).find("endpoints/endpoint/url").text == u
    services = requests.get(u + "/services.json", timeout=5).json()
    jsonschema.validate(services, {"type": "array", "minItems": 40, "items": SERVICE})
    root = _xml(requests.get(u + "/services.xml", timeout=5))
    assert root.tag == "services" and len(root.findall("service")) == len(services)
    assert _xml(requests.get(u + "/services", timeout=5)).tag == "services"
    code = services[0]["service_code"]
    jsonschema.validate(requests.get(f"{u}/services/{code}.json", timeout=5).json(), DEFINITION)
    root = _xml(requests.get(f"{u}/services/{code}.xml", timeout=5))
    assert root.tag == "service_definition" and root.find("attributes/attribute/code") is not None
    r = requests.get(f"{u}/services/00000.json", timeout=5)
    assert r.status_code == 404
    jsonschema.validate(r.json(), ERRORS)


def test_post_form_creates_a_hotline_ticket_visible_on_the_feed(sim, api):
    _, cursor = api.drain()
    u = sim.url + BASE
    r = requests.post(u + "/requests.json", timeout=5, data={
        "api_key": TOKEN, "service_code": "14001", "lat": "31.1801", "long": "121.4899",
        "address_string": "济阳路88号", "description": "有人在路口设摊", "first_name": "先生",
        "last_name": "王", "phone": "13800000000", "attribute[priority]": "urgent"})
    assert r.status_code == 200, r.text
    ans = r.json()[0]
    rid, token = ans["service_request_id"], ans["token"]
    changes, _ = api.drain(cursor)
    tickets = [c["data"] for c in changes if c["kind"] == "ticket" and c["data"]["number"] == rid]
    assert tickets and tickets[0]["channel"] == "hotline_12345" and tickets[0]["priority"] == "urgent"
    assert tickets[0]["grids"]["resp_grid"]
    one = requests.get(f"{u}/requests/{rid}.json", timeout=5).json()
    jsonschema.validate(one, {"type": "array", "items": REQUEST})
    assert one[0]["status"] == "open" and one[0]["service_code"] == "14001"
    root = _xml(requests.get(f"{u}/requests/{rid}", timeout=5))
    assert root.tag == "service_requests" and root.find("request/service_request_id").text == rid
    assert requests.get(f"{u}/requests/{tickets[0]['id']}.json", timeout=5).json()[0][
        "service_request_id"] == rid
    tok = requests.get(f"{u}/tokens/{token}.json", timeout=5).json()
    assert tok == [{"service_request_id": rid, "token": token}]
    assert _xml(requests.get(f"{u}/tokens/{token}.xml", timeout=5)).find("request/token").text == token
    # XML post answer
    r = requests.post(u + "/requests", timeout=5, data={"api_key": TOKEN, "service_code": "11001",
                                                        "address_string": "耀华路1号"})
    assert _xml(r).find("request/service_request_id").text.startswith("HP")


def test_get_requests_filters_and_pages(sim):
    u = sim.url + BASE
    all_ = requests.get(u + "/requests.json", timeout=5).json()
    jsonschema.validate(all_, {"type": "array", "minItems": 1, "items": REQUEST})
    page1 = requests.get(u + "/requests.json", params={"page_size": 2, "page": 1}, timeout=5).json()
    page2 = requests.get(u + "/requests.json", params={"page_size": 2, "page": 2}, timeout=5).json()
    assert len(page1) == 2 and page1 + page2 == all_[:4]
    opened = requests.get(u + "/requests.json", params={"status": "open"}, timeout=5).json()
    assert all(r["status"] == "open" for r in opened)
    code = all_[0]["service_code"]
    same = requests.get(u + "/requests.json", params={"service_code": code}, timeout=5).json()
    assert same and all(r["service_code"] == code for r in same)
    ids = ",".join(r["service_request_id"] for r in all_[:3])
    assert len(requests.get(u + "/requests.json", params={"service_request_id": ids},
                            timeout=5).json()) == 3
    none = requests.get(u + "/requests.json", params={"start_date": "2001-01-01T00:00:00Z",
                                                      "end_date": "2001-01-02T00:00:00Z"}, timeout=5)
    assert none.json() == []
    assert _xml(requests.get(u + "/requests.xml", params={"page_size": 1}, timeout=5)).tag == \
        "service_requests"


def test_errors_in_the_spec_format(sim):
    u = sim.url + BASE
    r = requests.post(u + "/requests", data={"api_key": "wrong", "service_code": "11001",
                                             "lat": 31.18, "long": 121.49}, timeout=5)
    assert r.status_code == 403
    root = _xml(r)
    assert root.tag == "errors" and root.find("error/code").text == "403"
    r = requests.post(u + "/requests.json", data={"api_key": TOKEN, "service_code": "11001"}, timeout=5)
    assert r.status_code == 400 and "location" in r.json()[0]["description"]
    for bad in ({"lat": "north", "long": "121.4"}, {"lat": "31.1"}, {"lat": "91", "long": "121"},
                {"lat": "31.1", "long": "121.4", "bogus_field": "1"}):
        r = requests.post(u + "/requests.json", timeout=5,
                          data={"api_key": TOKEN, "service_code": "11001", **bad})
        assert r.status_code == 400, bad
        jsonschema.validate(r.json(), ERRORS)
    r = requests.post(u + "/requests.json", data={"api_key": TOKEN, "service_code": "nope",
                                                  "lat": 31.18, "long": 121.49}, timeout=5)
    assert r.status_code == 404
    r = requests.post(u + "/requests.xml", data=b"<request><service_code>11001",
                      headers={"Content-Type": "text/xml"}, timeout=5)
    assert r.status_code == 400 and _xml(r).tag == "errors"
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b"<request><api_key>" + TOKEN.encode() + b"</api_key><service_code>&b;</service_code></request>")
    r = requests.post(u + "/requests.xml", data=bomb, headers={"Content-Type": "text/xml"}, timeout=5)
    assert r.status_code == 400
    r = requests.get(u + "/requests.json", params={"page_size": "lots"}, timeout=5)
    assert r.status_code == 400
    r = requests.get(u + "/requests.json", params={"start_date": "yesterday"}, timeout=5)
    assert r.status_code == 400
    r = requests.get(u + "/requests.yaml", timeout=5)
    assert r.status_code == 404 and _xml(r).tag == "errors"
    r = requests.get(u + "/tokens/unknown.json", timeout=5)
    assert r.status_code == 404
    r = requests.get(u + "/requests/unknown", timeout=5)
    assert r.status_code == 404 and _xml(r).find("error/code").text == "404"


def test_xml_post_body_is_accepted(sim):
    body = (f"<request><api_key>{TOKEN}</api_key><service_code>11003</service_code>"
            "<lat>31.179</lat><long>121.49</long><description>XML客户端</description></request>")
    r = requests.post(sim.url + BASE + "/requests.xml", data=body.encode(),
                      headers={"Content-Type": "application/xml"}, timeout=5)
    assert r.status_code == 200 and _xml(r).find("request/service_request_id").text.startswith("HP")


def test_oversized_open311_post_is_413_in_open311_format(sim):
    r = requests.post(sim.url + BASE + "/requests.json", timeout=10,
                      data={"api_key": TOKEN, "service_code": "11001", "description": "x" * (3 << 20)})
    assert r.status_code == 413
    jsonschema.validate(r.json(), ERRORS)
