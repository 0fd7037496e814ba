"""The inbox: urgency, handling (dismiss → hidden → new absence → back), meldingen never return; tiers."""

from __future__ import annotations

import pytest
from sqlmodel import select

from tests.signals.util import NOW, D, absent, late, signals, weekdays
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.signals import compute_signals, handle_signal
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.register.tiers import TierPolicy, get_tier_policy, save_tier_policy, tier_period, tiers
from verzuimdesk.model.tables import Group, Pupil
from verzuimdesk.model.tables.law import ContactMoment, Melding, SignalHandling


def ids(db) -> dict[str, int]:
    with db.session() as s:
        return {p.key: p.id for p in s.exec(select(Pupil)).all()}


def test_mandatory_first_then_longest_overdue(school_db):
    p = ids(school_db)
    with school_db.transaction() as s:
        absent(s, p["1001"], D(2025, 11, 3), range(1, 5))  # zorgelijk hours for 1001 (with the next line)
        absent(s, p["1001"], D(2025, 11, 4), range(1, 5))
        for day in weekdays(D(2025, 11, 10), D(2025, 11, 12)):
            absent(s, p["1002"], day)  # V3 on 12 Nov
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 5)):
            absent(s, p["1003"], day)  # V3 on 5 Nov: longer overdue
    found = signals(school_db, D(2025, 11, 14))
    assert [(x.pupil_key, x.kind) for x in found][:2] == [("1003", "V3"), ("1002", "V3")]
    assert {x.kind for x in found[2:]} == {"zorgelijk"} and "1001" in {x.pupil_key for x in found[2:]}
    assert [x.days_overdue for x in found[:2]] == [9, 2]


def test_dismiss_hides_until_new_absence(school_db):
    p = ids(school_db)["1001"]
    with school_db.transaction() as s:
        absent(s, p, D(2025, 11, 3))
        absent(s, p, D(2025, 11, 4), range(1, 3))  # 480: zorgelijk (8 hours in 4 lesweken)
    [sig] = signals(school_db, D(2025, 11, 7), p)
    with school_db.transaction() as s:
        with pytest.raises(ValidationError, match="reden"):
            handle_signal(s, sig, "afgewezen", "  ", by="directeur")
        handle_signal(s, sig, "afgewezen", "Afspraak met ouders, al besproken", by="directeur", now=NOW)
    assert signals(school_db, D(2025, 11, 7), p) == []
    with school_db.transaction() as s:
        assert len(compute_signals(s, D(2025, 11, 7), [p], include_handled=True)) == 1
        absent(s, p, D(2025, 11, 4), [3])  # new absence behind the same signal
    [back] = signals(school_db, D(2025, 11, 7), p)
    assert back.key == sig.key and back.new_since_handling and back.previous_action == "afgewezen"
    assert back.explanation.startswith("Nieuw verzuim sinds afhandeling (afgewezen op 1 januari 2026 door directeur)")


def test_melding_never_returns_and_gesprek_plans_a_conversation(school_db):
    p = ids(school_db)["1001"]
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 5)):
            absent(s, p, day)
    [v3] = signals(school_db, D(2025, 11, 7), p, ("V3",))
    with school_db.transaction() as s:
        m = Melding(pupil_id=p, kind="V3", begin_date=v3.begin, end_date=v3.end, created_at=NOW)
        s.add(m)
        s.flush()
        handle_signal(s, v3, "melding", by="directeur", melding_id=m.id)
        with pytest.raises(ValidationError):
            handle_signal(s, v3, "melding", by="directeur", melding_id=99999)
        with pytest.raises(ValidationError, match="verplichte melding"):
            handle_signal(s, v3, "signaal", by="directeur")
        absent(s, p, D(2025, 11, 3), [1])  # changes the fingerprint: still never back
    assert signals(school_db, D(2025, 11, 7), p, ("V3",)) == []
    # issue 9 point 4: the hours of the melding are no zorgelijk verzuim as well (they used to be)
    assert signals(school_db, D(2025, 11, 7), p, ("zorgelijk",)) == []
    p = ids(school_db)["1002"]
    with school_db.transaction() as s:
        absent(s, p, D(2025, 11, 3))
        absent(s, p, D(2025, 11, 4), [1, 2])  # 8 hours: zorgelijk
    [zorgelijk] = signals(school_db, D(2025, 11, 7), p, ("zorgelijk",))
    with school_db.transaction() as s:
        row = handle_signal(s, zorgelijk, "gesprek", "met moeder", by="ib", planned_on=D(2025, 11, 12))
        contact = s.exec(select(ContactMoment)).one()
        assert contact.planned and contact.date == D(2025, 11, 12) and "Zorgelijk verzuim" in contact.summary
        assert row.action == "gesprek" and s.exec(select(SignalHandling)).all()[-1].fingerprint == zorgelijk.fingerprint
    assert signals(school_db, D(2025, 11, 7), p) == []


