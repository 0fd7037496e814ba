"""Instellingen: school data and region, user name, leerplichtambtenaren, reasons with audited mapping."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from verzuimdesk.model.register.entries import set_entry
from verzuimdesk.model.school.calendar import create_school_year
from verzuimdesk.model.school.reasons import reason_by_code
from verzuimdesk.model.school.records import get_school, school_years
from verzuimdesk.model.setup.settings import days_off_of_year, reason_mapping_history
from verzuimdesk.model.store import get_setting
from verzuimdesk.model.tables import LeerplichtContact
from verzuimdesk.ui.setup.reasons_editor import ReasonDialog
from verzuimdesk.ui.setup.settings import ContactDialog, SettingsPage

TODAY = dt.date(2025, 11, 3)


@pytest.fixture
def setup(small_school_page):  # type: ignore[no-untyped-def]
    return small_school_page(SettingsPage, TODAY, load=None)


def test_school_data_bad_brin_refused_then_saved_with_user(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, _school, messages = setup
    page.fields["brin"].setText("9ZZ")
    page.user_name.setText("J. de Directeur")
    page.save_school()
    assert "geen geldige BRIN-code" in messages[-1]
    assert ctx.read(get_setting, "gebruiker") == ""  # nothing written
    page.fields["brin"].setText("12ab")
    page.fields["director"].setText("J. de Directeur")
    page.save_school()
    assert len(messages) == 1
    school = ctx.read(get_school)
    assert (school.brin, school.director) == ("12AB", "J. de Directeur")
    assert ctx.user == "J. de Directeur"


def test_region_change_offers_to_update_future_holidays(setup) -> None:  # type: ignore[no-untyped-def]
    ctx, page, _school, messages = setup
    with ctx.db.transaction() as s:
        create_school_year(s, "2026-2027", "noord")
    questions: list[str] = []
    page.confirm = lambda q: questions.append(q) or True  # type: ignore[method-assign]
    page.region.setCurrentIndex(page.region.findData("zuid"))
    page.save_school()
    assert not messages and "nog niet zijn begonnen" in questions[0]
    years = {y.name: y.id for y in ctx.read(school_years)}
    autumn = [r for r in ctx.read(days_off_of_year, years["2026-2027"]) if r.description == "Herfstvakantie"]
    assert autumn[0].date_from == dt.date(2026, 10, 17)


def test_leerplicht_contacts(setup) -> None:  # type: ignore[no-untyped-def]
    ctx, page, _school, messages = setup

    def fill(dialog: ContactDialog) -> bool:
        dialog.fields["gemeente"].setText("Zwolle")
        dialog.fields["name"].setText("A. de Wit")
        dialog.fields["email"].setText("leerplicht@zwolle.example.nl")
        dialog.accept()
        return dialog.result() == 1

    page.open_dialog = fill  # type: ignore[method-assign]
    page.add_contact()
    assert page.contacts_model.rowCount() == 1 and not messages
    page.add_contact()  # the same gemeente again: refused
    assert "al een leerplichtambtenaar" in messages[-1] and page.contacts_model.rowCount() == 1
    page.confirm = lambda _q: True  # type: ignore[method-assign]
    page.contacts.selectRow(0)
    page.remove_contact()
    assert page.contacts_model.rowCount() == 0
    assert ctx.read(lambda s: s.get(LeerplichtContact, 1)) is None


def test_reason_mapping_change_needs_why_and_is_recorded(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    with ctx.db.transaction() as s:
        set_entry(s, school.pupils["1001"], TODAY, 510, 570, "M", by="test")
    reason = ctx.read(reason_by_code, "M")
    page.tabs.setCurrentWidget(page.reasons)
    questions: list[str] = []

    dialog = ReasonDialog(ctx, reason, page)
    qtbot.addWidget(dialog)
    dialog.ask_why = lambda q: questions.append(q) or None  # the user cancels the question
    dialog.ground.setCurrentIndex(dialog.ground.findData("g"))
    dialog.accept()
    assert questions == ["Deze reden is al gebruikt in de registratie.\nWaarom verandert de indeling?"]
    assert ctx.read(reason_by_code, "M").legal_ground == "d" and dialog.result() == 0
    dialog.ask_why = lambda q: "   "  # an empty answer is refused by the model
    dialog.accept()
    assert "waarom" in messages[-1] and dialog.error.text() == messages[-1]
    dialog.ask_why = lambda q: "Schoolbeleid 2025: medisch bezoek valt onder gewichtige omstandigheden."
    ok = next(b for b in dialog.findChild(QDialogButtonBox).buttons() if b.text() == "Opslaan")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == 1
    assert ctx.read(reason_by_code, "M").legal_ground == "g"
    (change,) = ctx.read(reason_mapping_history)
    assert change.by == ctx.user and change.old == ("geoorloofd", "d") and change.new == ("geoorloofd", "g")
    assert page.reasons.history_model.rowCount() == 1  # the audit is visible on the page
    assert "gewichtige omstandigheden" in page.reasons.history_model.data(page.reasons.history_model.index(0, 5))


def test_new_reason_and_unused_mapping_change_without_question(setup) -> None:  # type: ignore[no-untyped-def]
    ctx, page, _school, messages = setup
    dialog = ReasonDialog(ctx, None, page)
    dialog.ask_why = lambda q: pytest.fail("no question for a new reason")  # type: ignore[assignment]
    dialog.code.setText("st")
    dialog.name.setText("Stage (vso)")
    dialog.category.setCurrentIndex(dialog.category.findData("aanwezig"))
    dialog.accept()
    assert dialog.result() == 1 and not messages
    assert ctx.read(reason_by_code, "ST").name == "Stage (vso)"
    dialog = ReasonDialog(ctx, ctx.read(reason_by_code, "R"), page)
    dialog.ask_why = lambda q: pytest.fail("R is unused")  # type: ignore[assignment]
    dialog.ground.setCurrentIndex(dialog.ground.findData("g"))
    dialog.accept()
    assert dialog.result() == 1 and ctx.read(reason_mapping_history) == []
    codes = [page.reasons.model.row_at(i).code for i in range(page.reasons.model.rowCount())]
    assert "ST" in codes


def test_reporter_details_for_meldingen_are_saved_and_used(setup) -> None:  # type: ignore[no-untyped-def]
    """A melding carries the reporter's function, phone and e-mail (Besluit Verzuimmelding)."""
    from verzuimdesk.model.law.meldingen import create_melding, validate_melding

    ctx, page, school, messages = setup
    page.user_name.setText("A. de Vries")
    page.reporter["melder_functie"].setText("intern begeleider")
    page.reporter["melder_telefoon"].setText("030-1234567")
    page.reporter["melder_email"].setText("ib@school.example.nl")
    page.save_school()
    assert messages == []
    melding = ctx.run({"meldingen"}, create_melding, school.pupils["1001"], "O", TODAY, TODAY, by=ctx.user)
    assert (melding.reporter_name, melding.reporter_function, melding.reporter_phone, melding.reporter_email) == (
        "A. de Vries", "intern begeleider", "030-1234567", "ib@school.example.nl")
    problems = ctx.read(validate_melding, melding)
    assert not any("melder" in p.lower() for p in problems), problems


