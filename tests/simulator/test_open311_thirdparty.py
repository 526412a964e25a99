"""Open311 GeoReport v2 as third-party clients use it, against the real simulator.

The one Python 3 GeoReport v2 client on PyPI, ``georeport`` (0.3.1, test extra), lists
services, reads service definitions and lists/reads requests in JSON and in XML (parsed
with xmltodict), always sending ``jurisdiction_id``. It cannot post or resolve a token, and
the clients that can are not installable here (``three`` 0.8.0 and ``open311`` 1.1 on PyPI
are Python 2 only; the Ruby ``open311`` gem is a RubyGem), so for those steps the tests
send what those clients put on the wire, with plain ``requests``:

* Ruby gem: form-encoded POST to ``requests.<fmt>`` with the caller's fields plus
  ``jurisdiction_id`` and ``api_key``; an unset jurisdiction goes out as a bare key
  (``jurisdiction_id`` without ``=``); answers unpacked as ``service_requests/request``;
  ``tokens/<token>.<fmt>`` for ``request_id_from_token``.
* Python ``open311`` 1.1: ``jurisdiction_id=`` and ``api_key`` in the query string of the
  POST, the fields form-encoded in the body, XML by default.
* ``three`` 0.8.0: form POST to ``requests.json``; a photo goes up as a multipart ``media``
  file part; ``name`` becomes ``first_name``/``last_name``, ``address`` ``address_string``.
* PHP-style clients: every optional field sent, empty when unknown.

JSON answers are checked against minimal schema fragments of GeoReport v2 written here.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

import defusedxml.ElementTree as ET
import jsonschema
import pytest
import requests

from simulator import catalogue

from .conftest import TOKEN

JURISDICTION = "shanggang.pudong"
NULLABLE_STR = {"type": ["string", "null"]}
SERVICE = {"type": "object", "required": ["service_code", "service_name", "metadata", "type"],
           "properties": {"service_code": {"type": "string"}, "service_name": {"type": "string"},
                          "description": NULLABLE_STR, "metadata": {"type": "boolean"},
                          "type": {"enum": ["realtime", "batch", "blackbox"]},
                          "keywords": NULLABLE_STR, "group": NULLABLE_STR}}
ATTRIBUTE = {"type": "object", "required": ["variable", "code", "datatype", "required", "order",
                                            "description"],
             "properties": {"variable": {"type": "boolean"}, "code": {"type": "string"},
                            "datatype": {"enum": ["string", "number", "datetime", "text",
                                                  "singlevaluelist", "multivaluelist"]},
                            "required": {"type": "boolean"}, "order": {"type": "integer"},
                            "values": {"type": "array", "items": {
                                "type": "object", "required": ["key", "name"]}}}}
DEFINITION = {"type": "object", "required": ["service_code", "attributes"],
              "properties": {"service_code": {"type": "string"},
                             "attributes": {"type": "array", "items": ATTRIBUTE}}}
REQUEST = {"type": "object",
           "required": ["service_request_id", "status", "service_code", "requested_datetime"],
           "properties": {"service_request_id": {"type": "string"},
                          "status": {"enum": ["open", "closed"]},
                          "status_notes": NULLABLE_STR, "service_name": NULLABLE_STR,
                          "service_code": {"type": "string"},
                          "description": {"type": ["string", "null"], "maxLength": 4000},
                          "agency_responsible": NULLABLE_STR, "service_notice": NULLABLE_STR,
                          "requested_datetime": {"type": "string"},
                          "updated_datetime": NULLABLE_STR, "expected_datetime": NULLABLE_STR,
                          "address": NULLABLE_STR, "address_id": NULLABLE_STR,
                          "zipcode": NULLABLE_STR, "lat": {"type": ["number", "null"]},
                          "long": {"type": ["number", "null"]}, "media_url": NULLABLE_STR}}
# POST answer: an id, or a token to resolve later (we give both), plus optional notice
POSTED = {"type": "array", "minItems": 1, "maxItems": 1, "items": {
    "type": "object", "anyOf": [{"required": ["service_request_id"]}, {"required": ["token"]}],
    "properties": {"service_request_id": {"type": "string"}, "token": {"type": "string"},
                   "service_notice": NULLABLE_STR, "account_id": NULLABLE_STR}}}
TOKEN_ANSWER = {"type": "array", "minItems": 1, "items": {
    "type": "object", "required": ["service_request_id", "token"]}}
ERRORS = {"type": "array", "minItems": 1, "items": {
    "type": "object", "required": ["code", "description"],
    "properties": {"code": {"type": "integer"}, "description": {"type": "string"}}}}
REPORT = {"service_code": "14001", "lat": "31.180100", "long": "121.489900",
          "address_string": "济阳路88号", "description": "路口有人设摊经营，占道",
          "email": "wang@example.cn", "first_name": "先生", "last_name": "王",
          "phone": "13800000000", "device_id": "android-7f3a", "account_id": "u-1001",
          "media_url": "http://photos.example.cn/abc.jpg",
          "attribute[priority]": "urgent", "attribute[location_detail]": "东北角"}


def _iso(v: str) -> dt.datetime:
    d = dt.datetime.fromisoformat(v)
    assert d.tzinfo is not None, f"{v}: no UTC offset"
    return d


def _as_list(v) -> list:
    """xmltodict and similar turn one repeated element into a dict, none into None."""
    return [] if v is None else v if isinstance(v, list) else [v]


def _xml(r: requests.Response):
    assert r.headers["content-type"] == "text/xml; charset=utf-8", r.headers["content-type"]
    return ET.fromstring(r.content)


def _record(el) -> dict:
    return {c.tag: c.text for c in el}


def _form(fields: dict) -> bytes:
    """Form encoding with ``None`` as a bare key, as Ruby's Faraday writes nil values."""
    return "&".join(quote(k, safe="") if v is None else f"{quote(k, safe='')}={quote(str(v), safe='')}"
                    for k, v in fields.items()).encode()


