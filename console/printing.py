"""The one renderer for the hall's printed records (handover, emergency report, monthly
briefing): a record is a title, sections (a heading with a table or a paragraph) and a
footer; it becomes HTML (for the on-screen preview and the Qt printer) or a PDF with its
font embedded.

Qt-free. The PDF is written with reportlab, which embeds TrueType outlines only: the
Noto Sans CJK collection the set-up installs for the UI is CFF-outlined and cannot be
used, and several TrueType CJK fonts (Droid Sans Fallback) have no Latin letters or
digits — a handover without dates, ticket numbers or counts. So a font is accepted only
if it has glyphs for Chinese, Latin letters and digits; the set-up installs
fonts-wqy-zenhei, which has all three. Without such a font the export fails with a
clear message instead of printing a document with holes.
"""

from __future__ import annotations

import html
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence, Union

log = logging.getLogger(__name__)

#: a section body: table rows (the first row is the header) or a paragraph
Body = Union[Sequence[Sequence[str]], str]

#: TrueType fonts with CJK and Latin glyphs, tried in order after $DUTY_CONSOLE_PDF_FONT
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansSC-Regular.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/arphic/ukai.ttc",
    "C:/Windows/Fonts/msyh.ttc",
    "C:/Windows/Fonts/simsun.ttc",
)
#: characters a record's font must have: Chinese, Latin letters, digits and the
#: punctuation of dates, times and ticket numbers
REQUIRED_CHARS = "交接班记录工单编号值班长ABCXYZabcxyz0123456789:-./()%"
FONT_NAME = "HallRecord"
_font_path: str | None = None


class PrintError(Exception):
    """The record cannot be printed whole (no usable font, unwritable path)."""


@dataclass(frozen=True)
class Record:
    title: str
    sections: Sequence[tuple[str, Body]]
    footer: str = ""
    author: str = "城运中心值班台"
    extra: dict[str, Any] = field(default_factory=dict)


# -- font ------------------------------------------------------------------------------------

def _covers(path: str) -> bool:
    from reportlab.pdfbase.ttfonts import TTFont

    try:
        font = TTFont("probe", path, subfontIndex=0)
    except Exception as exc:  # noqa: BLE001 - CFF outlines, damaged file
        log.info("PDF font %s not usable: %s", path, exc)
        return False
    cmap = font.face.charToGlyph
    missing = [c for c in REQUIRED_CHARS if ord(c) not in cmap]
    if missing:
        log.info("PDF font %s lacks %s", path, "".join(missing))
    return not missing


def font_path() -> str:
    """The TrueType font the PDFs embed (checked once): $DUTY_CONSOLE_PDF_FONT or the
    first candidate with Chinese, Latin and digit glyphs."""
    global _font_path
    if _font_path is not None:
        return _font_path
    for path in (os.environ.get("DUTY_CONSOLE_PDF_FONT", ""), *FONT_CANDIDATES):
        if path and Path(path).is_file() and _covers(path):
            _font_path = path
            return path
    raise PrintError("没有可嵌入的中文字体（需同时含中文、英文字母和数字），无法导出 PDF。"
                     "请安装 fonts-wqy-zenhei。")


def _register() -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = font_path()
    name = f"{FONT_NAME}-{Path(path).stem}"
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    return name


# -- forms -----------------------------------------------------------------------------------

def to_html(rec: Record) -> str:
    e = html.escape
    parts = [f"<h2>{e(rec.title)}</h2>"]
    for head, body in rec.sections:
        parts.append(f"<h3>{e(head)}</h3>")
        if isinstance(body, str):
            parts.append(f"<p>{e(body)}</p>")
            continue
        parts.append('<table border="1" cellspacing="0" cellpadding="3" width="100%">')
        for i, row in enumerate(body):
            tag = "th" if i == 0 else "td"
            parts.append("<tr>" + "".join(f"<{tag}>{e(str(c))}</{tag}>" for c in row) + "</tr>")
        parts.append("</table>")
    if rec.footer:
        parts.append(f"<p>{e(rec.footer)}</p>")
    return "\n".join(parts)


