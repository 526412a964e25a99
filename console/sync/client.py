"""HTTP client for the district platform (docs/CONTRACT.md), Qt-free.

Every network or server failure is turned into one of a few typed exceptions so
the workers can decide what to do without looking at HTTP details:

- ``LinkDown``: no usable answer (connection refused/reset, timeout, 5xx, a body
  cut short). Retry later; nothing is known about whether the request took effect.
  A 5xx is its subclass ``ServerError`` (status, code, message kept).
- ``ResyncRequired``: 410 on the change feed; start again from an empty cursor.
- ``AuthError``: 401; retrying will not help until the token changes.
- ``BadResponse``: a 2xx whose body is not what the contract promises.
- ``RequestRejected``: another 4xx (422 malformed batch, 413, 409 ...).

The token and request bodies (which carry citizens' phone numbers) are never logged.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import quote

import requests

from console.domain.formatting import plausible_epoch

log = logging.getLogger(__name__)

API = "/api/v1"
CHUNK_BYTES = 256 * 1024


class SyncError(Exception):
    """Base of the client's typed errors."""


class LinkDown(SyncError):
    """The platform could not be reached or did not answer usefully."""


class ServerError(LinkDown):
    """A 5xx answer: the platform was reached and failed. For most requests this is
    as good as no answer (a ``LinkDown``); the pusher looks closer, because a 500 that
    comes back for one command every time is that command's problem, not the link's."""

    #: statuses that say the platform (or a gateway in front of it) is unavailable, not
    #: that this request broke it
    UNAVAILABLE = frozenset({502, 503, 504})

    def __init__(self, text: str, status: int, code: str = "", message: str = "") -> None:
        super().__init__(text)
        self.status, self.code, self.message = status, code, message

    @property
    def unavailable(self) -> bool:
        return self.status in self.UNAVAILABLE


class ResyncRequired(SyncError):
    """The feed cursor is older than the platform's retention (410)."""


class AuthError(SyncError):
    """The platform refused the token (401)."""


class BadResponse(SyncError):
    """A successful status with a body that breaks the contract."""


class RequestRejected(SyncError):
    """A 4xx other than 401/410: the request itself is wrong."""

    def __init__(self, status: int, code: str, message: str = "") -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message


def tls_verify(ca_bundle: str | None) -> bool | str:
    """requests' ``verify`` for a CA bundle setting: the file, or True (never False: a
    console does not talk to an unverified platform). A missing file is an error."""
    if not ca_bundle:
        return True
    path = os.path.expanduser(ca_bundle)
    if not os.path.isfile(path):
        raise ValueError(f"the CA bundle {ca_bundle} does not exist")
    return path


def _ssl_reason(exc: BaseException) -> str:
    text = str(exc)
    for marker in ("CERTIFICATE_VERIFY_FAILED", "certificate verify failed", "hostname", "WRONG_VERSION"):
        i = text.find(marker)
        if i >= 0:
            return text[i:i + 120].split("'")[0].split(")")[0]
    return type(exc).__name__


@dataclass(frozen=True, slots=True)
class Health:
    server_time_epoch: float
    t_send: float                # local wall clock when sent
    t_recv: float                # local wall clock when answered
    rtt_s: float
    #: server clock minus local wall clock (seconds), measured at the midpoint
    offset_s: float
    api_version: str


@dataclass(frozen=True, slots=True)
class ChangeBatch:
    changes: list[dict[str, Any]]
    next_cursor: str
    has_more: bool
    server_time_epoch: float | None
    elapsed_s: float


def _error_code(resp: requests.Response) -> tuple[str, str]:
    try:
        err = resp.json()["error"]
        return str(err.get("code", "")), str(err.get("message", ""))[:200]
    except Exception:  # noqa: BLE001 - any junk body: fall back to the status
        return "", ""


