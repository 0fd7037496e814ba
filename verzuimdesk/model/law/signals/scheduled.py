"""What the signals' counting (:mod:`.counting`) reads besides the entries of a day: which reasons' entries the
engine loads, and a pupil's scheduled days, the minutes on each and the pupil's lesweken (domain.md §3), from the
engine's Schedule."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable

from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.school.calendar import daterange
from verzuimdesk.model.tables import Category

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


def entry_days(engine: FiguresEngine) -> dict[int, list[dt.date]]:
    """Per pupil, the dates with register entries that the engine loaded (sorted)."""
    return {pid: engine.days_with_entries(pid) for pid in engine.pupil_ids}


def signal_reason_ids(reasons: Iterable[tuple[int | None, str, bool, bool]]) -> set[int]:
    """Of ``(id, category, is_sickness, sick_report)`` rows, the reasons whose entries a :class:`~.counting.Counter` looks
    at: unauthorised (counted), not counted (a day's net time) and authorised sickness (care rules).

    Speed: the signals' engine loads only these entries; an authorised entry of another reason changes
    none of a day's counts (each reason's minutes of a lesson are its own overlap, figures.py)."""
    return {rid for rid, category, is_sickness, sick_report in reasons if rid is not None
            and (category in (Category.UNAUTHORISED, Category.NOT_COUNTED)
                 or (category == Category.AUTHORISED and (is_sickness or sick_report)))}
