"""The map page: a folium-built HTML shell that loads only bundled files.

The page holds no data. It creates the Leaflet map and hands it to
``resources/web/map.js``, which connects to the QWebChannel bridge and draws what
Python sends. folium's CDN links are replaced by the vendored copies listed in
``resources/web/vendor/MANIFEST.json``; the page is written to a file (``setHtml``
is capped at 2 MB and would give the page an opaque origin).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

WEB_DIR = Path(__file__).resolve().parent.parent / "resources" / "web"
VENDOR_DIR = WEB_DIR / "vendor"
QWEBCHANNEL_JS = "qrc:///qtwebchannel/qwebchannel.js"

LEAFLET = "leaflet-1.9.4"
CLUSTER = "leaflet.markercluster-1.5.3"
HEAT = "leaflet.heat-0.2.0"


def _url(path: Path) -> str:
    return path.resolve().as_uri()


def local_js() -> list[tuple[str, str]]:
    return [
        ("leaflet", _url(VENDOR_DIR / LEAFLET / "leaflet.js")),
        ("markercluster", _url(VENDOR_DIR / CLUSTER / "leaflet.markercluster.js")),
        ("leaflet_heat", _url(VENDOR_DIR / HEAT / "leaflet-heat.js")),
        ("qwebchannel", QWEBCHANNEL_JS),
        ("duty_map", _url(WEB_DIR / "map.js")),
    ]


def local_css() -> list[tuple[str, str]]:
    return [
        ("leaflet_css", _url(VENDOR_DIR / LEAFLET / "leaflet.css")),
        ("markercluster_css", _url(VENDOR_DIR / CLUSTER / "MarkerCluster.css")),
        ("markercluster_default_css", _url(VENDOR_DIR / CLUSTER / "MarkerCluster.Default.css")),
        ("duty_map_css", _url(WEB_DIR / "map.css")),
    ]


class _LocalMap(folium.Map):
    """folium's Map with its CDN scripts and styles swapped for the bundled files."""

    default_js = local_js()
    default_css = local_css()


class _Init(MacroElement):
    """Hands the Leaflet map to map.js once folium has created it."""

    _template = Template("{% macro script(this, kwargs) %}DutyMap.init({{ this._parent.get_name() }});"
                         "{% endmacro %}")


def build_html(center: tuple[float, float] = (31.18, 121.49), zoom: int = 15, max_zoom: int = 19) -> str:
    m = _LocalMap(location=list(center), zoom_start=zoom, tiles=None, max_zoom=max_zoom,
                  min_zoom=10, control_scale=True, prefer_canvas=False, zoom_control=True)
    # folium puts max_zoom on the tile layer only; with no tiles the map itself needs
    # it or markercluster cannot compute its zoom range.
    m.options["maxZoom"] = max_zoom
    # A street console never needs the world; markercluster builds one grid per zoom
    # level between minZoom and maxZoom, so a high minZoom halves its work for 50k.
    m.options["minZoom"] = 10
    m._id = "duty"  # a stable element id keeps the page (and its cache file) stable
    m.add_child(_Init())
    root = m.get_root()
    root.html.add_child(Element("<noscript>JavaScript is required.</noscript>"))
    return root.render()


def cache_dir() -> Path:
    from console.paths import Paths

    return Paths.resolve().cache_dir


def write_page(directory: Path | None = None) -> Path:
    """Write the page (if its content changed) and return its path."""
    directory = (directory or cache_dir()) / "map"
    directory.mkdir(parents=True, exist_ok=True)
    html = build_html()
    digest = hashlib.sha256(html.encode()).hexdigest()[:12]
    path = directory / f"map-{digest}.html"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(html, encoding="utf-8")
        tmp.replace(path)
    return path