def test_care_signal_cannot_go_to_the_leerplichtambtenaar(school_db):
    p = ids(school_db)["1001"]
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 11)):
            absent(s, p, day, code="Z")
    [care] = signals(school_db, D(2025, 11, 14), p)
    with school_db.transaction() as s, pytest.raises(ValidationError, match="zorgsignaal"):
        handle_signal(s, care, "melding", by="directeur")


def test_group_and_pupil_selection(school_db):
    p = ids(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 5)):
            absent(s, p["1001"], day)
            absent(s, p["2001"], day)
        g5 = s.exec(select(Group.id).where(Group.key == "g5")).one()
        assert {x.pupil_id for x in compute_signals(s, D(2025, 11, 7), group_id=g5)} == {p["1001"]}
        assert {x.pupil_id for x in compute_signals(s, D(2025, 11, 7))} == {p["1001"], p["2001"]}


def test_tiers_per_pupil_group_and_school(school_db):
    p = ids(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 9, 1), D(2025, 9, 2)):
            absent(s, p["1001"], day, code="Z")  # authorised counts too: total absence
        absent(s, p["1002"], D(2025, 9, 3), range(1, 4))
        save_tier_policy(s, TierPolicy(niveau2_from=2.0, niveau3_from=10.0, weeks=2))
        policy = get_tier_policy(s)
        g5 = s.exec(select(Group.id).where(Group.key == "g5")).one()
    assert tier_period(policy, D(2025, 9, 5), D(2025, 8, 1)) == (D(2025, 8, 23), D(2025, 9, 5))
    with school_db.session() as s:
        start, end = tier_period(policy, D(2025, 9, 5), D(2025, 8, 1))
        rows = tiers(FiguresEngine(s, start, end), policy, start, end, group_ids=[g5])
    by = {(r.what, r.id): r for r in rows}
    # two lesweken (25 Aug – 5 Sep) of 1800 minutes: 720 / 3600 = 20 % → 3; 180 / 3600 = 5 % → 2; 0 → 1
    assert (by[("leerling", p["1001"])].absent_pct, by[("leerling", p["1001"])].tier) == (20.0, 3)
    assert by[("leerling", p["1002"])].tier == 2 and by[("leerling", p["1003"])].tier == 1
    assert by[("groep", g5)].absent_pct == pytest.approx(100 * 900 / 10800, abs=0.01)
    assert by[("school", None)].net_scheduled == 3 * 3600 + 2 * (4 * 360 + 240)
    with school_db.transaction() as s, pytest.raises(ValidationError):
        save_tier_policy(s, TierPolicy(niveau2_from=10.0, niveau3_from=5.0))
    assert TierPolicy().tier(4.99) == 1 and TierPolicy().tier(5.0) == 2 and TierPolicy().tier(10.0) == 3


def test_lateness_is_explained_per_lesson(school_db):
    p = ids(school_db)["1001"]
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 7)):
            late(s, p, day, 4)
    [ladder] = signals(school_db, D(2025, 11, 7), p, ("te_laat_ladder",))
    assert "les 1 (08:30–09:30): T (te laat), 4 min" in ladder.explanation


def test_one_pupil_gives_that_pupils_part_of_the_full_computation(school_db):
    p = ids(school_db)
    with school_db.transaction() as s:
        for day in weekdays(D(2025, 11, 3), D(2025, 11, 7)):
            absent(s, p["1001"], day, range(1, 5))
            late(s, p["1002"], day, 6, lesson=2)
            absent(s, p["1003"], day, [1], code="Z")
        late(s, p["1002"], D(2025, 11, 10), 6, lesson=2)  # the 6th time late: zorgelijk (1001's hours are a V3 now)
        absent(s, p["2001"], D(2025, 12, 19))
    everything = signals(school_db, D(2026, 1, 9))
    assert {x.kind for x in everything} >= {"V3", "zorgelijk", "te_laat_ladder", "L"}
    for key, pupil_id in p.items():
        own = signals(school_db, D(2026, 1, 9), pupil_id)
        assert [(x.key, x.minutes, x.fingerprint) for x in own] == [
            (x.key, x.minutes, x.fingerprint) for x in everything if x.pupil_id == pupil_id], key
