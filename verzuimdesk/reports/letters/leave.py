"""The decision letter on a leave request, for the parents (domain.md §6), as an A4 PDF.

It names the decision, the legal basis (art. 11, 13, 13a, 14 Lpw), for a refusal the motivation
(art. 3:46 Awb) and how to object: within six weeks after the date of the decision (art. 6:7 Awb) with the
body that decided (art. 6:4 Awb) — the director, or for a forwarded request the leerplichtambtenaar, to whom
art. 14 lid 3 Lpw gives the power to decide (not the college van B&W).

Choices (issue 9, point 9; also in ``docs/law.md``):
- A religious obligation (art. 13 Lpw) is a notice, not a request: the letter confirms it, or says that it
  came too late and the exemption therefore does not apply; it is not a refusal and has no bezwaar section.
- A refusal says that absence anyway is ongeoorloofd verzuim. It cites the duty to report of art. 21a Lpw
  only where the 16 hours can apply: the pupil is leerplichtig or kwalificatieplichtig and has at least
  16 hours of scheduled lessons in the refused period within four consecutive lesweken. Otherwise it says
  that the school may report it to the leerplichtambtenaar, without citing art. 21a.
"""

from __future__ import annotations

import datetime as dt

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.leave import NOTICE_DAYS_RELIGIOUS, kind_label, leave_school_days, under_lpw
from verzuimdesk.model.register.timetable import Schedule
from verzuimdesk.model.school.calendar import daterange, week_monday
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import get_school, group_on, leerplicht_contact_for
from verzuimdesk.model.tables import Guardian, Pupil
from verzuimdesk.model.tables.law import LeaveKind, LeaveRequest, LeaveStatus
from verzuimdesk.reports.pdf_common import boxed, build_pdf, dutch_date, letterhead, para, styles

TEXT_WIDTH = A4[0] - 2 * 22 * mm - 12  # a letter's frame (pdf_common.build_pdf without a header), minus padding


def letter_sheet() -> dict[str, ParagraphStyle]:
    """Letter styles: the shared ones, a little tighter so that a decision fits one A4 page."""
    base = styles()
    return {
        "Body": ParagraphStyle("LetterBody", parent=base["Body"], fontSize=9.5, leading=13, spaceAfter=5),
        "Small": base["Small"],
        "Subject": ParagraphStyle("LetterSubject", parent=base["Subject"], fontSize=10, leading=13.5),
        "Heading": ParagraphStyle("LetterHeading", parent=base["Heading"], fontSize=9.5, spaceBefore=5,
                                  spaceAfter=2),
        "Boxed": ParagraphStyle("LetterBoxed", parent=base["Boxed"], fontSize=10, leading=13.5),
    }


LEGAL_BASIS = {
    LeaveKind.HOLIDAY.value: (
        "Artikel 11 onder f en artikel 13a van de Leerplichtwet 1969: de directeur kan vakantieverlof verlenen "
        "als uw kind door de specifieke aard van het beroep van een van de ouders alleen buiten de schoolvakanties "
        "met het gezin op vakantie kan gaan. Dit verlof mag maar één keer per schooljaar worden verleend, voor "
        "ten hoogste tien schooldagen, en nooit in de eerste twee lesweken van het schooljaar (artikel 13a lid 2)."
    ),
    LeaveKind.IMPORTANT.value: (
        "Artikel 11 onder g en artikel 14 van de Leerplichtwet 1969: de directeur kan verlof verlenen wegens "
        "gewichtige omstandigheden (bijvoorbeeld een huwelijk, een begrafenis of ernstige ziekte in de familie), "
        "voor ten hoogste tien schooldagen per schooljaar. Gaat het om meer dan tien schooldagen per schooljaar, "
        "dan beslist de leerplichtambtenaar van de woongemeente, na de directeur gehoord te hebben (artikel 14 "
        "lid 3). Wie geen verlof kon vragen, meldt de reden binnen twee dagen (artikel 14 lid 2)."
    ),
    LeaveKind.RELIGIOUS.value: (
        "Artikel 11 onder e en artikel 13 van de Leerplichtwet 1969: uw kind is vrijgesteld van schoolbezoek voor "
        "het vervullen van plichten die voortvloeien uit godsdienst of levensovertuiging, als u dit uiterlijk "
        "twee dagen van tevoren aan de directeur meldt. Dit is een melding, geen aanvraag: de directeur beslist "
        "er niet over, maar bevestigt haar of stelt vast dat zij te laat was."
    ),
}
MELDGRENS_MINUTES = 16 * 60  # art. 21a Lpw: 16 hours within four consecutive lesweken


