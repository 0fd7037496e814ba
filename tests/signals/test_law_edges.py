"""Issue 9, points 1–6, as dated cases on the small school (tests/builders.py; group 5: six lessons of 60
minutes a day; region noord): a due melding never disappears, continuous absence and LRV once, a melding
without einddatum covers its span, zorgelijk verzuim below the threshold only, luxe verzuim duty vs check,
18+ (V4 optional, RMC) and the vso profiles of art. 4a lid 2 Lpw."""

from __future__ import annotations

import datetime as dt

from sqlmodel import select

from tests.builders import YEAR_START, lessons_full_days
from tests.signals.util import NOW, D, absent, add_pupil, signals, weekdays
from verzuimdesk.model.law.leerplicht import LeerplichtStatus, leerplicht_status
from verzuimdesk.model.law.meldingen import create_melding
from verzuimdesk.model.law.signals import handle_signal
from verzuimdesk.model.law.signals.policy import DEFAULT_RULES, RuleSpec
from verzuimdesk.model.register.timetable import set_group_timetable
from verzuimdesk.model.school.calendar import create_school_year
from verzuimdesk.model.school.records import place_in_group, save_group
from verzuimdesk.model.tables import Group, Pupil
from verzuimdesk.model.tables.law import (
    LeaveRequest,
    LeaveStatus,
    Melding,
    MeldingStatusValue,
    RuleKind,
    SignalRule,
)

DUTIES = ("V3", "V4", "LRV", "L", "RMC")


def pid(db, key: str = "1001") -> int:
    with db.session() as s:
        return s.exec(select(Pupil.id).where(Pupil.key == key)).one()


def g5(db) -> int:
    with db.session() as s:
        return s.exec(select(Group.id).where(Group.key == "g5")).one()


def stored(db, pupil: int, kind: str, begin: dt.date, end: dt.date | None) -> None:
    with db.transaction() as s:
        s.add(Melding(pupil_id=pupil, kind=kind, begin_date=begin, end_date=end, created_at=NOW,
                      status=MeldingStatusValue.REGISTERED.value))


# ------------------------------------------------------------------------------ 1. never disappears


