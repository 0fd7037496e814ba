"""Read helpers for the Verlof, Meldingen and Dossier screens (rows with names and groups), and the one
edit a concept melding needs. Every rule stays in leave.py / meldingen.py / dossier.py; this only joins.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from verzuimdesk.model.audit import audit
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leave import kind_label, leave_requests, leave_school_days, status_label
from verzuimdesk.model.law.leerplicht import age_on, leerplicht_status
from verzuimdesk.model.law.meldingen import KIND_LABELS, specification
from verzuimdesk.model.register.figures import Figures, FiguresEngine
from verzuimdesk.model.school.calendar import school_year_for
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import group_on
from verzuimdesk.model.tables import Guardian, Pupil
from verzuimdesk.model.tables.law import LeaveRequest, Melding, MeldingDay, MeldingStatusValue


@dataclass(frozen=True)
class LeaveRow:
    request: LeaveRequest
    pupil_name: str
    group: str
    school_days: int

    @property
    def id(self) -> int:
        assert self.request.id is not None
        return self.request.id

    @property
    def kind_text(self) -> str:
        return kind_label(self.request.kind)

    @property
    def status_text(self) -> str:
        return status_label(self.request)


def leave_rows(session: Session, *, school_year: str | None = None, status: str | None = None) -> list[LeaveRow]:
    """Leave requests with the pupil's name, group (on the first day) and number of school days."""
    out = []
    names: dict[int, str] = {}
    for request in leave_requests(session, school_year=school_year, status=status):
        session.expunge(request)
        if request.pupil_id not in names:
            pupil = session.get(Pupil, request.pupil_id)
            names[request.pupil_id] = display_name(pupil) if pupil else "?"
        group = group_on(session, request.pupil_id, request.date_from)
        out.append(LeaveRow(request, names[request.pupil_id], group.name if group else "",
                            len(leave_school_days(session, request))))  # fmt: skip
    return out


@dataclass(frozen=True)
class MeldingRow:
    melding: Melding
    pupil_name: str
    group: str

    @property
    def id(self) -> int:
        assert self.melding.id is not None
        return self.melding.id

    def age_days(self, today: dt.date) -> int:
        return (today - self.melding.created_at.date()).days


def melding_rows(session: Session) -> list[MeldingRow]:
    rows = session.exec(select(Melding).order_by(col(Melding.begin_date).desc(), col(Melding.id).desc())).all()
    out = []
    for m in rows:
        pupil = session.get(Pupil, m.pupil_id)
        group = group_on(session, m.pupil_id, m.begin_date)
        session.expunge(m)
        out.append(MeldingRow(m, display_name(pupil) if pupil else "?", group.name if group else ""))
    return out


MELDING_EDITABLE = {
    "kind", "begin_date", "end_date", "presumed_reason", "all_lessons_missed", "school_action",
    "municipality_action_wanted", "municipality_action_why_not", "location_name", "reporter_name",
    "reporter_function", "reporter_phone", "reporter_email", "parent_phone", "deviating_address", "gemeente",
}  # fmt: skip


def update_melding(session: Session, melding_id: int, *, by: str, today: dt.date | None = None,
                   **changes: Any) -> Melding:
    """Change the fields of a concept melding (Besluit Verzuimmelding annex). A changed period takes a new
    specification snapshot (unauthorised absence only, meldingen.specification)."""
    melding = session.get(Melding, melding_id)
    if melding is None:
        raise ValidationError("Deze melding bestaat niet (meer).")
    if melding.status != MeldingStatusValue.DRAFT.value:
        raise ValidationError("Alleen een concept-melding kan worden gewijzigd; deze is al doorgegeven aan DUO.")
    unknown = set(changes) - MELDING_EDITABLE
    if unknown:
        raise ValidationError(f"Onbekende velden: {', '.join(sorted(unknown))}.")
    if "kind" in changes and changes["kind"] not in KIND_LABELS:
        raise ValidationError(f"Onbekende soort melding '{changes['kind']}'.")
    period = (melding.begin_date, melding.end_date)
    for key, value in changes.items():
        setattr(melding, key, value.strip() if isinstance(value, str) else value)
    if melding.end_date is not None and melding.end_date < melding.begin_date:
        raise ValidationError("De einddatum van de melding ligt vóór de begindatum.")
    if (melding.begin_date, melding.end_date) != period:
        for day in session.exec(select(MeldingDay).where(MeldingDay.melding_id == melding_id)).all():
            session.delete(day)
        end = melding.end_date or today or dt.date.today()
        days = specification(session, melding.pupil_id, melding.begin_date, max(end, melding.begin_date),
                             kind=melding.kind)
        for d in days:
            session.add(MeldingDay(melding_id=melding_id, date=d.date, lessons=",".join(map(str, d.lessons)),
                                   minutes=d.minutes, whole_day=d.whole_day))  # fmt: skip
        melding.minutes_unauthorised = sum(d.minutes for d in days)
        melding.absence_days = len(days)
    session.add(melding)
    session.flush()
    audit(session, "melding gewijzigd", f"melding {melding_id}", by=by)
    return melding


@dataclass(frozen=True)
class PupilHeader:
    id: int
    name: str
    key: str
    group: str
    age: int | None
    status: str
    phones: list[str]
    birth_date: dt.date | None


def pupil_header(session: Session, pupil_id: int, today: dt.date) -> PupilHeader:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    group = group_on(session, pupil_id, today)
    phones = [f"{g.name} ({g.relation}): {g.phone}" if g.relation else f"{g.name}: {g.phone}"
              for g in session.exec(select(Guardian).where(Guardian.pupil_id == pupil_id).order_by(col(Guardian.id))).all()
              if g.phone.strip()]  # fmt: skip
    return PupilHeader(pupil_id, display_name(pupil), pupil.key, group.name if group else "",
                       age_on(pupil.birth_date, today) if pupil.birth_date else None,
                       leerplicht_status(pupil.birth_date, today, group.uitstroomprofiel if group else "").value,
                       phones, pupil.birth_date)  # fmt: skip


def school_year_figures(session: Session, pupil_id: int, today: dt.date) -> tuple[str, Figures] | None:
    """The pupil's figures in the school year of ``today`` up to today (FiguresEngine: the one place)."""
    year = school_year_for(session, today)
    if year is None:
        return None
    end = min(today, year.end_date)
    engine = FiguresEngine(session, year.start_date, end, [pupil_id])
    return year.name, engine.pupil_period(pupil_id, year.start_date, end)
