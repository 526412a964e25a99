"""Every user-visible string of the queue area has a finished zh_CN translation, and
the panel shows Chinese with the catalogue installed."""

from __future__ import annotations

import glob
import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "i18n" / "queue.zh_CN.ts"


def _lupdate() -> str | None:
    exe = Path(shutil.which("pyside6-lupdate") or ROOT / ".venv" / "bin" / "pyside6-lupdate")
    return str(exe) if exe.exists() else None


def test_queue_catalogue_complete(tmp_path):
    exe = _lupdate()
    if exe is None:
        pytest.fail("pyside6-lupdate not found: the PySide6 install is incomplete (make test sets it up)")
    patterns = json.loads((ROOT / "resources" / "i18n" / "areas.json").read_text())["queue"]
    files = sorted({f for p in patterns for f in glob.glob(str(ROOT / p))})
    copy = tmp_path / "queue.zh_CN.ts"
    shutil.copy(TS, copy)
    subprocess.run([exe, "-no-obsolete", *files, "-ts", str(copy)], check=True,
                   capture_output=True, timeout=120)
    missing = []
    for m in ET.parse(copy).iter("message"):
        tr = m.find("translation")
        if tr is None or tr.get("type") in ("unfinished", "vanished", "obsolete") or not (tr.text or "").strip():
            missing.append(m.find("source").text)
    assert not missing, f"untranslated: {missing}"


def test_panel_speaks_chinese(qtbot, ctx, qapp):
    from console.qt import i18n
    from views.queue import QueuePanel

    i18n.install(qapp, "zh_CN")
    try:
        p = QueuePanel(ctx)
        qtbot.addWidget(p)
        assert p.tabs.tabText(1).startswith("待受理")
        assert p.model.headerData(0, __import__("PySide6.QtCore").QtCore.Qt.Orientation.Horizontal) == "时限"
    finally:
        i18n.remove(qapp)
