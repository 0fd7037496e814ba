"""Leave at the edges of the law (issue 9, point 8), each rule with a dated case.

Calendar (tests/builders.py): region noord, 2025-2026; Herfstvakantie 18–26 October 2025, Kerstvakantie
20 December 2025 – 4 January 2026. Group 5 has six lessons of 60 minutes every weekday; group 1/2 six on
Monday–Thursday and four on Friday. Noor (2001) was born 15 June 2020: leerplichtig from 1 July 2025, six
on 15 June 2026.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.builders import SmallSchool
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leave import (
    Severity,
    art11a_findings,
    check_leave_request,
    decide_leave_request,
    leave_school_days,
    leave_summary,
    must_forward,
    pupil_lesson_days,
    record_lpa_decision,
    status_label,
    submit_leave_request,
)
from verzuimdesk.model.law.leave.art11a import split_minutes
from verzuimdesk.model.register.entries import register_lesson
from verzuimdesk.model.register.figures import pupil_figures
from verzuimdesk.model.register.timetable import add_deviation
from verzuimdesk.model.store import set_setting
from verzuimdesk.model.tables import AbsenceEntry, Pupil
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest, LeaveStatus

D = dt.date
HOLIDAY, IMPORTANT, RELIGIOUS = LeaveKind.HOLIDAY.value, LeaveKind.IMPORTANT.value, LeaveKind.RELIGIOUS.value
GRANTED, REFUSED, FORWARDED = LeaveStatus.GRANTED.value, LeaveStatus.REFUSED.value, LeaveStatus.FORWARDED.value


EARLY = D(2025, 9, 1)  # more than eight weeks before the November requests


def _submit(db: Database, pupil: int, kind: str, start: dt.date, end: dt.date, *, received: dt.date = EARLY) -> int:
    with db.transaction() as s:
        r = submit_leave_request(s, pupil, kind, start, end, received_on=received, by="admin",
                                 attachments="werkgeversverklaring")
        assert r.id is not None
        return r.id


def _codes(db: Database, rid: int) -> dict[str, str]:
    with db.session() as s:
        return {v.code: v.severity for v in check_leave_request(s, s.get(LeaveRequest, rid))}


def _decide(db: Database, rid: int, decision: str, **kw) -> LeaveRequest:
    with db.transaction() as s:
        r = decide_leave_request(s, rid, decision, by="directeur", on=kw.pop("on", D(2025, 9, 20)), **kw)
        s.expunge(r)
        return r


def _lpa(db: Database, rid: int, decision: str, **kw) -> LeaveRequest:
    kw.setdefault("lpa_name", "M. de Vries")
    kw.setdefault("on", D(2025, 10, 1))
    with db.transaction() as s:
        r = record_lpa_decision(s, rid, decision, by="administratie", **kw)
        s.expunge(r)
        return r


def _leave_entries(db: Database, rid: int) -> list[AbsenceEntry]:
    with db.session() as s:
        return list(s.exec(select(AbsenceEntry).where(AbsenceEntry.leave_request_id == rid)).all())


# ------------------------------------------------------------- art. 14 lid 3: the leerplichtambtenaar decides


def test_leerplichtambtenaar_grants_twelve_days_and_a_later_day_is_forwarded_too(db: Database,
                                                                                 school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    twelve = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 18))  # Mon 3 – Tue 18 November: 12 days
    assert _codes(db, twelve) == {"doorsturen": Severity.FORWARD.value}
    _decide(db, twelve, FORWARDED)
    with pytest.raises(ValidationError, match="doorgestuurd"):  # the head no longer decides
        _decide(db, twelve, GRANTED)
    r = _lpa(db, twelve, GRANTED, on=D(2025, 10, 1))
    assert (r.status, r.lpa_decision, r.lpa_decided_by, r.lpa_decided_on) == (GRANTED, GRANTED, "M. de Vries",
                                                                             D(2025, 10, 1))  # fmt: skip
    assert (r.decided_by, r.decided_on) == ("directeur", D(2025, 9, 20))  # the forwarding stays on record
    assert status_label(r) == "toegekend door de leerplichtambtenaar"
    assert len(_leave_entries(db, twelve)) == 12 * 6  # the granted days register the absence (ground g)
    with db.session() as s:
        assert pupil_figures(s, piet, D(2025, 11, 3), D(2025, 11, 18)).by_ground == {"g": 12 * 360}
        assert leave_summary(s, piet, "2025-2026")[IMPORTANT].granted_days == 12
    one = _submit(db, piet, IMPORTANT, D(2026, 3, 2), D(2026, 3, 2))  # a single day in March
    assert _codes(db, one) == {"doorsturen": Severity.FORWARD.value}
    with db.session() as s:
        (finding,) = check_leave_request(s, s.get(LeaveRequest, one))
    assert "Samen 13 schooldagen" in finding.message and "eerder toegekend 12 schooldagen" in finding.message


def test_leerplichtambtenaar_refuses_and_the_record_is_checked(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    rid = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 17))
    small = _submit(db, piet, IMPORTANT, D(2025, 12, 1), D(2025, 12, 1))
    with pytest.raises(ValidationError, match="niet doorgestuurd"):
        _lpa(db, rid, GRANTED)
    _decide(db, rid, FORWARDED, on=D(2025, 9, 20))
    with pytest.raises(ValidationError, match="welke leerplichtambtenaar"):
        _lpa(db, rid, GRANTED, lpa_name=" ")
    with pytest.raises(ValidationError, match="vóór het doorsturen"):
        _lpa(db, rid, GRANTED, on=D(2025, 9, 19))
    with pytest.raises(ValidationError, match="motivering"):
        _lpa(db, rid, REFUSED)
    r = _lpa(db, rid, REFUSED, motivation="Geen gewichtige omstandigheid voor elf dagen.")
    assert r.status == REFUSED and r.lpa_motivation.startswith("Geen gewichtige")
    assert _leave_entries(db, rid) == []
    assert _codes(db, small) == {}  # refused days do not count toward the ten
    # The leerplichtambtenaar reconsiders (e.g. after bezwaar): recording again replaces, and registers.
    assert _lpa(db, rid, GRANTED, on=D(2025, 10, 20)).status == GRANTED
    assert len(_leave_entries(db, rid)) == 11 * 6
    assert _codes(db, small) == {"doorsturen": Severity.FORWARD.value}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lengths=st.lists(st.integers(1, 5), min_size=0, max_size=4), asked=st.integers(1, 5),
       by_lpa=st.lists(st.booleans(), min_size=4, max_size=4))  # fmt: skip
def test_forwarding_follows_the_sum_of_granted_school_days(db: Database, school: SmallSchool, lengths: list[int],
                                                           asked: int, by_lpa: list[bool]) -> None:
    """Over several granted requests (by the head or the leerplichtambtenaar) in one school year, the new
    request is forwarded exactly when all their school days together exceed ten (art. 14 lid 3 Lpw)."""
    mondays = [D(2025, 11, 3), D(2025, 11, 10), D(2025, 11, 17), D(2025, 11, 24), D(2026, 2, 2)]
    with db.session() as s:  # never committed: each example starts from the same school
        total = 0
        for i, n in enumerate(lengths):
            r = submit_leave_request(s, school.pupils["1001"], IMPORTANT, mondays[i],
                                     mondays[i] + dt.timedelta(days=n - 1), received_on=D(2025, 9, 1), by="t")
            r.status = GRANTED
            r.lpa_decision = GRANTED if by_lpa[i] else ""
            total += len(leave_school_days(s, r))
        new = submit_leave_request(s, school.pupils["1001"], IMPORTANT, mondays[4],
                                   mondays[4] + dt.timedelta(days=asked - 1), received_on=D(2025, 9, 1), by="t")
        s.flush()
        forward = any(v.severity == Severity.FORWARD.value for v in check_leave_request(s, new))
        assert total == sum(lengths)  # full school weeks: every weekday is a school day
        assert forward == (total + asked > 10) == must_forward(total, asked)
        s.rollback()


# ---------------------------------------------------------------- part-time pupils count the school's days


def test_part_time_pupil_counts_school_days_of_the_school(db: Database, school: SmallSchool) -> None:
    sanne = school.pupils["1002"]
    with db.transaction() as s:  # partial exemption: Monday–Wednesday mornings only
        add_deviation(s, sanne, "vrijstelling", D(2025, 8, 1), None, [(wd, 510, 690) for wd in range(3)])
    two_weeks = _submit(db, sanne, HOLIDAY, D(2025, 11, 3), D(2025, 11, 14))
    eleven = _submit(db, sanne, HOLIDAY, D(2025, 11, 3), D(2025, 11, 17))
    with db.session() as s:
        r = s.get(LeaveRequest, eleven)
        assert len(pupil_lesson_days(s, r)) == 7  # her own days: Mon–Wed of two weeks, and Monday 17th
        assert len(leave_school_days(s, r)) == 11  # the school's days: the unit of art. 13a lid 2
    assert _codes(db, two_weeks) == {}
    assert _codes(db, eleven) == {"te_lang": Severity.VIOLATION.value}
    with pytest.raises(ValidationError, match="11 schooldagen"):
        _decide(db, eleven, GRANTED)


def test_leave_on_a_day_without_own_lessons_has_nothing_to_grant(db: Database, school: SmallSchool) -> None:
    sanne = school.pupils["1002"]
    with db.transaction() as s:
        add_deviation(s, sanne, "vrijstelling", D(2025, 8, 1), None, [(wd, 510, 690) for wd in range(3)])
    friday = _submit(db, sanne, IMPORTANT, D(2025, 11, 7), D(2025, 11, 7))
    assert _codes(db, friday) == {"geen_schooldagen": Severity.VIOLATION.value}


# ------------------------------------------------------------------------ pupils not under the Lpw


def test_leave_rules_do_not_apply_to_a_pupil_not_yet_leerplichtig(db: Database, school: SmallSchool) -> None:
    noor = school.pupils["2001"]
    with db.transaction() as s:  # born 1 March 2021: leerplichtig from 1 April 2026
        pupil = s.get(Pupil, noor)
        pupil.birth_date = D(2021, 3, 1)
        s.add(pupil)
    long = _submit(db, noor, HOLIDAY, D(2025, 11, 3), D(2025, 11, 21), received=D(2025, 10, 30))
    assert _codes(db, long) == {"geen_leerplicht": Severity.WARNING.value}  # 15 days, late, no Lpw finding
    assert _decide(db, long, GRANTED).status == GRANTED
    important = _submit(db, noor, IMPORTANT, D(2026, 1, 5), D(2026, 1, 23))
    with pytest.raises(ValidationError, match="niet leerplichtig is, beslist altijd de school"):
        _decide(db, important, FORWARDED)
    # From 1 April 2026 she is leerplichtig: the rules apply again.
    april = _submit(db, noor, HOLIDAY, D(2026, 4, 13), D(2026, 4, 17), received=D(2026, 1, 5))
    assert _codes(db, april) == {"tweede_keer": Severity.VIOLATION.value}


# ------------------------------------------------------------------ late vakantieverlof (school policy)


def test_late_holiday_request_is_a_warning_with_the_schools_term(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    seven_weeks = _submit(db, piet, HOLIDAY, D(2025, 11, 3), D(2025, 11, 7), received=D(2025, 9, 15))
    eight_weeks = _submit(db, piet, HOLIDAY, D(2025, 11, 10), D(2025, 11, 14), received=D(2025, 9, 15))
    assert _codes(db, seven_weeks) == {"laat_aangevraagd": Severity.WARNING.value}
    assert _codes(db, eight_weeks) == {}  # exactly eight weeks ahead is in time
    with db.transaction() as s:
        set_setting(s, "verlof_termijn_weken", "4")
    assert _codes(db, seven_weeks) == {}
    assert _decide(db, seven_weeks, GRANTED).status == GRANTED  # a warning never blocks


# --------------------------------------------------------------- art. 13: a notice, confirmed or late


def test_religious_obligation_is_confirmed_or_recorded_late_never_refused(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    timely = _submit(db, piet, RELIGIOUS, D(2026, 3, 20), D(2026, 3, 20), received=D(2026, 3, 18))
    late = _submit(db, piet, RELIGIOUS, D(2026, 3, 20), D(2026, 3, 20), received=D(2026, 3, 19))
    with pytest.raises(ValidationError, match="kan haar niet weigeren"):
        _decide(db, timely, REFUSED, motivation="Geen reden.")
    assert status_label(_decide(db, timely, GRANTED)) == "bevestigd"
    with pytest.raises(ValidationError, match="kan niet worden bevestigd"):
        _decide(db, late, GRANTED)
    r = _decide(db, late, REFUSED)
    assert status_label(r) == "te laat gemeld" and "uiterlijk 18 maart 2026" in r.motivation
    assert _leave_entries(db, late) == []


# ----------------------------------------------------------------------- art. 11a: five-year-olds


def _register(db: Database, pupil: int, day: dt.date, lessons: range, code: str) -> None:
    with db.transaction() as s:
        for n in lessons:
            register_lesson(s, pupil, day, n, code, by="leerkracht")


def test_five_year_old_stays_home_within_art_11a(db: Database, school: SmallSchool) -> None:
    noor = school.pupils["2001"]
    _register(db, noor, D(2025, 11, 3), range(1, 6), "K5")  # Monday: 5 hours on notice — allowed
    _register(db, noor, D(2025, 11, 4), range(1, 6), "K5T")  # Tuesday: 5 more with consent — allowed
    with db.session() as s:
        assert art11a_findings(s, noor, D(2025, 11, 3), D(2025, 11, 9)) == []
        fig = pupil_figures(s, noor, D(2025, 11, 3), D(2025, 11, 9))
        assert fig.authorised == 600 and fig.unauthorised == 0
    _register(db, noor, D(2025, 11, 5), range(1, 2), "K5")  # Wednesday: a sixth hour on notice
    _register(db, noor, D(2025, 11, 6), range(1, 2), "K5T")  # Thursday: past ten hours in the week
    with db.session() as s:
        found = art11a_findings(s, noor, D(2025, 11, 3), D(2025, 11, 9))
    assert [(f.week, f.code, f.notice_minutes, f.consent_minutes) for f in found] == [
        (D(2025, 11, 3), "meer_dan_10_uur", 360, 360), (D(2025, 11, 3), "meer_dan_5_uur", 360, 360)]
    assert "art. 11a lid 1" in found[1].message and "6 uur" in found[1].message


def test_art_11a_ends_on_the_sixth_birthday(db: Database, school: SmallSchool) -> None:
    noor = school.pupils["2001"]
    _register(db, noor, D(2026, 6, 12), range(1, 3), "K5")  # Friday before her birthday: fine
    _register(db, noor, D(2026, 6, 15), range(1, 3), "K5")  # the birthday itself: six years old
    with db.session() as s:
        found = art11a_findings(s, noor, D(2026, 6, 8), D(2026, 6, 19))
    assert [(f.code, f.week) for f in found] == [("zes_jaar", D(2026, 6, 15))]


@given(notice=st.integers(0, 1200), consent=st.integers(0, 1200))
def test_art_11a_weekly_arithmetic(notice: int, consent: int) -> None:
    found = split_minutes(notice, consent)
    assert ("meer_dan_5_uur" in found) == (notice > 300)
    assert ("meer_dan_10_uur" in found) == (notice + consent > 600)
    if not found:  # what is allowed: at most 5 hours on notice and at most 10 in all
        assert notice <= 300 and notice + consent <= 600
