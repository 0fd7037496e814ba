"""Each pupil's own timetable for a date range (domain.md §3, "each pupil's own timetable is the basis").

Scheduled time of a pupil on a date = the lessons of the group the pupil belongs to that date
(its stamgroep, not a samengestelde groep), minus the school's and the group's days off, intersected
with the pupil's individual deviation (opbouwrooster, part-time, partial exemption, art. 5 / 11a Lpw)
when one is in force, and only between enrolment and leaving.

Why this file is long: :class:`Schedule` answers every figure and signal of a school year, so it keeps its
own caches (group days, plain weekdays, a deviation's lessons per weekday) next to the rules they shortcut;
splitting them from the rules would make it harder to see that both give the same answer.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from sqlmodel import Session, col, or_, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.concurrency import bump, check_version
from verzuimdesk.model.db import IsoDates, fetch_tuples, select_columns
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.calendar import (
    WEEKDAY_NAMES,
    SchoolCalendar,
    daterange,
    intersect_spans,
    subtract_spans,
    week_monday,
)
from verzuimdesk.model.tables import (
    DeviationWindow,
    Group,
    GroupMembership,
    Lesson,
    Pupil,
    TimetableDeviation,
)


@dataclass(frozen=True, slots=True)
class ScheduledLesson:
    """A lesson as the pupil actually has it: possibly clipped by a free period or a deviation."""

    number: int
    start: int  # minutes since midnight
    end: int
    label: str = ""

    @property
    def minutes(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class _TimetableLesson:
    """A row of a group timetable, as plain values (read once; ORM attribute access is slow in loops)."""

    lesson: ScheduledLesson
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True, slots=True)
class _Membership:
    group_id: int
    date_from: dt.date
    date_to: dt.date | None


@dataclass(frozen=True, slots=True)
class _Deviation:
    date_from: dt.date
    date_to: dt.date | None
    windows: dict[int, list[tuple[int, int]]]  # weekday → windows in which the pupil is scheduled


def remove_free_time(lessons: list[ScheduledLesson], free: list[tuple[int, int]]) -> tuple[ScheduledLesson, ...]:
    """Lessons minus free periods; a lesson cut in two gives two parts with the same number."""
    if not free:  # the usual day
        return tuple(lesson for lesson in lessons if lesson.end > lesson.start)
    out = []
    for lesson in lessons:
        for lo, hi in subtract_spans([(lesson.start, lesson.end)], free):
            out.append(ScheduledLesson(lesson.number, lo, hi, lesson.label))
    return tuple(out)


def keep_windows(lessons: tuple[ScheduledLesson, ...], windows: list[tuple[int, int]]) -> tuple[ScheduledLesson, ...]:
    """The parts of lessons inside an individual timetable's windows (opbouwrooster, part-time)."""
    out = []
    for lesson in lessons:
        for lo, hi in intersect_spans([(lesson.start, lesson.end)], windows):
            out.append(ScheduledLesson(lesson.number, lo, hi, lesson.label))
    return tuple(out)


def _clipped(memberships: list[_Membership], enrolled: tuple[dt.date | None, dt.date | None], start: dt.date,
             end: dt.date) -> list[tuple[dt.date, dt.date, int]]:
    """``(from, to, group)`` of non-overlapping memberships (sorted) within enrolment and ``start``–``end``."""
    out = []
    for m in memberships:
        lo = max(d for d in (start, m.date_from, enrolled[0]) if d is not None)
        hi = min(d for d in (end, m.date_to, enrolled[1]) if d is not None)
        if lo <= hi:
            out.append((lo, hi, m.group_id))
    return out


def _covers(lo: dt.date | None, hi: dt.date | None, day: dt.date) -> bool:
    return (lo is None or lo <= day) and (hi is None or day <= hi)


