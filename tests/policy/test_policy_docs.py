"""The verzuimbeleid as Word, PDF and text: real Word headings, the six parts, the rules quoted exactly."""

from __future__ import annotations

import io
import re

import docx
from pypdf import PdfReader
from sqlmodel import select

from verzuimdesk.model.law.signals.policy import active_rules, save_rule
from verzuimdesk.model.policy.mandatory import HEADINGS, MANDATORY_KEYS
from verzuimdesk.model.policy.versions import policy_document, set_section_enabled
from verzuimdesk.model.tables import LeerplichtContact
from verzuimdesk.model.tables.law import RuleKind, RulePurpose, SignalRule
from verzuimdesk.reports.schoolgids.policy import policy_docx, policy_pdf, policy_text


def _doc(db):
    with db.session() as s:
        return policy_document(s, school_year="2026-2027")


def _worrying(db) -> list[str]:
    with db.session() as s:
        return [r.description for r in active_rules(s) if r.purpose == RulePurpose.WORRYING.value]


def _read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def test_docx_has_word_headings_for_the_six_parts_and_quotes_the_rules(db, school):
    with db.transaction() as s:
        s.add(LeerplichtContact(gemeente="Groningen", name="Jeroen Smulders", phone="050-123 45 10",
                                email="leerplicht@groningen.example.nl"))
    document = _read(policy_docx(_doc(db)))
    by_style: dict[str, list[str]] = {}
    for p in document.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == ["Verzuimbeleid"]
    assert by_style["Subtitle"] == ["De Proefschool, schooljaar 2026-2027"]
    for key in MANDATORY_KEYS:
        assert HEADINGS[key] in by_style["Heading 1"]
    assert "Afwezigheid melden en verlof aanvragen" in by_style["Heading 1"]  # optional, on by default
    assert "Visie en doel" not in by_style["Heading 1"]  # optional, off
    assert "Leerplichtambtenaar" in by_style["Heading 2"]
    bullets = by_style["List Bullet"]
    for description in _worrying(db):
        assert description in bullets  # quoted exactly, one Word list paragraph per rule
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Jeroen Smulders, telefoon 050-123 45 10, e-mail leerplicht@groningen.example.nl" in body
    assert "ten hoogste tien schooldagen" in body and "16 uur" in body
    assert document.core_properties.language == "nl-NL"
    _assert_a4_with_dutch_margins(document)


def _assert_a4_with_dutch_margins(document: docx.document.Document) -> None:
    for section in document.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # not US Letter
        assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                      section.right_margin)] == [25, 25, 25, 25]


def test_changing_a_rule_changes_the_docx(db, school):
    before = _read(policy_docx(_doc(db)))
    with db.transaction() as s:
        rule = s.exec(select(SignalRule).where(SignalRule.kind == RuleKind.TIMES_LATE.value)).one()
        old = rule.description
        rule.threshold = 4
        new = save_rule(s, rule).description
        set_section_enabled(s, "visie", True)
    after = _read(policy_docx(_doc(db)))
    texts_before = [p.text for p in before.paragraphs]
    texts_after = [p.text for p in after.paragraphs]
    assert old in texts_before and old not in texts_after and new in texts_after
    assert "Visie en doel" in texts_after


def test_pdf_text_has_the_parts_and_rules(db, school):
    reader = PdfReader(io.BytesIO(policy_pdf(_doc(db))))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    for key in MANDATORY_KEYS:
        assert HEADINGS[key] in text
    for description in _worrying(db):
        assert description[:60] in text
    assert "De Proefschool" in text and "pagina 1 van" in text


def test_plain_text_is_deterministic_and_complete(db, school):
    first, second = policy_text(_doc(db)), policy_text(_doc(db))
    assert first == second
    assert first.startswith("VERZUIMBELEID\nDe Proefschool, schooljaar 2026-2027\nConcepttekst")
    assert "Signaal zorgelijk verzuim\n=========================" in first
    joined = re.sub(r"\s+", " ", first)
    for description in _worrying(db):
        assert f"- {description}" in joined
