"""A melding as structured file (XML 1.0 against its XSD, golden), printable form and web-form text; refused
with Dutch messages while incomplete; unauthorised absence only; every export recorded."""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from lxml import etree
from pypdf import PdfReader

from tests.duo.conftest import DuoSchool
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.exports import melding_exports, record_melding_export, sha256
from verzuimdesk.model.law.meldingen import create_melding, set_duo_number, set_melding_status
from verzuimdesk.model.register.entries import register_lesson, report_absence
from verzuimdesk.model.store import set_setting
from verzuimdesk.model.tables.law import Melding
from verzuimdesk.reports.duo.melding import (
    FORM_LABELS,
    NAMESPACE,
    export_melding,
    melding_pdf,
    melding_text,
    melding_xml,
    schema_errors,
)
from verzuimdesk.resources import resource

D = dt.date
NOW = dt.datetime(2025, 11, 13, 9, 0)
GOLDEN = Path(__file__).parent / "golden"


def _piet_melding(db: Database, duo: DuoSchool, **kw) -> int:  # type: ignore[no-untyped-def]
    """Piet: O on 3, 4 and 10 November (whole days), lessons 2–3 on the 11th, 20 minutes late on the 12th,
    sick on the 5th (never in the melding): 20,33 hours unauthorised in 5 days."""
    piet = duo.pupils["1001"]
    with db.transaction() as s:
        report_absence(s, piet, D(2025, 11, 3), D(2025, 11, 4), "O", by="test")
        report_absence(s, piet, D(2025, 11, 5), D(2025, 11, 5), "Z", by="ouder")
        report_absence(s, piet, D(2025, 11, 10), D(2025, 11, 10), "O", by="test")
        register_lesson(s, piet, D(2025, 11, 11), 2, "X", by="test")
        register_lesson(s, piet, D(2025, 11, 11), 3, "O", by="test")
        register_lesson(s, piet, D(2025, 11, 12), 1, "T", by="test", minutes_late=20)
        m = create_melding(s, piet, kw.pop("kind", "V3"), D(2025, 11, 3), D(2025, 11, 12), by="J. de Boer", now=NOW,
                           presumed_reason="Spijbelen met vrienden",
                           school_action="Gesprek met ouders op 12 november; afspraken over ziekmelden", **kw)
        assert m.id is not None
        return m.id


def test_xml_matches_golden_file_and_schema(db: Database, duo_school: DuoSchool) -> None:
    mid = _piet_melding(db, duo_school)
    with db.session() as s:
        xml = melding_xml(s, mid)
    path = GOLDEN / "melding-v3.xml"
    if os.environ.get("VERZUIMDESK_UPDATE_GOLDEN"):
        path.write_bytes(xml)
    assert xml.decode("utf-8") == path.read_text(encoding="utf-8")
    xsd = etree.XMLSchema(etree.parse(str(resource("xsd/verzuimmelding-1.0.xsd"))))
    xsd.assertValid(etree.fromstring(xml))
    assert schema_errors(xml) == []


def test_only_unauthorised_absence_in_every_output(db: Database, duo_school: DuoSchool) -> None:
    mid = _piet_melding(db, duo_school)
    with db.session() as s:
        xml, text = melding_xml(s, mid), melding_text(s, mid)
        pdf = "".join(page.extract_text() for page in PdfReader(io.BytesIO(melding_pdf(s, mid))).pages)
    root = etree.fromstring(xml)
    days = [d.get("datum") for d in root.iter(f"{{{NAMESPACE}}}dag")]
    assert days == ["2025-11-03", "2025-11-04", "2025-11-10", "2025-11-11", "2025-11-12"]  # not the 5th (sick)
    for output in (xml.decode(), text, pdf):
        assert "2025-11-05" not in output and "05-11-2025" not in output
        assert "Ziek" not in output and "ziek)" not in output