class Schedule:
    """Loads timetables, memberships and deviations for a range once; answers per pupil and date."""

    def __init__(
        self,
        session: Session,
        start: dt.date,
        end: dt.date,
        pupil_ids: list[int] | None = None,
        calendar: SchoolCalendar | None = None,
    ) -> None:
        self.start, self.end = start, end
        self.calendar = calendar or SchoolCalendar(session, start, end)
        self.groups = {g.id: g for g in session.exec(select(Group)).all() if g.id is not None}  # stored: id set
        self._lessons: dict[tuple[int, int], list[_TimetableLesson]] = defaultdict(list)
        # Speed: plain rows (fetch_tuples; dates through IsoDates), without SQLAlchemy's row processing.
        dates = IsoDates()
        for group_id, weekday, number, lo, hi, label, valid_from, valid_to in fetch_tuples(session,
            select_columns(Lesson.group_id, Lesson.weekday, Lesson.number, Lesson.start_minute, Lesson.end_minute,
                           Lesson.label, Lesson.valid_from, Lesson.valid_to).where(
                or_(col(Lesson.valid_from).is_(None), col(Lesson.valid_from) <= end),
                or_(col(Lesson.valid_to).is_(None), col(Lesson.valid_to) >= start),
            )
        ):  # fmt: skip
            lesson = ScheduledLesson(number, lo, hi, label)
            self._lessons[(group_id, weekday)].append(_TimetableLesson(lesson, dates[valid_from], dates[valid_to]))
        for lessons in self._lessons.values():
            lessons.sort(key=lambda row: (row.lesson.start, row.lesson.number))
        self._dated_keys = {key for key, rows in self._lessons.items()
                            if any(row.valid_from is not None or row.valid_to is not None for row in rows)}

        pupil_q = select(col(Pupil.id), col(Pupil.enrolled_on), col(Pupil.left_on))
        m_q = select(col(GroupMembership.pupil_id), col(GroupMembership.group_id), col(GroupMembership.date_from),
                     col(GroupMembership.date_to)).where(
            GroupMembership.date_from <= end,
            or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= start),
        )
        d_q = select(TimetableDeviation).where(
            TimetableDeviation.date_from <= end,
            or_(col(TimetableDeviation.date_to).is_(None), col(TimetableDeviation.date_to) >= start),
        )
        if pupil_ids is not None:
            pupil_q = pupil_q.where(col(Pupil.id).in_(pupil_ids))
            m_q = m_q.where(col(GroupMembership.pupil_id).in_(pupil_ids))
            d_q = d_q.where(col(TimetableDeviation.pupil_id).in_(pupil_ids))
        self._enrolment = {
            pid: (dates[lo], dates[hi]) for pid, lo, hi in fetch_tuples(session, pupil_q)
            if pid is not None  # primary key: always set
        }
        self._memberships: dict[int, list[_Membership]] = defaultdict(list)
        self._members: dict[int, dict[int, list[_Membership]]] = defaultdict(lambda: defaultdict(list))
        composite = {gid for gid, g in self.groups.items() if g.composite}
        for pupil_id, group_id, date_from, date_to in fetch_tuples(session, m_q):  # columns: faster than ORM rows
            if group_id not in self.groups or group_id in composite:
                continue
            membership = _Membership(group_id, dates[date_from], dates[date_to])
            self._memberships[pupil_id].append(membership)
            self._members[group_id][pupil_id].append(membership)
        deviations = session.exec(d_q).all()
        windows: dict[int, list[DeviationWindow]] = defaultdict(list)
        if deviations:
            ids = [d.id for d in deviations]
            for w in session.exec(select(DeviationWindow).where(col(DeviationWindow.deviation_id).in_(ids))):
                windows[w.deviation_id].append(w)
        self._deviations: dict[int, list[_Deviation]] = defaultdict(list)
        for d in deviations:
            assert d.id is not None  # a stored row
            per_day: dict[int, list[tuple[int, int]]] = defaultdict(list)
            for w in windows[d.id]:
                per_day[w.weekday].append((w.start_minute, w.end_minute))
            self._deviations[d.pupil_id].append(_Deviation(d.date_from, d.date_to, dict(per_day)))
        self._group_day_cache: dict[tuple[int, dt.date], tuple[ScheduledLesson, ...]] = {}
        self._group_days_cache: dict[tuple[int, dt.date, dt.date], tuple[list[dt.date], list[int]]] = {}
        self._plain_cache: dict[tuple[int, int], tuple[ScheduledLesson, ...]] = {}
        self._minutes_cache: dict[int, tuple[tuple[ScheduledLesson, ...], int]] = {}  # id(lessons) → minutes
        self._school_days_cache: list[dt.date] | None = None
        self._school_day_set_cache: frozenset[dt.date] | None = None
        self._partial_cache: frozenset[dt.date] | None = None
        self._interned: dict[tuple[ScheduledLesson, ...], tuple[ScheduledLesson, ...]] = {}
        self._window_cache: dict[tuple[int, int, int], tuple[tuple[ScheduledLesson, ...], _Deviation,
                                                             tuple[ScheduledLesson, ...]]] = {}

    @property
    def pupil_ids(self) -> list[int]:
        return list(self._enrolment)

    def group_of(self, pupil_id: int, day: dt.date) -> int | None:
        """The stamgroep of the pupil on ``day`` (None when not enrolled or in no group)."""
        enrolled = self._enrolment.get(pupil_id)
        if enrolled is None or not _covers(enrolled[0], enrolled[1], day):
            return None
        for m in self._memberships.get(pupil_id, ()):
            if _covers(m.date_from, m.date_to, day):
                return m.group_id
        return None

    def group_lessons(self, group_id: int, day: dt.date) -> tuple[ScheduledLesson, ...]:
        """The group's lessons on ``day`` after the school's and the group's days off."""
        key = (group_id, day)
        cached = self._group_day_cache.get(key)
        if cached is not None:
            return cached
        if day in self._school_day_set() and not self.calendar.has_partial_days_off(day):
            # Speed: a school day of the loaded range without a partial day off has no free time (free_spans).
            plain = self._group_day_cache[key] = self._plain_weekday(group_id, day)  # kept, like every other day's
            return plain
        free = self.calendar.free_spans(day, group_id)
        result: tuple[ScheduledLesson, ...] = ()
        if not free:  # the usual day: the weekday's timetable as is (shared when no row has validity dates)
            result = self._plain_weekday(group_id, day)
        elif free != [(0, 1440)]:
            lessons = [
                row.lesson for row in self._lessons.get((group_id, day.weekday()), ())
                if _covers(row.valid_from, row.valid_to, day)
            ]  # fmt: skip
            result = self._intern(remove_free_time(lessons, free))
        self._group_day_cache[key] = result
        return result

    def _plain_weekday(self, group_id: int, day: dt.date) -> tuple[ScheduledLesson, ...]:
        """``remove_free_time`` of the day's valid lessons without free time; one shared tuple per group and
        weekday when none of its rows has validity dates (the usual timetable)."""
        key = (group_id, day.weekday())
        plain = self._plain_cache.get(key)
        if plain is not None:
            return plain
        rows = self._lessons.get(key, ())
        if key in self._dated_keys:
            return self._intern(remove_free_time([row.lesson for row in rows if _covers(row.valid_from, row.valid_to, day)],
                                                 []))
        plain = self._plain_cache[key] = self._intern(remove_free_time([row.lesson for row in rows], []))
        return plain

    def _intern(self, lessons: tuple[ScheduledLesson, ...]) -> tuple[ScheduledLesson, ...]:
        """One tuple for equal lessons (e.g. the same timetable in several groups): counts shared per tuple
        (figures, signals) are then shared by all of them."""
        return self._interned.setdefault(lessons, lessons)

    def deviation_on(self, pupil_id: int, day: dt.date) -> _Deviation | None:
        for d in self._deviations.get(pupil_id, ()):
            if _covers(d.date_from, d.date_to, day):
                return d
        return None

    def lessons_for(self, pupil_id: int, day: dt.date) -> tuple[ScheduledLesson, ...]:
        """The pupil's own scheduled lessons on ``day`` (empty when nothing is scheduled)."""
        group_id = self.group_of(pupil_id, day)
        if group_id is None:
            return ()
        lessons = self.group_lessons(group_id, day)
        deviation = self.deviation_on(pupil_id, day)
        if deviation is None or not lessons:
            return lessons
        # Speed: the same group lessons under the same deviation give the same lessons every week; the
        # result is kept (with the tuples it came from) for the schedule's lifetime, so it is shared too.
        key = (id(lessons), id(deviation), day.weekday())
        known = self._window_cache.get(key)
        if known is None or known[0] is not lessons or known[1] is not deviation:
            known = self._window_cache[key] = (lessons, deviation, self._intern(
                keep_windows(lessons, deviation.windows.get(day.weekday(), []))))
        return known[2]

    def scheduled_minutes(self, pupil_id: int, day: dt.date) -> int:
        return sum(lesson.minutes for lesson in self.lessons_for(pupil_id, day))

    def scheduled_runs(self, pupil_id: int, start: dt.date, end: dt.date) -> Iterator[tuple[int, list[dt.date], list[int]]]:
        """The pupil's days with scheduled time from ``start`` through ``end``, per stamgroep membership:
        ``(group, days, minutes per day)`` — :meth:`group_of` and :meth:`scheduled_minutes` day by day,
        without the days that have none, but fast enough for a school year of every pupil (the group's
        school days are computed once; deviations are looked up only for pupils who have one)."""
        has_deviation = bool(self._deviations.get(pupil_id))
        for lo, hi, group_id in self._segments(pupil_id, start, end):
            dates, minutes = self._group_days(group_id, lo, hi)
            days, mins = dates[:], minutes[:]
            if has_deviation:
                own = [
                    (day, self.scheduled_minutes(pupil_id, day) if self.deviation_on(pupil_id, day) else m)
                    for day, m in zip(days, mins)
                ]
                days, mins = [day for day, m in own if m], [m for _day, m in own if m]
            yield group_id, days, mins

    def _group_days(self, group_id: int, lo: dt.date, hi: dt.date) -> tuple[list[dt.date], list[int]]:
        """The days from ``lo`` through ``hi`` on which the group has lessons, and its minutes on each (kept per span:
        the group's members mostly ask the same one, and a group of last year only the weeks before the summer)."""
        key = (group_id, lo, hi)
        cached = self._group_days_cache.get(key)
        if cached is None:
            dates: list[dt.date] = []
            minutes: list[int] = []
            # Speed: only the school's school days can have lessons (free_spans is the whole day otherwise);
            # on those without a partial day off the group has its plain weekday timetable, whose minutes
            # are known per weekday when no lesson row has validity dates.
            partial = self._partial_school_days()
            plain: dict[int, int] = {}
            school_days = self._school_days()
            for day in school_days[bisect_left(school_days, lo):bisect_right(school_days, hi)]:
                if day in partial:
                    total = self._minutes_of(self.group_lessons(group_id, day))
                else:
                    weekday = day.weekday()
                    known = plain.get(weekday)
                    if known is None:
                        known = self._minutes_of(self._plain_weekday(group_id, day))
                        if not self._dated(group_id, weekday):
                            plain[weekday] = known
                    total = known
                if total:
                    dates.append(day)
                    minutes.append(total)
            cached = self._group_days_cache[key] = (dates, minutes)
        return cached

    def _school_days(self) -> list[dt.date]:
        """The school days of the loaded range (computed once per schedule)."""
        if self._school_days_cache is None:
            self._school_days_cache = self.calendar.school_days(self.start, self.end)
            self._school_day_set_cache = frozenset(self._school_days_cache)
        return self._school_days_cache

    def _partial_school_days(self) -> frozenset[dt.date]:
        """The school days of the loaded range with a partial day off (calendar.has_partial_days_off), once."""
        if self._partial_cache is None:
            self._partial_cache = frozenset(d for d in self._school_days() if self.calendar.has_partial_days_off(d))
        return self._partial_cache

    def _school_day_set(self) -> frozenset[dt.date]:
        if self._school_day_set_cache is None:
            self._school_days()
        assert self._school_day_set_cache is not None  # set by _school_days
        return self._school_day_set_cache

    def _dated(self, group_id: int, weekday: int) -> bool:
        """Whether a lesson row of the group's weekday has validity dates (its lessons differ per date)."""
        return (group_id, weekday) in self._dated_keys

    def _minutes_of(self, lessons: tuple[ScheduledLesson, ...]) -> int:
        """The minutes of ``lessons``; remembered for the shared tuples of :meth:`_plain_weekday`."""
        known = self._minutes_cache.get(id(lessons))
        if known is not None and known[0] is lessons:
            return known[1]
        total = sum(les.minutes for les in lessons)
        self._minutes_cache[id(lessons)] = (lessons, total)
        return total

    def _segments(self, pupil_id: int, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date, int]]:
        """Date ranges within ``start``–``end`` with the pupil's stamgroep, as :meth:`group_of` gives it."""
        enrolled = self._enrolment.get(pupil_id)
        if enrolled is None:
            return []
        memberships = sorted(self._memberships.get(pupil_id, ()), key=lambda m: m.date_from)
        if any(a.date_to is None or a.date_to >= b.date_from for a, b in pairwise(memberships)):
            # Overlapping memberships (not made by this program): group_of decides day by day.
            return [(day, day, g) for day in daterange(start, end) if (g := self.group_of(pupil_id, day)) is not None]
        return _clipped(memberships, enrolled, start, end)

    def plain_segments(self, pupil_id: int, start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date, int], ...] | None:
        """``(from, to, group)`` of the pupil within ``start``–``end`` when the pupil's lessons on each of those
        days are the group's (:meth:`group_lessons`): no individual timetable and no overlapping memberships.
        None otherwise (then ask :meth:`lessons_for`). Pupils with the same segments have the same days."""
        enrolled = self._enrolment.get(pupil_id)
        if enrolled is None or self._deviations.get(pupil_id):
            return None
        memberships = sorted(self._memberships.get(pupil_id, ()), key=lambda m: m.date_from)
        if any(a.date_to is None or a.date_to >= b.date_from for a, b in pairwise(memberships)):
            return None
        return tuple(_clipped(memberships, enrolled, start, end))

    def member_spans(self, group_id: int) -> dict[int, list[tuple[dt.date, dt.date | None]]]:
        """Per pupil, the date ranges of membership of ``group_id`` that touch the loaded range (merged,
        sorted; ``None`` = open end). Lets group figures visit only the members' days."""
        out: dict[int, list[tuple[dt.date, dt.date | None]]] = {}
        for pupil_id, memberships in self._members.get(group_id, {}).items():
            spans: list[tuple[dt.date, dt.date | None]] = []
            for m in sorted(memberships, key=lambda m: m.date_from):
                if spans and (spans[-1][1] is None or m.date_from <= spans[-1][1] + dt.timedelta(days=1)):
                    last_end = spans[-1][1]
                    end = None if last_end is None or m.date_to is None else max(last_end, m.date_to)
                    spans[-1] = (spans[-1][0], end)
                else:
                    spans.append((m.date_from, m.date_to))
            out[pupil_id] = spans
        return out

    def lesweken(self, pupil_id: int, start: dt.date | None = None, end: dt.date | None = None) -> list[dt.date]:
        """Mondays of the pupil's own lesweken: weeks with at least one scheduled lesson (domain.md §3)."""
        weeks: set[dt.date] = set()
        for day in daterange(start or self.start, end or self.end):
            if day.weekday() < 5 and week_monday(day) not in weeks and self.lessons_for(pupil_id, day):
                weeks.add(week_monday(day))
        return sorted(weeks)


