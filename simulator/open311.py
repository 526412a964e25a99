"""Open311 GeoReport v2 at ``/open311/v2/`` (http://wiki.open311.org/GeoReport_v2).

XML unless the path ends in ``.json``. Posted requests become hotline_12345 tickets
through the same ``Runtime.create`` as everything else, so they reach workstations on
the change feed. ``service_request_id`` is the platform's case number; the ticket UUID
is accepted too. Extensions: ``page``/``page_size`` on GET requests, ``status_notes``
and ``updated_datetime`` in records. Input XML is parsed with defusedxml only.

Leniencies that third-party clients rely on: ``jurisdiction_id`` (with or without a value)
and ``api_key`` are accepted and ignored wherever they are sent; list parameters may be
comma separated or repeated; a ``+`` in a date's offset that arrived unescaped (as a
space) is read as ``+``; an uploaded ``media`` file part (or field) is accepted and ignored;
``attribute[CODE]`` and ``attribute[CODE][]`` fields with codes we do not define are
ignored.
"""

from __future__ import annotations

import hmac
import inspect
import json
import re
import secrets
import uuid

import defusedxml.ElementTree as DET
from fastapi import APIRouter, Request
from starlette.concurrency import run_in_threadpool

from console.domain import lifecycle, timelimits
from console.domain.model import Channel, Priority
from simulator import catalogue
from simulator.open311_format import (PRIORITIES, SPEC, Open311Error, answer, error_response,
                                      float_param, int_param, parse_dt, render_error,
                                      request_record, service, service_definition)
from simulator.store import TICKET_BODY, body_data

__all__ = ["router", "error_response", "render_error"]

router = APIRouter(prefix="/open311/v2", tags=["open311"])
_POST_FIELDS = {"api_key", "jurisdiction_id", "service_code", "lat", "long", "address_string",
                "address_id", "email", "device_id", "account_id", "first_name", "last_name",
                "phone", "description", "media_url"}
_IGNORED_FIELDS = {"media"}  # the common multipart photo upload: accepted, not stored


# --- routes ------------------------------------------------------------------------
def _param(name: str, desc: str, enum: list[str] | None = None) -> dict:
    schema: dict = {"type": "string"} if enum is None else {"type": "string", "enum": enum}
    return {"name": name, "in": "path", "required": True, "schema": schema, "description": desc}


FMT = _param("fmt", "response format", ["xml", "json"])
SPEC_PARAM = _param("spec", "identifier, optionally followed by .xml or .json")
_POST_BODY = {"requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {
    "type": "object", "required": ["api_key", "service_code"],
    "properties": {k: {"type": "string"} for k in sorted(_POST_FIELDS)}}}}}}


def _both(path: str, methods=("GET",), **kw):
    """Register a handler at ``path`` (XML) and ``path.{fmt}``."""
    def deco(fn):
        extra = {"parameters": [FMT]}
        if "POST" in methods:
            extra.update(_POST_BODY)
        router.add_api_route(path + ".{fmt}", fn, methods=list(methods), openapi_extra=extra, **kw)
        router.add_api_route(path, fn, methods=list(methods), include_in_schema=False)
        return fn
    return deco


def _guard(fn):
    """Open311 errors in the spec's format; plain ``def`` handlers (database work) run in
    the thread pool, never on the event loop."""
    async def wrapper(request: Request):
        try:
            if inspect.iscoroutinefunction(fn):
                return await fn(request)
            return await run_in_threadpool(fn, request)
        except Open311Error as exc:
            return error_response(request, exc.status, exc.description)
    wrapper.__name__, wrapper.__doc__ = fn.__name__, fn.__doc__
    return wrapper


@_both("/discovery")
@_guard
def discovery(request: Request):
    """Service discovery."""
    rt = request.app.state.rt
    base = rt.cfg.base_url.rstrip("/") or str(request.base_url).rstrip("/")
    return answer(request, {"changeset": "2026-11-01T00:00:00+08:00",
                             "contact": "上钢新村街道城市运行管理中心 021-58830000",
                             "key_service": "api_key: the platform token",
                             "endpoints": [{"specification": SPEC, "url": f"{base}/open311/v2",
                                            "changeset": "2026-11-01T00:00:00+08:00",
                                            "type": "production",
                                            "formats": ["text/xml", "application/json"]}]},
                   "discovery", None)


