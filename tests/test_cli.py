"""The command line: verbs work headless on any database and print Dutch output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.builders import build_small_school
from tests.conftest import EDEXML_SAMPLE
from verzuimdesk.cli.main import main
from verzuimdesk.model.db import open_database
from verzuimdesk.model.register.entries import register_lesson


@pytest.fixture
def school_file(tmp_path: Path) -> str:
    path = str(tmp_path / "school.sqlite")
    db = open_database(path)
    school = build_small_school(db)
    import datetime as dt

    with db.transaction() as s:
        register_lesson(s, school.pupils["1001"], dt.date(2025, 11, 3), 1, "Z", by="test")
        register_lesson(s, school.pupils["1001"], dt.date(2025, 11, 3), 2, "O", by="test")
    db.close()
    return path


def test_figures_as_json_match_the_register(school_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--database", school_file, "figures", "--van", "2025-11-03", "--tot", "2025-11-03",
                 "--leerling", "1001", "--json"])
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [{
        "leerling": "1001", "naam": "Jansen, Piet", "ingeroosterd_uur": 6.0, "aanwezig_uur": 4.0,
        "geoorloofd_uur": 1.0, "ongeoorloofd_uur": 1.0, "niet_meegeteld_uur": 0.0, "afwezig_pct": 33.3,
        "ongeoorloofd_pct": 16.7, "te_laat_keer": 0, "per_reden_min": {"O": 60, "Z": 60},
    }]


def test_figures_per_group_as_a_table(school_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database", school_file, "figures", "--van", "03-11-2025", "--tot", "07-11-2025",
                 "--per", "groep"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["groep", "leerlingen"]
    g5 = next(line for line in out if line.startswith("Groep 5"))
    assert g5.split()[2:4] == ["3", "90,00"]  # 3 pupils, 3 × 5 × 6 = 90 scheduled hours


def test_import_edexml_and_info(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "leeg.sqlite")
    sample = EDEXML_SAMPLE
    assert main(["--database", path, "import", "edexml", str(sample)]) == 0
    out = capsys.readouterr().out
    assert "3" in out and "leerling" in out.lower()
    assert main(["--database", path, "info"]) == 0
    assert "99ZZ" in capsys.readouterr().out


def test_bad_input_gives_a_dutch_error_and_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "leeg.sqlite")
    bad = tmp_path / "kapot.xml"
    bad.write_bytes(b"<EDEX><school>")
    assert main(["--database", path, "import", "edexml", str(bad)]) == 1
    assert "niets gewijzigd" in capsys.readouterr().err
    assert main(["--database", path, "import", "edexml", str(tmp_path / "bestaat-niet.xml")]) == 1
    assert "bestaat niet" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--database", path, "figures", "--van", "gisteren"])
    assert "geen datum" in capsys.readouterr().err


def test_help_is_dutch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "gebruik: verzuimdesk" in out and "toon deze hulp" in out
    for verb in ("demo", "import", "figures", "signals", "verlof", "schoolgids", "evaluatie", "duo", "info"):
        assert verb in out


def test_import_takes_the_options_of_the_screen(school_file: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    import datetime as dt

    from sqlmodel import select

    from verzuimdesk.model.tables import Group, GroupMembership, Pupil

    path = tmp_path / "leerlingen.csv"
    path.write_text("Leerlingnummer;Achternaam;Roepnaam;Groep\r\n5001;Vries;Anna;Groep 7\r\n", encoding="utf-8")
    base = ["--database", school_file, "import", "leerlingen", str(path), "--vandaag", "2025-11-03"]
    assert main(base) == 1  # the group does not exist: refused, nothing changed
    assert "Groep 7" in capsys.readouterr().err
    assert main([*base, "--groepen-aanmaken", "--vanaf", "2025-10-01"]) == 0
    db = open_database(school_file)
    with db.session() as s:
        pupil = s.exec(select(Pupil).where(Pupil.key == "5001")).one()
        membership = s.exec(select(GroupMembership).where(GroupMembership.pupil_id == pupil.id)).one()
        assert s.get(Group, membership.group_id).name == "Groep 7"
        assert membership.date_from == dt.date(2025, 10, 1)
    db.close()
    capsys.readouterr()
    assert main(["--database", school_file, "import", "groepen", str(path), "--groepen-aanmaken"]) == 1
    assert "--groepen-aanmaken hoort niet bij een import van groepen" in capsys.readouterr().err


def test_dutch_verb_names_keep_the_english_ones_as_aliases(school_file: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    outputs = []
    for verb in ("signalen", "signals"):
        assert main(["--database", school_file, verb, "--datum", "2025-11-07", "--json"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1]
    for verb in ("cijfers", "figures"):
        assert main(["--database", school_file, verb, "--van", "2025-11-03", "--tot", "2025-11-03"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[2] == outputs[3] and "1,00" in outputs[2]  # decimal comma in the text table


def test_leerplichtambtenaar_decision_on_the_command_line(school_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    """Art. 14 lid 3 Lpw: a forwarded request gets the leerplichtambtenaar's decision without the GUI; granted days
    are in the register and the decision is in the list (the same model function as the Verlof screen)."""
    import datetime as dt

    from sqlmodel import select

    from verzuimdesk.model.law.leave import decide_leave_request, submit_leave_request
    from verzuimdesk.model.tables import AbsenceEntry, Pupil

    db = open_database(school_file)
    with db.transaction() as s:
        piet = s.exec(select(Pupil).where(Pupil.key == "1001")).one()
        request = submit_leave_request(s, piet.id or 0, "gewichtige_omstandigheden", dt.date(2025, 11, 4),
                                       dt.date(2025, 11, 19), received_on=dt.date(2025, 9, 1), by="admin")
        decide_leave_request(s, request.id or 0, "doorgestuurd", by="directeur", on=dt.date(2025, 9, 20))
        rid = request.id or 0
    db.close()
    args = ["--database", school_file, "verlof", "besluit-lpa", str(rid), "--door", "M. de Vries"]
    assert main([*args, "--geweigerd", "--datum", "1-10-2025"]) == 2  # a refusal needs its motivation
    assert "motivering" in capsys.readouterr().err
    assert main([*args, "--toegekend", "--datum", "19-9-2025"]) == 2  # before the forwarding
    assert "vóór het doorsturen" in capsys.readouterr().err
    assert main([*args, "--toegekend", "--datum", "1-10-2025"]) == 0
    out = capsys.readouterr().out
    assert "toegekend door M. de Vries op 01-10-2025" in out and "12 schooldagen in het register" in out
    assert main(["--database", school_file, "verlof", "lijst", "--json"]) == 0
    (row,) = [r for r in json.loads(capsys.readouterr().out) if r["id"] == rid]
    assert (row["status"], row["besluit_leerplichtambtenaar"]) == ("toegekend", "toegekend door M. de Vries op 2025-10-01")
    db = open_database(school_file)
    with db.session() as s:
        assert s.exec(select(AbsenceEntry).where(AbsenceEntry.leave_request_id == rid)).first() is not None
    db.close()
    with pytest.raises(SystemExit):  # exactly one of --toegekend / --geweigerd
        main([*args, "--datum", "1-10-2025"])
