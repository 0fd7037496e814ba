"""The register grid data of a group-day, without widgets (counted by hand against tests/builders.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.builders import build_small_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.entries import mark_register_taken, record_call, report_absence, set_entry
from verzuimdesk.model.register.timetable import add_deviation
from verzuimdesk.model.register.view import (
    call_list,
    load_register_day,
    register_cells,
    restore_days,
    school_day_near,
)
from verzuimdesk.model.tables import AbsenceEntry, Guardian

MONDAY = dt.date(2025, 11, 3)


@pytest.fixture
def school(sqlite_db: Database):
    return build_small_school(sqlite_db)


def _entries(db: Database) -> list[tuple[int, dt.date, int | None, str, int]]:
    from sqlmodel import select

    from verzuimdesk.model.tables import Reason

    with db.session() as s:
        codes = {r.id: r.code for r in s.exec(select(Reason)).all()}
        rows = s.exec(select(AbsenceEntry).order_by(AbsenceEntry.pupil_id, AbsenceEntry.start_minute)).all()
        return [(r.pupil_id, r.date, r.lesson_number, codes[r.reason_id], r.minutes_late) for r in rows]


def test_empty_day_has_pupils_sorted_by_achternaam_and_six_lessons(sqlite_db: Database, school) -> None:
    with sqlite_db.session() as s:
        view = load_register_day(s, school.g5, MONDAY)
    assert [r.name for r in view.rows] == ["Berg, Sanne van den", "Jansen, Piet", "Yılmaz, Emre"]
    assert [les.header for les in view.lessons] == [
        "1 08:30",
        "2 09:30",
        "3 10:30",
        "4 11:30",
        "5 12:30",
        "6 13:30",
    ]
    assert not any(les.taken for les in view.lessons)
    assert all(t.present == 3 and t.absent == 0 and t.scheduled == 3 for t in view.lesson_totals)
    assert view.total.absent == 0 and view.total.scheduled == 3 * 360
    assert view.no_lessons_reason == ""


def test_cells_totals_and_parent_reports(sqlite_db: Database, school) -> None:
    jansen, berg, yilmaz = (school.pupils[k] for k in ("1001", "1002", "1003"))
    with sqlite_db.transaction() as s:
        register_cells(s, MONDAY, [(jansen, n) for n in range(1, 7)], "Z", by="juf")  # ziek all day
        register_cells(s, MONDAY, [(berg, 1)], "T", by="juf", minutes_late=10)
        report_absence(s, yilmaz, MONDAY, MONDAY, "M", by="balie", start=600, end=630, note="tandarts")
        mark_register_taken(s, school.g5, MONDAY, 1, by="juf", now=dt.datetime(2025, 11, 3, 8, 40))
    with sqlite_db.session() as s:
        view = load_register_day(s, school.g5, MONDAY)
    rows = {r.pupil_id: r for r in view.rows}
    assert [c.text for c in rows[jansen].cells] == ["Z"] * 6
    assert rows[berg].cells[0].text == "T 10'" and rows[berg].cells[0].kind == "late"
    # 10:00–10:30 is the first half of lesson 2 (09:30–10:30): a partial absence from the parents.
    medical = rows[yilmaz].cells[1]
    assert medical.text == "M 30'" and medical.from_parent and medical.note == "tandarts"
    assert not rows[jansen].cells[0].from_parent
    # Hand count per lesson: lesson 1 → Jansen absent, van den Berg late, Yılmaz present.
    assert (
        view.lesson_totals[0].present == 1
        and view.lesson_totals[0].absent == 1
        and view.lesson_totals[0].late == 1
    )
    assert (view.lesson_totals[1].present, view.lesson_totals[1].absent) == (1, 2)
    assert (view.lesson_totals[2].present, view.lesson_totals[2].absent) == (2, 1)
    # Per pupil (Figures): Jansen 360 authorised, van den Berg 10 unauthorised, Yılmaz 30 authorised.
    assert rows[jansen].figures.absent == 360 and rows[berg].figures.unauthorised == 10
    assert rows[yilmaz].figures.authorised == 30
    assert view.total.absent == 400
    assert view.lessons[0].taken and view.lessons[0].taken_by == "juf" and not view.lessons[1].taken
    assert view.registers_taken == 1 and view.pupils_absent == 2 and view.pupils_late == 1


def test_lesson_not_on_own_timetable_is_not_scheduled(sqlite_db: Database, school) -> None:
    berg = school.pupils["1002"]
    with sqlite_db.transaction() as s:  # opbouwrooster: only 08:30–11:30 on Mondays
        add_deviation(s, berg, "opbouwrooster", dt.date(2025, 10, 1), None, [(0, 510, 690)])
    with sqlite_db.session() as s:
        view = load_register_day(s, school.g5, MONDAY)
    row = next(r for r in view.rows if r.pupil_id == berg)
    assert [c.scheduled for c in row.cells] == [True, True, True, False, False, False]
    assert view.lesson_totals[3].scheduled == 2 and view.lesson_totals[0].scheduled == 3
    assert row.figures.scheduled == 180


def test_batch_undo_restores_every_pupil(sqlite_db: Database, school) -> None:
    jansen, berg = school.pupils["1001"], school.pupils["1002"]
    with sqlite_db.transaction() as s:
        set_entry(s, jansen, MONDAY, 510, 570, "Z", by="x", lesson_number=1)
    before = _entries(sqlite_db)
    with sqlite_db.transaction() as s:
        snaps = register_cells(s, MONDAY, [(jansen, 1), (jansen, 2), (berg, 1)], "O", by="x")
    assert len(snaps) == 2
    assert [e[3] for e in _entries(sqlite_db)] == ["O", "O", "O"]
    with sqlite_db.transaction() as s:
        restore_days(s, snaps)
    assert _entries(sqlite_db) == before


def test_holiday_says_why_and_day_navigation_skips_it(sqlite_db: Database, school) -> None:
    with sqlite_db.session() as s:
        # Herfstvakantie noord 2025: 18–26 October.
        view = load_register_day(s, school.g5, dt.date(2025, 10, 22))
        assert view.lessons == [] and "Herfstvakantie" in view.no_lessons_reason
        assert school_day_near(s, school.g5, dt.date(2025, 10, 17), 1) == dt.date(2025, 10, 27)
        assert school_day_near(s, school.g5, dt.date(2025, 10, 27), -1) == dt.date(2025, 10, 17)
        assert school_day_near(s, school.g5, dt.date(2025, 11, 7), 1) == dt.date(2025, 11, 10)
        weekend = load_register_day(s, school.g5, dt.date(2025, 11, 8))
        assert weekend.no_lessons_reason == "Geen lessen: weekend."


def test_call_list_with_phones_and_attempts(sqlite_db: Database, school) -> None:
    yilmaz = school.pupils["1003"]
    with sqlite_db.transaction() as s:
        s.add(Guardian(pupil_id=yilmaz, name="Ayşe Yılmaz", relation="moeder", phone="06-12345678"))
        register_cells(s, MONDAY, [(yilmaz, 1), (yilmaz, 2)], "X", by="juf")
        record_call(s, yilmaz, MONDAY, by="balie", reached=False, now=dt.datetime(2025, 11, 3, 9, 10))
    with sqlite_db.session() as s:
        rows = call_list(s, MONDAY)
        assert call_list(s, dt.date(2025, 11, 4)) == []
        assert len(call_list(s, dt.date(2025, 11, 4), whole_week=True)) == 1
    assert len(rows) == 1
    row = rows[0]
    assert row.name == "Yılmaz, Emre" and row.item.minutes == 120 and row.lessons_text == "1, 2"
    assert row.phones == "06-12345678 (Ayşe Yılmaz)"
    assert row.attempts == "09:10 niet bereikt"


@pytest.mark.parametrize("code", ["O", "X", "T", "TG", "L"])
def test_observed_absence_on_a_future_date_is_refused_and_nothing_changes(sqlite_db: Database, school, code: str) -> None:
    """O, X and lateness are seen on the day itself: a future date is refused with a Dutch message."""
    piet = school.pupils["1001"]
    now = dt.datetime(2025, 11, 3, 10, 0)  # Monday morning: the day of entering
    tomorrow = dt.date(2025, 11, 4)
    with pytest.raises(ValidationError, match="kan niet vooraf worden ingevoerd: 4 november 2025 ligt nog in de"):
        with sqlite_db.transaction() as s:
            set_entry(s, piet, tomorrow, 510, 570, code, by="test", lesson_number=1, today=now.date(),
                      minutes_late=10 if code.startswith("T") else 0)
    with sqlite_db.session() as s:
        assert s.exec(select(AbsenceEntry).where(AbsenceEntry.pupil_id == piet)).all() == []
    with sqlite_db.transaction() as s:  # today itself is fine
        set_entry(s, piet, now.date(), 510, 570, code, by="test", lesson_number=1, today=now.date(),
                  minutes_late=10 if code.startswith("T") else 0)


@pytest.mark.parametrize("code", ["Z", "M", "G", "V", "R"])
def test_reported_absence_and_leave_may_be_entered_ahead(sqlite_db: Database, school, code: str) -> None:
    piet = school.pupils["1001"]
    with sqlite_db.transaction() as s:
        entry = set_entry(s, piet, dt.date(2025, 11, 14), 510, 570, code, by="ouder", lesson_number=1,
                          today=dt.date(2025, 11, 3))
    assert entry.id is not None
