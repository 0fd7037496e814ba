"""Excel exports (openpyxl, issue 4 part 3): one sheet per view, Dutch headers, frozen header row,
auto-filter, dates as dates, hours as numbers with two decimals, percentages as percentages.

Written in openpyxl's write-only mode, so that a school year of 1,000 pupils takes seconds. Text that a
spreadsheet would read as a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return; OWASP
"CSV injection") is written as text with a quote prefix, so that a pupil named ``=HYPERLINK(…)`` stays a name
(issue 11 point 5).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session

from verzuimdesk.model.register.figures import Figures, hours
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES, week_monday
from verzuimdesk.reports.data import GroupOverview, Period, school_year_period
from verzuimdesk.reports.overviews.group_data import build_group_overview
from verzuimdesk.reports.source import ReportSource

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F2")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {"date": "DD-MM-YYYY", "hours": "0.00", "pct": "0.0%", "int": "0", "text": "@"}
WIDTHS = {"date": 12, "hours": 11, "pct": 10, "int": 9, "text": 14}


@dataclass(frozen=True)
class Col:
    header: str
    kind: str = "text"  # date | hours | pct | int | text
    width: float | None = None


def formula_like(value: object) -> bool:
    """True for text that Excel or LibreOffice would take as a formula when it is typed or opened."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def safe_value(ws: Worksheet, value: Any) -> Any:
    """``value`` as it may be written: formula-like text becomes a text cell with a quote prefix."""
    if not formula_like(value):
        return value
    cell = WriteOnlyCell(ws, value)
    cell.data_type = "s"  # openpyxl would store it as a formula
    cell.quotePrefix = True  # and the spreadsheet keeps it text when the cell is edited
    return cell


def add_sheet(wb: Workbook, title: str, cols: Sequence[Col], rows: Iterable[Sequence[Any]]) -> Worksheet:
    """A sheet with a styled, frozen, filterable header row; values written as their own types."""
    ws = wb.create_sheet(title)
    for i, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = c.width or max(WIDTHS[c.kind], len(c.header) + 2)
    ws.freeze_panes = "A2"
    header = []
    for c in cols:
        cell = WriteOnlyCell(ws, c.header)
        if formula_like(c.header):
            cell.data_type, cell.quotePrefix = "s", True
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="bottom")
        header.append(cell)
    ws.append(header)
    count = 0
    styled = [FORMATS[c.kind] if c.kind in ("date", "hours", "pct") else None for c in cols]
    for row in rows:
        out = []
        for value, fmt in zip(row, styled, strict=False):
            if fmt is None or value is None:
                out.append(safe_value(ws, value))
            else:
                cell = WriteOnlyCell(ws, value)
                cell.number_format = fmt
                out.append(cell)
        ws.append(out)
        count += 1
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{count + 1}"
    return ws


def _fig_cols() -> list[Col]:
    return [Col("Ingeroosterd (uur)", "hours"), Col("Aanwezig (uur)", "hours"), Col("Geoorloofd (uur)", "hours"),
            Col("Ongeoorloofd (uur)", "hours"), Col("Niet meegeteld (uur)", "hours"), Col("Afwezig (%)", "pct"),
            Col("Ongeoorloofd (%)", "pct"), Col("Te laat (keer)", "int")]  # fmt: skip


def _fig_values(f: Figures) -> list[Any]:
    return [hours(f.net_scheduled), hours(f.present), hours(f.authorised), hours(f.unauthorised),
            hours(f.not_counted), round(f.absent_pct / 100, 4), round(f.unauthorised_pct / 100, 4), f.late_count]


def _workbook() -> Workbook:
    return Workbook(write_only=True)


def _save(wb: Workbook, out: str | Path | None) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if out is not None:
        Path(out).write_bytes(data)
    return data


# ------------------------------------------------------------------------------------------ sheets


def pupils_sheet(wb: Workbook, data: GroupOverview, title: str = "Leerlingen") -> None:
    """One row per pupil; without names the name column is left out, not left empty."""
    names = [Col("Naam", width=28)] if data.include_names else []
    cols = [Col("Leerlingnummer", width=14), *names, Col("Groep", width=12), *_fig_cols(),
            Col("Na te bellen (dagen)", "int"), Col("Niveau", "int")]
    rows = ([p.key, *([p.name] if data.include_names else []), p.group, *_fig_values(p.figures), p.unresolved_days,
             p.tier.level] for p in data.pupils)  # fmt: skip
    add_sheet(wb, title, cols, rows)


def groups_sheet(wb: Workbook, data: GroupOverview) -> None:
    cols = [Col("Groep", width=14), Col("Leerlingen", "int"), *_fig_cols(), Col("Niet genomen registers", "int"),
            Col("Na te bellen (dagen)", "int")]
    rows = ([g.name, g.figures.pupils, *_fig_values(g.figures), g.registers_not_taken, g.unresolved_days]
            for g in data.groups)  # fmt: skip
    add_sheet(wb, "Groepen", cols, rows)


