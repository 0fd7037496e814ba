"""A pupil's scheduled days, the minutes on each and the pupil's lesweken (domain.md §3), from the engine's
Schedule: the calendar side of the signals' counting (:mod:`.counting`)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left

from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.school.calendar import daterange

WEEK = dt.timedelta(days=7)
BACK_TO_MONDAY = [dt.timedelta(days=n) for n in range(7)]


def scheduled_days(engine: FiguresEngine, pupil_id: int, lo: dt.date, hi: dt.date) -> tuple[list[dt.date], list[int]]:
    """The pupil's days with scheduled time and the minutes on each (from the engine's Schedule)."""
    schedule = engine.schedule
    days: list[dt.date] = []
    minutes: list[int] = []
    runs = getattr(schedule, "scheduled_runs", None)
    if runs is not None:
        for _group, run_days, run_minutes in runs(pupil_id, lo, hi):
            if days and run_days and run_days[0] <= days[-1]:
                days, minutes = _merge(days, minutes, run_days, run_minutes)
            else:
                days += run_days
                minutes += run_minutes
    elif hasattr(schedule, "scheduled_days"):
        pairs = sorted({day: mins for day, _group, mins in schedule.scheduled_days(pupil_id, lo, hi)}.items())
        days, minutes = [d for d, _ in pairs], [m for _, m in pairs]
    else:  # pragma: no cover - the plain day-by-day definition
        for day in daterange(lo, hi):
            mins = schedule.scheduled_minutes(pupil_id, day)
            if mins:
                days.append(day)
                minutes.append(mins)
    return days, minutes


def _merge(days: list[dt.date], minutes: list[int], more: list[dt.date], more_minutes: list[int]) -> tuple[list[dt.date], list[int]]:
    """Runs that are out of order (overlapping memberships): sorted, one value per day."""
    pairs = sorted({**dict(zip(days, minutes)), **dict(zip(more, more_minutes))}.items())
    return [d for d, _ in pairs], [m for _, m in pairs]


def lesweken_of(days: list[dt.date]) -> list[dt.date]:
    """Mondays of the weeks that hold one of ``days`` (sorted): one bisect per week, not a look per day."""
    weeks: list[dt.date] = []
    i, n = 0, len(days)
    while i < n:
        day = days[i]
        monday = day - BACK_TO_MONDAY[day.weekday()]
        weeks.append(monday)
        i = bisect_left(days, monday + WEEK, i + 1)
    return weeks

