"""Leerlingen: list, search, the pupil dialog (driven like a user), group change per date."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from tests.builders import YEAR_START
from verzuimdesk.model.setup import pupils_groups as admin
from verzuimdesk.model.tables import Guardian, Pupil
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.setup.pupil_dialog import PupilDialog
from verzuimdesk.ui.setup.pupils import PupilsPage

TODAY = dt.date(2025, 11, 3)


@pytest.fixture
def setup(small_school_page):  # type: ignore[no-untyped-def]
    return small_school_page(PupilsPage, TODAY)


def _pupils(ctx: AppContext) -> list[Pupil]:
    with ctx.db.session() as s:
        from sqlmodel import select

        return list(s.exec(select(Pupil)).all())


def _ok(dialog: PupilDialog, qtbot) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def test_list_search_and_left_filter(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, _ = setup
    assert page.proxy.rowCount() == 4
    qtbot.keyClicks(page.search, "jans")
    assert page.proxy.rowCount() == 1
    page.search.clear()
    qtbot.keyClicks(page.search, "111222333")  # BSN
    assert page.proxy.rowCount() == 1
    page.search.clear()
    with ctx.db.transaction() as s:
        admin.save_pupil_details(s, school.pupils["1003"], {"left_on": dt.date(2025, 10, 1)})
    page.refresh()
    assert page.proxy.rowCount() == 3 and "verborgen" in page.count_label.text()
    page.show_left.setChecked(True)
    assert page.proxy.rowCount() == 4


def test_new_pupil_with_invalid_bsn_is_refused(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, _school, messages = setup
    dialog = PupilDialog(ctx, None, page, today=TODAY)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.fields["achternaam"], "Bakker")
    qtbot.keyClicks(dialog.fields["roepnaam"], "Lotte")
    qtbot.keyClicks(dialog.fields["bsn"], "123456789")
    _ok(dialog, qtbot)
    assert messages and "geen geldig BSN" in messages[-1]
    assert dialog.error.text() == messages[-1] and dialog.result() == 0
    assert len(_pupils(ctx)) == 4  # nothing saved
    dialog.fields["bsn"].setText("")
    qtbot.keyClicks(dialog.fields["bsn"], "123456782")
    dialog.group_combo.setCurrentIndex(dialog.group_combo.findText("Groep 5"))
    dialog.add_guardian(admin.GuardianData("M. Bakker", "moeder", "06-12345678"))
    _ok(dialog, qtbot)
    assert dialog.result() == 1
    new = next(p for p in _pupils(ctx) if p.achternaam == "Bakker")
    assert new.bsn == "123456782" and new.key == "2002" and new.enrolled_on == TODAY
    with ctx.db.session() as s:
        assert admin.membership_history(s, new.id)[0].group == "Groep 5"
    assert page.proxy.rowCount() == 5  # the page refreshed through ctx.changed


def test_edit_pupil_from_list_with_enter(setup, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    opened: list[PupilDialog] = []

    def fill(dialog: PupilDialog) -> bool:
        opened.append(dialog)
        dialog.fields["achternaam"].selectAll()
        qtbot.keyClicks(dialog.fields["achternaam"], "Jansen-de Vries")
        dialog.fields["woongemeente"].setText("Zwolle")
        dialog.add_guardian(admin.GuardianData("Karin de Vries", "moeder", "06-11112222", "karin@example.nl"))
        dialog.accept()
        return dialog.result() == 1

    monkeypatch.setattr(page, "open_dialog", fill)
    assert page.select_pupil(school.pupils["1001"])
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert len(opened) == 1 and not messages
    with ctx.db.session() as s:
        p = s.get(Pupil, school.pupils["1001"])
        assert p is not None and (p.achternaam, p.woongemeente, p.bsn) == ("Jansen-de Vries", "Zwolle", "111222333")
        from sqlmodel import select

        assert [g.name for g in s.exec(select(Guardian)).all()] == ["Karin de Vries"]
    names = [page.model.row_at(i).name for i in range(page.model.rowCount())]
    assert "Piet Jansen-de Vries" in names


def test_change_group_per_date_keeps_history(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    dialog = PupilDialog(ctx, school.pupils["1003"], page, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(2)
    dialog.group_combo.setCurrentIndex(dialog.group_combo.findText("Groep 1/2"))
    dialog.group_date.set_date(dt.date(2026, 1, 5))
    button = next(b for b in dialog.findChildren(type(dialog.ok_button)) if "groep per datum" in b.text())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not messages
    assert dialog.history.rowCount() == 2
    assert dialog.history.item(1, 2).text() == "04-01-2026"
    with ctx.db.session() as s:
        hist = admin.membership_history(s, school.pupils["1003"])
    assert [(h.group, h.date_from, h.date_to) for h in hist] == [
        ("Groep 1/2", dt.date(2026, 1, 5), None), ("Groep 5", YEAR_START, dt.date(2026, 1, 4)),
    ]  # fmt: skip
    dialog.reject()


def test_add_and_end_deviation(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, school, messages = setup
    dialog = PupilDialog(ctx, school.pupils["2001"], page, today=TODAY)
    qtbot.addWidget(dialog)
    tab = dialog.deviations

    def fill(dev) -> bool:  # type: ignore[no-untyped-def]
        dev.days[0][0].setChecked(True)
        dev.days[0][2].set_minutes(690)
        dev.days[2][0].setChecked(True)
        dev.accept()
        return dev.result() == 1

    tab.open_dialog = fill  # type: ignore[method-assign]
    tab.new_deviation()
    assert tab.table.rowCount() == 1 and tab.table.item(0, 3).text() == "ma 08:30–11:30, wo 08:30–12:00"
    tab.table.selectRow(0)
    tab.end_date.set_date(dt.date(2025, 12, 19))
    tab.end_selected()
    assert tab.table.item(0, 2).text() == "19-12-2025" and not messages
    dialog.reject()


def test_dialog_buttons_are_dutch(setup, qtbot) -> None:  # type: ignore[no-untyped-def]
    ctx, page, _school, _ = setup
    dialog = PupilDialog(ctx, None, page, today=TODAY)
    qtbot.addWidget(dialog)
    box = dialog.findChild(QDialogButtonBox)
    assert sorted(b.text() for b in box.buttons()) == ["Annuleren", "Opslaan"]
