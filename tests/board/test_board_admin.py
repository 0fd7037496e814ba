"""Managing board accounts and reading the board's logboek (model/board/admin.py; issue 14 point 4)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.conftest import TEST_PASSWORD
from verzuimdesk.model.board.admin import (
    board_accounts,
    board_log_lines,
    change_board_password,
    log_overview_export,
    set_board_account_active,
)
from verzuimdesk.model.board.registry import (
    add_school,
    check_board_login,
    create_board,
    create_board_account,
    grant,
    open_board,
    revoke,
    schools_of,
)
from verzuimdesk.model.errors import AccessDeniedError, LoginError, ValidationError

NEW = "een-nieuw-wachtwoord"


@pytest.fixture
def board(board_url: str):  # type: ignore[no-untyped-def]
    """A board with its bestuursbeheerder 'bestuurder', one school and the account 'directeur' (beheerder there)."""
    create_board(board_url, "bestuurder", TEST_PASSWORD, full_name="Bea Bestuur")
    add_school(board_url, "12AB", "00", "De Eik", by="bestuurder")
    with open_board(board_url) as b:
        create_board_account(b, "directeur", TEST_PASSWORD, full_name="Dirk Directeur", by="bestuurder")
        grant(b, "directeur", "12AB00", "beheerder", by="bestuurder")
        yield b


def test_the_accounts_with_their_schools_for_the_bestuursbeheerder_only(board) -> None:  # type: ignore[no-untyped-def]
    accounts = {a.username: a for a in board_accounts(board, "bestuurder")}
    assert set(accounts) == {"bestuurder", "directeur"}
    assert accounts["bestuurder"].board_admin and not accounts["directeur"].board_admin
    assert accounts["directeur"].grants == (("12AB00", "beheerder"),)
    assert accounts["directeur"].grants_text == "12AB00 (beheerder)"
    assert accounts["bestuurder"].grants_text == "cijfers van alle scholen"
    with pytest.raises(AccessDeniedError, match="Alleen de bestuursbeheerder mag de bestuursaccounts bekijken"):
        board_accounts(board, "directeur")


def test_a_new_password_own_or_by_the_bestuursbeheerder(board) -> None:  # type: ignore[no-untyped-def]
    assert change_board_password(board, "directeur", NEW, by="directeur") == "directeur"
    assert check_board_login(board, "directeur", NEW) == "directeur"
    with pytest.raises(LoginError):
        check_board_login(board, "directeur", TEST_PASSWORD)
    with pytest.raises(AccessDeniedError, match="het wachtwoord van een ander bestuursaccount wijzigen"):
        change_board_password(board, "bestuurder", NEW, by="directeur")
    with pytest.raises(ValidationError, match="minstens"):
        change_board_password(board, "directeur", "kort", by="bestuurder")
    with pytest.raises(ValidationError, match="Er is geen bestuursaccount 'niemand'"):
        change_board_password(board, "niemand", NEW, by="bestuurder")
    # the bestuursbeheerder sets a password of another account, which also lifts a lockout
    for _ in range(5):
        with pytest.raises(LoginError):
            check_board_login(board, "directeur", "fout-fout-fout")
    assert [a.locked for a in board_accounts(board, "bestuurder") if a.username == "directeur"] == [True]
    change_board_password(board, "Directeur ", TEST_PASSWORD, by="bestuurder")
    assert check_board_login(board, "directeur", TEST_PASSWORD) == "directeur"
    whats = [(line.by, line.action, line.detail) for line in board_log_lines(board, "bestuurder", limit=2)]
    assert whats == [("bestuurder", "wachtwoord gewijzigd", "directeur"),
                     ("directeur", "wachtwoord gewijzigd", "eigen wachtwoord")]  # fmt: skip
    assert NEW not in str(board_log_lines(board, "bestuurder"))  # never the password itself


def test_disabling_an_account_keeps_its_access_for_later(board) -> None:  # type: ignore[no-untyped-def]
    assert set_board_account_active(board, "directeur", False, by="bestuurder")
    assert not set_board_account_active(board, "directeur", False, by="bestuurder")  # it already was
    with pytest.raises(LoginError):
        check_board_login(board, "directeur", TEST_PASSWORD)
    assert schools_of(board, "directeur") == []
    with pytest.raises(AccessDeniedError, match="bestuursaccounts uit- of inschakelen"):
        set_board_account_active(board, "bestuurder", False, by="directeur")
    assert set_board_account_active(board, "directeur", True, by="bestuurder")
    assert check_board_login(board, "directeur", TEST_PASSWORD) == "directeur"
    assert [(s.code, s.role) for s in schools_of(board, "directeur")] == [("12AB00", "beheerder")]
    actions = [line.action for line in board_log_lines(board, "bestuurder", limit=2)]
    assert actions == ["account ingeschakeld", "account uitgeschakeld"]
    with pytest.raises(ValidationError, match="Er is geen bestuursaccount 'niemand'"):
        set_board_account_active(board, "niemand", False, by="bestuurder")


def test_the_last_bestuursbeheerder_cannot_be_disabled(board) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError, match="u bent de laatste en kunt uw eigen account niet uitschakelen"):
        set_board_account_active(board, "bestuurder", False, by="bestuurder")
    create_board_account(board, "tweede", TEST_PASSWORD, board_admin=True, by="bestuurder")
    assert set_board_account_active(board, "bestuurder", False, by="bestuurder")  # another one is left
    assert not [a for a in board_accounts(board, "tweede") if a.username == "bestuurder"][0].active
    with pytest.raises(ValidationError, match="actieve bestuursbeheerder houden: u bent de laatste"):
        set_board_account_active(board, "tweede", False, by="tweede")


def test_revoking_access_is_logged_and_an_unknown_school_is_named(board) -> None:  # type: ignore[no-untyped-def]
    assert revoke(board, "directeur", "12ab00", by="bestuurder")
    assert not revoke(board, "directeur", "12AB00", by="bestuurder")
    assert schools_of(board, "directeur") == []
    with pytest.raises(ValidationError, match="School 99ZZ00 hoort niet bij dit bestuur"):
        revoke(board, "directeur", "99ZZ00", by="bestuurder")
    line = board_log_lines(board, "bestuurder", limit=1)[0]
    assert (line.by, line.action, line.detail) == ("bestuurder", "toegang ingetrokken", "directeur: 12AB00")


def test_the_logboek_reads_as_dutch_lines_for_the_bestuursbeheerder(board) -> None:  # type: ignore[no-untyped-def]
    log_overview_export(board, "PDF", dt.date(2025, 11, 3), by="directeur")
    lines = board_log_lines(board, "bestuurder", newest_first=False)
    assert [line.action for line in lines] == ["bestuur gemaakt", "school toegevoegd", "account aangemaakt",
                                               "toegang gegeven", "bestuursoverzicht geëxporteerd"]  # fmt: skip
    text = lines[-1].text
    assert text.endswith(" — directeur: bestuursoverzicht geëxporteerd (PDF, stand 03-11-2025)")
    assert text[:16] == lines[-1].at.strftime("%d-%m-%Y %H:%M")
    assert lines[3].text.endswith("bestuurder: toegang gegeven (directeur: 12AB00 als beheerder)")
    with pytest.raises(AccessDeniedError, match="het logboek van het bestuur lezen"):
        board_log_lines(board, "directeur")


def test_the_logboek_is_hash_chained_and_a_change_shows(board, board_url: str) -> None:  # type: ignore[no-untyped-def]
    import sqlalchemy as sa

    from verzuimdesk.model.board.admin import verify_board_log

    check = verify_board_log(board, "bestuurder")
    assert check.intact and check.lines == 4
    with pytest.raises(AccessDeniedError, match="het logboek van het bestuur controleren"):
        verify_board_log(board, "directeur")
    with board.engine.begin() as conn:  # someone edits a line with other tools: who got access
        conn.exec_driver_sql("UPDATE bestuur.logboek SET detail = 'iemand: 12AB00 als beheerder' WHERE id = 4")
    assert verify_board_log(board, "bestuurder").problems == (
        "Regel 4: tijdstip, gebruiker, actie of bijzonderheden zijn gewijzigd na het vastleggen.",)
    with board.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE bestuur.logboek SET detail = 'directeur: 12AB00 als beheerder' WHERE id = 4")
    assert verify_board_log(board, "bestuurder").intact
    with board.engine.begin() as conn:  # … or removes a line in the middle
        conn.execute(sa.text("DELETE FROM bestuur.logboek WHERE id = 2"))
    assert verify_board_log(board, "bestuurder").problems == (
        "Regel 3: de verwijzing naar de vorige regel klopt niet (regel verwijderd, ingevoegd of verplaatst).",)


def test_a_board_of_an_earlier_version_gets_its_chain_when_opened(board, board_url: str) -> None:  # type: ignore[no-untyped-def]
    from verzuimdesk.model.board.admin import verify_board_log

    with board.engine.begin() as conn:  # the logboek as an earlier version made it: no hash columns
        conn.exec_driver_sql("ALTER TABLE bestuur.logboek DROP COLUMN prev_hash, DROP COLUMN hash")
    with open_board(board_url) as again:
        check = verify_board_log(again, "bestuurder")
        assert check.intact and check.lines == 4
        grant(again, "directeur", "12AB00", "ib", by="bestuurder")
        assert verify_board_log(again, "bestuurder").intact and verify_board_log(again, "bestuurder").lines == 5
    with open_board(board_url) as once_more:  # the upgrade is done once: the chain stays as it is
        assert verify_board_log(once_more, "bestuurder").last_hash == verify_board_log(board, "bestuurder").last_hash
