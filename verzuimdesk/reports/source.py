"""What the document builders share for one period: the figures engine, reasons, school, trend buckets.

A batch of 1,000 per-pupil overviews loads the register once (one :class:`ReportSource`), and each
overview then reads its pupil's figures from the engine. :func:`walk_days` goes through a pupil's days
once and sorts the engine's day figures into the calendar picture and the weekday × lesson pattern.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, or_, select

from verzuimdesk.model.register.figures import Figures, FiguresEngine
from verzuimdesk.model.school.calendar import DAY, daterange, week_monday
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.tables import Category, DayOffKind, GroupMembership, Reason
from verzuimdesk.reports.data import (
    DAY_AUTHORISED,
    DAY_LATE,
    DAY_NOT_COUNTED,
    DAY_NOT_SCHEDULED,
    DAY_OFF,
    DAY_OUTSIDE,
    DAY_PRESENT,
    DAY_UNAUTHORISED,
    DAY_WEEKEND,
    DayCell,
    Period,
    SchoolInfo,
    WeekdayLine,
    month_label,
    short_date,
    tier_bounds,
)


def school_info(session: Session) -> SchoolInfo:
    school = get_school(session)
    if school is None:
        return SchoolInfo("(school niet ingericht)")
    address = ", ".join(p for p in (school.address, " ".join(x for x in (school.postcode, school.city) if x)) if p)
    return SchoolInfo(school.name, school.brin, address, school.logo_path)


def trend_buckets(period: Period) -> list[tuple[str, dt.date, dt.date]]:
    """Months of the period (weeks when it is shorter than about two months), clipped to it."""
    out: list[tuple[str, dt.date, dt.date]] = []
    if (period.end - period.start).days <= 62:
        monday = week_monday(period.start)
        while monday <= period.end:
            lo, hi = max(monday, period.start), min(monday + dt.timedelta(days=6), period.end)
            out.append((f"wk {monday.isocalendar()[1]}", lo, hi))
            monday += dt.timedelta(days=7)
        return out
    first = dt.date(period.start.year, period.start.month, 1)
    while first <= period.end:
        nxt = dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        out.append((month_label(first, short=True), max(first, period.start), min(nxt - DAY, period.end)))
        first = nxt
    return out


MIN_MONTH_DAYS, MIN_WEEK_DAYS = 5, 3


def merge_short_buckets(buckets: list[tuple[str, dt.date, dt.date]],
                        school_days: Callable[[dt.date, dt.date], int]) -> list[tuple[str, dt.date, dt.date]]:
    """Join a month with fewer than five school days (a week with fewer than three) to its neighbour, so
    that a trend chart never shows one school day as a month: "nov–dec" then covers November and the first
    day of December. The neighbour is the previous bucket, or the next for the first one. A month without
    any school day (the summer holiday) is left out."""
    weeks = bool(buckets) and buckets[0][0].startswith("wk")
    minimum = MIN_WEEK_DAYS if weeks else MIN_MONTH_DAYS
    out = [b for b in buckets if school_days(b[1], b[2])] or list(buckets)  # a summer month says nothing
    i = 0
    while len(out) > 1 and i < len(out):
        label, lo, hi = out[i]
        if school_days(lo, hi) >= minimum:
            i += 1
            continue
        j = i - 1 if i > 0 else i + 1  # merge with this neighbour
        (a_label, a_lo, _a_hi), (b_label, _b_lo, b_hi) = sorted([out[i], out[j]], key=lambda b: b[1])
        first, last = a_label.removeprefix("wk ") if weeks else a_label, b_label.removeprefix("wk ")
        merged = (f"{'wk ' if weeks else ''}{first.split('–')[0]}–{last.split('–')[-1]}", a_lo, b_hi)
        k = min(i, j)
        out[k:k + 2] = [merged]
        i = k  # the merged bucket may still be short
    return out


def group_members(session: Session, group_ids: list[int], start: dt.date, end: dt.date) -> list[int]:
    rows = session.exec(
        select(GroupMembership.pupil_id).where(
            col(GroupMembership.group_id).in_(group_ids), GroupMembership.date_from <= end,
            or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= start),
        )
    ).all()  # fmt: skip
    return sorted(set(rows))


class ReportSource:
    """The register of one period, loaded once for any number of documents."""

    def __init__(self, session: Session, period: Period, pupil_ids: list[int] | None = None) -> None:
        self.session = session
        self.period = period
        self.engine = FiguresEngine(session, period.start, period.end, pupil_ids)
        self.schedule = self.engine.schedule
        self.calendar = self.engine.calendar
        self.reasons: dict[int, Reason] = self.engine.reasons
        self.by_code = {r.code: r for r in self.reasons.values()}
        self.lateness_codes = {r.code for r in self.reasons.values() if r.is_lateness}
        self.category_of = {rid: r.category for rid, r in self.reasons.items()}
        self.school = school_info(session)
        self.buckets = merge_short_buckets(trend_buckets(period),
                                           lambda lo, hi: len(self.calendar.school_days(lo, hi)))
        self._group_figures: dict[tuple[int, dt.date, dt.date], Figures] = {}
        self.holiday_edges = self._holiday_edges()
        self.tier_bounds = tier_bounds(session)
        self._open_signals: dict[int, list[Any]] | None = None

    def prefetch_open_signals(self, on: dt.date) -> None:
        """Compute the open signals of every pupil at once (a batch): one pass of the law engine instead of
        one per document."""
        from verzuimdesk.model.law.signals import compute_signals

        by_pupil: dict[int, list[Any]] = {}
        for signal in compute_signals(self.session, on, self.engine.pupil_ids):
            by_pupil.setdefault(signal.pupil_id, []).append(signal)
        self._open_signals = by_pupil

    def open_signals(self, pupil_id: int, on: dt.date) -> list[Any]:
        """The pupil's signals still open on ``on``: from the batch prefetch, else computed for this pupil."""
        if self._open_signals is not None:
            return self._open_signals.get(pupil_id, [])
        from verzuimdesk.model.law.signals import compute_signals

        return compute_signals(self.session, on, [pupil_id])

    def group_figures(self, group_id: int, start: dt.date, end: dt.date) -> Figures:
        key = (group_id, start, end)
        if key not in self._group_figures:
            self._group_figures[key] = self.engine.group_period(group_id, start, end)
        return self._group_figures[key]

    def group_of_range(self, pupil_id: int, start: dt.date, end: dt.date) -> int | None:
        """The pupil's stamgroep on the last day of the range on which it has one."""
        day = end
        while day >= start:
            gid = self.schedule.group_of(pupil_id, day)
            if gid is not None:
                return gid
            day -= DAY
        return None

    def _holiday_edges(self) -> set[dt.date]:
        """The last school day before and the first school day after each school holiday (vakantie)."""
        days = self.calendar.school_days(self.period.start - dt.timedelta(days=21), self.period.end)
        edges: set[dt.date] = set()
        for a, b in zip(days, days[1:], strict=False):
            gap = daterange(a + DAY, b - DAY)
            if any((off := self.calendar.day_off(d)) is not None and off.kind == DayOffKind.HOLIDAY.value
                   for d in gap):
                edges.update((a, b))
        return {d for d in edges if self.period.start <= d <= self.period.end}


