"""Leave requests: storing, the head's decision, the leerplichtambtenaar's decision, registration.

A granted request registers the absence with the matching reason on every scheduled lesson in its range
(source "verlof", ``AbsenceEntry.leave_request_id`` set); withdrawing it or deciding again removes exactly
those entries. Refused requests stay: absence during refused vakantieverlof is evidence of luxe verzuim.

Art. 14 lid 3 Lpw: above ten days the leerplichtambtenaar of the woongemeente decides. The head forwards
(status "doorgestuurd", ``decided_on``/``decided_by`` are the forwarding); the leerplichtambtenaar's decision
is recorded with :func:`record_lpa_decision` (granted or refused, by whom, on which date, why) and then sets
the status, so granted days register the absence and count toward the ten days of later requests.

Art. 13 Lpw: a religious obligation is a notice, not a request. The head confirms it (status "toegekend",
shown as "bevestigd") or records that it came too late (status "geweigerd", shown as "te laat gemeld") —
only when it did; a timely notice cannot be refused.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.audit import audit
from verzuimdesk.model.concurrency import check_version
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leave.checks import blocking, check_leave_request
from verzuimdesk.model.law.leave.counting import (
    REASON_FOR_KIND,
    STATUS_LABELS,
    Severity,
    check_kind,
    kind_label,
)
from verzuimdesk.model.register.changes import record_removal
from verzuimdesk.model.register.entries import report_absence
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.tables import AbsenceEntry, Category, Pupil, Reason, Source
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest, LeaveStatus

LPA_DECISIONS = (LeaveStatus.GRANTED.value, LeaveStatus.REFUSED.value)


def submit_leave_request(
    session: Session, pupil_id: int, kind: str, date_from: dt.date, date_to: dt.date, *, received_on: dt.date,
    by: str, requested_by: str = "", reason_text: str = "", attachments: str = "",
    start_minute: int | None = None, end_minute: int | None = None, now: dt.datetime | None = None,
) -> LeaveRequest:  # fmt: skip
    """Store a request as received. Only nonsense is refused here; the law is checked at the decision."""
    kind = check_kind(kind)
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


def _get(session: Session, request_id: int) -> LeaveRequest:
    request = session.get(LeaveRequest, request_id)
    if request is None:
        raise ValidationError("Deze verlofaanvraag bestaat niet (meer).")
    return request


def _checked(session: Session, request_id: int, expected_version: int | None, attempted: str) -> LeaveRequest:
    """The request, locked and checked against the version the screen loaded (issue 14 point 3: a decision
    taken meanwhile on another PC is a :class:`~verzuimdesk.model.errors.ConflictError`, nothing is stored)."""
    request = _get(session, request_id)
    if expected_version is None:
        return request
    pupil = session.get(Pupil, request.pupil_id)
    what = (f"De verlofaanvraag van {display_name(pupil) if pupil else 'deze leerling'} "
            f"({kind_label(request.kind)}, {dutch.span_long(request.date_from, request.date_to)})")  # fmt: skip
    checked = check_version(session, LeaveRequest, request_id, expected_version, what, (attempted,))
    assert checked is not None
    return checked


def decide_leave_request(
    session: Session, request_id: int, decision: str, *, by: str, motivation: str = "", on: dt.date | None = None,
    expected_version: int | None = None,
) -> LeaveRequest:  # fmt: skip
    """The head's decision: toegekend, geweigerd, doorgestuurd (or ingetrokken). Granting registers the absence.
    ``expected_version``: the request's version as the screen showed it (None: no check, e.g. the command line)."""
    request = _checked(session, request_id, expected_version,
                       f"Besluit: {decision}" + (f" — motivering: {motivation.strip()}" if motivation.strip() else ""))
    decision = str(decision)
    if decision not in STATUS_LABELS or decision == LeaveStatus.RECEIVED.value:
        raise ValidationError(f"Onbekend besluit '{decision}': kies toegekend, geweigerd of doorgestuurd.")
    if decision == LeaveStatus.WITHDRAWN.value:
        return withdraw_leave_request(session, request_id, by=by, note=motivation, on=on)
    if request.status == LeaveStatus.WITHDRAWN.value:
        raise ValidationError("Deze aanvraag is ingetrokken; leg een nieuwe aanvraag vast als de ouders toch "
                              "verlof willen.")
    if request.status == LeaveStatus.FORWARDED.value or request.lpa_decision:
        # Art. 14 lid 3 Lpw: once forwarded, the leerplichtambtenaar decides, not the head.
        raise ValidationError("Deze aanvraag is doorgestuurd; de leerplichtambtenaar beslist erover (art. 14 lid 3 "
                              "Leerplichtwet). Leg het besluit van de leerplichtambtenaar vast.")  # fmt: skip
    violations = check_leave_request(session, request)
    religious = request.kind == LeaveKind.RELIGIOUS.value
    if decision == LeaveStatus.GRANTED.value and blocking(violations):
        if religious:  # art. 13 Lpw: a late notice is not confirmed; record that it was late
            raise ValidationError("Deze melding kan niet worden bevestigd:\n"
                                  + "\n".join(f"- {v.message}" for v in blocking(violations)))
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
                                  "wegens gewichtige omstandigheden (art. 14 lid 3 Leerplichtwet). Voor een leerling "
                                  "die niet leerplichtig is, beslist altijd de school.")  # fmt: skip
    if decision == LeaveStatus.REFUSED.value and religious:
        # Art. 13 Lpw: a timely notice exempts by law; there is nothing to refuse.
        late = [v for v in violations if v.code == "te_laat_gemeld"]
        if not late:
            raise ValidationError("Een religieuze verplichting die op tijd is gemeld, geeft vrijstelling van "
                                  "rechtswege (art. 13 Leerplichtwet); de directeur kan haar niet weigeren. "
                                  "Bevestig de melding.")  # fmt: skip
        motivation = motivation.strip() or late[0].message
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
        _register(session, request, by, note=f"{kind_label(request.kind).capitalize()} "
                  f"{'bevestigd' if religious else 'toegekend'} op {dutch.date_long(request.decided_on)}")
    pupil = session.get(Pupil, request.pupil_id)
    audit(session, "verlofbesluit", f"{kind_label(request.kind)} {pupil.key if pupil else ''} "
                                    f"{request.date_from} t/m {request.date_to}: {decision}", by=by)  # fmt: skip
    return request


