"""Groepen: list, group dialog, timetable editor (overlap refused, copy Monday, geldig vanaf)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QWidget

from verzuimdesk.model.setup import pupils_groups as admin
from verzuimdesk.model.tables import Group
from verzuimdesk.ui.setup.groups import GroupDialog, GroupsPage
from verzuimdesk.ui.setup.timetable_editor import TimetableEditor

TODAY = dt.date(2025, 11, 3)


def _button(widget: QWidget, text: str) -> QPushButton:
    return next(b for b in widget.findChildren(QPushButton) if b.text() == text)


@pytest.fixture
def setup(small_school_page):  # type: ignore[no-untyped-def]
    return small_school_page(GroupsPage, TODAY)


def test_list_shows_pupils_and_hours(setup) -> None:  # type: ignore[no-untyped-def]
    _ctx, page, _school, _ = setup
    rows = {r.key: r for r in page.model.rows}
    assert rows["g5"].pupils == 3
    g5 = page.model.rows.index(rows["g5"])
    assert page.model.data(page.model.index(g5, 5)) == "30,00"
    assert page.select_group(rows["g5"].id)
    assert page.timetable.rowCount() == 6 and page.timetable.item(0, 0).text() == "08:30–09:30"


def test_new_group_through_dialog(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, _school, messages = setup

    def fill(dialog: GroupDialog) -> bool:
        qtbot.keyClicks(dialog.name, "Groep 5")  # same key as an existing group: refused
        dialog.key.setText("g5")
        dialog.accept()
        assert "al een groep" in messages[-1] and dialog.error.text() == messages[-1]
        dialog.name.setText("Groep 8")
        dialog.key.setText("g8")
        dialog.jaargroep.setCurrentText("8")
        dialog.accept()
        return dialog.result() == 1

    page.open_dialog = fill  # type: ignore[method-assign]
    page.new_group()
    with ctx.db.session() as s:
        from sqlmodel import select

        g8 = s.exec(select(Group).where(Group.key == "g8")).one()
    assert g8.jaargroep == "8"
    assert any(r.key == "g8" for r in page.model.rows)
    page.confirm = lambda _q: True  # type: ignore[method-assign]
    page.select_group(g8.id)
    page.remove_selected()
    assert not any(r.key == "g8" for r in page.model.rows)


def test_overlapping_lessons_are_refused(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    editor = TimetableEditor(ctx, school.g5, "Groep 5", page, today=TODAY)
    qtbot.addWidget(editor)
    monday = editor.tables[0]
    assert monday.rowCount() == 6
    monday.item(1, 1).setText("09:00")  # lesson 2 now starts before lesson 1 ends
    editor.accept()
    assert messages[-1] == "Op maandag overlappen les 1 en les 2."
    assert editor.error.text() == messages[-1] and editor.result() == 0
    monday.item(1, 1).setText("9.30")
    monday.item(1, 2).setText("9:15")
    editor.accept()
    assert "eindtijd 09:15 ligt niet na de begintijd 09:30" in messages[-1]
    monday.item(1, 2).setText("tien uur")
    editor.accept()
    assert "'tien uur' is geen tijd" in messages[-1]
    with ctx.db.session() as s:
        assert admin.timetable_on(s, school.g5, TODAY)[1][2:4] == (570, 630)  # nothing written


def test_copy_monday_and_valid_from_keeps_history(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    editor = TimetableEditor(ctx, school.g12, "Groep 1/2", page, today=TODAY)
    qtbot.addWidget(editor)
    editor.tabs.setCurrentIndex(0)
    qtbot.mouseClick(_button(editor, "Les &toevoegen"), Qt.MouseButton.LeftButton)  # lesson 7, 14:30–15:30
    assert editor.tables[0].rowCount() == 7 and editor.tables[0].item(6, 1).text() == "14:30"
    qtbot.mouseClick(_button(editor, "&Kopieer maandag naar alle dagen"), Qt.MouseButton.LeftButton)
    assert [t.rowCount() for t in editor.tables] == [7, 7, 7, 7, 7]
    editor.valid_from.set_date(dt.date(2025, 11, 10))
    editor.accept()
    assert editor.result() == 1 and not messages
    with ctx.db.session() as s:
        before = admin.timetable_on(s, school.g12, dt.date(2025, 11, 7))
        after = admin.timetable_on(s, school.g12, dt.date(2025, 11, 14))
    assert len([r for r in before if r[0] == 4]) == 4  # the old Friday (four lessons) stays for the past
    assert len([r for r in after if r[0] == 4]) == 7 and len(after) == 35
