"""Starting the GUI: the application object, the database, the first-start choice, the log-in, the main window.

Order of a start (issue 11 point 1): an empty database offers the demo school (which brings documented demo
accounts, shown on the log-in screen) or a new school (whose first step is the beheerder's account); a database
with data but without accounts (made before accounts existed) asks for the beheerder too. Then the log-in, then
the main window with the idle lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox, QWidget

from verzuimdesk.model.db import Database, open_database, restore_database
from verzuimdesk.model.errors import DatabaseDamagedError, VerzuimdeskError
from verzuimdesk.model.school.records import get_school
from verzuimdesk.model.setup.backups import automatic_backup
from verzuimdesk.resources import resources_dir
from verzuimdesk.startup import resume_collector

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
    """An empty database: offer the demo school or an empty school. False when the user cancels.

    A new school starts with its beheerder's account (when the database has none yet)."""
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
    if not _has_accounts(ctx) and not ensure_first_admin(ctx):
        return False
    name, ok = QInputDialog.getText(None, "Nieuwe school", "Naam van de school:")
    if not ok or not name.strip():
        return False
    from verzuimdesk.model.school.records import setup_school

    return ctx.run({"school"}, setup_school, name.strip()) is not None


def _has_accounts(ctx: AppContext) -> bool:
    from verzuimdesk.model.security.accounts import has_accounts

    return ctx.read(has_accounts)


def ensure_first_admin(ctx: AppContext) -> bool:
    """The beheerder's account when the database has none; logged in at once. False when cancelled. A school
    of a board needs none: its board accounts log in (model/board/access.py)."""
    if ctx.db.school is not None or _has_accounts(ctx):
        return True
    from verzuimdesk.ui.security.login import FirstAdminDialog

    return FirstAdminDialog(ctx).exec() == FirstAdminDialog.DialogCode.Accepted


def log_in(ctx: AppContext) -> bool:
    """The log-in dialog unless someone is logged in already (a new beheerder). False when cancelled."""
    if ctx.db.actor is not None:
        return True
    from verzuimdesk.demo.accounts import demo_login_hint
    from verzuimdesk.model.store import get_setting
    from verzuimdesk.ui.security.login import LoginDialog

    school = ctx.read(get_school)
    demo = ctx.read(get_setting, "demo", "") == "ja"
    dialog = LoginDialog(ctx, school_name=school.name if school else "", hint=demo_login_hint() if demo else "")
    return dialog.exec() == LoginDialog.DialogCode.Accepted


def start_session(ctx: AppContext) -> bool:
    """First start (demo or new school, with the beheerder) and the log-in. False when the user stops."""
    if ctx.db.school is None and ctx.read(get_school) is None and not _has_accounts(ctx):  # board: log in first
        if not offer_first_start(ctx):
            return False
    elif not ensure_first_admin(ctx):
        return False
    if not log_in(ctx):
        return False
    return offer_first_start(ctx)


def ask_restore(message: str) -> bool:
    answer = QMessageBox.question(None, "Database beschadigd", message)
    return answer == QMessageBox.StandardButton.Yes


def open_or_offer_restore(url: str | None, ask: Callable[[str], bool] = ask_restore, *,
                          key: bytes | None = None) -> Database | None:
    """Open the database; a damaged or empty file is not touched: the newest good backup is offered, and
    only put back when the user says so (what it replaces is kept). ``key``: of an encrypted file (unlocked by
    the log-in)."""
    try:
        return open_database(url, exclusive=True, key=key)
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
            restore_database(exc.db_file, backup, key=key)
            return open_database(url, exclusive=True, key=key)
        except VerzuimdeskError as again:
            QMessageBox.critical(None, "verzuimdesk", str(again))
            return None
    except VerzuimdeskError as exc:
        QMessageBox.critical(None, "verzuimdesk", str(exc))
        return None


def unlock_or_open(url: str | None) -> Database | None:
    """An encrypted file opens with a log-in (ui/security/encryption.py); any other as before."""
    from verzuimdesk.model.security.encryption import login_needed

    if login_needed(url) is None:
        return open_or_offer_restore(url)
    from verzuimdesk.demo.accounts import demo_login_hint
    from verzuimdesk.model.db import default_url, normalise_url, sqlite_path
    from verzuimdesk.model.keyfile import is_demo
    from verzuimdesk.ui.security.encryption import UnlockDialog

    url = normalise_url(url) if url else default_url()
    db_file = sqlite_path(url)
    dialog = UnlockDialog(url, hint=demo_login_hint() if db_file is not None and is_demo(db_file) else "",
                          opener=lambda u, key: open_or_offer_restore(u, key=key))  # fmt: skip
    return dialog.db if dialog.exec() == UnlockDialog.DialogCode.Accepted else None


