"""Figures against hand counts, and the minute arithmetic against a brute-force reference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import delete

from tests.builders import YEAR_END, YEAR_START, build_small_school
from verzuimdesk.model.db import open_database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.entries import register_lesson, report_absence, set_entry
from verzuimdesk.model.register.figures import FiguresEngine, group_figures, pupil_figures
from verzuimdesk.model.register.timetable import add_deviation
from verzuimdesk.model.school.reasons import reasons_by_code
from verzuimdesk.model.tables import AbsenceEntry

MON = dt.date(2025, 11, 3)  # a Monday in an ordinary week of 2025-2026 (noord)


def test_a_day_counted_by_hand(db) -> None:
    school = build_small_school(db)
    piet = school.pupils["1001"]
    with db.transaction() as s:
        register_lesson(s, piet, MON, 1, "Z", by="test")  # 60 min authorised (d)
        register_lesson(s, piet, MON, 2, "T", by="test", minutes_late=15)  # 15 min unauthorised, late once
        register_lesson(s, piet, MON, 3, "O", by="test")  # 60 min unauthorised
        register_lesson(s, piet, MON, 4, "LU", by="test")  # 60 min not counted
    with db.session() as s:
        fig = pupil_figures(s, piet, MON, MON)
    assert fig.scheduled == 360
    assert fig.not_counted == 60
    assert fig.net_scheduled == 300
    assert fig.authorised == 60
    assert fig.unauthorised == 75
    assert fig.present == 165
    assert fig.late_count == 1 and fig.late_unauthorised_count == 1
    assert fig.by_reason == {"Z": 60, "T": 15, "O": 60, "LU": 60}
    assert fig.by_ground == {"d": 60}
    assert fig.absent_pct == pytest.approx(100 * 135 / 300)


def test_a_week_and_the_group_total_counted_by_hand(db) -> None:
    school = build_small_school(db)
    piet, sanne = school.pupils["1001"], school.pupils["1002"]
    with db.transaction() as s:
        # Piet sick Monday and Tuesday (parents' report), Sanne absent without reason on Friday lesson 6.
        report_absence(s, piet, MON, MON + dt.timedelta(days=1), "Z", by="ouder")
        register_lesson(s, sanne, MON + dt.timedelta(days=4), 6, "O", by="test")
    with db.session() as s:
        week = FiguresEngine(s, MON, MON + dt.timedelta(days=6))
        assert week.pupil_period(piet).scheduled == 5 * 360
        assert week.pupil_period(piet).authorised == 2 * 360
        assert week.pupil_period(sanne).unauthorised == 60
        group = week.group_period(school.g5)
        # Three pupils in group 5, 5 days × 360 minutes each.
        assert group.scheduled == 3 * 5 * 360
        assert group.authorised == 720 and group.unauthorised == 60
        assert group.pupils == 3
        # Group 1/2 has Friday 08:30–12:30 only: 4 × 360 + 240.
        assert week.pupil_period(school.pupils["2001"]).scheduled == 4 * 360 + 240


def test_school_year_scheduled_time_skips_holidays_and_public_days_off(db) -> None:
    school = build_small_school(db)
    with db.session() as s:
        engine = FiguresEngine(s, YEAR_START, YEAR_END)
        fig = engine.pupil_period(school.pupils["1001"])
        days = engine.calendar.school_days()
        weeks = engine.pupil_weeks(school.pupils["1001"])
    assert fig.school_days == len(days)
    assert fig.scheduled == len(days) * 360
    assert len(weeks) == len(engine.calendar.lesweken())
    assert dt.date(2025, 10, 20) not in weeks  # herfstvakantie noord 18–26 okt


def test_pupil_not_yet_enrolled_or_left_has_no_scheduled_time(db) -> None:
    school = build_small_school(db)
    from verzuimdesk.model.tables import Pupil

    with db.transaction() as s:
        p = s.get(Pupil, school.pupils["1003"])
        p.left_on = MON + dt.timedelta(days=1)  # leaves on Tuesday
        s.add(p)
    with db.session() as s:
        fig = pupil_figures(s, school.pupils["1003"], MON, MON + dt.timedelta(days=4))
        assert fig.scheduled == 2 * 360
        assert group_figures(s, school.g5, MON, MON + dt.timedelta(days=4)).pupils == 3


def test_opbouwrooster_is_the_denominator(db) -> None:
    school = build_small_school(db)
    noor = school.pupils["2001"]
    with db.transaction() as s:
        # Mornings only (08:30–12:30) on Monday–Wednesday; nothing on Thursday and Friday.
        add_deviation(s, noor, "opbouwrooster", MON, None, [(d, 510, 750) for d in range(3)])
        register_lesson(s, noor, MON, 1, "Z", by="test")
    with db.session() as s:
        fig = pupil_figures(s, noor, MON, MON + dt.timedelta(days=4))
        assert fig.scheduled == 3 * 240
        assert fig.authorised == 60
        assert fig.absent_pct == pytest.approx(100 * 60 / 720)
        with pytest.raises(ValidationError, match="niet op het rooster"):
            register_lesson(s, noor, MON, 6, "Z", by="test")


def test_lateness_cannot_exceed_the_lesson(db) -> None:
    school = build_small_school(db)
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="langer dan de les"):
            register_lesson(s, school.pupils["1001"], MON, 1, "T", by="test", minutes_late=61)
        with pytest.raises(ValidationError, match="aantal minuten"):
            register_lesson(s, school.pupils["1001"], MON, 1, "T", by="test")


# ------------------------------------------------------------------------------ property-based


@pytest.fixture(scope="module")
def prop_db(tmp_path_factory: pytest.TempPathFactory):
    db = open_database(str(Path(tmp_path_factory.mktemp("prop")) / "p.sqlite"))
    school = build_small_school(db)
    yield db, school
    db.close()


CODES = ["Z", "O", "T", "TG", "LU", "AO", "X", "M"]
entry_strategy = st.lists(
    st.tuples(st.integers(450, 900), st.integers(1, 240), st.sampled_from(CODES), st.integers(1, 60)),
    max_size=6,
)


def reference_entries(entries: list[tuple[int, int, str, int]]) -> list[tuple[int, int, str, int]]:
    """Reference semantics of set_entry: a new entry replaces what it covers; cut pieces keep their data."""
    current: list[tuple[int, int, str, int]] = []
    for lo, hi, code, late in entries:
        nxt = []
        for c_lo, c_hi, c_code, c_late in current:
            if c_hi <= lo or c_lo >= hi:
                nxt.append((c_lo, c_hi, c_code, c_late))
                continue
            if c_lo < lo:
                nxt.append((c_lo, lo, c_code, c_late))
            if c_hi > hi:
                nxt.append((hi, c_hi, c_code, c_late))
        nxt.append((lo, hi, code, late))
        current = nxt
    return current


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=entry_strategy, deviation=st.booleans())
def test_figures_equal_a_minute_by_minute_count(prop_db, entries, deviation) -> None:
    """Random overlapping entries on one day against a brute-force count over the minutes of each lesson."""
    from verzuimdesk.model.tables import DeviationWindow, TimetableDeviation

    db, school = prop_db
    pid, day = school.pupils["1002"], MON
    with db.transaction() as s:
        for table in (AbsenceEntry, DeviationWindow, TimetableDeviation):
            s.exec(delete(table))  # type: ignore[call-overload]
        if deviation:
            add_deviation(s, pid, "deeltijd", day, day, [(0, 540, 700)])
        reasons = reasons_by_code(s)
        typed = []
        for start, length, code, late in entries:
            end = min(start + length, 1440)
            late_minutes = min(late, end - start) if reasons[code].is_lateness else 0
            set_entry(s, pid, day, start, end, reasons[code], by="prop", minutes_late=late_minutes)
            typed.append((start, end, code, late_minutes))
    scheduled = set(range(510, 870)) & (set(range(540, 700)) if deviation else set(range(0, 1440)))
    lessons = [set(range(510 + 60 * i, 570 + 60 * i)) & scheduled for i in range(6)]
    by_code: dict[str, int] = {}
    for lo, hi, code, late in reference_entries(typed):
        for lesson in lessons:
            overlap = len(lesson & set(range(lo, hi)))
            if overlap:
                counted = min(late, overlap) if reasons[code].is_lateness else overlap
                by_code[code] = by_code.get(code, 0) + counted
    per_category: dict[str, int] = {}
    for code, minutes in by_code.items():
        per_category[reasons[code].category] = per_category.get(reasons[code].category, 0) + minutes
    with db.session() as s:
        fig = FiguresEngine(s, day, day, [pid]).pupil_day(pid, day)
    assert fig.scheduled == len(scheduled)
    assert fig.authorised == per_category.get("geoorloofd", 0)
    assert fig.unauthorised == per_category.get("ongeoorloofd", 0)
    assert fig.not_counted == per_category.get("niet_meegeteld", 0)
    assert {k: v for k, v in fig.by_reason.items() if v} == {k: v for k, v in by_code.items() if v}
    assert fig.present + fig.authorised + fig.unauthorised + fig.not_counted == fig.scheduled
