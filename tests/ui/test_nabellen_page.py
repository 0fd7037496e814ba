"""Nabellen: unexplained absences (X) become a reason after a call, or stay on the list with the attempt."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from tests.builders import SmallSchool, build_small_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.register.view import register_cells
from verzuimdesk.model.store import set_setting
from verzuimdesk.model.tables import AbsenceEntry, CallRecord, Guardian, Reason
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.register.nabellen import CallDialog, NabellenPage
from verzuimdesk.ui.register.page import RegisterPage

MONDAY = dt.date(2025, 11, 3)
PHONE, ATTEMPTS = 5, 6


@pytest.fixture
def school(sqlite_db: Database) -> SmallSchool:
    school = build_small_school(sqlite_db)
    yilmaz = school.pupils["1003"]
    with sqlite_db.transaction() as s:
        set_setting(s, "gebruiker", "meester Bas")
        s.add(Guardian(pupil_id=yilmaz, name="Ayşe Yılmaz", relation="moeder", phone="06-12345678"))
        register_cells(s, MONDAY, [(yilmaz, 1), (yilmaz, 2)], "X", by="juf Anne")
    return school


@pytest.fixture
def ctx(sqlite_db: Database, school: SmallSchool) -> AppContext:
    context = AppContext(sqlite_db)
    context.errors = []  # type: ignore[attr-defined]
    context.show_error = context.errors.append  # type: ignore[attr-defined]
    return context


@pytest.fixture
def page(qtbot, ctx: AppContext) -> NabellenPage:  # type: ignore[no-untyped-def]
    widget = NabellenPage(ctx)
    qtbot.addWidget(widget)
    widget.date_edit.set_date(MONDAY)
    widget.show()
    qtbot.waitExposed(widget)
    widget.table.setFocus()
    return widget


def codes(db: Database) -> list[tuple[int | None, str]]:
    with db.session() as s:
        names = {r.id: r.code for r in s.exec(select(Reason)).all()}
        return sorted((e.lesson_number, names[e.reason_id]) for e in s.exec(select(AbsenceEntry)).all())


def cell(page: NabellenPage, row: int, column: int) -> str:
    return page.model.data(page.model.index(row, column))


def test_call_with_outcome_converts_the_x_entries_and_empties_the_list(qtbot, page, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    assert page.model.rowCount() == 1
    assert [cell(page, 0, c) for c in range(5)] == ["ma 3-11", "Groep 5", "Yılmaz, Emre", "1, 2", "120"]
    assert cell(page, 0, PHONE) == "06-12345678 (Ayşe Yılmaz)"
    filled: list[str] = []

    def fill(dialog: CallDialog) -> bool:
        filled.append(dialog.contact.currentText())
        dialog.set_outcome("Z")
        dialog.note.setText("koorts sinds vannacht")
        return True

    page.exec_dialog = fill  # type: ignore[method-assign]
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert filled == ["Ayşe Yılmaz (moeder)"]
    assert codes(sqlite_db) == [(1, "Z"), (2, "Z")]
    with sqlite_db.session() as s:
        calls = s.exec(select(CallRecord)).all()
    assert [(c.reached, c.contact, c.called_by, c.note) for c in calls] == [
        (True, "Ayşe Yılmaz (moeder)", "meester Bas", "koorts sinds vannacht")
    ]
    assert page.model.rowCount() == 0
    assert page.stack.currentWidget() is page.empty_label
    assert "Geen onverklaarde afwezigheid op maandag 3 november 2025" in page.empty_label.text()
    assert page.ctx.errors == []  # type: ignore[attr-defined]


def test_not_reached_stays_on_the_list_with_the_attempt(qtbot, page, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    def not_reached(dialog: CallDialog) -> bool:
        dialog.reached_no.setChecked(True)
        return True

    page.exec_dialog = not_reached  # type: ignore[method-assign]
    page.call_button.click()
    assert codes(sqlite_db) == [(1, "X"), (2, "X")]
    assert page.model.rowCount() == 1
    assert cell(page, 0, ATTEMPTS).endswith("niet bereikt")
    assert "blijft op de lijst" in page.message.text()


def test_outcome_without_contact_needs_a_note(qtbot, page, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    def no_note(dialog: CallDialog) -> bool:
        dialog.reached_no.setChecked(True)
        dialog.set_outcome("O")
        return True

    page.exec_dialog = no_note  # type: ignore[method-assign]
    page.call_button.click()
    assert page.ctx.errors and "toelichting" in page.ctx.errors[0]  # type: ignore[attr-defined]
    assert codes(sqlite_db) == [(1, "X"), (2, "X")] and page.model.rowCount() == 1


def test_earlier_days_of_the_week(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.date_edit.set_date(MONDAY + dt.timedelta(days=2))
    assert page.model.rowCount() == 0 and "woensdag 5 november 2025" in page.empty_label.text()
    page.whole_week.setChecked(True)
    assert page.model.rowCount() == 1 and cell(page, 0, 0) == "ma 3-11"


def test_an_x_typed_in_the_register_appears_on_the_call_list(qtbot, ctx, page, school) -> None:  # type: ignore[no-untyped-def]
    register = RegisterPage(ctx)
    qtbot.addWidget(register)
    register.group_combo.setCurrentIndex(register.group_combo.findData(school.g5))
    register.date_edit.set_date(MONDAY)
    register.grid.go_to(1, 0)  # Jansen, lesson 1
    qtbot.keyClick(register.grid, Qt.Key.Key_X)
    assert [cell(page, r, 2) for r in range(page.model.rowCount())] == ["Jansen, Piet", "Yılmaz, Emre"]
    assert cell(page, 0, PHONE) == "(geen nummer bekend)"
