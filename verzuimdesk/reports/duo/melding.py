"""A verzuimmelding ready to hand in (domain.md §7.5–§7.6): a structured XML file (format 1.0 with its XSD in
``resources/xsd/``), a printable PDF form with every field, and copy-ready text for DUO's web form.

Every field of the Besluit Verzuimmelding (annex) is there, in the annex's order. The specification comes
from the melding's own MeldingDay rows, which hold unauthorised absence only: no sickness details (AVG).
Nothing is produced before the melding passes :func:`validate_melding` and the XSD; the messages are Dutch.
Each export is recorded with the melding (:func:`record_melding_export`).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle
from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.exports import record_melding_export
from verzuimdesk.model.law.meldingen import kind_label, melding_days, validate_melding
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.tables import Pupil, School
from verzuimdesk.model.tables.law import Melding, MeldingDay, MeldingStatusValue
from verzuimdesk.reports.pdf_common import (
    FRAME_W,
    LIGHT,
    RULE,
    DocHeader,
    boxed,
    build_pdf,
    grid_table,
    para,
    styles,
)
from verzuimdesk.resources import resource

FORMAT_VERSION = "1.0"
NAMESPACE = "urn:verzuimdesk:verzuimmelding:1.0"
XSD_NAME = "xsd/verzuimmelding-1.0.xsd"
MAX_LESUUR = 12  # DUO's specification: lesuur 1 … 12 per day
_NS = "{" + NAMESPACE + "}"
PHONE_RE = re.compile(r"[0-9 +()\-]{6,20}")  # as TelefoonType in the XSD
EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")  # as EmailType in the XSD
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'

# The labels of the form and the web-form text, in the order of the Besluit's annex.
SCHOOL_LABELS = ("Naam school", "BRIN-nummer", "Vestiging")
PUPIL_LABELS = ("Naam leerling", "Geboortedatum", "BSN of onderwijsnummer", "Woongemeente")
ABSENCE_LABELS = ("Soort verzuim", "Begindatum verzuim", "Einddatum verzuim", "Vermoedelijke reden verzuim",
                  "Alle lessen gemist", "Door school ondernomen actie", "Actie door gemeente gewenst",
                  "Toelichting (geen actie gewenst)", "Naam leslocatie")  # fmt: skip
REPORTER_LABELS = ("Naam melder", "Functie melder", "Telefoonnummer melder", "E-mailadres melder")
CONTACT_LABELS = ("Telefoonnummer ouder of leerling", "Afwijkend (verblijf)adres")
SPEC_LABELS = ("Verzuimdagen", "Verzuimuren")
FORM_LABELS = SCHOOL_LABELS + PUPIL_LABELS + ABSENCE_LABELS + REPORTER_LABELS + CONTACT_LABELS + SPEC_LABELS


@dataclass
class MeldingData:
    melding: Melding
    pupil: Pupil
    school: School
    days: list[MeldingDay]

    @property
    def number_label(self) -> str:
        return "BSN" if self.pupil.bsn else "Onderwijsnummer"

    @property
    def number(self) -> str:
        return self.pupil.bsn or self.pupil.onderwijsnummer


def _lessons(day: MeldingDay) -> list[int]:
    return [int(n) for n in day.lessons.split(",") if n.strip()]


def _d(day: dt.date | None) -> str:
    return f"{dutch.date_short(day)}" if day else ""


def _yes(value: bool) -> str:
    return "ja" if value else "nee"


def load(session: Session, melding_id: int) -> MeldingData:
    melding = session.get(Melding, melding_id)
    if melding is None:
        raise ValidationError("Deze melding bestaat niet (meer).")
    pupil = session.get(Pupil, melding.pupil_id)
    school = get_school(session)
    if pupil is None or school is None:
        raise ValidationError("De leerling of de school van deze melding bestaat niet meer.")
    return MeldingData(melding, pupil, school, melding_days(session, melding_id))


def problems(session: Session, data: MeldingData) -> list[str]:
    """What stops the export (Dutch, one line each): the melding's own checks plus the file's needs."""
    out = validate_melding(session, data.melding)
    if data.melding.status == MeldingStatusValue.WITHDRAWN.value:
        out.insert(0, "Deze melding is ingetrokken en kan niet meer worden ingediend.")
    if not data.school.brin:
        out.append("Vul de BRIN-code van de school in (Instellingen).")
    m = data.melding
    for value, label in ((m.reporter_phone, "van de melder"), (m.parent_phone, "van de ouder of leerling")):
        if value.strip() and not PHONE_RE.fullmatch(value.strip()):
            out.append(f"Het telefoonnummer {label} ('{value}') mag alleen cijfers, spaties, +, - en haakjes "
                       "bevatten (6 tot 20 tekens).")  # fmt: skip
    if m.reporter_email.strip() and not EMAIL_RE.fullmatch(m.reporter_email.strip()):
        out.append(f"Het e-mailadres van de melder ('{m.reporter_email}') is geen geldig e-mailadres.")
    for day in data.days:
        if any(not 1 <= n <= MAX_LESUUR for n in _lessons(day)):
            out.append(f"Op {_d(day.date)} valt een lesuur buiten 1 t/m {MAX_LESUUR}; DUO kent alleen lesuur "
                       f"1 t/m {MAX_LESUUR}.")  # fmt: skip
    return out


def _refuse(errors: list[str]) -> None:
    if errors:
        raise ValidationError("De melding is nog niet compleet:\n- " + "\n- ".join(errors))


# ------------------------------------------------------------------------------------------------ XML


def _xml(data: MeldingData) -> bytes:
    m, school = data.melding, data.school
    root = etree.Element(_NS + "verzuimmelding", nsmap={None: NAMESPACE})
    root.set("formaatversie", FORMAT_VERSION)

    def add(parent: etree._Element, tag: str, text: str) -> etree._Element:
        el = etree.SubElement(parent, _NS + tag)
        el.text = text
        return el

    s = etree.SubElement(root, _NS + "school")
    add(s, "brin", school.brin)
    add(s, "vestiging", school.vestiging or "00")
    add(s, "naam", school.name)
    p = etree.SubElement(root, _NS + "leerling")
    add(p, "bsn" if data.pupil.bsn else "onderwijsnummer", data.number)
    add(p, "woongemeente", m.gemeente or data.pupil.woongemeente)
    add(root, "verzuimsoort", m.kind).set("omschrijving", kind_label(m.kind))
    add(root, "begindatum", m.begin_date.isoformat())
    if m.end_date:
        add(root, "einddatum", m.end_date.isoformat())
    add(root, "vermoedelijkeReden", m.presumed_reason)
    add(root, "alleLessenGemist", str(m.all_lessons_missed).lower())
    add(root, "ondernomenActie", m.school_action)
    add(root, "actieGemeenteGewenst", str(m.municipality_action_wanted).lower())
    if not m.municipality_action_wanted:
        add(root, "toelichtingGeenActie", m.municipality_action_why_not)
    add(root, "leslocatie", m.location_name)
    r = etree.SubElement(root, _NS + "melder")
    for tag, value in (("naam", m.reporter_name), ("functie", m.reporter_function),
                       ("telefoon", m.reporter_phone), ("email", m.reporter_email)):  # fmt: skip
        add(r, tag, value.strip())
    add(root, "telefoonOuderOfLeerling", m.parent_phone.strip())
    if m.deviating_address.strip():
        add(root, "afwijkendAdres", m.deviating_address.strip())
    minutes = sum(d.minutes for d in data.days)
    spec = etree.SubElement(root, _NS + "specificatie", verzuimdagen=str(len(data.days)),
                            verzuimminuten=str(minutes), verzuimuren=f"{minutes / 60:.2f}")
    for day in data.days:
        el = etree.SubElement(spec, _NS + "dag", datum=day.date.isoformat(), minuten=str(day.minutes),
                              heleDag=str(day.whole_day).lower())  # fmt: skip
        for n in _lessons(day):
            add(el, "lesuur", str(n))
    etree.indent(root, space="  ")
    return XML_DECLARATION + etree.tostring(root, xml_declaration=False, encoding="UTF-8", pretty_print=True)


def schema_errors(xml: bytes) -> list[str]:
    xsd = etree.XMLSchema(etree.parse(str(resource(XSD_NAME))))
    if xsd.validate(etree.fromstring(xml)):
        return []
    return [f"Het meldingsbestand voldoet niet aan het schema (regel {e.line}): {e.message}" for e in xsd.error_log]


def melding_xml(session: Session, melding_id: int) -> bytes:
    """The structured file; refused (ValidationError) while something is missing or the XSD is not met."""
    data = load(session, melding_id)
    _refuse(problems(session, data))
    xml = _xml(data)
    _refuse(schema_errors(xml))
    return xml


# ------------------------------------------------------------------------------------- fields in order


def sections(data: MeldingData) -> list[tuple[str, list[tuple[str, str]]]]:
    """The form's sections with (label, value) pairs; the web-form text uses the same order."""
    m, pupil, school = data.melding, data.pupil, data.school
    minutes = sum(d.minutes for d in data.days)
    return [
        ("School", list(zip(SCHOOL_LABELS, (school.name, school.brin, school.vestiging or "00"), strict=True))),
        ("Leerling", list(zip(PUPIL_LABELS, (
            display_name(pupil), _d(pupil.birth_date), f"{data.number} ({data.number_label})",
            m.gemeente or pupil.woongemeente), strict=True))),
        ("Verzuim", list(zip(ABSENCE_LABELS, (
            f"{m.kind} – {kind_label(m.kind)}", _d(m.begin_date), _d(m.end_date) or "nog niet bekend",
            m.presumed_reason, _yes(m.all_lessons_missed), m.school_action, _yes(m.municipality_action_wanted),
            m.municipality_action_why_not if not m.municipality_action_wanted else "n.v.t.", m.location_name),
            strict=True))),
        ("Melder", list(zip(REPORTER_LABELS, (m.reporter_name, m.reporter_function, m.reporter_phone,
                                              m.reporter_email), strict=True))),
        ("Contact en adres", list(zip(CONTACT_LABELS, (m.parent_phone, m.deviating_address.strip() or "geen"),
                                      strict=True))),
        ("Verzuimspecificatie (alleen ongeoorloofd verzuim)",
         list(zip(SPEC_LABELS, (str(len(data.days)), f"{dutch.hours(minutes, trim=False)} uur"), strict=True))),
    ]  # fmt: skip


