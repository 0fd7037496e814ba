"""Meldingen: a melding drafted, its fields edited while concept, DUO's number recorded, status changes
offered only as DUO allows, closing with a reason, withdrawing."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog

from tests.builders import build_small_school
from verzuimdesk.model.law.meldingen import CLOSING_REASONS, melding_history
from verzuimdesk.model.register.entries import register_lesson, report_absence
from verzuimdesk.model.tables.law import Melding, MeldingStatusValue
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.meldingen.dialogs import NewMeldingDialog, StatusDialog
from verzuimdesk.ui.meldingen.page import MeldingenPage

TODAY = dt.date(2025, 11, 10)
D = dt.date
S = MeldingStatusValue


@pytest.fixture
def setup(qtbot, sqlite_db):  # type: ignore[no-untyped-def]
    school = build_small_school(sqlite_db)
    with sqlite_db.transaction() as s:
        piet = school.pupils["1001"]
        report_absence(s, piet, D(2025, 11, 3), D(2025, 11, 3), "O", by="test")  # 6 lessons unauthorised
        report_absence(s, piet, D(2025, 11, 4), D(2025, 11, 4), "Z", by="ouder")  # sick: never in a melding
        register_lesson(s, piet, D(2025, 11, 6), 2, "X", by="test")
    ctx = AppContext(sqlite_db)
    messages: list[str] = []
    ctx.show_error = messages.append
    page = MeldingenPage(ctx)
    page.today = lambda: TODAY
    qtbot.addWidget(page)
    return ctx, page, school, messages


def _create(page: MeldingenPage, qtbot, pupil_id: int, kind: str = "O") -> int:  # type: ignore[no-untyped-def]
    def fill(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewMeldingDialog)
        qtbot.addWidget(dialog)
        assert dialog.pupil.set_pupil(pupil_id)
        dialog.kind.setCurrentIndex(dialog.kind.findData(kind))
        dialog.begin.set_date(D(2025, 11, 3))
        dialog.end.set_optional(D(2025, 11, 7))
        dialog.presumed_reason.setText("Spijbelen")
        dialog.accept()
        return dialog.result() == QDialog.DialogCode.Accepted

    page.open_dialog = fill  # type: ignore[method-assign]
    page.new_melding()
    row = page.selected()
    assert row is not None
    return row.id


def _status_dialog(page: MeldingenPage, qtbot, status: str, reason: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    offered: list[str] = []

    def choose(dialog: QDialog) -> bool:
        assert isinstance(dialog, StatusDialog)
        qtbot.addWidget(dialog)
        offered.extend(dialog.status.itemData(i) for i in range(dialog.status.count()))
        assert dialog.set_status(status, reason)
        assert dialog.reason.isVisibleTo(dialog) == (status == S.CLOSED.value)
        dialog.accept()
        return True

    page.open_dialog = choose  # type: ignore[method-assign]
    page.change_status()
    return offered


def test_melding_from_concept_to_closed(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    mid = _create(page, qtbot, school.pupils["1001"])
    assert not messages
    row = page.selected()
    assert row.melding.kind == "O" and row.melding.status == "concept" and row.melding.absence_days == 2
    assert page.model.data(page.model.index(0, 5)) == "7,00"  # 6 + 1 hour unauthorised, no sickness
    detail = page.detail
    assert detail.spec.rowCount() == 2 and detail.spec.item(0, 1).text().startswith("1, 2, 3")
    assert "Nog niet compleet voor DUO" in detail.validation.text() and "#B00020" in detail.validation.text()
    assert "functie van de melder" in detail.validation.text()
    assert detail.save_button.isEnabled() and not detail.fields["reporter_name"].isReadOnly()
    assert not page.status_button.isEnabled()  # from concept only via the meldingsnummer (or withdrawing)

    # Every field can be edited while concept; a changed period takes a new specification.
    detail.fields["reporter_function"].setText("intern begeleider")
    detail.fields["school_action"].setText("Gesprek met moeder op 7 november")
    detail.end.set_optional(D(2025, 11, 5))
    assert detail.save()
    with ctx.db.session() as s:
        m = s.get(Melding, mid)
        assert m.reporter_function == "intern begeleider" and m.school_action.startswith("Gesprek")
        assert m.end_date == D(2025, 11, 5) and m.absence_days == 1 and m.minutes_unauthorised == 360
    assert "functie van de melder" not in page.detail.validation.text()

    # A meldingsnummer that is not a number is refused; a good one registers the melding.
    page.ask_number = lambda current: "abc"  # type: ignore[method-assign]
    page.record_number()
    assert messages and "geen meldingsnummer" in messages[-1] and page.selected().melding.status == "concept"
    page.ask_number = lambda current: "123 456"  # type: ignore[method-assign]
    page.record_number()
    row = page.selected()
    assert row.melding.status == S.REGISTERED.value and row.melding.duo_number == "123456"
    assert not detail.save_button.isEnabled() and detail.fields["reporter_name"].isReadOnly()
    assert page.model.data(page.model.index(0, 8)) == "123456"

    offered = _status_dialog(page, qtbot, S.IN_PROGRESS.value)
    assert offered == [S.IN_PROGRESS.value, S.CLOSED.value, S.NOTED.value]  # never back to concept
    assert page.selected().melding.status == S.IN_PROGRESS.value
    offered = _status_dialog(page, qtbot, S.CLOSED.value, CLOSING_REASONS[0])
    assert S.REGISTERED.value not in offered and S.DRAFT.value not in offered
    assert page.selected().melding.status == S.CLOSED.value
    assert not page.status_button.isEnabled() and not page.withdraw_button.isEnabled()
    assert not page.number_button.isEnabled()
    history = [page.detail.history.item(i).text() for i in range(page.detail.history.count())]
    assert len(history) == 4 and "afgesloten — reden: terug naar school" in history[-1]
    with ctx.db.session() as s:
        assert [h.status for h in melding_history(s, mid)] == ["concept", "geregistreerd", "in behandeling",
                                                               "afgesloten"]  # fmt: skip


def test_closing_needs_a_reason_and_withdrawing_a_note(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    mid = _create(page, qtbot, school.pupils["1001"])
    page.ask_number = lambda current: "777"  # type: ignore[method-assign]
    page.record_number()
    _status_dialog(page, qtbot, S.CLOSED.value)  # no reason chosen
    assert messages and "reden van afsluiten" in messages[-1]
    assert page.selected().melding.status == S.REGISTERED.value
    page.ask_text = lambda title, q: None  # type: ignore[method-assign]
    page.withdraw()
    assert page.selected().melding.status == S.REGISTERED.value
    page.ask_text = lambda title, q: "Verzuim bleek geoorloofd (ziekenhuisopname)"  # type: ignore[method-assign]
    page.withdraw()
    assert page.selected().melding.status == S.WITHDRAWN.value
    assert not page.status_button.isEnabled() and not page.withdraw_button.isEnabled()
    # Filter: open meldingen hides the withdrawn one.
    page.status_filter.setCurrentIndex(page.status_filter.findData("open"))
    assert page.proxy.rowCount() == 0
    page.status_filter.setCurrentIndex(0)
    assert page.proxy.rowCount() == 1 and page.select_melding(mid)


def test_status_dialog_offers_only_allowed_transitions(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = StatusDialog(S.NOTED.value, True)
    qtbot.addWidget(dialog)
    assert dialog.status.count() == 0  # only withdrawing, which has its own button
    dialog = StatusDialog(S.REGISTERED.value, True)
    qtbot.addWidget(dialog)
    assert not dialog.set_status(S.DRAFT.value) and not dialog.set_status(S.REGISTERED.value)


def test_lrv_einddatum_is_filled_in_after_registration(setup, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    """Issue 9 point 3: an LRV melding made without einddatum gets it later, also once DUO registered it."""
    from verzuimdesk.model.law.meldingen import create_melding, set_duo_number, set_melding_status

    ctx, page, school, messages = setup
    piet = school.pupils["1001"]
    with sqlite_db.transaction() as s:
        m = create_melding(s, piet, "LRV", D(2025, 11, 3), None, by="directeur", spec_until=D(2025, 11, 7))
        set_duo_number(s, m.id or 0, "4242", by="directeur")
        set_melding_status(s, m.id or 0, "geregistreerd", by="directeur")
        mid = m.id or 0
    detail = page.detail
    detail.show_melding(mid)
    assert detail.end_button.isVisibleTo(detail) and detail.end.isEnabled() and not detail.save_button.isEnabled()
    assert not detail.save_end() and messages == ["Kies eerst de einddatum: de laatste dag van het verzuim."]
    detail.end.set_optional(D(2025, 11, 6))
    assert detail.save_end()
    with sqlite_db.session() as s:
        melding = s.get(Melding, mid)
        assert melding is not None and melding.end_date == D(2025, 11, 6) and melding.status == "geregistreerd"
        assert melding_history(s, mid)[-1].note == "Einddatum ingevuld: 6 november 2025"
    assert not detail.end_button.isVisibleTo(detail)
