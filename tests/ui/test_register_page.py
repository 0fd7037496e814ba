"""The register screen driven from the keyboard, checked against the database and a hand count.

Small school of tests/builders.py, group 5 on Monday 3 November 2025: six lessons of 60 minutes
(08:30–14:30); rows sorted by achternaam: 0 = Berg (van den), 1 = Jansen, 2 = Yılmaz.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from tests.builders import SmallSchool, build_small_school
from verzuimdesk.model.audit import trail
from verzuimdesk.model.db import Database
from verzuimdesk.model.register.entries import set_entry
from verzuimdesk.model.register.timetable import add_deviation
from verzuimdesk.model.store import set_setting
from verzuimdesk.model.tables import AbsenceEntry, Reason, RegisterTaken
from verzuimdesk.ui.context import REGISTER, AppContext
from verzuimdesk.ui.register.dialogs import MinutesDialog, ParentReportDialog
from verzuimdesk.ui.register.grid import FROM_PARENT_ROLE
from verzuimdesk.ui.register.page import RegisterPage

MONDAY = dt.date(2025, 11, 3)
BERG, JANSEN, YILMAZ = 0, 1, 2
FOOTER_REGISTER, FOOTER_PRESENT, FOOTER_ABSENT, FOOTER_LATE = 3, 4, 5, 6
TOTAL = 6  # the totals column after six lessons


@pytest.fixture
def school(sqlite_db: Database) -> SmallSchool:
    school = build_small_school(sqlite_db)
    with sqlite_db.transaction() as s:
        set_setting(s, "gebruiker", "juf Anne")
    return school


@pytest.fixture
def ctx(sqlite_db: Database, school: SmallSchool) -> Iterator[AppContext]:
    context = AppContext(sqlite_db)
    context.errors = []  # type: ignore[attr-defined]
    context.show_error = context.errors.append  # type: ignore[attr-defined]
    yield context


@pytest.fixture
def page(qtbot, ctx: AppContext, school: SmallSchool) -> RegisterPage:  # type: ignore[no-untyped-def]
    widget = RegisterPage(ctx)
    qtbot.addWidget(widget)
    widget.group_combo.setCurrentIndex(widget.group_combo.findData(school.g5))
    widget.date_edit.set_date(MONDAY)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.grid.setFocus()
    widget.minutes_asked = []  # type: ignore[attr-defined]
    return widget


def entries(db: Database) -> list[tuple[int, int | None, str, int, str]]:
    """(pupil_id, lesson, code, minutes late, source) of every entry, sorted."""
    with db.session() as s:
        codes = {r.id: r.code for r in s.exec(select(Reason)).all()}
        rows = s.exec(select(AbsenceEntry)).all()
        return sorted(
            (r.pupil_id, r.lesson_number, codes[r.reason_id], r.minutes_late, r.source) for r in rows
        )


def shown(page: RegisterPage, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    return page.model.data(page.model.index(row, column), role)


def go(page: RegisterPage, row: int, column: int) -> None:
    page.grid.go_to(row, column)


def answer_minutes(page: RegisterPage, minutes: int) -> None:
    def ask(code: str, maximum: int) -> int:
        page.minutes_asked.append((code, maximum))  # type: ignore[attr-defined]
        return minutes

    page.ask_minutes_late = ask  # type: ignore[method-assign]


def test_keyboard_entry_writes_the_register_and_the_totals_match_a_hand_count(
    qtbot, page, school, sqlite_db
) -> None:  # type: ignore[no-untyped-def]
    p = school.pupils
    grid = page.grid
    go(page, BERG, 0)
    qtbot.keyClick(grid, Qt.Key.Key_Z)
    assert entries(sqlite_db) == [(p["1002"], 1, "Z", 0, "leerkracht")]
    assert shown(page, BERG, 0) == "Z"
    qtbot.keyClick(grid, Qt.Key.Key_Space)  # space = present again
    assert entries(sqlite_db) == [] and shown(page, BERG, 0) == ""
    qtbot.keyClick(grid, Qt.Key.Key_Z)
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # Enter: next pupil, same lesson
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (JANSEN, 0)

    answer_minutes(page, 10)
    qtbot.keyClicks(grid, "T")  # T could still become TG: waits for Enter (or the timer)
    assert grid.buffer == "T" and len(entries(sqlite_db)) == 1
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert page.minutes_asked == [("T", 60)]
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (YILMAZ, 0)
    answer_minutes(page, 5)
    qtbot.keyClicks(grid, "TG")  # a two-letter code is committed as soon as it is unique
    assert shown(page, YILMAZ, 0) == "TG 5'"
    qtbot.keyClick(grid, Qt.Key.Key_Return)  # from the last pupil to the first pupil of lesson 2
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (BERG, 1)

    qtbot.keyClick(grid, Qt.Key.Key_Right)
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (JANSEN, 2)
    qtbot.keyClick(grid, Qt.Key.Key_O)
    assert (p["1001"], 3, "O", 0, "leerkracht") in entries(sqlite_db)
    qtbot.keyClick(grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # undo the O
    assert entries(sqlite_db) == sorted([
        (p["1002"], 1, "Z", 0, "leerkracht"),
        (p["1001"], 1, "T", 10, "leerkracht"),
        (p["1003"], 1, "TG", 5, "leerkracht"),
    ])  # fmt: skip
    assert shown(page, JANSEN, 2) == "" and shown(page, JANSEN, 0) == "T 10'"

    # Hand count, lesson 1: Berg absent, Jansen and Yılmaz late; nobody else absent anywhere.
    assert shown(page, FOOTER_ABSENT, 0) == "1" and shown(page, FOOTER_LATE, 0) == "2"
    assert shown(page, FOOTER_PRESENT, 0) == "–"  # register not taken: presence unknown
    assert [shown(page, FOOTER_ABSENT, c) for c in range(1, 6)] == ["0"] * 5
    # Per pupil: 60 minutes ziek, 10 and 5 minutes late; the group 75 minutes = 1,25 hours.
    assert [shown(page, r, TOTAL) for r in (BERG, JANSEN, YILMAZ)] == ["1,00 u", "0,17 u", "0,08 u"]
    assert shown(page, FOOTER_ABSENT, TOTAL) == "1,25 u" and shown(page, FOOTER_LATE, TOTAL) == "2"
    assert "3 leerlingen" in page.summary.text() and "afwezig: 1 leerling (1,25 u)" in page.summary.text()
    assert page.ctx.errors == []  # type: ignore[attr-defined]


def test_code_on_a_selected_row_is_one_step_and_undone_at_once(qtbot, page, school, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    jansen = school.pupils["1001"]
    header = page.grid.verticalHeader()  # a click on the name selects the whole day: "ziek all day"
    y = header.sectionViewportPosition(JANSEN) + header.sectionSize(JANSEN) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, y))
    qtbot.keyClick(page.grid, Qt.Key.Key_Z)
    assert entries(sqlite_db) == [(jansen, n, "Z", 0, "leerkracht") for n in range(1, 7)]
    assert [shown(page, JANSEN, c) for c in range(6)] == ["Z"] * 6
    assert shown(page, JANSEN, TOTAL) == "6,00 u"
    assert all(shown(page, FOOTER_ABSENT, c) == "1" for c in range(6))
    qtbot.keyClick(page.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert entries(sqlite_db) == []
    qtbot.keyClick(page.grid, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert page.message.text() == "Er is niets om ongedaan te maken."


def test_two_letter_code_after_the_pause(qtbot, page, school, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    go(page, YILMAZ, 3)
    qtbot.keyClicks(page.grid, "L")  # L (luxe verzuim) or LU (lesuitval)?
    assert entries(sqlite_db) == []
    qtbot.waitUntil(lambda: len(entries(sqlite_db)) == 1, timeout=3000)
    assert entries(sqlite_db) == [(school.pupils["1003"], 4, "L", 0, "leerkracht")]
    qtbot.keyClicks(page.grid, "LU")
    assert entries(sqlite_db) == [(school.pupils["1003"], 4, "LU", 0, "leerkracht")]
    qtbot.keyClicks(page.grid, "Q")
    assert "'Q' is geen code" in page.message.text() and len(entries(sqlite_db)) == 1


def test_minutes_dialog_is_typed_into_and_confirmed_with_enter(qtbot, page, school, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []

    def type_in_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MinutesDialog)
        seen.append(f"{dialog.spin.value()}")
        qtbot.keyClicks(dialog.spin, "12")  # replaces the selected default of 5
        qtbot.keyClick(dialog.spin, Qt.Key.Key_Return)

    go(page, BERG, 2)
    QTimer.singleShot(0, type_in_dialog)
    qtbot.keyClicks(page.grid, "T")
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    assert seen == ["5"]
    assert entries(sqlite_db) == [(school.pupils["1002"], 3, "T", 12, "leerkracht")]
    assert shown(page, BERG, 2) == "T 12'"


def test_too_many_minutes_late_is_refused_with_a_dutch_message(qtbot, page, school, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    answer_minutes(page, 90)
    go(page, BERG, 0)
    qtbot.keyClicks(page.grid, "T")
    qtbot.keyClick(page.grid, Qt.Key.Key_Return)
    assert entries(sqlite_db) == []
    assert page.ctx.errors and "langer dan de les" in page.ctx.errors[0]  # type: ignore[attr-defined]


def test_register_taken_is_recorded_with_who_and_shown(qtbot, page, school, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    go(page, JANSEN, 2)
    assert shown(page, FOOTER_REGISTER, 2) == "niet genomen"
    assert "niet genomen" in page.model.headerData(2, Qt.Orientation.Horizontal)
    # the totals stay in view under the pupils (a second view on the same rows)
    assert page.grid.isRowHidden(FOOTER_REGISTER) and not page.footer.isRowHidden(FOOTER_REGISTER)
    assert page.footer.isRowHidden(JANSEN) and page.footer.columnWidth(2) == page.grid.columnWidth(2)
    qtbot.keyClick(page.grid, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    with sqlite_db.session() as s:
        rows = s.exec(select(RegisterTaken)).all()
    assert [(r.group_id, r.date, r.lesson_number, r.taken_by) for r in rows] == [
        (school.g5, MONDAY, 3, "juf Anne")
    ]
    assert shown(page, FOOTER_REGISTER, 2).startswith("✓ ")
    assert "genomen door juf Anne" in shown(page, FOOTER_REGISTER, 2, Qt.ItemDataRole.ToolTipRole)
    assert page.model.headerData(2, Qt.Orientation.Horizontal).endswith("\ngenomen")
    assert shown(page, FOOTER_PRESENT, 2) == "3" and shown(page, FOOTER_PRESENT, 3) == "–"
    assert shown(page, FOOTER_REGISTER, TOTAL) == "1 van 6"
    assert "genomen door juf Anne" in page.taken_button.text()
    page.taken_button.click()  # "intrekken"
    with sqlite_db.session() as s:
        assert s.exec(select(RegisterTaken)).all() == []
    assert shown(page, FOOTER_REGISTER, 2) == "niet genomen"


def test_parents_report_shows_in_the_grid(qtbot, page, school, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    def fill(dialog: ParentReportDialog) -> bool:
        dialog.set_reason("Z")
        dialog.date_to.set_date(MONDAY + dt.timedelta(days=1))
        dialog.note.setText("moeder belde: koorts")
        return True

    page.exec_dialog = fill  # type: ignore[method-assign]
    go(page, YILMAZ, 0)
    qtbot.keyClick(page.grid, Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier)
    yilmaz = school.pupils["1003"]
    assert entries(sqlite_db) == sorted(
        [(yilmaz, n, "Z", 0, "ouder") for n in range(1, 7)] * 2
    )  # Monday and Tuesday
    assert [shown(page, YILMAZ, c) for c in range(6)] == ["Z"] * 6
    assert shown(page, YILMAZ, 0, FROM_PARENT_ROLE) is True
    assert shown(page, YILMAZ, 0, Qt.ItemDataRole.FontRole).italic()
    assert "Gemeld door ouder: moeder belde: koorts" in shown(page, YILMAZ, 0, Qt.ItemDataRole.ToolTipRole)
    assert shown(page, BERG, 0, FROM_PARENT_ROLE) is False

    def part_of_day(dialog: ParentReportDialog) -> bool:  # tandarts 12:30–13:00, for Berg
        dialog.set_reason("M")
        dialog.part_of_day.setChecked(True)
        dialog.time_from.setTime(dialog.time_from.time().fromString("12:30", "HH:mm"))
        dialog.time_to.setTime(dialog.time_to.time().fromString("13:00", "HH:mm"))
        return True

    page.exec_dialog = part_of_day  # type: ignore[method-assign]
    go(page, BERG, 0)
    page.report_button.click()
    assert shown(page, BERG, 4) == "M 30'" and shown(page, BERG, TOTAL) == "0,50 u"


def test_lesson_outside_own_timetable_is_grey_and_not_editable(qtbot, ctx, school, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.transaction() as s:  # opbouwrooster for Berg: Mondays 08:30–11:30 only
        add_deviation(s, school.pupils["1002"], "opbouwrooster", dt.date(2025, 10, 1), None, [(0, 510, 690)])
    page = RegisterPage(ctx)
    qtbot.addWidget(page)
    page.group_combo.setCurrentIndex(page.group_combo.findData(school.g5))
    page.date_edit.set_date(MONDAY)
    assert not page.model.flags(page.model.index(BERG, 4)) & Qt.ItemFlag.ItemIsSelectable
    assert "eigen rooster" in shown(page, BERG, 4, Qt.ItemDataRole.ToolTipRole)
    assert shown(page, BERG, 4, Qt.ItemDataRole.BackgroundRole).style() == Qt.BrushStyle.BDiagPattern
    go(page, BERG, 4)
    qtbot.keyClick(page.grid, Qt.Key.Key_Z)
    assert entries(sqlite_db) == [] and "grijze cellen" in page.message.text()
    assert shown(page, BERG, TOTAL, Qt.ItemDataRole.ToolTipRole).startswith("Ingeroosterd: 3,00 u")
    assert shown(page, FOOTER_ABSENT, 4) == "0" and page.view.lesson_totals[4].scheduled == 2


def test_day_off_says_why_and_navigation_skips_holidays(qtbot, page) -> None:  # type: ignore[no-untyped-def]
    page.date_edit.set_date(dt.date(2025, 10, 22))
    assert page.off_label.isVisible() and "Herfstvakantie" in page.off_label.text()
    assert page.model.rowCount() == 0
    qtbot.keyClick(page.grid, Qt.Key.Key_Z)  # nothing to type on, nothing happens
    assert page.ctx.errors == []  # type: ignore[attr-defined]
    page.date_edit.set_date(dt.date(2025, 10, 17))
    qtbot.keyClick(page.grid, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert page.day == dt.date(2025, 10, 27) and not page.off_label.isVisible()
    page.prev_button.click()
    assert page.day == dt.date(2025, 10, 17)


def test_refreshes_when_the_register_changes_elsewhere(qtbot, page, school, ctx) -> None:  # type: ignore[no-untyped-def]
    ctx.run(
        {REGISTER}, set_entry, school.pupils["1001"], MONDAY, 690, 750, "V", by="directie", lesson_number=4
    )
    assert shown(page, JANSEN, 3) == "V" and shown(page, FOOTER_ABSENT, 3) == "1"


def test_group_and_column_width_are_remembered(qtbot, page, ctx, school, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    page.grid.horizontalHeader().resizeSection(0, 123)
    page.save_state(settings)
    other = RegisterPage(ctx)
    qtbot.addWidget(other)
    assert other.group_id == school.g12  # the first group (1/2) without remembered state
    other.restore_state(settings)
    other.date_edit.set_date(MONDAY)
    assert other.group_id == school.g5
    assert other.grid.horizontalHeader().sectionSize(3) == 123


def test_changing_an_old_registration_asks_a_reason_and_retries(qtbot, page, school, sqlite_db) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.transaction() as s:  # entered on the day itself, long ago
        set_entry(s, school.pupils["1002"], MONDAY, 510, 570, "Z", by="juf Anne", now=dt.datetime(2025, 11, 3, 9))
    page.refresh()  # the screen shows what is stored (a cell it saw empty would be a conflict, issue 14)
    asked: list[str] = []
    answers = iter([None, "Ouders belden: het was een tandartsbezoek"])
    page.ask_change_reason = lambda message: (asked.append(message), next(answers))[1]
    go(page, BERG, 0)
    qtbot.keyClick(page.grid, Qt.Key.Key_M)  # cancelled: nothing written
    assert [e[2] for e in entries(sqlite_db)] == ["Z"] and "schooldagen" in asked[0]
    qtbot.keyClick(page.grid, Qt.Key.Key_M)
    assert [e[2] for e in entries(sqlite_db)] == ["M"] and len(asked) == 2
    with sqlite_db.session() as s:
        last = trail(s, pupil_id=school.pupils["1002"])[-1]
    assert (last.reason, last.by) == ("Ouders belden: het was een tandartsbezoek", "juf Anne")
