"""The command line logs in and applies the same role checks as the GUI (issue 11 point 1)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from tests.builders import build_small_school
from tests.conftest import TEST_PASSWORD
from verzuimdesk.cli import login as cli_login
from verzuimdesk.cli.main import build_parser, main
from verzuimdesk.model.db import open_database
from verzuimdesk.model.security.accounts import create_account
from verzuimdesk.model.tables import AuditLog
from verzuimdesk.model.tables.security import UserAccount

# verb arguments → the roles that may run it
VERBS: list[tuple[list[str], set[str]]] = [
    (["info"], {"beheerder", "ib", "leerkracht"}),
    (["figures", "--van", "2025-11-03", "--tot", "2025-11-07", "--json"], {"beheerder", "ib"}),
    (["signals", "--datum", "2025-11-07"], {"beheerder", "ib"}),
    (["verlof", "lijst"], {"beheerder"}),
    (["duo", "aggregaat", "--periode", "2025-2026/1", "--preview"], {"beheerder", "ib"}),
    (["gebruiker", "lijst"], {"beheerder"}),
    (["opschonen"], {"beheerder"}),
]


@pytest.fixture
def school_file(tmp_path: Path) -> str:
    path = str(tmp_path / "school.sqlite")
    with open_database(path) as db:
        school = build_small_school(db)
        with db.transaction() as s:
            create_account(s, "beheerder", TEST_PASSWORD, "beheerder")
            create_account(s, "ib", TEST_PASSWORD, "ib")
            create_account(s, "juf", TEST_PASSWORD, "leerkracht", group_ids=(school.g5,))
    return path


@pytest.fixture(autouse=True)
def no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    waits: list[float] = []
    monkeypatch.setattr(cli_login.time, "sleep", waits.append)
    return waits


@pytest.mark.parametrize("role,user", [("beheerder", "beheerder"), ("ib", "ib"), ("leerkracht", "juf")])
def test_each_verb_is_allowed_or_refused_per_role(school_file: str, role: str, user: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    for argv, roles in VERBS:
        code = main(["--database", school_file, "--gebruiker", user, *argv])
        out, err = capsys.readouterr()
        if role in roles:
            assert "mag" not in err, (argv, err)
        else:
            assert code == 1 and "Uw account" in err and "niet gebruiken" in err, (argv, code, err)


def test_wrong_password_is_refused_with_a_delay(school_file: str, monkeypatch: pytest.MonkeyPatch,
                                                no_waiting: list[float], capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VERZUIMDESK_WACHTWOORD", "niet-het-goede")
    assert main(["--database", school_file, "--gebruiker", "ib", "figures", "--json"]) == 1
    assert main(["--database", school_file, "--gebruiker", "ib", "figures", "--json"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Onbekende gebruikersnaam of verkeerd wachtwoord" in err and no_waiting == [1.0, 2.0]


def test_user_from_environment_and_audit_names_them(school_file: str, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VERZUIMDESK_GEBRUIKER", "ib")
    assert main(["--database", school_file, "figures", "--json"]) == 0
    with open_database(school_file) as db, db.session() as s:
        logins = s.exec(select(AuditLog).where(AuditLog.action == "ingelogd")).all()
    assert [a.by for a in logins] == ["ib"]


def test_first_command_on_a_database_without_accounts_creates_the_beheerder(tmp_path: Path,
                                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "nieuw.sqlite")
    assert main(["--database", path, "info"]) == 0
    assert "beheerder 'beheerder' is aangemaakt" in capsys.readouterr().err
    with open_database(path) as db, db.session() as s:
        account = s.exec(select(UserAccount)).one()
    assert account.role == "beheerder"


def test_beheerder_creates_accounts_and_others_cannot(school_file: str, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("VERZUIMDESK_NIEUW_WACHTWOORD", "meester-wachtwoord")
    assert main(["--database", school_file, "gebruiker", "nieuw", "meester", "--rol", "leerkracht",
                 "--groep", "Groep 1/2"]) == 0
    assert main(["--database", school_file, "--gebruiker", "juf", "gebruiker", "nieuw", "x", "--rol", "ib"]) == 1
    assert main(["--database", school_file, "--gebruiker", "juf", "gebruiker", "wachtwoord", "ib"]) == 1
    assert main(["--database", school_file, "--gebruiker", "juf", "gebruiker", "wachtwoord", "juf"]) == 0
    capsys.readouterr()
    assert main(["--database", school_file, "gebruiker", "lijst"]) == 0
    out = capsys.readouterr().out
    assert "meester" in out and "leerkracht" in out and "Groep 1/2" in out


def test_verbs_that_print_personal_data_say_so() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "verb")
    helps = {a.dest: a.help or "" for a in sub._choices_actions}  # type: ignore[attr-defined]
    for verb in ("cijfers", "signalen", "verlof", "overzicht", "logboek"):
        assert "persoonsgegevens" in helps[verb], verb


def test_inzage_and_purge_on_the_command_line(school_file: str, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt
    import zipfile

    from verzuimdesk.model.tables import Pupil

    with open_database(school_file) as db, db.transaction() as s:
        s.exec(select(Pupil).where(Pupil.key == "2001")).one().left_on = dt.date(2019, 7, 31)
    out = tmp_path / "inzage.zip"
    assert main(["--database", school_file, "inzage", "1001", "--uit", str(out)]) == 0
    assert "gegevens.json" in zipfile.ZipFile(out).namelist()
    assert main(["--database", school_file, "--gebruiker", "ib", "inzage", "1001", "--uit", str(out)]) == 1
    capsys.readouterr()
    assert main(["--database", school_file, "opschonen", "--vandaag", "2025-11-21"]) == 0
    listing = capsys.readouterr().out
    assert "2001" in listing and "Niets verwijderd" in listing
    assert main(["--database", school_file, "opschonen", "--vandaag", "2025-11-21", "--uitvoeren", "--ja"]) == 0
    with open_database(school_file) as db, db.session() as s:
        assert s.exec(select(Pupil).where(Pupil.key == "2001")).first() is None
        assert s.exec(select(Pupil).where(Pupil.key == "1001")).first() is not None