def ruby_gem_post(root: str, fmt: str, options: dict, jurisdiction: str | None = None):
    body = _form({**options, "jurisdiction_id": jurisdiction, "api_key": TOKEN})
    r = requests.post(f"{root}/requests.{fmt}", data=body, timeout=10,
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    r.raise_for_status()
    return r


def ruby_gem_token(root: str, fmt: str, token: str, jurisdiction: str | None = None):
    q = _form({"jurisdiction_id": jurisdiction}).decode()
    r = requests.get(f"{root}/tokens/{token}.{fmt}?{q}", timeout=10)
    r.raise_for_status()
    return r


@pytest.fixture(scope="module")
def root(sim) -> str:
    return sim.url + "/open311/v2"


@pytest.fixture(params=["json", "xml"])
def client(request, root):
    import georeport  # a real third-party GeoReport v2 client, pinned in the test extras

    return georeport.GeoReport(root, jurisdiction=JURISDICTION, api_key=TOKEN,
                               output_format=request.param)


def test_client_lists_services_and_reads_their_definitions(client):
    services = client.get_service_list()
    assert [s["service_code"] for s in services] == [s.category.code for s in catalogue.CATALOGUE]
    if client.output_format == "json":
        jsonschema.validate(services, {"type": "array", "items": SERVICE})
    for s in services:
        assert s["service_name"] and s["type"] == "realtime" and str(s["metadata"]).lower() == "true"
    definition = client.get_service_definition(services[0]["service_code"])
    assert definition["service_code"] == services[0]["service_code"]
    if client.output_format == "json":
        jsonschema.validate(definition, DEFINITION)
        attributes = definition["attributes"]
    else:  # <attributes><attribute>… and <values><value>…
        attributes = _as_list(definition["attributes"]["attribute"])
        for a in attributes:
            a["values"] = _as_list((a.get("values") or {}).get("value"))
    by_code = {a["code"]: a for a in attributes}
    assert [v["key"] for v in by_code["priority"]["values"]] == ["normal", "urgent", "critical"]
    assert str(by_code["location_detail"]["datatype"]) == "string"


def test_posted_request_reads_back_through_the_client(client, root):
    fmt = client.output_format
    answer = ruby_gem_post(root, fmt, REPORT)  # the gem's post_service_request
    if fmt == "json":
        posted = answer.json()
        jsonschema.validate(posted, POSTED)
        posted = posted[0]
    else:
        assert _xml(answer).tag == "service_requests"
        posted = _record(_xml(answer).find("request"))
    rid, token = posted["service_request_id"], posted["token"]
    assert rid and token and posted["service_notice"]

    one = client.get_service_request(rid)
    if fmt == "json":
        jsonschema.validate(one, REQUEST)
    assert one["service_request_id"] == rid and one["status"] == "open"
    assert one["service_code"] == "14001" and one["service_name"]
    assert one["description"].startswith(REPORT["description"])
    assert one["address"] == REPORT["address_string"]
    assert float(one["lat"]) == pytest.approx(31.1801) and float(one["long"]) == pytest.approx(121.4899)
    assert _iso(one["requested_datetime"]) <= _iso(one["updated_datetime"])
    # the time limit starts when the case is registered: no expected_datetime before that
    assert one["expected_datetime"] is None

    by_id = _as_list(client.get_service_requests(service_request_id=rid))
    assert [r["service_request_id"] for r in by_id] == [rid]
    listed = _as_list(client.get_service_requests(service_code="14001,11001", status="open"))
    assert rid in [r["service_request_id"] for r in listed]
    assert all(r["status"] == "open" and r["service_code"] in ("14001", "11001") for r in listed)
    newest_first = [_iso(r["requested_datetime"]) for r in _as_list(client.get_service_requests())]
    assert newest_first == sorted(newest_first, reverse=True)

    tok = ruby_gem_token(root, fmt, token, JURISDICTION)  # the gem's request_id_from_token
    if fmt == "json":
        jsonschema.validate(tok.json(), TOKEN_ANSWER)
        assert tok.json()[0] == {"service_request_id": rid, "token": token}
    else:
        assert _record(_xml(tok).find("request")) == {"service_request_id": rid, "token": token}


def test_python_open311_and_three_style_posts(root):
    # open311 1.1: api_key and jurisdiction_id in the query string, fields in the body (XML)
    r = requests.post(f"{root}/requests.xml?jurisdiction_id=&api_key={TOKEN}", timeout=10,
                      data={"service_code": "11001", "lat": "31.1795", "long": "121.4905",
                            "description": "垃圾堆放"})
    assert r.status_code == 200, r.text
    rid = _xml(r).find("request/service_request_id").text
    one = requests.get(f"{root}/requests/{rid}.json", params={"jurisdiction_id": ""}, timeout=10)
    jsonschema.validate(one.json(), {"type": "array", "items": REQUEST})
    assert one.json()[0]["service_code"] == "11001"

    # three 0.8.0: name split, address → address_string, photo as a multipart file part
    fields = {"service_code": "11003", "address_string": "耀华路1号", "first_name": "Zach",
              "last_name": "Williams", "phone": "555-5555", "description": "My issue description.",
              "api_key": TOKEN, "jurisdiction_id": ""}
    r = requests.post(f"{root}/requests.json", data=fields, timeout=10,
                      files={"media": ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(64), "image/png")})
    assert r.status_code == 200, r.text
    jsonschema.validate(r.json(), POSTED)
    back = _xml(requests.get(f"{root}/requests/{r.json()[0]['service_request_id']}.xml", timeout=10))
    rec = _record(back.find("request"))
    assert rec["service_code"] == "11003" and rec["address"] == "耀华路1号" and rec["lat"] is None