def _day_line(day: MeldingDay) -> str:
    lessons = ", ".join(str(n) for n in _lessons(day))
    whole = "hele dag, " if day.whole_day else ""
    return f"{_d(day.date)}: lesuur {lessons} ({whole}{dutch.hours(day.minutes, trim=False)} uur)"


def melding_text(session: Session, melding_id: int) -> str:
    """Copy-ready text for DUO's web form (verzuimloket), one field a line in the Besluit's order.

    (The verzuimloket's own screen order is not public; the Besluit's annex order is used.)"""
    data = load(session, melding_id)
    _refuse(problems(session, data))
    lines = [f"Verzuimmelding {data.melding.kind} – {kind_label(data.melding.kind)}", ""]
    for title, fields in sections(data):
        if title == "Leerling":  # the web form identifies by number only (Besluit: persoonsgebonden nummer)
            fields = [(data.number_label, data.number), fields[3]]
        lines.append(title.upper())
        lines += [f"{label}: {value}" for label, value in fields]
        lines.append("")
    lines += [_day_line(day) for day in data.days]
    return "\n".join(lines).rstrip() + "\n"


# ------------------------------------------------------------------------------------------------ PDF


def _field_table(fields: list[tuple[str, str]]) -> Flowable:
    sheet = styles()
    rows = [[para(label, sheet["head"]), para(value or "—", sheet["cell"])] for label, value in fields]
    table = Table(rows, colWidths=[58 * mm, FRAME_W - 58 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("BACKGROUND", (0, 0), (0, -1), LIGHT), ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5), ("LEFTPADDING", (0, 0), (-1, -1), 4),
    ]))  # fmt: skip
    return table


