"""The acceptance scenario of the register (issue 2): a newcomer starts on the demo school, enters this
morning's register for a group with the keyboard only, resolves the unexplained absences after calling
home, and every number the program shows equals a count by hand."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from sqlmodel import select

from verzuimdesk.demo import create_demo_school
from verzuimdesk.model.register.entries import registers_taken, unexplained_absences
from verzuimdesk.model.school.reasons import reasons_by_code
from verzuimdesk.model.school.records import active_groups
from verzuimdesk.model.tables import AbsenceEntry
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.main_window import MainWindow

TODAY = dt.date(2026, 11, 23)  # a Monday


def test_a_morning_with_the_demo_school(qtbot, sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    create_demo_school(sqlite_db, today=TODAY)
    ctx = AppContext(sqlite_db)
    errors: list[str] = []
    ctx.show_error = errors.append
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()

    # The register of group 7 (the demo leaves its registers of today untaken).
    page = window.show_page("Register")
    group7 = next(g for g in ctx.read(active_groups) if g.name == "Groep 7")
    page.group_combo.setCurrentIndex(page.group_combo.findData(group7.id))
    page.date_edit.set_date(TODAY)
    grid, model = page.grid, page.model
    pupils = [row.pupil_id for row in page.view.rows]
    before = {(e.pupil_id, e.lesson_number): e for e in ctx.read(_entries_today, pupils)}

    # Keyboard only: the first pupil is ill all morning (Z in lessons 1–4, Enter is not needed: a
    # one-letter code that is unique is committed at once), the second is missing without a message (X).
    grid.setFocus()
    page.ask_minutes_late = lambda code, maximum: 12  # type: ignore[method-assign]
    grid.go_to(0, 0)
    for _ in range(4):
        QTest.keyClick(grid, Qt.Key.Key_Z)
        QTest.keyClick(grid, Qt.Key.Key_Right)
    grid.go_to(1, 0)
    QTest.keyClick(grid, Qt.Key.Key_X)
    grid.go_to(2, 0)
    QTest.keyClicks(grid, "T")
    QTest.keyClick(grid, Qt.Key.Key_Return)  # T could become TG: Enter commits, asks minutes (12)
    for column in range(model.lesson_count):  # the register of every lesson is taken (Ctrl+G)
        grid.go_to(0, column)
        QTest.keyClick(window.windowHandle(), Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert errors == []

    # What the database says equals what was typed; nothing else changed.
    after = {(e.pupil_id, e.lesson_number): e for e in ctx.read(_entries_today, pupils)}
    codes = ctx.read(lambda s: {r.id: r.code for r in reasons_by_code(s).values()})
    changed = {k: (codes[e.reason_id], e.minutes_late) for k, e in after.items() if k not in before}
    assert changed == {
        **{(pupils[0], n): ("Z", 0) for n in range(1, 5)},
        (pupils[1], 1): ("X", 0),
        (pupils[2], 1): ("T", 12),
    }
    assert set(ctx.read(registers_taken, group7.id, TODAY)) == set(range(1, model.lesson_count + 1))

    # The totals shown equal a count by hand over what the register holds for lesson 1 (the demo may
    # already have had an absence in this group today): absent = a non-lateness absence, late = lateness.
    reasons = ctx.read(lambda s: {r.id: r for r in reasons_by_code(s).values()})
    lesson1 = [reasons[e.reason_id] for (pid, n), e in after.items() if n == 1]
    absent = sum(1 for r in lesson1 if not r.is_lateness and r.category in ("geoorloofd", "ongeoorloofd"))
    late = sum(1 for r in lesson1 if r.is_lateness)
    assert absent >= 2 and late >= 1
    absent_row, late_row, present_row = model.pupil_count + 2, model.pupil_count + 3, model.pupil_count + 1
    assert model.data(model.index(absent_row, 0)) == str(absent)
    assert model.data(model.index(late_row, 0)) == str(late)
    assert model.data(model.index(present_row, 0)) == str(len(pupils) - absent - late)
    assert model.data(model.index(0, model.lesson_count)) == "4,00 u"  # four 60-minute lessons ill

    # Nabellen: the X of the second pupil is on today's list; the call resolves it as ill.
    nabellen = window.show_page("Nabellen")
    nabellen.date_edit.set_date(TODAY)
    names = [nabellen.model.data(nabellen.model.index(r, 2)) for r in range(nabellen.model.rowCount())]
    row = next(r for r in range(nabellen.model.rowCount()) if nabellen.model.row_at(r).item.pupil.id == pupils[1])
    nabellen.table.selectRow(row)

    def answer(dialog) -> bool:  # type: ignore[no-untyped-def]
        dialog.set_outcome("Z")
        dialog.note.setText("Moeder belde terug: koorts.")
        return True

    nabellen.exec_dialog = answer  # type: ignore[method-assign]
    nabellen.record_selected_call()
    assert errors == []
    still_open = {u.pupil.id for u in ctx.read(unexplained_absences, TODAY)}
    assert pupils[1] not in still_open and len(still_open) == len(names) - 1
    resolved = ctx.read(_entries_today, [pupils[1]])
    assert [codes[e.reason_id] for e in resolved if e.lesson_number == 1] == ["Z"]


def _entries_today(session, pupil_ids: list[int]) -> list[AbsenceEntry]:  # type: ignore[no-untyped-def]
    from sqlmodel import col

    return list(session.exec(select(AbsenceEntry).where(AbsenceEntry.date == TODAY,
                                                         col(AbsenceEntry.pupil_id).in_(pupil_ids))).all())
