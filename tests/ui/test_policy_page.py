"""Schoolgids: sections with edits and switches, roles and times, versions with the MR's consent, the
out-of-date banner, exports (Word/PDF/text) and the yearly evaluation."""

from __future__ import annotations

import datetime as dt

import docx
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from sqlmodel import select

from tests.builders import build_small_school
from verzuimdesk.model.law.signals.policy import ensure_default_rules, save_rule
from verzuimdesk.model.policy.versions import draft_sections, versions
from verzuimdesk.model.store import get_setting
from verzuimdesk.model.tables.law import RuleKind, SignalRule
from verzuimdesk.ui.context import SIGNALS, AppContext
from verzuimdesk.ui.documents.schoolgids import PolicyPage
from verzuimdesk.ui.main_window import PAGES

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def setup(qtbot, sqlite_db):  # type: ignore[no-untyped-def]
    build_small_school(sqlite_db)
    with sqlite_db.transaction() as s:
        ensure_default_rules(s)
    ctx = AppContext(sqlite_db)
    messages: list[str] = []
    ctx.show_error = messages.append
    page = PolicyPage(ctx, today=TODAY)
    qtbot.addWidget(page)
    return ctx, page, messages


def _item(page: PolicyPage, key: str):  # type: ignore[no-untyped-def]
    for row in range(page.section_list.count()):
        item = page.section_list.item(row)
        if item.data(Qt.ItemDataRole.UserRole + 1) == key:
            return item
    raise AssertionError(key)


def test_page_is_in_the_navigation_before_leerlingen():
    labels = [p[0] for p in PAGES]
    assert labels.index("Schoolgids") == labels.index("Leerlingen") - 1
    assert ("Schoolgids", "verzuimdesk.ui.documents.schoolgids", "PolicyPage") in PAGES


def test_sections_listed_mandatory_marked_optional_checkable(setup) -> None:  # type: ignore[no-untyped-def]
    ctx, page, messages = setup
    assert page.section_list.count() == 22
    first = page.section_list.item(0)
    assert first.text() == "Werkwijze na constatering van verzuim (verplicht)"
    assert not first.flags() & Qt.ItemFlag.ItemIsUserCheckable
    assert page.heading.text() == "Werkwijze na constatering van verzuim"
    visie = _item(page, "visie")
    assert visie.checkState() == Qt.CheckState.Unchecked
    visie.setCheckState(Qt.CheckState.Checked)
    assert next(s for s in ctx.read(draft_sections) if s.key == "visie").enabled
    assert _item(page, "visie").checkState() == Qt.CheckState.Checked
    assert not messages


def test_edit_and_reset_a_section(setup) -> None:  # type: ignore[no-untyped-def]
    ctx, page, messages = setup
    page.select_section("oorzaken")
    page.heading.setText("Waarom leerlingen verzuimen")
    page.text.setPlainText("Onze eigen tekst over oorzaken.")
    page.select_section("monitoring")  # moving on keeps what was typed
    sec = next(s for s in ctx.read(draft_sections) if s.key == "oorzaken")
    assert (sec.heading, sec.text, sec.edited) == ("Waarom leerlingen verzuimen", "Onze eigen tekst over oorzaken.", True)
    assert page.current_key == "monitoring"
    assert _item(page, "oorzaken").text() == "Waarom leerlingen verzuimen (verplicht) – bewerkt"
    page.select_section("oorzaken")
    page.text.setPlainText("   ")
    page.save_text()
    assert "kan niet leeg zijn" in messages[-1]
    page.reset_text()
    assert page.heading.text() == "Analyse van de oorzaken van verzuim"
    assert "maandelijks" in page.text.toPlainText()


def test_roles_form_changes_the_text(setup) -> None:  # type: ignore[no-untyped-def]
    ctx, page, messages = setup
    page.setting_fields["rol_ib"].setText("Kees Bakker")
    page.setting_fields["tijd_nabellen"].setText("kwart over negen")
    page.save_settings()
    assert "Nabellen uiterlijk om: geef een tijd op" in messages[-1]
    assert ctx.read(get_setting, "rol_ib") == ""  # all or nothing
    page.setting_fields["tijd_nabellen"].setText("09:15")
    page.save_settings()
    page.select_section("taakverdeling")
    assert "De intern begeleider (Kees Bakker)" in page.text.toPlainText()
    assert page.status.text().startswith("Rollen en tijden opgeslagen")


def test_version_consent_banner_and_exports(setup, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ctx, page, messages = setup
    assert page.banner.isHidden() and "nog geen versie" in page.info.text()
    page.ask_version_details = lambda: ("2026-2027", "voor de MR")  # type: ignore[method-assign]
    page.save_version()
    (v,) = ctx.read(versions)
    assert (v.school_year, v.note) == ("2026-2027", "voor de MR")
    page.ask_consent = lambda: (v.id, dt.date(2026, 6, 15))  # type: ignore[method-assign]
    page.record_consent()
    assert "versie 1, op 15 juni 2026" in page.info.text()
    assert page.versions_model.rowCount() == 1

    with ctx.db.transaction() as s:
        rule = s.exec(select(SignalRule).where(SignalRule.kind == RuleKind.HOURS_UNAUTHORISED.value)).one()
        rule.threshold = 6
        save_rule(s, rule)
    ctx.changed.emit(frozenset({SIGNALS}))
    assert not page.banner.isHidden()
    assert "de regels voor zorgelijk verzuim" in page.banner.text()

    page.source.setCurrentIndex(page.source.findData(v.id))
    path = page.export("docx", str(tmp_path / "beleid.docx"))
    texts = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any("instemming medezeggenschapsraad op 15 juni 2026" in t for t in texts)
    assert any("samen 8 uur of meer" in t for t in texts)  # the consented version, not the new rule
    page.source.setCurrentIndex(0)
    pdf = page.export("pdf", str(tmp_path / "beleid.pdf"))
    assert "Werkwijze na constatering" in PdfReader(str(pdf)).pages[0].extract_text()
    txt = page.export("txt", str(tmp_path / "beleid.txt"))
    assert "samen 6 uur of meer" in txt.read_text(encoding="utf-8")
    page.ask_path = lambda *a: None  # type: ignore[method-assign]
    assert page.export("pdf") is None  # cancelled
    assert not messages


def test_year_evaluation(setup, tmp_path) -> None:  # type: ignore[no-untyped-def]
    ctx, page, messages = setup
    page.ask_evaluation = lambda: ("2025-2026", "docx")  # type: ignore[method-assign]
    page.ask_path = lambda *a: str(tmp_path / "evaluatie.docx")  # type: ignore[method-assign]
    path = page.year_evaluation()
    assert path is not None and "Cijfers per kwartaal" in [p.text for p in docx.Document(str(path)).paragraphs]
    assert page.year_evaluation("2030-2031", "pdf", str(tmp_path / "x.pdf")) is None
    assert "nog niet begonnen" in messages[-1]
