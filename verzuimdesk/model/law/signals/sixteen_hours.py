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
- Kind V3 when the pupil is under 18 on d, V4 when 18 or older (domain.md §4.5, §7.1).

The core, :func:`find_windows`, is a pure function over (lesweken, minutes per day, restart points) with one
pass over the days that have minutes; the same function serves the school's own "N in M lesweken" rules.
"""

from __future__ import annotations

import datetime as dt
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
) -> list[WindowHit]:
    """Every time a window of ``window`` consecutive lesweken reaches ``threshold``, in order, counting
    anew after each hit and after each restart point (see the module docstring for the exact rule).

    ``lesweken``: Mondays of the pupil's lesweken, sorted. ``day_values``: minutes (or counts) per day;
    days outside the lesweken and values ≤ 0 are ignored. ``restarts``: days after which counting starts
    anew (einddatum of stored meldingen). ``index``: Monday → position in ``lesweken``, when known.
    """
    if index is None:
        index = {monday: i for i, monday in enumerate(lesweken)}
    n = len(lesweken)
    pending_restarts = sorted(restarts)
    r = 0
    cutoff: dt.date | None = None
    active: deque[tuple[dt.date, int, int]] = deque()  # (day, week index, value) after the cutoff
    total = 0
    hits: list[WindowHit] = []
    for day in sorted(day_values):
        value = day_values[day]
        k = index.get(_monday(day))
        if value <= 0 or k is None:
            continue
        while r < len(pending_restarts) and pending_restarts[r] < day:
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
        if total >= threshold:
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


def due_meldingen(
    pupil: PupilDays,
    stored: Sequence[tuple[dt.date, dt.date]] = (),
    *,
    report_from: dt.date | None = None,
) -> list[DueMelding]:
    """The due 16-hour meldingen of one pupil. ``stored``: (begin, end) of the pupil's stored V3/V4
    meldingen that were not withdrawn; their einddatum is a restart point, and a computed window that
    overlaps a stored melding is that melding (not due again). Hits that end before ``report_from``
    (days looked at only so that a window can reach back over the summer) still restart the counting but
    are not returned."""
    values = pupil.unauthorised_per_day()
    hits = find_windows(pupil.lesweken, values, restarts=[end for _begin, end in stored], index=pupil.week_index)
    out = []
    for hit in hits:
        if report_from is not None and hit.end < report_from:
            continue
        if any(begin <= hit.end and hit.begin <= end for begin, end in stored):
            continue
        event = pupil.events[hit.end]
        kind = "V4" if event.adult else "V3"
        lessons = [les for d in hit.days for les in pupil.events[d].lessons if les.minutes]
        out.append(DueMelding(pupil.pupil_id, kind, hit.begin, hit.end, hit.total, list(hit.weeks), lessons))
    return out