@_both("/services")
@_guard
def services(request: Request):
    """Service types: the platform's category catalogue."""
    return answer(request, [service(s) for s in catalogue.CATALOGUE], "services", "service")


@router.get("/services/{spec}", openapi_extra={"parameters": [SPEC_PARAM]})
@_guard
def definition(request: Request):
    """Service definition of ``<code>`` or ``<code>.<fmt>``."""
    code, fmt = _split_spec(request)
    if code not in catalogue.BY_CODE:
        raise Open311Error(404, f"service_code {code} not found")
    return answer(request, service_definition(code), "service_definition", None)


def _split_spec(request: Request) -> tuple[str, str]:
    spec = request.path_params["spec"]
    head, dot, ext = spec.rpartition(".")
    if dot and ext in ("xml", "json"):
        request.path_params["fmt"] = ext
        return head, ext
    return spec, "xml"


@router.get("/requests/{spec}", openapi_extra={"parameters": [SPEC_PARAM]})
@_guard
def one_request(request: Request):
    """One service request by ``service_request_id`` (case number or ticket UUID)."""
    rid, _ = _split_spec(request)
    rt = request.app.state.rt
    with rt.store.read() as c:
        t = rt.store.get_ticket_by_number(c, rid) or rt.store.get_ticket(c, rid)
    if t is None:
        raise Open311Error(404, f"Service request not found with id {rid}")
    return answer(request, [request_record(rt, t)], "service_requests", "request")


@router.get("/tokens/{spec}", openapi_extra={"parameters": [SPEC_PARAM]})
@_guard
def token(request: Request):
    """The service_request_id of a token returned by POST requests."""
    tok, _ = _split_spec(request)
    rt = request.app.state.rt
    with rt.store.read() as c:
        row = c.exec_driver_sql("SELECT t.number FROM open311_tokens k JOIN tickets t ON t.id = k.ticket_id"
                                " WHERE k.token = ?", (tok,)).first()
    if row is None:
        raise Open311Error(404, f"token {tok} not found")
    return answer(request, [{"service_request_id": row[0], "token": tok}], "service_requests", "request")


@_both("/requests", methods=("GET",))
@_guard
def list_requests(request: Request):
    """Service requests, newest first (default window 90 days, page_size ≤ 1000)."""
    q = request.query_params
    rt = request.app.state.rt
    where, args = [], []
    if ids := _multi(q, "service_request_id")[:1000]:
        marks = ",".join("?" * len(ids))
        where.append(f"(number IN ({marks}) OR tickets.id IN ({marks}))")
        args += ids + ids
    else:
        end = _date(q, "end_date")
        end = rt.clock.now() if end is None else end
        start = _date(q, "start_date")
        start = end - 90 * 86400 if start is None else start
        where += ["created_at >= ?", "created_at <= ?"]
        args += [start, end]
        if codes := _multi(q, "service_code"):
            where.append(f"service_code IN ({','.join('?' * len(codes))})")
            args += codes
        if st := set(_multi(q, "status")):
            if not st <= {"open", "closed"}:
                raise Open311Error(400, "status must be open or closed")
            if len(st) == 1:
                where.append("is_open = ?")
                args.append(1 if "open" in st else 0)
    page, size = int_param(q, "page", 1, 1, 10**9), int_param(q, "page_size", 1000, 1, 1000)
    sql = (f"SELECT body FROM {TICKET_BODY} WHERE {' AND '.join(where)} ORDER BY created_at DESC"
           f" LIMIT ? OFFSET ?")
    with rt.store.read() as c:
        rows = c.exec_driver_sql(sql, tuple(args + [size, (page - 1) * size])).all()
    return answer(request, [request_record(rt, body_data(r[0])) for r in rows],
                   "service_requests", "request")


def _multi(q, name: str) -> list[str]:
    """A list parameter: comma separated and/or repeated (``status=open&status=closed``)."""
    return [x.strip() for v in q.getlist(name) for x in v.split(",") if x.strip()]


_SPACE_OFFSET = re.compile(r"(T\d\d:\d\d(?::\d\d(?:\.\d+)?)?) (\d\d:?\d\d)$")


def _date(q, name: str) -> float | None:
    """An ISO 8601 date-time parameter; ``+08:00`` sent unescaped arrives as `` 08:00``."""
    v = q.get(name, "").strip()
    return parse_dt(name, _SPACE_OFFSET.sub(r"\1+\2", v)) if v else None