def _spec_table(days: list[MeldingDay]) -> Flowable:
    centred = ParagraphStyle("lesuur", parent=styles()["head"], alignment=TA_CENTER)
    head: list[object] = ["Datum"] + [para(str(n), centred) for n in range(1, MAX_LESUUR + 1)] + ["Minuten", "Hele dag"]
    rows: list[list[object]] = [head]
    for day in days:
        missed = set(_lessons(day))
        rows.append([_d(day.date), *("X" if n in missed else "" for n in range(1, MAX_LESUUR + 1)),
                     str(day.minutes), _yes(day.whole_day)])  # fmt: skip
    lesson_w = 8.5 * mm
    widths = [24 * mm] + [lesson_w] * MAX_LESUUR + [17 * mm, 17 * mm]
    return grid_table(rows, widths, right_from=MAX_LESUUR + 1, zebra=True, extra=[
        ("ALIGN", (1, 0), (MAX_LESUUR, -1), "CENTER"), ("GRID", (1, 0), (MAX_LESUUR, -1), 0.3, RULE),
        ("FONT", (1, 1), (MAX_LESUUR, -1), "VeraBd", 8),
    ])  # fmt: skip


def melding_pdf(session: Session, melding_id: int, *, printed_on: dt.date | None = None) -> bytes:
    """The printable form: every field with its Dutch label and the days × lesuur 1–12 table."""
    data = load(session, melding_id)
    _refuse(problems(session, data))
    sheet = styles()
    story: list[Flowable] = [para(
        "Gegevens volgens het Besluit Verzuimmelding (art. 21a Leerplichtwet). Alleen ongeoorloofd verzuim; "
        "ziekte en ander geoorloofd verzuim staan niet op dit formulier.", "small"), Spacer(1, 2 * mm)]
    for title, fields in sections(data):
        story.append(KeepTogether([para(title, "h2"), _field_table(fields)]))
    story += [para("Lesuren met ongeoorloofd verzuim (X)", "h2"), _spec_table(data.days), Spacer(1, 10 * mm),
              para("Datum: ______________________          Handtekening melder: ______________________________",
                   sheet["body"])]  # fmt: skip
    m = data.melding
    concept = m.status == MeldingStatusValue.DRAFT.value
    if concept:
        story[:0] = [boxed([para("CONCEPT – deze melding is nog niet verstuurd en kan nog wijzigen. Verstuur haar "
                                 "pas na controle; het scherm Meldingen houdt de status bij.", "head")]),
                     Spacer(1, 2 * mm)]
    header = DocHeader(school_name=data.school.name, title="Verzuimmelding" + (" – CONCEPT" if concept else ""),
                       watermark="CONCEPT" if concept else "",
                       subtitle=f"{m.kind} · begindatum {_d(m.begin_date)} · kenmerk melding {m.id}"
                       + (f" · DUO-meldingsnummer {m.duo_number}" if m.duo_number else ""),
                       logo_path=data.school.logo_path, printed_on=printed_on)  # fmt: skip
    return build_pdf(story, header)