def reasons_sheet(wb: Workbook, data: GroupOverview, source: ReportSource | None = None) -> None:
    cols = [Col("Code", width=8), Col("Reden", width=44), Col("Categorie", width=16), Col("Lessen", "int"),
            Col("Uren", "hours"), Col("Leerlingen", "int")]
    rows = []
    for r in data.reasons:
        pupils = sum(1 for p in data.pupils if p.figures.by_reason.get(r.code))
        rows.append([r.code, r.name, r.category, r.times, hours(r.minutes), pupils])
    add_sheet(wb, "Per reden", cols, rows)


def not_taken_sheet(wb: Workbook, data: GroupOverview) -> None:
    cols = [Col("Datum", "date"), Col("Weekdag", width=12), Col("Groep", width=14), Col("Les", "int")]
    rows = ([n.date, WEEKDAY_NAMES[n.date.weekday()], n.group, n.lesson] for n in data.not_taken)
    add_sheet(wb, "Niet genomen registers", cols, rows)


def patterns_sheets(wb: Workbook, data: GroupOverview) -> None:
    add_sheet(wb, "Per weekdag", [Col("Weekdag", width=12), *_fig_cols()],
              ([WEEKDAY_NAMES[w.weekday], *_fig_values(w.figures)] for w in data.weekdays))
    add_sheet(wb, "Per les", [Col("Les", "int"), Col("Keer afwezig", "int"), Col("Waarvan ongeoorloofd", "int")],
              ([n, sum(w.lessons.get(n, 0) for w in data.weekdays),
                sum(w.lessons_unauthorised.get(n, 0) for w in data.weekdays)] for n in data.lesson_numbers))
    add_sheet(wb, "Per maand", [Col("Van", "date"), Col("Tot en met", "date"), Col("Afwezig (%)", "pct"),
                                Col("Vergelijking (%)", "pct")],
              ([t.start, t.end, None if t.value is None else round(t.value / 100, 4),
                None if t.compare is None else round(t.compare / 100, 4)] for t in data.trend))
    add_sheet(wb, "Rond vakanties", [Col("Dagen", width=44), *_fig_cols()],
              [["laatste schooldag voor en eerste na een vakantie", *_fig_values(data.around_holidays)],
               ["overige schooldagen", *_fig_values(data.other_days)]])


# ------------------------------------------------------------------------------------------ exports


def group_overview_xlsx(data: GroupOverview, out: str | Path | None = None) -> bytes:
    """The group or school overview as a workbook: one sheet per view of the PDF."""
    wb = _workbook()
    pupils_sheet(wb, data)
    if data.is_school:
        groups_sheet(wb, data)
    patterns_sheets(wb, data)
    reasons_sheet(wb, data)
    not_taken_sheet(wb, data)
    return _save(wb, out)


def week_rows(source: ReportSource, data: GroupOverview) -> list[list[Any]]:
    """Per lesweek and group (and the school), the group's figures of that week."""
    rows: list[list[Any]] = []
    period = source.period
    monday = week_monday(period.start)
    while monday <= period.end:
        lo, hi = max(monday, period.start), min(monday + dt.timedelta(days=6), period.end)
        figs = []
        for g in data.groups:
            f = source.group_figures(g.group_id, lo, hi)
            if f.scheduled:
                figs.append(f)
                rows.append([monday, monday.isocalendar()[1], g.name, f.pupils, *_fig_values(f)])
        if figs:
            total = source.engine.total(figs)
            rows.append([monday, monday.isocalendar()[1], "Hele school", total.pupils, *_fig_values(total)])
        monday += dt.timedelta(days=7)
    return rows


def school_year_workbook(session: Session, school_year: str, out: str | Path | None = None, *,
                         today: dt.date | None = None, include_names: bool = True,
                         period: Period | None = None) -> bytes:
    """The school-year workbook: Leerlingen, Groepen, Per week, Per reden, Niet genomen registers."""
    today = today or dt.date.today()
    period = (period or school_year_period(school_year)).clipped(today)
    source = ReportSource(session, period)
    data = build_group_overview(session, period, None, today=today, include_names=include_names, patterns=False,
                                source=source)  # fmt: skip
    wb = _workbook()
    pupils_sheet(wb, data)
    groups_sheet(wb, data)
    add_sheet(wb, "Per week", [Col("Week van", "date"), Col("Weeknummer", "int"), Col("Groep", width=14),
                               Col("Leerlingen", "int"), *_fig_cols()], week_rows(source, data))
    reasons_sheet(wb, data, source)
    not_taken_sheet(wb, data)
    return _save(wb, out)


__all__ = ["Col", "add_sheet", "group_overview_xlsx", "school_year_workbook"]
