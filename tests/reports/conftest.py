"""A hand-built week for the document tests: Piet sick one lesson and 15 minutes late (domain.md §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.builders import SmallSchool, build_small_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.register.entries import register_lesson
from verzuimdesk.reports.data import Period

MONDAY = dt.date(2025, 11, 3)
FRIDAY = dt.date(2025, 11, 7)
WEEK = Period(MONDAY, FRIDAY, "week 45")
TODAY = dt.date(2025, 11, 21)


@pytest.fixture
def week_school(sqlite_db: Database) -> SmallSchool:
    """Group 5 (6 lessons of 60 min a day): Piet Z in lesson 1 and T (15 min) in lesson 2 on Monday;
    Sanne O in lessons 1–3 on Wednesday; Emre present all week."""
    school = build_small_school(sqlite_db)
    piet, sanne = school.pupils["1001"], school.pupils["1002"]
    with sqlite_db.transaction() as s:
        register_lesson(s, piet, MONDAY, 1, "Z", by="test")
        register_lesson(s, piet, MONDAY, 2, "T", by="test", minutes_late=15)
        for lesson in (1, 2, 3):
            register_lesson(s, sanne, MONDAY + dt.timedelta(days=2), lesson, "O", by="test")
    return school