def reaches_melding_threshold(session: Session, request: LeaveRequest) -> bool:
    """Whether the pupil has at least 16 scheduled hours within four consecutive lesweken of the request's
    range (in the hours asked for): only then can absence in it alone oblige a melding (art. 21a Lpw)."""
    schedule = Schedule(session, request.date_from, request.date_to, [request.pupil_id])
    lo = request.start_minute if request.start_minute is not None else 0
    hi = request.end_minute if request.end_minute is not None else 24 * 60
    weeks: dict[dt.date, int] = {}
    for day in daterange(request.date_from, request.date_to):
        minutes = sum(max(0, min(les.end, hi) - max(les.start, lo)) for les in schedule.lessons_for(request.pupil_id, day))
        if minutes:
            weeks[week_monday(day)] = weeks.get(week_monday(day), 0) + minutes
    totals = [weeks[w] for w in sorted(weeks)]
    return any(sum(totals[i:i + 4]) >= MELDGRENS_MINUTES for i in range(len(totals)))


def _addressee(session: Session, request: LeaveRequest, pupil: Pupil) -> list[str]:
    guardians = session.exec(select(Guardian).where(Guardian.pupil_id == pupil.id).order_by(col(Guardian.id))).all()
    names = request.requested_by or " en ".join(g.name for g in guardians if g.name)
    lines = [f"Aan de ouders/verzorgers van {display_name(pupil)}"]
    if names:
        lines.append(f"t.a.v. {names}")
    lines += [pupil.address, " ".join(p for p in (pupil.postcode, pupil.city) if p)]
    return [line for line in lines if line]


def _period(request: LeaveRequest, days: int) -> str:
    if request.date_from == request.date_to:
        text = f"op {dutch_date(request.date_from)}"
    else:
        text = f"van {dutch_date(request.date_from)} tot en met {dutch_date(request.date_to)}"
    if request.start_minute is not None and request.end_minute is not None:
        text += f", van {dutch.clock(request.start_minute)} tot {dutch.clock(request.end_minute)} uur"
    unit = "schooldag" if days == 1 else "schooldagen"
    return f"{text} ({days} {unit})"


def leave_letter_pdf(session: Session, request_id: int) -> bytes:
    """The decision letter as PDF bytes; only for a decided request (toegekend, geweigerd, doorgestuurd)."""
    request = session.get(LeaveRequest, request_id)
    if request is None:
        raise ValidationError("Deze verlofaanvraag bestaat niet (meer).")
    if request.status not in (LeaveStatus.GRANTED.value, LeaveStatus.REFUSED.value, LeaveStatus.FORWARDED.value):
        raise ValidationError("Over deze aanvraag is nog geen besluit genomen (of zij is ingetrokken); er is geen "
                              "besluitbrief te maken.")  # fmt: skip
    pupil = session.get(Pupil, request.pupil_id)
    assert pupil is not None
    school = get_school(session)
    sheet = letter_sheet()
    name = display_name(pupil)
    letter_date = request.lpa_decided_on or request.decided_on or dt.date.today()
    days = len(leave_school_days(session, request))
    group = group_on(session, pupil.id, request.date_from) if pupil.id is not None else None

    story: list[Flowable] = letterhead(school)
    story.append(para("\n".join(_addressee(session, request, pupil)), sheet["Body"]))
    story.append(Spacer(1, 6 * mm))
    place = f"{school.city}, " if school is not None and school.city else ""
    story.append(para(f"{place}{dutch_date(letter_date)}", sheet["Body"]))
    noun = "melding" if request.kind == LeaveKind.RELIGIOUS.value else "aanvraag"
    story.append(para(f"Kenmerk: verlof-{request.id} · uw {noun} van {dutch_date(request.received_on)}",
                      sheet["Small"]))  # fmt: skip
    religious = request.kind == LeaveKind.RELIGIOUS.value
    what = "uw melding van een religieuze verplichting" if religious else f"uw aanvraag voor {kind_label(request.kind)}"
    subject = f"reactie op {what}" if religious else f"besluit op {what}"
    story.append(para(f"Betreft: {subject} voor {name}", sheet["Subject"]))
    story.append(para("Geachte ouders/verzorgers,", sheet["Body"]))
    in_group = f" uit {group.name}" if group is not None else ""
    story.append(para(f"Op {dutch_date(request.received_on)} ontvingen wij {what} voor {name}{in_group}, "
                      f"{_period(request, days)}."
                      + (f" Als reden gaf u op: {request.reason_text.rstrip('.')}." if request.reason_text else ""),
                      sheet["Body"]))  # fmt: skip
    story.append(boxed(_decision(session, request, pupil, name, sheet), width=TEXT_WIDTH))
    story.append(Spacer(1, 3 * mm))
    motivation = request.lpa_motivation if request.lpa_decision else request.motivation
    if motivation and request.status != LeaveStatus.GRANTED.value and not religious:
        label = "Motivering" if request.status == LeaveStatus.REFUSED.value else "Toelichting"
        story += [para(label, sheet["Heading"]), para(motivation, sheet["Body"])]
    story += [para("Wettelijke grondslag", sheet["Heading"]), para(LEGAL_BASIS[request.kind], sheet["Body"])]
    if not religious:  # art. 13 Lpw: a notice, not a decision on a request; nothing to object to
        story += [para("Bezwaar maken", sheet["Heading"]), para(_objection(session, request, pupil), sheet["Body"])]
    director = (school.director if school is not None and school.director else "") or request.decided_by
    story.append(KeepTogether([
        Spacer(1, 4 * mm), para("Met vriendelijke groet,", sheet["Body"]), Spacer(1, 10 * mm),
        para(director, sheet["Body"]),
        para(f"directeur {school.name}" if school is not None else "directeur", sheet["Small"]),
    ]))  # fmt: skip
    footer = f"{school.name if school else ''} — " + (f"reactie op melding verlof-{request.id}" if religious else
                                                      f"besluit op verlofaanvraag verlof-{request.id}")
    return build_pdf(story, title=f"Besluit verlofaanvraag {name}", footer=footer)


