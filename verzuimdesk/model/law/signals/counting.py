"""Per pupil: what the signal rules count, per school day and per lesweek (domain.md §7.2, §4.4).

All minutes come from :class:`~verzuimdesk.model.register.figures.FiguresEngine` (``_covering``, which its
``lesson_outcomes`` uses too), the only place where overlaps of entries and lessons are computed; this module only
applies the school's lateness policy and the leerplicht status on top of them:

- *counted unauthorised minutes* of a day: per scheduled lesson, the minutes covered by an unauthorised
  reason; an unauthorised lateness counts as the policy says (actual minutes, the whole lesson, or N
  minutes per occurrence), never more than the lesson. Only on days that count toward a 16-hour melding
  (:func:`~verzuimdesk.model.law.leerplicht.sixteen_hour_kind`: leerplichtig or kwalificatieplichtig → V3,
  18+ → V4); days before leerplicht starts, and days on which a vso pupil of art. 4a lid 2 is not
  kwalificatieplichtig, count 0. A pupil without a birth date is treated as leerplichtig (the register asks
  for the date; counting rather than silently skipping is the safe side).
- *unit* (domain.md §7.2, the school's setting ``eenheid``): in *klokuren* a lesson counts with its minutes
  (960 = 16 hours); in *lesuren* (vo/vso) every lesson counts as one lesuur of at most 60 minutes, so a lesson
  of L minutes with c counted minutes counts c·60/min(L, 60) units (a missed 50-minute lesson = 60 units;
  16 lessons = 960). Detector and melding specification both count through :meth:`Counter.counted_lessons`.
- *lesweken*: the pupil's own weeks with at least one scheduled lesson (domain.md §3); holiday weeks are
  not lesweken, so they are skipped rather than counted as empty weeks. A pupil not enrolled, or who
  left, has no scheduled lessons and so no lesweken and no minutes then.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from verzuimdesk.model.law.leerplicht import add_years, rmc_applies, sixteen_hour_kind, status_changes
from verzuimdesk.model.law.signals.policy import KLOKUREN, LESUREN, LatenessPolicy
from verzuimdesk.model.law.signals.scheduled import lesweken_of, scheduled_days
from verzuimdesk.model.register.figures import FiguresEngine, LessonOutcome
from verzuimdesk.model.register.timetable import ScheduledLesson
from verzuimdesk.model.school.calendar import week_monday
from verzuimdesk.model.tables import Category


@dataclass(frozen=True, slots=True)
class CountedLesson:
    """The unauthorised part of one scheduled lesson: what a melding's specification lists per lesson."""

    date: dt.date
    lesson_number: int
    start: int
    end: int
    reason_codes: tuple[str, ...]
    minutes: int  # counted minutes (lateness policy applied)
    entry_ids: tuple[int, ...]
    lateness: bool  # the lesson counts because of lateness only
    units: int = -1  # what the lesson counts toward 16 hours (minutes, or lesuur-units ×60); -1: = minutes

    @property
    def counted_units(self) -> int:
        return self.minutes if self.units < 0 else self.units


@dataclass(slots=True)
class DayCount:
    """One scheduled day of a pupil with entries in the register."""

    date: dt.date
    unauthorised: int  # counted units (policy and unit applied); 0 on days not counted (before leerplicht)
    absence_unauthorised: int  # unauthorised minutes of absence, lateness excluded (as registered)
    late: int  # unauthorised lateness occurrences (lessons)
    sick: bool  # some scheduled time covered by a sickness reason (Reason.is_sickness)
    first_lesson_unauthorised: bool  # the day's first lesson has unauthorised minutes, the day is not all absent
    whole_day_unauthorised: bool  # all net scheduled time absent with an unauthorised reason
    luxe_code: bool  # some time registered with reason code L (luxe verzuim)
    counted: bool  # Lpw counting applies (leerplichtig, kwalificatieplichtig or 18+)
    adult: bool  # 18 or older
    lpw: bool  # under the Lpw melding regime for V3/LRV/L/zorgelijk: counted and under 18
    idx: int  # position of the day in PupilDays.days
    # (counter, pupil, the day's lessons or lesson outcomes): the lessons below are made when first needed
    _source: tuple[Counter, int, list[LessonOutcome] | tuple[ScheduledLesson, ...] | None] | None = None
    _lessons: tuple[CountedLesson, ...] | None = None
    net: int = 0  # net scheduled minutes of the day (not-counted reasons taken off)
    rmc: bool = False  # Wet RMC applies: no longer leerplichtig/kwalificatieplichtig, under 23

    @property
    def lessons(self) -> tuple[CountedLesson, ...]:
        """The unauthorised lessons of the day (made only when a signal needs them: explanations)."""
        if self._lessons is None:
            self._lessons = self._source[0].counted_lessons(self) if self._source is not None else ()
        return self._lessons


