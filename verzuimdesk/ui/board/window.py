"""The board window (issue 14 point 4): a board database opened without a school is the board's, so the program asks
for a board account's log-in and shows the Bestuur screen alone — the overview of the schools granted to the
account (with PDF and Excel), and for the bestuursbeheerder the accounts and the logboek. There are no pupil screens:
the board sees figures (AVG art. 5 sub 1c). "School openen" starts the program on a school where the account has a
school role (it asks for that school's log-in); a school's window shows this same overview as its Bestuur screen,
so an account with both board and school rights moves between the two.

The log-in is the board's own (``model/board/registry.py`` ``check_board_login``: a wrong password counts towards a
lockout, the wait grows after every failure). After ``LOCK_MINUTES`` without use the window locks, as a school's
(``ui/security/login.py`` ``IdleLock``), and asks the same account's password again."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QWidget

from verzuimdesk.model import dutch
from verzuimdesk.model.board.admin import change_board_password
from verzuimdesk.model.board.registry import check_board_login, open_board
from verzuimdesk.model.db import url_for_display
from verzuimdesk.model.errors import LoginError, VerzuimdeskError
from verzuimdesk.model.security.accounts import SECURITY_SETTINGS
from verzuimdesk.startup import resume_collector
from verzuimdesk.ui.board.access import BoardAccess
from verzuimdesk.ui.board.accounts import ask_new_password
from verzuimdesk.ui.board.page import BoardPage
from verzuimdesk.ui.security.login import IdleLock, LoginFormDialog

# The board has no settings of its own: it locks after the school accounts' default (security/accounts.py).
LOCK_MINUTES = SECURITY_SETTINGS["vergrendelen_na_minuten"][1]


class BoardLoginDialog(LoginFormDialog):
    """User name and password of a board account."""

    def __init__(self, url: str, *, username: str = "", locked: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(window_title="verzuimdesk — inloggen bij het bestuur", title="Inloggen bij het bestuur",
                         username=username, locked=locked, parent=parent,
                         intro="Deze database is van een bestuur met meerdere scholen. Log in met uw bestuursaccount "
                               "om het bestuursoverzicht te zien. Een school zelf opent u met 'School openen' in het "
                               "overzicht, of door het programma met --school BRINVESTIGING te starten.")  # fmt: skip
        self.url = url
        self.username_value = ""

    def try_login(self) -> None:
        try:
            with open_board(self.url) as board:
                self.username_value = check_board_login(board, self.username.text(), self.password.text())
        except LoginError as exc:
            self.refuse(str(exc), exc.wait_seconds)
            return
        except VerzuimdeskError as exc:
            self.message.setText(str(exc))
            return
        self.accept()


class BoardWindow(QMainWindow):
    """The program for a board account: the Bestuur screen, nothing of a school."""

    def __init__(self, access: BoardAccess, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__()
        self.access = access
        access.dialog_parent = self
        self.setWindowTitle(f"verzuimdesk — bestuur ({access.username})")
        self.setMinimumSize(760, 520)
        self.page = BoardPage(access, today)
        self.setCentralWidget(self.page)
        # Tests replace this: the new password (None: cancelled).
        self.ask_password: Callable[[str], str | None] = lambda name: ask_new_password(self, name)
        file_menu = self.menuBar().addMenu("&Bestand")
        password = QAction("Eigen &wachtwoord wijzigen…", self)
        password.triggered.connect(self.change_own_password)
        file_menu.addAction(password)
        file_menu.addSeparator()
        quit_action = QAction("&Afsluiten", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        self.idle_lock: IdleLock | None = None  # run_board_window sets it: locked after minutes without use
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        access.changed.connect(self._update_status)
        self._update_status()

    def _update_status(self) -> None:
        schools = self.access.schools()
        role = "bestuursbeheerder" if self.access.is_admin() else "bestuursaccount"
        self.status.setText(f"{self.access.username} ({role}) — {dutch.plural(len(schools), 'school', 'scholen')} — "
                            f"{url_for_display(self.access.url)}")  # fmt: skip

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.idle_lock is not None:
            self.idle_lock.stop()
        super().closeEvent(event)

    def change_own_password(self) -> None:
        password = self.ask_password(self.access.username)
        if password is None:
            return
        if self.access.run(change_board_password, self.access.username, password) is not None:
            self.statusBar().showMessage("Uw wachtwoord is gewijzigd.", 5000)


def run_board_window(url: str) -> int:
    """The board's log-in, then the board window until it is closed (the application object exists)."""
    login = BoardLoginDialog(url)
    if login.exec() != QDialog.DialogCode.Accepted:
        return 0
    username = login.username_value
    window = BoardWindow(BoardAccess(url, username))
    window.idle_lock = IdleLock(None, window, LOCK_MINUTES,
                                unlock_dialog=lambda: BoardLoginDialog(url, username=username, locked=True))
    window.resize(1280, 720)
    window.show()
    QTimer.singleShot(0, resume_collector)  # the start is over (verzuimdesk/startup.py)
    QTimer.singleShot(0, window.page.view.setFocus)
    code = QApplication.instance().exec()  # type: ignore[union-attr]
    window.idle_lock.stop()
    return code
