"""Every string of the map area has a finished zh_CN translation."""

from __future__ import annotations

import glob
import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "map.zh_CN.ts"


def test_map_translation_is_complete(tmp_path):
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    areas = json.loads((ROOT / "resources" / "i18n" / "areas.json").read_text(encoding="utf-8"))
    files = sorted({f for pattern in areas["map"] for f in glob.glob(str(ROOT / pattern))})
    assert any(f.endswith("views/map.py") for f in files)
    ts = tmp_path / TS.name
    shutil.copy(TS, ts)  # lupdate merges the sources into a copy: the real file stays as is
    subprocess.run([str(lupdate), *files, "-locations", "none", "-ts", str(ts)], check=True,
                   capture_output=True, timeout=120)
    messages = list(ET.parse(ts).iter("message"))
    assert len(messages) >= 20
    for msg in messages:
        source = msg.findtext("source")
        tr = msg.find("translation")
        assert tr is not None and tr.get("type") is None, f"unfinished or obsolete: {source!r}"
        texts = [n.text for n in tr.iter("numerusform")] if msg.get("numerus") == "yes" else [tr.text]
        assert texts and all(t and t.strip() for t in texts), f"empty translation: {source!r}"