@dataclass
class DayWalk:
    """A pupil's days sorted into the pictures: calendar cells, weekday × lesson pattern, holiday edges."""

    cells: list[DayCell] = field(default_factory=list)
    weekdays: dict[int, WeekdayLine] = field(default_factory=dict)
    lesson_numbers: set[int] = field(default_factory=set)
    around_holidays: Figures = field(default_factory=Figures)
    other_days: Figures = field(default_factory=Figures)


def day_state(source: ReportSource, fig: Figures) -> tuple[str, bool]:
    """The state a day is drawn in, and whether it covers only part of the scheduled time."""
    late_unauthorised = sum(
        m for code, m in fig.by_reason.items()
        if code in source.lateness_codes and source.by_code[code].category == Category.UNAUTHORISED
    )  # fmt: skip
    late_authorised = sum(
        m for code, m in fig.by_reason.items()
        if code in source.lateness_codes and source.by_code[code].category == Category.AUTHORISED
    )  # fmt: skip
    partial = 0 < fig.absent < fig.net_scheduled
    if fig.unauthorised > late_unauthorised:
        return DAY_UNAUTHORISED, partial
    if fig.authorised > late_authorised:
        return DAY_AUTHORISED, partial
    if fig.late_count:
        return DAY_LATE, True
    if fig.not_counted:
        return DAY_NOT_COUNTED, fig.not_counted < fig.scheduled
    return DAY_PRESENT, False


