"""The per-pupil overview: the PDF's text says the model's figures (hand-counted here too)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from tests.builders import SmallSchool
from tests.reports.conftest import TODAY, WEEK
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.register.figures import pupil_figures
from verzuimdesk.model.tables.law import ContactMoment, LeaveRequest
from verzuimdesk.reports.data import DAY_AUTHORISED, DAY_PRESENT, format_pct, school_year_period
from verzuimdesk.reports.overviews.pupil import pupil_overview_pdf, render_pupil_overview
from verzuimdesk.reports.overviews.pupil_data import build_pupil_overview


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_pdf_says_the_figures_of_the_model(sqlite_db: Database, week_school: SmallSchool) -> None:
    # GIVEN Piet: 30 scheduled hours, 1 lesson sick (60 min) and 15 minutes late
    piet = week_school.pupils["1001"]
    with sqlite_db.session() as s:
        fig = pupil_figures(s, piet, WEEK.start, WEEK.end)
        # WHEN the overview is made
        pdf = pupil_overview_pdf(s, piet, WEEK, today=TODAY)
    text = text_of(pdf)
    # THEN it says the hand-counted figures, which are the model's figures
    assert (fig.net_scheduled, fig.authorised, fig.unauthorised) == (1800, 60, 15)
    assert "95,8 %" in text and format_pct(fig.present_pct) == "95,8 %"
    assert "Aanwezig 95,8 % van de lestijd" in text
    assert dutch.hours(fig.authorised, trim=False) == "1,00" and "1,00" in text
    assert "0,25" in text and "28,75" in text and "30,00" in text
    assert "niveau 1" in text
    assert "Jansen" in text and "Groep 5" in text and "3 november 2025 t/m 7 november 2025" in text
    assert "pagina 1 van" in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) <= 2


def test_sickness_reason_only_when_chosen(sqlite_db: Database, week_school: SmallSchool) -> None:
    piet = week_school.pupils["1001"]
    with sqlite_db.session() as s:
        hidden = text_of(pupil_overview_pdf(s, piet, WEEK, today=TODAY))
        shown = text_of(pupil_overview_pdf(s, piet, WEEK, today=TODAY, include_sickness_details=True))
    assert "Ziek" not in hidden and "Z –" not in hidden
    assert "geoorloofd afwezig (reden niet vermeld)" in hidden
    assert "Z – Ziek" in shown


def test_calendar_and_pattern_data(sqlite_db: Database, week_school: SmallSchool) -> None:
    piet = week_school.pupils["1001"]
    with sqlite_db.session() as s:
        data = build_pupil_overview(s, piet, WEEK, today=TODAY)
    by_day = {c.date: c for c in data.days}
    assert by_day[WEEK.start].state == DAY_AUTHORISED and by_day[WEEK.start].partial
    assert by_day[WEEK.end].state == DAY_PRESENT
    monday = data.weekdays[0]
    assert monday.lessons == {1: 1, 2: 1} and monday.lessons_unauthorised == {2: 1}
    assert data.lesson_numbers == [1, 2, 3, 4, 5, 6]


def test_leave_and_dossier_appear(sqlite_db: Database, week_school: SmallSchool) -> None:
    import datetime as dt

    piet = week_school.pupils["1001"]
    with sqlite_db.transaction() as s:
        s.add(LeaveRequest(pupil_id=piet, kind="gewichtige_omstandigheden", date_from=dt.date(2025, 11, 5),
                           date_to=dt.date(2025, 11, 5), received_on=dt.date(2025, 10, 20), status="geweigerd",
                           decided_on=dt.date(2025, 10, 22), created_at=dt.datetime(2025, 10, 20, 9)))
        s.add(ContactMoment(pupil_id=piet, date=dt.date(2025, 11, 6), kind="gesprek", with_whom="moeder",
                            summary="Te laat door de bus", agreements="Eerder vertrekken",
                            created_at=dt.datetime(2025, 11, 6, 15)))
    with sqlite_db.session() as s:
        text = text_of(pupil_overview_pdf(s, piet, WEEK, today=TODAY))
    assert "gewichtige omstandigheden" in text and "geweigerd" in text
    assert "Eerder vertrekken" in text


def test_school_year_fits_two_pages(sqlite_db: Database, week_school: SmallSchool) -> None:
    with sqlite_db.session() as s:
        data = build_pupil_overview(s, week_school.pupils["1002"], school_year_period("2025-2026"), today=TODAY)
    pdf = render_pupil_overview(data)
    assert data.period.end == TODAY  # the future has no register yet
    assert 1 <= len(PdfReader(io.BytesIO(pdf)).pages) <= 2


def test_open_sixteen_hour_signal_appears(sqlite_db: Database, week_school: SmallSchool) -> None:
    """An open (not yet handled) 16-hour signal of the law engine is listed under "Meldingen en signalen"."""
    import datetime as dt

    from verzuimdesk.model.register.entries import register_lesson

    sanne = week_school.pupils["1002"]
    with sqlite_db.transaction() as s:
        for day in (dt.date(2025, 11, 4), dt.date(2025, 11, 5), dt.date(2025, 11, 6)):
            for lesson in range(1, 7):
                register_lesson(s, sanne, day, lesson, "O", by="test")  # 18 hours unauthorised in week 45
    with sqlite_db.session() as s:
        text = text_of(pupil_overview_pdf(s, sanne, WEEK, today=TODAY))
    assert "16 uur (V3)" in text and "open: nog af te handelen" in text
