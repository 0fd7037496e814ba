"""Starting the GUI: the application object, the database, the first-start choice, the main window."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox

from verzuimdesk.model.db import Database, open_database, restore_database
from verzuimdesk.model.errors import DatabaseDamagedError, VerzuimdeskError
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.setup.backups import automatic_backup
from verzuimdesk.resources import resources_dir

if TYPE_CHECKING:
    from verzuimdesk.ui.context import AppContext

log = logging.getLogger(__name__)


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """One global handler: log the error and tell the user in Dutch; never fail silently."""
    log.error("Onverwachte fout", exc_info=(kind, exc, tb))
    text = "".join(traceback.format_exception(kind, exc, tb))
    if isinstance(exc, VerzuimdeskError):
        QMessageBox.warning(None, "verzuimdesk", str(exc))
        return
    box = QMessageBox(QMessageBox.Icon.Critical, "verzuimdesk",
                      "Er ging iets onverwachts mis. Uw laatste handeling is niet opgeslagen; de gegevens "
                      "van daarvoor zijn bewaard.\n\nDe technische details staan hieronder; stuur ze mee als u "
                      "het probleem meldt.")
    box.setDetailedText(text)
    box.exec()


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("verzuimdesk")
    app.setOrganizationName("verzuimdesk")
    app.setStyle("Fusion")
    icon = resources_dir() / "icons" / "verzuimdesk.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def offer_first_start(ctx: AppContext) -> bool:
    """An empty database: offer the demo school or an empty school. False when the user cancels."""
    if ctx.read(get_school) is not None:
        return True
    choices = ["Demoschool laden (om het programma te verkennen)", "Een nieuwe, lege school inrichten"]
    choice, ok = QInputDialog.getItem(None, "Welkom bij verzuimdesk",
                                      "Deze database is nog leeg. Waarmee wilt u beginnen?", choices, 0, False)
    if not ok:
        return False
    if choice == choices[0]:
        from verzuimdesk.demo import create_demo_school

        create_demo_school(ctx.db)
        return True
    name, ok = QInputDialog.getText(None, "Nieuwe school", "Naam van de school:")
    if not ok or not name.strip():
        return False
    from verzuimdesk.model.school.records import setup_school

    return ctx.run({"school"}, setup_school, name.strip()) is not None


def ask_restore(message: str) -> bool:
    answer = QMessageBox.question(None, "Database beschadigd", message)
    return answer == QMessageBox.StandardButton.Yes


def open_or_offer_restore(url: str | None, ask: Callable[[str], bool] = ask_restore) -> Database | None:
    """Open the database; a damaged or empty file is not touched: the newest good backup is offered, and
    only put back when the user says so (what it replaces is kept)."""
    try:
        return open_database(url, exclusive=True)
    except DatabaseDamagedError as exc:
        backup = exc.backup
        if not isinstance(backup, Path) or not isinstance(exc.db_file, Path):
            QMessageBox.critical(None, "verzuimdesk", str(exc))
            return None
        question = (f"{exc}\n\nNu de reservekopie {backup.name} terugzetten? Het beschadigde bestand wordt "
                    "eerst apart bewaard.")
        if not ask(question):
            return None
        try:
            restore_database(exc.db_file, backup)
            return open_database(url, exclusive=True)
        except VerzuimdeskError as again:
            QMessageBox.critical(None, "verzuimdesk", str(again))
            return None
    except VerzuimdeskError as exc:
        QMessageBox.critical(None, "verzuimdesk", str(exc))
        return None


def run_gui(url: str | None = None, *, demo_if_empty: bool = False, close_after: float | None = None) -> int:
    """Open the program; ``close_after`` seconds: quit by itself (the smoke test of an installed build)."""
    app = make_application()
    sys.excepthook = _excepthook
    db = open_or_offer_restore(url)
    if db is None:
        return 2
    if db.backup_path is not None:
        log.info("Reservekopie vóór bijwerken: %s", db.backup_path)
    if demo_if_empty:
        from verzuimdesk.demo import ensure_demo

        ensure_demo(db)
    from verzuimdesk.ui.context import AppContext
    from verzuimdesk.ui.main_window import MainWindow

    automatic_backup(db, "dagelijks")
    ctx = AppContext(db)
    if not offer_first_start(ctx):
        db.close()
        return 0
    window = MainWindow(ctx, QSettings())
    window.show()
    if close_after is not None:
        QTimer.singleShot(int(close_after * 1000), app.quit)
    code = app.exec()
    automatic_backup(ctx.db, "afsluiten")  # ctx.db: a restore on the Reservekopieën screen reopens it
    ctx.db.close()
    return code
