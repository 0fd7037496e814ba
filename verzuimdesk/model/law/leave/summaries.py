"""Leave requests listed and summed per kind and school year (the Verlof screen, the dossier, the CLI)."""

from __future__ import annotations

from sqlmodel import Session, col, select

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leave.counting import KIND_LABELS, KindSummary, leave_school_days
from verzuimdesk.model.tables import SchoolYear
from verzuimdesk.model.tables.law import LeaveRequest, LeaveStatus


def leave_requests(session: Session, *, pupil_id: int | None = None, school_year: str | None = None,
                   status: str | None = None) -> list[LeaveRequest]:
    q = select(LeaveRequest)
    if pupil_id is not None:
        q = q.where(LeaveRequest.pupil_id == pupil_id)
    if status:
        q = q.where(LeaveRequest.status == status)
    if school_year:
        year = session.exec(select(SchoolYear).where(SchoolYear.name == school_year)).first()
        if year is None:
            raise ValidationError(f"Schooljaar {school_year} bestaat niet in deze database.")
        q = q.where(LeaveRequest.date_from >= year.start_date, LeaveRequest.date_from <= year.end_date)
    return list(session.exec(q.order_by(col(LeaveRequest.date_from).desc(), col(LeaveRequest.id).desc())).all())


def leave_summary(session: Session, pupil_id: int, school_year: str) -> dict[str, KindSummary]:
    """Per kind: granted requests and their school days (granted by the head or by the leerplichtambtenaar),
    refused, forwarded-and-undecided and pending requests."""
    out = {kind: KindSummary(kind) for kind in KIND_LABELS}
    for request in leave_requests(session, pupil_id=pupil_id, school_year=school_year):
        summary = out.setdefault(request.kind, KindSummary(request.kind))
        assert request.id is not None
        summary.request_ids.append(request.id)
        if request.status == LeaveStatus.GRANTED.value:
            summary.granted_requests += 1
            summary.granted_days += len(leave_school_days(session, request))
        elif request.status == LeaveStatus.REFUSED.value:
            summary.refused_requests += 1
        elif request.status == LeaveStatus.FORWARDED.value:
            summary.forwarded_requests += 1
        elif request.status == LeaveStatus.RECEIVED.value:
            summary.pending_requests += 1
    return out
