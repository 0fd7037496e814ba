"""The checks of a leave request before the head decides (art. 11, 13, 13a, 14 Lpw; domain.md §6).

Each finding cites its article. Violations block granting (art. 27 Lpw: the head who grants against
art. 13a or 14 is fined); a "doorsturen" finding means the leerplichtambtenaar decides (art. 14 lid 3);
warnings inform. How days are counted, and who is under the Lpw, is in :mod:`.counting`.

The one rule that is school policy, not law: vakantieverlof asked later than the school's term before the
leave (setting ``verlof_termijn_weken``, default 8 weeks) gets a warning; the law sets no term, so it never
blocks granting.
"""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.law.leave.counting import (
    AFTER_THE_FACT_DAYS,
    HOLIDAY_NOTICE_SETTING,
    HOLIDAY_NOTICE_WEEKS,
    MAX_LEAVE_DAYS,
    NOTICE_DAYS_RELIGIOUS,
    LeaveViolation,
    Severity,
    check_kind,
    days_text,
    granted_days_in_year,
    granted_in_year,
    leave_school_days,
    must_forward,
    pupil_lesson_days,
    school_year_of,
    under_lpw,
)
from verzuimdesk.model.school.calendar import SchoolCalendar
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import leerplicht_contact_for
from verzuimdesk.model.store import get_setting
from verzuimdesk.model.tables import Pupil, SchoolYear
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest


def holiday_notice_weeks(session: Session) -> int:
    """The school's term for vakantieverlof requests in weeks (school policy; default 8)."""
    raw = get_setting(session, HOLIDAY_NOTICE_SETTING, "").strip()
    return int(raw) if raw.isdigit() and int(raw) > 0 else HOLIDAY_NOTICE_WEEKS


def check_leave_request(session: Session, request: LeaveRequest) -> list[LeaveViolation]:
    """Everything the head must know before deciding: violations, the duty to forward, warnings."""
    out: list[LeaveViolation] = []
    kind = check_kind(request.kind)
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
    if not pupil_lesson_days(session, request):  # art. 11 Lpw: leave exempts from lessons; none, nothing to grant
        out.append(LeaveViolation("geen_schooldagen", "art. 11 Lpw",
                                  f"{name} heeft in deze periode geen lessen op het rooster; er valt geen verlof "
                                  "te verlenen."))  # fmt: skip
    # Art. 3 Lpw: a pupil not (yet, or no longer) under the Lpw is not bound by its leave rules.
    if not under_lpw(pupil, request):
        out.append(LeaveViolation("geen_leerplicht", "art. 3 Lpw",
                                  f"{name} is in deze periode niet leerplichtig (nog geen vijf jaar, of 18 jaar of "
                                  "ouder). De verlofregels van de Leerplichtwet gelden niet; de school beslist "
                                  "volgens haar eigen afspraken.", Severity.WARNING.value))  # fmt: skip
        return out
    # The limits of art. 13a lid 2 and 14 lid 3 are per school year (1 augustus – 31 juli).
    year = school_year_of(session, request.date_from)
    if year is None or request.date_to > year.end_date:
        out.append(LeaveViolation("schooljaar", "art. 13a lid 2 / art. 14 lid 3 Lpw",
                                  "De periode ligt (deels) buiten een schooljaar van de school, of loopt over twee "
                                  "schooljaren heen. Vraag verlof aan per schooljaar."))  # fmt: skip
    days = leave_school_days(session, request)
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
                                  f"Vakantieverlof mag ten hoogste {MAX_LEAVE_DAYS} schooldagen per schooljaar duren; "
                                  f"deze aanvraag omvat {days_text(len(days))} (art. 13a lid 2 Leerplichtwet)."))
    if year is not None:
        # Art. 13a lid 2 Lpw: only once per school year.
        others = granted_in_year(session, request, year)
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
    else:
        # School policy (not law): vakantieverlof is asked a number of weeks ahead (default 8).
        weeks = holiday_notice_weeks(session)
        if request.received_on > request.date_from - dt.timedelta(weeks=weeks):
            out.append(LeaveViolation("laat_aangevraagd", "verlofbeleid van de school",
                                      f"De aanvraag kwam binnen op {dutch.date_long(request.received_on)}, minder dan "
                                      f"{weeks} weken voor het verlof ({dutch.date_long(request.date_from)}). De school "
                                      f"vraagt vakantieverlof ten minste {weeks} weken van tevoren aan te vragen; de "
                                      "wet stelt geen termijn, dus de directeur kan het verlof wel verlenen.",
                                      Severity.WARNING.value))  # fmt: skip
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
        earlier = granted_days_in_year(session, request, year)
        if must_forward(earlier, len(days)):
            total = earlier + len(days)
            contact = leerplicht_contact_for(session, pupil.woongemeente) if pupil.woongemeente else None
            who = "de leerplichtambtenaar van de woongemeente"
            if pupil.woongemeente:
                who += f" ({pupil.woongemeente}" + (f", {contact.name}" if contact and contact.name else "") + ")"
            before = f"eerder toegekend {days_text(earlier)} + " if earlier else ""
            out.append(LeaveViolation("doorsturen", "art. 14 lid 3 Lpw",
                                      f"Samen {days_text(total)} in schooljaar {year.name} ({before}deze aanvraag "
                                      f"{days_text(len(days))}). De directeur mag ten hoogste {MAX_LEAVE_DAYS} "
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
                               f"{dutch.date_long(request.received_on)} (art. 13 Leerplichtwet). Leg vast dat de "
                               "melding te laat was.")]  # fmt: skip
    return []


def blocking(violations: list[LeaveViolation]) -> list[LeaveViolation]:
    return [v for v in violations if v.blocks_granting]
