"""The screens besides the register grid (issue 14 point 3): the leave decision, a melding's status and the
settings keep the versions they showed; a change made meanwhile on another PC gives the conflict (naming who),
stores nothing, and "Opnieuw laden" brings the screen up to date so that the next save goes through."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from tests.builders import SmallSchool, build_small_school
from tests.concurrency.conftest import actor
from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.errors import ConflictError
from verzuimdesk.model.law.leave import decide_leave_request, submit_leave_request
from verzuimdesk.model.law.meldingen import create_melding, set_duo_number, set_melding_status
from verzuimdesk.model.store import get_setting, set_setting
from verzuimdesk.model.tables.law import LeaveRequest, Melding, MeldingStatusValue
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.leave.dialogs import LeaveDecisionDialog
from verzuimdesk.ui.meldingen.dialogs import StatusDialog
from verzuimdesk.ui.meldingen.page import MeldingenPage
from verzuimdesk.ui.setup.settings import SettingsPage

TODAY = dt.date(2025, 11, 3)


@dataclass
class Screens:
    anna: Database  # the other PC, changing things through the model
    bram: Database
    ctx: AppContext  # Bram's screens
    school: SmallSchool
    conflicts: list[ConflictError]
    messages: list[str]


@pytest.fixture
def screens(qtbot, tmp_path: Path) -> Iterator[Screens]:  # type: ignore[no-untyped-def]
    url = str(tmp_path / "school.sqlite")
    anna = open_database(url)
    school = build_small_school(anna)
    bram = open_database(url)
    anna.actor, bram.actor = actor("anna"), actor("bram")
    ctx = AppContext(bram)
    conflicts: list[ConflictError] = []
    messages: list[str] = []
    ctx.show_error = messages.append
    ctx.show_conflict = lambda exc: (conflicts.append(exc), True)[1]  # the user chooses "Opnieuw laden"
    yield Screens(anna, bram, ctx, school, conflicts, messages)
    anna.close()
    bram.close()


def test_leave_decision_dialog(screens: Screens, qtbot) -> None:  # type: ignore[no-untyped-def]
    with screens.anna.transaction() as s:
        request = submit_leave_request(s, screens.school.pupils["1001"], "gewichtige_omstandigheden",
                                       dt.date(2025, 11, 10), dt.date(2025, 11, 11), received_on=dt.date(2025, 10, 1),
                                       by="anna")  # fmt: skip
    assert request.id is not None
    dialog = LeaveDecisionDialog(screens.ctx, request.id, TODAY)
    qtbot.addWidget(dialog)
    with screens.anna.transaction() as s:  # Anna refuses on her PC while Bram's dialog is open
        decide_leave_request(s, request.id, "geweigerd", by="anna", motivation="Geen bewijs.", on=TODAY)
    dialog.motivation.setPlainText("Bruiloft van de oom.")
    assert not dialog.choose("toegekend")
    assert len(screens.conflicts) == 1 and "door anna" in str(screens.conflicts[0])
    assert "motivering: Bruiloft van de oom." in screens.conflicts[0].attempted[0]
    assert "Opnieuw geladen" in dialog.error.text() and "geweigerd" in dialog.error.text()
    with screens.bram.session() as s:
        assert s.get(LeaveRequest, request.id).decided_by == "anna"  # type: ignore[union-attr]
    assert dialog.choose("toegekend")  # after the reload Bram decides knowingly
    with screens.bram.session() as s:
        assert s.get(LeaveRequest, request.id).status == "toegekend"  # type: ignore[union-attr]


def test_melding_status_on_the_meldingen_page(screens: Screens, qtbot) -> None:  # type: ignore[no-untyped-def]
    with screens.anna.transaction() as s:
        melding = create_melding(s, screens.school.pupils["1001"], "O", TODAY, dt.date(2025, 11, 7), by="anna")
        set_duo_number(s, melding.id, "123456", by="anna")
    page = MeldingenPage(screens.ctx)
    page.today = lambda: TODAY
    qtbot.addWidget(page)
    assert page.select_melding(melding.id)
    with screens.anna.transaction() as s:
        set_melding_status(s, melding.id, "ingetrokken", by="anna", note="Toch geoorloofd.")

    def register(dialog: QDialog) -> bool:
        assert isinstance(dialog, StatusDialog)
        qtbot.addWidget(dialog)
        assert dialog.set_status(MeldingStatusValue.REGISTERED.value, "")
        return True

    page.open_dialog = register  # type: ignore[method-assign]
    page.change_status()
    assert len(screens.conflicts) == 1 and "door anna" in str(screens.conflicts[0])
    with screens.bram.session() as s:
        assert s.get(Melding, melding.id).status == "ingetrokken"  # type: ignore[union-attr]
    row = page.selected()
    assert row is not None and row.melding.status == "ingetrokken"  # reloaded: the page shows Anna's change


def test_settings_page(screens: Screens, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = SettingsPage(screens.ctx)
    page.today = lambda: TODAY  # type: ignore[method-assign]
    qtbot.addWidget(page)
    with screens.anna.transaction() as s:
        set_setting(s, "melder_telefoon", "030-111 11 11")
    page.reporter["melder_email"].setText("bram@school.example.nl")
    page.save_school()
    assert len(screens.conflicts) == 1
    conflict: Any = screens.conflicts[0]
    assert "instelling 'melder_telefoon'" in str(conflict) and "door anna" in str(conflict)
    assert "melder_email: bram@school.example.nl" in conflict.attempted
    with screens.bram.session() as s:  # nothing of Bram's screen, Anna's phone number kept
        assert (get_setting(s, "melder_telefoon"), get_setting(s, "melder_email")) == ("030-111 11 11", "")
    assert page.reporter["melder_telefoon"].text() == "030-111 11 11"  # reloaded
    page.reporter["melder_email"].setText("bram@school.example.nl")
    page.save_school()
    with screens.bram.session() as s:
        assert (get_setting(s, "melder_telefoon"), get_setting(s, "melder_email")) == (
            "030-111 11 11", "bram@school.example.nl")


# ---------------------------------------------------------------- the school, a pupil's card, the register (gaps)


def test_school_details_on_the_settings_page(screens: Screens, qtbot) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.model.school.records import get_school
    from verzuimdesk.model.setup.settings import save_school_details

    page = SettingsPage(screens.ctx)
    page.today = lambda: TODAY  # type: ignore[method-assign]
    qtbot.addWidget(page)
    with screens.anna.transaction() as s:  # Anna corrects the BRIN on her PC while Bram's screen is open
        save_school_details(s, {"brin": "12AB"})
    page.fields["phone"].setText("030-222 22 22")
    page.save_school()
    assert len(screens.conflicts) == 1
    conflict = screens.conflicts[0]
    assert "De gegevens van de school" in str(conflict) and "door anna" in str(conflict)
    assert "telefoon: 030-222 22 22" in conflict.attempted and "BRIN: 99ZZ" in conflict.attempted
    with screens.bram.session() as s:
        school = get_school(s)
        assert school is not None and (school.brin, school.phone) == ("12AB", "")  # Bram's BRIN did not win
    assert page.fields["brin"].text() == "12AB" and page.fields["phone"].text() == ""  # reloaded
    page.fields["phone"].setText("030-222 22 22")
    page.save_school()
    with screens.bram.session() as s:
        school = get_school(s)
        assert school is not None and (school.brin, school.phone) == ("12AB", "030-222 22 22")


def test_pupil_dialog_reloads_after_a_conflict(screens: Screens, qtbot) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.model.setup.pupils_groups import GuardianData, guardians_of, save_guardians
    from verzuimdesk.model.tables import Pupil
    from verzuimdesk.ui.setup.pupil_dialog import PupilDialog

    piet = screens.school.pupils["1001"]
    dialog = PupilDialog(screens.ctx, piet, today=TODAY)
    qtbot.addWidget(dialog)
    with screens.anna.transaction() as s:  # Anna adds Piet's mother on her PC
        save_guardians(s, piet, [GuardianData("M. Jansen", "moeder", "06-1")])
    dialog.fields["address"].setText("Kerkstraat 1")
    dialog.accept()
    assert len(screens.conflicts) == 1 and "De gegevens van Piet Jansen" in str(screens.conflicts[0])
    assert "adres: Kerkstraat 1" in screens.conflicts[0].attempted
    with screens.bram.session() as s:
        assert s.get(Pupil, piet).address == ""  # type: ignore[union-attr]
        assert [g.name for g in guardians_of(s, piet)] == ["M. Jansen"]  # Bram's empty list did not remove her
    assert dialog.guardian_rows()[0].name == "M. Jansen"  # reloaded: the dialog shows Anna's parent
    assert dialog.fields["address"].text() == "" and "Opnieuw geladen" in dialog.error.text()
    dialog.fields["address"].setText("Kerkstraat 1")
    dialog.accept()
    assert len(screens.conflicts) == 1
    with screens.bram.session() as s:
        assert s.get(Pupil, piet).address == "Kerkstraat 1"  # type: ignore[union-attr]
        assert [g.name for g in guardians_of(s, piet)] == ["M. Jansen"]


def register_page(screens: Screens, qtbot):  # type: ignore[no-untyped-def]
    from verzuimdesk.ui.register.page import RegisterPage

    page = RegisterPage(screens.ctx)
    qtbot.addWidget(page)
    page.group_combo.setCurrentIndex(page.group_combo.findData(screens.school.g5))
    page.date_edit.set_date(TODAY)
    return page


def test_parent_report_on_the_register_page_after_the_teacher_changed_the_cell(screens: Screens, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.concurrency.test_conflicts import register
    from verzuimdesk.model.register.view import register_cells
    from verzuimdesk.ui.register.dialogs import ParentReportDialog

    page = register_page(screens, qtbot)
    piet = screens.school.pupils["1001"]
    page.grid.go_to(1, 0)  # Jansen (rows: Berg, Jansen, Yılmaz), lesson 1: Bram sees him present
    with screens.anna.transaction() as s:  # the teacher, on her PC: Piet truant in lesson 2
        register_cells(s, TODAY, [(piet, 2)], "O", by="anna")

    def fill(dialog: ParentReportDialog) -> bool:
        qtbot.addWidget(dialog)
        dialog.set_reason("Z")
        dialog.note.setText("vader belde")
        return True

    page.exec_dialog = fill  # type: ignore[method-assign]
    page.open_parent_report()
    assert len(screens.conflicts) == 1 and "Les 2 van Piet Jansen" in str(screens.conflicts[0])
    assert "door anna" in str(screens.conflicts[0])
    assert register(screens.bram) == [(piet, 2, "O", "anna")]  # the report did not overwrite her O
    assert page.model.data(page.model.index(1, 1)) == "O"  # reloaded: Bram now sees it
    page.ask_change_reason = lambda _q: "vader belde: ziek, niet gespijbeld"  # type: ignore[method-assign]
    page.open_parent_report()  # knowingly, on what he now sees
    assert len(screens.conflicts) == 1
    assert {code for _p, _n, code, _by in register(screens.bram)} == {"Z"}


def test_register_taken_button_on_a_stale_screen(screens: Screens, qtbot) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.model.register.entries import set_register_taken

    page = register_page(screens, qtbot)
    page.grid.go_to(0, 2)  # lesson 3
    with screens.anna.transaction() as s:
        set_register_taken(s, screens.school.g5, TODAY, 3, True, by="anna", seen=None,
                           now=dt.datetime(2025, 11, 3, 10, 32))  # fmt: skip
    page.taken_button.click()  # Bram's screen still said "not taken"
    assert page.message.text() == "Het register van les 3 was intussen al genomen door anna om 10:32; dat blijft zo staan."
    assert "genomen door anna" in page.taken_button.text()  # the screen now shows her mark
    assert screens.conflicts == []


def test_group_dialog_and_timetable_editor_reload_after_a_conflict(screens: Screens, qtbot) -> None:  # type: ignore[no-untyped-def]
    from tests.builders import lessons_full_days
    from verzuimdesk.model.register.timetable import set_group_timetable
    from verzuimdesk.model.setup.pupils_groups import save_group_details
    from verzuimdesk.model.tables import Group
    from verzuimdesk.ui.setup.groups import GroupDialog
    from verzuimdesk.ui.setup.timetable_editor import TimetableEditor

    g5 = screens.school.g5
    editor = TimetableEditor(screens.ctx, g5, "Groep 5", today=TODAY)
    qtbot.addWidget(editor)
    with screens.anna.transaction() as s:  # Anna shortens the timetable of group 5 on her PC
        set_group_timetable(s, g5, lessons_full_days(count=5), valid_from=TODAY)
    assert len(editor.lessons()) == 30
    editor.accept()  # Bram's editor still shows six lessons a day
    assert len(screens.conflicts) == 1 and "Het rooster van Groep 5" in str(screens.conflicts[0])
    assert "door anna" in str(screens.conflicts[0])
    assert len(editor.lessons()) == 25 and "Opnieuw geladen" in editor.error.text()  # Anna's timetable

    dialog = GroupDialog(screens.ctx, g5)
    qtbot.addWidget(dialog)
    with screens.anna.transaction() as s:
        save_group_details(s, g5, {"name": "Groep 5a"})
    dialog.department.setText("Middenbouw")
    dialog.accept()
    assert len(screens.conflicts) == 2 and "De gegevens van groep Groep 5a" in str(screens.conflicts[1])
    assert dialog.name.text() == "Groep 5a" and dialog.department.text() == ""  # reloaded
    assert "Opnieuw geladen" in dialog.error.text()
    with screens.bram.session() as s:
        assert s.get(Group, g5).department == ""  # type: ignore[union-attr]
    dialog.department.setText("Middenbouw")
    dialog.accept()  # after the reload, on the new version
    with screens.bram.session() as s:
        group = s.get(Group, g5)
        assert group is not None and (group.name, group.department) == ("Groep 5a", "Middenbouw")
