"""The map's web libraries are bundled, unmodified, licensed, and the page is offline."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from views.map_page import VENDOR_DIR, build_html

MANIFEST = json.loads((VENDOR_DIR / "MANIFEST.json").read_text(encoding="utf-8"))


def test_manifest_lists_the_pinned_libraries():
    assert {(p["name"], p["version"]) for p in MANIFEST} == {
        ("leaflet", "1.9.4"), ("leaflet.markercluster", "1.5.3"), ("leaflet.heat", "0.2.0")}


def test_vendored_files_match_their_hashes_and_carry_a_licence():
    for pkg in MANIFEST:
        root = VENDOR_DIR / f"{pkg['name']}-{pkg['version']}"
        assert pkg["licence"]
        assert any("LICEN" in name.upper() for name in pkg["files"]), pkg["name"]
        for name, digest in pkg["files"].items():
            assert hashlib.sha256((root / name).read_bytes()).hexdigest() == digest, f"{pkg['name']}/{name}"


def test_page_references_no_network_url_and_every_file_exists():
    html = build_html()
    assert not re.search(r"https?://", html, re.I)
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(r.endswith("leaflet.js") for r in refs)
    assert "qrc:///qtwebchannel/qwebchannel.js" in refs
    for ref in refs:
        assert ref.startswith(("file://", "qrc:")), ref
        if ref.startswith("file://"):
            assert Path(ref[len("file://"):]).is_file(), ref