def record_duties_daily(ctx: AppContext, today: dt.date | None = None) -> None:
    """Once a day, the full search for due meldingen keeps every duty found (model/law/signals/duties.py), so a
    due melding never disappears and the everyday signals stay fast. Only for a user who may see signals."""
    from verzuimdesk.model.law.signals.duties import record_duties, searched_on

    today = today or dt.date.today()
    if ctx.may("signalen") and (ctx.read(searched_on) or dt.date.min) < today:
        ctx.run({"signals"}, record_duties, today)


def show_new_recovery_code(ctx: AppContext) -> None:
    """The herstelcode made at set-up (the first beheerder, or the demo school): shown once, to be saved."""
    from verzuimdesk.model.db import sqlite_path
    from verzuimdesk.model.keyfile import take_recovery_code
    from verzuimdesk.model.store import get_setting
    from verzuimdesk.ui.security.encryption import RecoveryCodeDialog

    db_file = sqlite_path(ctx.db.url)
    code = take_recovery_code(db_file) if db_file is not None else None
    if not code:
        return
    demo = ctx.read(get_setting, "demo", "") == "ja"
    if demo:
        log.info("Herstelcode van de demoschool (demogegevens): %s", code)
    school = ctx.read(get_school)
    RecoveryCodeDialog(code, school_name=school.name if school else "", database=str(db_file), demo=demo).exec()


def show_main_window(window: QWidget) -> None:
    """Show the main window; the start is over once it is on screen: the garbage collector, paused since the entry
    point (verzuimdesk/startup.py), comes back."""
    window.show()
    QTimer.singleShot(0, resume_collector)


def board_without_school(url: str | None) -> str | None:
    """The URL of a board's database when no school of it is chosen (argument, ``?school=`` or
    ``VERZUIMDESK_SCHOOL``): then the program is the board's (ui/board/window.py). None otherwise."""
    from verzuimdesk.model.board.registry import is_board_url
    from verzuimdesk.model.db import default_url, normalise_url
    from verzuimdesk.model.schemas import split_school

    plain, school = split_school(normalise_url(url) if url else default_url(), None)
    return plain if not school and is_board_url(plain) else None


def run_gui(url: str | None = None, *, demo_if_empty: bool = False, close_after: float | None = None) -> int:
    """Open the program; ``close_after`` seconds: quit by itself (the smoke test of an installed build)."""
    app = make_application()
    sys.excepthook = _excepthook
    quit_timer = QTimer()
    if close_after is not None:  # the smoke test of a build: quit by itself, also from the log-in screen
        # exit(), not quit(): it also ends the event loop of a dialog that is open (the log-in)
        quit_timer.setSingleShot(True)
        quit_timer.timeout.connect(lambda: QApplication.exit(0))
        quit_timer.start(int(close_after * 1000))
    board = board_without_school(url)
    if board is not None:  # a board opened without a school: the board window for a board account
        from verzuimdesk.ui.board.window import run_board_window

        return run_board_window(board)
    db = unlock_or_open(url)
    if db is None:  # "Afsluiten" on the log-in of an encrypted file is a normal end; a file that did not open is not
        from verzuimdesk.model.security.encryption import login_needed

        quit_timer.stop()
        return 0 if login_needed(url) is not None else 2
    if db.backup_path is not None:
        log.info("Reservekopie vóór bijwerken: %s", db.backup_path)
    if demo_if_empty:
        from verzuimdesk.demo import ensure_demo

        ensure_demo(db)
    from verzuimdesk.ui.context import AppContext
    from verzuimdesk.ui.main_window import MainWindow
    from verzuimdesk.ui.security.login import IdleLock

    automatic_backup(db, "dagelijks")
    ctx = AppContext(db)
    if not start_session(ctx):
        ctx.db.close()
        return 0
    show_new_recovery_code(ctx)
    window = MainWindow(ctx, QSettings())
    window.idle_lock = IdleLock(ctx, window)  # type: ignore[attr-defined]
    show_main_window(window)
    QTimer.singleShot(0, lambda: record_duties_daily(ctx))  # after the window is on screen
    code = app.exec()
    automatic_backup(ctx.db, "afsluiten")  # ctx.db: a restore on the Reservekopieën screen reopens it
    ctx.db.close()
    return code
