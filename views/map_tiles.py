"""Base-map tiles for the map page through a custom ``tiles:`` URL scheme.

The page asks for ``tiles://base/{z}/{x}/{y}``; this handler answers from
- an XYZ tile server (URL template from the settings), fetched with
  QNetworkAccessManager and kept in an on-disk cache (served stale when the server
  cannot be reached), or
- an MBTiles file (SQLite, TMS row order) read with sqlite3.
Failures never break the page: the request fails and ``sig_failed`` tells the panel,
which shows a notice on the map.

``register_scheme()`` must run before the QApplication is created (Qt's rule for
custom schemes); ``console.app`` and the tests' conftest call it.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import time
from pathlib import Path

import shiboken6
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QUrl, Signal
from PySide6.QtNetwork import QNetworkAccessManager, QNetworkReply, QNetworkRequest
from PySide6.QtWebEngineCore import (
    QWebEngineUrlRequestJob,
    QWebEngineUrlScheme,
    QWebEngineUrlSchemeHandler,
)

log = logging.getLogger(__name__)

SCHEME = b"tiles"
TILE_URL = "tiles://base/{z}/{x}/{y}"
CACHE_MAX_AGE_S = 30 * 86400
_TYPES = {"png": b"image/png", "jpg": b"image/jpeg", "jpeg": b"image/jpeg", "webp": b"image/webp"}


def register_scheme() -> None:
    """Declare the ``tiles`` scheme to QtWebEngine (before QApplication exists)."""
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() == SCHEME:
        return
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    # LocalScheme: the page is a file:// page, and Chromium lets local pages load
    # only from schemes marked local (without it the <img> requests never start).
    scheme.setFlags(QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.LocalScheme
                    | QWebEngineUrlScheme.Flag.CorsEnabled)
    QWebEngineUrlScheme.registerScheme(scheme)


class TileSourceError(Exception):
    """The tile source cannot be used (message is for the log and the notice)."""


def _parse(url: QUrl) -> tuple[int, int, int] | None:
    parts = [p for p in url.path().split("/") if p]
    if len(parts) != 3:
        return None
    try:
        z, x, y = (int(p.split(".")[0]) for p in parts)
    except ValueError:
        return None
    if not (0 <= z <= 24 and 0 <= x < 2 ** z and 0 <= y < 2 ** z):
        return None
    return z, x, y


def _reply(job: QWebEngineUrlRequestJob, content_type: bytes, data: bytes) -> None:
    if not shiboken6.isValid(job):
        return  # the page went away while we were fetching
    buf = QBuffer(job)  # lives as long as the job
    buf.setData(QByteArray(data))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    job.reply(content_type, buf)


def _fail(job: QWebEngineUrlRequestJob, error: QWebEngineUrlRequestJob.Error) -> None:
    if shiboken6.isValid(job):
        job.fail(error)


class MbtilesSource:
    """Raster tiles from an MBTiles file (read-only)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise TileSourceError(f"{self.path}: file not found")
        try:
            self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            meta = dict(self.db.execute("SELECT name, value FROM metadata").fetchall())
            self.db.execute("SELECT 1 FROM tiles LIMIT 1").fetchall()
        except sqlite3.Error as exc:
            raise TileSourceError(f"{self.path.name}: {exc}") from exc
        fmt = str(meta.get("format", "png")).lower()
        if fmt not in _TYPES:
            raise TileSourceError(f"{self.path.name}: tile format {fmt!r} is not a raster format")
        self.content_type = _TYPES[fmt]
        self.min_zoom = int(meta.get("minzoom", 0) or 0)
        self.max_zoom = int(meta.get("maxzoom", 18) or 18)
        self.attribution = str(meta.get("attribution", ""))

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        row = self.db.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, x, (1 << z) - 1 - y)).fetchone()
        return bytes(row[0]) if row else None

    def close(self) -> None:
        self.db.close()