def test_a_due_melding_stays_across_1_august_with_its_school_days(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        create_school_year(s, "2026-2027", "noord")
        for day in weekdays(D(2026, 6, 8), D(2026, 6, 10)):
            absent(s, p, day)  # 3 × 6 h: 16 hours reached on Wednesday 10 June 2026
    [v3] = signals(school_db, D(2026, 9, 15), p, ("V3",))
    assert (v3.begin, v3.end, v3.minutes, v3.mandatory) == (D(2026, 6, 8), D(2026, 6, 10), 1080, True)
    # 11 June – 3 July: 17 school days; summer holiday noord 4 July – 16 August; 17 Aug – 15 Sept: 22.
    assert v3.school_days_due == 39
    assert "sinds 39 schooldagen" in v3.explanation


def test_a_due_melding_stays_beyond_the_look_back_until_handled(school_db):
    p, q = pid(school_db), pid(school_db, "1002")
    with school_db.transaction() as s:
        create_school_year(s, "2026-2027", "noord")
        for day in weekdays(D(2025, 9, 15), D(2025, 9, 17)):
            absent(s, p, day)
            absent(s, q, day)
    on = D(2026, 11, 2)  # fourteen months later, a school year on
    [v3] = signals(school_db, on, p, ("V3",))
    assert (v3.begin, v3.end) == (D(2025, 9, 15), D(2025, 9, 17))
    [other] = signals(school_db, on, q, ("V3",))
    with school_db.transaction() as s:
        handle_signal(s, v3, "afgewezen", "registratiefout: de leerling was op kamp", by="directeur")
        m = create_melding(s, q, "V3", other.begin, other.end, by="directeur")
        handle_signal(s, other, "melding", by="directeur", melding_id=m.id)
    assert signals(school_db, on, p, DUTIES) == [] and signals(school_db, on, q, DUTIES) == []
    # the full computation agrees with the per-pupil one
    assert [x for x in signals(school_db, on) if x.kind in DUTIES] == []


def test_the_second_counting_is_bounded_by_the_previous_school_year(school_db):
    """The counting of older open absence starts no earlier than the look-back of the previous school year
    (inbox.deep_bound): a duty of last year stays for the whole of this year, one of two years ago is no
    longer asked for, and absence of long ago does not make the counting load the whole history."""
    from verzuimdesk.model.law.signals.inbox import _deep_starts, deep_bound

    p = pid(school_db)
    with school_db.transaction() as s:
        for name in ("2026-2027", "2027-2028"):
            create_school_year(s, name, "noord")
        for day in weekdays(D(2025, 9, 15), D(2025, 9, 17)):
            absent(s, p, day)  # V3 due on 17 September 2025, never handled
    assert [x.end for x in signals(school_db, D(2027, 7, 2), p, ("V3",))] == [D(2025, 9, 17)]  # a year on
    assert signals(school_db, D(2027, 9, 15), p, DUTIES) == []  # two school years on: beyond the bound
    with school_db.session() as s:
        bound = deep_bound(s, D(2027, 8, 1))
        assert D(2026, 6, 1) <= bound < D(2026, 8, 1) and bound.weekday() == 0
        assert _deep_starts(s, None, D(2027, 6, 21), {}, bound, {}) == {}  # the 2025 absence is not walked back to
        assert _deep_starts(s, None, D(2027, 6, 21), {}, deep_bound(s, D(2026, 8, 1)), {}) == {p: D(2025, 9, 15)}


def test_a_duty_once_found_never_disappears_beyond_the_bound(school_db):
    """Issue 9 point 1, "across any look-back limit": the daily search (duties.record_duties) marks the V3 while it
    is in reach; two and three school years on, the mark makes the counting reach back to it, until a melding
    closes it. The search is also what switches the everyday count to the pupils with an open mark."""
    from verzuimdesk.model.law.signals.duties import record_duties, searched_on

    p = pid(school_db)
    with school_db.transaction() as s:
        for name in ("2026-2027", "2027-2028", "2028-2029"):
            create_school_year(s, name, "noord")
        for day in weekdays(D(2025, 9, 15), D(2025, 9, 17)):
            absent(s, p, day)  # V3 due on 17 September 2025, never handled
        assert record_duties(s, D(2025, 10, 1)) == 1 and searched_on(s) == D(2025, 10, 1)
        assert record_duties(s, D(2025, 10, 2)) == 0  # marked once
    for later in (D(2027, 9, 15), D(2028, 10, 2)):
        assert [x.end for x in signals(school_db, later, p, ("V3",))] == [D(2025, 9, 17)]
    with school_db.transaction() as s:
        assert record_duties(s, D(2028, 10, 2)) == 0  # a search in the new year finds it again through the mark
        create_melding(s, p, "V3", D(2025, 9, 15), D(2025, 9, 17), by="test")
    assert signals(school_db, D(2028, 10, 2), p, DUTIES) == []  # the melding closes it


def test_zorgelijk_of_last_year_is_not_carried_over(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        create_school_year(s, "2026-2027", "noord")
        absent(s, p, D(2026, 6, 8))
        absent(s, p, D(2026, 6, 9), [1, 2])  # 8 hours: zorgelijk, not a duty
    assert [x.kind for x in signals(school_db, D(2026, 6, 12), p, ("zorgelijk",))] == ["zorgelijk"]
    assert signals(school_db, D(2026, 9, 15), p) == []


# --------------------------------------------------------------------- 2. continuous absence, 3. LRV


def test_six_weeks_away_one_v3_weekly_repeats_then_one_lrv(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 12, 12)):
            absent(s, p, day)
    found = sorted(signals(school_db, D(2025, 12, 12), p, DUTIES), key=lambda x: (x.end, x.kind))
    assert [(x.kind, x.begin, x.end, x.repeat) for x in found] == [
        ("V3", D(2025, 11, 3), D(2025, 11, 5), 0),
        ("V3", D(2025, 11, 6), D(2025, 11, 12), 1),
        ("V3", D(2025, 11, 13), D(2025, 11, 19), 2),
        ("V3", D(2025, 11, 20), D(2025, 11, 26), 3),
        ("LRV", D(2025, 11, 3), D(2025, 12, 1), 0),
    ]  # before issue 9: a "verplicht" V3 every three days (5, 8 … Nov) and an LRV every 4 lesweken
    assert "herhaalmelding 2 van 4" in found[2].title and "7 kalenderdagen" in found[2].explanation
    assert found[-1].until is None and "einddatum open" in found[-1].explanation


def test_after_a_stored_lrv_with_open_end_nothing_is_asked_again(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 12, 19)):
            absent(s, p, day)
    stored(school_db, p, "V3", D(2025, 11, 3), D(2025, 11, 5))
    stored(school_db, p, "LRV", D(2025, 11, 3), None)
    assert [x.kind for x in signals(school_db, D(2025, 12, 19), p, DUTIES + ("zorgelijk",))] == []


