"""The fast paths of the signals and figures (bench/README.md, issue 14 point 5) give exactly what the plain
day-by-day definitions give, on a generated school with the cases the shortcuts skip or share: partial and
group days off, a timetable that changes in the year, an individual timetable, lateness, sickness, lesuitval,
authorised absence of other kinds, luxe verzuim, pupils who turn 5, 16 and 18, a vso profile without
kwalificatieplicht, and absence in the year before (the second, deeper pass of compute_signals).

The reference implementations below are the straightforward versions of what the program does: every day
through ``SchoolCalendar.free_spans`` and the group's timetable rows, the Lpw status asked per day, every
entry loaded, every pupil-day's lessons counted on its own. They are compared with the program's result
signal by signal (texts, days, lessons, entry ids) and figure by figure."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

import pytest
from sqlmodel import select

from tests.builders import YEAR_START, build_small_school, lessons_full_days
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import VerzuimdeskError
from verzuimdesk.model.law.leerplicht import add_years, rmc_applies, sixteen_hour_kind
from verzuimdesk.model.law.signals import compute_signals, ensure_default_rules, inbox
from verzuimdesk.model.law.signals.counting import Counter, DayCount, PupilDays, profile_on
from verzuimdesk.model.register import figures
from verzuimdesk.model.register.entries import set_entry
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.register.timetable import (
    Schedule,
    ScheduledLesson,
    add_deviation,
    keep_windows,
    remove_free_time,
    set_group_timetable,
)
from verzuimdesk.model.school.calendar import WHOLE_DAY, add_day_off, create_school_year, daterange
from verzuimdesk.model.school.records import place_in_group, save_group, save_pupil
from verzuimdesk.model.tables import Category, Group, Pupil, Reason

PREVIOUS_YEAR = "2024-2025"
NOW = dt.datetime(2026, 7, 1, 12, 0)


class PlainSchedule(Schedule):
    """Schedule by its definition, day by day, without the shared tuples and caches of the program."""

    def group_lessons(self, group_id: int, day: dt.date) -> tuple[ScheduledLesson, ...]:
        free = self.calendar.free_spans(day, group_id)
        if free == [WHOLE_DAY]:
            return ()
        rows = self._lessons.get((group_id, day.weekday()), ())
        valid = [row.lesson for row in rows
                 if (row.valid_from is None or row.valid_from <= day) and (row.valid_to is None or day <= row.valid_to)]
        return remove_free_time(valid, free)

    def lessons_for(self, pupil_id: int, day: dt.date) -> tuple[ScheduledLesson, ...]:
        group_id = self.group_of(pupil_id, day)
        if group_id is None:
            return ()
        lessons = self.group_lessons(group_id, day)
        deviation = self.deviation_on(pupil_id, day)
        if deviation is None or not lessons:
            return lessons
        return keep_windows(lessons, deviation.windows.get(day.weekday(), []))

    def scheduled_runs(self, pupil_id: int, start: dt.date, end: dt.date) -> Iterator[tuple[int, list[dt.date], list[int]]]:
        runs: list[tuple[int, list[dt.date], list[int]]] = []
        for day in daterange(start, end):
            minutes = sum(lesson.minutes for lesson in self.lessons_for(pupil_id, day))
            group_id = self.group_of(pupil_id, day)
            if not minutes or group_id is None:
                continue
            if not runs or runs[-1][0] != group_id:
                runs.append((group_id, [], []))
            runs[-1][1].append(day)
            runs[-1][2].append(minutes)
        return iter(runs)


class PlainCounter(Counter):
    """The counting of counting.py asked day by day: the Lpw status per day, each day's lessons counted."""

    def pupil(self, pupil_id: int, birth_date: dt.date | None, lo: dt.date, hi: dt.date,
              profiles: object = ()) -> PupilDays:
        days, minutes = [], []
        for _group, run_days, run_minutes in self.engine.schedule.scheduled_runs(pupil_id, lo, hi):
            days += run_days
            minutes += run_minutes
        weeks = sorted({d - dt.timedelta(days=d.weekday()) for d in days})
        out = PupilDays(pupil_id, birth_date, days, minutes, weeks)
        with_entries = self.engine.days_with_entries(pupil_id)
        for day in with_entries[bisect_left(with_entries, lo):bisect_right(with_entries, hi)]:
            if day not in days:
                continue
            profile = profile_on(profiles, day)  # type: ignore[arg-type]
            kind = sixteen_hour_kind(birth_date, day, profile)
            adult = birth_date is not None and day >= add_years(birth_date, 18)
            ev = self._plain_day(pupil_id, day, kind is not None, adult, days.index(day))
            if ev is not None:
                ev.rmc = rmc_applies(birth_date, day, profile)
                out.events[day] = ev
        return out

    def _plain_day(self, pupil_id: int, day: dt.date, counted: bool, adult: bool, idx: int) -> DayCount | None:
        outcomes = self.engine.lesson_outcomes(pupil_id, day)
        rids = {rid for o in outcomes for rid, _m in o.minutes_by_reason}
        entry_rids = {e[3] for e in self.engine.entries_on(pupil_id, day)}
        if not entry_rids & self.unauthorised_ids:
            if not rids & self.sickness_ids:
                return None
            return DayCount(day, 0, 0, 0, True, False, False, False, counted, adult, counted and not adult, idx, None, ())
        net = unauth = absence = late = 0
        sick = luxe = first = False
        for pos, outcome in enumerate(outcomes):
            length = outcome.lesson.minutes
            net += length
            counted_here = 0
            for rid, mins in outcome.minutes_by_reason:
                code, cat, is_late, is_sick = self.reasons[rid]
                if cat == Category.UNAUTHORISED:
                    counted_here += self.policy.counted(mins, length) if is_late else mins
                    late += 1 if is_late else 0
                    absence += 0 if is_late else mins
                    first = first or pos == 0
                    luxe = luxe or code == "L"
                elif cat == Category.NOT_COUNTED:
                    net -= mins
                elif is_sick and cat == Category.AUTHORISED:
                    sick = True
            unauth += self.units(min(counted_here, length), length)
        whole = net > 0 and absence >= net
        return DayCount(day, unauth if counted else 0, absence, late, sick, first and not whole, whole, luxe, counted,
                        adult, counted and not adult, idx, (self, pupil_id, outcomes), None, net)


