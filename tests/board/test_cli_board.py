"""``verzuimdesk bestuur …`` and ``--school`` end to end (issue 14 point 4)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.board.conftest import TODAY
from verzuimdesk.cli.main import main


def _run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, user: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setenv("VERZUIMDESK_GEBRUIKER", user)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_board_verbs_end_to_end(board_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                monkeypatch: pytest.MonkeyPatch) -> None:
    db = ["--database", board_url]
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "maak")
    assert code == 0 and "bestuursbeheerder" in out
    for brin, vest, name in (("12AB", "00", "De Eik"), ("34CD", "00", "De Linde")):
        code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "school-toevoegen", brin, vest, name)
        assert code == 0 and f"School {brin}{vest} ({name}) is toegevoegd" in out
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD_NIEUW", "wilgenhoek-ib")
    assert _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "account", "ib.eik")[0] == 0
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "toegang", "ib.eik", "12AB00", "--rol", "ib")
    assert code == 0 and "toegang tot 12AB00 als ib" in out
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "scholen")
    assert code == 0 and "12AB00" in out and "34CD00" in out

    # the new account: one school, a school verb works there and is refused in the other school
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "wilgenhoek-ib")
    code, out, _ = _run(capsys, monkeypatch, "ib.eik", *db, "bestuur", "scholen")
    assert code == 0 and "12AB00" in out and "34CD00" not in out
    code, out, _ = _run(capsys, monkeypatch, "ib.eik", *db, "--school", "12AB00", "info")
    assert code == 0 and "De Eik (12AB)" in out
    code, _, err = _run(capsys, monkeypatch, "ib.eik", *db, "--school", "34CD00", "info")
    assert code == 1 and "geen toegang tot school 34CD00" in err
    code, _, err = _run(capsys, monkeypatch, "ib.eik", *db, "bestuur", "school-toevoegen", "56EF", "00", "X")
    assert code == 1 and "Alleen de bestuursbeheerder" in err
    code, _, err = _run(capsys, monkeypatch, "ib.eik", *db, "info")
    assert code == 2 and "Kies een school met --school" in err

    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "wilgenhoek")
    pdf, xlsx = tmp_path / "bestuur.pdf", tmp_path / "bestuur.xlsx"
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "overzicht", "--pdf", str(pdf), "--xlsx",
                        str(xlsx), "--datum", TODAY.isoformat())
    assert code == 0 and "De Eik" in out and "De Linde" in out and "Totaal bestuur" in out
    assert pdf.read_bytes().startswith(b"%PDF")
    rows = list(load_workbook(xlsx)["Bestuursoverzicht"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["De Eik", "De Linde"]
    from verzuimdesk.model.board.registry import board_log, open_board

    with open_board(board_url) as board:  # every change of the board is in its logboek, with who did it
        assert [(who, what) for _at, who, what, _detail in board_log(board)] == [
            ("bestuurder", "bestuur gemaakt"), ("bestuurder", "school toegevoegd"),
            ("bestuurder", "school toegevoegd"), ("bestuurder", "account aangemaakt"),
            ("bestuurder", "toegang gegeven"), ("bestuurder", "bestuursoverzicht geëxporteerd"),
            ("bestuurder", "bestuursoverzicht geëxporteerd")]  # fmt: skip
    with pytest.raises(SystemExit) as stop:
        _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "toegang", "ib.eik", "12AB00", "--rol", "x")
    assert stop.value.code == 2 and "ongeldige keuze" in capsys.readouterr().err


def test_a_wrong_password_is_refused_in_dutch(board_url: str, capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    assert _run(capsys, monkeypatch, "bestuurder", "--database", board_url, "bestuur", "maak")[0] == 0
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "niet-het-goede")
    monkeypatch.setattr("time.sleep", lambda _s: None)
    code, _, err = _run(capsys, monkeypatch, "bestuurder", "--database", board_url, "bestuur", "scholen")
    assert code == 1 and "Onbekende gebruikersnaam of verkeerd wachtwoord" in err


def test_board_account_management_and_logboek_verbs(board_url: str, capsys: pytest.CaptureFixture[str],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db = ["--database", board_url]
    assert _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "maak")[0] == 0
    assert _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "school-toevoegen", "12AB", "00", "De Eik")[0] == 0
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD_NIEUW", "wilgenhoek-dir")
    assert _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "account", "directeur")[0] == 0
    assert _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "toegang", "directeur", "12AB00")[0] == 0
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "accounts")
    assert code == 0 and "directeur" in out and "12AB00 (alleen cijfers)" in out and "actief" in out

    # the bestuursbeheerder disables and enables an account; it cannot disable itself as the last one
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "wijzig", "directeur", "--uit")
    assert code == 0 and "Bestuursaccount 'directeur' is uitgeschakeld." in out
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "wilgenhoek-dir")
    monkeypatch.setattr("time.sleep", lambda _s: None)
    code, _, err = _run(capsys, monkeypatch, "directeur", *db, "bestuur", "scholen")
    assert code == 1 and "Onbekende gebruikersnaam of verkeerd wachtwoord" in err
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "wilgenhoek")
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "wijzig", "directeur", "--aan")
    assert code == 0 and "weer ingeschakeld" in out
    code, _, err = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "wijzig", "bestuurder", "--uit")
    assert code == 1 and "u bent de laatste en kunt uw eigen account niet uitschakelen" in err
    code, _, err = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "wijzig", "niemand", "--uit")
    assert code == 1 and "Er is geen bestuursaccount 'niemand'" in err

    # a new password: one's own, or another's as bestuursbeheerder only
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD_NIEUW", "nieuw-wachtwoord")
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "wachtwoord", "directeur")
    assert code == 0 and "Het wachtwoord van 'directeur' is gewijzigd" in out
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "nieuw-wachtwoord")
    code, _, err = _run(capsys, monkeypatch, "directeur", *db, "bestuur", "wachtwoord", "bestuurder")
    assert code == 1 and "Alleen de bestuursbeheerder mag het wachtwoord van een ander bestuursaccount" in err
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD_NIEUW", "kort")
    code, _, err = _run(capsys, monkeypatch, "directeur", *db, "bestuur", "wachtwoord", "directeur")
    assert code == 1 and "minstens" in err
    code, _, err = _run(capsys, monkeypatch, "directeur", *db, "bestuur", "logboek")
    assert code == 1 and "Alleen de bestuursbeheerder mag het logboek van het bestuur lezen" in err
    code, _, err = _run(capsys, monkeypatch, "directeur", *db, "bestuur", "accounts")
    assert code == 1 and "Alleen de bestuursbeheerder" in err

    # revoking access, then the logboek: oldest first, who and what, with --laatste
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "wilgenhoek")
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "toegang", "directeur", "12AB00",
                        "--intrekken")  # fmt: skip
    assert code == 0 and "ingetrokken" in out
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "logboek")
    lines = out.splitlines()
    assert code == 0 and [line.split(" — ", 1)[1] for line in lines] == [
        "bestuurder: bestuur gemaakt (bestuursbeheerder bestuurder)", "bestuurder: school toegevoegd (12AB00 De Eik)",
        "bestuurder: account aangemaakt (directeur)", "bestuurder: toegang gegeven (directeur: 12AB00 als bestuur, alleen cijfers)",
        "bestuurder: account uitgeschakeld (directeur)", "bestuurder: account ingeschakeld (directeur)",
        "bestuurder: wachtwoord gewijzigd (directeur)", "bestuurder: toegang ingetrokken (directeur: 12AB00)"]  # fmt: skip
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "logboek", "--laatste", "2")
    assert code == 0 and len(out.splitlines()) == 2 and out.splitlines()[-1].endswith("(directeur: 12AB00)")
    code, _, err = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "logboek", "--laatste", "0")
    assert code == 1 and "--laatste" in err
    code, out, _ = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "logboek", "--controleer")
    assert code == 0 and "Het logboek van het bestuur is ongeschonden: 8 regels" in out
    import sqlalchemy as sa

    engine = sa.create_engine(board_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE bestuur.logboek SET by = 'iemand' WHERE action = 'account uitgeschakeld'")
    engine.dispose()
    code, _, err = _run(capsys, monkeypatch, "bestuurder", *db, "bestuur", "logboek", "--controleer")
    assert code == 1 and "NIET ongeschonden (1 problemen)" in err and "Regel 5: tijdstip, gebruiker" in err
