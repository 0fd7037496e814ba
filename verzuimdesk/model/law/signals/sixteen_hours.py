"""The mandatory melding: 16 hours of unauthorised absence in 4 consecutive lesweken (art. 21a Lpw).

Semantics (domain.md §7.2; DUO: "Elke keer wanneer deze 16 uur bereikt is, moet u opnieuw een
verzuimmelding opvoeren"):

- The pupil's lesweken in order w1, w2, … (weeks with at least one scheduled lesson of the pupil's own
  timetable; holiday weeks are no lesweken, so a window of 4 lesweken may span 5 or more calendar weeks).
- A *window* is 4 consecutive lesweken. When the pupil has fewer than 4 lesweken in the range looked at,
  the lesweken there are together one window (16 hours in fewer weeks certainly lie within 4 lesweken).
- *Counted minutes* are the unauthorised minutes of :mod:`.counting` (lateness per the school's lateness
  policy; only days on which the pupil is leerplichtig, kwalificatieplichtig or 18+), on days after the
  *restart point*: the einddatum of the previous melding (a stored V3/V4 melding that was not withdrawn,
  or the previous due melding found by this computation), or since the start of the data.
- The melding is due on the **earliest day d** such that some window containing d has ≥ 960 counted
  minutes on days ≤ d. Of the windows that reach 960 on d, the one that starts earliest is taken.
- **begindatum** = the first day with counted minutes in that window; **einddatum** = d, the day the
  16 hours were reached (domain.md §7.2 allows "the last day of absence or the day on which 16 hours
  were reached"; the reached day is the one that is reproducible and known on the day itself).
- Counting then restarts after d: every further 960 minutes in a window of days after d is a new melding.
- V3 counts only minutes before the 18th birthday, V4 only minutes from it (two separate countings, the rule
  of :func:`~verzuimdesk.model.law.leerplicht.sixteen_hour_kind`, which the melding validation uses too).
  V4 is offered, never a duty (DUO: "Dit is niet verplicht").
- Continuous absence after a melding: see :func:`due_meldingen` (repeats at most every 7 days, at most 4).

The core, :func:`find_windows`, is a pure function over (lesweken, minutes per day, restart points) with one
pass over the days that have minutes; the same function serves the school's own "N in M lesweken" rules.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from verzuimdesk.model.law.signals.counting import CountedLesson, PupilDays

SIXTEEN_HOURS = 16 * 60  # art. 21a Lpw: 16 uur
WINDOW_WEEKS = 4  # art. 21a Lpw: binnen een periode van vier opeenvolgende lesweken


@dataclass(frozen=True)
class WindowHit:
    """A window of lesweken that reached the threshold on ``end``."""

    begin: dt.date  # first day with counted minutes in the window (after the restart point)
    end: dt.date  # the day the threshold was reached
    total: int  # counted minutes in the window on days ≤ end
    weeks: tuple[tuple[dt.date, int], ...]  # (Monday, counted minutes ≤ end) for every leswee of the window
    days: tuple[dt.date, ...]  # the days with counted minutes behind ``total``


_BACK = [dt.timedelta(days=n) for n in range(7)]


def _monday(day: dt.date) -> dt.date:
    return day - _BACK[day.weekday()]


def find_windows(
    lesweken: Sequence[dt.date],
    day_values: Mapping[dt.date, int],
    threshold: int = SIXTEEN_HOURS,
    window: int = WINDOW_WEEKS,
    restarts: Iterable[dt.date] = (),
    index: Mapping[dt.date, int] | None = None,
    not_before: dt.date | None = None,
) -> list[WindowHit]:
    """Every time a window of ``window`` consecutive lesweken reaches ``threshold``, in order, counting
    anew after each hit and after each restart point (see the module docstring for the exact rule).

    ``lesweken``: Mondays of the pupil's lesweken, sorted. ``day_values``: minutes (or counts) per day;
    days outside the lesweken and values ≤ 0 are ignored. ``restarts``: days after which counting starts
    anew (einddatum of stored meldingen). ``index``: Monday → position in ``lesweken``, when known.
    ``not_before``: no hit is reached on a day before it (the minutes still count in their window).
    """
    if sum(v for v in day_values.values() if v > 0) < threshold:
        return []  # speed: no window can reach the threshold when all of it together does not
    if index is None:
        index = {monday: i for i, monday in enumerate(lesweken)}
    n = len(lesweken)
    pending_restarts = sorted(restarts)
    r = 0
    cutoff: dt.date | None = None
    active: deque[tuple[dt.date, int, int]] = deque()  # (day, week index, value) after the cutoff
    total = 0
    hits: list[WindowHit] = []
    back = _BACK
    restarts_left = len(pending_restarts)
    for day, value in sorted(day_values.items()):
        k = index.get(day - back[day.weekday()])  # the leswee of the day's Monday
        if value <= 0 or k is None:
            continue
        while r < restarts_left and pending_restarts[r] < day:
            if cutoff is None or pending_restarts[r] > cutoff:
                cutoff = pending_restarts[r]
                active.clear()
                total = 0
            r += 1
        first = 0 if n < window else max(0, k - window + 1)  # the earliest-starting window containing day
        while active and active[0][1] < first:
            total -= active.popleft()[2]
        active.append((day, k, value))
        total += value
        if total >= threshold and (not_before is None or day >= not_before):
            weeks = lesweken[first:first + window] if n >= window else lesweken
            per_week = dict.fromkeys(weeks, 0)
            for _day, wk, v in active:
                per_week[lesweken[wk]] += v
            hits.append(WindowHit(active[0][0], day, total, tuple(per_week.items()), tuple(d for d, _, _ in active)))
            cutoff = day
            active.clear()
            total = 0
    return hits


@dataclass
class DueMelding:
    """A V3/V4 melding that is due (art. 21a Lpw), with what makes it up."""

    pupil_id: int
    kind: str  # "V3" | "V4"
    begin: dt.date
    end: dt.date  # the day the 16 hours were reached
    minutes: int
    weeks: list[tuple[dt.date, int]]  # (Monday of the leswee, counted minutes)
    entries: list[CountedLesson] = field(default_factory=list)  # per lesson: date, lesson, reasons, minutes, ids
    repeat: int = 0  # 0: a melding of its own; 1–4: the n-th repeat during continuous absence (DUO)


def continuous_run(pupil: PupilDays, after: dt.date, adult: bool) -> list[dt.date]:
    """The pupil's scheduled days right after ``after`` that are each wholly absent without authorisation
    (and count for the same kind), in order; empty when the next scheduled day is not such a day."""
    i = bisect_right(pupil.days, after)
    out: list[dt.date] = []
    while i < len(pupil.days):
        ev = pupil.events.get(pupil.days[i])
        if ev is None or not ev.whole_day_unauthorised or not ev.counted or ev.adult != adult:
            break
        out.append(pupil.days[i])
        i += 1
    return out


def weeks_later(pupil: PupilDays, start: dt.date, days: Sequence[dt.date], weeks: int) -> dt.date | None:
    """The first of ``days`` on or after the same weekday ``weeks`` lesweken after ``start`` (holiday weeks
    are no lesweken and are skipped): the LRV moment of a run that began on ``start`` (seed 004 L496)."""
    index = pupil.week_index

    def pos(day: dt.date) -> tuple[int, int]:
        return index[_monday(day)], day.weekday()

    k0, wd0 = pos(start)
    return next((day for day in days if pos(day) >= (k0 + weeks, wd0)), None)


def add_month(day: dt.date) -> dt.date:
    """The same date a calendar month later (the last day of a shorter month): the RMC moment."""
    year, month = day.year + (day.month == 12), day.month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def run_start(pupil: PupilDays, first: dt.date, adult: bool) -> dt.date:
    """The first day of the run of wholly unauthorised absent scheduled days that ``first`` continues."""
    i = bisect_right(pupil.days, first) - 1
    start = first
    while i > 0:
        ev = pupil.events.get(pupil.days[i - 1])
        if ev is None or not ev.whole_day_unauthorised or not ev.counted or ev.adult != adult:
            break
        i -= 1
        start = pupil.days[i]
    return start


def _overlaps(begin: dt.date, end: dt.date, spans: Sequence[tuple[dt.date, dt.date]]) -> dt.date | None:
    """The latest einddatum of the stored meldingen that overlap ``[begin, end]`` (None: none overlaps)."""
    ends = [e for b, e in spans if b <= end and begin <= e]
    return max(ends) if ends else None


def _hit_melding(pupil: PupilDays, kind: str, hit: WindowHit, repeat: int = 0) -> DueMelding:
    lessons = [les for d in hit.days for les in pupil.events[d].lessons if les.minutes]
    return DueMelding(pupil.pupil_id, kind, hit.begin, hit.end, hit.total, list(hit.weeks), lessons, repeat)


def due_meldingen(
    pupil: PupilDays,
    stored: Sequence[tuple[dt.date, dt.date | None]] = (),
    *,
    report_from: dt.date | None = None,
    covered_from: dt.date | None = None,
    lrv_weeks: int = 4,
) -> list[DueMelding]:
    """The due 16-hour meldingen of one pupil, V3 and V4 each counted on their own days
    (:func:`~verzuimdesk.model.law.leerplicht.sixteen_hour_kind`).

    ``stored``: (begin, end) of the pupil's stored V3/V4 meldingen that were not withdrawn; their einddatum
    is a restart point, and a computed window that overlaps a stored melding is that melding (not due
    again); a stored melding without einddatum covers everything from its begindatum. ``covered_from``:
    the earliest begindatum of any stored melding without einddatum (nothing from then on is due).
    Hits that end before ``report_from`` still restart the counting but are not returned.

    Continuous absence (DUO; domain.md §7.2): when the scheduled days right after a melding are each wholly
    absent without authorisation, at most one repeat melding per 7 calendar days is due (when 16 hours lie
    between), at most 4, and none from the day the LRV melding is due for the run (``lrv_weeks`` lesweken after
    the run began; for V4 a calendar month, the RMC moment): LRV/RMC (mandatory.py) then covers the rest. The days of a
    continuous run after the last repeat belong to that melding (its einddatum is the last day of absence),
    so counting starts again after the run."""
    spans = [(b, e if e is not None else dt.date.max) for b, e in stored]
    open_from = min([b for b, e in stored if e is None] + ([covered_from] if covered_from else []), default=None)
    out: list[DueMelding] = []
    per_kind: tuple[dict[dt.date, int], dict[dt.date, int]] = ({}, {})  # V3 (under 18), V4 (18+): one pass over the days
    for d, ev in pupil.events.items():
        if ev.unauthorised and (open_from is None or d < open_from):
            per_kind[ev.adult][d] = ev.unauthorised
    for adult, kind in ((False, "V3"), (True, "V4")):
        values = per_kind[adult]
        if sum(values.values()) >= SIXTEEN_HOURS:  # speed: less than 16 hours in all reaches no window
            out += _due_of_kind(pupil, kind, adult, values, spans, open_from, lrv_weeks)
    out.sort(key=lambda m: (m.end, m.kind))
    return [m for m in out if report_from is None or m.end >= report_from]


def _due_of_kind(pupil: PupilDays, kind: str, adult: bool, values: dict[dt.date, int],
                 spans: list[tuple[dt.date, dt.date]], open_from: dt.date | None, lrv_weeks: int) -> list[DueMelding]:
    out: list[DueMelding] = []
    restarts = [e for _b, e in spans if e != dt.date.max]
    cut: dt.date | None = None
    not_before: dt.date | None = None
    while True:
        rest = values if cut is None else {d: v for d, v in values.items() if d > cut}
        hits = find_windows(pupil.lesweken, rest, restarts=[e for e in restarts if cut is None or e > cut],
                            index=pupil.week_index, not_before=not_before)
        if not hits:
            return out
        hit = hits[0]
        stored_end = _overlaps(hit.begin, hit.end, spans)
        if stored_end is None:
            out.append(_hit_melding(pupil, kind, hit))
            previous = hit.end
        else:
            previous = max(hit.end, stored_end)
            if previous == dt.date.max:
                return out
        cut, not_before = previous, None
        run = continuous_run(pupil, previous, adult)
        if not run:
            continue
        repeats = 0
        began = run_start(pupil, run[0], adult)
        if adult:  # Wet RMC: a month without education
            month = add_month(began)
            takeover = next((d for d in run if d >= month), None)
        else:  # the LRV moment (seed 004 L496)
            takeover = weeks_later(pupil, began, run, lrv_weeks)
        for day in run:
            if (open_from is not None and day >= open_from) or (takeover is not None and day >= takeover):
                break
            if repeats < REPEATS and day >= previous + REPEAT_GAP:
                period = [d for d in run if previous < d <= day]
                total = sum(values.get(d, 0) for d in period)
                if total < SIXTEEN_HOURS:
                    continue
                repeats += 1
                if _overlaps(period[0], day, spans) is None:  # a stored melding here is this repeat
                    weeks = _weeks(pupil, period, values)
                    out.append(_hit_melding(pupil, kind, WindowHit(period[0], day, total, weeks, tuple(period)),
                                            repeats))
                previous = day
        if repeats == REPEATS or (takeover is not None and run[-1] >= takeover):
            cut = run[-1]  # the LRV (RMC) melding covers the rest of the run
        else:
            cut, not_before = previous, run[-1] + dt.timedelta(days=1)


REPEAT_GAP = dt.timedelta(days=7)  # DUO: one repeat melding per 7 calendar days of continuous absence
REPEATS = 4  # DUO: at most 4 repeats, then LRV


def _weeks(pupil: PupilDays, days: Sequence[dt.date], values: Mapping[dt.date, int]) -> tuple[tuple[dt.date, int], ...]:
    per: dict[dt.date, int] = {}
    for d in days:
        per[_monday(d)] = per.get(_monday(d), 0) + values.get(d, 0)
    return tuple(sorted(per.items()))