def test_php_style_post_with_every_optional_field_empty(root):
    empty = dict.fromkeys(["address_id", "email", "device_id", "account_id", "first_name",
                           "last_name", "phone", "media_url"], "")
    r = requests.post(f"{root}/requests.json", timeout=10, data={
        "api_key": TOKEN, "jurisdiction_id": JURISDICTION, "service_code": "11001", "lat": 31.18,
        "long": 121.49, "address_string": "", "description": "", **empty})
    assert r.status_code == 200, r.text
    jsonschema.validate(r.json(), POSTED)


def test_client_sees_empty_lists_and_errors_the_spec_way(client, root):
    fmt = client.output_format
    window = {"start_date": "2001-01-01T00:00:00Z", "end_date": "2001-01-02T00:00:00Z"}
    if fmt == "json":
        assert client.get_service_requests(**window) == []
    # georeport's XML path indexes service_requests["request"], which a spec-conformant empty
    # <service_requests/> (like the spec's own example) does not have: check the wire instead
    empty = _xml(requests.get(f"{root}/requests.xml", params=window, timeout=10))
    assert empty.tag == "service_requests" and len(empty) == 0

    with pytest.raises(requests.HTTPError) as exc:
        client.get_service_request("HP0000000000000")
    r = exc.value.response
    assert r.status_code == 404
    if fmt == "json":
        assert r.headers["content-type"] == "application/json"
        jsonschema.validate(r.json(), ERRORS)
        assert r.json()[0]["code"] == 404
    else:
        errors = _xml(r)
        assert errors.tag == "errors" and errors.find("error/code").text == "404"
        assert "HP0000000000000" in errors.find("error/description").text
    with pytest.raises(requests.HTTPError) as exc:
        client.get_service_definition("99999")
    assert exc.value.response.status_code == 404

    r = requests.post(f"{root}/requests.{fmt}", timeout=10, data={
        "api_key": "not-the-key", "jurisdiction_id": JURISDICTION, **REPORT})
    assert r.status_code == 403
    if fmt == "json":
        jsonschema.validate(r.json(), ERRORS)
    else:
        assert _xml(r).find("error/description").text.startswith("Invalid api_key")


