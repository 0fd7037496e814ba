"""Importing from the GUI: off the UI thread, Annuleren rolls back, every warning shown and saved as text."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtWidgets import QProgressDialog, QPushButton

from tests.builders import build_small_school
from tests.conftest import EDEXML_SAMPLE
from tests.helpers import dump_database
from verzuimdesk.imports.guard import ImportCancelled
from verzuimdesk.ui.imports import ImportWorker, report_dialog, run_in_background


def test_result_dialog_shows_every_warning_and_saves_them_as_text(qtbot, sqlite_db, tmp_path: Path) -> None:
    worker = run_in_background(None, sqlite_db, "edexml", str(EDEXML_SAMPLE))
    assert worker.error is None and worker.result is not None
    dialog = report_dialog(None, worker)
    assert dialog is not None
    qtbot.addWidget(dialog)
    text = dialog.body.toPlainText()
    assert len(worker.result.warnings) >= 3
    for warning in worker.result.warnings:
        assert warning in text
    saved = dialog.save(tmp_path / "resultaat.txt")
    written = saved.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    assert written == worker.result.report_text()
    assert all(w in written for w in worker.result.warnings)
    dialog.show()
    qtbot.wait(20)
    picture = dialog.grab()
    picture.save(str(tmp_path / "resultaat.png"))
    assert picture.width() <= 1280 and picture.height() <= 720
    assert dialog.save_button.text() == "Opslaan als tekst…"


def test_refusal_lists_every_problem_even_more_than_fifty(qtbot, sqlite_db, tmp_path: Path) -> None:
    build_small_school(sqlite_db)
    rows = "\n".join(f"{9000 + i};03-11-2025;1;Z" for i in range(60))  # 60 unknown pupils
    path = tmp_path / "verzuim.csv"
    path.write_text("Leerling;Datum;Lessen;Redencode\n" + rows + "\n", encoding="utf-8")
    worker = run_in_background(None, sqlite_db, "verzuim", str(path))
    dialog = report_dialog(None, worker)
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Importeren: niet ingelezen"
    text = dialog.body.toPlainText()
    assert "Fouten (60):" in text and "'9059'" in text  # the exception's own message stops at 50


def test_annuleren_stops_the_import_and_writes_nothing(qtbot, sqlite_db, tmp_path: Path) -> None:
    build_small_school(sqlite_db)
    rows = "\n".join(f"{5000 + i};Achternaam{i};Groep 5" for i in range(300))
    path = tmp_path / "leerlingen.csv"
    path.write_text("Leerlingnummer;Achternaam;Groep\n" + rows + "\n", encoding="utf-8")
    before = dump_database(sqlite_db)
    worker = ImportWorker(sqlite_db, "leerlingen", str(path))
    seen: list[tuple[int, int]] = []

    def press_annuleren(done: int, total: int) -> None:  # as the progress dialog's button does, mid-import
        seen.append((done, total))
        if done >= 20:
            worker.cancel()

    worker.progressed.connect(press_annuleren, Qt.ConnectionType.DirectConnection)
    run_in_background(None, sqlite_db, "leerlingen", str(path), worker=worker)
    assert isinstance(worker.error, ImportCancelled) and worker.result is None
    assert seen[0] == (0, 300) and 20 <= seen[-1][0] < 300
    assert "afgebroken" in str(worker.error) and "niets gewijzigd" in str(worker.error)
    assert report_dialog(None, worker) is None
    assert dump_database(sqlite_db) == before


class SlowWorker(ImportWorker):
    """An import that takes a while, so that the user can press Annuleren in the middle of it."""

    def _report(self, done: int, total: int) -> None:
        time.sleep(0.05)
        super()._report(done, total)


class User(QObject):
    """Watches the progress dialog from the UI thread and presses Annuleren once 20 rows are done."""

    def __init__(self, worker: ImportWorker) -> None:
        super().__init__()
        self.worker = worker
        self.seen: list[tuple[int, str]] = []

    @Slot(int, int)
    def watch(self, done: int, total: int) -> None:
        dialog = self.worker.progress_dialog
        assert isinstance(dialog, QProgressDialog)
        self.seen.append((dialog.value(), dialog.labelText()))
        if done >= 20 and not dialog.wasCanceled():
            button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "Annuleren")
            button.click()


def test_the_annuleren_button_of_the_progress_dialog_stops_the_import(qtbot, sqlite_db, tmp_path: Path) -> None:
    build_small_school(sqlite_db)
    rows = "\n".join(f"{5000 + i};Achternaam{i};Groep 5" for i in range(300))
    path = tmp_path / "leerlingen.csv"
    path.write_text("Leerlingnummer;Achternaam;Groep\n" + rows + "\n", encoding="utf-8")
    before = dump_database(sqlite_db)
    worker = SlowWorker(sqlite_db, "leerlingen", str(path))
    user = User(worker)
    worker.progressed.connect(user.watch)  # queued into the UI thread (before the dialog's own update)
    run_in_background(None, sqlite_db, "leerlingen", str(path), worker=worker)
    assert isinstance(worker.error, ImportCancelled)
    assert (10, "leerlingen.csv inlezen… 10 van 300") in user.seen  # the dialog showed the progress
    assert len(user.seen) < 10  # stopped soon after Annuleren (of 31 reports), not after 300 rows
    assert dump_database(sqlite_db) == before