def test_logo_is_chosen_copied_and_printed_on_documents(setup, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import io
    from pathlib import Path

    from pypdf import PdfReader
    from PySide6.QtGui import QColor, QImage
    from PySide6.QtWidgets import QFileDialog

    from verzuimdesk.reports.data import Period
    from verzuimdesk.reports.overviews.pupil import pupil_overview_pdf

    ctx, page, school, messages = setup
    original = tmp_path / "logo.png"
    image = QImage(120, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#2F6DB5"))
    assert image.save(str(original))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(original), ""))
    page.choose_logo()
    assert messages == []
    stored = Path(ctx.read(get_school).logo_path)
    assert stored.exists() and stored != original  # a copy next to the database
    original.unlink()  # the school deletes its original: documents still have the logo
    assert not page.logo_preview.pixmap().isNull()
    pdf = ctx.read(pupil_overview_pdf, school.pupils["1001"], Period(TODAY, TODAY), today=TODAY)
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1  # the logo in the letterhead
    bad = tmp_path / "logo.png"
    bad.write_text("geen plaatje")
    page.choose_logo()
    assert "geen leesbare afbeelding" in messages[-1]
    assert Path(ctx.read(get_school).logo_path) == stored  # unchanged
    page.set_logo(None)
    assert ctx.read(get_school).logo_path == ""