async def _post_fields(request: Request) -> dict[str, str]:
    ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fields: dict[str, str] = dict(request.query_params)
    if ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        fields.update({k: v for k, v in form.items() if isinstance(v, str)})
    elif ctype in ("text/xml", "application/xml"):
        try:
            root = DET.fromstring(await request.body())
        except Exception as exc:  # defusedxml raises several kinds
            raise Open311Error(400, f"malformed XML: {exc}") from None
        fields.update({el.tag: (el.text or "") for el in root})
    elif ctype == "application/json":
        try:
            obj = json.loads(await request.body())
        except ValueError as exc:
            raise Open311Error(400, f"malformed JSON: {exc}") from None
        except RecursionError:
            raise Open311Error(400, "malformed JSON: nested too deeply") from None
        if not isinstance(obj, dict):
            raise Open311Error(400, "the JSON body must be an object")
        nested = sorted(k for k, v in obj.items() if isinstance(v, dict | list))
        if nested:
            raise Open311Error(400, f"fields must be text or numbers, not objects or lists: {', '.join(nested)[:200]}")
        fields.update({k: "" if v is None else str(v) for k, v in obj.items()})
    elif await request.body():
        raise Open311Error(400, f"unsupported content type {ctype!r}: post form fields")
    return fields


@_both("/requests", methods=("POST",))
@_guard
async def post_request(request: Request):
    """Create a service request (form fields; ``api_key`` = the platform token)."""
    f = await _post_fields(request)
    return await run_in_threadpool(_create_request, request, f)


def _create_request(request: Request, f: dict[str, str]):
    rt = request.app.state.rt
    if not hmac.compare_digest(f.get("api_key", "").encode(), rt.cfg.token.encode()):
        raise Open311Error(403, "Invalid api_key received -- can't proceed with create_request.")
    attrs = {k[10:-1]: v for k, v in f.items() if k.startswith("attribute[") and k.endswith("]")}
    unknown = sorted(k for k in f if k not in _POST_FIELDS | _IGNORED_FIELDS
                     and not k.startswith("attribute["))
    if unknown:
        raise Open311Error(400, f"unknown fields: {', '.join(unknown)}")
    code = f.get("service_code", "")
    spec = catalogue.BY_CODE.get(code)
    if spec is None:
        raise Open311Error(400 if not code else 404, f"service_code {code or '(missing)'} not found")
    lat, lon = float_param(f, "lat", -90, 90), float_param(f, "long", -180, 180)
    if (lat is None) != (lon is None):
        raise Open311Error(400, "lat and long go together")
    address = f.get("address_string", "").strip()
    if lat is None and not address and not f.get("address_id"):
        raise Open311Error(400, "a location is required: lat/long, address_string or address_id")
    desc = f.get("description", "")
    if len(desc) > 4000 or len(address) > 500:
        raise Open311Error(400, "description is limited to 4000 characters, address_string to 500")
    prio = attrs.get("priority", "normal")
    if prio not in dict(PRIORITIES):
        raise Open311Error(400, "attribute[priority] must be normal, urgent or critical")
    if attrs.get("location_detail"):
        desc = f"{desc}（{attrs['location_detail'][:200]}）"
    cat = spec.category
    now = rt.clock.now()
    name = (f.get("last_name", "") + f.get("first_name", "")).strip()[:40]
    t = lifecycle.new_ticket(
        id=str(uuid.uuid4()), channel=Channel.HOTLINE_12345, category_kind=cat.kind,
        category_code=cat.code, category_name=cat.small_name, big_code=cat.big_code,
        big_name=cat.big_name, priority=Priority(prio), lat=lat, lon=lon,
        address=address or (f"地址编号{f['address_id']}" if f.get("address_id") else ""),
        description=desc, reporter_name=name, reporter_phone=f.get("phone", "")[:32],
        created_at=now, limit_hours=timelimits.limit_for(cat, Priority(prio)),
        limit_mode=cat.limit_mode)
    from simulator.runtime import HOTLINE_ACTOR
    tok = secrets.token_hex(8)
    with rt.store.write() as c:
        t = rt.create(c, t, HOTLINE_ACTOR, now)
        c.exec_driver_sql("INSERT INTO open311_tokens(token, ticket_id) VALUES (?, ?)", (tok, t.id))
    return answer(request, [{"service_request_id": t.number, "token": tok,
                              "service_notice": f"已受理登记，处置时限{t.limit_hours:g}小时",
                              "account_id": None}], "service_requests", "request")