def test_every_field_is_in_the_xml(db: Database, duo_school: DuoSchool) -> None:
    mid = _piet_melding(db, duo_school, municipality_action_wanted=False,
                        municipality_action_why_not="Leerling is weer op school", deviating_address="Dorpsstraat 1")
    with db.session() as s:
        xml = melding_xml(s, mid)
    root = etree.fromstring(xml)
    tags = {el.tag.split("}")[1] for el in root.iter()}
    assert {"brin", "vestiging", "bsn", "woongemeente", "verzuimsoort", "begindatum", "einddatum",
            "vermoedelijkeReden", "alleLessenGemist", "ondernomenActie", "actieGemeenteGewenst",
            "toelichtingGeenActie", "leslocatie", "melder", "naam", "functie", "telefoon", "email",
            "telefoonOuderOfLeerling", "afwijkendAdres", "specificatie", "dag", "lesuur"} <= tags
    assert root.get("formaatversie") == "1.0"
    spec = root.find(f"{{{NAMESPACE}}}specificatie")
    assert spec is not None and spec.get("verzuimminuten") == "1220" and spec.get("verzuimdagen") == "5"
    assert schema_errors(xml) == []


def test_pdf_form_has_every_label(db: Database, duo_school: DuoSchool) -> None:
    mid = _piet_melding(db, duo_school)
    with db.session() as s:
        pdf = melding_pdf(s, mid, printed_on=D(2025, 11, 13))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = " ".join(text.split())
    for label in FORM_LABELS:
        assert label in flat, label
    for value in ("111222333", "Spijbelen met vrienden", "Intern begeleider", "06-12345678", "20,33 uur",
                  "03-11-2025", "Lesuren met ongeoorloofd verzuim"):
        assert value in flat, value
    assert "12" in flat and "Handtekening melder" in flat


def test_web_form_text_in_field_order(db: Database, duo_school: DuoSchool) -> None:
    mid = _piet_melding(db, duo_school)
    with db.session() as s:
        text = melding_text(s, mid)
    order = ["BSN: 111222333", "Soort verzuim: V3", "Begindatum verzuim: 03-11-2025",
             "Einddatum verzuim: 12-11-2025", "Vermoedelijke reden verzuim:", "Alle lessen gemist: nee",
             "Door school ondernomen actie:", "Actie door gemeente gewenst: ja", "Naam leslocatie: De Proefschool",
             "Naam melder: J. de Boer", "Functie melder:", "Telefoonnummer melder: 050-1234567",
             "E-mailadres melder: j.deboer@proefschool.nl", "Telefoonnummer ouder of leerling: 06-12345678",
             "Afwijkend (verblijf)adres: geen", "Verzuimdagen: 5", "Verzuimuren: 20,33 uur",
             "03-11-2025: lesuur 1, 2, 3, 4, 5, 6 (hele dag, 6,00 uur)", "11-11-2025: lesuur 2, 3 (2,00 uur)",
             "12-11-2025: lesuur 1 (0,33 uur)"]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    assert "Piet" not in text  # the web form identifies by number only


def test_melding_without_bsn_is_refused_in_dutch(db: Database, duo_school: DuoSchool, tmp_path: Path) -> None:
    sanne = duo_school.pupils["1002"]  # no BSN, no onderwijsnummer, no woongemeente, no parent phone
    with db.transaction() as s:
        report_absence(s, sanne, D(2025, 11, 3), D(2025, 11, 7), "O", by="test")
        m = create_melding(s, sanne, "V3", D(2025, 11, 3), D(2025, 11, 7), by="J. de Boer", now=NOW,
                           presumed_reason="Onbekend", school_action="Gebeld")
        mid = m.id
    assert mid is not None
    for fmt in ("xml", "pdf", "tekst"):
        with db.transaction() as s, pytest.raises(ValidationError) as info:
            export_melding(s, mid, fmt, by="test", path=tmp_path / f"m.{fmt}" if fmt != "tekst" else None)
        message = str(info.value)
        assert message.startswith("De melding is nog niet compleet")
        assert "Het BSN of onderwijsnummer van Sanne van den Berg ontbreekt." in message
        assert "telefoonnummer van een ouder" in message
        assert not (tmp_path / f"m.{fmt}").exists()
    with db.session() as s:
        assert melding_exports(s, mid) == []


