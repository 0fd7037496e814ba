"""The 16-hour melding (art. 21a Lpw; domain.md §7.2) as worked examples on the small school."""

from __future__ import annotations

from sqlmodel import select

from tests.builders import PUPILS
from tests.signals.util import NOW, D, absent, add_pupil, signals, weekdays
from verzuimdesk.model.register.entries import set_entry
from verzuimdesk.model.register.timetable import add_deviation
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.law import Melding, MeldingStatusValue

V = ("V3", "V4")


def pid(db, key: str = "1001") -> int:
    with db.session() as s:
        return s.exec(select(Pupil.id).where(Pupil.key == key)).one()


def g5(db) -> int:
    from verzuimdesk.model.tables import Group

    with db.session() as s:
        return s.exec(select(Group.id).where(Group.key == "g5")).one()


def test_reached_across_the_autumn_holiday(school_db):
    """4 lesweken span 5 calendar weeks: the holiday week of 20 October is skipped, not a zero week."""
    p = pid(school_db)
    with school_db.transaction() as s:
        absent(s, p, D(2025, 9, 29))  # week 1: 360
        absent(s, p, D(2025, 10, 17))  # week 3: 360 (week 2, 6 Oct, has none)
        absent(s, p, D(2025, 10, 27), range(1, 5))  # week 4 after the holiday: 240 → 960
    before = signals(school_db, D(2025, 10, 24), p, V)
    assert before == []
    [due] = signals(school_db, D(2025, 11, 3), p, V)
    assert (due.kind, due.begin, due.end, due.minutes) == ("V3", D(2025, 9, 29), D(2025, 10, 27), 960)
    assert due.weeks == [(D(2025, 9, 29), 360), (D(2025, 10, 6), 0), (D(2025, 10, 13), 360), (D(2025, 10, 27), 240)]
    assert due.days_overdue == 7
    assert "week van 29 september 2025: 6 uur" in due.explanation
    assert "ma 27-10-2025 les 4 (11:30–12:30): O, 60 min" in due.explanation
    assert len(due.lessons) == 16 and all(les.entry_ids for les in due.lessons)


def test_not_reached_when_the_window_would_need_five_lesweken(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        absent(s, p, D(2025, 9, 22))  # 5 lesweken before 27 Oct: outside the window of 27 Oct
        absent(s, p, D(2025, 10, 17))
        absent(s, p, D(2025, 10, 27), range(1, 5))
    assert signals(school_db, D(2025, 11, 3), p, V) == []


def test_exactly_960_is_due_and_959_is_not(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        absent(s, p, D(2025, 11, 3))
        absent(s, p, D(2025, 11, 4))
        absent(s, p, D(2025, 11, 5), range(1, 4))  # 900
        set_entry(s, p, D(2025, 11, 5), 690, 749, "O", by="test", now=NOW)  # 59 minutes → 959
    assert signals(school_db, D(2025, 11, 7), p, V) == []
    with school_db.transaction() as s:
        set_entry(s, p, D(2025, 11, 5), 690, 750, "O", by="test", now=NOW)  # 60 minutes → 960
    [due] = signals(school_db, D(2025, 11, 7), p, V)
    assert (due.begin, due.end, due.minutes) == (D(2025, 11, 3), D(2025, 11, 5), 960)


def test_second_melding_after_the_restart_and_stored_melding_is_the_restart_point(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 5)) + weekdays(D(2025, 11, 10), D(2025, 11, 12)):
            absent(s, p, day)
    first, second = sorted(signals(school_db, D(2025, 11, 14), p, V), key=lambda x: x.end)
    assert (first.begin, first.end, first.minutes) == (D(2025, 11, 3), D(2025, 11, 5), 1080)
    assert (second.begin, second.end, second.minutes) == (D(2025, 11, 10), D(2025, 11, 12), 1080)
    # The school files the first melding but with einddatum 10 November: counting restarts after that day.
    with school_db.transaction() as s:
        s.add(Melding(pupil_id=p, kind="V3", begin_date=D(2025, 11, 3), end_date=D(2025, 11, 10),
                      minutes_unauthorised=1440, status=MeldingStatusValue.REGISTERED.value, created_at=NOW))
    assert signals(school_db, D(2025, 11, 14), p, V) == []  # 11 and 12 Nov: 720 < 960
    with school_db.transaction() as s:
        absent(s, p, D(2025, 11, 13), range(1, 5))  # + 240 → 960 after the restart
    [again] = signals(school_db, D(2025, 11, 14), p, V)
    assert (again.begin, again.end, again.minutes) == (D(2025, 11, 11), D(2025, 11, 13), 960)
    # A withdrawn melding is no restart point.
    with school_db.transaction() as s:
        m = s.exec(select(Melding)).one()
        m.status = MeldingStatusValue.WITHDRAWN.value
        s.add(m)
    ends = sorted(x.end for x in signals(school_db, D(2025, 11, 14), p, V))
    assert ends == [D(2025, 11, 5), D(2025, 11, 12)]


def test_eighteenth_birthday_inside_the_window_splits_v3_and_v4(school_db):
    """Issue 9 point 6: only minutes before the 18th birthday count toward V3, only minutes from it toward V4
    (the old expectation, one V4 of 1080 minutes mixing both, was the fault)."""
    group = g5(school_db)
    with school_db.transaction() as s:
        adult = add_pupil(s, "3001", D(2007, 10, 15), group)  # 18 on Wednesday 15 October 2025
        minor = add_pupil(s, "3002", D(2007, 10, 16), group)  # 18 on Thursday 16 October
        for who in (adult, minor):
            for day in weekdays(D(2025, 10, 13), D(2025, 10, 15)):
                absent(s, who, day)
    assert signals(school_db, D(2025, 10, 17), adult, V) == []  # 720 before 18 (V3), 360 from 18 (V4)
    [m] = signals(school_db, D(2025, 10, 17), minor, V)
    assert (m.kind, m.end, m.minutes) == ("V3", D(2025, 10, 15), 1080)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 10, 16), D(2025, 10, 17)):
            absent(s, adult, day)
    [a] = signals(school_db, D(2025, 10, 17), adult, V)
    assert (a.kind, a.begin, a.end, a.minutes) == ("V4", D(2025, 10, 15), D(2025, 10, 17), 1080)
    assert "18+" in a.title and not a.mandatory and a.duty_label == "optioneel"


