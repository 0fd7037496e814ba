"""The demo school: builds on a fresh database, looks like a real school, and is deterministic."""

from __future__ import annotations

import datetime as dt

from sqlmodel import func, select

from verzuimdesk.demo import create_demo_school, ensure_demo
from verzuimdesk.model.db import Database
from verzuimdesk.model.register.entries import registers_not_taken, unexplained_absences
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.tables import AbsenceEntry, Group, Pupil, Source, TimetableDeviation

TODAY = dt.date(2026, 11, 23)
PREV_YEAR = (dt.date(2025, 8, 1), dt.date(2026, 7, 31))


def _sickness_per_school_day(engine: FiguresEngine, start: dt.date, end: dt.date) -> float:
    minutes = sum(f.by_reason.get("Z", 0) for f in engine.pupils_period(start, end).values())
    return minutes / len(engine.calendar.school_days(start, end))


def test_demo_school(sqlite_db: Database) -> None:
    summary = create_demo_school(sqlite_db, today=TODAY, seed=2026)
    assert summary.groups == 10  # groups 1/2a … 8 and the small vso department (demo/vso.py)
    assert 180 <= summary.pupils_enrolled <= 220
    with sqlite_db.session() as s:
        assert s.exec(select(func.count()).select_from(Group)).one() == 10
        assert s.exec(select(func.count()).select_from(Group).where(Group.department == "vso")).one() == 2
        assert s.exec(select(func.count()).select_from(TimetableDeviation)).one() == 1
        assert s.exec(select(func.count()).select_from(Pupil).where(Pupil.left_on != None)).one() >= 1

        # Winter peak: more sickness per school day in Dec–Mar than in Sep–Nov of the previous year.
        engine = FiguresEngine(s, *PREV_YEAR)
        autumn = _sickness_per_school_day(engine, dt.date(2025, 9, 1), dt.date(2025, 11, 30))
        winter = _sickness_per_school_day(engine, dt.date(2025, 12, 1), dt.date(2026, 3, 31))
        assert winter > 1.3 * autumn

        # Chronic absence this school year (niveau 3, ≥ 10 %).
        current = FiguresEngine(s, dt.date(2026, 8, 1), TODAY).pupils_period()
        assert any(f.absent_pct >= 10 for f in current.values() if f.scheduled)
        assert any(f.late_count >= 5 for f in current.values())

        # The day's work is visible: unexplained absence today, a few registers not taken, reports ahead.
        assert len(unexplained_absences(s, TODAY)) == summary.unexplained_today >= 3
        group5 = s.exec(select(Group).where(Group.key == "5")).one()
        assert group5.id is not None
        assert len(registers_not_taken(s, group5.id, dt.date(2025, 8, 1), TODAY)) >= 5  # today's later lessons
        ahead = s.exec(
            select(func.count()).select_from(AbsenceEntry)
            .where(AbsenceEntry.date > TODAY, AbsenceEntry.source == Source.PARENT.value)
        ).one()  # fmt: skip
        assert ahead > 0 and summary.advance_reports >= 1