class TileSchemeHandler(QWebEngineUrlSchemeHandler):
    """Serves ``tiles://base/z/x/y`` from the configured source."""

    #: kind ("mbtiles" | "network"), detail text — tiles cannot be loaded
    sig_failed = Signal(str, str)
    #: tiles load again after a failure
    sig_recovered = Signal()

    def __init__(self, cache_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cache_dir = Path(cache_dir)
        self.template = ""
        self.mbtiles: MbtilesSource | None = None
        self._nam: QNetworkAccessManager | None = None
        self._failing = False
        self._cache_key = ""
        self.served = 0
        self.corrupt = 0

    # -- configuration -------------------------------------------------------------
    def configure(self, template: str = "", mbtiles: str = "", cache_key: str = "",
                  max_zoom: int = 18) -> dict | None:
        """Choose the source; returns page options {"maxNativeZoom", ...} or None when
        there is no usable source. Raises TileSourceError for a broken MBTiles file.

        ``cache_key`` names the disk cache (default: the template itself); the platform's
        base map uses a fixed key so the cache survives a change of address (the demo's
        port changes at every start) and serves through an outage."""
        if self.mbtiles is not None:
            self.mbtiles.close()
            self.mbtiles = None
        self.template = ""
        self._failing = False
        if mbtiles:
            self.mbtiles = MbtilesSource(mbtiles)
            return {"url": TILE_URL, "maxNativeZoom": self.mbtiles.max_zoom,
                    "minZoom": self.mbtiles.min_zoom, "attribution": self.mbtiles.attribution}
        if template:
            if not template.startswith(("http://", "https://")) or "{z}" not in template:
                raise TileSourceError(f"not an XYZ URL template: {template}")
            self.template = template
            self._cache_key = cache_key or template
            return {"url": TILE_URL, "maxNativeZoom": max_zoom}
        return None

    def _cache_path(self, z: int, x: int, y: int) -> Path:
        key = hashlib.sha1(self._cache_key.encode()).hexdigest()[:12]
        return self.cache_dir / key / str(z) / str(x) / f"{y}.tile"

    # -- requests ------------------------------------------------------------------
    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 - Qt API
        zxy = _parse(job.requestUrl())
        if zxy is None:
            _fail(job, QWebEngineUrlRequestJob.Error.UrlInvalid)
            return
        if self.mbtiles is not None:
            self._from_mbtiles(job, *zxy)
        elif self.template:
            self._from_network(job, *zxy)
        else:
            _fail(job, QWebEngineUrlRequestJob.Error.UrlNotFound)

    def _from_mbtiles(self, job: QWebEngineUrlRequestJob, z: int, x: int, y: int) -> None:
        assert self.mbtiles is not None
        try:
            data = self.mbtiles.tile(z, x, y)
        except sqlite3.Error as exc:
            _fail(job, QWebEngineUrlRequestJob.Error.RequestFailed)
            self._report_failure("mbtiles", str(exc))
            return
        if data is None:
            _fail(job, QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        self._ok()
        _reply(job, self.mbtiles.content_type, data)

    def _from_network(self, job: QWebEngineUrlRequestJob, z: int, x: int, y: int) -> None:
        path = self._cache_path(z, x, y)
        stale: bytes | None = None
        if path.is_file():
            data = path.read_bytes()
            if time.time() - path.stat().st_mtime < CACHE_MAX_AGE_S:
                _reply(job, _sniff(data), data)
                self.served += 1
                return
            stale = data
        if self._nam is None:
            self._nam = QNetworkAccessManager(self)
        url = self.template.replace("{z}", str(z)).replace("{x}", str(x)).replace("{y}", str(y))
        url = url.replace("{s}", "abc"[(x + y) % 3])
        req = QNetworkRequest(QUrl(url))
        req.setTransferTimeout(15000)
        req.setHeader(QNetworkRequest.KnownHeaders.UserAgentHeader, "duty-console")
        reply = self._nam.get(req)
        reply.finished.connect(lambda: self._on_reply_finished(reply, job, path, stale))

    def _on_reply_finished(self, reply: QNetworkReply, job: QWebEngineUrlRequestJob, path: Path,
                           stale: bytes | None) -> None:
        reply.deleteLater()
        status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
        data = bytes(reply.readAll().data()) if reply.error() == QNetworkReply.NetworkError.NoError else b""
        if status in (None, 200) and data and _sniff(data) == b"application/octet-stream":
            # a tile that is not an image (a proxy's error page, a truncated body): never
            # cache it; an older copy serves instead
            self.corrupt += 1
            self._report_failure("corrupt", f"tile {path.parent.parent.name}/{path.parent.name}/"
                                            f"{path.stem} is not an image")
            if stale is not None:
                _reply(job, _sniff(stale), stale)
            else:
                _fail(job, QWebEngineUrlRequestJob.Error.RequestFailed)
            return
        if reply.error() == QNetworkReply.NetworkError.NoError and status in (None, 200):
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_suffix(".part")
                tmp.write_bytes(data)
                tmp.replace(path)
            except OSError as exc:
                log.warning("tile cache write failed: %s", exc)
            self._ok()
            self.served += 1
            _reply(job, _sniff(data), data)
            return
        if status == 404:
            _fail(job, QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        self._report_failure("network", reply.errorString())
        if stale is not None:
            _reply(job, _sniff(stale), stale)
        else:
            _fail(job, QWebEngineUrlRequestJob.Error.RequestFailed)

    def _report_failure(self, kind: str, detail: str) -> None:
        if not self._failing:
            self._failing = True
            log.warning("map tiles unavailable (%s): %s", kind, detail)
            self.sig_failed.emit(kind, detail)

    def _ok(self) -> None:
        if self._failing:
            self._failing = False
            self.sig_recovered.emit()


def _sniff(data: bytes) -> bytes:
    if data[:4] == b"\x89PNG":
        return b"image/png"
    if data[:3] == b"\xff\xd8\xff":
        return b"image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return b"image/webp"
    return b"application/octet-stream"