def build_generated_school(db: Database, seed: int) -> None:
    """The small school of tests/builders.py, a year before it, more pupils and a year of random register."""
    school = build_small_school(db)
    rng = random.Random(seed)
    with db.transaction() as s:
        create_school_year(s, PREVIOUS_YEAR, "noord")
        vso = save_group(s, Group(key="vso", name="VSO", jaargroep="", uitstroomprofiel="arbeidsmarkt"))
        assert vso.id is not None
        set_group_timetable(s, vso.id, lessons_full_days(range(5), 5))
        # The timetable of group 5 changes in March: a shorter Wednesday.
        set_group_timetable(s, school.g5, [r for r in lessons_full_days() if not (r[0] == 2 and r[1] > 4)],
                            valid_from=dt.date(2026, 3, 2))
        # Birthdays inside the register's two years: 18 (V4, RMC), the end of leerplicht in and outside the vso
        # profile without kwalificatieplicht, the start of leerplicht (5), and 29 February.
        births = [(dt.date(2008, 2, 10), vso.id), (dt.date(2008, 11, 15), vso.id), (dt.date(2009, 1, 20), school.g5),
                  (dt.date(2009, 9, 3), vso.id), (dt.date(2019, 10, 20), school.g12), (dt.date(2020, 1, 31), school.g12),
                  (dt.date(2016, 2, 29), school.g5)]
        ids = list(school.pupils.values())
        for n, (born, group) in enumerate(births):
            p = save_pupil(s, Pupil(key=f"9{n:03d}", achternaam="Gegenereerd", roepnaam=f"Kind{n}", birth_date=born,
                                    enrolled_on=dt.date(2020, 8, 1)))
            assert p.id is not None
            place_in_group(s, p.id, group, dt.date(2024, 8, 1))
            ids.append(p.id)
        add_deviation(s, ids[-1], "opbouwrooster", dt.date(2025, 9, 1), None, [(0, 510, 690), (2, 510, 630), (3, 600, 870)])
        add_day_off(s, dt.date(2025, 10, 8), dt.date(2025, 10, 8), "Studiemiddag", start_minute=750, end_minute=870)
        add_day_off(s, dt.date(2026, 2, 4), dt.date(2026, 2, 4), "Groepsuitje", group_id=school.g5)
        add_day_off(s, dt.date(2025, 11, 3), dt.date(2025, 11, 28), "Gym vervalt", weekday=0, start_minute=510,
                    end_minute=570)
        codes = {r.code: r for r in s.exec(select(Reason)).all()}
        days = [d for d in daterange(dt.date(2024, 9, 2), dt.date(2026, 7, 10)) if d.weekday() < 5]
        for pid in ids:
            truant = rng.random() < 0.5
            for day in rng.sample(days, 60 if truant else 25):
                code = rng.choice(["O", "O", "O", "T", "Z", "Z", "M", "LU", "L", "X", "G"] if truant else
                                  ["Z", "Z", "M", "T", "O", "LU"])
                first = rng.randint(1, 3)
                last = first + rng.randint(0, 5)
                if rng.random() < 0.3:  # a run of whole days
                    for extra in days[days.index(day):days.index(day) + rng.randint(3, 30)]:
                        set_entry(s, pid, extra, 510, 870, codes["O"], by="test", now=NOW)
                    continue
                for n in range(first, last + 1):
                    lo = 510 + 60 * (n - 1)
                    late = rng.randint(1, 40) if codes[code].is_lateness else 0
                    try:
                        set_entry(s, pid, day, lo, lo + 60, codes[code], by="test", lesson_number=n, minutes_late=late,
                                  now=NOW)
                    except VerzuimdeskError:  # an entry the register refuses (e.g. no lesson then): left out
                        continue


