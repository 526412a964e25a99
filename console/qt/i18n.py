"""Translations: Qt's own zh_CN catalogue plus ours, compiled when stale.

Our catalogues are ``resources/i18n/<area>.zh_CN.ts`` (areas in ``areas.json``).
There is no build step: at start-up each ``.ts`` is compiled with
``pyside6-lrelease`` into the data directory's cache when no ``.qm`` of that exact
``.ts`` content is there yet. A ``.qm`` shipped next to the ``.ts`` (packaging runs
``python -m console.qt.i18n --build`` in the build tree) is used when its stamp
matches. If lrelease
is not available at all, the ``.ts`` is read directly by a small Python translator
so the officer still sees Chinese.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from console.paths import I18N_DIR

log = logging.getLogger(__name__)

LANGUAGES = ("zh_CN", "en")
DEFAULT_LANGUAGE = "zh_CN"


def lrelease_binary() -> Path | None:
    import PySide6

    base = Path(PySide6.__file__).resolve().parent
    for cand in (base / "lrelease", base / "Qt" / "libexec" / "lrelease", base / "lrelease.exe"):
        if cand.exists():
            return cand
    return None


def lupdate_binary() -> Path | None:
    import PySide6

    base = Path(PySide6.__file__).resolve().parent
    for cand in (base / "lupdate", base / "Qt" / "libexec" / "lupdate", base / "lupdate.exe"):
        if cand.exists():
            return cand
    return None


def catalogues(lang: str, i18n_dir: Path = I18N_DIR) -> list[Path]:
    return sorted(i18n_dir.glob(f"*.{lang}.ts"))


def _digest(ts: Path) -> str:
    return hashlib.sha256(ts.read_bytes()).hexdigest()[:16]


def compile_ts(ts: Path, qm: Path) -> bool:
    """Compile one .ts to .qm atomically (several processes may race). True on success."""
    exe = lrelease_binary()
    if exe is None:
        return False
    qm.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=qm.stem, suffix=".qm", dir=qm.parent)
    os.close(fd)
    try:
        proc = subprocess.run([str(exe), "-silent", str(ts), "-qm", tmp],
                              capture_output=True, text=True, timeout=60)
        if proc.returncode != 0 or not Path(tmp).stat().st_size:
            log.warning("lrelease failed for %s: %s", ts.name, proc.stderr.strip())
            return False
        os.chmod(tmp, 0o644)
        os.replace(tmp, qm)
        return True
    except (OSError, subprocess.SubprocessError) as exc:
        log.warning("lrelease could not run for %s: %s", ts.name, exc)
        return False
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def default_cache_dir() -> Path:
    from console.paths import Paths

    return Paths.resolve().i18n_cache


def qm_for(ts: Path, cache_dir: Path | None = None) -> Path | None:
    """A .qm compiled from exactly this .ts (content hash, not mtimes: git checkouts
    reset mtimes). A packaged build ships ``<area>.qm`` with a ``.qm.stamp`` beside
    the .ts; otherwise it is compiled into ``cache_dir`` (never into the source tree).
    """
    digest = _digest(ts)
    shipped = ts.with_suffix(".qm")
    stamp = ts.with_suffix(".qm.stamp")
    try:
        if shipped.exists() and stamp.read_text(encoding="ascii").strip() == digest:
            return shipped
    except OSError:
        pass
    cache_dir = cache_dir if cache_dir is not None else default_cache_dir()
    target = cache_dir / f"{ts.stem}.{digest}.qm"
    if target.exists() and target.stat().st_size > 0:
        return target
    if compile_ts(ts, target):
        for old in cache_dir.glob(f"{ts.stem}.*.qm"):
            if old != target:
                try:
                    old.unlink()
                except OSError:
                    pass
        return target
    return None


class TsTranslator(QTranslator):
    """Fallback: translate straight from a .ts file (no lrelease needed)."""

    def __init__(self, ts: Path, parent=None) -> None:
        super().__init__(parent)
        self._table: dict[tuple[str, str], str] = {}
        from xml.etree import ElementTree as ET

        root = ET.parse(ts).getroot()
        for ctx in root.iter("context"):
            name = ctx.findtext("name") or ""
            for msg in ctx.iter("message"):
                tr = msg.find("translation")
                if tr is None or tr.get("type") in ("unfinished", "obsolete", "vanished"):
                    continue
                if tr.text:
                    self._table[(name, msg.findtext("source") or "")] = tr.text

    def translate(self, context, source_text, disambiguation=None, n=-1):  # noqa: D401
        return self._table.get((context, source_text))  # None -> null QString: "not here"

    def isEmpty(self) -> bool:  # noqa: N802
        return not self._table


def ui_language() -> str:
    """The language the UI speaks now ("zh_CN" or "en"), for the Qt-free formatters."""
    return "zh_CN" if QLocale().name().startswith("zh") else "en"


def install(app: QCoreApplication, lang: str = DEFAULT_LANGUAGE, cache_dir: Path | None = None,
            i18n_dir: Path = I18N_DIR) -> list[QTranslator]:
    """Install Qt's and our translators for ``lang`` on ``app``; returns them.

    English is the source language: nothing is loaded. The translators are kept on
    the application object so Python does not collect them.
    """
    remove(app)
    if lang not in LANGUAGES:
        log.warning("unknown language %r, using %s", lang, DEFAULT_LANGUAGE)
        lang = DEFAULT_LANGUAGE
    QLocale.setDefault(QLocale(lang))
    installed: list[QTranslator] = []
    if lang == "en":
        app.setProperty("duty_language", "en")
        return installed
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for base in ("qtbase", "qtmultimedia"):
        t = QTranslator(app)
        if t.load(f"{base}_{lang}", qt_dir):
            app.installTranslator(t)
            installed.append(t)
        else:
            log.info("Qt catalogue %s_%s not found in %s", base, lang, qt_dir)
    for ts in catalogues(lang, i18n_dir):
        qm = qm_for(ts, cache_dir)
        t: QTranslator
        if qm is not None:
            t = QTranslator(app)
            if not t.load(str(qm)):
                log.warning("could not load %s, reading %s directly", qm, ts.name)
                t = TsTranslator(ts, app)
        else:
            t = TsTranslator(ts, app)
        app.installTranslator(t)
        installed.append(t)
    app.setProperty("duty_language", lang)
    app._duty_translators = installed  # type: ignore[attr-defined]
    log.info("language %s: %d catalogues", lang, len(installed))
    return installed


def remove(app: QCoreApplication) -> None:
    for t in getattr(app, "_duty_translators", []):
        app.removeTranslator(t)
    app._duty_translators = []  # type: ignore[attr-defined]


def build(i18n_dir: Path = I18N_DIR) -> int:
    """Compile every catalogue next to its .ts with its stamp (packaging only: the
    build tree, not the source checkout). Returns the number of failures."""
    failures = 0
    for ts in sorted(i18n_dir.glob("*.ts")):
        if compile_ts(ts, ts.with_suffix(".qm")):
            ts.with_suffix(".qm.stamp").write_text(_digest(ts) + "\n", encoding="ascii")
        else:
            failures += 1
            print(f"failed: {ts}", file=sys.stderr)
    return failures


if __name__ == "__main__":  # python -m console.qt.i18n --build
    sys.exit(1 if build() else 0)
