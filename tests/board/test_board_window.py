"""The board window (issue 14 point 4): a board account opens the board's database without a school, logs in with
its board account and sees the overview of its schools, without any pupil screen; the bestuursbeheerder also the
accounts and the logboek."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from tests.board.conftest import TODAY
from tests.conftest import TEST_PASSWORD
from verzuimdesk.model.board.admin import board_log_lines
from verzuimdesk.model.board.registry import check_board_login, create_board_account, grant, open_board, schools_of
from verzuimdesk.model.errors import AccessDeniedError, LoginError
from verzuimdesk.ui.app import board_without_school
from verzuimdesk.ui.board.access import BoardAccess
from verzuimdesk.ui.board.window import BoardLoginDialog, BoardWindow


def _window(qtbot, url: str, username: str, errors: list[str]) -> BoardWindow:  # type: ignore[no-untyped-def]
    dialog = BoardLoginDialog(url)
    qtbot.addWidget(dialog)
    dialog.username.setText(username)
    dialog.password.setText(TEST_PASSWORD)
    dialog.try_login()
    assert dialog.result() == QDialog.DialogCode.Accepted
    access = BoardAccess(url, dialog.username_value, report=errors.append)
    window = BoardWindow(access, today=lambda: TODAY)
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    return window


def test_a_board_database_without_a_school_opens_the_board_window(small_board: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VERZUIMDESK_SCHOOL", raising=False)
    assert board_without_school(small_board) == small_board
    assert board_without_school(small_board + "?school=12AB00") is None
    monkeypatch.setenv("VERZUIMDESK_SCHOOL", "12AB00")
    assert board_without_school(small_board) is None
    assert board_without_school("sqlite:///" + str(Path(__file__).parent / "geen.sqlite")) is None
    monkeypatch.delenv("VERZUIMDESK_SCHOOL")
    # the program's start goes to the board window, not to a school's log-in
    started: list[str] = []
    monkeypatch.setattr("verzuimdesk.ui.board.window.run_board_window", lambda url: started.append(url) or 0)
    from verzuimdesk.ui.app import run_gui

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui sets the program's own; given back after
    assert run_gui(small_board) == 0 and started == [small_board]


def test_the_board_log_in_refuses_in_dutch_and_waits(qtbot, small_board: str) -> None:  # type: ignore[no-untyped-def]
    dialog = BoardLoginDialog(small_board)
    qtbot.addWidget(dialog)
    dialog.username.setText("bestuurder")
    dialog.password.setText("niet-het-goede")
    dialog.try_login()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "Onbekende gebruikersnaam of verkeerd wachtwoord" in dialog.message.text()
    assert not dialog.ok.isEnabled() and dialog.password.text() == ""


def test_a_board_only_account_sees_the_overview_of_its_schools(qtbot, small_board: str,  # type: ignore[no-untyped-def]
                                                               tmp_path: Path) -> None:
    with open_board(small_board) as board:
        create_board_account(board, "toezicht", TEST_PASSWORD, full_name="Tom Toezicht", by="bestuurder")
        grant(board, "toezicht", "12AB00", "bestuur", by="bestuurder")
        grant(board, "toezicht", "34CD00", "bestuur", by="bestuurder")
    errors: list[str] = []
    window = _window(qtbot, small_board, "toezicht", errors)
    page = window.page
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Overzicht"]  # no accounts, no logboek
    assert page.accounts is None and page.log is None
    assert [line.texts[0] for line in page.model.rows] == ["De Eik", "De Linde", "Totaal bestuur"]
    assert [line.texts[2] for line in page.model.rows] == ["20", "20", "40"]
    assert "toezicht (bestuursaccount) — 2 scholen" in window.status.text()
    # the figures only: no school can be opened from here, and no pupil's name is on the screen
    for row in range(2):
        page.view.selectRow(row)
        assert not page.open_button.isEnabled()
    assert window.findChildren(type(page.view))[0] is page.view and len(window.findChildren(type(page.view))) == 1
    # the overview as PDF and Excel, each export in the board's logboek
    page.ask_path = lambda kind, suggested: str(tmp_path / suggested)
    pdf, xlsx = page.save("pdf"), page.save("xlsx")
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")
    assert xlsx is not None and xlsx.stat().st_size > 0
    with open_board(small_board) as board:
        last = board_log_lines(board, "bestuurder", limit=2)
    assert [(line.by, line.action, line.detail[:5]) for line in last] == [
        ("toezicht", "bestuursoverzicht geëxporteerd", "Excel"),
        ("toezicht", "bestuursoverzicht geëxporteerd", "PDF, ")]  # fmt: skip
    # its own password, from the menu
    window.ask_password = lambda name: "toezicht-nieuw"
    window.change_own_password()
    with open_board(small_board) as board:
        assert check_board_login(board, "toezicht", "toezicht-nieuw") == "toezicht"
    assert errors == []
    if os.environ.get("VERZUIMDESK_SHOT"):  # a look at the window at 1280×720
        qtbot.wait(50)
        window.grab().save(os.environ["VERZUIMDESK_SHOT"])


def test_an_account_with_school_rights_opens_its_school_from_the_board_window(qtbot, small_board: str) -> None:  # type: ignore[no-untyped-def]
    with open_board(small_board) as board:
        create_board_account(board, "directeur", TEST_PASSWORD, by="bestuurder")
        grant(board, "directeur", "12AB01", "beheerder", by="bestuurder")
        grant(board, "directeur", "34CD00", "bestuur", by="bestuurder")
    window = _window(qtbot, small_board, "directeur", [])
    page = window.page
    launched: list[tuple[str, str]] = []
    page.launch = lambda url, code: launched.append((url, code)) or True
    names = [line.texts[0] for line in page.model.rows]
    assert names == ["De Beuk", "De Linde", "Totaal bestuur"]
    page.view.selectRow(names.index("De Linde"))
    assert not page.open_button.isEnabled()
    page.view.selectRow(names.index("De Beuk"))
    assert page.open_button.isEnabled()
    page.open_selected()
    assert launched == [(small_board, "12AB01")]


def test_the_bestuursbeheerder_manages_accounts_and_reads_the_logboek(qtbot, small_board: str,  # type: ignore[no-untyped-def]
                                                                     tmp_path: Path) -> None:
    with open_board(small_board) as board:
        create_board_account(board, "directeur", TEST_PASSWORD, by="bestuurder")
        grant(board, "directeur", "12AB00", "beheerder", by="bestuurder")
        grant(board, "directeur", "34CD00", "bestuur", by="bestuurder")
    errors: list[str] = []
    window = _window(qtbot, small_board, "bestuurder", errors)
    page = window.page
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == ["Overzicht", "Accounts", "Logboek"]
    assert [line.texts[0] for line in page.model.rows] == ["De Eik", "De Beuk", "De Linde", "Totaal bestuur"]
    accounts, log = page.accounts, page.log
    assert accounts is not None and log is not None
    page.tabs.setCurrentWidget(accounts)
    assert [a.username for a in accounts.model.rows] == ["bestuurder", "directeur"]
    assert accounts.model.rows[1].grants_text == "12AB00 (beheerder), 34CD00 (alleen cijfers)"

    # the last bestuursbeheerder cannot disable itself: a Dutch message, nothing changed
    accounts.select("bestuurder")
    accounts.toggle()
    assert errors and "u bent de laatste" in errors.pop()
    assert accounts.model.rows[0].active

    # disable and enable the directeur; the button says what it will do
    accounts.select("directeur")
    assert accounts.toggle_button.text() == "Uitschakelen"
    accounts.toggle()
    assert accounts.message.text() == "Account directeur is uitgeschakeld."
    assert accounts.selected() is not None and not accounts.selected().active  # type: ignore[union-attr]
    assert accounts.toggle_button.text() == "Inschakelen"
    with pytest.raises(LoginError), open_board(small_board) as board:
        check_board_login(board, "directeur", TEST_PASSWORD)
    accounts.toggle()
    assert accounts.message.text() == "Account directeur is weer ingeschakeld."

    # a new password (a too short one is refused in Dutch), then take away the access to one school
    accounts.ask_password = lambda name: "kort"
    accounts.new_password()
    assert errors and "minstens" in errors.pop()
    accounts.ask_password = lambda name: "directeur-nieuw"
    accounts.new_password()
    assert accounts.message.text() == "Nieuw wachtwoord ingesteld voor directeur."
    accounts.ask_school = lambda account: account.grants[1][0]
    accounts.revoke_access()
    assert accounts.message.text() == "De toegang van directeur tot 34CD00 is ingetrokken."
    assert accounts.selected() is not None and accounts.selected().grants == (("12AB00", "beheerder"),)  # type: ignore[union-attr]
    assert errors == []

    # every change is in the logboek tab at once, newest first, who and what
    page.tabs.setCurrentWidget(log)
    texts = [(r.by, r.action, r.detail) for r in log.model.rows[:4]]
    assert texts == [("bestuurder", "toegang ingetrokken", "directeur: 34CD00"),
                     ("bestuurder", "wachtwoord gewijzigd", "directeur"),
                     ("bestuurder", "account ingeschakeld", "directeur"),
                     ("bestuurder", "account uitgeschakeld", "directeur")]  # fmt: skip
    assert log.count.text().startswith(f"{len(log.model.rows)} regels in het logboek van het bestuur. De hashketen "
                                       "is ongeschonden")  # fmt: skip
    log.search.setText("uitgeschakeld")
    assert log.proxy.rowCount() == 1
    if os.environ.get("VERZUIMDESK_SHOT_LOG"):
        log.search.clear()
        qtbot.wait(50)
        window.grab().save(os.environ["VERZUIMDESK_SHOT_LOG"])
    page.tabs.setCurrentWidget(accounts)
    if os.environ.get("VERZUIMDESK_SHOT_ACCOUNTS"):
        qtbot.wait(50)
        window.grab().save(os.environ["VERZUIMDESK_SHOT_ACCOUNTS"])


def test_the_board_window_locks_after_idle_time_and_asks_the_same_account(qtbot, small_board: str) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.ui.security.login import IdleLock

    window = _window(qtbot, small_board, "bestuurder", [])
    lock = IdleLock(None, window, 1, unlock_dialog=lambda: BoardLoginDialog(small_board, username="bestuurder",
                                                                            locked=True))  # fmt: skip
    window.idle_lock = lock
    lock.lock()
    dialog = lock.dialog
    assert isinstance(dialog, BoardLoginDialog) and not window.isVisible()
    assert dialog.username.text() == "bestuurder" and dialog.username.isReadOnly()
    dialog.password.setText("niet-het-goede")
    dialog.try_login()
    assert not window.isVisible() and "verkeerd wachtwoord" in dialog.message.text()
    dialog.password.setText(TEST_PASSWORD)
    dialog.try_login()
    assert window.isVisible() and not lock.locked
    lock.lock()  # Afsluiten on the lock closes the window
    assert lock.dialog is not None
    lock.dialog.reject()
    assert not window.isVisible()


def test_run_board_window_logs_in_and_shows_the_window_with_its_lock(qtbot, small_board: str,  # type: ignore[no-untyped-def]
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QApplication

    from verzuimdesk.ui.board import window as board_window

    def log_in(dialog: BoardLoginDialog) -> int:
        dialog.username.setText("bestuurder")
        dialog.password.setText(TEST_PASSWORD)
        dialog.try_login()
        return int(dialog.result())

    seen: list[BoardWindow] = []

    class App:  # the event loop: look at the window that is shown, then end
        @staticmethod
        def instance() -> App:
            return App()

        def exec(self) -> int:
            seen.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, BoardWindow) and w.isVisible())
            for w in seen:
                qtbot.addWidget(w)
            return 0

    monkeypatch.setattr(BoardLoginDialog, "exec", log_in)
    monkeypatch.setattr(board_window, "QApplication", App)
    assert board_window.run_board_window(small_board) == 0
    assert len(seen) == 1 and seen[0].access.username == "bestuurder"
    assert seen[0].idle_lock is not None and seen[0].idle_lock.timer.interval() == board_window.LOCK_MINUTES * 60_000
    monkeypatch.setattr(BoardLoginDialog, "exec", lambda dialog: int(QDialog.DialogCode.Rejected))
    assert board_window.run_board_window(small_board) == 0  # Afsluiten on the log-in: no window
    assert len([w for w in QApplication.topLevelWidgets() if isinstance(w, BoardWindow) and w.isVisible()]) == 1


def test_the_bestuursbeheerder_makes_an_account_and_gives_it_access_in_the_screen(qtbot, small_board: str) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    window = _window(qtbot, small_board, "bestuurder", errors)
    accounts = window.page.accounts
    assert accounts is not None
    assert accounts.new_button.isEnabled() and not accounts.grant_button.isEnabled()  # grant needs an account

    # a new account: a name taken or a short password is refused in Dutch and nothing is made
    accounts.ask_account = lambda: ("bestuurder", "", False, "lang-genoeg-wachtwoord")
    accounts.new_account()
    assert errors and "bestaat al" in errors.pop()
    accounts.ask_account = lambda: ("toezicht", "Tom Toezicht", False, "kort")
    accounts.new_account()
    assert errors and "minstens" in errors.pop()
    assert [a.username for a in accounts.model.rows] == ["bestuurder"]
    accounts.ask_account = lambda: ("Toezicht", "Tom Toezicht", False, "toezicht-wachtwoord")
    accounts.new_account()
    assert accounts.message.text() == "Bestuursaccount 'toezicht' is gemaakt; geef het nu toegang tot een school."
    made = accounts.selected()
    assert made is not None and made.username == "toezicht" and made.grants == () and not made.board_admin

    # access to a school with a role: listed at once, and the account sees that school
    accounts.ask_grant = lambda account: ("34CD00", "bestuur")
    accounts.grant_access()
    assert accounts.message.text() == "toezicht heeft nu toegang tot 34CD00 als alleen cijfers."
    assert accounts.selected().grants == (("34CD00", "bestuur"),)  # type: ignore[union-attr]
    with open_board(small_board) as board:
        assert [s.code for s in schools_of(board, "toezicht")] == ["34CD00"]
        # the model itself refuses an account that is not bestuursbeheerder, whatever screen calls it
        with pytest.raises(AccessDeniedError, match="Alleen de bestuursbeheerder mag toegang geven"):
            grant(board, "toezicht", "12AB00", "beheerder", by="toezicht")
        with pytest.raises(AccessDeniedError):
            create_board_account(board, "nog.een", TEST_PASSWORD, by="toezicht")
        assert [s.code for s in schools_of(board, "toezicht")] == ["34CD00"]
    assert errors == []
    log = [(line.action, line.detail) for line in window.page.log.model.rows[:2]]  # type: ignore[union-attr]
    assert log == [("toegang gegeven", "toezicht: 34CD00 als bestuur, alleen cijfers"),
                   ("account aangemaakt", "toezicht")]  # fmt: skip


def test_the_grant_dialog_offers_the_board_s_schools_and_every_role(qtbot, small_board: str) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.model.board.admin import board_accounts
    from verzuimdesk.ui.board.accounts import GrantDialog

    with open_board(small_board) as board:
        account = board_accounts(board, "bestuurder")[0]
        schools = schools_of(board, "bestuurder")
    dialog = GrantDialog(account, schools)
    qtbot.addWidget(dialog)
    assert [dialog.school.itemData(i) for i in range(dialog.school.count())] == ["12AB00", "12AB01", "34CD00"]
    roles = [dialog.role.itemText(i) for i in range(dialog.role.count())]
    assert roles[-1] == "alleen cijfers" and "intern begeleider" in roles and "beheerder" in roles
