"""Leave: labels, findings and the counting of days (art. 13a lid 2 and art. 14 lid 3 Lpw).

Choices where the law leaves room (also in ``docs/law.md``):
- *The unit of the ten-day limits* is the school day **of the school**: a weekday in the school year that
  is not a whole-school day off (:meth:`SchoolCalendar.is_school_day`), whatever the pupil's own
  timetable. A part-time pupil (partial exemption, opbouwrooster) who asks two weeks off uses ten days,
  not the four or six days on which he would have come: the law counts "dagen per schooljaar" of the
  school year, and counting the pupil's own days would let a part-time pupil stay away for weeks on end
  without the leerplichtambtenaar ever deciding. A request for part of a day counts that day as one.
- *What counts toward the ten days of art. 14 lid 3*: every granted request for important circumstances
  in the same school year (by its start), whoever granted it — the head, or the leerplichtambtenaar after
  forwarding. Refused, pending, forwarded-but-undecided and withdrawn requests do not count.
- *Who is under the Lpw*: a pupil who is not yet leerplichtig (art. 3) or is 18 or older on both ends of
  the request is not under the leave rules; the school decides on its own policy and the program gives
  no Lpw findings, and forwarding is not possible. A birth date that is unknown is treated as under the
  Lpw (the strict reading).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from sqlmodel import Session, select

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leerplicht import LeerplichtStatus, leerplicht_status
from verzuimdesk.model.register.timetable import Schedule
from verzuimdesk.model.school.calendar import SchoolCalendar, daterange
from verzuimdesk.model.tables import Pupil, SchoolYear
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest, LeaveStatus

MAX_LEAVE_DAYS = 10  # art. 13a lid 2 and art. 14 lid 3 Lpw: "ten hoogste tien dagen per schooljaar"
NOTICE_DAYS_RELIGIOUS = 2  # art. 13 Lpw: notice "uiterlijk twee dagen vóór de verhindering"
AFTER_THE_FACT_DAYS = 2  # art. 14 lid 2 Lpw: reasons told "binnen twee dagen na het ontstaan"
HOLIDAY_NOTICE_SETTING = "verlof_termijn_weken"  # school policy, not law: how early vakantieverlof is asked
HOLIDAY_NOTICE_WEEKS = 8  # the customary default (domain-anchors §1.4; municipal guidance)

KIND_LABELS = {
    LeaveKind.HOLIDAY.value: "vakantieverlof",
    LeaveKind.IMPORTANT.value: "verlof wegens gewichtige omstandigheden",
    LeaveKind.RELIGIOUS.value: "religieuze verplichting",
}
STATUS_LABELS = {
    LeaveStatus.RECEIVED.value: "ingediend",
    LeaveStatus.GRANTED.value: "toegekend",
    LeaveStatus.REFUSED.value: "geweigerd",
    LeaveStatus.FORWARDED.value: "doorgestuurd naar de leerplichtambtenaar",
    LeaveStatus.WITHDRAWN.value: "ingetrokken",
}
# Art. 13 Lpw: a religious obligation is a notice, not a request: it is confirmed, or it came too late.
RELIGIOUS_STATUS_LABELS = {
    LeaveStatus.RECEIVED.value: "gemeld",
    LeaveStatus.GRANTED.value: "bevestigd",
    LeaveStatus.REFUSED.value: "te laat gemeld",
    LeaveStatus.WITHDRAWN.value: "ingetrokken",
}
# The reason a granted request registers, and the art. 11 ground it must carry (domain.md §4.2).
REASON_FOR_KIND = {
    LeaveKind.HOLIDAY.value: ("V", "f"),  # art. 11 onder f
    LeaveKind.IMPORTANT.value: ("G", "g"),  # art. 11 onder g
    LeaveKind.RELIGIOUS.value: ("R", "e"),  # art. 11 onder e
}


class Severity(StrEnum):
    VIOLATION = "overtreding"  # the head may not grant (art. 27 Lpw: fine)
    FORWARD = "doorsturen"  # the head may not grant; the leerplichtambtenaar decides (art. 14 lid 3)
    WARNING = "waarschuwing"  # a reminder; granting is allowed


@dataclass(frozen=True)
class LeaveViolation:
    """One finding of :func:`check_leave_request`, with a Dutch explanation that names the article."""

    code: str
    article: str
    message: str
    severity: str = Severity.VIOLATION.value

    @property
    def blocks_granting(self) -> bool:
        return self.severity != Severity.WARNING.value


@dataclass
class KindSummary:
    """Leave of one kind in one school year for one pupil."""

    kind: str
    granted_requests: int = 0
    granted_days: int = 0
    refused_requests: int = 0
    forwarded_requests: int = 0
    pending_requests: int = 0
    request_ids: list[int] = field(default_factory=list)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def status_label(request: LeaveRequest) -> str:
    """Dutch status; a religious notice is "bevestigd" or "te laat gemeld", a decision of the
    leerplichtambtenaar says so."""
    if request.kind == LeaveKind.RELIGIOUS.value:
        return RELIGIOUS_STATUS_LABELS.get(request.status, request.status)
    label = STATUS_LABELS.get(request.status, request.status)
    if request.lpa_decision and request.status in (LeaveStatus.GRANTED.value, LeaveStatus.REFUSED.value):
        label += " door de leerplichtambtenaar"
    return label


def check_kind(kind: str) -> str:
    value = str(kind).strip()
    if value not in KIND_LABELS:
        raise ValidationError(f"Onbekende soort verlof '{kind}'. Kies uit: {', '.join(KIND_LABELS)}.")
    return value


def days_text(n: int) -> str:
    return dutch.plural(n, "schooldag", "schooldagen")


def school_year_of(session: Session, day: dt.date) -> SchoolYear | None:
    return session.exec(select(SchoolYear).where(SchoolYear.start_date <= day, SchoolYear.end_date >= day)).first()


def leave_school_days(session: Session, request: LeaveRequest) -> list[dt.date]:
    """The school days of the school in the request's range: the unit of the ten-day limits of art. 13a
    lid 2 and art. 14 lid 3 Lpw ("dagen per schooljaar"; see the module doc for why not the pupil's own days)."""
    if request.date_to < request.date_from:
        return []
    return SchoolCalendar(session, request.date_from, request.date_to).school_days()


def pupil_lesson_days(session: Session, request: LeaveRequest) -> list[dt.date]:
    """The pupil's own days with a scheduled lesson in the hours asked for: the days the leave exempts
    (art. 11 Lpw) and on which a grant registers absence."""
    if request.date_to < request.date_from:
        return []
    schedule = Schedule(session, request.date_from, request.date_to, [request.pupil_id])
    lo = request.start_minute if request.start_minute is not None else 0
    hi = request.end_minute if request.end_minute is not None else 24 * 60
    return [day for day in daterange(request.date_from, request.date_to)
            if any(min(les.end, hi) > max(les.start, lo) for les in schedule.lessons_for(request.pupil_id, day))]


def under_lpw(pupil: Pupil, request: LeaveRequest) -> bool:
    """False when the pupil is not yet leerplichtig (art. 3 Lpw) or 18 or older on both ends of the request
    (status changes only forwards in time, so then on every day of it)."""
    outside = (LeerplichtStatus.NOT_YET, LeerplichtStatus.ADULT)
    ends = {leerplicht_status(pupil.birth_date, d) for d in (request.date_from, request.date_to)}
    return not (len(ends) == 1 and ends <= set(outside))


def granted_in_year(session: Session, request: LeaveRequest, year: SchoolYear) -> list[LeaveRequest]:
    """Other granted requests of the same pupil and kind whose start lies in ``year`` (granted by the head
    or, after forwarding, by the leerplichtambtenaar)."""
    rows = session.exec(
        select(LeaveRequest).where(
            LeaveRequest.pupil_id == request.pupil_id, LeaveRequest.kind == request.kind,
            LeaveRequest.status == LeaveStatus.GRANTED.value,
            LeaveRequest.date_from >= year.start_date, LeaveRequest.date_from <= year.end_date,
        )
    ).all()  # fmt: skip
    return [r for r in rows if r.id is None or r.id != request.id]


def granted_days_in_year(session: Session, request: LeaveRequest, year: SchoolYear) -> int:
    """School days of the other granted requests of this kind in ``year`` (art. 14 lid 3 Lpw)."""
    return sum(len(leave_school_days(session, o)) for o in granted_in_year(session, request, year))


def must_forward(earlier_days: int, asked_days: int) -> bool:
    """Art. 14 lid 3 Lpw: above ten days per school year the leerplichtambtenaar decides."""
    return earlier_days + asked_days > MAX_LEAVE_DAYS
