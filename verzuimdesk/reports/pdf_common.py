"""Shared look of verzuimdesk's PDF documents (ReportLab): fonts, styles, letterhead, page numbers.

Generic: any document (overviews, letters) calls :func:`build_pdf` with its flowables and a
:class:`DocHeader`. The font is Bitstream Vera, shipped inside ReportLab, so names such as "Yılmaz" or
"Şahin" print on every machine. Page footers read "pagina 1 van 2" (a two-pass canvas).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from verzuimdesk.model import dutch

FONT, FONT_BOLD, FONT_ITALIC = "Vera", "VeraBd", "VeraIt"
INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B7A")
ACCENT = colors.HexColor("#2F6DB5")
RULE = colors.HexColor("#C8D1DC")
LIGHT = colors.HexColor("#EEF2F7")
PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
FRAME_W = PAGE_W - 2 * MARGIN
HEADER_H = 24 * mm


@cache
def register_fonts() -> None:
    import reportlab
    from reportlab import rl_config

    rl_config.useA85 = 0  # binary streams: smaller and faster than ASCII85 text
    # Attribute validation of reportlab.graphics shapes is a debugging aid (rl_config docs); our charts are
    # built by tested code, and checking every attribute costs ~6 % of a batch of overviews.
    rl_config.shapeChecking = 0
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, file in ((FONT, "Vera.ttf"), (FONT_BOLD, "VeraBd.ttf"), (FONT_ITALIC, "VeraIt.ttf"),
                       ("VeraBI", "VeraBI.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(folder / file)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic="VeraBI")


@cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=8.5, leading=11, textColor=INK)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "h1": ParagraphStyle("h1", parent=base, fontName=FONT_BOLD, fontSize=14, leading=17, spaceAfter=2),
        "h2": ParagraphStyle("h2", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, textColor=ACCENT,
                             spaceBefore=7, spaceAfter=3),
        "big": ParagraphStyle("big", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.8, leading=9.6),
        "cell_right": ParagraphStyle("cell_right", parent=base, fontSize=7.8, leading=9.6, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=base, fontName=FONT_BOLD, fontSize=7.8, leading=9.6),
        "head_right": ParagraphStyle("head_right", parent=base, fontName=FONT_BOLD, fontSize=7.8, leading=9.6,
                                     alignment=TA_RIGHT),
        # letter styles (leave_letter.py)
        "Body": ParagraphStyle("Body", parent=base, fontSize=10, leading=14, spaceAfter=6),
        "Small": ParagraphStyle("Small", parent=base, fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=4),
        "Subject": ParagraphStyle("Subject", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=14,
                                  spaceBefore=8, spaceAfter=8),
        "Heading": ParagraphStyle("Heading", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13,
                                  textColor=ACCENT, spaceBefore=6, spaceAfter=3),
        "Boxed": ParagraphStyle("Boxed", parent=base, fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceAfter=4),
        "School": ParagraphStyle("School", parent=base, fontName=FONT_BOLD, fontSize=13, leading=16),
    }


def para(text: str, style: str | ParagraphStyle = "body") -> Paragraph:
    """A paragraph of plain text (escaped; a newline starts a new line); ``style`` is a name or a style."""
    sheet = styles()[style] if isinstance(style, str) else style
    return Paragraph(escape(text).replace("\n", "<br/>"), sheet)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def dutch_date(day: dt.date) -> str:
    return dutch.date_long(day)


def boxed(flowables: list[Flowable], width: float | None = None) -> Table:
    """Flowables in a framed, lightly shaded box (a decision, a key figure)."""
    table = Table([[flowables]], colWidths=[width or FRAME_W], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BOX", (0, 0), (-1, -1), 0.8, ACCENT), ("BACKGROUND", (0, 0), (-1, -1), LIGHT),
        ("LEFTPADDING", (0, 0), (-1, -1), 8), ("RIGHTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 6), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))  # fmt: skip
    return table


def letterhead(school: Any, sheet: dict[str, ParagraphStyle] | None = None) -> list[Flowable]:
    """A letter's head as flowables: logo (if any), school name, address and contact line."""
    from reportlab.platypus import Image, Spacer

    sheet = sheet or styles()
    out: list[Flowable] = []
    name = getattr(school, "name", "") or ""
    lines = [getattr(school, "address", ""), " ".join(p for p in (getattr(school, "postcode", ""),
                                                                  getattr(school, "city", "")) if p),
             " · ".join(p for p in (getattr(school, "phone", ""), getattr(school, "email", "")) if p)]
    text = [para(name, sheet["School"])] + [para(line, sheet["Small"]) for line in lines if line]
    logo = _logo(getattr(school, "logo_path", "") or "")
    if logo is not None:
        iw, ih = logo.getSize()
        h = 18 * mm
        img = Image(school.logo_path, width=h * iw / ih if ih else h, height=h)
        row = Table([[img, text]], colWidths=[(h * iw / ih if ih else h) + 6 * mm, None], hAlign="LEFT")
        row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        out.append(row)
    else:
        out += text
    out.append(Spacer(1, 10 * mm))
    return out


