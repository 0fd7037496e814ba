"""Lessons that already belong to a melding, so that zorgelijk verzuim stays below the threshold (issue 9
point 4; domain.md §7.3: zorgelijk verzuim is absence *below* the 16 hours).

A lesson is *claimed* when it is in the specification of a stored melding that was not withdrawn (drafts
included: a drafted melding is the school's answer to that absence), when its day belongs to a due duty
(V3, LRV, L, RMC) or the optional V4, or when it lies in the span of a melding without einddatum (which covers
everything from its begindatum). The school's zorgelijk rules count on the pupil's days without the claimed
lessons (:func:`without_lessons`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sqlmodel import Session, col, select

from verzuimdesk.model.law.signals.counting import DayCount, PupilDays
from verzuimdesk.model.tables.law import Melding, MeldingDay, MeldingStatusValue

Claims = dict[dt.date, set[int] | None]  # day → claimed lesson numbers (None: the whole day)


def claimed_lessons(session: Session, pupil_ids: list[int] | None) -> dict[int, Claims]:
    """Per pupil, the lessons in the specification of a stored melding (not withdrawn), per day."""
    q = select(col(Melding.pupil_id), col(MeldingDay.date), col(MeldingDay.lessons), col(MeldingDay.whole_day)).join(
        Melding, col(Melding.id) == col(MeldingDay.melding_id)).where(
        Melding.status != MeldingStatusValue.WITHDRAWN.value)  # fmt: skip
    if pupil_ids is not None:
        q = q.where(col(Melding.pupil_id).in_(pupil_ids))
    out: dict[int, Claims] = {}
    for pid, day, lessons, whole in session.exec(q).all():
        days = out.setdefault(pid, {})
        numbers = {int(n) for n in lessons.split(",") if n.strip().isdigit()}
        if whole or not numbers or days.get(day, set()) is None:
            days[day] = None
        else:
            current = days.setdefault(day, set())
            assert current is not None
            current |= numbers
    return out


def without_lessons(pupil: PupilDays, claimed: Claims, open_from: dt.date | None = None) -> PupilDays:
    """The pupil's days with the claimed lessons taken out (and every day from ``open_from``, the begindatum
    of a melding without einddatum). The same object when nothing is claimed."""
    if not claimed and open_from is None:
        return pupil
    events: dict[dt.date, DayCount] = {}
    for day, ev in pupil.events.items():
        if open_from is not None and day >= open_from:
            continue
        if day not in claimed:
            events[day] = ev
            continue
        numbers = claimed[day]
        if numbers is None:
            continue
        rest = _rest(ev, numbers)
        if rest is not None:
            events[day] = rest
    return PupilDays(pupil.pupil_id, pupil.birth_date, pupil.days, pupil.minutes, pupil.lesweken, events,
                     pupil._week_index, shared=pupil.shared)  # noqa: SLF001


def _rest(ev: DayCount, numbers: set[int]) -> DayCount | None:
    """The day without the lessons ``numbers`` (None when no unauthorised lesson is left)."""
    lessons = ev.lessons
    left = tuple(les for les in lessons if les.lesson_number not in numbers)
    if not left:
        return None if not ev.sick else replace(ev, unauthorised=0, absence_unauthorised=0, late=0,
                                                first_lesson_unauthorised=False, whole_day_unauthorised=False,
                                                _lessons=())
    first = min((les.lesson_number for les in lessons), default=0)
    return replace(
        ev, unauthorised=sum(les.counted_units for les in left),
        absence_unauthorised=sum(les.minutes for les in left if not les.lateness),
        late=sum(1 for les in left if les.lateness),
        first_lesson_unauthorised=ev.first_lesson_unauthorised and first not in numbers,
        whole_day_unauthorised=False, _lessons=left,
    )  # fmt: skip
