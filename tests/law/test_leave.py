"""Leave requests against art. 11, 13, 13a and 14 Lpw: each rule with its worked example.

Calendar (tests/builders.py): region noord, 2025-2026; summer holiday until Sunday 24 August 2025, so
the first two lesweken are 25 August – 7 September 2025; Herfstvakantie 18–26 October 2025. Group 5 has
six lessons of 60 minutes every weekday.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import select

from tests.builders import YEAR, SmallSchool
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leave import (
    Severity,
    blocking,
    check_leave_request,
    decide_leave_request,
    leave_school_days,
    leave_summary,
    submit_leave_request,
    withdraw_leave_request,
)
from verzuimdesk.model.register.entries import register_lesson
from verzuimdesk.model.register.figures import pupil_figures
from verzuimdesk.model.tables import AbsenceEntry, Pupil, Reason, Source
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest, LeaveStatus

D = dt.date
HOLIDAY, IMPORTANT, RELIGIOUS = LeaveKind.HOLIDAY.value, LeaveKind.IMPORTANT.value, LeaveKind.RELIGIOUS.value


RECEIVED = D(2025, 9, 1)  # more than eight weeks before the November requests (the school's term)


def _submit(db: Database, pupil: int, kind: str, start: dt.date, end: dt.date, *, received: dt.date = RECEIVED,
            attachments: str = "werkgeversverklaring", **kw) -> int:
    with db.transaction() as s:
        r = submit_leave_request(s, pupil, kind, start, end, received_on=received, by="admin",
                                 attachments=attachments, **kw)
        assert r.id is not None
        return r.id


def _check(db: Database, request_id: int) -> dict[str, str]:
    with db.session() as s:
        r = s.get(LeaveRequest, request_id)
        assert r is not None
        return {v.code: v.severity for v in check_leave_request(s, r)}


def _decide(db: Database, request_id: int, decision: str, **kw) -> LeaveRequest:
    with db.transaction() as s:
        r = decide_leave_request(s, request_id, decision, by="directeur", on=kw.pop("on", D(2025, 9, 20)), **kw)
        s.expunge(r)
        return r


def _entries(db: Database, pupil: int) -> list[AbsenceEntry]:
    with db.session() as s:
        return list(s.exec(select(AbsenceEntry).where(AbsenceEntry.pupil_id == pupil)
                           .order_by(AbsenceEntry.date, AbsenceEntry.start_minute)).all())


# ------------------------------------------------------------------------------ art. 13a: vakantieverlof


def test_holiday_of_ten_school_days_is_allowed_and_eleven_is_refused(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    ten = _submit(db, piet, HOLIDAY, D(2025, 11, 3), D(2025, 11, 14))  # two full weeks: 10 school days
    eleven = _submit(db, piet, HOLIDAY, D(2025, 11, 3), D(2025, 11, 17))  # … plus Monday 17 November
    with db.session() as s:
        assert len(leave_school_days(s, s.get(LeaveRequest, ten))) == 10
        assert len(leave_school_days(s, s.get(LeaveRequest, eleven))) == 11
    assert _check(db, ten) == {}
    assert _check(db, eleven) == {"te_lang": Severity.VIOLATION.value}
    with pytest.raises(ValidationError, match=r"art\. 27 Leerplichtwet[\s\S]*11 schooldagen[\s\S]*art\. 13a lid 2"):
        _decide(db, eleven, LeaveStatus.GRANTED.value)
    assert _entries(db, piet) == []


def test_holiday_in_the_first_two_lesweken_is_refused(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    week2 = _submit(db, piet, HOLIDAY, D(2025, 9, 1), D(2025, 9, 5), received=D(2025, 7, 1))
    friday_week2 = _submit(db, piet, HOLIDAY, D(2025, 9, 5), D(2025, 9, 8), received=D(2025, 7, 1))
    week3 = _submit(db, piet, HOLIDAY, D(2025, 9, 8), D(2025, 9, 12), received=D(2025, 7, 1))
    assert _check(db, week2) == {"eerste_lesweken": "overtreding"}
    assert _check(db, friday_week2) == {"eerste_lesweken": "overtreding"}
    assert _check(db, week3) == {}
    with db.session() as s:
        message = next(v.message for v in check_leave_request(s, s.get(LeaveRequest, week2)))
    assert "25 augustus 2025 t/m 7 september 2025" in message


def test_only_one_holiday_leave_per_school_year(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    first = _submit(db, piet, HOLIDAY, D(2025, 11, 3), D(2025, 11, 7))
    second = _submit(db, piet, HOLIDAY, D(2026, 2, 2), D(2026, 2, 6))
    assert _check(db, second) == {}  # the first is not granted yet
    _decide(db, first, LeaveStatus.GRANTED.value)
    assert _check(db, second) == {"tweede_keer": "overtreding"}
    with pytest.raises(ValidationError, match="één keer per schooljaar"):
        _decide(db, second, LeaveStatus.GRANTED.value)
    refused = _decide(db, second, LeaveStatus.REFUSED.value)
    assert refused.status == LeaveStatus.REFUSED.value
    assert "één keer per schooljaar" in refused.motivation  # the violations become the motivation
    # A refused first request does not use up the year: another pupil's case.
    sanne = school.pupils["1002"]
    a = _submit(db, sanne, HOLIDAY, D(2025, 11, 3), D(2025, 11, 7))
    _decide(db, a, LeaveStatus.REFUSED.value, motivation="Geen werkgeversverklaring waaruit blijkt dat ...")
    b = _submit(db, sanne, HOLIDAY, D(2026, 2, 2), D(2026, 2, 6))
    assert _check(db, b) == {}


def test_employer_statement_is_a_warning_not_a_violation(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    rid = _submit(db, piet, HOLIDAY, D(2025, 11, 3), D(2025, 11, 7), attachments="")
    assert _check(db, rid) == {"werkgeversverklaring": "waarschuwing"}
    assert _decide(db, rid, LeaveStatus.GRANTED.value).status == LeaveStatus.GRANTED.value


def test_holiday_leave_asked_after_the_holiday_began_is_refused(db: Database, school: SmallSchool) -> None:
    rid = _submit(db, school.pupils["1001"], HOLIDAY, D(2025, 11, 3), D(2025, 11, 7), received=D(2025, 11, 4))
    assert _check(db, rid) == {"achteraf": "overtreding"}


# ----------------------------------------------------------------------- art. 14: gewichtige omstandigheden


def test_six_plus_five_days_important_circumstances_must_be_forwarded(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    with db.transaction() as s:
        pupil = s.get(Pupil, piet)
        pupil.woongemeente = "Groningen"
        s.add(pupil)
    six = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 10))  # Mon–Mon: 6 school days
    assert _check(db, six) == {}
    _decide(db, six, LeaveStatus.GRANTED.value)
    five = _submit(db, piet, IMPORTANT, D(2025, 12, 1), D(2025, 12, 5))
    assert _check(db, five) == {"doorsturen": Severity.FORWARD.value}
    with db.session() as s:
        (finding,) = check_leave_request(s, s.get(LeaveRequest, five))
    assert "Samen 11 schooldagen" in finding.message and "Groningen" in finding.message
    assert finding.article == "art. 14 lid 3 Lpw"
    with pytest.raises(ValidationError, match="Stuur de aanvraag door"):
        _decide(db, five, LeaveStatus.GRANTED.value)
    forwarded = _decide(db, five, LeaveStatus.FORWARDED.value)
    assert forwarded.status == "doorgestuurd"
    with db.session() as s:  # forwarding registers nothing
        assert not s.exec(select(AbsenceEntry).where(AbsenceEntry.leave_request_id == five)).all()


def test_forwarding_is_only_for_important_circumstances_above_ten_days(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    small = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 4))
    with pytest.raises(ValidationError, match="beslist de directeur zelf"):
        _decide(db, small, LeaveStatus.FORWARDED.value)
    holiday = _submit(db, piet, HOLIDAY, D(2025, 11, 3), D(2025, 11, 17))
    with pytest.raises(ValidationError, match="beslist de directeur zelf"):
        _decide(db, holiday, LeaveStatus.FORWARDED.value)
    eleven = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 17))
    assert _check(db, eleven) == {"doorsturen": "doorsturen"}
    assert _decide(db, eleven, LeaveStatus.FORWARDED.value).status == "doorgestuurd"


def test_important_circumstances_reported_after_the_fact_within_two_days(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    # A funeral on Monday 3 November; the parents tell the school on Wednesday 5 November: in time.
    in_time = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 3), received=D(2025, 11, 5))
    late = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 3), received=D(2025, 11, 6))
    assert _check(db, in_time) == {}
    assert _check(db, late) == {"te_laat_gemeld": "overtreding"}


# ------------------------------------------------------------------------ art. 13: religieuze verplichting


def test_religious_obligation_needs_two_days_notice(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    day = D(2026, 3, 20)  # Friday
    two_days = _submit(db, piet, RELIGIOUS, day, day, received=D(2026, 3, 18))
    one_day = _submit(db, piet, RELIGIOUS, day, day, received=D(2026, 3, 19))
    assert _check(db, two_days) == {}
    assert _check(db, one_day) == {"te_laat_gemeld": "overtreding"}
    with db.session() as s:
        (v,) = check_leave_request(s, s.get(LeaveRequest, one_day))
    assert "art. 13 Leerplichtwet" in v.message and "18 maart 2026" in v.message


# ----------------------------------------------------------------------------------------- basics


def test_dates_enrolment_and_school_days(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    with db.session() as s:
        def codes(start: dt.date, end: dt.date, kind: str = IMPORTANT) -> set[str]:
            r = LeaveRequest(pupil_id=piet, kind=kind, date_from=start, date_to=end, received_on=D(2025, 8, 1),
                             attachments="x", created_at=dt.datetime(2025, 8, 1))
            return {v.code for v in check_leave_request(s, r)}

        assert codes(D(2025, 11, 7), D(2025, 11, 3)) == {"volgorde"}
        assert codes(D(2026, 7, 1), D(2026, 8, 14)) == {"schooljaar"}  # runs into a year the school has not set up
        assert "schooljaar" in codes(D(2026, 9, 1), D(2026, 9, 2))
        assert codes(D(2025, 10, 20), D(2025, 10, 24)) == {"geen_schooldagen"}  # Herfstvakantie
    with db.transaction() as s:
        pupil = s.get(Pupil, piet)
        pupil.left_on = D(2025, 11, 5)
        s.add(pupil)
    rid = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 7))
    assert set(_check(db, rid)) == {"inschrijving"}


def test_submit_refuses_nonsense(db: Database, school: SmallSchool) -> None:
    with db.transaction() as s, pytest.raises(ValidationError, match="soort verlof"):
        submit_leave_request(s, school.pupils["1001"], "carnaval", D(2025, 11, 3), D(2025, 11, 3),
                             received_on=D(2025, 10, 1), by="x")
    with db.transaction() as s, pytest.raises(ValidationError, match="vóór de begindatum"):
        submit_leave_request(s, school.pupils["1001"], HOLIDAY, D(2025, 11, 3), D(2025, 11, 1),
                             received_on=D(2025, 10, 1), by="x")


def test_refusal_without_violations_needs_a_motivation(db: Database, school: SmallSchool) -> None:
    rid = _submit(db, school.pupils["1001"], HOLIDAY, D(2025, 11, 3), D(2025, 11, 7))
    with pytest.raises(ValidationError, match="motivering"):
        _decide(db, rid, LeaveStatus.REFUSED.value)
    r = _decide(db, rid, LeaveStatus.REFUSED.value, motivation="Het beroep maakt vakantie in de zomer mogelijk.")
    assert r.status == "geweigerd" and r.decided_by == "directeur" and r.decided_on == D(2025, 9, 20)


# ------------------------------------------------------------------------- registration of granted leave


def test_granting_registers_exactly_the_scheduled_lessons_as_ground_f(db: Database, school: SmallSchool) -> None:
    piet, sanne = school.pupils["1001"], school.pupils["1002"]
    with db.transaction() as s:
        register_lesson(s, piet, D(2025, 11, 4), 2, "X", by="leerkracht")  # replaced by the leave
        register_lesson(s, piet, D(2025, 11, 10), 1, "O", by="leerkracht")  # outside the leave: stays
    rid = _submit(db, piet, HOLIDAY, D(2025, 11, 3), D(2025, 11, 7))
    _decide(db, rid, LeaveStatus.GRANTED.value)
    entries = _entries(db, piet)
    leave = [e for e in entries if e.leave_request_id == rid]
    assert len(leave) == 5 * 6
    assert {e.source for e in leave} == {Source.LEAVE.value}
    assert {(e.date, e.lesson_number) for e in leave} == {
        (D(2025, 11, 3) + dt.timedelta(days=d), n) for d in range(5) for n in range(1, 7)
    }
    with db.session() as s:
        v = s.exec(select(Reason).where(Reason.code == "V")).one()
        assert {e.reason_id for e in leave} == {v.id}
        fig = pupil_figures(s, piet, D(2025, 11, 3), D(2025, 11, 10))
        assert fig.by_ground == {"f": 5 * 360}
        assert fig.authorised == 5 * 360 and fig.unauthorised == 60
        assert pupil_figures(s, sanne, D(2025, 11, 3), D(2025, 11, 7)).absent == 0
    # Withdrawing removes exactly the leave's entries; the O of 10 November stays.
    with db.transaction() as s:
        withdraw_leave_request(s, rid, by="directeur", note="Reis gaat niet door", on=D(2025, 10, 1))
    remaining = _entries(db, piet)
    assert [(e.date, e.lesson_number) for e in remaining] == [(D(2025, 11, 10), 1)]
    with db.session() as s:
        assert s.get(LeaveRequest, rid).status == LeaveStatus.WITHDRAWN.value


def test_important_circumstances_register_ground_g_and_redeciding_removes_them(db: Database,
                                                                              school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    rid = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 4), reason_text="Huwelijk oom")
    _decide(db, rid, LeaveStatus.GRANTED.value)
    with db.session() as s:
        assert pupil_figures(s, piet, D(2025, 11, 3), D(2025, 11, 4)).by_ground == {"g": 720}
    _decide(db, rid, LeaveStatus.GRANTED.value)  # deciding again does not double the entries
    assert len(_entries(db, piet)) == 12
    _decide(db, rid, LeaveStatus.REFUSED.value, motivation="Bij nader inzien geen gewichtige omstandigheid.")
    assert _entries(db, piet) == []


def test_religious_leave_for_part_of_a_day(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    rid = _submit(db, piet, RELIGIOUS, D(2025, 11, 5), D(2025, 11, 5), received=D(2025, 11, 1),
                  start_minute=8 * 60 + 30, end_minute=10 * 60 + 30)
    _decide(db, rid, LeaveStatus.GRANTED.value)
    entries = _entries(db, piet)
    assert [(e.lesson_number, e.source) for e in entries] == [(1, "verlof"), (2, "verlof")]
    with db.session() as s:
        assert pupil_figures(s, piet, D(2025, 11, 5), D(2025, 11, 5)).by_ground == {"e": 120}


def test_leave_summary_counts_days_per_kind(db: Database, school: SmallSchool) -> None:
    piet = school.pupils["1001"]
    a = _submit(db, piet, IMPORTANT, D(2025, 11, 3), D(2025, 11, 5))
    _decide(db, a, LeaveStatus.GRANTED.value)
    b = _submit(db, piet, HOLIDAY, D(2025, 12, 1), D(2025, 12, 5))
    _decide(db, b, LeaveStatus.REFUSED.value, motivation="Geen grond.")
    _submit(db, piet, RELIGIOUS, D(2026, 3, 20), D(2026, 3, 20), received=D(2026, 3, 1))
    with db.session() as s:
        summary = leave_summary(s, piet, YEAR)
        assert summary[IMPORTANT].granted_days == 3 and summary[IMPORTANT].granted_requests == 1
        assert summary[HOLIDAY].refused_requests == 1 and summary[HOLIDAY].granted_days == 0
        assert summary[RELIGIOUS].pending_requests == 1
        with pytest.raises(ValidationError):
            leave_summary(s, piet, "2040-2041")


def test_blocking_filters_warnings(db: Database, school: SmallSchool) -> None:
    rid = _submit(db, school.pupils["1001"], HOLIDAY, D(2025, 9, 1), D(2025, 9, 5), attachments="",
                  received=D(2025, 7, 1))
    with db.session() as s:
        found = check_leave_request(s, s.get(LeaveRequest, rid))
    assert {v.code for v in found} == {"eerste_lesweken", "werkgeversverklaring"}
    assert [v.code for v in blocking(found)] == ["eerste_lesweken"]


def test_a_withdrawn_request_cannot_be_decided_again(db: Database, school: SmallSchool) -> None:
    rid = _submit(db, school.pupils["1001"], HOLIDAY, D(2025, 11, 3), D(2025, 11, 7))
    _decide(db, rid, LeaveStatus.WITHDRAWN.value, motivation="Ouders zien af van de reis")
    with pytest.raises(ValidationError, match="ingetrokken"):
        _decide(db, rid, LeaveStatus.GRANTED.value)