def record_lpa_decision(
    session: Session, request_id: int, decision: str, *, lpa_name: str, on: dt.date, by: str, motivation: str = "",
    expected_version: int | None = None,
) -> LeaveRequest:  # fmt: skip
    """Art. 14 lid 3 Lpw: the leerplichtambtenaar's decision on a forwarded request (toegekend or geweigerd),
    by whom and on which date. Granted days register the absence and count toward the ten days of art. 14
    lid 3 for later requests in the school year. Recording it again replaces the earlier record (audited)."""
    request = _checked(session, request_id, expected_version, f"Besluit van de leerplichtambtenaar ({lpa_name}): "
                       f"{decision}" + (f" — motivering: {motivation.strip()}" if motivation.strip() else ""))
    if request.status != LeaveStatus.FORWARDED.value and not request.lpa_decision:
        raise ValidationError("Alleen over een doorgestuurde aanvraag beslist de leerplichtambtenaar; deze aanvraag "
                              "is niet doorgestuurd.")  # fmt: skip
    if request.status == LeaveStatus.WITHDRAWN.value:
        raise ValidationError("Deze aanvraag is ingetrokken.")
    if decision not in LPA_DECISIONS:
        raise ValidationError(f"Onbekend besluit '{decision}': kies toegekend of geweigerd.")
    if not lpa_name.strip():
        raise ValidationError("Vul in welke leerplichtambtenaar het besluit nam.")
    if request.decided_on is not None and on < request.decided_on:
        raise ValidationError(f"De datum van het besluit ({dutch.date_long(on)}) ligt vóór het doorsturen "
                              f"({dutch.date_long(request.decided_on)}).")  # fmt: skip
    if decision == LeaveStatus.REFUSED.value and not motivation.strip():
        raise ValidationError("Neem de motivering van de leerplichtambtenaar over (of een korte samenvatting).")
    previous = request.lpa_decision
    remove_leave_entries(session, request_id)
    request.lpa_decision = decision
    request.lpa_decided_by = lpa_name.strip()
    request.lpa_decided_on = on
    request.lpa_motivation = motivation.strip()
    request.status = decision
    session.add(request)
    session.flush()
    if decision == LeaveStatus.GRANTED.value:
        _register(session, request, by, note=f"{kind_label(request.kind).capitalize()} toegekend door de "
                  f"leerplichtambtenaar ({request.lpa_decided_by}) op {dutch.date_long(on)}")
    pupil = session.get(Pupil, request.pupil_id)
    again = f" (was: {previous})" if previous else ""
    audit(session, "verlofbesluit leerplichtambtenaar",
          f"{kind_label(request.kind)} {pupil.key if pupil else ''} {request.date_from} t/m {request.date_to}: "
          f"{decision} door {request.lpa_decided_by} op {on}{again}", by=by)  # fmt: skip
    return request


def _register(session: Session, request: LeaveRequest, by: str, *, note: str) -> None:
    """Art. 11 onder e/f/g Lpw: granted leave is authorised absence on every scheduled lesson in the range."""
    reason = _reason_for(session, request.kind)
    entries = report_absence(
        session, request.pupil_id, request.date_from, request.date_to, reason.code, by=by,
        start=request.start_minute, end=request.end_minute, source=Source.LEAVE.value, note=note,
    )  # fmt: skip
    for entry in entries:
        entry.leave_request_id = request.id
        session.add(entry)
    session.flush()


def withdraw_leave_request(session: Session, request_id: int, *, by: str, note: str = "",
                           on: dt.date | None = None) -> LeaveRequest:
    """The parents withdraw the request (or the head revokes the grant): its register entries go."""
    request = _get(session, request_id)
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