def test_missing_reporter_details_are_named(db: Database, duo_school: DuoSchool) -> None:
    with db.transaction() as s:
        for key in ("melder_functie", "melder_telefoon", "melder_email"):
            set_setting(s, key, "")
    mid = _piet_melding(db, duo_school)
    with db.session() as s, pytest.raises(ValidationError) as info:
        melding_xml(s, mid)
    for part in ("functie van de melder", "telefoonnummer van de melder", "e-mailadres van de melder"):
        assert part in str(info.value)


def test_malformed_phone_and_withdrawn_melding_are_refused(db: Database, duo_school: DuoSchool) -> None:
    mid = _piet_melding(db, duo_school)
    with db.transaction() as s:
        m = s.get(Melding, mid)
        assert m is not None
        m.parent_phone = "bel moeder"
        m.reporter_email = "jdeboer"
        s.add(m)
    with db.session() as s, pytest.raises(ValidationError) as info:
        melding_xml(s, mid)
    assert "mag alleen cijfers" in str(info.value) and "geen geldig e-mailadres" in str(info.value)
    with db.transaction() as s:
        set_melding_status(s, mid, "ingetrokken", by="test", note="toch ziek")
    with db.session() as s, pytest.raises(ValidationError, match="ingetrokken"):
        melding_text(s, mid)


def test_exports_are_recorded_with_the_melding(db: Database, duo_school: DuoSchool, tmp_path: Path) -> None:
    mid = _piet_melding(db, duo_school)
    with db.transaction() as s:
        xml = export_melding(s, mid, "xml", by="J. de Boer", path=tmp_path / "m.xml", now=NOW)
        export_melding(s, mid, "pdf", by="J. de Boer", path=tmp_path / "m.pdf", now=NOW)
        text = export_melding(s, mid, "tekst", by="J. de Boer", now=NOW)
    assert (tmp_path / "m.xml").read_bytes() == xml
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    with db.session() as s:
        rows = melding_exports(s, mid)
    assert [(r.format, r.format_version, r.file_name, r.exported_by) for r in rows] == [
        ("xml", "1.0", "m.xml", "J. de Boer"), ("pdf", "formulier", "m.pdf", "J. de Boer"),
        ("tekst", "webformulier", "", "J. de Boer")]
    assert rows[0].checksum == sha256(xml) and rows[2].checksum == sha256(text)
    assert rows[1].checksum == sha256((tmp_path / "m.pdf").read_bytes())
    with db.transaction() as s, pytest.raises(ValidationError, match="Onbekend exportformaat"):
        record_melding_export(s, mid, "docx", b"", by="test")


def test_a_concept_melding_prints_as_concept_and_a_registered_one_does_not(db: Database, duo_school: DuoSchool) -> None:
    """A concept's form can be checked on paper but never be mistaken for the melding that was sent."""
    mid = _piet_melding(db, duo_school)
    with db.session() as s:
        concept = melding_pdf(s, mid, printed_on=D(2025, 11, 13))
    pages = PdfReader(io.BytesIO(concept)).pages
    assert all("CONCEPT" in page.extract_text() for page in pages)  # the watermark is on every page
    assert "Verzuimmelding – CONCEPT" in pages[0].extract_text()
    with db.transaction() as s:
        set_duo_number(s, mid, "123456", by="J. de Boer")
        set_melding_status(s, mid, "geregistreerd", by="J. de Boer")
    with db.session() as s:
        sent = melding_pdf(s, mid, printed_on=D(2025, 11, 14))
    assert not any("CONCEPT" in page.extract_text() for page in PdfReader(io.BytesIO(sent)).pages)