@dataclass
class PupilDays:
    """A pupil's scheduled days in the loaded range and the days with entries, counted."""

    pupil_id: int
    birth_date: dt.date | None
    days: list[dt.date]  # scheduled days (sorted)
    minutes: list[int]  # scheduled minutes on each of ``days``
    lesweken: list[dt.date]  # Mondays of the pupil's lesweken (sorted)
    events: dict[dt.date, DayCount] = field(default_factory=dict)  # days with entries, in date order
    _week_index: dict[dt.date, int] | None = None
    memo: dict[object, Any] = field(default_factory=dict)  # results shared by several rules (one computation)
    shared: dict[object, Any] = field(default_factory=dict)  # results of ``days`` alone, shared by pupils with those days

    @property
    def week_index(self) -> dict[dt.date, int]:
        """Monday → position in :attr:`lesweken`."""
        if self._week_index is None:
            self._week_index = {monday: i for i, monday in enumerate(self.lesweken)}
        return self._week_index

    def day_index(self, day: dt.date) -> int | None:
        ev = self.events.get(day)
        if ev is not None:
            return ev.idx
        i = bisect_left(self.days, day)
        return i if i < len(self.days) and self.days[i] == day else None

    def lpw_absent(self) -> dict[dt.date, int]:
        """Day → 1 for the days under the Lpw regime with unauthorised absence (lateness excluded), in date order;
        made once and read by several rules."""
        known = self.memo.get("lpw_absent")
        if known is None:
            known = self.memo["lpw_absent"] = {d: 1 for d, ev in self.events.items()
                                               if ev.lpw and ev.absence_unauthorised}
        return known

    def days_between(self, lo: dt.date, hi: dt.date) -> list[dt.date]:
        return self.days[bisect_left(self.days, lo):bisect_right(self.days, hi)]

    def unauthorised_per_day(self) -> dict[dt.date, int]:
        """Counted unauthorised minutes per day (days with none left out)."""
        return {d: ev.unauthorised for d, ev in self.events.items() if ev.unauthorised}

    def unauthorised_per_week(self) -> dict[dt.date, int]:
        """Counted unauthorised minutes per lesweek (Monday → minutes; every lesweek present, 0 included)."""
        weeks = dict.fromkeys(self.lesweken, 0)
        for d, ev in self.events.items():
            if ev.unauthorised:
                weeks[week_monday(d)] = weeks.get(week_monday(d), 0) + ev.unauthorised
        return weeks