def test_open_v3_melding_covers_its_span(school_db):
    p = pid(school_db)
    stored(school_db, p, "V3", D(2025, 11, 3), None)  # einddatum not yet known
    with school_db.transaction() as s:
        absent(s, p, D(2025, 11, 3))
        for day in weekdays(D(2025, 11, 17), D(2025, 11, 19)):
            absent(s, p, day, range(1, 7))
    assert signals(school_db, D(2025, 11, 21), p, DUTIES + ("zorgelijk",)) == []


# ------------------------------------------------------------------------------ 4. zorgelijk below 16 h


def test_zorgelijk_does_not_fire_on_absence_that_is_a_v3(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 5)):
            absent(s, p, day)  # 8 h reached on Tuesday, 16 h on Wednesday
    found = signals(school_db, D(2025, 11, 7), p)
    assert [x.kind for x in found] == ["V3"]


def test_drafting_a_signal_never_brings_the_same_lessons_back(school_db):
    """Three Mondays, lessons 1–3: the hours rule, the weekday rule and the first-lesson rule fire on the
    same nine lessons. Once the school drafts a signaal zorgelijk verzuim from one of them, the lessons are in
    a melding and the other rules no longer count them."""
    p = pid(school_db)
    with school_db.transaction() as s:
        for day in (D(2025, 11, 3), D(2025, 11, 10), D(2025, 11, 17)):
            absent(s, p, day, [1, 2, 3])
    found = signals(school_db, D(2025, 11, 21), p, ("zorgelijk",))
    assert len(found) == 3 and {x.begin for x in found} == {D(2025, 11, 3)}
    hours = next(x for x in found if "uur" in x.title)
    with school_db.transaction() as s:
        m = create_melding(s, p, "O", hours.begin, hours.end, by="ib")
        handle_signal(s, hours, "signaal", "spijbelt op maandag", by="ib", melding_id=m.id)
    assert signals(school_db, D(2025, 11, 21), p, ("zorgelijk",)) == []
    with school_db.transaction() as s:
        absent(s, p, D(2025, 11, 24), [1])  # a fourth Monday: one new lesson, no pattern on its own
    assert signals(school_db, D(2025, 11, 28), p, ("zorgelijk",)) == []


# ------------------------------------------------------------------------------ 5. luxe: duty vs check


def test_one_lesson_in_a_refused_leave_period_is_a_duty(school_db):
    p = pid(school_db)
    with school_db.transaction() as s:
        s.add(LeaveRequest(pupil_id=p, kind="vakantieverlof", date_from=D(2025, 11, 10), date_to=D(2025, 11, 10),
                           received_on=D(2025, 10, 1), status=LeaveStatus.REFUSED.value, created_at=NOW))
        absent(s, p, D(2025, 11, 10), [5, 6])
    [luxe] = signals(school_db, D(2025, 11, 14), p, ("L", "luxe_controle"))
    assert (luxe.kind, luxe.mandatory, luxe.minutes) == ("L", True, 120)


def test_nearly_whole_day_before_a_holiday_is_a_duty_a_lesson_is_a_check(school_db):
    p, q = pid(school_db), pid(school_db, "1002")
    with school_db.transaction() as s:
        absent(s, p, D(2025, 10, 17), range(2, 7))  # 5 of 6 lessons before the autumn holiday: nearly whole
        absent(s, q, D(2025, 10, 17), [6])  # the last lesson only
    [duty] = signals(school_db, D(2025, 10, 31), p, ("L", "luxe_controle"))
    [check] = signals(school_db, D(2025, 10, 31), q, ("L", "luxe_controle"))
    assert (duty.kind, duty.duty_label, duty.title) == ("L", "verplicht", "Melding verplicht: luxe verzuim (L)")
    assert (check.kind, check.duty_label) == ("luxe_controle", "controleren")
    assert check.title.startswith("Controleren") and not check.mandatory