class PlatformClient:
    """Thin, typed wrapper over the platform's JSON API.

    ``timeout`` is requests' (connect, read) pair. A ``requests.Session`` may be
    passed in (tests, shared pools); otherwise the client owns one.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        timeout: tuple[float, float] = (3, 10),
        session: requests.Session | None = None,
        ca_bundle: str | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        #: TLS: certificates are always verified; against the hall's CA bundle when one
        #: is configured (setting ``ca_bundle``), else the bundled public CAs
        self.verify: bool | str = tls_verify(ca_bundle)
        # The engine's threads share one client; requests.Session is not documented
        # as thread-safe, so an owned client keeps one session per thread.
        self._shared = session
        self._local = threading.local()
        self._sessions: list[requests.Session] = []
        self._sessions_lock = threading.Lock()

    def __repr__(self) -> str:  # never show the token
        return f"PlatformClient({self.base_url!r})"

    @property
    def _session(self) -> requests.Session:
        if self._shared is not None:
            return self._shared
        s = getattr(self._local, "session", None)
        if s is None:
            s = self._local.session = requests.Session()
            with self._sessions_lock:
                self._sessions.append(s)
        return s

    def close(self) -> None:
        with self._sessions_lock:
            sessions, self._sessions = self._sessions, []
        for s in sessions:
            s.close()

    # -- plumbing ---------------------------------------------------------------
    def _request(
        self,
        method: str,
        path: str,
        *,
        auth: bool = True,
        timeout: tuple[float, float] | None = None,
        **kw: Any,
    ) -> requests.Response:
        headers = dict(kw.pop("headers", None) or {})
        if auth:
            headers["Authorization"] = f"Bearer {self._token}"
        url = self.base_url + path
        if isinstance(self.verify, str):  # per request: beats REQUESTS_CA_BUNDLE in the environment
            kw.setdefault("verify", self.verify)
        try:
            resp = self._session.request(
                method, url, headers=headers, timeout=timeout or self.timeout, **kw
            )
        except requests.exceptions.SSLError as exc:
            raise LinkDown(f"{method} {path}: the platform's TLS certificate could not be verified "
                           f"(wrong host, expired, or not signed by the configured CA bundle): "
                           f"{_ssl_reason(exc)}") from exc
        except requests.RequestException as exc:
            # str(exc) may contain the URL but never headers: safe to log.
            raise LinkDown(f"{method} {path}: {type(exc).__name__}") from exc
        status = resp.status_code
        if status >= 500:
            code, msg = _error_code(resp)
            raise ServerError(f"{method} {path}: {status} {code} {msg}".strip(), status, code, msg)
        if status == 401:
            raise AuthError(f"{method} {path}: unauthorized")
        if status == 410:
            raise ResyncRequired(f"{method} {path}: resync required")
        return resp

    @staticmethod
    def _json(resp: requests.Response, what: str) -> Any:
        try:
            return json.loads(resp.content)
        except ValueError as exc:
            raise BadResponse(f"{what}: body is not JSON") from exc

    @staticmethod
    def _raise_4xx(resp: requests.Response, what: str) -> None:
        if 400 <= resp.status_code < 500:
            code, msg = _error_code(resp)
            raise RequestRejected(resp.status_code, code or "bad_request", f"{what}: {msg}")

    # -- API --------------------------------------------------------------------
    def health(self, timeout: tuple[float, float] | None = None) -> Health:
        t_send = time.time()
        m0 = time.monotonic()
        resp = self._request("GET", f"{API}/health", auth=False, timeout=timeout)
        rtt = time.monotonic() - m0
        t_recv = t_send + rtt
        self._raise_4xx(resp, "health")
        body = self._json(resp, "health")
        if not isinstance(body, dict) or "server_time_epoch" not in body:
            raise BadResponse("health: missing server_time_epoch")
        # NaN, infinities, 1e300, "soon": a server that says such a thing about its
        # clock is not healthy, and its time must not reach the skew estimate.
        server = plausible_epoch(body["server_time_epoch"])
        if server is None:
            raise BadResponse("health: server_time_epoch is not a plausible time")
        version = body.get("api_version", "")
        version = version[:32] if isinstance(version, str) else ""
        return Health(server, t_send, t_recv, rtt, server - (t_send + t_recv) / 2, version)

    def changes(self, cursor: str | None, limit: int = 500) -> ChangeBatch:
        params: dict[str, Any] = {"limit": int(limit)}
        if cursor:
            params["since"] = cursor
        m0 = time.monotonic()
        resp = self._request("GET", f"{API}/changes", params=params)
        self._raise_4xx(resp, "changes")
        body = self._json(resp, "changes")
        elapsed = time.monotonic() - m0
        if not isinstance(body, dict):
            raise BadResponse("changes: body is not an object")
        changes = body.get("changes")
        nxt = body.get("next_cursor")
        more = body.get("has_more")
        if not isinstance(changes, list) or not isinstance(nxt, str) or not isinstance(more, bool):
            raise BadResponse("changes: missing changes/next_cursor/has_more")
        ste = body.get("server_time_epoch")
        return ChangeBatch(changes, nxt, more, plausible_epoch(ste), elapsed)

    def send_commands(self, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """POST a batch; returns the results in the same order (validated)."""
        if not commands:
            return []
        resp = self._request("POST", f"{API}/commands", json={"commands": commands})
        self._raise_4xx(resp, "commands")
        body = self._json(resp, "commands")
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list) or len(results) != len(commands):
            raise BadResponse("commands: results missing or of the wrong length")
        for cmd, res in zip(commands, results):
            if (
                not isinstance(res, dict)
                or res.get("command_id") != cmd["command_id"]
                or res.get("status") not in ("applied", "duplicate", "conflict", "rejected")
            ):
                raise BadResponse("commands: result does not match its command")
        return results

    def send_duty_records(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """POST duty-hall records (handover, roster, emergency, emergency_item, duty_log);
        returns the results in the same order (validated)."""
        if not records:
            return []
        resp = self._request("POST", f"{API}/duty-records", json={"records": records})
        self._raise_4xx(resp, "duty-records")
        body = self._json(resp, "duty-records")
        results = body.get("results") if isinstance(body, dict) else None
        if not isinstance(results, list) or len(results) != len(records):
            raise BadResponse("duty-records: results missing or of the wrong length")
        for rec, res in zip(records, results):
            if (
                not isinstance(res, dict)
                or res.get("record_id") != rec["record_id"]
                or res.get("status") not in ("applied", "duplicate", "rejected")
            ):
                raise BadResponse("duty-records: result does not match its record")
        return results

    def open_session(self, user_id: str, workstation: str, at: float, proof: str,
                     timeout: tuple[float, float] = (2, 4)) -> dict[str, Any]:
        """Ask the platform to confirm a login (the proof, never the PIN). Returns
        ``{"session_id", "user"}``; RequestRejected (403/423, code wrong_pin, disabled,
        locked, unknown_user) when it refuses; LinkDown when it cannot be asked."""
        resp = self._request("POST", f"{API}/sessions", timeout=timeout,
                             json={"user_id": user_id, "workstation": workstation, "at": at,
                                   "proof": proof})
        self._raise_4xx(resp, "sessions")
        body = self._json(resp, "sessions")
        if not isinstance(body, dict) or not isinstance(body.get("session_id"), str):
            raise BadResponse("sessions: no session_id")
        return body

    # -- cameras ------------------------------------------------------------------
    def camera_grant(self, camera_id: str, actor: dict[str, Any]) -> dict[str, Any]:
        """Stream URLs of a restricted camera for ``actor`` (docs/CONTRACT.md "Camera
        access"); ``ApiError`` 403 ``not_cleared`` when the platform refuses."""
        resp = self._request("POST", f"{API}/cameras/{quote(camera_id, safe='')}/grant", json={"actor": actor})
        self._raise_4xx(resp, "camera grant")
        body = self._json(resp, "camera grant")
        if not isinstance(body, dict) or not all(isinstance(body.get(k), str) and body[k].startswith(("http://", "https://"))
                                                 for k in ("stream_url", "substream_url")):
            raise BadResponse("camera grant: stream URLs missing")
        return body

    # -- attachments ------------------------------------------------------------
    def attachment_offset(self, sha256: str) -> tuple[int, bool]:
        """(bytes the platform holds, complete?) for a content-addressed file."""
        resp = self._request("HEAD", f"{API}/attachments/{sha256}")
        if resp.status_code == 404:
            return 0, False
        self._raise_4xx(resp, "attachment head")
        try:
            offset = int(resp.headers.get("Upload-Offset", "0"))
        except ValueError as exc:
            raise BadResponse("attachment head: bad Upload-Offset") from exc
        complete = resp.headers.get("Upload-Complete", "1") != "0"
        return offset, complete

    def upload_attachment(
        self,
        sha256: str,
        path: str | os.PathLike[str],
        progress_cb: Callable[[int, int], None] | None = None,
        chunk_bytes: int = CHUNK_BYTES,
        content_type: str = "application/octet-stream",
    ) -> int:
        """Upload (or finish uploading) a file; returns its size.

        Resumable: asks the platform how much it already holds and sends the rest
        in chunks, each one a PUT from the current offset, so an interruption costs
        at most one chunk. A 409 (offset mismatch) re-reads the offset and goes on.
        """
        total = os.path.getsize(path)
        offset, complete = self.attachment_offset(sha256)
        if complete and offset >= total:
            if progress_cb:
                progress_cb(total, total)
            return total
        mismatches = 0
        with open(path, "rb") as fh:
            while True:
                fh.seek(offset)
                data = fh.read(chunk_bytes)
                resp = self._request(
                    "PUT",
                    f"{API}/attachments/{sha256}",
                    data=data,
                    headers={
                        "Upload-Offset": str(offset),
                        "Upload-Length": str(total),
                        "Content-Type": content_type,
                    },
                )
                if resp.status_code == 409:
                    mismatches += 1
                    if mismatches > 3:
                        raise RequestRejected(409, "offset_mismatch", "attachment offset keeps moving")
                    offset, complete = self.attachment_offset(sha256)
                    if complete and offset >= total:
                        break
                    continue
                self._raise_4xx(resp, "attachment put")
                body = self._json(resp, "attachment put")
                try:
                    offset = int(body.get("offset", offset + len(data)))
                    complete = bool(body.get("complete"))
                except (AttributeError, TypeError, ValueError) as exc:
                    raise BadResponse("attachment put: bad body") from exc
                if progress_cb:
                    progress_cb(min(offset, total), total)
                if complete or offset >= total:
                    break
                if not data:
                    raise BadResponse("attachment put: no progress at end of file")
        if progress_cb:
            progress_cb(total, total)
        return total