def _decision(session: Session, request: LeaveRequest, pupil: Pupil, name: str,
              sheet: dict[str, ParagraphStyle]) -> list[Flowable]:
    first = pupil.roepnaam or name
    if request.kind == LeaveKind.RELIGIOUS.value:  # art. 13 Lpw: a notice, confirmed or late
        if request.status == LeaveStatus.GRANTED.value:
            return [para("Wij bevestigen uw melding.", sheet["Boxed"]),
                    para(f"{first} is in deze periode vrijgesteld van schoolbezoek en dus geoorloofd afwezig "
                         "(artikel 11 onder e Leerplichtwet). Wij hebben dit in onze verzuimregistratie vastgelegd.",
                         sheet["Body"])]  # fmt: skip
        return [para("Uw melding kwam te laat.", sheet["Boxed"]),
                para(f"De wet vraagt u een religieuze verplichting uiterlijk twee dagen van tevoren aan de directeur "
                     f"te melden (artikel 13 Leerplichtwet), hier uiterlijk op "
                     f"{dutch_date(request.date_from - dt.timedelta(days=NOTICE_DAYS_RELIGIOUS))}; uw melding kwam "
                     f"op {dutch_date(request.received_on)}. Omdat de melding te laat was, geldt de vrijstelling "
                     f"niet: is {first} in deze periode afwezig, dan is dat ongeoorloofd verzuim.",
                     sheet["Body"])]  # fmt: skip
    if request.lpa_decision:  # art. 14 lid 3 Lpw: the leerplichtambtenaar decided; the school tells the outcome
        when = dutch_date(request.lpa_decided_on) if request.lpa_decided_on else "onbekende datum"
        by = f"De leerplichtambtenaar ({request.lpa_decided_by})"
        if request.status == LeaveStatus.GRANTED.value:
            return [para("De leerplichtambtenaar heeft het verlof verleend.", sheet["Boxed"]),
                    para(f"{by} heeft op {when} besloten het verlof te verlenen. {first} is in deze periode "
                         "geoorloofd afwezig; wij hebben het verlof in onze verzuimregistratie vastgelegd.",
                         sheet["Body"])]  # fmt: skip
        return [para("De leerplichtambtenaar heeft uw aanvraag afgewezen.", sheet["Boxed"]),
                para(f"{by} heeft op {when} besloten het verlof niet te verlenen. Wij verwachten {first} in deze "
                     f"periode gewoon op school. {_absent_anyway(session, request, pupil, first)}",
                     sheet["Body"])]  # fmt: skip
    if request.status == LeaveStatus.GRANTED.value:
        return [para(f"Besluit: wij verlenen {kind_label(request.kind)}.", sheet["Boxed"]),
                para(f"{first} is in deze periode geoorloofd afwezig. Wij hebben het verlof in onze "
                     "verzuimregistratie vastgelegd.", sheet["Body"])]  # fmt: skip
    if request.status == LeaveStatus.REFUSED.value:
        return [para("Besluit: wij wijzen uw aanvraag af.", sheet["Boxed"]),
                para(f"Wij verwachten {first} in deze periode gewoon op school. "
                     f"{_absent_anyway(session, request, pupil, first)}", sheet["Body"])]  # fmt: skip
    gemeente = pupil.woongemeente or "uw woongemeente"
    to = f"de leerplichtambtenaar van de gemeente {gemeente}{_contact(session, pupil)}"
    return [para("Besluit: wij hebben uw aanvraag doorgestuurd naar de leerplichtambtenaar.", sheet["Boxed"]),
            para(f"Uw aanvraag gaat, samen met eerder verleend verlof, over meer dan tien schooldagen in dit "
                 f"schooljaar. Daarover beslist niet de directeur maar {to} (artikel 14 lid 3 Leerplichtwet). "
                 "De leerplichtambtenaar hoort de directeur voordat hij beslist. U ontvangt het besluit van de "
                 "leerplichtambtenaar.", sheet["Body"])]  # fmt: skip


