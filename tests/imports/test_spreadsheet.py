"""Pupils and groups from xlsx/csv: loose headers, matching on re-import, per-row errors, all-or-nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from tests.helpers import dump_database
from verzuimdesk.imports import run_import
from verzuimdesk.imports.spreadsheet import import_groups, import_pupils
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ImportFailed
from verzuimdesk.model.tables import Group, GroupMembership, Guardian, Pupil, Vestiging

TODAY = dt.date(2025, 11, 3)  # school year 2025-2026 of tests/builders.py
FAILED = "Het bestand is niet ingelezen; er is niets gewijzigd."

HEADERS = ["Leerling-nummer", "ACHTERNAAM", "Tussen voegsel", "Voornamen", "Roepnaam", "Geboortedatum", "BSN",
           "Groep", "Woonplaats", "Postcode", "Adres", "Datum inschrijving", "Ouder 1 naam", "Ouder 1 telefoon",
           "Ouder 1 e-mail", "Ouder 2 naam", "Ouder 2 telefoon"]


def write_xlsx(path: Path, headers: list[str], rows: list[list[object]], sheet: str = "Leerlingen",
               first_sheet: str | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    if first_sheet:  # an unrelated first sheet: the importer must pick the sheet named like "leerlingen"
        ws.title = first_sheet
        ws.append(["Uitleg"])
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def write_csv(path: Path, lines: list[str], encoding: str = "utf-8-sig") -> Path:
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))
    return path


def test_xlsx_with_loose_headers_creates_pupils_guardians_and_memberships(school_db: Database, tmp_path: Path) -> None:
    rows = [
        ["3001", "Çelik", "", "Ayşe Nur", "Ayşe", dt.datetime(2017, 2, 3), "111222333 ", "groep 5", "Utrecht",
         "3511 AB", "Straat 1", "1-9-2025", "M. Çelik", "06-12345678", "m@example.nl", "H. Çelik", "06-87654321"],
        [3002, "Dijk", "van", "Tim", "", "2016-04-05", "", "Groep 1/2", "Zeist", "", "", dt.datetime(2025, 8, 1),
         "", "", "", "", ""],
    ]
    # BSN 111222333 belongs to pupil 1001 already: use a fresh valid one instead
    rows[0][6] = "123456782"
    path = write_xlsx(tmp_path / "lln.xlsx", HEADERS, rows, first_sheet="Toelichting")
    result = import_pupils(school_db, path, today=TODAY)
    assert result.created == {"leerlingen": 2, "ouders": 2, "lidmaatschappen": 2}
    with school_db.session() as s:
        ayse = s.exec(select(Pupil).where(Pupil.key == "3001")).one()
        assert (ayse.achternaam, ayse.roepnaam, ayse.voornamen, ayse.bsn) == ("Çelik", "Ayşe", "Ayşe Nur", "123456782")
        assert (ayse.birth_date, ayse.enrolled_on) == (dt.date(2017, 2, 3), dt.date(2025, 9, 1))
        assert (ayse.woongemeente, ayse.postcode, ayse.address) == ("Utrecht", "3511 AB", "Straat 1")
        tim = s.exec(select(Pupil).where(Pupil.key == "3002")).one()  # a number cell becomes "3002"
        assert (tim.voorvoegsel, tim.birth_date) == ("van", dt.date(2016, 4, 5))
        guardians = s.exec(select(Guardian).where(Guardian.pupil_id == ayse.id).order_by(Guardian.id)).all()
        assert [(g.name, g.phone, g.email) for g in guardians] == [
            ("M. Çelik", "06-12345678", "m@example.nl"), ("H. Çelik", "06-87654321", "")]
        m = s.exec(select(GroupMembership).where(GroupMembership.pupil_id == ayse.id)).one()
        g5 = s.exec(select(Group).where(Group.key == "g5")).one()
        # membership from the start of the school year, or the enrolment date when that is later
        assert (m.group_id, m.date_from, m.date_to) == (g5.id, dt.date(2025, 9, 1), None)
        m_tim = s.exec(select(GroupMembership).where(GroupMembership.pupil_id == tim.id)).one()
        assert m_tim.date_from == dt.date(2025, 8, 1)
    assert result.summary().startswith("Ingelezen: leerlingen 2 nieuw")


def test_reimport_updates_and_changes_group(school_db: Database, tmp_path: Path) -> None:
    headers = ["Nr", "Achternaam", "Roepnaam", "Groep"]
    first = write_xlsx(tmp_path / "a.xlsx", headers, [["1001", "Jansen", "Piet", "Groep 5"]])
    result = import_pupils(school_db, first, today=TODAY)
    assert result.unchanged == {"leerlingen": 1, "lidmaatschappen": 1} and result.created == {}
    second = write_xlsx(tmp_path / "b.xlsx", headers, [["1001", "Jansen", "Pieter", "g12"]])
    result = import_pupils(school_db, second, membership_from=dt.date(2025, 11, 10), today=TODAY)
    assert result.updated == {"leerlingen": 1} and result.created == {"lidmaatschappen": 1}
    with school_db.session() as s:
        piet = s.exec(select(Pupil).where(Pupil.key == "1001")).one()
        assert piet.roepnaam == "Pieter" and piet.bsn == "111222333"  # columns not in the file stay
        history = s.exec(select(GroupMembership).where(GroupMembership.pupil_id == piet.id)
                         .order_by(GroupMembership.date_from)).all()
        assert [(m.date_from, m.date_to) for m in history] == [
            (dt.date(2025, 8, 1), dt.date(2025, 11, 9)), (dt.date(2025, 11, 10), None)]
        assert len(s.exec(select(Pupil)).all()) == 4


def test_csv_semicolon_bom_and_match_on_bsn(school_db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lln.csv", ["BSN;Achternaam;Roepnaam;Groep;Woongemeente",
                                            "111222333;Jansen;Piet;Groep 5;Arnhem"])
    result = run_import(school_db, "leerlingen", path, today=TODAY)
    assert result.updated == {"leerlingen": 1} and "leerlingen" not in result.created
    with school_db.session() as s:
        assert s.exec(select(Pupil).where(Pupil.key == "1001")).one().woongemeente == "Arnhem"


def test_csv_comma_cp1252_gives_warning(school_db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "lln.csv", ["Leerlingnummer,Achternaam,Roepnaam,Groep",
                                            "4001,Müller,Zoë,Groep 5"], encoding="cp1252")
    result = import_pupils(school_db, path, today=TODAY)
    assert result.created["leerlingen"] == 1
    assert any("cp1252" in w for w in result.warnings)
    with school_db.session() as s:
        assert s.exec(select(Pupil).where(Pupil.key == "4001")).one().roepnaam == "Zoë"


def _refused(db: Database, path: Path, **options: object) -> list[str]:
    before = dump_database(db)
    with pytest.raises(ImportFailed) as info:
        import_pupils(db, path, today=TODAY, **options)  # type: ignore[arg-type]
    assert info.value.summary == FAILED and str(info.value).startswith(FAILED)
    assert dump_database(db) == before
    return info.value.problems


def test_missing_required_column_names_it_and_the_headers_found(school_db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ["Leerlingnummer", "Achternaam", "Klasnaam"], [["5001", "A", "Groep 5"]])
    problems = _refused(school_db, path)
    assert problems == [("De kolom 'Groep' ontbreekt op het tabblad 'Leerlingen'. Gevonden kolommen: "
                         "'Leerlingnummer', 'Achternaam', 'Klasnaam'.")]


def test_invalid_bsn_is_an_error_in_a_spreadsheet(school_db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ["Leerlingnummer", "Achternaam", "BSN", "Groep"],
                      [["5001", "A", "123456782", "Groep 5"], ["5002", "B", "123456789", "Groep 5"]])
    assert _refused(school_db, path) == ["Rij 3: het BSN '123456789' is ongeldig (elfproef)."]


def test_unknown_group_is_an_error_unless_groups_may_be_created(school_db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ["Leerlingnummer", "Achternaam", "Groep"], [["5001", "A", "Groep 7"]])
    problems = _refused(school_db, path)
    assert len(problems) == 1 and problems[0].startswith("Rij 2: de groep 'Groep 7' bestaat niet.")
    assert "Groep 5" in problems[0]
    result = import_pupils(school_db, path, today=TODAY, create_groups=True)
    assert result.created == {"groepen": 1, "leerlingen": 1, "lidmaatschappen": 1}
    with school_db.session() as s:
        assert s.exec(select(Group).where(Group.name == "Groep 7")).one().jaargroep == "7"


def test_dates_outside_the_school_years_and_implausible_dates(school_db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ["Leerlingnummer", "Achternaam", "Geboortedatum", "Instroomdatum", "Groep"],
                      [["5001", "A", "03-02-2017", "01-09-2026", "Groep 5"],
                       ["5002", "B", "03-02-1960", "", "Groep 5"],
                       ["5003", "C", "31-02-2017", "", "Groep 5"]])
    problems = _refused(school_db, path)
    assert problems[0] == ("Rij 2: de datum van inschrijving 01-09-2026 ligt buiten de schooljaren in de "
                           "database (2025-2026).")
    assert problems[1] == ("Rij 3: de geboortedatum 03-02-1960 kan niet kloppen (vóór 1990 of in de toekomst). "
                           "Verbeter de datum.")
    assert problems[2].startswith("Rij 4: geboortedatum '31-02-2017' is geen datum")
    assert len(problems) == 3


def test_duplicate_keys_name_both_rows(school_db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "x.xlsx", ["Leerlingnummer", "Achternaam", "Groep"],
                      [["5001", "A", "Groep 5"], ["5002", "B", "Groep 5"], ["5001", "C", "Groep 5"]])
    assert _refused(school_db, path) == ["Rij 4: leerlingnummer '5001' staat ook in rij 2."]


def test_not_a_spreadsheet(school_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(b"dit is geen excel")
    problems = _refused(school_db, path)
    assert "kan niet als Excel-bestand" in problems[0]


def test_groups_file(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "groepen.csv", ["Sleutel;Groep;Jaargroep;Vestiging", "g3;Groep 3;3;Oost",
                                                "g4;Groep 4;4;Oost", "S1;Kangoeroes;s;"])
    result = import_groups(db, path)
    assert result.created == {"vestigingen": 1, "groepen": 3}
    again = run_import(db, "groepen", path)
    assert again.created == {} and again.unchanged == {"groepen": 3}
    with db.session() as s:
        groups = {g.key: g for g in s.exec(select(Group)).all()}
        oost = s.exec(select(Vestiging)).one()
        assert groups["g3"].vestiging_id == oost.id and groups["S1"].jaargroep == "S"
    before = dump_database(db)
    dup = write_csv(tmp_path / "dup.csv", ["Naam;Jaargroep", "Groep 5;5", "groep 5;5"])
    with pytest.raises(ImportFailed) as info:
        import_groups(db, dup)
    assert info.value.problems == ["Rij 3: de groep 'groep 5' staat ook in rij 2."]
    assert dump_database(db) == before
