"""The ``duo`` verb: melding XML/PDF/text and the aggregated files, headless, with exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest

from tests.duo.conftest import DuoSchool
from verzuimdesk.cli import duo as cli_duo
from verzuimdesk.model.db import Database
from verzuimdesk.model.law.exports import aggregate_deliveries, melding_exports
from verzuimdesk.model.law.meldingen import create_melding
from verzuimdesk.model.register.entries import report_absence
from verzuimdesk.model.school.records import get_school
from verzuimdesk.reports.duo.aggregate import validate_xml

D = dt.date
GOLDEN = Path(__file__).parent / "golden"


def _run(db: Database, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="verzuimdesk")
    sub = parser.add_subparsers(dest="verb")
    cli_duo.register(sub)
    return cli_duo.run(db, parser.parse_args(["duo", *argv]))


def _melding(db: Database, duo: DuoSchool) -> int:
    piet = duo.pupils["1001"]
    with db.transaction() as s:
        report_absence(s, piet, D(2025, 11, 3), D(2025, 11, 7), "O", by="test")
        m = create_melding(s, piet, "V3", D(2025, 11, 3), D(2025, 11, 7), by="J. de Boer",
                           presumed_reason="Spijbelen", school_action="Gesprek met ouders")
        assert m.id is not None
        return m.id


def test_melding_outputs(db: Database, duo_school: DuoSchool, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    mid = _melding(db, duo_school)
    assert _run(db, "melding", str(mid), "--xml", str(tmp_path / "m.xml")) == 0
    assert b"<verzuimsoort" in (tmp_path / "m.xml").read_bytes()
    assert _run(db, "melding", str(mid), "--pdf", str(tmp_path / "m.pdf")) == 0
    assert (tmp_path / "m.pdf").read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert _run(db, "melding", str(mid), "--tekst") == 0
    out = capsys.readouterr().out
    assert "BSN: 111222333" in out and "Verzuimuren: 30,00 uur" in out
    with db.session() as s:
        assert [e.format for e in melding_exports(s, mid)] == ["xml", "pdf", "tekst"]


def test_incomplete_melding_exits_1_with_dutch_reasons(db: Database, duo_school: DuoSchool,
        capsys: pytest.CaptureFixture[str]) -> None:
    sanne = duo_school.pupils["1002"]
    with db.transaction() as s:
        report_absence(s, sanne, D(2025, 11, 3), D(2025, 11, 3), "O", by="test")
        mid = create_melding(s, sanne, "O", D(2025, 11, 3), D(2025, 11, 3), by="x").id
    assert _run(db, "melding", str(mid), "--tekst") == 1
    assert "BSN of onderwijsnummer van Sanne van den Berg ontbreekt" in capsys.readouterr().err
    assert _run(db, "melding", "999", "--tekst") == 1


def test_aggregate_files_match_golden(db: Database, duo_school: DuoSchool, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    xml, csv = tmp_path / "a.xml", tmp_path / "a.csv"
    assert _run(db, "aggregaat", "--periode", "2025-2026/1", "--xml", str(xml), "--csv", str(csv), "--preview") == 0
    out = capsys.readouterr().out
    assert "totaal school: 4 leerlingen" in out and "1 leerling niet meegeteld" in out
    assert xml.read_bytes() == (GOLDEN / "aggregaat-2025-2026-1.xml").read_bytes()
    assert csv.read_bytes() == (GOLDEN / "aggregaat-2025-2026-1.csv").read_bytes()
    assert validate_xml(xml.read_bytes()) == []
    with db.session() as s:
        assert [d.format for d in aggregate_deliveries(s)] == ["csv", "xml"]


def test_aggregate_preview_only_and_custom_period(db: Database, duo_school: DuoSchool,
        capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(db, "aggregaat", "--van", "2025-09-01", "--tot", "2025-09-30", "--preview") == 0
    assert "01-09-2025 t/m 30-09-2025" in capsys.readouterr().out
    with db.session() as s:
        assert aggregate_deliveries(s) == []  # a preview delivers nothing


@pytest.mark.parametrize("argv", [
    ["aggregaat", "--periode", "2025-2026/9", "--preview"],
    ["aggregaat", "--preview"],
    ["aggregaat", "--periode", "2025-2026/1"],
    ["aggregaat", "--periode", "2025-2026/1", "--van", "2025-08-01", "--tot", "2025-09-01", "--preview"],
])
def test_wrong_input_exits_2(db: Database, duo_school: DuoSchool, argv: list[str]) -> None:
    assert _run(db, *argv) == 2


def test_niet_bekostigd_is_refused(db: Database, duo_school: DuoSchool, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    with db.transaction() as s:
        school = get_school(s)
        assert school is not None
        school.niet_bekostigd = True
        s.add(school)
    assert _run(db, "aggregaat", "--periode", "2025-2026/1", "--csv", str(tmp_path / "a.csv")) == 1
    assert "niet-bekostigd" in capsys.readouterr().err
    assert not (tmp_path / "a.csv").exists()
