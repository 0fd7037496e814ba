"""The decision letter on a leave request, for the parents (domain.md §6), as an A4 PDF.

It names the decision, the legal basis (art. 11, 13, 13a, 14 Lpw), for a refusal the motivation
(art. 3:46 Awb) and how to object: within six weeks after the date of the letter (art. 6:7 Awb) with the
body that decided (art. 6:4 Awb) — the director, or for a forwarded request the municipality.
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
from verzuimdesk.model.law.leave import kind_label, leave_school_days
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
        "twee dagen van tevoren aan de directeur meldt."
    ),
}


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
    letter_date = request.decided_on or dt.date.today()
    days = len(leave_school_days(session, request))
    group = group_on(session, pupil.id, request.date_from) if pupil.id is not None else None

    story: list[Flowable] = letterhead(school)
    story.append(para("\n".join(_addressee(session, request, pupil)), sheet["Body"]))
    story.append(Spacer(1, 6 * mm))
    place = f"{school.city}, " if school is not None and school.city else ""
    story.append(para(f"{place}{dutch_date(letter_date)}", sheet["Body"]))
    story.append(para(f"Kenmerk: verlof-{request.id} · uw aanvraag van {dutch_date(request.received_on)}",
                      sheet["Small"]))  # fmt: skip
    story.append(para(f"Betreft: besluit op uw aanvraag voor {kind_label(request.kind)} voor {name}", sheet["Subject"]))
    story.append(para("Geachte ouders/verzorgers,", sheet["Body"]))
    in_group = f" uit {group.name}" if group is not None else ""
    story.append(para(f"Op {dutch_date(request.received_on)} ontvingen wij uw aanvraag voor {kind_label(request.kind)} "
                      f"voor {name}{in_group}, {_period(request, days)}."
                      + (f" Als reden gaf u op: {request.reason_text}." if request.reason_text else ""),
                      sheet["Body"]))  # fmt: skip
    story.append(boxed(_decision(session, request, pupil, name, sheet), width=TEXT_WIDTH))
    story.append(Spacer(1, 3 * mm))
    if request.motivation and request.status != LeaveStatus.GRANTED.value:
        label = "Motivering" if request.status == LeaveStatus.REFUSED.value else "Toelichting"
        story += [para(label, sheet["Heading"]), para(request.motivation, sheet["Body"])]
    story += [para("Wettelijke grondslag", sheet["Heading"]), para(LEGAL_BASIS[request.kind], sheet["Body"])]
    story += [para("Bezwaar maken", sheet["Heading"]), para(_objection(session, request, pupil), sheet["Body"])]
    director = (school.director if school is not None and school.director else "") or request.decided_by
    story.append(KeepTogether([
        Spacer(1, 4 * mm), para("Met vriendelijke groet,", sheet["Body"]), Spacer(1, 10 * mm),
        para(director, sheet["Body"]),
        para(f"directeur {school.name}" if school is not None else "directeur", sheet["Small"]),
    ]))  # fmt: skip
    footer = f"{school.name if school else ''} — besluit op verlofaanvraag verlof-{request.id}"
    return build_pdf(story, title=f"Besluit verlofaanvraag {name}", footer=footer)


def _decision(session: Session, request: LeaveRequest, pupil: Pupil, name: str,
              sheet: dict[str, ParagraphStyle]) -> list[Flowable]:
    first = pupil.roepnaam or name
    if request.status == LeaveStatus.GRANTED.value:
        return [para(f"Besluit: wij verlenen {kind_label(request.kind)}.", sheet["Boxed"]),
                para(f"{first} is in deze periode geoorloofd afwezig. Wij hebben het verlof in onze "
                     "verzuimregistratie vastgelegd.", sheet["Body"])]  # fmt: skip
    if request.status == LeaveStatus.REFUSED.value:
        return [para("Besluit: wij wijzen uw aanvraag af.", sheet["Boxed"]),
                para(f"Wij verwachten {first} in deze periode gewoon op school. Is {first} toch afwezig, dan is dat "
                     "ongeoorloofd verzuim. De school is verplicht dat te melden bij de leerplichtambtenaar "
                     "(artikel 21a Leerplichtwet).", sheet["Body"])]  # fmt: skip
    gemeente = pupil.woongemeente or "uw woongemeente"
    contact = leerplicht_contact_for(session, pupil.woongemeente) if pupil.woongemeente else None
    to = f"de leerplichtambtenaar van de gemeente {gemeente}"
    if contact is not None and contact.name:
        to += f" ({contact.name}" + (f", {contact.phone}" if contact.phone else "") + ")"
    return [para("Besluit: wij hebben uw aanvraag doorgestuurd naar de leerplichtambtenaar.", sheet["Boxed"]),
            para(f"Uw aanvraag gaat, samen met eerder verleend verlof, over meer dan tien schooldagen in dit "
                 f"schooljaar. Daarover beslist niet de directeur maar {to} (artikel 14 lid 3 Leerplichtwet). "
                 "De leerplichtambtenaar hoort de directeur voordat hij beslist. U ontvangt het besluit van de "
                 "leerplichtambtenaar.", sheet["Body"])]  # fmt: skip


def _objection(session: Session, request: LeaveRequest, pupil: Pupil) -> str:
    if request.status == LeaveStatus.FORWARDED.value:
        gemeente = pupil.woongemeente or "uw woongemeente"
        return ("Tegen het besluit van de leerplichtambtenaar kunt u bezwaar maken bij het college van burgemeester "
                f"en wethouders van de gemeente {gemeente}, binnen zes weken na de datum van dat besluit (artikel 6:7 "
                "Algemene wet bestuursrecht). Hoe dat gaat, staat in het besluit van de leerplichtambtenaar.")
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
