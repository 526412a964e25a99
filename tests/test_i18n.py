"""Every user-visible string has a finished zh_CN translation; English can be chosen.

For each area in resources/i18n/areas.json, pyside6-lupdate extracts the strings of
the area's source files into a temporary .ts; each (context, source) must have a
finished translation in resources/i18n/<area>.zh_CN.ts. Areas whose files do not
exist yet have nothing to check.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from console.qt import i18n

ROOT = Path(__file__).resolve().parents[1]
I18N = ROOT / "resources" / "i18n"
AREAS = {k: v for k, v in json.loads((I18N / "areas.json").read_text(encoding="utf-8")).items()
         if not k.startswith("_")}


def _files(patterns: list[str]) -> list[Path]:
    found: set[Path] = set()
    for pattern in patterns:
        found.update(p for p in ROOT.glob(pattern) if p.is_file())
    return sorted(found)


def _messages(ts: Path, finished_only: bool) -> set[tuple[str, str]]:
    out: set[tuple[str, str]] = set()
    if not ts.exists():
        return out
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name") or ""
        for msg in ctx.iter("message"):
            source = msg.findtext("source") or ""
            tr = msg.find("translation")
            if finished_only:
                if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
                    continue
                forms = [f.text for f in tr.iter("numerusform")] if msg.get("numerus") == "yes" else [tr.text]
                if not forms or not all((f or "").strip() for f in forms):
                    continue
            out.add((name, source))
    return out


@pytest.mark.parametrize("area", sorted(AREAS))
def test_area_strings_have_finished_zh_cn_translations(area, tmp_path):
    files = _files(AREAS[area])
    if not files:
        return  # that area's code does not exist yet: nothing to check
    lupdate = i18n.lupdate_binary()
    assert lupdate is not None, "pyside6-lupdate is part of PySide6 and must be available"
    extracted = tmp_path / f"{area}.ts"
    proc = subprocess.run([str(lupdate), *map(str, files), "-silent", "-no-obsolete", "-ts", str(extracted)],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    needed = _messages(extracted, finished_only=False)
    translated = _messages(I18N / f"{area}.zh_CN.ts", finished_only=True)
    missing = sorted(needed - translated)
    assert not missing, (
        f"{len(missing)} string(s) of area '{area}' lack a finished zh_CN translation in "
        f"resources/i18n/{area}.zh_CN.ts:\n" + "\n".join(f"  [{c}] {s!r}" for c, s in missing))


def test_catalogues_compile_and_chinese_is_default(qapp, tmp_path):
    from console.settings import LANGUAGE
    from views.labels import state_label

    assert LANGUAGE.default == "zh_CN"
    installed = i18n.install(qapp, "zh_CN", tmp_path / "qm")
    try:
        assert len(installed) >= 2  # Qt's own catalogue + ours
        assert list((tmp_path / "qm").glob("shell.zh_CN.*.qm"))
        assert state_label("dispatched") == "已派遣"
    finally:
        i18n.remove(qapp)


def test_english_can_be_selected(qapp, tmp_path):
    from PySide6.QtCore import QCoreApplication

    from views.labels import label, state_label
    from console.domain.model import Priority

    i18n.install(qapp, "zh_CN", tmp_path / "qm")
    assert label(Priority.URGENT) == "紧急"
    assert i18n.install(qapp, "en", tmp_path / "qm") == []
    try:
        assert state_label("dispatched") == "Dispatched"
        assert label(Priority.URGENT) == "Urgent"
        assert QCoreApplication.translate("MainWindow", "Map") == "Map"
        assert qapp.property("duty_language") == "en"
    finally:
        i18n.remove(qapp)


def test_ts_fallback_translator_without_lrelease(qapp, monkeypatch, tmp_path):
    from views.labels import state_label

    monkeypatch.setattr(i18n, "lrelease_binary", lambda: None)
    i18n.install(qapp, "zh_CN", tmp_path / "empty-cache")
    try:
        assert state_label("closed") == "已结案"
    finally:
        i18n.remove(qapp)


def test_every_enum_value_has_a_label():
    from views import labels

    for enum_type, table in labels.LABELS.items():
        assert set(table) == set(enum_type), enum_type
    assert labels.label("no_such_state", labels.TicketState) == "no_such_state"
    assert labels.label(None) == ""