class Counter:
    """Counts pupils' days for the signal rules with one engine and one lateness policy."""

    def __init__(self, engine: FiguresEngine, policy: LatenessPolicy, unit: str = KLOKUREN) -> None:
        self.engine = engine
        self.policy = policy
        self.lesuren = unit == LESUREN
        self.reasons = {
            rid: (r.code, r.category, r.is_lateness, r.is_sickness) for rid, r in engine.reasons.items()
        }
        self.unauthorised_ids = {rid for rid, r in engine.reasons.items() if r.category == Category.UNAUTHORISED}
        # MAZL counts ziekmeldingen (NCJ): reasons flagged as a sick report, not every health-related reason
        # (a dentist visit is health data but not a sick report).
        self.sickness_ids = {rid for rid, r in engine.reasons.items()
                             if r.sick_report and r.category == Category.AUTHORISED}
        self.relevant_ids = self.unauthorised_ids | self.sickness_ids  # a day with none of these counts nowhere
        self._shapes: dict[tuple[object, ...], Any] = {}  # (count, id(lessons), entries without ids) → (lessons, count)
        self._templates: dict[tuple[object, ...], Any] = {}  # (id(lessons), entries without ids, counted) → (lessons, rows)
        self._calendars: dict[tuple[object, ...], tuple[list[dt.date], list[int], list[dt.date], dict[dt.date, int],
                                                        dict[object, Any]]] = {}

    def units(self, counted_minutes: int, lesson_minutes: int) -> int:
        """What ``counted_minutes`` of a lesson of ``lesson_minutes`` count toward the 16 hours (module doc)."""
        if not self.lesuren or lesson_minutes <= 0:
            return counted_minutes
        return (counted_minutes * 60 + min(lesson_minutes, 60) // 2) // min(lesson_minutes, 60)

    def pupil(self, pupil_id: int, birth_date: dt.date | None, lo: dt.date, hi: dt.date,
              profiles: Sequence[tuple[dt.date, dt.date | None, str]] = ()) -> PupilDays:
        """``profiles``: (from, to, uitstroomprofiel) of the pupil's group memberships (art. 4a lid 2 Lpw)."""
        schedule = self.engine.schedule
        plain = getattr(schedule, "plain_segments", None)
        segments = plain(pupil_id, lo, hi) if plain is not None else None
        # Speed: pupils with the same group memberships in the range share their days, minutes and lesweken.
        shared = self._calendars.get(segments) if segments is not None else None
        if shared is None:
            days, minutes = scheduled_days(self.engine, pupil_id, lo, hi)
            lesweken = lesweken_of(days)
            shared = (days, minutes, lesweken, {monday: i for i, monday in enumerate(lesweken)}, {})
            if segments is not None:
                self._calendars[segments] = shared
        days, minutes, lesweken, index, memo = shared
        out = PupilDays(pupil_id, birth_date, days, minutes, lesweken, _week_index=index, shared=memo)
        with_entries = self.engine.days_with_entries(pupil_id)
        if not with_entries or not days:
            return out
        eighteen = add_years(birth_date, 18) if birth_date else None
        # Speed: the Lpw status is asked once per stretch of days on which it cannot change (status_changes).
        changes = status_changes(birth_date)
        status: dict[tuple[int, str], tuple[bool, bool]] = {}
        known = (False, False)
        until = dt.date.min  # without profiles: ``known`` holds for the days before ``until`` (the days ascend)
        idx = 0
        events = out.events
        entries_of = self.engine._entries  # noqa: SLF001
        unauthorised_ids, relevant_ids = self.unauthorised_ids, self.relevant_ids
        for day in with_entries[bisect_left(with_entries, lo):bisect_right(with_entries, hi)]:
            entries = entries_of[(pupil_id, day)]
            rids = {e[3] for e in entries}
            if relevant_ids.isdisjoint(rids):
                continue  # only authorised (non-sickness), present or not-counted reasons: no signal looks at it
            idx = bisect_left(days, day, idx)
            if idx == len(days) or days[idx] != day:
                continue  # entries outside scheduled time count nowhere (figures.py)
            if profiles:
                profile = profile_on(profiles, day)
                key = (bisect_right(changes, day), profile)
                found = status.get(key)
                if found is None:
                    found = status[key] = (sixteen_hour_kind(birth_date, day, profile) is not None,
                                           rmc_applies(birth_date, day, profile))
                known = found
            elif day >= until:
                stretch = bisect_right(changes, day)
                until = changes[stretch] if stretch < len(changes) else dt.date.max
                known = (sixteen_hour_kind(birth_date, day, "") is not None, rmc_applies(birth_date, day, ""))
            if segments is None:
                lessons = schedule.lessons_for(pupil_id, day)
            elif len(segments) == 1 or segments[-1][0] <= day:  # the day is scheduled, so a segment holds it
                lessons = schedule.group_lessons(segments[-1][2], day)
            else:
                lessons = schedule.group_lessons(next(g for a, b, g in segments if a <= day <= b), day)
            ev = self._day(pupil_id, day, known[0], eighteen is not None and day >= eighteen, idx, lessons, entries,
                           not unauthorised_ids.isdisjoint(rids), known[1])
            if ev is not None:
                events[day] = ev
        return out

    def day(self, pupil_id: int, day: dt.date) -> DayCount | None:
        """One day counted as the detector counts it, the Lpw status aside (a melding's specification)."""
        days = self.engine.days_with_entries(pupil_id)
        i = bisect_left(days, day)
        if i == len(days) or days[i] != day:
            return None
        return self._day(pupil_id, day, True, False, 0)

    def _day(self, pupil_id: int, day: dt.date, counted: bool, adult: bool, idx: int,
             lessons: tuple[ScheduledLesson, ...] | None = None,  # the pupil's lessons that day, when known
             entries: Sequence[tuple[int, int, int, int, int]] | None = None,  # with ``unauthorised``, when known
             unauthorised: bool | None = None, rmc: bool = False) -> DayCount | None:
        if entries is None or unauthorised is None:
            entries = self.engine._entries.get((pupil_id, day), ())  # noqa: SLF001
            rids = {e[3] for e in entries}
            if self.relevant_ids.isdisjoint(rids):
                return None  # only authorised (non-sickness), present or not-counted reasons: no signal looks at it
            unauthorised = not self.unauthorised_ids.isdisjoint(rids)
        if lessons is None:
            lessons = self.engine.schedule.lessons_for(pupil_id, day)
        # The count is shared by the pupil-days with the same lessons and the same entries (their ids aside): a whole
        # day sick or absent on the group's timetable has one count, as in figures.py. Speed: the lessons by identity
        # (the schedule's shared tuples; hashing their lessons costs more than the count saves); the kept tuple makes
        # the id safe, and equal tuples of another identity only share less. The key holds the plain function, not a
        # bound method: a key holding ``self`` would make the counter (and its engine, a school year of entries) a
        # reference cycle, freed only by Python's cycle collector, which then walks every object made meanwhile.
        count = Counter._counts if unauthorised else Counter._sick_covered
        key = (count, id(lessons), tuple([e[1:] for e in entries]))
        known = self._shapes.get(key)
        if known is None:
            known = self._shapes[key] = (lessons, count(self, pupil_id, day, lessons))
        result: Any = known[1]
        if not unauthorised:
            # Sickness only: which reasons cover scheduled time is all the care rules need.
            if not result:
                return None
            return DayCount(day, 0, 0, 0, True, False, False, False, counted, adult, counted and not adult, idx, None, (),
                            0, rmc)
        unauth, absence, late, sick, first_unauth, whole, luxe, net = result
        return DayCount(day, unauth if counted else 0, absence, late, sick, first_unauth, whole, luxe, counted, adult,
                        counted and not adult, idx, (self, pupil_id, lessons), None, net, rmc)

    def _sick_covered(self, pupil_id: int, day: dt.date, lessons: tuple[ScheduledLesson, ...]) -> bool:
        return bool(self.engine.covered_reasons(pupil_id, day, lessons) & self.sickness_ids)

    def _counts(self, pupil_id: int, day: dt.date, lessons: tuple[ScheduledLesson, ...]) -> tuple[int, int, int, bool, bool, bool, bool, int]:
        """(counted units, unauthorised absence minutes, late lessons, sick, first lesson unauthorised, whole day
        unauthorised, code L, net minutes) of a day with unauthorised entries (DayCount's fields)."""
        reasons = self.reasons
        policy_counted = self.policy.counted
        units = self.units
        covering = self.engine._covering  # noqa: SLF001 - the one place that computes an entry's minutes of a lesson
        entries = self.engine._entries.get((pupil_id, day), ())  # noqa: SLF001
        net = unauth = absence = late = 0
        sick = luxe = first_unauth = False
        # Per lesson the minutes per reason, as FiguresEngine.lesson_outcomes gives them (without the outcomes).
        for pos, lesson in enumerate(lessons):
            lesson_minutes = lesson.end - lesson.start
            net += lesson_minutes
            found = covering(lesson, entries)
            if not found:
                continue  # nothing registered in this lesson: it counts 0 units
            if len(found) == 1:
                by_reason: Iterable[tuple[int, int]] = ((found[0][1], found[0][2]),)
            else:
                summed: dict[int, int] = {}
                for _eid, rid, mins in found:
                    summed[rid] = summed.get(rid, 0) + mins
                by_reason = summed.items()
            lesson_counted = 0
            for rid, mins in by_reason:
                code, cat, is_late, is_sick = reasons[rid]
                if cat == Category.UNAUTHORISED:
                    if is_late:
                        lesson_counted += policy_counted(mins, lesson_minutes)
                        late += 1
                    else:
                        lesson_counted += mins
                        absence += mins
                    if pos == 0:
                        first_unauth = True
                    if code == "L":
                        luxe = True
                elif cat == Category.NOT_COUNTED:
                    net -= mins
                elif is_sick and cat == Category.AUTHORISED:
                    sick = True
            unauth += units(min(lesson_counted, lesson_minutes), lesson_minutes)
        whole = net > 0 and absence >= net
        return unauth, absence, late, sick, first_unauth and not whole, whole, luxe, net

    def counted_lessons(self, ev: DayCount) -> tuple[CountedLesson, ...]:
        """Per lesson with unauthorised minutes: the counted minutes, reason codes and unauthorised entries."""
        assert ev._source is not None
        _counter, pupil_id, given = ev._source
        entries = self.engine._entries.get((pupil_id, ev.date), ())  # noqa: SLF001
        if isinstance(given, list):  # the day's lesson outcomes, made by the caller
            rid_of = {eid: rid for eid, _lo, _hi, rid, _late in entries}
            unauthorised = self.unauthorised_ids
            rows = self._lesson_rows(((o.lesson, o.minutes_by_reason, [e for e in o.entry_ids if rid_of[e] in unauthorised])
                                      for o in given), ev.counted)
            return tuple(CountedLesson(ev.date, *row) for row in rows)
        # Speed: the minutes per reason as lesson_outcomes gives them (without the outcomes), shared like the day's
        # counts by the pupil-days with the same lessons and entries (their ids aside; the rows keep their positions).
        lessons = given if given is not None else self.engine.schedule.lessons_for(pupil_id, ev.date)
        key = (id(lessons), tuple([e[1:] for e in entries]), ev.counted)
        known = self._templates.get(key)
        if known is None:
            position = {e[0]: i for i, e in enumerate(entries)}
            template = [(number, start, end, codes, counted, tuple(position[eid] for eid in ids), late, units)
                        for number, start, end, codes, counted, ids, late, units
                        in self._lesson_rows(self._unauthorised_lessons(lessons, entries), ev.counted)]
            known = self._templates[key] = (lessons, template)
        day = ev.date
        return tuple(CountedLesson(day, number, start, end, codes, counted, tuple([entries[i][0] for i in positions]),
                                   late, units)
                     for number, start, end, codes, counted, positions, late, units in known[1])

    def _lesson_rows(self, per_lesson: Iterable[tuple[ScheduledLesson, Iterable[tuple[int, int]], list[int]]],
                     day_counted: bool) -> Iterator[tuple[int, int, int, tuple[str, ...], int, tuple[int, ...], bool, int]]:
        """:class:`CountedLesson` fields but the date, of (lesson, minutes per reason, unauthorised entry ids)."""
        reasons = self.reasons
        for lesson, by_reason, ids in per_lesson:
            codes: list[str] = []
            minutes = 0
            only_late = True
            for rid, mins in by_reason:
                code, cat, is_late, _sick = reasons[rid]
                if cat != Category.UNAUTHORISED:
                    continue
                codes.append(code)
                minutes += self.policy.counted(mins, lesson.minutes) if is_late else mins
                only_late = only_late and is_late
            if not codes:
                continue
            counted = min(minutes, lesson.minutes) if day_counted else 0
            yield (lesson.number, lesson.start, lesson.end, tuple(codes), counted, tuple(ids), only_late,
                   self.units(counted, lesson.minutes))

    def _unauthorised_lessons(self, lessons: tuple[ScheduledLesson, ...], entries: Sequence[tuple[int, int, int, int, int]],
                              ) -> Iterator[tuple[ScheduledLesson, Iterable[tuple[int, int]], list[int]]]:
        """Per lesson covered by an entry: (lesson, minutes per reason, ids of the unauthorised entries), as
        FiguresEngine.lesson_outcomes gives them."""
        covering = self.engine._covering  # noqa: SLF001 - the one place that computes an entry's minutes of a lesson
        reasons = self.reasons
        for lesson in lessons:
            found = covering(lesson, entries)
            if not found:
                continue
            ids = [eid for eid, rid, _mins in found if reasons[rid][1] == Category.UNAUTHORISED]
            if not ids:
                continue  # no unauthorised minutes in this lesson
            if len(found) == 1:
                yield lesson, ((found[0][1], found[0][2]),), ids
                continue
            summed: dict[int, int] = {}
            for _eid, rid, mins in found:
                summed[rid] = summed.get(rid, 0) + mins
            yield lesson, summed.items(), ids


def profile_on(profiles: Sequence[tuple[dt.date, dt.date | None, str]], day: dt.date) -> str:
    """The uitstroomprofiel of the pupil's group on ``day`` ("" when none)."""
    for lo, hi, profile in profiles:
        if lo <= day and (hi is None or day <= hi) and profile:
            return profile
    return ""
