"""Group and school overviews: the PDF's text and the XLSX cells say the model's figures."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.builders import SmallSchool
from tests.reports.conftest import TODAY, WEEK
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.register.figures import group_figures
from verzuimdesk.reports.data import format_pct
from verzuimdesk.reports.overviews.group import group_overview_pdf, render_group_overview
from verzuimdesk.reports.overviews.group_data import build_group_overview
from verzuimdesk.reports.overviews.xlsx import group_overview_xlsx


def text_of(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def test_group_pdf_matches_group_figures(sqlite_db: Database, week_school: SmallSchool) -> None:
    # GIVEN group 5: Piet 60 min sick + 15 min late, Sanne 3 lessons unauthorised, Emre present
    with sqlite_db.session() as s:
        fig = group_figures(s, week_school.g5, WEEK.start, WEEK.end)
        data = build_group_overview(s, WEEK, week_school.g5, today=TODAY)
        text = text_of(render_group_overview(data))
    assert (fig.net_scheduled, fig.authorised, fig.unauthorised) == (5400, 60, 195)
    assert data.total.absent == fig.absent
    assert f"3 leerlingen · afwezig {format_pct(fig.absent_pct)}" in text
    assert dutch.hours(fig.unauthorised, trim=False) == "3,25" and "3,25" in text
    assert "Jansen, Piet" in text and "Berg, Sanne van den" in text
    # tiers: Piet 4,2 % (1), Sanne 10 % (3), Emre 0 % (1)
    assert data.tier_counts == {1: 2, 3: 1}
    by_key = {p.key: p for p in data.pupils}
    assert by_key["1002"].tier.level == 3 and by_key["1002"].figures.unauthorised == 180
    # weekday pattern: Wednesday 3 lessons unauthorised
    wednesday = next(w for w in data.weekdays if w.weekday == 2)
    assert wednesday.figures.unauthorised == 180 and wednesday.lessons_unauthorised == {1: 1, 2: 1, 3: 1}


def test_school_pdf_without_names(sqlite_db: Database, week_school: SmallSchool) -> None:
    with sqlite_db.session() as s:
        text = text_of(group_overview_pdf(s, WEEK, None, today=TODAY, include_names=False))
    assert "Verzuimoverzicht school" in text and "Per groep" in text
    assert "Jansen" not in text and "1001" not in text
    assert "Per leerling" not in text and "geen lijst per leerling" in text  # the MR gets no per-pupil list
    assert "Groep 1/2" in text and "Groep 5" in text and "Per reden" in text


def test_group_xlsx_cells(sqlite_db: Database, week_school: SmallSchool, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.session() as s:
        data = build_group_overview(s, WEEK, week_school.g5, today=TODAY)
    path = tmp_path / "groep.xlsx"
    group_overview_xlsx(data, path)
    wb = load_workbook(path)
    ws = wb["Leerlingen"]
    head = [c.value for c in ws[1]]
    rows = {r[0]: dict(zip(head, r, strict=False)) for r in ws.iter_rows(min_row=2, values_only=True)}
    piet = rows["1001"]
    assert piet["Geoorloofd (uur)"] == 1.0 and piet["Ongeoorloofd (uur)"] == 0.25
    assert piet["Ingeroosterd (uur)"] == 30.0 and piet["Niveau"] == 1
    assert abs(piet["Afwezig (%)"] - 75 / 1800) < 1e-4
    assert ws["E2"].number_format == "0.00" and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:M4"
    assert {"Leerlingen", "Per weekdag", "Per les", "Per maand", "Per reden", "Niet genomen registers"} <= set(
        wb.sheetnames)