def test_pupil_leaving_mid_window(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 5)):
            absent(s, p, day)
        pupil = s.get(Pupil, p)
        pupil.left_on = D(2025, 11, 3)  # left on Monday: Tuesday and Wednesday are no longer scheduled
        s.add(pupil)
    assert signals(school_db, D(2025, 11, 7), p, V) == []
    with school_db.transaction() as s:
        pupil = s.get(Pupil, p)
        pupil.left_on = D(2025, 11, 5)
        s.add(pupil)
    [due] = signals(school_db, D(2025, 11, 7), p, V)
    assert due.end == D(2025, 11, 5)


def test_opbouwrooster_pupil_counts_only_own_hours_which_still_count(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        # Monday and Tuesday 8:30–10:30 only: 240 scheduled minutes a week.
        add_deviation(s, p, "opbouwrooster", D(2025, 9, 1), None, [(0, 510, 630), (1, 510, 630)])
        for day in weekdays(D(2025, 9, 8), D(2025, 10, 3)):  # whole days registered, 4 weeks
            absent(s, p, day)
    [due] = signals(school_db, D(2025, 10, 3), p, V)
    assert (due.begin, due.end, due.minutes) == (D(2025, 9, 8), D(2025, 9, 30), 960)
    assert [m for _w, m in due.weeks] == [240, 240, 240, 240]


def test_not_yet_leerplichtig_never_gets_v3(school_db):
    with school_db.transaction() as s:
        from verzuimdesk.model.tables import Group

        g12 = s.exec(select(Group.id).where(Group.key == "g12")).one()
        small = add_pupil(s, "4001", D(2021, 9, 10), g12)  # 4 years old; leerplichtig from 1 October 2026
        for day in weekdays(D(2025, 11, 3), D(2025, 12, 12)):
            absent(s, small, day, range(1, 5))
    found = signals(school_db, D(2025, 12, 15), small)
    assert [x for x in found if x.kind in ("V3", "V4", "LRV", "L", "zorgelijk", "te_laat_ladder")] == []


def test_becoming_leerplichtig_counts_from_that_day(school_db):
    with school_db.transaction() as s:
        from verzuimdesk.model.tables import Group

        g12 = s.exec(select(Group.id).where(Group.key == "g12")).one()
        kid = add_pupil(s, "4002", D(2020, 9, 20), g12)  # 5 on 20 Sep 2025 → leerplichtig from 1 October
        for day in weekdays(D(2025, 9, 29), D(2025, 10, 3)):
            absent(s, kid, day)
    # Monday and Tuesday (not yet leerplichtig) count 0; Wed 360 + Thu 360 + Fri 240 (group 1/2) = 960.
    [due] = signals(school_db, D(2025, 10, 3), kid, V)
    assert (due.begin, due.end, due.minutes) == (D(2025, 10, 1), D(2025, 10, 3), 960)
    assert due.weeks[-1] == (D(2025, 9, 29), 960)


def test_pupils_without_absence_have_no_signals(school_db):
    assert signals(school_db, D(2026, 7, 3)) == []


assert PUPILS[0][0] == "1001"
