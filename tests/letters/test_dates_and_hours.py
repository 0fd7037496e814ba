"""The arithmetic in letters: hours as parents read them, and an evaluation date that is never in the past and
never on a weekend (property-based)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.builders import build_small_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.letters.compose import EVALUATION_WEEKS, evaluation_date, hours_text
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.law import ContactMoment, Intervention


@given(st.integers(min_value=0, max_value=100_000))
def test_hours_text_is_the_minutes_in_hours_rounded_to_two_decimals(minutes: int) -> None:
    text = hours_text(minutes)
    assert "." not in text and not text.endswith(",") and not (("," in text) and text.endswith("0"))
    assert abs(float(text.replace(",", ".")) - minutes / 60) <= 0.005
    if minutes % 60 == 0:
        assert text == str(minutes // 60)


DAYS = st.dates(min_value=dt.date(2024, 8, 1), max_value=dt.date(2027, 7, 31))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60, deadline=None)
@given(talk=DAYS, letter_after=st.integers(min_value=0, max_value=120), plan_after=st.integers(min_value=-20, max_value=90),
       with_plan=st.booleans())
def test_evaluation_date_is_after_the_letter_and_on_a_weekday(sqlite_db: Database, talk: dt.date, letter_after: int,
                                                             plan_after: int, with_plan: bool) -> None:  # fmt: skip
    with sqlite_db.session() as s:
        built = get_school(s) is not None
    if not built:  # the fixture's database lives through all examples: build the school once
        build_small_school(sqlite_db)
    with sqlite_db.session() as s:
        pupil = s.exec(select(Pupil.id).where(Pupil.key == "1001")).one()
    on = talk + dt.timedelta(days=letter_after)
    with sqlite_db.session() as s:
        contact = ContactMoment(pupil_id=pupil, date=talk, created_at=dt.datetime(2025, 1, 1))
        s.add(contact)
        plan_day = talk + dt.timedelta(days=plan_after)
        if with_plan:
            s.add(Intervention(pupil_id=pupil, title="Plan", start_date=talk, evaluation_date=plan_day,
                               created_at=dt.datetime(2025, 1, 1)))
        s.flush()
        day = evaluation_date(s, contact, on)
        s.rollback()
    assert day > on and day.weekday() < 5
    if with_plan and plan_day > on and plan_day.weekday() < 5:
        assert day == plan_day  # the plan's own date when it is still to come
    elif not with_plan:
        assert (day - max(talk, on)).days in range(7 * EVALUATION_WEEKS, 7 * EVALUATION_WEEKS + 3)
