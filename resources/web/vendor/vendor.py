"""Re-vendor the map's web libraries: ``python resources/web/vendor/vendor.py``.

Fetches the pinned packages with ``npm pack`` into a temporary directory, copies
only their dist files and licence into ``<name>-<version>/`` beside this script and
rewrites ``MANIFEST.json`` (name, version, licence, sha256 per file).
``tests/map/test_vendor.py`` checks the hashes, so a hand-edited file is noticed.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: name, version, licence (SPDX), files to copy (relative to the package root) -> target.
#: Licence files get a .txt suffix so that package-data globs ship them.
PACKAGES = [
    ("leaflet", "1.9.4", "BSD-2-Clause", {
        "dist/leaflet.js": "leaflet.js",
        "dist/leaflet.css": "leaflet.css",
        "dist/images/layers.png": "images/layers.png",
        "dist/images/layers-2x.png": "images/layers-2x.png",
        "dist/images/marker-icon.png": "images/marker-icon.png",
        "dist/images/marker-icon-2x.png": "images/marker-icon-2x.png",
        "dist/images/marker-shadow.png": "images/marker-shadow.png",
        "LICENSE": "LICENSE.txt",
    }),
    ("leaflet.markercluster", "1.5.3", "MIT", {
        "dist/leaflet.markercluster.js": "leaflet.markercluster.js",
        "dist/MarkerCluster.css": "MarkerCluster.css",
        "dist/MarkerCluster.Default.css": "MarkerCluster.Default.css",
        "MIT-LICENCE.txt": "MIT-LICENCE.txt",
    }),
    ("leaflet.heat", "0.2.0", "BSD-2-Clause", {
        "dist/leaflet-heat.js": "leaflet-heat.js",
        "LICENSE": "LICENSE.txt",
    }),
]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> None:
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, licence, files in PACKAGES:
            out = subprocess.run(["npm", "pack", f"{name}@{version}"], cwd=tmp, check=True,
                                 capture_output=True, text=True).stdout.strip().splitlines()[-1]
            unpack = Path(tmp) / name
            with tarfile.open(Path(tmp) / out) as tar:
                tar.extractall(unpack, filter="data")
            target = HERE / f"{name}-{version}"
            shutil.rmtree(target, ignore_errors=True)
            entry = {"name": name, "version": version, "licence": licence, "files": {}}
            for src, dst in files.items():
                (target / dst).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(unpack / "package" / src, target / dst)
                entry["files"][dst] = sha256(target / dst)
            manifest.append(entry)
    (HERE / "MANIFEST.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