# ---------------------------------------------------------------------------------------------- export


def export_melding(
    session: Session, melding_id: int, fmt: str, *, by: str, path: str | Path | None = None,
    now: dt.datetime | None = None,
) -> bytes | str:  # fmt: skip
    """Make the XML file, the PDF form or the web-form text, write it to ``path`` (not for text) and
    record the export with the melding. Returns what was made."""
    made: bytes | str
    if fmt == "xml":
        made, version = melding_xml(session, melding_id), FORMAT_VERSION
    elif fmt == "pdf":
        made, version = melding_pdf(session, melding_id, printed_on=(now or dt.datetime.now()).date()), "formulier"
    elif fmt == "tekst":
        made, version = melding_text(session, melding_id), "webformulier"
    else:
        raise ValidationError(f"Onbekend exportformaat '{fmt}'; kies xml, pdf of tekst.")
    if path is not None:
        try:
            Path(path).write_bytes(made.encode("utf-8") if isinstance(made, str) else made)
        except OSError as exc:
            raise ValidationError(f"Het bestand {path} kon niet worden geschreven: {exc.strerror or exc}.") from None
    record_melding_export(session, melding_id, fmt, made, by=by, version=version,
                          file_name=Path(path).name if path is not None else "", now=now)  # fmt: skip
    return made
