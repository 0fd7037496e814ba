"""Leave requests (*verlof*): the checks of art. 13, 13a and 14 Lpw, the decision, and its registration.

Why this file is long: the checks of art. 13, 13a and 14 and the decision share the counting of school
days per school year; one module keeps each limit next to the rule that uses it.

A request is checked before the head decides (domain.md §6). Each rule cites its article. A granted request
registers the absence with the matching reason on every scheduled lesson in its range (source "verlof",
``AbsenceEntry.leave_request_id`` set); withdrawing it or deciding again removes exactly those entries.
Refused requests stay: absence during refused vakantieverlof is evidence of luxe verzuim (signals).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.changes import record_removal
from verzuimdesk.model.register.entries import report_absence
from verzuimdesk.model.register.timetable import Schedule
from verzuimdesk.model.school.calendar import SchoolCalendar, daterange
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import leerplicht_contact_for
from verzuimdesk.model.tables import AbsenceEntry, Category, Pupil, Reason, SchoolYear, Source
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest, LeaveStatus

MAX_LEAVE_DAYS = 10  # art. 13a lid 2 and art. 14 lid 3 Lpw: "ten hoogste tien dagen per schooljaar"
NOTICE_DAYS_RELIGIOUS = 2  # art. 13 Lpw: notice "uiterlijk twee dagen vóór de verhindering"
AFTER_THE_FACT_DAYS = 2  # art. 14 lid 2 Lpw: reasons told "binnen twee dagen na het ontstaan"

KIND_LABELS = {
    LeaveKind.HOLIDAY.value: "vakantieverlof",
    LeaveKind.IMPORTANT.value: "verlof wegens gewichtige omstandigheden",
    LeaveKind.RELIGIOUS.value: "verlof voor een religieuze verplichting",
}
STATUS_LABELS = {
    LeaveStatus.RECEIVED.value: "ingediend",
    LeaveStatus.GRANTED.value: "toegekend",
    LeaveStatus.REFUSED.value: "geweigerd",
    LeaveStatus.FORWARDED.value: "doorgestuurd naar de leerplichtambtenaar",
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


# ----------------------------------------------------------------------------------------- helpers


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def _check_kind(kind: str) -> str:
    value = str(kind).strip()
    if value not in KIND_LABELS:
        raise ValidationError(f"Onbekende soort verlof '{kind}'. Kies uit: {', '.join(KIND_LABELS)}.")
    return value


def school_year_of(session: Session, day: dt.date) -> SchoolYear | None:
    return session.exec(select(SchoolYear).where(SchoolYear.start_date <= day, SchoolYear.end_date >= day)).first()


def leave_school_days(session: Session, request: LeaveRequest) -> list[dt.date]:
    """The pupil's own school days in the request's range (days with a scheduled lesson in the hours
    asked for): the unit of the ten-day limits of art. 13a lid 2 and art. 14 lid 3."""
    if request.date_to < request.date_from:
        return []
    schedule = Schedule(session, request.date_from, request.date_to, [request.pupil_id])
    lo = request.start_minute if request.start_minute is not None else 0
    hi = request.end_minute if request.end_minute is not None else 24 * 60
    days = []
    for day in daterange(request.date_from, request.date_to):
        if any(min(les.end, hi) > max(les.start, lo) for les in schedule.lessons_for(request.pupil_id, day)):
            days.append(day)
    return days


def _granted_in_year(session: Session, request: LeaveRequest, year: SchoolYear) -> list[LeaveRequest]:
    """Other granted requests of the same pupil and kind whose start lies in ``year``."""
    rows = session.exec(
        select(LeaveRequest).where(
            LeaveRequest.pupil_id == request.pupil_id, LeaveRequest.kind == request.kind,
            LeaveRequest.status == LeaveStatus.GRANTED.value,
            LeaveRequest.date_from >= year.start_date, LeaveRequest.date_from <= year.end_date,
        )
    ).all()  # fmt: skip
    return [r for r in rows if r.id is None or r.id != request.id]


# ------------------------------------------------------------------------------------------ checks


def check_leave_request(session: Session, request: LeaveRequest) -> list[LeaveViolation]:
    """Everything the head must know before deciding: violations, the duty to forward, warnings."""
    out: list[LeaveViolation] = []
    kind = _check_kind(request.kind)
    pupil = session.get(Pupil, request.pupil_id)
    if pupil is None:
        return [LeaveViolation("leerling", "art. 2 Lpw", "Deze leerling bestaat niet (meer).")]
    name = display_name(pupil)
    if request.date_to < request.date_from:  # a range must run forwards
        return [LeaveViolation("volgorde", "art. 11 Lpw",
                               f"De einddatum {dutch.date_long(request.date_to)} ligt vóór de begindatum "
                               f"{dutch.date_long(request.date_from)}.")]  # fmt: skip
    if (request.start_minute is None) != (request.end_minute is None) or (
        request.start_minute is not None and request.end_minute is not None
        and request.end_minute <= request.start_minute
    ):  # fmt: skip
        out.append(LeaveViolation("tijden", "art. 11 Lpw", "Geef bij verlof voor een deel van de dag een "
                                  "begintijd en een latere eindtijd op."))  # fmt: skip
    # Art. 2 / art. 3 Lpw: leave is granted to an enrolled pupil; the school has no say about other days.
    if (pupil.enrolled_on and request.date_from < pupil.enrolled_on) or (
        pupil.left_on and request.date_to > pupil.left_on
    ):
        span = f"ingeschreven van {dutch.date_long(pupil.enrolled_on) if pupil.enrolled_on else 'onbekend'}"
        span += f" tot en met {dutch.date_long(pupil.left_on)}" if pupil.left_on else ""
        out.append(LeaveViolation("inschrijving", "art. 2 Lpw",
                                  f"{name} is in (een deel van) deze periode niet op school ingeschreven ({span})."))
    # The limits of art. 13a lid 2 and 14 lid 3 are per school year (1 augustus – 31 juli).
    year = school_year_of(session, request.date_from)
    if year is None or request.date_to > year.end_date:
        out.append(LeaveViolation("schooljaar", "art. 13a lid 2 / art. 14 lid 3 Lpw",
                                  "De periode ligt (deels) buiten een schooljaar van de school, of loopt over twee "
                                  "schooljaren heen. Vraag verlof aan per schooljaar."))  # fmt: skip
    days = leave_school_days(session, request)
    if not days:  # art. 11 Lpw: leave exempts from attending lessons; without lessons there is nothing to grant
        out.append(LeaveViolation("geen_schooldagen", "art. 11 Lpw",
                                  f"{name} heeft in deze periode geen lessen op het rooster; er valt geen verlof "
                                  "te verlenen."))  # fmt: skip
    if kind == LeaveKind.HOLIDAY.value:
        out += _check_holiday(session, request, year, days, name)
    elif kind == LeaveKind.IMPORTANT.value:
        out += _check_important(session, request, year, days, pupil)
    else:
        out += _check_religious(request)
    return out


def _check_holiday(session: Session, request: LeaveRequest, year: SchoolYear | None, days: list[dt.date],
                   name: str) -> list[LeaveViolation]:
    out: list[LeaveViolation] = []
    # Art. 13a lid 2 Lpw: at most ten days per school year.
    if len(days) > MAX_LEAVE_DAYS:
        out.append(LeaveViolation("te_lang", "art. 13a lid 2 Lpw",
                                  f"Vakantieverlof mag ten hoogste {dutch.plural(MAX_LEAVE_DAYS, 'schooldag', 'schooldagen')} per schooljaar duren; "
                                  f"deze aanvraag omvat {dutch.plural(len(days), 'schooldag', 'schooldagen')} (art. 13a lid 2 Leerplichtwet)."))
    if year is not None:
        # Art. 13a lid 2 Lpw: only once per school year.
        others = _granted_in_year(session, request, year)
        if others:
            o = others[0]
            out.append(LeaveViolation("tweede_keer", "art. 13a lid 2 Lpw",
                                      f"{name} kreeg in schooljaar {year.name} al vakantieverlof "
                                      f"({dutch.date_long(o.date_from)} t/m {dutch.date_long(o.date_to)}). Vakantieverlof mag "
                                      "maar één keer per schooljaar worden verleend (art. 13a lid 2 Leerplichtwet)."))
        # Art. 13a lid 2 Lpw: never in the first two lesweken of the school year.
        cal = SchoolCalendar(session, year.start_date, year.end_date)
        first = cal.lesweken()[:2]
        if first:
            end_second = first[-1] + dt.timedelta(days=6)
            hit = [d for d in cal.school_days(first[0], end_second) if request.date_from <= d <= request.date_to]
            if hit:
                out.append(LeaveViolation("eerste_lesweken", "art. 13a lid 2 Lpw",
                                          "Vakantieverlof kan geen betrekking hebben op de eerste twee lesweken van "
                                          f"het schooljaar ({dutch.date_long(first[0])} t/m {dutch.date_long(end_second)}); "
                                          "de aanvraag valt daar (deels) in (art. 13a lid 2 Leerplichtwet)."))
    # Art. 13a lid 1 Lpw: leave "op verzoek" before the holiday; a holiday already taken is luxe verzuim.
    if request.received_on > request.date_from:
        out.append(LeaveViolation("achteraf", "art. 13a lid 1 Lpw",
                                  "Vakantieverlof moet vooraf worden aangevraagd; deze aanvraag kwam binnen op "
                                  f"{dutch.date_long(request.received_on)}, na het begin van het verlof "
                                  "(art. 13a lid 1 Leerplichtwet). Afwezigheid zonder verlof is luxe verzuim."))
    # Art. 11 onder f Lpw: only because of the specific nature of a parent's occupation; usually proven by a statement.
    if not request.attachments.strip():
        out.append(LeaveViolation("werkgeversverklaring", "art. 11 onder f Lpw",
                                  "Er is geen bijlage vastgelegd. Vakantieverlof kan alleen als het beroep van een "
                                  "ouder vakantie in de schoolvakanties onmogelijk maakt (art. 11 onder f); meestal "
                                  "is een werkgeversverklaring (of bij zelfstandigen een eigen verklaring) nodig.",
                                  Severity.WARNING.value))  # fmt: skip
    return out


def _check_important(session: Session, request: LeaveRequest, year: SchoolYear | None, days: list[dt.date],
                     pupil: Pupil) -> list[LeaveViolation]:
    out: list[LeaveViolation] = []
    # Art. 14 lid 2 Lpw: without a prior request, the reasons must reach the head within two days.
    if request.received_on > request.date_from + dt.timedelta(days=AFTER_THE_FACT_DAYS):
        out.append(LeaveViolation("te_laat_gemeld", "art. 14 lid 2 Lpw",
                                  "Verlof achteraf kan alleen als de reden binnen twee dagen na het ontstaan van de "
                                  f"verhindering ({dutch.date_long(request.date_from)}) aan de directeur is gemeld; de "
                                  f"aanvraag kwam binnen op {dutch.date_long(request.received_on)} "
                                  "(art. 14 lid 2 Leerplichtwet)."))  # fmt: skip
    # Art. 14 lid 3 Lpw: the head grants at most ten days per school year; above that the leerplichtambtenaar.
    if year is not None:
        others = _granted_in_year(session, request, year)
        earlier = sum(len(leave_school_days(session, o)) for o in others)
        total = earlier + len(days)
        if total > MAX_LEAVE_DAYS:
            contact = leerplicht_contact_for(session, pupil.woongemeente) if pupil.woongemeente else None
            who = "de leerplichtambtenaar van de woongemeente"
            if pupil.woongemeente:
                who += f" ({pupil.woongemeente}" + (f", {contact.name}" if contact and contact.name else "") + ")"
            before = f"eerder toegekend {dutch.plural(earlier, 'schooldag', 'schooldagen')} + " if earlier else ""
            out.append(LeaveViolation("doorsturen", "art. 14 lid 3 Lpw",
                                      f"Samen {dutch.plural(total, 'schooldag', 'schooldagen')} in schooljaar {year.name} ({before}deze aanvraag "
                                      f"{dutch.plural(len(days), 'schooldag', 'schooldagen')}). De directeur mag ten hoogste {MAX_LEAVE_DAYS} "
                                      f"schooldagen per schooljaar verlenen; hierover beslist {who}, na de "
                                      "directeur gehoord te hebben. Stuur de aanvraag door "
                                      "(art. 14 lid 3 Leerplichtwet).", Severity.FORWARD.value))  # fmt: skip
    return out


def _check_religious(request: LeaveRequest) -> list[LeaveViolation]:
    # Art. 13 Lpw: the parents tell the head at least two days before the day of the obligation.
    latest = request.date_from - dt.timedelta(days=NOTICE_DAYS_RELIGIOUS)
    if request.received_on > latest:
        return [LeaveViolation("te_laat_gemeld", "art. 13 Lpw",
                               "Een religieuze verplichting moet uiterlijk twee dagen van tevoren aan de directeur "
                               f"worden gemeld (uiterlijk {dutch.date_long(latest)}); de melding kwam binnen op "
                               f"{dutch.date_long(request.received_on)} (art. 13 Leerplichtwet).")]  # fmt: skip
    return []


def blocking(violations: list[LeaveViolation]) -> list[LeaveViolation]:
    return [v for v in violations if v.blocks_granting]


# ---------------------------------------------------------------------------------------- operations


def submit_leave_request(
    session: Session, pupil_id: int, kind: str, date_from: dt.date, date_to: dt.date, *, received_on: dt.date,
    by: str, requested_by: str = "", reason_text: str = "", attachments: str = "",
    start_minute: int | None = None, end_minute: int | None = None, now: dt.datetime | None = None,
) -> LeaveRequest:  # fmt: skip
    """Store a request as received. Only nonsense is refused here; the law is checked at the decision."""
    kind = _check_kind(kind)
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    if date_to < date_from:
        raise ValidationError("De einddatum ligt vóór de begindatum.")
    request = LeaveRequest(
        pupil_id=pupil_id, kind=kind, date_from=date_from, date_to=date_to, start_minute=start_minute,
        end_minute=end_minute, reason_text=reason_text.strip(), requested_by=requested_by.strip(),
        received_on=received_on, attachments=attachments.strip(), created_at=now or dt.datetime.now(),
    )  # fmt: skip
    session.add(request)
    session.flush()
    audit(session, "verlofaanvraag", f"{kind_label(kind)} voor {pupil.key}, {date_from} t/m {date_to}", by=by)
    return request


def _reason_for(session: Session, kind: str) -> Reason:
    code, ground = REASON_FOR_KIND[kind]
    reason = session.exec(select(Reason).where(Reason.code == code)).first()
    if reason is None or reason.category != Category.AUTHORISED.value or reason.legal_ground != ground:
        reason = session.exec(
            select(Reason).where(Reason.category == Category.AUTHORISED.value, Reason.legal_ground == ground,
                                 Reason.is_lateness == False).order_by(col(Reason.sort_order))
        ).first()  # fmt: skip
    if reason is None:
        raise ValidationError(f"Er is geen geoorloofde reden met grond {ground} (art. 11 onder {ground} Lpw) om "
                              f"{kind_label(kind)} mee te registreren. Voeg die reden toe.")  # fmt: skip
    return reason


def remove_leave_entries(session: Session, request_id: int) -> int:
    """Delete exactly the register entries that a granted request created; returns how many."""
    rows = session.exec(select(AbsenceEntry).where(AbsenceEntry.leave_request_id == request_id)).all()
    for row in rows:
        record_removal(session, row, f"verlofaanvraag {request_id} ingetrokken of opnieuw besloten")
        session.delete(row)
    session.flush()
    return len(rows)


def decide_leave_request(
    session: Session, request_id: int, decision: str, *, by: str, motivation: str = "", on: dt.date | None = None,
) -> LeaveRequest:  # fmt: skip
    """The head's decision: toegekend, geweigerd, doorgestuurd (or ingetrokken). Granting registers the absence."""
    request = session.get(LeaveRequest, request_id)
    if request is None:
        raise ValidationError("Deze verlofaanvraag bestaat niet (meer).")
    decision = str(decision)
    if decision not in STATUS_LABELS or decision == LeaveStatus.RECEIVED.value:
        raise ValidationError(f"Onbekend besluit '{decision}': kies toegekend, geweigerd of doorgestuurd.")
    if decision == LeaveStatus.WITHDRAWN.value:
        return withdraw_leave_request(session, request_id, by=by, note=motivation, on=on)
    if request.status == LeaveStatus.WITHDRAWN.value:
        raise ValidationError("Deze aanvraag is ingetrokken; leg een nieuwe aanvraag vast als de ouders toch "
                              "verlof willen.")
    violations = check_leave_request(session, request)
    if decision == LeaveStatus.GRANTED.value and blocking(violations):
        # Art. 27 Lpw: granting leave against art. 13a lid 2 or 14 lid 3 is fined; the program refuses.
        lines = "\n".join(f"- {v.message}" for v in blocking(violations))
        hint = " Stuur de aanvraag door naar de leerplichtambtenaar." if any(
            v.severity == Severity.FORWARD.value for v in violations) else ""
        raise ValidationError("Dit verlof kan de directeur niet toekennen (wie het toch doet, riskeert een boete, "
                              f"art. 27 Leerplichtwet):\n{lines}{hint}")  # fmt: skip
    if decision == LeaveStatus.FORWARDED.value:
        # Art. 14 lid 3 Lpw: only leave for important circumstances above ten days goes to the leerplichtambtenaar.
        if request.kind != LeaveKind.IMPORTANT.value:
            raise ValidationError(f"Over {kind_label(request.kind)} beslist de directeur zelf; doorsturen naar de "
                                  "leerplichtambtenaar kan alleen bij gewichtige omstandigheden boven tien "
                                  "schooldagen (art. 14 lid 3 Leerplichtwet).")  # fmt: skip
        if not any(v.severity == Severity.FORWARD.value for v in violations):
            raise ValidationError("Tot en met tien schooldagen per schooljaar beslist de directeur zelf over verlof "
                                  "wegens gewichtige omstandigheden (art. 14 lid 3 Leerplichtwet).")  # fmt: skip
    if decision == LeaveStatus.REFUSED.value and not motivation.strip():
        if not blocking(violations):  # art. 3:46 Awb: a decision rests on a sound motivation
            raise ValidationError("Geef een motivering voor de weigering; die komt in de brief aan de ouders.")
        motivation = "\n".join(v.message for v in blocking(violations))
    if request.status == LeaveStatus.GRANTED.value:
        remove_leave_entries(session, request_id)
    request.status = decision
    request.decided_on = on or dt.date.today()
    request.decided_by = by
    request.motivation = motivation.strip()
    session.add(request)
    session.flush()
    if decision == LeaveStatus.GRANTED.value:
        _register(session, request, by)
    pupil = session.get(Pupil, request.pupil_id)
    audit(session, "verlofbesluit", f"{kind_label(request.kind)} {pupil.key if pupil else ''} "
                                    f"{request.date_from} t/m {request.date_to}: {decision}", by=by)  # fmt: skip
    return request