def test_bare_jurisdiction_id_on_every_get(root):
    """Faraday (the Ruby gem) writes a nil jurisdiction as a bare ``jurisdiction_id``."""
    for path in ("discovery.xml", "services.xml", "services/11001.xml", "requests.xml"):
        r = requests.get(f"{root}/{path}?jurisdiction_id", timeout=10)
        assert r.status_code == 200, (path, r.text)


def test_list_parameters_repeated_and_dates_with_an_unescaped_plus(root):
    all_ = requests.get(f"{root}/requests.json", timeout=10).json()
    assert requests.get(f"{root}/requests.json?status=open&status=closed", timeout=10).json() == all_
    a, b = all_[0]["service_request_id"], all_[1]["service_request_id"]
    two = requests.get(f"{root}/requests.json?service_request_id={a}&service_request_id={b}",
                       timeout=10).json()
    assert sorted(r["service_request_id"] for r in two) == sorted([a, b])
    # "+08:00" put into the query string unescaped arrives as " 08:00"
    start = all_[0]["requested_datetime"]
    assert "+" in start
    r = requests.get(f"{root}/requests.json?start_date={start}", timeout=10)
    assert r.status_code == 200, r.text
    assert a in [x["service_request_id"] for x in r.json()]


def test_post_fields_other_clients_add(root):
    # multivaluelist attributes and attribute codes we do not define (FixMyStreet style)
    r = requests.post(f"{root}/requests.xml", timeout=10, data=[
        ("api_key", TOKEN), ("jurisdiction_id", JURISDICTION), ("service_code", "11001"),
        ("lat", "31.18"), ("long", "121.49"), ("attribute[external_id]", "fms-42"),
        ("attribute[hazards][]", "a"), ("attribute[hazards][]", "b")])
    assert r.status_code == 200 and _xml(r).find("request/service_request_id").text
    # a photo in a multipart "media" part without a file name
    r = requests.post(f"{root}/requests.json", timeout=10, files={
        "api_key": (None, TOKEN), "service_code": (None, "11001"),
        "address_string": (None, "济阳路1号"), "media": (None, "iVBORw0KGgo=")})
    assert r.status_code == 200, r.text
    # a typo is still a 400, in the spec's error format
    r = requests.post(f"{root}/requests.xml", timeout=10,
                      data={"api_key": TOKEN, "service_code": "11001", "lat": "31.18",
                            "long": "121.49", "descripton": "typo"})
    assert r.status_code == 400 and "descripton" in _xml(r).find("error/description").text
