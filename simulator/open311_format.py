"""Open311 GeoReport v2 wire formats: XML/JSON answers, errors, records, parameters."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import Request
from fastapi.responses import Response

from simulator import catalogue
from simulator.roster import SH

SPEC = "http://wiki.open311.org/GeoReport_v2"
_STATE_NOTES = {"pending": "待受理", "accepted": "已受理", "registered": "已立案", "dispatched": "已派遣",
                "handling": "处置中", "feedback": "已反馈", "verified": "已核查", "closed": "已结案",
                "archived": "已存档", "suspended": "挂账", "returned": "已退单"}
PRIORITIES = (("normal", "一般"), ("urgent", "紧急"), ("critical", "特急"))



class Open311Error(Exception):
    def __init__(self, status: int, description: str):
        super().__init__(description)
        self.status, self.description = status, description


def response_format(request: Request) -> str:
    return request.path_params.get("fmt") or "xml"


def render_error(path: str, status: int, description: str) -> tuple[str, bytes]:
    if path.endswith(".json"):
        return "application/json", json.dumps([{"code": status, "description": description}],
                                              ensure_ascii=False).encode()
    root = Element("errors")
    e = SubElement(root, "error")
    SubElement(e, "code").text = str(status)
    SubElement(e, "description").text = description
    return "text/xml; charset=utf-8", _xml(root)


def error_response(request: Request, status: int, description: str, headers=None) -> Response:
    ctype, body = render_error(request.url.path, status, description)
    return Response(body, status_code=status, media_type=ctype.split(";")[0], headers=headers)


def _xml(root: Element) -> bytes:
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + tostring(root, encoding="utf-8")


def _to_xml(parent: Element, tag: str, value: Any) -> None:
    el = SubElement(parent, tag)
    if isinstance(value, dict):
        for k, v in value.items():
            _to_xml(el, k, v)
    elif isinstance(value, list):
        child = {"attributes": "attribute", "values": "value", "endpoints": "endpoint",
                 "formats": "format"}.get(tag, "item")
        for v in value:
            _to_xml(el, child, v)
    elif isinstance(value, bool):
        el.text = "true" if value else "false"
    elif value is not None:
        el.text = str(value)


def answer(request: Request, data: Any, root: str, item: str | None, status: int = 200) -> Response:
    fmt = response_format(request)
    if fmt == "json":
        return Response(json.dumps(data, ensure_ascii=False).encode(), status,
                        media_type="application/json")
    if fmt != "xml":
        raise Open311Error(404, f"unknown format {fmt}: use .xml or .json")
    el = Element(root)
    if item is None:
        for k, v in data.items():
            _to_xml(el, k, v)
    else:
        for d in data:
            _to_xml(el, item, d)
    return Response(_xml(el), status, media_type="text/xml")


def iso(ts: float | None) -> str | None:
    return None if ts is None else dt.datetime.fromtimestamp(ts, SH).isoformat(timespec="seconds")


def parse_dt(name: str, v: str) -> float:
    try:
        d = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} is not an ISO 8601 date-time: {v}") from None
    return (d if d.tzinfo else d.replace(tzinfo=SH)).timestamp()


def service(spec: catalogue.CatSpec) -> dict:
    c = spec.category
    kind = "部件" if c.kind == "component" else "事件"
    return {"service_code": c.code, "service_name": c.small_name,
            "description": f"{kind}·{c.big_name}·{c.small_name}（处置时限{c.limit_hours:g}小时）",
            "metadata": True, "type": "realtime", "keywords": f"{kind},{c.big_name}",
            "group": c.big_name}


def service_definition(code: str) -> dict:
    return {"service_code": code, "attributes": [
        {"variable": True, "code": "priority", "datatype": "singlevaluelist", "required": False,
         "datatype_description": "缓急程度", "order": 1, "description": "紧急程度 (priority)",
         "values": [{"key": k, "name": n} for k, n in PRIORITIES]},
        {"variable": True, "code": "location_detail", "datatype": "string", "required": False,
         "datatype_description": "例：3号楼2单元门口", "order": 2, "description": "具体部位"}]}


def request_record(rt, t: dict) -> dict:
    dept = next((d["name"] for d in rt.departments if d["id"] == t.get("department_id")), None)
    done = t["state"] in ("closed", "archived", "returned")
    return {"service_request_id": t.get("number") or t["id"], "status": "closed" if done else "open",
            "status_notes": _STATE_NOTES.get(t["state"], t["state"]),
            "service_name": t["category_name"], "service_code": t["category_code"],
            "description": t.get("description") or "", "agency_responsible": dept or "上钢新村街道城运中心",
            "service_notice": f"处置时限{t['limit_hours']:g}小时", "requested_datetime": iso(t["created_at"]),
            "updated_datetime": iso(t["updated_at"]), "expected_datetime": iso(t.get("deadline")),
            "address": t.get("address") or None, "address_id": None, "zipcode": "200126",
            "lat": t.get("lat"), "long": t.get("lon"), "media_url": None}


def int_param(q, name, default, lo, hi) -> int:
    v = q.get(name)
    if v is None or v == "":
        return default
    try:
        n = int(v)
    except ValueError:
        raise Open311Error(400, f"{name} must be an integer") from None
    if not lo <= n <= hi:
        raise Open311Error(400, f"{name} must be between {lo} and {hi}")
    return n


def float_param(fields, name, lo, hi) -> float | None:
    v = fields.get(name)
    if v in (None, ""):
        return None
    try:
        f = float(v)
    except ValueError:
        raise Open311Error(400, f"{name} must be a number") from None
    if not math.isfinite(f) or not lo <= f <= hi:
        raise Open311Error(400, f"{name} out of range")
    return f