def test_demo_is_deterministic(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.model.db import open_database

    summaries = []
    for name in ("a.sqlite", "b.sqlite"):
        with open_database(str(tmp_path / name)) as db:
            summaries.append(create_demo_school(db, today=TODAY, seed=7))
            assert ensure_demo(db, today=TODAY) is None  # a school exists: nothing happens
    assert summaries[0] == summaries[1]


def test_no_two_pupils_share_a_name(sqlite_db) -> None:
    """A register with two identical names cannot be filled in reliably."""
    from sqlmodel import select

    from verzuimdesk.demo import create_demo_school
    from verzuimdesk.model.tables import Pupil

    create_demo_school(sqlite_db, today=dt.date(2026, 11, 23))
    with sqlite_db.session() as s:
        names = [(p.roepnaam, p.voorvoegsel, p.achternaam) for p in s.exec(select(Pupil)).all()]
        genders = {p.gender for p in s.exec(select(Pupil)).all()}
    assert len(names) == len(set(names))
    assert genders <= {"m", "v"}


def test_demo_exercises_leave_meldingen_dossier_signals_and_policy(sqlite_db) -> None:
    """Every screen has something to show: the demo went through the same operations the screens use."""
    from verzuimdesk.model.law.signals.inbox import compute_signals
    from verzuimdesk.model.policy.versions import last_consented, policy_out_of_date
    from verzuimdesk.model.tables.law import ContactMoment, Intervention, LeaveRequest, Melding, MeldingStatus

    today = dt.date(2026, 11, 23)
    create_demo_school(sqlite_db, today=today)
    with sqlite_db.session() as s:
        statuses = sorted(r.status for r in s.exec(select(LeaveRequest)).all())
        assert statuses == ["geweigerd", "ingediend", "toegekend", "toegekend", "toegekend"]
        # A forwarded request for important circumstances, decided by the leerplichtambtenaar (art. 14 lid 3).
        (lpa,) = s.exec(select(LeaveRequest).where(LeaveRequest.lpa_decision != "")).all()
        assert (lpa.lpa_decision, lpa.decided_on, lpa.lpa_decided_on) == ("toegekend", today - dt.timedelta(days=20),
                                                                          today - dt.timedelta(days=7))
        assert lpa.lpa_decided_by and lpa.lpa_decided_by != "de leerplichtambtenaar"  # the gemeente's contact
        granted = s.exec(select(LeaveRequest).where(LeaveRequest.status == "toegekend")).all()
        for request in granted:  # granted leave is in the register, linked to its request
            linked = s.exec(select(AbsenceEntry).where(AbsenceEntry.leave_request_id == request.id)).all()
            assert linked and all(e.source == Source.LEAVE.value for e in linked)
        meldingen = s.exec(select(Melding)).all()
        current = [m for m in meldingen if m.begin_date >= dt.date(2026, 8, 1)]
        # The luxe-verzuim case and the thuiszitter's V3 with its weekly repeats (issue 9) were reported.
        assert sorted((m.kind, m.status) for m in current) == [("L", "in behandeling")] + [("V3", "in behandeling")] * 4
        assert all(m.duo_number for m in current)
        [thuis] = {m.pupil_id for m in current if m.kind == "V3"}
        v3 = sorted((m.begin_date, m.end_date) for m in current if m.kind == "V3")
        assert all((b.end_date - a.end_date).days >= 7 for a, b in zip(
            [m for m in sorted(current, key=lambda m: m.begin_date) if m.kind == "V3"],
            [m for m in sorted(current, key=lambda m: m.begin_date) if m.kind == "V3"][1:]))
        assert v3[0][0] < v3[-1][0]
        assert all(m.status == "afgesloten" for m in meldingen if m not in current)
        # Each status history reads as it happened: in order, after the melding was drafted, never later
        # than today, and the municipality took weeks, not seconds.
        for m in meldingen:
            history = s.exec(select(MeldingStatus).where(MeldingStatus.melding_id == m.id)
                             .order_by(MeldingStatus.id)).all()  # fmt: skip
            stamps = [h.set_at for h in history]
            assert stamps == sorted(stamps) and stamps[0] >= m.created_at and stamps[-1].date() <= today
            if m.status == "afgesloten":
                assert (stamps[-1] - stamps[0]).days >= 28
        # Conversations, interventions and their evaluations fall on working days.
        for c in s.exec(select(ContactMoment)).all():
            assert c.date.weekday() < 5, c
        for i in s.exec(select(Intervention)).all():
            assert all(d is None or d.weekday() < 5 for d in (i.start_date, i.evaluation_date, i.evaluated_on)), i
            assert i.created_at.date() <= i.start_date  # recorded when it was planned, not when the demo was built
        for request in s.exec(select(LeaveRequest)).all():
            assert request.created_at.date() == request.received_on <= today
        assert all(c.created_at.date() <= today for c in s.exec(select(ContactMoment)).all())
        # Last school year's mandatory meldingen were all reported: none is still open.
        assert not [sig for sig in compute_signals(s, dt.date(2026, 7, 31)) if sig.mandatory]
        assert s.exec(select(func.count()).select_from(Intervention)).one() == 4
        assert s.exec(select(func.count()).select_from(ContactMoment).where(ContactMoment.planned == True)).one() >= 2  # noqa: E712
        assert last_consented(s) is not None and policy_out_of_date(s) is None
        open_signals = compute_signals(s, today)
        assert open_signals, "the inbox has work to show"
        # The thuiszitter: one LRV, einddatum open, due since 3 school days; nothing else asked for him.
        [lrv] = [sig for sig in open_signals if sig.pupil_id == thuis]
        assert (lrv.kind, lrv.until, lrv.school_days_due, lrv.mandatory) == ("LRV", None, 3, True)
        assert all(sig.mandatory or (today - sig.end).days <= 28 for sig in open_signals)
