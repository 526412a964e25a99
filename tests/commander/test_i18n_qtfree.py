"""Every commander string has a finished zh_CN translation; the core modules stay Qt-free."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "commander.zh_CN.ts"


def test_commander_translations_are_complete(tmp_path):
    from console.qt.i18n import lupdate_binary

    exe = lupdate_binary() or shutil.which("pyside6-lupdate")
    if exe is None:
        pytest.fail("pyside6-lupdate not found: the PySide6 install is incomplete (make test sets it up)")
    globs = json.loads((ROOT / "resources" / "i18n" / "areas.json").read_text())["commander"]
    files = sorted({str(p.relative_to(ROOT)) for g in globs for p in ROOT.glob(g)})
    work = tmp_path / "resources" / "i18n"
    work.mkdir(parents=True)
    ts = work / TS.name
    shutil.copy(TS, ts)
    for f in files:  # lupdate writes locations relative to the .ts: mirror the tree
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / f, tmp_path / f)
    subprocess.run([str(exe), *files, "-ts", str(ts.relative_to(tmp_path))], cwd=tmp_path, check=True,
                   capture_output=True, timeout=120)
    missing = []
    for msg in ET.parse(ts).getroot().iter("message"):
        tr = msg.find("translation")
        if tr.get("type") in ("vanished", "obsolete"):
            continue
        if tr.get("type") == "unfinished" or not (tr.text or "").strip():
            missing.append(msg.find("source").text)
    assert not missing, f"untranslated: {missing}"


def test_core_modules_do_not_import_qt():
    code = ("import sys; import localdb.stats, console.handover, console.operations.commander, "
            "localdb.repo_commander; bad=[m for m in sys.modules if m.startswith(('PySide6','pyqtgraph','shiboken'))];"
            "print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
