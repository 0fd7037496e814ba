"""Dossier: header and figures, contacts (planned → held), interventions with their evaluation, and one
timeline with absence, leave and meldingen; opened from the Leerlingen screen."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from tests.builders import build_small_school
from verzuimdesk.model.law.dossier import contacts, interventions
from verzuimdesk.model.law.leave import decide_leave_request, submit_leave_request
from verzuimdesk.model.law.meldingen import create_melding
from verzuimdesk.model.register.entries import register_lesson, report_absence
from verzuimdesk.model.setup.pupils_groups import GuardianData, save_guardians
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.dossier.dialogs import ContactDialog, EvaluationDialog, InterventionDialog
from verzuimdesk.ui.dossier.page import DossierPage
from verzuimdesk.ui.main_window import MainWindow

TODAY = dt.date(2025, 11, 10)
D = dt.date


@pytest.fixture
def setup(qtbot, sqlite_db):  # type: ignore[no-untyped-def]
    school = build_small_school(sqlite_db)
    piet = school.pupils["1001"]
    with sqlite_db.transaction() as s:
        save_guardians(s, piet, [GuardianData("A. Jansen", "moeder", "06-12345678")])
        report_absence(s, piet, D(2025, 11, 3), D(2025, 11, 3), "O", by="test")
        register_lesson(s, piet, D(2025, 11, 6), 2, "X", by="test")
        request = submit_leave_request(s, piet, "vakantieverlof", D(2025, 12, 15), D(2025, 12, 19),
                                       received_on=D(2025, 11, 4), by="admin", attachments="werkgeversverklaring")
        decide_leave_request(s, request.id, "toegekend", by="directeur", on=D(2025, 11, 5))
        create_melding(s, piet, "O", D(2025, 11, 3), D(2025, 11, 7), by="IB", now=dt.datetime(2025, 11, 7, 10))
    ctx = AppContext(sqlite_db)
    messages: list[str] = []
    ctx.show_error = messages.append
    page = DossierPage(ctx)
    page.today = lambda: TODAY
    page.this_school_year()
    qtbot.addWidget(page)
    return ctx, page, school, messages


def _accepting(panel, qtbot, fill):  # type: ignore[no-untyped-def]
    def open_dialog(dialog: QDialog) -> bool:
        qtbot.addWidget(dialog)
        fill(dialog)
        return True

    panel.open_dialog = open_dialog


def test_dossier_header_figures_and_timeline(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    assert page.empty.isVisibleTo(page) and not page.tabs.isVisibleTo(page)
    page.show_pupil(school.pupils["1001"])
    assert not page.empty.isVisibleTo(page) and page.tabs.isVisibleTo(page)
    header = page.header.text()
    assert "Piet Jansen" in header and "Groep 5" in header and "9 jaar" in header and "leerplichtig" in header
    assert "06-12345678" in header
    assert "Ongeoorloofd afwezig" in page.figures.text() and "7,00 uur" in page.figures.text()
    assert "Aanwezigheidsniveau" in page.figures.text() and "niveau " in page.figures.text()
    kinds = [it.kind for it in page.timeline_rows()]
    assert {"verzuim", "verlofaanvraag", "verlofbesluit", "melding"} <= set(kinds)
    dates = [it.date for it in page.timeline_rows()]
    assert dates == sorted(dates, reverse=True)  # newest first
    page.kind_filter.setCurrentIndex(page.kind_filter.findData("melding"))
    assert {it.kind for it in page.timeline_rows()} == {"melding"}
    assert "1 van" in page.timeline_count.text()
    page.kind_filter.setCurrentIndex(0)
    assert not messages


def test_contacts_and_interventions(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    piet = school.pupils["1001"]
    page.show_pupil(piet)

    def planned(dialog: ContactDialog) -> None:
        assert dialog.with_whom.findText("A. Jansen (moeder)") >= 0
        dialog.date.set_date(D(2025, 11, 12))
        dialog.with_whom.setCurrentText("A. Jansen (moeder)")
        dialog.planned.setChecked(True)

    _accepting(page.contacts, qtbot, planned)
    page.contacts.new_contact()
    assert not messages, messages
    assert page.contacts.model.rowCount() == 1 and page.contacts.held_button.isEnabled()
    assert "gepland" in page.contacts.note.text()

    def held(dialog: ContactDialog) -> None:
        assert not dialog.planned.isEnabled()
        dialog.date.set_date(D(2025, 11, 10))
        dialog.summary.setPlainText("Piet spijbelt op maandag; moeder wist het niet.")
        dialog.agreements.setPlainText("Moeder brengt Piet op maandag zelf naar school.")

    _accepting(page.contacts, qtbot, held)
    page.contacts.mark_held()
    with ctx.db.session() as s:
        [contact] = contacts(s, piet)
        assert not contact.planned and contact.date == TODAY and contact.agreements.startswith("Moeder brengt")
    assert not page.contacts.held_button.isEnabled()

    def intervention(dialog: InterventionDialog) -> None:
        dialog.title.setText("Dagelijks ochtendgesprek met IB")
        dialog.start_date.set_date(D(2025, 10, 1))
        dialog.evaluation_date.set_optional(D(2025, 11, 1))  # already past: overdue

    _accepting(page.interventions, qtbot, intervention)
    page.interventions.new_intervention()
    assert not messages, messages
    panel = page.interventions
    assert panel.model.rowCount() == 1 and "1 evaluatie te laat" in panel.note.text()
    assert panel.model.data(panel.model.index(0, 2), role=8) is not None  # BackgroundRole: highlighted

    def evaluation(dialog: EvaluationDialog) -> None:
        dialog.outcome.setPlainText("Geen ongeoorloofd verzuim meer sinds de start.")
        dialog.yes.setChecked(True)

    _accepting(panel, qtbot, evaluation)
    panel.evaluate()
    with ctx.db.session() as s:
        [item] = interventions(s, piet)
        assert item.effective is True and item.evaluated_on == TODAY and item.outcome.startswith("Geen")
    assert panel.note.text() == "" and panel.model.data(panel.model.index(0, 4)) == "ja"

    texts = {it.kind: it.text for it in page.timeline_rows()}
    assert "Gesprek met A. Jansen (moeder)" in texts["contact"]
    assert "Dagelijks ochtendgesprek" in texts["interventie"]
    assert "geëvalueerd (effectief)" in texts["evaluatie"]
    assert {"verzuim", "verlofbesluit", "melding"} <= set(texts)

    # An empty summary for a held contact is refused with a Dutch message.
    _accepting(page.contacts, qtbot, lambda d: None)
    page.contacts.new_contact()
    assert messages and "besproken" in messages[-1]
    page.contacts.confirm = lambda title, q: True  # type: ignore[method-assign]
    page.contacts.delete_contact()
    assert page.contacts.model.rowCount() == 0


def test_leerlingen_opens_the_dossier(qtbot, sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    school = build_small_school(sqlite_db)
    ctx = AppContext(sqlite_db)
    ctx.show_error = lambda m: None
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    pupils = window.show_page("Leerlingen")
    assert pupils.select_pupil(school.pupils["1002"])
    pupils.dossier_button.click()
    dossier = window.pages["Dossier"]
    assert window.current_page() is dossier and dossier.pupil_id == school.pupils["1002"]
    assert "Sanne van den Berg" in dossier.header.text()


def test_the_dossier_shows_art_11a_findings_of_a_five_year_old(small_school_page) -> None:  # type: ignore[no-untyped-def]
    """Art. 11a Lpw where the user looks at the child: the dossier header names the same finding as the Verlof
    screen (model/law/leave/art11a.py), and says nothing for a week within the article."""
    from verzuimdesk.model.law.dossier import art11a_notes
    from verzuimdesk.model.law.leave import art11a_findings
    from verzuimdesk.model.register.entries import register_lesson

    today = dt.date(2025, 11, 7)
    ctx, page, school, _messages = small_school_page(DossierPage, today, load=None)
    noor = school.pupils["2001"]  # five years old, leerplichtig since 1 July 2025 (tests/builders.py)
    with ctx.db.transaction() as s:
        for n in range(1, 6):
            register_lesson(s, noor, dt.date(2025, 11, 3), n, "K5", by="leerkracht")  # 5 hours on notice: fine
    page.show_pupil(noor)
    assert "art. 11a" not in page.header.text()
    with ctx.db.transaction() as s:
        register_lesson(s, noor, dt.date(2025, 11, 5), 1, "K5", by="leerkracht")  # a sixth hour on notice
    page.refresh()
    with ctx.db.session() as s:
        (finding,) = art11a_findings(s, noor, dt.date(2025, 8, 1), today)
        assert art11a_notes(s, noor, today) == [finding.message]
    text = page.header.text()
    assert "Thuisblijven vijfjarige (art. 11a):" in text and html.escape(finding.message) in text
