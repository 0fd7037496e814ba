"""Absence history from a spreadsheet: entries through set_entry, figures match the hand count."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from sqlmodel import select

from tests.helpers import dump_database
from verzuimdesk.imports import run_import
from verzuimdesk.imports.absence_history import import_absence_history, parse_lesson_numbers
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ImportFailed
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.tables import AbsenceEntry, Pupil

HEADERS = ["Leerling", "Datum", "Lessen", "Van", "Tot", "Redencode", "Minuten te laat", "Opmerking"]
# Week of 3-7 November 2025, school of tests/builders.py: group 5 has six 60-minute lessons from 08:30 daily;
# group 1/2 has four lessons on Friday.
ROWS = [
    ["1001", "03-11-2025", "1-3", "", "", "Z", "", "koorts"],          # 3 lessons sick: 180 authorised
    ["111222333", dt.datetime(2025, 11, 4), "", "", "", "O", "", ""],  # BSN of 1001, whole day: 360 unauthorised
    [1002, "2025-11-05", "1", "", "", "T", 10, "bus gemist"],          # 10 minutes late, unauthorised
    ["1003", "6-11-2025", "", "10:30", "12:30", "o", "", ""],          # lessons 3+4 by time: 120 unauthorised
    ["2001", "07-11-2025", "1,2", "", "", "M", "", "tandarts"],         # 120 authorised (medical)
]


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Verzuim"
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def test_parse_lesson_numbers() -> None:
    assert parse_lesson_numbers("1-3") == [1, 2, 3]
    assert parse_lesson_numbers("1,2") == [1, 2]
    assert parse_lesson_numbers("2 t/m 4") == [2, 3, 4]
    with pytest.raises(ValueError):
        parse_lesson_numbers("eerste")


def test_history_import_then_figures_match_the_hand_count(school_db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "verzuim.xlsx", ROWS)
    result = import_absence_history(school_db, path)
    assert result.created == {"registraties": 3 + 6 + 1 + 1 + 2}
    with school_db.session() as s:
        ids = {p.key: p.id for p in s.exec(select(Pupil)).all()}
        entries = s.exec(select(AbsenceEntry)).all()
        assert {e.source for e in entries} == {"import"}
        late = next(e for e in entries if e.minutes_late)
        assert (late.pupil_id, late.lesson_number, late.minutes_late, late.note) == (ids["1002"], 1, 10, "bus gemist")
        timed = next(e for e in entries if e.pupil_id == ids["1003"])
        assert (timed.start_minute, timed.end_minute, timed.lesson_number) == (630, 750, None)
        engine = FiguresEngine(s, dt.date(2025, 11, 3), dt.date(2025, 11, 7))
        figures = {key: engine.pupil_period(pid) for key, pid in ids.items()}
    assert (figures["1001"].authorised, figures["1001"].unauthorised) == (180, 360)
    assert figures["1001"].by_reason == {"Z": 180, "O": 360}
    assert (figures["1002"].unauthorised, figures["1002"].late_count, figures["1002"].authorised) == (10, 1, 0)
    assert (figures["1003"].unauthorised, figures["1003"].authorised) == (120, 0)
    assert (figures["2001"].authorised, figures["2001"].unauthorised) == (120, 0)
    assert figures["1001"].scheduled == 5 * 360 and figures["2001"].scheduled == 4 * 360 + 240


def test_reimport_changes_nothing(school_db: Database, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "verzuim.xlsx", ROWS)
    import_absence_history(school_db, path)
    before = dump_database(school_db, skip=("auditlog",))
    again = run_import(school_db, "verzuim", path)
    assert again.created == {} and again.unchanged == {"registraties": 13}
    assert dump_database(school_db, skip=("auditlog",)) == before


def test_each_error_is_reported_and_nothing_changes(school_db: Database, tmp_path: Path) -> None:
    rows = ROWS + [
        ["9999", "03-11-2025", "1", "", "", "Z", "", ""],       # row 7: unknown pupil
        ["1001", "03-11-2025", "1", "", "", "QQ", "", ""],      # row 8: unknown reason
        ["1001", "04-11-2024", "1", "", "", "Z", "", ""],       # row 9: outside the school year
        ["1001", "03-11-2025", "7", "", "", "Z", "", ""],       # row 10: lesson 7 not on the timetable
        ["2001", "07-11-2025", "5", "", "", "Z", "", ""],       # row 11: Friday has four lessons for group 1/2
        ["1002", "03-11-2025", "1", "", "", "Z", 5, ""],        # row 12: late minutes with a sickness reason
        ["1002", "03-11-2025", "1", "", "", "T", "", ""],       # row 13: lateness without minutes
        ["1002", "08-11-2025", "", "", "", "Z", "", ""],        # row 14: Saturday
        ["1002", "03-11-2025", "", "16:00", "17:00", "Z", "", ""],  # row 15: after school
    ]
    path = write_xlsx(tmp_path / "verzuim.xlsx", rows)
    before = dump_database(school_db)
    with pytest.raises(ImportFailed) as info:
        import_absence_history(school_db, path)
    problems = info.value.problems
    expected = [
        "Rij 7: leerling '9999' is onbekend",
        "Rij 8: redencode 'QQ' is onbekend",
        "Rij 9: 04-11-2024 ligt buiten de schooljaren in de database.",
        "Rij 10: les 7 staat op 03-11-2025 niet op het rooster van Piet Jansen (lessen: 1, 2, 3, 4, 5, 6).",
        "Rij 11: les 5 staat op 07-11-2025 niet op het rooster van Noor Visser (lessen: 1, 2, 3, 4).",
        "Rij 12: minuten te laat horen bij een reden voor te laat komen, niet bij 'Z'",
        "Rij 13: geef bij 'T'",
        "Rij 14: Sanne van den Berg heeft op 08-11-2025 geen lessen op het rooster.",
        "Rij 15: 16:00-17:00 valt op 03-11-2025 buiten het rooster van Sanne van den Berg.",
    ]
    assert len(problems) == len(expected), problems
    for want, got in zip(expected, problems):
        assert got.startswith(want), (want, got)
    assert dump_database(school_db) == before


def test_missing_columns_and_enrolment(school_db: Database, tmp_path: Path) -> None:
    csv = tmp_path / "verzuim.csv"
    csv.write_text("Leerling;Lessen;Redencode\n1001;1;Z\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_absence_history(school_db, csv)
    assert info.value.problems == ["De kolom 'Datum' ontbreekt. Gevonden kolommen: 'Leerling', 'Lessen', 'Redencode'."]
    with school_db.transaction() as s:
        piet = s.exec(select(Pupil).where(Pupil.key == "1001")).one()
        piet.left_on = dt.date(2025, 10, 31)
        s.add(piet)
    csv.write_text("Leerling;Datum;Lessen;Redencode\n1001;03-11-2025;1;Z\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        import_absence_history(school_db, csv)
    assert info.value.problems == ["Rij 2: Piet Jansen was op 03-11-2025 al uitgeschreven."]