def _register(session: Session, request: LeaveRequest, by: str) -> None:
    """Art. 11 onder e/f/g Lpw: granted leave is authorised absence on every scheduled lesson in the range."""
    reason = _reason_for(session, request.kind)
    decided = dutch.date_long(request.decided_on or dt.date.today())
    entries = report_absence(
        session, request.pupil_id, request.date_from, request.date_to, reason.code, by=by,
        start=request.start_minute, end=request.end_minute, source=Source.LEAVE.value,
        note=f"{kind_label(request.kind).capitalize()} toegekend op {decided}",
    )  # fmt: skip
    for entry in entries:
        entry.leave_request_id = request.id
        session.add(entry)
    session.flush()


def withdraw_leave_request(session: Session, request_id: int, *, by: str, note: str = "",
                           on: dt.date | None = None) -> LeaveRequest:
    """The parents withdraw the request (or the head revokes the grant): its register entries go."""
    request = session.get(LeaveRequest, request_id)
    if request is None:
        raise ValidationError("Deze verlofaanvraag bestaat niet (meer).")
    removed = remove_leave_entries(session, request_id)
    request.status = LeaveStatus.WITHDRAWN.value
    request.decided_on = on or dt.date.today()
    request.decided_by = by
    if note.strip():
        request.motivation = note.strip()
    session.add(request)
    session.flush()
    audit(session, "verlof ingetrokken", f"aanvraag {request_id}; {removed} registraties verwijderd", by=by)
    return request


# ---------------------------------------------------------------------------------------- summaries


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
    """Per kind: granted requests and their school days, refused, forwarded and pending requests."""
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