def test_default_rules_are_proportionate_and_the_rule_text_in_force_is_quoted(school_db):
    around = next(d for d in DEFAULT_RULES if d.kind == RuleKind.AROUND_HOLIDAY)
    assert around.threshold >= 2
    signals(school_db, D(2025, 11, 3))  # stores the default rules
    with school_db.transaction() as s:
        rule = s.exec(select(SignalRule).where(SignalRule.kind == RuleKind.AROUND_HOLIDAY.value)).one()
        rule.description = "een oude tekst"  # a stored text of an older version
        s.add(rule)
        s.flush()
        assert "te laat komen telt hier niet mee" in RuleSpec.of(rule).description


# ------------------------------------------------------------------------------ 6. 18+ and vso


def test_eighteen_plus_v4_optional_and_rmc_after_a_month(school_db):
    with school_db.transaction() as s:
        adult = add_pupil(s, "3001", D(2007, 9, 1), g5(school_db))  # 18 on 1 September 2025
        for day in weekdays(D(2025, 11, 3), D(2025, 12, 5)):
            absent(s, adult, day)
    found = sorted(signals(school_db, D(2025, 12, 5), adult), key=lambda x: (x.end, x.kind))
    assert {x.kind for x in found} == {"V4", "RMC"}  # no V3, no LRV, no zorgelijk: not under the Lpw
    assert all(not x.mandatory and x.duty_label == "optioneel" for x in found if x.kind == "V4")
    [rmc] = [x for x in found if x.kind == "RMC"]
    assert (rmc.begin, rmc.end, rmc.mandatory) == (D(2025, 11, 3), D(2025, 12, 3), True)
    assert "Melding verplicht: RMC" in rmc.title


def _vso_pupil(db, profile: str, key: str) -> int:
    with db.transaction() as s:
        group = save_group(s, Group(key=f"vso-{key}", name=f"VSO {profile}", jaargroep="V", uitstroomprofiel=profile))
        assert group.id is not None
        set_group_timetable(s, group.id, lessons_full_days())
        pupil = add_pupil(s, key, D(2008, 3, 1), group.id)  # 17: full leerplicht ended 31 July 2024
        place_in_group(s, pupil, group.id, YEAR_START)
        return pupil


def test_vso_arbeidsmarkt_is_not_kwalificatieplichtig_after_16(school_db):
    work = _vso_pupil(school_db, "arbeidsmarkt", "4001")
    onward = _vso_pupil(school_db, "vervolgonderwijs", "4002")
    assert leerplicht_status(D(2008, 3, 1), D(2025, 11, 3), "Arbeidsmarkt") == LeerplichtStatus.NOT_KWALIFICATIEPLICHTIG
    assert leerplicht_status(D(2008, 3, 1), D(2025, 11, 3), "vervolgonderwijs") == LeerplichtStatus.KWALIFICATIEPLICHTIG
    with school_db.transaction() as s:
        for who in (work, onward):
            for day in weekdays(D(2025, 11, 3), D(2025, 12, 5)):
                absent(s, who, day)
    assert {x.kind for x in signals(school_db, D(2025, 12, 5), work)} == {"RMC"}
    assert {"V3", "LRV"} <= {x.kind for x in signals(school_db, D(2025, 12, 5), onward)}


def test_status_follows_the_profile_in_the_pupil_list_and_header(school_db):
    from verzuimdesk.model.law.leerplicht import lpw_scope_end
    from verzuimdesk.model.law.views import pupil_header
    from verzuimdesk.model.setup.pupils_groups import pupil_rows

    work = _vso_pupil(school_db, "dagbesteding", "4003")
    with school_db.session() as s:
        [row] = [r for r in pupil_rows(s, D(2025, 11, 3)) if r.key == "4003"]
        header = pupil_header(s, work, D(2025, 11, 3))
    assert row.status == header.status == LeerplichtStatus.NOT_KWALIFICATIEPLICHTIG.value
    assert lpw_scope_end(D(2008, 3, 1), "dagbesteding") == D(2024, 7, 31)
    assert lpw_scope_end(D(2008, 3, 1), "vervolgonderwijs") == D(2026, 2, 28)


def test_the_settings_list_shows_the_rule_text_in_force(school_db):
    from verzuimdesk.model.law.signals.rules import list_rules

    with school_db.transaction() as s:
        for rule in list_rules(s):
            rule.description = "tekst van een oudere versie"
            s.add(rule)
    with school_db.transaction() as s:
        texts = {r.kind: r.description for r in list_rules(s)}
    assert "te laat komen telt hier niet mee" in texts[RuleKind.AROUND_HOLIDAY.value]
    assert "oudere versie" not in "".join(texts.values())
