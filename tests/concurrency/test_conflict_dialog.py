"""The register grid on Bram's PC while Anna changes the same cell on hers: the dialog "Intussen gewijzigd" names
Anna, lists Bram's unsaved input, and "Opnieuw laden" shows Anna's change (issue 14 point 3). Offscreen, at the
laptop size 1280×720; the picture is saved for a person to look at."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication

from tests.builders import build_small_school
from tests.concurrency.conftest import MONDAY, actor
from tests.concurrency.test_conflicts import register
from verzuimdesk.model.db import open_database
from verzuimdesk.model.errors import ConflictError
from verzuimdesk.model.register.view import register_cells
from verzuimdesk.ui.conflict import ConflictDialog
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.register.page import RegisterPage

JANSEN = 1  # rows sorted by achternaam: Berg, Jansen, Yılmaz


def test_conflict_in_the_register_grid_names_anna_and_reload_shows_her_change(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = str(tmp_path / "school.sqlite")
    anna_pc = open_database(url)
    school = build_small_school(anna_pc)
    bram_pc = open_database(url)  # a second PC on the same file: no instance lock
    anna_pc.actor, bram_pc.actor = actor("anna"), actor("bram")
    ctx = AppContext(bram_pc)
    page = RegisterPage(ctx)
    qtbot.addWidget(page)
    page.group_combo.setCurrentIndex(page.group_combo.findData(school.g5))
    page.date_edit.set_date(MONDAY)
    page.resize(1280, 720)
    page.show()
    qtbot.waitExposed(page)
    ctx.dialog_parent = page
    piet = school.pupils["1001"]
    assert page.model.data(page.model.index(JANSEN, 0)) == ""  # Bram sees Piet present in lesson 1

    with anna_pc.transaction() as s:  # meanwhile, on Anna's PC
        register_cells(s, MONDAY, [(piet, 1)], "Z", by="anna")

    seen: dict[str, str] = {}
    shot = tmp_path / "intussen-gewijzigd.png"

    def answer_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ConflictDialog)
        seen["title"], seen["message"] = dialog.windowTitle(), dialog.message.text()
        seen["unsaved"] = dialog.unsaved.toPlainText()
        picture = page.grab()
        painter = QPainter(picture)
        dialog_picture = dialog.grab()
        painter.drawPixmap(QPoint((picture.width() - dialog_picture.width()) // 2,
                                  (picture.height() - dialog_picture.height()) // 3), dialog_picture)  # fmt: skip
        painter.end()
        picture.save(str(shot))
        seen["reload"] = dialog.reload_button.text()
        dialog.reload_button.click()

    conflicts: list[ConflictError] = []

    def show_conflict(exc: ConflictError) -> bool:  # the real dialog, answered by the timer above
        conflicts.append(exc)
        QTimer.singleShot(200, answer_dialog)
        return ConflictDialog(exc, page).ask()

    ctx.show_conflict = show_conflict
    page.grid.go_to(JANSEN, 0)
    qtbot.keyClick(page.grid, Qt.Key.Key_O)  # Bram types O (truant) on the cell he saw empty
    assert len(conflicts) == 1
    assert seen["title"] == "Intussen gewijzigd" and seen["reload"] == "Opnieuw laden"
    assert "door anna" in seen["message"] and "niets van deze wijziging opgeslagen" in seen["message"]
    assert "Jansen" in seen["unsaved"] and "O (Ongeoorloofd" in seen["unsaved"]
    assert register(bram_pc) == [(piet, 1, "Z", "anna")]  # nothing of Bram's
    assert page.model.data(page.model.index(JANSEN, 0)) == "Z"  # reloaded: Anna's change is on the screen
    assert shot.exists() and shot.stat().st_size > 10_000

    qtbot.keyClick(page.grid, Qt.Key.Key_O)  # now Bram knowingly changes what he sees
    assert register(bram_pc) == [(piet, 1, "O", "bram")]
    anna_pc.close()
    bram_pc.close()
