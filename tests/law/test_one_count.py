"""Issue 9, points 3 and 7: a melding counts as the detector did (lateness policy, lesuren, V3 before the 18th
birthday), so a melding the detector calls due always passes the program's own 16-hour validation; an LRV
melding may leave its einddatum open and gets it later, also after DUO registered it."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.builders import build_small_school
from tests.signals.util import absent, add_pupil, late, signals, weekdays
from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.meldingen import (
    create_melding,
    melding_days,
    melding_history,
    set_duo_number,
    set_melding_end_date,
    set_melding_status,
    validate_melding,
)
from verzuimdesk.model.law.signals.policy import (
    ACTUAL_MINUTES,
    FIXED_MINUTES,
    LESUREN,
    WHOLE_LESSON,
    LatenessPolicy,
    MeldingPolicy,
    save_lateness_policy,
    save_melding_policy,
)
from verzuimdesk.model.register.timetable import set_group_timetable
from verzuimdesk.model.school.records import get_school, save_group
from verzuimdesk.model.tables import Group
from verzuimdesk.model.tables.law import Melding

D = dt.date


def sixteen_hour_problems(db: Database, melding_id: int) -> list[str]:
    with db.session() as s:
        return [p for p in validate_melding(s, s.get(Melding, melding_id)) if "art. 21a" in p or "in plaats van" in p]


def draft(db: Database, pupil: int, kind: str, begin: dt.date, end: dt.date | None, **kw) -> int:
    with db.transaction() as s:
        m = create_melding(s, pupil, kind, begin, end, by="directeur", **kw)
        assert m.id is not None
        return m.id


# --------------------------------------------------------------------------- 7. one count, any policy


def test_whole_lesson_policy_sixteen_lates_make_a_valid_melding(school_db):
    """Before issue 9 the detector said "due" (16 × a whole lesson) but the melding held 16 × 5 minutes and
    failed its own 16-hour check."""
    p = add_pupil_1001(school_db)
    with school_db.transaction() as s:
        save_lateness_policy(s, LatenessPolicy(mode=WHOLE_LESSON))
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 7)):
            for lesson in (1, 3, 5):
                late(s, p, day, 5, lesson=lesson)
        late(s, p, D(2025, 11, 10), 5)
    [v3] = signals(school_db, D(2025, 11, 12), p, ("V3",))
    assert (v3.begin, v3.end, v3.minutes) == (D(2025, 11, 3), D(2025, 11, 10), 960)
    mid = draft(school_db, p, "V3", v3.begin, v3.end)
    assert sixteen_hour_problems(school_db, mid) == []
    with school_db.session() as s:
        days = melding_days(s, mid)
        assert [(d.date, d.lessons, d.minutes) for d in days][:2] == [
            (D(2025, 11, 3), "1,3,5", 180), (D(2025, 11, 4), "1,3,5", 180)]
        assert sum(d.minutes for d in days) == 960


def add_pupil_1001(db: Database) -> int:
    with db.session() as s:
        from verzuimdesk.model.tables import Pupil

        return s.exec(select(Pupil.id).where(Pupil.key == "1001")).one()


def _vso_with_50_minute_lessons(db: Database) -> int:
    with db.transaction() as s:
        school = get_school(s)
        assert school is not None
        school.sector = "vso"
        s.add(school)
        group = save_group(s, Group(key="v1", name="VSO 1", jaargroep="V", uitstroomprofiel="vervolgonderwijs"))
        assert group.id is not None
        set_group_timetable(s, group.id, [(wd, n, 510 + 60 * (n - 1), 560 + 60 * (n - 1))
                                          for wd in range(5) for n in range(1, 7)])  # fmt: skip
        return add_pupil(s, "5001", D(2010, 4, 1), group.id)


def test_lesuren_counts_sixteen_lessons_and_the_melding_agrees(school_db):
    p = _vso_with_50_minute_lessons(school_db)
    with school_db.transaction() as s:
        absent(s, p, D(2025, 11, 3))
        absent(s, p, D(2025, 11, 4))
        absent(s, p, D(2025, 11, 5), range(1, 5))  # 16 lessons of 50 minutes = 800 minutes
    assert signals(school_db, D(2025, 11, 7), p, ("V3",)) == []  # klokuren: 13,33 uur
    with school_db.transaction() as s:
        save_melding_policy(s, MeldingPolicy(unit=LESUREN))
    [v3] = signals(school_db, D(2025, 11, 7), p, ("V3",))
    assert (v3.end, v3.minutes) == (D(2025, 11, 5), 960)
    assert "16 lesuren" in v3.explanation
    mid = draft(school_db, p, "V3", v3.begin, v3.end)
    assert sixteen_hour_problems(school_db, mid) == []


def test_lesuren_is_for_vso_only(school_db):
    with school_db.transaction() as s, pytest.raises(ValidationError, match="klokuren"):
        save_melding_policy(s, MeldingPolicy(unit=LESUREN))


def test_v3_validation_counts_only_minutes_before_the_18th_birthday(school_db):
    with school_db.transaction() as s:
        pupil = add_pupil(s, "3001", D(2007, 11, 5), 1)  # 18 on Wednesday 5 November 2025
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 5)):
            absent(s, pupil, day)
    mid = draft(school_db, pupil, "V3", D(2025, 11, 3), D(2025, 11, 5))
    problems = sixteen_hour_problems(school_db, mid)
    assert problems and "12 uur ongeoorloofd verzuim dat voor V3 telt" in problems[0]
    assert signals(school_db, D(2025, 11, 7), pupil, ("V3", "V4")) == []  # the detector agrees


@st.composite
def registers(draw: st.DrawFn) -> tuple[LatenessPolicy, dt.date, list[tuple[dt.date, str, int, int]]]:
    mode = draw(st.sampled_from([ACTUAL_MINUTES, WHOLE_LESSON, FIXED_MINUTES]))
    policy = LatenessPolicy(mode=mode, fixed_minutes=draw(st.integers(1, 90)) if mode == FIXED_MINUTES else 0)
    born = D(2007, 11, 1) + dt.timedelta(days=draw(st.integers(0, 40)))  # 18 somewhere in November 2025
    days = weekdays(D(2025, 11, 3), D(2025, 11, 28))
    entries = draw(st.lists(st.tuples(st.sampled_from(days), st.sampled_from(["absent", "late"]),
                                      st.integers(1, 6), st.integers(1, 59)), max_size=60))
    return policy, born, entries


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers())
def test_detector_due_implies_the_melding_validates(case) -> None:
    policy, born, entries = case
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "p.sqlite"))
        try:
            school = build_small_school(db)
            with db.transaction() as s:
                save_lateness_policy(s, policy)
                pupil = add_pupil(s, "9001", born, school.g5)
                seen: set[tuple[dt.date, int]] = set()
                for day, what, lesson, minutes in entries:
                    if (day, lesson) in seen:
                        continue
                    seen.add((day, lesson))
                    if what == "absent":
                        absent(s, pupil, day, [lesson])
                    else:
                        late(s, pupil, day, minutes, lesson=lesson)
            for due in signals(db, D(2025, 12, 5), pupil, ("V3", "V4")):
                mid = draft(db, pupil, due.kind, due.begin, due.end)
                assert sixteen_hour_problems(db, mid) == [], (due.kind, due.begin, due.end, due.minutes)
                with db.session() as s:
                    spec = {(d.date, int(n)) for d in melding_days(s, mid) for n in d.lessons.split(",")}
                assert {(les.date, les.lesson_number) for les in due.lessons} <= spec
        finally:
            db.close()


# --------------------------------------------------------------------------- 3. LRV with an open end


def test_lrv_einddatum_open_and_filled_in_after_registration(school_db):
    p = add_pupil_1001(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 12, 5)):
            absent(s, p, day)
    [lrv] = signals(school_db, D(2025, 12, 5), p, ("LRV",))
    mid = draft(school_db, p, "LRV", lrv.begin, None, spec_until=D(2025, 12, 5))
    with school_db.session() as s:
        assert not [x for x in validate_melding(s, s.get(Melding, mid)) if "einddatum" in x]
    with school_db.transaction() as s:
        set_duo_number(s, mid, "123456", by="directeur")
        set_melding_status(s, mid, "geregistreerd", by="directeur")
        for day in weekdays(D(2025, 12, 8), D(2025, 12, 10)):
            absent(s, p, day)  # still away after the melding
    with school_db.transaction() as s:
        m = set_melding_end_date(s, mid, D(2025, 12, 10), by="directeur", note="terug op school op 11 december")
        assert m.end_date == D(2025, 12, 10) and m.status == "geregistreerd"
        assert m.absence_days == 28 and m.minutes_unauthorised == 28 * 360
        last = melding_history(s, mid)[-1]
        assert (last.status, last.note) == ("geregistreerd", "Einddatum ingevuld: 10 december 2025. terug op school "
                                                             "op 11 december")
    with school_db.transaction() as s, pytest.raises(ValidationError, match="al een einddatum"):
        set_melding_end_date(s, mid, D(2025, 12, 12), by="directeur")
    # the signal is answered by the melding: no LRV, no V3 for the span
    assert signals(school_db, D(2025, 12, 12), p, ("LRV", "V3")) == []
