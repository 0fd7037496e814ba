"""The school-year workbook: sheets, Dutch headers, dates as dates, numbers as numbers, filters."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from tests.builders import SmallSchool
from tests.reports.conftest import TODAY
from verzuimdesk.model.db import Database
from verzuimdesk.model.register.figures import hours, pupil_figures
from verzuimdesk.reports.overviews.xlsx import school_year_workbook


def test_school_year_workbook(sqlite_db: Database, week_school: SmallSchool, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "jaar.xlsx"
    with sqlite_db.session() as s:
        school_year_workbook(s, "2025-2026", path, today=TODAY)
        piet = pupil_figures(s, week_school.pupils["1001"], dt.date(2025, 8, 1), TODAY)
    wb = load_workbook(path)
    assert wb.sheetnames == ["Leerlingen", "Groepen", "Per week", "Per reden", "Niet genomen registers"]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        assert ws.column_dimensions["A"].width >= 8
    leerlingen = wb["Leerlingen"]
    head = [c.value for c in leerlingen[1]]
    assert head[:4] == ["Leerlingnummer", "Naam", "Groep", "Ingeroosterd (uur)"]
    row = next(r for r in leerlingen.iter_rows(min_row=2, values_only=True) if r[0] == "1001")
    assert row[3] == hours(piet.net_scheduled) and row[5] == 1.0 and row[6] == 0.25
    week = wb["Per week"]
    first = next(week.iter_rows(min_row=2, max_row=2))
    assert isinstance(first[0].value, dt.datetime) and first[0].number_format == "DD-MM-YYYY"
    assert first[0].value.weekday() == 0
    school_rows = [r for r in week.iter_rows(min_row=2, values_only=True) if r[2] == "Hele school"]
    nov3 = next(r for r in school_rows if r[0].date() == dt.date(2025, 11, 3))
    assert nov3[6] == 1.0 and nov3[7] == 3.25  # geoorloofd, ongeoorloofd (uur) in week 45
    not_taken = wb["Niet genomen registers"]
    cell = not_taken["A2"]
    assert isinstance(cell.value, dt.datetime) and cell.number_format == "DD-MM-YYYY"
    reasons = {r[0]: r for r in wb["Per reden"].iter_rows(min_row=2, values_only=True)}
    assert reasons["O"][4] == 3.0 and reasons["O"][5] == 1  # 3 hours, 1 pupil


def test_workbook_without_names_has_no_name_column(sqlite_db: Database, week_school: SmallSchool) -> None:
    with sqlite_db.session() as s:
        data = school_year_workbook(s, "2025-2026", today=TODAY, include_names=False)
    leerlingen = load_workbook(io.BytesIO(data))["Leerlingen"]
    head = [c.value for c in leerlingen[1]]
    assert head[:3] == ["Leerlingnummer", "Groep", "Ingeroosterd (uur)"]
    values = [v for row in leerlingen.iter_rows(min_row=2, values_only=True) for v in row]
    assert "Piet Jansen" not in values and None not in [row[1] for row in leerlingen.iter_rows(min_row=2, values_only=True)]
