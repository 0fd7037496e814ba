"""Attendance figures: the one implementation (issue "The register", part 4).

Every screen, report and export takes its numbers from here. The unit is the minute of the pupil's own
scheduled time (domain.md §3: "store minutes, convert to hours for every figure").

Definitions (domain.md §3–§4):
- *scheduled*: minutes of the pupil's own timetable (group timetable, days off, deviation, enrolment);
- *not counted*: scheduled minutes covered by a reason in category "niet meegeteld" (lesuitval; school
  transport is authorised absence, see model/school/reasons.py);
  they are visible but lower the denominator;
- *net scheduled* = scheduled − not counted: the denominator of every percentage;
- *authorised* / *unauthorised*: minutes covered by a reason of that category; for a lateness reason the
  minutes late (at most the lesson), for any other reason the overlap with scheduled lessons;
- *present* = net scheduled − authorised − unauthorised (reasons in category "aanwezig", e.g.
  afstandsonderwijs with an approved afwijking onderwijstijd, count as present and are listed per reason).
Entries outside scheduled time count nowhere. Lateness is counted here as the actual minutes; how
lateness counts towards signals is the school's lateness policy, applied by the signal rules.
"""

from __future__ import annotations

import datetime as dt
import gc
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from verzuimdesk.model.db import IsoDates, fetch_tuples, select_columns
from verzuimdesk.model.register.timetable import Schedule, ScheduledLesson
from verzuimdesk.model.school.calendar import SchoolCalendar, daterange, week_monday
from verzuimdesk.model.tables import AbsenceEntry, Category, Reason


@dataclass
class Figures:
    """Minute totals for one pupil or a set of pupils over a day, week or period."""

    scheduled: int = 0
    not_counted: int = 0
    authorised: int = 0
    unauthorised: int = 0
    present_by_reason: int = 0
    late_count: int = 0
    late_unauthorised_count: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)  # reason code → minutes
    by_ground: dict[str, int] = field(default_factory=dict)  # art. 11 ground (or "") of authorised minutes
    occurrences_by_reason: dict[str, int] = field(default_factory=dict)  # entries (lessons) per reason code
    school_days: int = 0  # days with scheduled time
    pupils: int = 0  # for aggregates: pupils that contributed scheduled time

    @property
    def net_scheduled(self) -> int:
        return self.scheduled - self.not_counted

    @property
    def present(self) -> int:
        return self.net_scheduled - self.authorised - self.unauthorised

    @property
    def absent(self) -> int:
        return self.authorised + self.unauthorised

    def share(self, minutes: int) -> float:
        """``minutes`` as a percentage of net scheduled time (0.0 when nothing was scheduled)."""
        return 100.0 * minutes / self.net_scheduled if self.net_scheduled else 0.0

    @property
    def present_pct(self) -> float:
        return self.share(self.present) if self.net_scheduled else 100.0

    @property
    def absent_pct(self) -> float:
        return self.share(self.absent)

    @property
    def authorised_pct(self) -> float:
        return self.share(self.authorised)

    @property
    def unauthorised_pct(self) -> float:
        return self.share(self.unauthorised)

    def add(self, other: Figures) -> None:
        self.scheduled += other.scheduled
        self.not_counted += other.not_counted
        self.authorised += other.authorised
        self.unauthorised += other.unauthorised
        self.present_by_reason += other.present_by_reason
        self.late_count += other.late_count
        self.late_unauthorised_count += other.late_unauthorised_count
        self.school_days += other.school_days
        for target, source in (
            (self.by_reason, other.by_reason),
            (self.by_ground, other.by_ground),
            (self.occurrences_by_reason, other.occurrences_by_reason),
        ):
            for k, v in source.items():
                target[k] = target.get(k, 0) + v


@dataclass(frozen=True, slots=True)
class _ReasonInfo:
    """The fields of a reason the figures need, as plain values (ORM attribute access is slow in loops)."""

    code: str
    category: str
    legal_ground: str
    is_lateness: bool


@dataclass(frozen=True, slots=True)
class LessonOutcome:
    """What the register says about one scheduled lesson of one pupil."""

    lesson: ScheduledLesson
    minutes_by_reason: tuple[tuple[int, int], ...]  # (reason_id, minutes)
    entry_ids: tuple[int, ...]


