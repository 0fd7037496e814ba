"""Lateness policy, LRV, luxe verzuim, the school's zorgelijk rules and the care rules (worked examples)."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.signals.util import NOW, D, absent, add_pupil, late, signals, weekdays
from verzuimdesk.model.law.signals.counting import Counter
from verzuimdesk.model.law.signals.policy import (
    FIXED_MINUTES,
    WHOLE_LESSON,
    LatenessPolicy,
    MeldingPolicy,
    get_lateness_policy,
    save_lateness_policy,
    save_melding_policy,
)
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.tables import Group, Pupil
from verzuimdesk.model.tables.law import LeaveRequest, LeaveStatus, RuleKind, SignalRule


def pid(db, key: str = "1001") -> int:
    with db.session() as s:
        return s.exec(select(Pupil.id).where(Pupil.key == key)).one()


def rule_signals(db, on, p, kind: RuleKind):
    found = signals(db, on, p)  # stores the default rules on first use
    with db.session() as s:
        rule_id = s.exec(select(SignalRule.id).where(SignalRule.kind == kind.value)).one()
    return [x for x in found if x.rule_id == rule_id]


# ------------------------------------------------------------------------------------------- lateness


@pytest.mark.parametrize(("policy", "per_time"), [
    (LatenessPolicy(), 10),
    (LatenessPolicy(mode=WHOLE_LESSON), 60),
    (LatenessPolicy(mode=FIXED_MINUTES, fixed_minutes=30), 30),
    (LatenessPolicy(mode=FIXED_MINUTES, fixed_minutes=90), 60),  # never more than the lesson
])  # fmt: skip
def test_lateness_counts_per_policy(school_db, policy, per_time):
    p = pid(school_db)
    with school_db.transaction() as s:
        save_lateness_policy(s, policy)
        late(s, p, D(2025, 11, 3), 10)
        late(s, p, D(2025, 11, 4), 10, lesson=3)
        late(s, p, D(2025, 11, 4), 5, lesson=5, code="TG")  # authorised lateness never counts
        assert get_lateness_policy(s) == policy
    with school_db.session() as s:
        engine = FiguresEngine(s, D(2025, 11, 1), D(2025, 11, 7), [p])
        days = Counter(engine, policy).pupil(p, D(2016, 3, 1), D(2025, 11, 1), D(2025, 11, 7))
    assert days.unauthorised_per_day() == {D(2025, 11, 3): per_time, D(2025, 11, 4): per_time}
    assert days.unauthorised_per_week()[D(2025, 11, 3)] == 2 * per_time
    assert days.events[D(2025, 11, 4)].late == 1


def test_whole_lesson_policy_makes_sixteen_lateness_a_melding(school_db):
    p = pid(school_db)
    days = weekdays(D(2025, 11, 3), D(2025, 11, 14)) + weekdays(D(2025, 11, 17), D(2025, 11, 24))
    with school_db.transaction() as s:
        for day in days[:16]:
            late(s, p, day, 5)
    assert signals(school_db, D(2025, 11, 28), p, ("V3",)) == []  # 80 actual minutes
    with school_db.transaction() as s:
        save_lateness_policy(s, LatenessPolicy(mode=WHOLE_LESSON))
    [due] = signals(school_db, D(2025, 11, 28), p, ("V3",))
    assert (due.begin, due.end, due.minutes) == (days[0], days[15], 960)
    assert "(te laat)" in due.explanation


def test_lateness_ladder(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 9, 1), D(2025, 9, 5)):
            late(s, p, day, 3)
    found = signals(school_db, D(2025, 9, 5), p, ("te_laat_ladder",))
    assert [(x.begin, x.end) for x in found] == [(D(2025, 9, 1), D(2025, 9, 3))]
    assert "gesprek" in found[0].title
    with school_db.transaction() as s:
        save_lateness_policy(s, LatenessPolicy(ladder_enabled=False))
    assert signals(school_db, D(2025, 9, 5), p, ("te_laat_ladder",)) == []


def test_two_ladder_steps_reached_on_one_day_both_have_that_day(school_db):
    """Regression: late in three lessons on one day with steps at 1 and 2 gives two findings that both
    begin and end on that day (the second one had no begin date)."""
    from verzuimdesk.model.law.signals.policy import LadderStep

    p = pid(school_db)
    with school_db.transaction() as s:
        save_lateness_policy(s, LatenessPolicy(ladder=(LadderStep(1, "gesprek"), LadderStep(2, "brief"))))
        for lesson in (1, 2, 3):
            late(s, p, D(2025, 9, 2), 5, lesson=lesson)
    found = signals(school_db, D(2025, 9, 5), p, ("te_laat_ladder",))
    assert [(x.begin, x.end) for x in found] == [(D(2025, 9, 2), D(2025, 9, 2))] * 2
    assert ["gesprek" in found[0].title, "brief" in found[1].title] == [True, True]


# ------------------------------------------------------------------------------------------------ LRV


def test_lrv_after_more_than_four_lesweken(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 28)):  # exactly 4 lesweken: not yet "more than"
            absent(s, p, day)
    assert signals(school_db, D(2025, 11, 28), p, ("LRV",)) == []
    with school_db.transaction() as s:
        absent(s, p, D(2025, 12, 1))
    [lrv] = signals(school_db, D(2025, 12, 2), p, ("LRV",))
    assert (lrv.begin, lrv.end, lrv.days_overdue) == (D(2025, 11, 3), D(2025, 12, 1), 1)
    assert lrv.mandatory and "sinds 03-11-2025" in lrv.explanation


def test_lrv_once_with_an_open_end_across_the_holiday(school_db):
    """Issue 9 point 3: LRV is due once per run (the old expectation, a new LRV every 4 lesweken, was the
    fault); its einddatum stays open while the pupil stays away and is named once he is back."""
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 17), D(2025, 12, 19)) + weekdays(D(2026, 1, 5), D(2026, 1, 30)):
            absent(s, p, day)
    [lrv] = signals(school_db, D(2026, 1, 30), p, ("LRV",))
    assert (lrv.begin, lrv.end, lrv.until) == (D(2025, 11, 17), D(2025, 12, 15), None)
    assert "einddatum open" in lrv.explanation and "één keer" in lrv.explanation
    with school_db.transaction() as s:
        absent(s, p, D(2026, 2, 2), [1])  # back on Monday 2 February (one lesson missed)
    [lrv] = signals(school_db, D(2026, 2, 3), p, ("LRV",))
    assert (lrv.begin, lrv.end, lrv.until) == (D(2025, 11, 17), D(2025, 12, 15), D(2026, 1, 30))
    assert "tot en met 30 januari 2026: dat is de einddatum" in lrv.explanation


def test_lrv_run_broken_by_a_present_day(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 12, 5)):
            if day != D(2025, 11, 19):
                absent(s, p, day)
    assert signals(school_db, D(2025, 12, 5), p, ("LRV",)) == []


# ----------------------------------------------------------------------------------------------- luxe


def test_leave_refused_then_absent_is_luxe_verzuim(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        s.add(LeaveRequest(pupil_id=p, kind="vakantieverlof", date_from=D(2025, 11, 10), date_to=D(2025, 11, 12),
                           received_on=D(2025, 10, 1), status=LeaveStatus.REFUSED.value, created_at=NOW))
        for day in weekdays(D(2025, 11, 10), D(2025, 11, 12)):
            absent(s, p, day, code="X")  # "reden onbekend": unauthorised until resolved
    [luxe] = signals(school_db, D(2025, 11, 14), p, ("L",))
    assert (luxe.begin, luxe.end, luxe.minutes) == (D(2025, 11, 10), D(2025, 11, 12), 1080)
    assert "verlof was geweigerd" in luxe.explanation


def test_absent_around_the_christmas_holiday_is_one_luxe_signal(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        absent(s, p, D(2025, 12, 18))
        absent(s, p, D(2025, 12, 19))  # last school day before the holiday (20 Dec – 4 Jan)
        absent(s, p, D(2026, 1, 5), range(1, 3))  # first school day after, two lessons
    # Issue 9 point 5: the two whole days are the duty; two lessons on 5 January are a check, not part of
    # the melding (the old expectation, one L of 840 minutes with the two lessons, was the fault).
    [luxe] = signals(school_db, D(2026, 1, 9), p, ("L",))
    assert (luxe.begin, luxe.end, luxe.minutes) == (D(2025, 12, 18), D(2025, 12, 19), 720)
    assert "kerstvakantie" in luxe.explanation and luxe.mandatory
    [check] = signals(school_db, D(2026, 1, 9), p, ("luxe_controle",))
    assert (check.begin, check.minutes, check.mandatory, check.duty_label) == (D(2026, 1, 5), 120, False, "controleren")
    # the zorgelijk "around a holiday" rule does not repeat what the luxe signal covers
    assert rule_signals(school_db, D(2026, 1, 9), p, RuleKind.AROUND_HOLIDAY) == []


def test_long_weekend_is_opt_in_and_reason_code_l(school_db):
    """Issue 9 point 5: long weekends count only when the school opts in (the old default counted them)."""
    p = pid(school_db)
    with school_db.transaction() as s:
        absent(s, p, D(2026, 4, 2))  # Thursday before Goede Vrijdag + Easter Monday
        absent(s, p, D(2026, 3, 11), range(2, 4), code="L")  # any day registered as luxe verzuim
    found = signals(school_db, D(2026, 4, 10), p, ("L",))
    assert [(x.begin, x.end) for x in found] == [(D(2026, 3, 11), D(2026, 3, 11))]
    with school_db.transaction() as s:
        save_melding_policy(s, MeldingPolicy(luxe_long_weekend=True))
    found = signals(school_db, D(2026, 4, 10), p, ("L",))
    assert [(x.begin, x.end) for x in sorted(found, key=lambda x: x.begin)] == [
        (D(2026, 3, 11), D(2026, 3, 11)), (D(2026, 4, 2), D(2026, 4, 2))]


def test_once_late_before_a_holiday_is_nothing_twice_a_lesson_is_zorgelijk(school_db):
    """Issue 9 point 5: the default rules are proportionate (the old default fired on one lateness)."""
    p = pid(school_db)
    with school_db.transaction() as s:
        late(s, p, D(2025, 10, 17), 20)
    assert signals(school_db, D(2025, 10, 31), p, ("L", "luxe_controle", "zorgelijk")) == []
    with school_db.transaction() as s:
        absent(s, p, D(2025, 12, 19), [6])  # last lesson before the Christmas holiday: a check
    assert [x.kind for x in signals(school_db, D(2026, 1, 9), p, ("L", "luxe_controle"))] == ["luxe_controle"]
    with school_db.transaction() as s:
        absent(s, p, D(2025, 10, 27), [1])  # and the first lesson after the autumn holiday
    [z] = rule_signals(school_db, D(2026, 1, 9), p, RuleKind.AROUND_HOLIDAY)
    assert (z.kind, z.begin, z.end) == ("zorgelijk", D(2025, 10, 27), D(2025, 12, 19))


# --------------------------------------------------------------------------------------- zorgelijk rules


def test_hours_rule(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        absent(s, p, D(2025, 11, 3))
        absent(s, p, D(2025, 11, 11), range(1, 3))  # 360 + 120 = 480 = 8 hours
    [z] = rule_signals(school_db, D(2025, 11, 14), p, RuleKind.HOURS_UNAUTHORISED)
    assert (z.kind, z.begin, z.end, z.minutes) == ("zorgelijk", D(2025, 11, 3), D(2025, 11, 11), 480)
    assert "8 uur of meer" in z.explanation  # the rule's description, as the schoolgids quotes it


def test_times_late_rule(school_db):
    p = pid(school_db)
    days = weekdays(D(2025, 11, 3), D(2025, 11, 28))[::3][:6]  # six times late in four weeks
    with school_db.transaction() as s:
        for day in days:
            late(s, p, day, 7, lesson=2)
    [z] = rule_signals(school_db, D(2025, 11, 28), p, RuleKind.TIMES_LATE)
    assert (z.begin, z.end, z.minutes) == (days[0], days[-1], 42)


def test_same_weekday_rule(school_db):
    p = pid(school_db)
    wednesdays = [D(2025, 11, 5), D(2025, 11, 19), D(2025, 12, 10)]
    with school_db.transaction() as s:
        for day in wednesdays:
            absent(s, p, day, [6])
        absent(s, p, D(2025, 11, 6), [6])  # a Thursday does not add to the Wednesday pattern
    [z] = rule_signals(school_db, D(2025, 12, 12), p, RuleKind.SAME_WEEKDAY)
    assert (z.begin, z.end) == (wednesdays[0], wednesdays[-1])
    assert "woensdag" in z.explanation


def test_same_first_lesson_rule(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        late(s, p, D(2025, 11, 3), 15)
        absent(s, p, D(2025, 11, 10), [1])
        absent(s, p, D(2025, 11, 12))  # a whole day absent is not a first-lesson pattern
        late(s, p, D(2025, 11, 17), 25)
    [z] = rule_signals(school_db, D(2025, 11, 21), p, RuleKind.SAME_FIRST_LESSON)
    assert (z.begin, z.end, z.days) == (D(2025, 11, 3), D(2025, 11, 17), [D(2025, 11, 3), D(2025, 11, 10), D(2025, 11, 17)])


# ------------------------------------------------------------------------------------------------- care


def test_four_sick_reports_in_twelve_school_weeks(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        absent(s, p, D(2025, 9, 1), code="Z")
        absent(s, p, D(2025, 9, 2), code="Z")  # same episode
        absent(s, p, D(2025, 9, 19), code="Z")
        absent(s, p, D(2025, 9, 22), code="Z")  # Friday and Monday: one episode over the weekend
        absent(s, p, D(2025, 10, 8), code="Z")
    assert rule_signals(school_db, D(2025, 11, 1), p, RuleKind.SICK_REPORTS) == []  # 3 episodes
    with school_db.transaction() as s:
        absent(s, p, D(2025, 11, 14), [1, 2], code="Z")  # 4th report, week 11 of the school weeks
    [z] = rule_signals(school_db, D(2025, 11, 20), p, RuleKind.SICK_REPORTS)
    assert (z.kind, z.begin, z.end, z.minutes, z.lessons) == ("zorg", D(2025, 9, 1), D(2025, 11, 14), 0, [])
    assert "jeugdarts" in z.explanation and "Z" not in z.explanation.split("Dagen:")[-1]


def test_seventh_consecutive_sick_school_day(school_db):
    p = pid(school_db)
    days = weekdays(D(2025, 11, 5), D(2025, 11, 14))  # Wed … Fri next week: 8 school days
    with school_db.transaction() as s:
        for day in days:
            absent(s, p, day, code="Z")
    [z] = rule_signals(school_db, D(2025, 11, 14), p, RuleKind.SICK_CONSECUTIVE)
    assert (z.begin, z.end) == (D(2025, 11, 5), days[6])
    assert not z.mandatory


def test_pupil_under_five_still_gets_care_signals(school_db):
    with school_db.transaction() as s:
        g12 = s.exec(select(Group.id).where(Group.key == "g12")).one()
        small = add_pupil(s, "4001", D(2021, 9, 10), g12)
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 12)):
            absent(s, small, day, range(1, 5), code="Z")
    kinds = {x.kind for x in signals(school_db, D(2025, 11, 14), small)}
    assert kinds == {"zorg"}