@dataclass(frozen=True)
class DocHeader:
    """What the letterhead and footer of every page show."""

    school_name: str
    title: str
    subtitle: str = ""
    logo_path: str = ""
    printed_on: dt.date | None = None
    footer_note: str = "Vertrouwelijk: bevat persoonsgegevens van een leerling."
    watermark: str = ""  # e.g. "CONCEPT": printed large and light across every page


@cache
def _logo(path: str) -> ImageReader | None:
    if not path or not Path(path).is_file():
        return None
    try:
        return ImageReader(path)
    except Exception:  # an unreadable logo must not stop the document
        return None


def _draw_footer(canvas: Canvas, header: DocHeader, page: int, pages: int) -> None:
    canvas.saveState()
    canvas.setFont(FONT, 7)
    canvas.setFillColor(MUTED)
    canvas.drawString(22 * mm, 9 * mm, header.footer_note)
    canvas.drawRightString(PAGE_W - 22 * mm, 9 * mm, f"pagina {page} van {pages}")
    canvas.restoreState()


def _draw_watermark(canvas: Canvas, text: str) -> None:
    """``text`` diagonally across the page, light enough to read the page through it."""
    canvas.saveState()
    canvas.setFillColor(colors.Color(0.75, 0.1, 0.1, alpha=0.16))
    canvas.setFont(FONT_BOLD, 96)
    canvas.translate(PAGE_W / 2, PAGE_H / 2)
    canvas.rotate(55)
    canvas.drawCentredString(0, -30, text)
    canvas.restoreState()


def _draw_page(canvas: Canvas, header: DocHeader, page: int, pages: int) -> None:
    register_fonts()
    if header.watermark:
        _draw_watermark(canvas, header.watermark)
    canvas.saveState()
    top = PAGE_H - MARGIN
    x = MARGIN
    logo = _logo(header.logo_path)
    if logo is not None:
        iw, ih = logo.getSize()
        h = 16 * mm
        w = min(40 * mm, h * iw / ih if ih else h)
        canvas.drawImage(logo, x, top - h, w, h, preserveAspectRatio=True, mask="auto")
        x += w + 5 * mm
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 8.5)
    canvas.drawString(x, top - 4 * mm, header.school_name)
    canvas.setFillColor(INK)
    canvas.setFont(FONT_BOLD, 14 if page == 1 else 11)
    canvas.drawString(x, top - 10.5 * mm, header.title)
    if header.subtitle:
        canvas.setFont(FONT, 9)
        canvas.setFillColor(INK)
        canvas.drawString(x, top - 15.5 * mm, header.subtitle)
    canvas.setStrokeColor(ACCENT)
    canvas.setLineWidth(1.2)
    canvas.line(MARGIN, top - HEADER_H + 4 * mm, PAGE_W - MARGIN, top - HEADER_H + 4 * mm)
    # footer
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    canvas.line(MARGIN, 12 * mm, PAGE_W - MARGIN, 12 * mm)
    canvas.setFont(FONT, 7)
    canvas.setFillColor(MUTED)
    left = header.footer_note
    if header.printed_on:
        left = f"Afgedrukt op {dutch.date_long(header.printed_on)} met verzuimdesk. {left}"
    canvas.drawString(MARGIN, 8.5 * mm, left)
    canvas.drawRightString(PAGE_W - MARGIN, 8.5 * mm, f"pagina {page} van {pages}")
    canvas.restoreState()