# ------------------------------------------------------------------------------------ editing helpers


def set_group_timetable(
    session: Session,
    group_id: int,
    lessons: list[tuple[int, int, int, int]] | list[tuple[int, int, int, int, str]],
    *,
    valid_from: dt.date | None = None,
    expected_version: int | None = None,
) -> None:
    """Replace the group's timetable with ``(weekday, number, start_minute, end_minute[, label])`` rows.

    With ``valid_from`` the old timetable stays valid until the day before, so that figures of the past
    keep using the timetable that was in force then. The timetable is part of the group's record: a change counts
    up the group's version, and with ``expected_version`` (as the editor loaded it) a group changed meanwhile on
    another PC is a :class:`~verzuimdesk.model.errors.ConflictError` (issue 14).
    """
    check_lessons(lessons)
    group = session.get(Group, group_id)
    if expected_version is not None:
        when = f"vanaf {dutch.date_long(valid_from)}" if valid_from else "ook voor het verleden"
        check_version(session, Group, group_id, expected_version,
                      f"Het rooster van {group.name if group else 'deze groep'}",
                      (f"Nieuw rooster {when}: {dutch.plural(len(lessons), 'les', 'lessen')} per week",))
    current = session.exec(select(Lesson).where(Lesson.group_id == group_id)).all()
    for lesson in current:
        if valid_from is None or (lesson.valid_from is not None and lesson.valid_from >= valid_from):
            session.delete(lesson)
        elif lesson.valid_to is None or lesson.valid_to >= valid_from:
            lesson.valid_to = valid_from - dt.timedelta(days=1)
            session.add(lesson)
    session.flush()
    for row in lessons:
        weekday, number, start, end = row[:4]
        label = row[4] if len(row) > 4 else ""
        session.add(
            Lesson(group_id=group_id, weekday=weekday, number=number, start_minute=start, end_minute=end,
                   label=str(label), valid_from=valid_from)
        )
    session.flush()
    if group is not None:  # one line that names the group, so that a conflict can say who changed it and when
        bump(session, group)
        when = f"vanaf {valid_from.isoformat()}" if valid_from else "hele periode"
        audit(session, "groep rooster gewijzigd", f"groep {group.id} ({group.key})",
              new=f"{when}: {len(lessons)} lessen per week")