@contextmanager
def gc_paused() -> Iterator[None]:
    """Speed: the cycle collector paused while a school year of small acyclic objects is made (it would walk
    them all again and again: ~15 % of a year's signals); reference counting still frees them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def hours(minutes: int) -> float:
    """Minutes as klokuren (domain.md §3), rounded to two decimals."""
    return round(minutes / 60.0, 2)


class FiguresEngine:
    """Loads the register for a date range once and computes figures per pupil-day, week and period."""

    def __init__(
        self,
        session: Session,
        start: dt.date,
        end: dt.date,
        pupil_ids: list[int] | None = None,
        schedule: Schedule | None = None,
        reason_ids: set[int] | None = None,
    ) -> None:
        """``reason_ids``: load only the entries with these reasons (the signals, which look at a few
        categories only; the figures of such an engine leave the other reasons out)."""
        self.start, self.end = start, end
        self.schedule = schedule or Schedule(session, start, end, pupil_ids)
        self.calendar: SchoolCalendar = self.schedule.calendar
        self.reasons: dict[int, Reason] = {
            r.id: r for r in session.exec(select(Reason)).all() if r.id is not None  # stored: id always set
        }
        self._reason_info = {
            rid: _ReasonInfo(r.code, r.category, r.legal_ground, r.is_lateness) for rid, r in self.reasons.items()
        }
        self._lateness_ids = {rid for rid, r in self._reason_info.items() if r.is_lateness}
        q = select_columns(
            AbsenceEntry.id, AbsenceEntry.pupil_id, AbsenceEntry.date, AbsenceEntry.start_minute,
            AbsenceEntry.end_minute, AbsenceEntry.reason_id, AbsenceEntry.minutes_late,
        ).where(AbsenceEntry.date >= start, AbsenceEntry.date <= end).order_by(col(AbsenceEntry.date), col(AbsenceEntry.id))  # fmt: skip
        # Speed: a long list of pupils or any list of reasons is filtered here, not in SQL: the database would
        # then read the entries through another index and sort them, which costs more than the rows it skips.
        wanted_pupils = set(pupil_ids) if pupil_ids is not None and len(pupil_ids) > 100 else None
        if pupil_ids is not None and wanted_pupils is None:
            q = q.where(col(AbsenceEntry.pupil_id).in_(pupil_ids))
        # One pass over plain rows in date order (fetch_tuples; each distinct date converted once), so every
        # pupil's list of days with entries is built sorted, without sorting 40,000 keys afterwards.
        self._entries: dict[tuple[int, dt.date], list[tuple[int, int, int, int, int]]] = {}
        self._entry_days: dict[int, list[dt.date]] = defaultdict(list)  # pupil → sorted days with entries
        entries, entry_days, dates = self._entries, self._entry_days, IsoDates()
        with gc_paused():
            for eid, pid, raw_day, lo, hi, rid, late in fetch_tuples(session, q):
                if (reason_ids is not None and rid not in reason_ids) or (
                        wanted_pupils is not None and pid not in wanted_pupils):
                    continue
                key = (pid, dates[raw_day])
                day_entries = entries.get(key)
                if day_entries is None:
                    day_entries = entries[key] = []
                    entry_days[pid].append(key[1])
                day_entries.append((eid, lo, hi, rid, late))
        self._day_cache: dict[tuple[int, dt.date], Figures] = {}
        self._empty_day_cache: dict[int, Figures] = {}  # scheduled minutes → figures of a day without entries
        self._shape_cache: dict[tuple[object, ...], Figures] = {}  # (lessons, entries without ids) → figures

    @property
    def pupil_ids(self) -> list[int]:
        return self.schedule.pupil_ids

    def days_with_entries(self, pupil_id: int) -> list[dt.date]:
        """The pupil's dates with register entries in the loaded range, sorted."""
        return self._entry_days.get(pupil_id, [])

    def entries_on(self, pupil_id: int, day: dt.date) -> list[tuple[int, int, int, int, int]]:
        """The pupil's entries on ``day`` as (entry id, start, end, reason id, minutes late)."""
        return list(self._entries.get((pupil_id, day), ()))

    # ---------------------------------------------------------------------------------------- per lesson
    def lesson_outcomes(self, pupil_id: int, day: dt.date,
                        lessons: tuple[ScheduledLesson, ...] | None = None) -> list[LessonOutcome]:
        """Per scheduled lesson: which reasons cover how many of its minutes, and the entries behind it.
        ``lessons``: the pupil's lessons on ``day`` when the caller has them already."""
        entries = self._entries.get((pupil_id, day), ())
        if lessons is None:
            lessons = self.schedule.lessons_for(pupil_id, day)
        if not entries:
            return [LessonOutcome(lesson, (), ()) for lesson in lessons]
        out = []
        for lesson in lessons:
            covering = self._covering(lesson, entries)
            if len(covering) == 1:  # the usual case: one entry per lesson
                eid, rid, minutes = covering[0]
                out.append(LessonOutcome(lesson, ((rid, minutes),), (eid,)))
                continue
            mins: dict[int, int] = {}
            ids: list[int] = []
            for eid, rid, minutes in covering:
                mins[rid] = mins.get(rid, 0) + minutes
                ids.append(eid)
            out.append(LessonOutcome(lesson, tuple(mins.items()), tuple(ids)))
        return out

    def covered_reasons(self, pupil_id: int, day: dt.date,
                        lessons: tuple[ScheduledLesson, ...] | None = None) -> set[int]:
        """The reasons that cover some scheduled minutes of the pupil on ``day``: the reason ids that
        :meth:`lesson_outcomes` would list, without counting minutes (stops as soon as all are found)."""
        entries = self._entries.get((pupil_id, day), ())
        if not entries:
            return set()
        wanted = {entry[3] for entry in entries}
        found: set[int] = set()
        for lesson in self.schedule.lessons_for(pupil_id, day) if lessons is None else lessons:
            for _eid, rid, _minutes in self._covering(lesson, entries):
                found.add(rid)
            if len(found) == len(wanted):
                break
        return found

    def _covering(
        self, lesson: ScheduledLesson, entries: Iterable[tuple[int, int, int, int, int]]
    ) -> list[tuple[int, int, int]]:
        """``(entry id, reason id, minutes)`` of the entries that cover part of ``lesson``: the overlap, or
        for a lateness reason the minutes late (at most the overlap). The one place that says it."""
        out = []
        start, end = lesson.start, lesson.end
        for eid, lo, hi, rid, late in entries:
            if hi <= start or lo >= end:
                continue  # no overlap (most entries of a day, for most lessons)
            overlap = (hi if hi < end else end) - (lo if lo > start else start)
            if overlap > 0:
                out.append((eid, rid, (late if late < overlap else overlap) if rid in self._lateness_ids else overlap))
        return out

    # ------------------------------------------------------------------------------------------- per day
    def pupil_day(self, pupil_id: int, day: dt.date) -> Figures:
        key = (pupil_id, day)
        cached = self._day_cache.get(key)
        if cached is not None:
            return cached
        if key not in self._entries:
            minutes = self.schedule.scheduled_minutes(pupil_id, day)
            empty = self._empty_day_cache.get(minutes)
            if empty is None:
                empty = self._empty_day_cache[minutes] = Figures(scheduled=minutes, school_days=1 if minutes else 0)
            return empty
        entries = self._entries[key]
        lessons = self.schedule.lessons_for(pupil_id, day)
        # Speed: pupil-days with the same lessons and the same entries (a whole day sick on the group's
        # timetable, one lesson late) have the same figures; they are computed once and shared (read-only,
        # like the figures of days without entries).
        shape = (lessons, tuple(entry[1:] for entry in entries))
        fig = self._shape_cache.get(shape)
        if fig is None:
            fig = self._shape_cache[shape] = self._day_figures(lessons, entries)
        self._day_cache[key] = fig
        return fig

    def _day_figures(self, lessons: tuple[ScheduledLesson, ...],
                     entries: list[tuple[int, int, int, int, int]]) -> Figures:
        """The lesson outcomes of one pupil-day (see :meth:`lesson_outcomes`), summed without building them."""
        fig = Figures()
        counted_entries: set[int] = set()
        for lesson in lessons:
            fig.scheduled += lesson.minutes
            for eid, rid, minutes in self._covering(lesson, entries):
                counted_entries.add(eid)
                reason = self._reason_info[rid]
                cat = reason.category
                if cat == Category.NOT_COUNTED:
                    fig.not_counted += minutes
                elif cat == Category.AUTHORISED:
                    fig.authorised += minutes
                    fig.by_ground[reason.legal_ground] = fig.by_ground.get(reason.legal_ground, 0) + minutes
                elif cat == Category.UNAUTHORISED:
                    fig.unauthorised += minutes
                else:
                    fig.present_by_reason += minutes
                fig.by_reason[reason.code] = fig.by_reason.get(reason.code, 0) + minutes
        for eid, _lo, _hi, rid, _late in entries:
            if eid not in counted_entries:
                continue
            reason = self._reason_info[rid]
            fig.occurrences_by_reason[reason.code] = fig.occurrences_by_reason.get(reason.code, 0) + 1
            if reason.is_lateness:
                fig.late_count += 1
                if reason.category == Category.UNAUTHORISED:
                    fig.late_unauthorised_count += 1
        fig.school_days = 1 if fig.scheduled else 0
        return fig

    # ----------------------------------------------------------------------------------------- periods
    def _clip(self, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
        return max(start or self.start, self.start), min(end or self.end, self.end)

    def pupil_period(self, pupil_id: int, start: dt.date | None = None, end: dt.date | None = None) -> Figures:
        """The sum of :meth:`pupil_day` over the period (entries on days without scheduled time count
        nowhere, so only the days with scheduled time are visited)."""
        lo, hi = self._clip(start, end)
        total = Figures()
        for _group_id, days, minutes in self.schedule.scheduled_runs(pupil_id, lo, hi):
            self._add_days(total, pupil_id, days, minutes)
        total.pupils = 1 if total.scheduled else 0
        return total

    def _add_days(self, total: Figures, pupil_id: int, days: list[dt.date], minutes: list[int]) -> None:
        """Add :meth:`pupil_day` of each of ``days`` (sorted, with their scheduled ``minutes``) to ``total``.

        Speed: most days have no entries and only add their scheduled time, so that is added at once;
        the days with entries then add their own figures instead."""
        if not days:
            return
        total.scheduled += sum(minutes)
        total.school_days += len(days)
        entry_days = self._entry_days.get(pupil_id, [])
        for k in range(bisect_left(entry_days, days[0]), bisect_right(entry_days, days[-1])):
            i = bisect_left(days, entry_days[k])
            if i < len(days) and days[i] == entry_days[k]:
                total.scheduled -= minutes[i]
                total.school_days -= 1
                total.add(self.pupil_day(pupil_id, days[i]))

    def pupil_weeks(self, pupil_id: int, start: dt.date | None = None, end: dt.date | None = None) -> dict[dt.date, Figures]:
        """Figures per lesweek (Monday → figures); weeks without scheduled time are left out (§3)."""
        lo, hi = self._clip(start, end)
        weeks: dict[dt.date, Figures] = {}
        for day in daterange(lo, hi):
            fig = self.pupil_day(pupil_id, day)
            if not fig.scheduled:
                continue
            weeks.setdefault(week_monday(day), Figures()).add(fig)
        return weeks

    def pupils_period(
        self, start: dt.date | None = None, end: dt.date | None = None, pupil_ids: Iterable[int] | None = None
    ) -> dict[int, Figures]:
        with gc_paused():
            return {pid: self.pupil_period(pid, start, end) for pid in (pupil_ids or self.pupil_ids)}

    def group_period(self, group_id: int, start: dt.date | None = None, end: dt.date | None = None) -> Figures:
        """Sum over the pupil-days on which the pupil belonged to ``group_id``."""
        lo, hi = self._clip(start, end)
        total = Figures()
        contributors: set[int] = set()
        for pid, spans in self.schedule.member_spans(group_id).items():
            for span_from, span_to in spans:  # only the days on which the pupil was a member
                for run_group, days, minutes in self.schedule.scheduled_runs(pid, max(lo, span_from),
                                                                             min(hi, span_to or hi)):
                    if run_group == group_id and days:
                        self._add_days(total, pid, days, minutes)
                        contributors.add(pid)
        total.pupils = len(contributors)
        return total

    def total(self, figures: Iterable[Figures]) -> Figures:
        out = Figures()
        for fig in figures:
            out.add(fig)
            out.pupils += fig.pupils
        return out


# --------------------------------------------------------------------------------- convenience entries


def pupil_figures(session: Session, pupil_id: int, start: dt.date, end: dt.date) -> Figures:
    return FiguresEngine(session, start, end, [pupil_id]).pupil_period(pupil_id)


def group_figures(session: Session, group_id: int, start: dt.date, end: dt.date) -> Figures:
    return FiguresEngine(session, start, end).group_period(group_id)