def _contact(session: Session, pupil: Pupil) -> str:
    contact = leerplicht_contact_for(session, pupil.woongemeente) if pupil.woongemeente else None
    if contact is None or not contact.name:
        return ""
    return f" ({contact.name}" + (f", {contact.phone}" if contact.phone else "") + ")"


def _absent_anyway(session: Session, request: LeaveRequest, pupil: Pupil, first: str) -> str:
    """What absence after a refusal means; art. 21a only where its 16 hours can apply (module doc)."""
    if not under_lpw(pupil, request):
        return ""
    if reaches_melding_threshold(session, request):
        return (f"Is {first} toch afwezig, dan is dat ongeoorloofd verzuim. Bij 16 uur ongeoorloofd verzuim binnen "
                "vier opeenvolgende lesweken is de school verplicht dat te melden bij de leerplichtambtenaar "
                "(artikel 21a Leerplichtwet).")  # fmt: skip
    return (f"Is {first} toch afwezig, dan is dat ongeoorloofd verzuim; de school kan dat melden bij de "
            "leerplichtambtenaar.")


def _objection(session: Session, request: LeaveRequest, pupil: Pupil) -> str:
    if request.status == LeaveStatus.FORWARDED.value or request.lpa_decision:
        # Art. 6:4 Awb: bezwaar with the body that decided; art. 14 lid 3 Lpw gives that power to the
        # leerplichtambtenaar himself.
        gemeente = pupil.woongemeente or "uw woongemeente"
        who = f"de leerplichtambtenaar van de gemeente {gemeente}{_contact(session, pupil)}"
        when = "dat besluit"
        if request.lpa_decided_on is not None:
            when = f"dat besluit ({dutch_date(request.lpa_decided_on)})"
        return (f"Over deze aanvraag beslist {who}, niet de directeur. Bent u het niet eens met het besluit van de "
                f"leerplichtambtenaar, dan kunt u binnen zes weken na de datum van {when} schriftelijk bezwaar "
                "maken bij de leerplichtambtenaar, die het besluit heeft genomen (artikel 6:4 en 6:7 Algemene wet "
                "bestuursrecht). Hoe dat gaat, staat in het besluit van de leerplichtambtenaar.")  # fmt: skip
    school = get_school(session)
    where = ""
    if school is not None:
        address = ", ".join(p for p in (school.address, " ".join(q for q in (school.postcode, school.city) if q)) if p)
        where = f" van {school.name}" + (f", {address}" if address else "")
    return (f"Bent u het niet eens met dit besluit? Dan kunt u binnen zes weken na de datum van deze brief "
            f"schriftelijk bezwaar maken bij de directeur{where}, die dit besluit heeft genomen (artikel 6:4 en "
            "6:7 Algemene wet bestuursrecht). Vermeld in uw bezwaarschrift uw naam en adres, de datum, om welk "
            "besluit het gaat (stuur bij voorkeur een kopie van deze brief mee) en waarom u het er niet mee eens "
            "bent, en onderteken het (artikel 6:5 Awb). Tijdens de bezwaarprocedure blijft dit besluit gelden; "
            "bij spoed kunt u de voorzieningenrechter van de rechtbank om een voorlopige voorziening vragen "
            "(artikel 8:81 Awb).")