def _signals(db: Database, on: dt.date) -> list[str]:
    with db.session() as s:
        return [repr((sig, [repr(les) for les in sig.lessons])) for sig in compute_signals(s, on)]


def _figures(db: Database, start: dt.date, end: dt.date) -> list[str]:
    with db.session() as s:
        engine = FiguresEngine(s, start, end)
        rows = [repr((pid, fig)) for pid, fig in sorted(engine.pupils_period().items())]
        rows += [repr((gid, engine.group_period(gid))) for gid in sorted(engine.schedule.groups)]
        rows += [repr(engine.pupil_weeks(pid)) for pid in sorted(engine.pupil_ids)[:3]]
        return rows


@pytest.mark.parametrize("seed", [1, 2])
def test_fast_paths_give_the_plain_definitions(db: Database, seed: int, monkeypatch: pytest.MonkeyPatch) -> None:
    build_generated_school(db, seed)
    with db.transaction() as s:
        ensure_default_rules(s)  # stored once: the rules' ids are part of the signals compared
    dates = [dt.date(2025, 12, 5), dt.date(2026, 3, 20), dt.date(2026, 7, 31)]
    fast = [_signals(db, on) for on in dates]
    fast_figures = _figures(db, YEAR_START, dt.date(2026, 7, 31))
    assert any(fast), "the generated school has signals"
    monkeypatch.setattr(figures, "Schedule", PlainSchedule)
    monkeypatch.setattr(inbox, "Counter", PlainCounter)
    monkeypatch.setattr(inbox, "signal_reason_ids", lambda rows: None)  # every entry loaded
    plain = [_signals(db, on) for on in dates]
    assert fast == plain
    assert fast_figures == _figures(db, YEAR_START, dt.date(2026, 7, 31))