def check_lessons(lessons: list[tuple[int, int, int, int]] | list[tuple[int, int, int, int, str]]) -> None:
    per_day: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for row in lessons:
        weekday, number, start, end = row[:4]
        if not 0 <= weekday <= 6:
            raise ValidationError(f"Onbekende weekdag {weekday}.")
        if end <= start:
            raise ValidationError(
                f"Les {number} op {WEEKDAY_NAMES[weekday]}: de eindtijd {dutch.clock(end)} ligt niet na de "
                f"begintijd {dutch.clock(start)}."
            )
        per_day[weekday].append((start, end, number))
    for weekday, rows in per_day.items():
        rows.sort()
        numbers = [n for _, _, n in rows]
        if len(set(numbers)) != len(numbers):
            raise ValidationError(f"Op {WEEKDAY_NAMES[weekday]} komt een lesnummer twee keer voor.")
        for (_s1, e1, n1), (s2, _e2, n2) in zip(rows, rows[1:]):
            if s2 < e1:
                raise ValidationError(f"Op {WEEKDAY_NAMES[weekday]} overlappen les {n1} en les {n2}.")


def add_deviation(
    session: Session,
    pupil_id: int,
    kind: str,
    date_from: dt.date,
    date_to: dt.date | None,
    windows: list[tuple[int, int, int]],
    description: str = "",
) -> TimetableDeviation:
    """Record an individual timetable: ``windows`` are (weekday, start, end) in which the pupil attends."""
    if date_to is not None and date_to < date_from:
        raise ValidationError("De einddatum van de roosterafwijking ligt vóór de begindatum.")
    for weekday, start, end in windows:
        if end <= start or not 0 <= weekday <= 6:
            raise ValidationError("Een tijdvak van de roosterafwijking heeft geen geldige dag of tijden.")
    dev = TimetableDeviation(pupil_id=pupil_id, kind=kind, date_from=date_from, date_to=date_to,
                             description=description)
    session.add(dev)
    session.flush()
    assert dev.id is not None  # assigned by the flush
    for weekday, start, end in windows:
        session.add(DeviationWindow(deviation_id=dev.id, weekday=weekday, start_minute=start, end_minute=end))
    session.flush()
    return dev
