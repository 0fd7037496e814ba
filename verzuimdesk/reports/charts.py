"""Pictures for the documents (reportlab.graphics): the calendar of a period and trend lines.

Readable in black and white: every state has a letter and a hatching of its own besides its colour;
lines differ in dash and marker, not only in colour.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import math
from collections.abc import Callable, Sequence
from typing import Any

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Circle, Drawing, Group, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from verzuimdesk.reports.data import (
    DAY_AUTHORISED,
    DAY_LATE,
    DAY_NOT_COUNTED,
    DAY_NOT_SCHEDULED,
    DAY_OFF,
    DAY_OUTSIDE,
    DAY_PRESENT,
    DAY_UNAUTHORISED,
    DAY_WEEKEND,
    DayCell,
    TrendPoint,
    format_pct,
    month_label,
)
from verzuimdesk.reports.pdf_common import FONT, FONT_BOLD, INK, MUTED, RULE

# state → (fill, hatch colour, hatch kind, letter)
DAY_STYLE: dict[str, tuple[str, str, str, str]] = {
    DAY_PRESENT: ("#FFFFFF", "", "", ""),
    DAY_AUTHORISED: ("#BFD7F0", "#4A7FB8", "/", "G"),
    DAY_UNAUTHORISED: ("#F2A7A7", "#A33A3A", "x", "O"),
    DAY_LATE: ("#FFE08A", "#9C7A00", "", "T"),
    DAY_NOT_COUNTED: ("#E6E6E6", "#8A8A8A", "", "N"),
    DAY_OFF: ("#C9C9C9", "#8C8C8C", "-", ""),
    DAY_NOT_SCHEDULED: ("#FFFFFF", "", "", "–"),
    DAY_WEEKEND: ("#F3F3F3", "", "", ""),
    DAY_OUTSIDE: ("#FFFFFF", "", "", ""),
}
DAY_STATES = list(DAY_STYLE)
LEGEND = [
    (DAY_PRESENT, "aanwezig"),
    (DAY_AUTHORISED, "geoorloofd afwezig"),
    (DAY_UNAUTHORISED, "ongeoorloofd afwezig"),
    (DAY_LATE, "te laat"),
    (DAY_NOT_COUNTED, "niet meegeteld"),
    (DAY_OFF, "vakantie / vrije dag"),
    (DAY_NOT_SCHEDULED, "geen les ingeroosterd"),
]


def _hatch(group: Group, x: float, y: float, w: float, h: float, kind: str, colour: str) -> None:
    stroke = colors.HexColor(colour)
    step = 1.6 * mm
    if kind in ("/", "x"):
        k = -h
        while k < w:
            x0, y0, x1, y1 = x + k, y, x + k + h, y + h
            if x0 < x:
                y0 += x - x0
                x0 = x
            if x1 > x + w:
                y1 -= x1 - (x + w)
                x1 = x + w
            group.add(Line(x0, y0, x1, y1, strokeColor=stroke, strokeWidth=0.35))
            if kind == "x":  # the mirrored line
                group.add(Line(2 * x + w - x0, y0, 2 * x + w - x1, y1, strokeColor=stroke, strokeWidth=0.35))
            k += step
    elif kind == "-":
        yy = y + step / 2
        while yy < y + h:
            group.add(Line(x, yy, x + w, yy, strokeColor=stroke, strokeWidth=0.35))
            yy += step / 1.5


def day_cell(x: float, y: float, w: float, h: float, state: str, partial: bool = False) -> Group:
    fill, hatch_colour, hatch, letter = DAY_STYLE[state]
    group = Group()
    bordered = state not in (DAY_WEEKEND, DAY_OUTSIDE)
    group.add(Rect(x, y, w, h, fillColor=colors.HexColor(fill if not partial else "#FFFFFF"),
                   strokeColor=RULE if bordered else None, strokeWidth=0.4))
    fh = h / 2 if partial else h
    if partial:
        group.add(Rect(x, y, w, fh, fillColor=colors.HexColor(fill), strokeColor=None))
    if hatch:
        _hatch(group, x, y, w, fh, hatch, hatch_colour)
    if letter:
        group.add(String(x + w / 2, y + h / 2 - 2.6, letter, fontName=FONT_BOLD, fontSize=7.2, fillColor=INK,
                         textAnchor="middle"))
    return group


class CalendarFlowable(Flowable):
    """One row per month, one column per day of the month (1–31), drawn straight on the canvas: each
    kind of cell is drawn once as a PDF form and placed many times (fast for a batch of 1,000)."""

    def __init__(self, days: Sequence[DayCell], width: float) -> None:
        super().__init__()
        self.months: dict[tuple[int, int], dict[int, DayCell]] = {}
        for cell in days:
            self.months.setdefault((cell.date.year, cell.date.month), {})[cell.date.day] = cell
        self.width = width
        self.label_w = 17 * mm
        self.cw = (width - self.label_w) / 31
        self.ch = 4.9 * mm
        self.head = 4 * mm
        self.height = self.head + self.ch * len(self.months) + 2

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(FONT, 5.8)
        c.setFillColor(MUTED)
        for day in range(1, 32):
            c.drawCentredString(self.label_w + (day - 0.5) * self.cw, self.height - self.head + 1.2 * mm, str(day))
        w, h = self.cw - 0.6, self.ch - 0.6
        for row, ((year, month), cells) in enumerate(sorted(self.months.items())):
            y = self.height - self.head - (row + 1) * self.ch
            c.setFont(FONT, 6.8)
            c.setFillColor(INK)
            c.drawString(0, y + self.ch / 2 - 2.4, f"{month_label(dt.date(year, month, 1), short=True)} {year}")
            for day in range(1, pycal.monthrange(year, month)[1] + 1):
                cell = cells.get(day)
                state, partial = (cell.state, cell.partial) if cell else (DAY_OUTSIDE, False)
                name = _cell_form(c, state, partial, w, h)
                c.saveState()
                c.translate(self.label_w + (day - 1) * self.cw + 0.3, y + 0.3)
                c.doForm(name)
                c.restoreState()


def _cell_form(c: Any, state: str, partial: bool, w: float, h: float) -> str:
    """The name of a form (PDF XObject) with the picture of one kind of cell, made on first use."""
    name = f"dag_{DAY_STATES.index(state)}_{int(partial)}_{round(w * 100)}_{round(h * 100)}"
    made = c.__dict__.setdefault("_verzuimdesk_forms", set())
    if name in made:
        return name
    c.beginForm(name, 0, 0, w, h)
    renderPDF.draw(_cell_drawing(w, h, state, partial), c, 0, 0)
    c.endForm()
    made.add(name)
    return name


def _cell_drawing(w: float, h: float, state: str, partial: bool) -> Drawing:
    d = Drawing(w, h)
    d.add(day_cell(0, 0, w, h, state, partial))
    return d


def calendar_drawing(days: Sequence[DayCell], width: float) -> CalendarFlowable:
    return CalendarFlowable(days, width)


def legend_drawing(width: float) -> Drawing:
    per_row = 4
    ch, cw = 4.2 * mm, 5.2 * mm
    rows = math.ceil((len(LEGEND) + 1) / per_row)
    d = Drawing(width, rows * (ch + 1.5 * mm))
    col_w = width / per_row
    items = [(s, t, False) for s, t in LEGEND] + [(DAY_UNAUTHORISED, "halve vulling: deel van de dag", True)]
    for i, (state, text, partial) in enumerate(items):
        r, c = divmod(i, per_row)
        x, y = c * col_w, d.height - (r + 1) * (ch + 1.5 * mm) + 1.5 * mm
        d.add(day_cell(x, y, cw, ch, state, partial))
        d.add(String(x + cw + 1.5 * mm, y + ch / 2 - 2.3, text, fontName=FONT, fontSize=6.6, fillColor=INK))
    return d


def trend_drawing(points: Sequence[TrendPoint], width: float, height: float, own_label: str,
                  compare_label: str) -> Drawing:
    """Absent % per month/week: own line solid with dots, comparison dashed with open squares."""
    d = Drawing(width, height)
    left, bottom, top_pad = 14 * mm, 9 * mm, 8 * mm
    pw, ph = width - left - 2 * mm, height - bottom - top_pad
    values = [v for p in points for v in (p.value, p.compare) if v is not None]
    top = max(10.0, math.ceil(max(values, default=0) / 5) * 5)
    for k in range(0, int(top) + 1, 5 if top <= 30 else 10):
        y = bottom + ph * k / top
        d.add(Line(left, y, left + pw, y, strokeColor=RULE, strokeWidth=0.4))
        d.add(String(left - 1.5 * mm, y - 2.2, f"{k} %", fontName=FONT, fontSize=6.2, fillColor=MUTED,
                     textAnchor="end"))
    n = max(1, len(points))
    xs = [left + pw * (i + 0.5) / n for i in range(n)]
    for x, p in zip(xs, points, strict=False):
        d.add(String(x, bottom - 4 * mm, p.label, fontName=FONT, fontSize=6.2, fillColor=INK, textAnchor="middle"))

    def series(getter: Callable[[TrendPoint], float | None], dashed: bool, marker: str) -> None:
        run: list[float] = []
        for x, p in zip(xs, points, strict=False):
            v = getter(p)
            if v is None:
                if len(run) >= 4:
                    d.add(PolyLine(run, strokeColor=INK if not dashed else MUTED, strokeWidth=1.1 if not dashed else 0.9,
                                   strokeDashArray=[3, 2] if dashed else None))
                run = []
                continue
            y = bottom + ph * min(v, top) / top
            run += [x, y]
            if marker == "dot":
                d.add(Circle(x, y, 1.5, fillColor=INK, strokeColor=INK))
            else:
                d.add(Rect(x - 1.6, y - 1.6, 3.2, 3.2, fillColor=colors.white, strokeColor=MUTED, strokeWidth=0.8))
        if len(run) >= 4:
            d.add(PolyLine(run, strokeColor=INK if not dashed else MUTED, strokeWidth=1.1 if not dashed else 0.9,
                           strokeDashArray=[3, 2] if dashed else None))

    series(lambda p: p.compare, True, "square")
    series(lambda p: p.value, False, "dot")
    # legend
    ly = height - 4 * mm
    d.add(Line(left, ly + 1, left + 8 * mm, ly + 1, strokeColor=INK, strokeWidth=1.1))
    d.add(Circle(left + 4 * mm, ly + 1, 1.5, fillColor=INK, strokeColor=INK))
    d.add(String(left + 10 * mm, ly - 1.2, own_label, fontName=FONT, fontSize=6.8, fillColor=INK))
    if compare_label:
        lx = left + 12 * mm + len(own_label) * 3.6 + 6 * mm
        d.add(Line(lx, ly + 1, lx + 8 * mm, ly + 1, strokeColor=MUTED, strokeWidth=0.9, strokeDashArray=[3, 2]))
        d.add(Rect(lx + 4 * mm - 1.6, ly - 0.6, 3.2, 3.2, fillColor=colors.white, strokeColor=MUTED, strokeWidth=0.8))
        d.add(String(lx + 10 * mm, ly - 1.2, compare_label, fontName=FONT, fontSize=6.8, fillColor=INK))
    return d


def bar_drawing(items: Sequence[tuple[str, float]], width: float, height: float, *, pct: bool = True) -> Drawing:
    """Horizontal-label vertical bars with the value written above each (a black-and-white friendly bar chart)."""
    d = Drawing(width, height)
    bottom, top_pad = 8 * mm, 5 * mm
    ph = height - bottom - top_pad
    top = max([v for _l, v in items] + [1e-9])
    n = max(1, len(items))
    slot = width / n
    for i, (label, value) in enumerate(items):
        x = i * slot + slot * 0.2
        h = ph * value / top if top else 0
        d.add(Rect(x, bottom, slot * 0.6, h, fillColor=colors.HexColor("#9DB7D5"), strokeColor=INK, strokeWidth=0.4))
        d.add(String(x + slot * 0.3, bottom + h + 1.2, format_pct(value) if pct else f"{value:g}", fontName=FONT,
                     fontSize=6.4, fillColor=INK, textAnchor="middle"))
        d.add(String(x + slot * 0.3, bottom - 4 * mm, label, fontName=FONT, fontSize=6.6, fillColor=INK,
                     textAnchor="middle"))
    d.add(Line(0, bottom, width, bottom, strokeColor=INK, strokeWidth=0.5))
    return d