def _numbered_canvas(header: DocHeader, plain: bool = False) -> type[Canvas]:
    class NumberedCanvas(Canvas):
        """Keeps the pages until the end so that each can say "pagina n van m"."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                (_draw_footer if plain else _draw_page)(self, header, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(story: list[Flowable], header: DocHeader | None = None,
              out: io.BufferedIOBase | io.BytesIO | None = None, *, title: str = "", footer: str = "") -> bytes:
    """Lay out ``story`` on A4 pages; returns the bytes (also written to ``out``).

    With a :class:`DocHeader` every page gets the letterhead band; without one (a letter, whose story starts
    with :func:`letterhead`) only the footer (``footer``) and the page numbers are drawn."""
    register_fonts()
    buffer = io.BytesIO()
    plain = header is None
    header = header or DocHeader(school_name="", title=title, footer_note=footer)
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=MARGIN if not plain else 22 * mm,
        rightMargin=MARGIN if not plain else 22 * mm, topMargin=MARGIN + (0 if plain else HEADER_H),
        bottomMargin=16 * mm, title=f"{header.title} – {header.subtitle}".strip(" –"), author=header.school_name,
        creator="verzuimdesk", pageCompression=1,
    )  # fmt: skip
    doc.build(story, canvasmaker=_numbered_canvas(header, plain))
    data = buffer.getvalue()
    if out is not None:
        out.write(data)
    return data


def fitted_widths(rows: list[list[str]], total: float, stretch: int = 0, size: float = 7.8) -> list[float]:
    """Column widths that hold every cell on one line (a heading may wrap between its words); column
    ``stretch`` gets what is left of ``total``, so that no text runs into the next column."""
    register_fonts()
    stringWidth = pdfmetrics.stringWidth  # noqa: N806
    pad = 7.0
    widths = []
    for c in range(len(rows[0])):
        head = max((stringWidth(word, FONT_BOLD, size) for word in str(rows[0][c]).split()), default=0.0)
        cells = max((stringWidth(str(r[c]), FONT, size) for r in rows[1:]), default=0.0)
        widths.append(max(head, cells) + pad)
    widths[stretch] = max(widths[stretch], total - (sum(widths) - widths[stretch]))
    return widths


def grid_table(rows: list[list[Any]], widths: list[float], *, right_from: int | None = None, header_rows: int = 1,
               zebra: bool = True, extra: list[tuple[Any, ...]] | None = None) -> Table:
    """A quiet table: bold header with a rule, light zebra rows, numbers right-aligned from ``right_from``."""
    register_fonts()
    sheet = styles()
    rows = [
        [Paragraph(escape(c), sheet["head_right" if right_from is not None and i >= right_from else "head"])
         if r < header_rows and isinstance(c, str) else c for i, c in enumerate(row)]
        for r, row in enumerate(rows)
    ]  # fmt: skip
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    cmds: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 7.8),
        ("FONT", (0, 0), (-1, header_rows - 1), FONT_BOLD, 7.8),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.8, INK),
        ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, header_rows - 1), "BOTTOM"),
        ("TOPPADDING", (0, 0), (-1, -1), 1.6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.6),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if right_from is not None:
        cmds.append(("ALIGN", (right_from, 0), (-1, -1), "RIGHT"))
    if zebra:
        for r in range(header_rows + 1, len(rows), 2):
            cmds.append(("BACKGROUND", (0, r), (-1, r), LIGHT))
    table.setStyle(TableStyle(cmds + (extra or [])))
    return table
