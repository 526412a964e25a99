"""Printed records are whole: Chinese, Latin letters and digits all in the PDF, the font
embedded, a page that renders. Checked with poppler (pdftotext, pdffonts, pdftoppm),
which the set-up installs."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from console import handover as H
from console import printing

from .conftest import at
from .test_handover import NOW, seeded  # noqa: F401 - the fixture


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} (poppler-utils) is installed by the set-up (packaging/sysdeps.txt)"
    return path


def _text(pdf) -> str:
    return subprocess.run([_tool("pdftotext"), "-enc", "UTF-8", "-layout", str(pdf), "-"],
                          capture_output=True, text=True, timeout=60, check=True).stdout


def test_handover_pdf_has_numbers_dates_counts_and_latin(seeded, tmp_path):  # noqa: F811
    store, t = seeded
    rec = H.build_record(store, NOW, link_state="offline", notes="K单 ext-24h 已报 Commander")
    out = H.export_pdf(rec, tmp_path / "handover.pdf")
    text = _text(out)
    flat = re.sub(r"\s+", "", text)
    assert "交接班记录" in text and "中班" in text
    # the date and shift times of the title
    assert "2026-11-22" in text and "15:00" in text and "23:00" in text
    # the ticket numbers of the tickets due in the next shift and of the commander's items
    for key in ("C", "D", "K", "J"):
        assert t[key].number in text, key
    # the counts
    assert f"共{rec['open_total']}件" in flat and f"已超时{rec['overdue']}件" in flat
    assert f"下一班内将到期工单（{rec['due_next_shift']['count']}件）" in flat
    # deadlines (dd-mm hh:mm), house numbers, Latin letters of the notes
    assert re.search(r"11-2[23] \d\d:\d\d", text)
    assert "测试路" in text and re.search(r"测试路\d+号", flat)
    assert "ext-24h" in text and "Commander" in text
    # the wording says what it means
    assert "同步失败待处理" in flat


def test_pdf_fonts_are_embedded(seeded, tmp_path):  # noqa: F811
    store, _t = seeded
    out = H.export_pdf(H.build_record(store, NOW), tmp_path / "h.pdf")
    listing = subprocess.run([_tool("pdffonts"), str(out)], capture_output=True, text=True,
                             timeout=60, check=True).stdout.splitlines()
    rows = [line for line in listing[2:] if line.strip()]
    assert rows, listing
    for line in rows:
        # columns: name type encoding emb sub uni object ID
        assert re.search(r"\byes\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line), line


def test_a_pdf_page_renders_to_an_image_with_ink(seeded, tmp_path):  # noqa: F811
    from PySide6.QtGui import QImage

    store, _t = seeded
    out = H.export_pdf(H.build_record(store, NOW), tmp_path / "h.pdf")
    subprocess.run([_tool("pdftoppm"), "-png", "-r", "60", "-f", "1", "-l", "1", str(out),
                    str(tmp_path / "page")], check=True, timeout=60)
    png = next(tmp_path.glob("page*.png"))
    img = QImage(str(png)).convertToFormat(QImage.Format.Format_Grayscale8)
    w, h = img.width(), img.height()
    assert h > w > 300  # A4 portrait
    dark = sum(1 for y in range(0, h, 2) for x in range(0, w, 2) if img.pixelColor(x, y).lightness() < 128)
    assert dark > 0.002 * (w // 2) * (h // 2)  # text and table lines, not a blank page


def test_font_without_latin_glyphs_is_refused(tmp_path, monkeypatch):
    """A CJK font with no ASCII glyphs (Droid Sans Fallback) gave a handover without digits."""
    monkeypatch.setattr(printing, "_font_path", None)
    monkeypatch.setattr(printing, "FONT_CANDIDATES", ())
    bad = tmp_path / "not-a-font.ttf"
    bad.write_bytes(b"\x00\x01\x00\x00garbage")
    monkeypatch.setenv("DUTY_CONSOLE_PDF_FONT", str(bad))
    with pytest.raises(printing.PrintError, match="fonts-wqy-zenhei"):
        printing.write_pdf(printing.Record("标题 2026", [("节", "内容 123")]), tmp_path / "x.pdf")


def test_chosen_font_covers_chinese_latin_and_digits():
    from reportlab.pdfbase.ttfonts import TTFont

    path = printing.font_path()
    cmap = TTFont("check", path).face.charToGlyph
    assert all(ord(c) in cmap for c in "交接班HP2026-11-22 09:30ABCxyz")


def test_a_wide_table_of_figures_prints_lying_down_with_no_figure_broken(tmp_path):
    head = ["名称", "受理", "结案", "按期结案", "应结案", "按期结案率", "结案率", "返工率", "退单率",
            "延期", "超期", "上提", "督办", "备注"]
    rows = [head] + [[f"上钢新村城管中队{i}分队", "37388", "31552", "28801", "30011", "84.4%", "100.0%",
                      "0.0%", "4.1%", "7", "5836", "12", "3", "HP2026113000123"] for i in range(30)]
    out = printing.write_pdf(printing.Record(title="宽表", sections=[("各部门", rows)]), tmp_path / "wide.pdf")
    info = subprocess.run([_tool("pdfinfo"), str(out)], capture_output=True, text=True, check=True).stdout
    w, h = (float(x) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert w > h                                                    # landscape: the names need room
    words = _text(out).split()
    for figure in ("37388", "31552", "84.4%", "100.0%", "5836", "HP2026113000123"):
        assert words.count(figure) == 30, figure                    # every figure whole, on one line
    narrow = [["名称", "件数"], ["上钢新村城管中队", "12"]]
    out2 = printing.write_pdf(printing.Record(title="窄表", sections=[("x", narrow)]), tmp_path / "narrow.pdf")
    info2 = subprocess.run([_tool("pdfinfo"), str(out2)], capture_output=True, text=True, check=True).stdout
    w2, h2 = (float(x) for x in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info2).groups())
    assert w2 < h2                                                  # upright when it fits
