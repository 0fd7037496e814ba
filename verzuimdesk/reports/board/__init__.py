"""The board overview as a table, an A4 PDF and an XLSX (issue 14 point 4): one line per school with its
figures only; no pupil's name, number or BSN (AVG art. 5 sub 1c). Numbers go through ``model.dutch``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from reportlab.platypus import Flowable, Spacer

from verzuimdesk.model import dutch
from verzuimdesk.model.board.overview import SchoolFigures
from verzuimdesk.reports.overviews.xlsx import Col, add_sheet
from verzuimdesk.reports.pdf_common import (
    FONT_BOLD,
    FRAME_W,
    DocHeader,
    build_pdf,
    fitted_widths,
    grid_table,
    para,
)

HEADERS = ["School", "BRIN", "Leerlingen", "Geoorloofd", "Ongeoorloofd", "Afwezig", "Niveau 1", "Niveau 2",
           "Niveau 3", "Open verplichte meldingen", "Aggregaten aan DUO", "Meldingen verstuurd"]  # fmt: skip


def overview_rows(rows: Sequence[SchoolFigures]) -> list[list[str]]:
    """The overview's lines as Dutch text (screen, CLI and PDF), with a total line for more than one school."""
    out = [_line(r.name, f"{r.code[:4]} {r.code[4:]}", r.pupils, r.authorised, r.unauthorised, r.net_scheduled,
                 r.tiers, r.open_mandatory, r.aggregate_deliveries, r.meldingen_sent) for r in rows]  # fmt: skip
    if len(rows) > 1:
        tiers = {n: sum(r.tiers.get(n, 0) for r in rows) for n in (1, 2, 3)}
        out.append(_line("Totaal bestuur", "", sum(r.pupils for r in rows), sum(r.authorised for r in rows),
                         sum(r.unauthorised for r in rows), sum(r.net_scheduled for r in rows), tiers,
                         sum(r.open_mandatory for r in rows), sum(r.aggregate_deliveries for r in rows),
                         sum(r.meldingen_sent for r in rows)))  # fmt: skip
    return out


def _line(name: str, code: str, pupils: int, authorised: int, unauthorised: int, scheduled: int,
          tiers: dict[int, int], mandatory: int, aggregates: int, sent: int) -> list[str]:
    def pct(minutes: int) -> str:
        return dutch.percent(100.0 * minutes / scheduled) if scheduled else "–"

    return [name, code, dutch.number(pupils), pct(authorised), pct(unauthorised), pct(authorised + unauthorised),
            *(dutch.number(tiers.get(n, 0)) for n in (1, 2, 3)), dutch.number(mandatory), dutch.number(aggregates),
            dutch.number(sent)]  # fmt: skip


def period_text(rows: Sequence[SchoolFigures], on: dt.date) -> str:
    years = sorted({r.school_year for r in rows if r.school_year})
    year = f"schooljaar {', '.join(years)}" if years else "geen schooljaar"
    return f"Stand op {dutch.date_long(on)} ({year} tot en met die dag)"


def board_pdf(rows: Sequence[SchoolFigures], on: dt.date, *, board_name: str = "Bestuur",
              out: Path | None = None) -> bytes:
    """The overview on A4: a table per school line, the period and how each figure is counted."""
    table = overview_rows(rows)
    # On portrait A4 the figures stand on one line each (headings wrap between words); the tiers and the deliveries
    # share a column, and the school's name (with its BRIN and vestiging) wraps in what is left.
    lines = [[line[0] + (f"\n{line[1]}" if line[1] else ""), line[2], line[3], line[4], line[5],
              " / ".join(line[6:9]), line[9], f"{line[10]} / {line[11]}"] for line in table]  # fmt: skip
    headers = ["School", "Leerlingen", "Geoorloofd", "Ongeoorloofd", "Afwezig", "Niveau 1 / 2 / 3",
               "Open verplichte meldingen", "Aan DUO: aggregaten / meldingen"]  # fmt: skip
    widths = [w + 2 for w in fitted_widths([headers, *lines], FRAME_W, stretch=0)]  # room for the bold total
    widths[0] = FRAME_W - sum(widths[1:])
    cells: list[list[Any]] = [[para(line[0], "head" if i == len(rows) else "cell"), *line[1:]]
                              for i, line in enumerate(lines)]  # fmt: skip
    story: list[Flowable] = [para(period_text(rows, on)), Spacer(1, 6)]
    extra = [("FONT", (0, len(table)), (-1, len(table)), FONT_BOLD, 7.8)] if len(rows) > 1 else []
    story.append(grid_table([headers, *cells], widths, right_from=1, extra=extra))
    story += [Spacer(1, 10), para(
        "Afwezig: geoorloofd en ongeoorloofd verzuim als deel van de ingeroosterde lestijd van het schooljaar tot en met "
        "de stand. Niveaus: aantal leerlingen per aanwezigheidsniveau (1 goede aanwezigheid, 2 beginnend verzuim, "
        "3 chronisch verzuim) volgens het niveaubeleid van de school. Open verplichte meldingen: verzuimmeldingen die "
        "volgens de Leerplichtwet moeten worden gedaan en nog niet zijn afgehandeld. Aggregaten en meldingen: wat dit "
        "schooljaar aan DUO is geleverd. Het overzicht bevat geen gegevens van afzonderlijke leerlingen.", "small")]
    header = DocHeader(school_name=board_name, title="Bestuursoverzicht verzuim", subtitle=dutch.date_long(on),
                       printed_on=on, footer_note="Bestuursoverzicht: alleen cijfers per school.")  # fmt: skip
    data = build_pdf(story, header)
    if out is not None:
        Path(out).write_bytes(data)
    return data


def board_xlsx(rows: Sequence[SchoolFigures], on: dt.date, *, out: Path | None = None) -> bytes:
    """The overview as a spreadsheet: numbers as numbers, percentages as percentages."""
    import io

    wb = Workbook(write_only=True)
    cols = [Col("School", width=30), Col("BRIN"), Col("Vestiging"), Col("Schooljaar"), Col("Stand", "date"),
            Col("Leerlingen", "int"), Col("Ingeroosterd (uur)", "hours"), Col("Geoorloofd (%)", "pct"),
            Col("Ongeoorloofd (%)", "pct"), Col("Afwezig (%)", "pct"), Col("Niveau 1", "int"), Col("Niveau 2", "int"),
            Col("Niveau 3", "int"), Col("Open verplichte meldingen", "int"), Col("Aggregaten aan DUO", "int"),
            Col("Meldingen verstuurd", "int")]  # fmt: skip
    add_sheet(wb, "Bestuursoverzicht", cols, [
        [r.name, r.code[:4], r.code[4:], r.school_year, on, r.pupils, round(r.net_scheduled / 60, 2),
         round(r.authorised_pct / 100, 4), round(r.unauthorised_pct / 100, 4), round(r.absent_pct / 100, 4),
         r.tiers.get(1, 0), r.tiers.get(2, 0), r.tiers.get(3, 0), r.open_mandatory, r.aggregate_deliveries,
         r.meldingen_sent] for r in rows])  # fmt: skip
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if out is not None:
        Path(out).write_bytes(data)
    return data
