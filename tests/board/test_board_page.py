"""The Bestuur screen (issue 14 point 4), in a school of a small board on PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings

from tests.board.conftest import TODAY
from tests.conftest import TEST_PASSWORD
from verzuimdesk.model.board.access import authenticate_school
from verzuimdesk.model.board.registry import create_board_account, grant, open_board, open_school
from verzuimdesk.model.security.accounts import create_account
from verzuimdesk.ui.board.page import BoardPage
from verzuimdesk.ui.context import AppContext
from verzuimdesk.ui.main_window import MainWindow


def _window(qtbot, db, tmp_path: Path, username: str) -> MainWindow:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        result = authenticate_school(s, username, TEST_PASSWORD)
    assert result.actor is not None
    db.actor = result.actor
    ctx = AppContext(db)
    ctx.show_error = lambda message: (_ for _ in ()).throw(AssertionError(message))
    window = MainWindow(ctx, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    return window


def test_bestuur_screen_shows_the_granted_schools(qtbot, small_board: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with open_board(small_board) as board:
        create_board_account(board, "directeur", TEST_PASSWORD)
        grant(board, "directeur", "12AB00", "beheerder")
        grant(board, "directeur", "34CD00", "bestuur")
    with open_school(small_board, "12AB00") as db:
        window = _window(qtbot, db, tmp_path, "directeur")
        assert window.allowed("Bestuur")
        window.resize(1280, 720)
        window.show()
        page = window.show_page("Bestuur")
        assert isinstance(page, BoardPage)
        page.today = lambda: TODAY
        page.refresh()
        lines = page.model.rows
        assert [line.texts[0] for line in lines] == ["De Eik", "De Linde", "Totaal bestuur"]
        assert [line.may_open for line in lines] == [True, False, False]
        assert lines[0].texts[2] == "20" and lines[2].texts[2] == "40"
        assert "De Beuk" not in str([line.texts for line in lines])
        # "School openen": not for the school that is open, nor for one with the figures only
        launched: list[tuple[str, str]] = []
        page.launch = lambda url, code: launched.append((url, code)) or True
        for row in range(2):
            page.view.selectRow(row)
            assert not page.open_button.isEnabled()
        page.open_selected()
        assert launched == []
        # PDF and Excel where the user chooses
        page.ask_path = lambda kind, suggested: str(tmp_path / suggested)
        pdf, xlsx = page.save("pdf"), page.save("xlsx")
        assert pdf is not None and pdf.read_bytes().startswith(b"%PDF") and pdf.name.endswith(".pdf")
        assert xlsx is not None and xlsx.stat().st_size > 0
        if os.environ.get("VERZUIMDESK_SHOT"):  # a look at the screen at 1280×720
            qtbot.wait(50)
            window.grab().save(os.environ["VERZUIMDESK_SHOT"])
    with open_school(small_board, "34CD00") as db:  # where the account has no role it cannot open the school
        with db.transaction() as s:
            try:
                authenticate_school(s, "directeur", TEST_PASSWORD)
                raise AssertionError("directeur may not open 34CD00")
            except Exception as exc:  # noqa: BLE001
                assert "geen toegang tot school 34CD00" in str(exc)


def test_open_school_for_another_granted_school(qtbot, small_board: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with open_board(small_board) as board:
        create_board_account(board, "ib.twee", TEST_PASSWORD)
        grant(board, "ib.twee", "12AB00", "ib")
        grant(board, "ib.twee", "12AB01", "leerkracht")
    with open_school(small_board, "12AB00") as db:
        window = _window(qtbot, db, tmp_path, "ib.twee")
        page = window.show_page("Bestuur")
        assert isinstance(page, BoardPage)
        launched: list[tuple[str, str]] = []
        page.launch = lambda url, code: launched.append((url, code)) or True
        row = [line.texts[0] for line in page.model.rows].index("De Beuk")
        page.view.selectRow(page.proxy.mapFromSource(page.model.index(row, 0)).row())
        assert page.open_button.isEnabled()
        page.open_selected()
        assert launched == [(db.url, "12AB01")]


def test_a_schools_own_account_sees_no_bestuur_screen(qtbot, small_board: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with open_school(small_board, "12AB00") as db:
        with db.transaction() as s:
            create_account(s, "eigen.beheerder", TEST_PASSWORD, "beheerder")
        window = _window(qtbot, db, tmp_path, "eigen.beheerder")
        assert window.allowed("Register") and not window.allowed("Bestuur")
        assert [window.nav.item(i).isHidden() for i in range(window.nav.count())
                if window.nav.item(i).text() == "Bestuur"] == [True]


def test_a_board_account_changes_its_board_password_in_a_school_window(qtbot, small_board: str, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                                       monkeypatch) -> None:
    from verzuimdesk.model.board.registry import check_board_login

    with open_board(small_board) as board:
        create_board_account(board, "directeur", TEST_PASSWORD)
        grant(board, "directeur", "12AB00", "beheerder")
    monkeypatch.setattr("verzuimdesk.ui.board.accounts.ask_new_password", lambda parent, name: "directeur-nieuw")
    with open_school(small_board, "12AB00") as db:
        window = _window(qtbot, db, tmp_path, "directeur")
        window.change_own_password()  # Bestand › Eigen wachtwoord wijzigen…: the board's password, not a school's
    with open_board(small_board) as board:
        assert check_board_login(board, "directeur", "directeur-nieuw") == "directeur"
