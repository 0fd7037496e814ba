"""The verbs of issue 10: logboek, backup, herstel; writing verbs refused while the program has the file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.builders import build_small_school
from verzuimdesk.cli.main import main
from verzuimdesk.model.db import open_database
from verzuimdesk.model.register.entries import register_lesson


@pytest.fixture
def school_file(tmp_path: Path) -> str:
    path = str(tmp_path / "school.sqlite")
    db = open_database(path)
    school = build_small_school(db)
    with db.transaction() as s:
        register_lesson(s, school.pupils["1001"], dt.date(2025, 11, 3), 1, "Z", by="Juf Anna")
        register_lesson(s, school.pupils["1002"], dt.date(2025, 11, 3), 2, "O", by="Meester Bas")
    db.close()
    return path


def test_logboek_lists_one_pupils_part_as_json(school_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    today = dt.date.today().isoformat()
    assert main(["--database", school_file, "logboek", "--leerling", "1001", "--van", today, "--json"]) == 0
    lines = json.loads(capsys.readouterr().out)
    register = [x for x in lines if x["actie"] == "registratie"]
    assert [(x["gebruiker"], x["oud"], x["nieuw"][:13]) for x in register] == [
        ("Juf Anna", "geen registratie", "08:30–09:30 Z")]
    assert {x["leerling_id"] for x in lines} == {register[0]["leerling_id"]}
    assert main(["--database", school_file, "logboek", "--tot", "2020-01-01"]) == 0
    assert "geen regels" in capsys.readouterr().out


def test_logboek_controleer_reports_an_intact_chain(school_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database", school_file, "logboek", "--controleer"]) == 0
    assert "Het logboek is ongeschonden" in capsys.readouterr().out


def test_backup_and_herstel(school_file: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--database", school_file, "backup"]) == 0
    out = capsys.readouterr().out
    backup = out.rsplit(": ", 1)[1].strip()
    assert "gecontroleerd" in out and Path(backup).is_file()
    assert main(["--database", school_file, "backup", "--lijst"]) == 0
    assert "handmatig" in capsys.readouterr().out
    Path(school_file).write_bytes(b"")  # the file is lost
    assert main(["--database", school_file, "info"]) == 2
    err = capsys.readouterr().err
    assert "leeg (0 bytes)" in err and f"verzuimdesk herstel {backup}" in err
    assert main(["--database", school_file, "herstel", backup]) == 0
    assert "is teruggezet" in capsys.readouterr().out
    assert main(["--database", school_file, "info"]) == 0
    assert "De Proefschool" in capsys.readouterr().out


def test_writing_verbs_are_refused_while_the_program_has_the_file(
        school_file: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv = tmp_path / "lln.csv"
    csv.write_text("Leerlingnummer;Achternaam;Groep\r\n5001;Nieuw;Groep 5\r\n", encoding="utf-8")
    gui = open_database(school_file, exclusive=True)
    try:
        assert main(["--database", school_file, "import", "leerlingen", str(csv)]) == 2
        assert "al geopend" in capsys.readouterr().err
        assert main(["--database", school_file, "duo", "melding", "1", "--xml", str(tmp_path / "m.xml")]) == 2
        assert main(["--database", school_file, "demo"]) == 2
        assert main(["--database", school_file, "herstel", school_file]) == 2
        capsys.readouterr()
        assert main(["--database", school_file, "figures", "--json"]) == 0  # reading keeps working
        assert main(["--database", school_file, "logboek", "--controleer"]) == 0
    finally:
        gui.close()
    assert main(["--database", school_file, "import", "leerlingen", str(csv)]) == 0


def test_the_demos_logboek_reads_in_dutch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Every line of the demo's logboek, on the screen and on the command line: Dutch names for tables and fields,
    pupils by name and leerlingnummer, no internal table name and no "_id"."""
    import datetime as dt
    import re

    from verzuimdesk.demo import create_demo_school
    from verzuimdesk.model.audit import readable_trail
    from verzuimdesk.model.audit_names import TABLE_NAMES
    from verzuimdesk.model.db import open_database

    db = open_database(str(tmp_path / "demo.sqlite"))
    create_demo_school(db, today=dt.date(2026, 11, 23))
    with db.session() as s:
        lines = readable_trail(s)
    db.close()
    raw = [name for name, dutch in TABLE_NAMES.items() if name != dutch]
    assert len(lines) > 1000
    for line in lines:
        text = " | ".join((line.action, line.detail, line.old, line.new, line.pupil))
        assert "_id" not in text, text
        assert not any(re.search(rf"\b{name}\b", text) for name in raw), text
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), text  # dates in Dutch
    letters = [x for x in lines if x.action == "brief toegevoegd"]
    assert letters and all(re.search(r"leerling: .+ \(\d{4}\)", x.new) for x in letters)
    assert any(x.pupil == x.pupil.strip() and re.fullmatch(r".+ \(\d{4}\)", x.pupil) for x in letters)