#: a table cell's left + right padding in reportlab's default style (points)
CELL_PAD = 12.0
#: how wide one column may grow at most, in points
MAX_COL = 170.0
#: a table whose figures need more than this share of an upright page is printed lying down
FIGURES_SHARE = 0.75


def _unbreakable(value: str) -> str:
    """The part of a cell that must not wrap: a number, a percentage, a ticket number or a
    date (Latin letters, digits and their punctuation); Chinese may wrap between characters."""
    runs = re.findall(r"[0-9A-Za-z.,:%+\-/]+", value)
    return max(runs, key=len) if runs else value[:2]


def col_widths(rows: Sequence[Sequence[str]], width: float, measure) -> list[float] | None:
    """Column widths (points) so that no number, percentage, ticket number or date wraps
    mid-figure, names get the room left over, and the table fills ``width``; ``measure``
    gives a string's width in points. None when even the figures alone do not fit."""
    n = max(len(r) for r in rows)
    least = [CELL_PAD + measure("中文")] * n
    wish = list(least)
    for k, r in enumerate(rows):
        for i, c in enumerate(r):
            text = str(c)
            least[i] = max(least[i], CELL_PAD + measure(_unbreakable(text)))
            if k > 0 or len(rows) == 1:  # a heading may wrap over two lines; the cells say how wide
                wish[i] = max(wish[i], min(MAX_COL, CELL_PAD + measure(text)))
    if sum(least) > width:
        return None
    if sum(wish) <= width:
        return [w * width / sum(wish) for w in wish]
    room = width - sum(least)
    extra = [w - m for w, m in zip(wish, least)]
    return [m + room * x / sum(extra) for m, x in zip(least, extra)]


def write_pdf(rec: Record, path: str | Path) -> Path:
    """Write ``rec`` as an A4 PDF with its font embedded; returns the path."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = _register()
    h1 = ParagraphStyle("h1", fontName=font, fontSize=16, leading=22, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=font, fontSize=12, leading=17, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")

    def e(value: str) -> str:
        return html.escape(value)

    from reportlab.lib.pagesizes import landscape
    from reportlab.pdfbase.pdfmetrics import stringWidth

    def measure(text: str) -> float:
        return stringWidth(text, font, body.fontSize)

    # A4 upright, or lying down when a table's figures alone would take most of its width
    # (a briefing's department table has fourteen columns of counts and rates): the names
    # need room too
    tables = [c for _h, c in rec.sections if not isinstance(c, str)]
    page = A4
    if any(col_widths(c, FIGURES_SHARE * (A4[0] - 30 * mm), measure) is None for c in tables):
        page = landscape(A4)
    width = page[0] - 30 * mm
    story: list[Any] = [Paragraph(e(rec.title), h1)]
    for head, content in rec.sections:
        story.append(Paragraph(e(head), h2))
        if isinstance(content, str):
            story.append(Paragraph(e(content), body))
            continue
        data = [[Paragraph(e(str(c)), body) for c in row] for row in content]
        widths = col_widths(content, width, measure)  # None: wider than a lying page; Table shares it out
        t = Table(data, colWidths=widths, repeatRows=1)
        t.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), font),
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.92, 0.94, 0.97)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story.append(t)
    if rec.footer:
        story += [Spacer(1, 8 * mm), Paragraph(e(rec.footer), body)]

    def _page_number(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.drawRightString(page[0] - 15 * mm, 8 * mm, f"{rec.title}  第 {doc.page} 页")
        canvas.restoreState()

    path = Path(path)
    doc = SimpleDocTemplate(str(path), pagesize=page, leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=rec.title, author=rec.author,
                            initialFontName=font)
    try:
        doc.build(story, onFirstPage=_page_number, onLaterPages=_page_number)
    except OSError as exc:
        raise PrintError(f"无法写入 {path}：{exc.strerror or exc}") from exc
    return path