def walk_days(source: ReportSource, pupil_id: int, start: dt.date, end: dt.date, *, cells: bool = True,
              pad_months: bool = True) -> DayWalk:
    """Go through the pupil's days once (calendar cells from the first to the last day of each month
    when ``pad_months``); all numbers are the engine's day figures."""
    walk = DayWalk()
    engine, calendar = source.engine, source.calendar
    lo = dt.date(start.year, start.month, 1) if (cells and pad_months) else start
    hi = end
    if cells and pad_months:
        hi = dt.date(end.year + (end.month == 12), end.month % 12 + 1, 1) - DAY
    seen_weekdays: set[int] = set()
    for day in daterange(lo, hi):
        wd = day.weekday()
        if not (start <= day <= end):
            if cells:
                walk.cells.append(DayCell(day, DAY_WEEKEND if wd >= 5 else DAY_OUTSIDE))
            continue
        if wd >= 5:
            if cells:
                walk.cells.append(DayCell(day, DAY_WEEKEND))
            continue
        fig = engine.pupil_day(pupil_id, day)
        if not fig.scheduled:
            if cells:
                off = calendar.day_off(day)
                if off is not None or not calendar.is_school_day(day):
                    walk.cells.append(DayCell(day, DAY_OFF, note=calendar.describe(day)))
                else:
                    walk.cells.append(DayCell(day, DAY_NOT_SCHEDULED))
            continue
        line = walk.weekdays.get(wd)
        if line is None:
            line = walk.weekdays[wd] = WeekdayLine(wd, Figures())
        line.figures.add(fig)
        (walk.around_holidays if day in source.holiday_edges else walk.other_days).add(fig)
        if wd not in seen_weekdays:
            seen_weekdays.add(wd)
            walk.lesson_numbers.update(les.number for les in source.schedule.lessons_for(pupil_id, day))
        if fig.by_reason:
            _count_lessons(source, pupil_id, day, line, walk)
        if cells:
            state, partial = day_state(source, fig)
            walk.cells.append(DayCell(day, state, partial))
    return walk


def _count_lessons(source: ReportSource, pupil_id: int, day: dt.date, line: WeekdayLine, walk: DayWalk) -> None:
    """Per lesson number: was the pupil (partly) absent, and was any of it unauthorised."""
    for outcome in source.engine.lesson_outcomes(pupil_id, day):
        cats = {source.category_of[rid] for rid, minutes in outcome.minutes_by_reason if minutes > 0}
        number = outcome.lesson.number
        walk.lesson_numbers.add(number)
        if cats & {Category.AUTHORISED.value, Category.UNAUTHORISED.value}:
            line.lessons[number] = line.lessons.get(number, 0) + 1
        if Category.UNAUTHORISED.value in cats:
            line.lessons_unauthorised[number] = line.lessons_unauthorised.get(number, 0) + 1


def date_span_text(lo: dt.date, hi: dt.date | None) -> str:
    if hi is None:
        return f"vanaf {short_date(lo)}"
    return short_date(lo) if lo == hi else f"{short_date(lo)} – {short_date(hi)}"


def reasons_in_order(source: ReportSource, codes: list[str]) -> list[str]:
    return sorted(codes, key=lambda c: (source.by_code[c].sort_order if c in source.by_code else 999, c))
