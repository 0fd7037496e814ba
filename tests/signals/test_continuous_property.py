"""Continuous absence after a melding (DUO; domain.md §7.2) as arithmetic over random absence patterns: no two
16-hour meldingen lie closer than 7 calendar days apart while the pupil stays away without interruption, at
most 4 repeats follow a melding, none once the LRV is due, and every melding holds 16 hours."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from verzuimdesk.model.law.signals.counting import DayCount, PupilDays
from verzuimdesk.model.law.signals.mandatory import lrv
from verzuimdesk.model.law.signals.sixteen_hours import SIXTEEN_HOURS, due_meldingen

START = dt.date(2025, 9, 1)  # a Monday
DAY = 360  # six lessons of 60 minutes


def pupil_days(pattern: list[int], holiday_week: int | None) -> PupilDays:
    """Weekdays from START; ``pattern`` per school day: 0 present, 1 two lessons absent, 2 the whole day absent.
    The week ``holiday_week`` has no lessons (a holiday: no leswee)."""
    days: list[dt.date] = []
    day = START
    while len(days) < len(pattern):
        week = (day - START).days // 7
        if day.weekday() < 5 and week != holiday_week:
            days.append(day)
        day += dt.timedelta(days=1)
    lesweken = sorted({d - dt.timedelta(days=d.weekday()) for d in days})
    out = PupilDays(1, dt.date(2015, 1, 1), days, [DAY] * len(days), lesweken)
    for idx, (d, kind) in enumerate(zip(days, pattern)):
        if kind:
            minutes = DAY if kind == 2 else 120
            out.events[d] = DayCount(d, minutes, minutes, 0, False, kind == 1, kind == 2, False, True, False, True,
                                     idx, None, (), DAY)
    return out


def continuous(pupil: PupilDays, after: dt.date, until: dt.date) -> bool:
    """Every scheduled day in (after, until] wholly absent."""
    return all(pupil.events.get(d) is not None and pupil.events[d].whole_day_unauthorised
               for d in pupil.days if after < d <= until)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 2, 2, 2]), min_size=10, max_size=90),
       st.one_of(st.none(), st.integers(min_value=0, max_value=12)))
def test_no_meldingen_closer_than_7_days_during_continuous_absence(pattern, holiday_week) -> None:
    pupil = pupil_days(pattern, holiday_week)
    found = due_meldingen(pupil)
    ends = [m.end for m in found]
    assert ends == sorted(ends)
    for a, b in zip(found, found[1:]):
        if continuous(pupil, a.end, b.end):
            assert (b.end - a.end).days >= 7, (a, b)
            assert b.repeat == a.repeat + 1
    assert all(0 <= m.repeat <= 4 for m in found)
    # every melding, first or repeat, holds its 16 hours in the days it names
    assert all(m.minutes >= SIXTEEN_HOURS and m.begin <= m.end for m in found)
    # no repeat on or after the day the LRV of its run is due
    for report in lrv(pupil):
        run_days = [d for d in pupil.days if report.begin <= d and continuous(pupil, report.begin, d)]
        assert not [m for m in found if m.repeat and m.end >= report.end and m.end in run_days]


def test_six_weeks_away_gives_one_v3_three_repeats_and_one_lrv() -> None:
    """The worked case: wholly absent from Monday 1 September for six weeks."""
    pupil = pupil_days([2] * 30, None)
    found = due_meldingen(pupil)
    assert [(m.begin, m.end, m.repeat) for m in found] == [
        (dt.date(2025, 9, 1), dt.date(2025, 9, 3), 0),  # 3 × 6 h ≥ 16 h on Wednesday
        (dt.date(2025, 9, 4), dt.date(2025, 9, 10), 1),  # a week later
        (dt.date(2025, 9, 11), dt.date(2025, 9, 17), 2),
        (dt.date(2025, 9, 18), dt.date(2025, 9, 24), 3),
    ]  # Monday 29 September: 4 lesweken away, the LRV takes over (no 4th repeat on 1 October)
    [report] = lrv(pupil)
    assert (report.begin, report.end, report.until) == (dt.date(2025, 9, 1), dt.date(2025, 9, 29), None)
