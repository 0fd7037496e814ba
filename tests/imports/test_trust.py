"""Issue 10, "nothing lost, nothing overwritten": an import never changes another child, never rewrites
history, and refuses what it cannot read before parsing it, or rolls back when the user cancels."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import select

from tests.conftest import EDEXML_SAMPLE
from tests.helpers import dump_database
from verzuimdesk.imports import guard, run_import
from verzuimdesk.imports.absence_history import import_absence_history
from verzuimdesk.imports.guard import ImportCancelled
from verzuimdesk.imports.setup_file import import_setup_file
from verzuimdesk.imports.spreadsheet import import_pupils
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ImportFailed
from verzuimdesk.model.register.timetable import Schedule
from verzuimdesk.model.tables import AuditLog, Group, Lesson, Pupil

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "voorbeeld-schoolinrichting.toml"
HEADER = "Leerlingnummer;Achternaam;Roepnaam;Geboortedatum;BSN;Onderwijsnummer;Groep;Datum inschrijving"


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def refused(db: Database, kind: str, path: Path, **options: object) -> list[str]:
    before = dump_database(db)
    with pytest.raises(ImportFailed) as info:
        run_import(db, kind, path, **options)
    assert dump_database(db) == before
    return info.value.problems


# ------------------------------------------------------------------------- 1. never another child


def test_a_new_key_with_the_bsn_of_another_pupil_names_both(school_db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", HEADER, "5001;Smit;Anna;03-02-2017;111222333;;Groep 5;01-09-2025")
    assert refused(school_db, "leerlingen", path) == [
        "Rij 2: leerling 5001 (Anna Smit) is nieuw, maar het BSN 111222333 hoort al bij leerling 1001 (Piet "
        "Jansen). Een import wijzigt nooit een andere leerling: controleer het leerlingnummer en het BSN."]
    with school_db.session() as s:  # Piet is untouched (before issue 10 he was silently renamed to Anna)
        assert s.exec(select(Pupil).where(Pupil.key == "1001")).one().roepnaam == "Piet"


def test_an_onderwijsnummer_of_another_pupil_is_refused_too(school_db: Database, tmp_path: Path) -> None:
    with school_db.transaction() as s:
        sanne = s.exec(select(Pupil).where(Pupil.key == "1002")).one()
        sanne.onderwijsnummer = "101222331"
        s.add(sanne)
    path = write(tmp_path / "l.csv", HEADER, "1003;Yılmaz;Emre;30-11-2015;;101222331;Groep 5;01-08-2020")
    problems = refused(school_db, "leerlingen", path)
    assert len(problems) == 1
    assert "onderwijsnummer 101222331" in problems[0] and "1003" in problems[0] and "1002" in problems[0]
    assert "Sanne van den Berg" in problems[0]


def test_edexml_pupil_with_the_bsn_of_another_pupil_is_refused(school_db: Database, tmp_path: Path) -> None:
    text = EDEXML_SAMPLE.read_text(encoding="utf-8").replace(
        "<roepnaam>Wimpie</roepnaam>", "<roepnaam>Wimpie</roepnaam><bsn>111222333</bsn>")
    problems = refused(school_db, "edexml", write(tmp_path / "e.xml", text))
    assert problems == ["Leerling 00001: deze leerling (Wimpie) is nieuw, maar het BSN 111222333 hoort al bij "
                        "leerling 1001 (Piet Jansen). Een import wijzigt nooit een andere leerling: controleer het "
                        "leerlingnummer en het BSN."]


def test_changes_to_a_pupil_are_listed_old_to_new_and_audited(school_db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "l.csv", HEADER, "1001;Jansen;Pieter;02-03-2016;;;Groep 5;01-09-2025",
                 "1002;Berg;Sanne;12-05-2016;;;Groep 5;01-08-2020")
    result = import_pupils(school_db, path, today=dt.date(2025, 11, 3))
    change = ("Leerling 1001 (Pieter Jansen): roepnaam 'Piet' → 'Pieter'; geboortedatum 01-03-2016 → "
              "02-03-2016; datum van inschrijving 01-08-2020 → 01-09-2025")
    assert result.changes == [change]  # no Tussenvoegsel column: Sanne's "van den" is not touched
    assert change in result.report_text()
    with school_db.session() as s:
        rows = s.exec(select(AuditLog).where(AuditLog.action == "import leerlingen: leerling gewijzigd")).all()
        assert [r.detail for r in rows] == result.changes


# -------------------------------------------------------------------------- 2. never rewrite history


def _friday_end(db: Database, day: dt.date) -> int:
    with db.session() as s:
        g12 = s.exec(select(Group).where(Group.key == "g12")).one()
        return Schedule(s, day, day, []).group_lessons(g12.id, day)[-1].end


def test_a_changed_timetable_applies_from_today_and_the_past_keeps_its_own(db: Database, tmp_path: Path) -> None:
    import_setup_file(db, EXAMPLE, today=dt.date(2026, 9, 1))
    text = EXAMPLE.read_text(encoding="utf-8")
    g12_friday = text.index("vrijdag = [")  # the first vrijdag is group 1/2's
    changed = text[:g12_friday] + text[g12_friday:].replace('"4 = 11:45-12:30"', '"4 = 11:45-12:15"', 1)
    path = write(tmp_path / "nieuw.toml", changed)
    result = import_setup_file(db, path, today=dt.date(2026, 11, 2))
    assert result.updated == {"roosters": 1} and result.warnings == []
    assert _friday_end(db, dt.date(2026, 10, 2)) == 12 * 60 + 30  # before 2 November: the old timetable
    assert _friday_end(db, dt.date(2026, 11, 6)) == 12 * 60 + 15  # from 2 November: the new one
    before = dump_database(db, skip=("auditlog",))
    again = import_setup_file(db, path, today=dt.date(2026, 11, 20))  # the same file later: nothing to do
    assert again.updated == {} and again.unchanged["roosters"] == 4
    assert dump_database(db, skip=("auditlog",)) == before


def test_geldig_vanaf_chooses_the_date_and_a_past_one_is_warned(db: Database, tmp_path: Path) -> None:
    import_setup_file(db, EXAMPLE, today=dt.date(2026, 9, 1))
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "[[groepen.roosters]]\n", "[[groepen.roosters]]\ngeldig_vanaf = 2026-09-14\n", 1).replace(
        '"4 = 11:45-12:30"', '"4 = 11:45-12:15"', 5)
    result = import_setup_file(db, write(tmp_path / "x.toml", text), today=dt.date(2026, 10, 1))
    assert result.updated == {"roosters": 1}
    assert result.warnings == ["Groep 'Groep 1/2': het rooster is vervangen met ingang van 14-09-2026, een datum "
                               "in het verleden; de cijfers vanaf die datum worden met het nieuwe rooster berekend."]
    with db.session() as s:
        g12 = s.exec(select(Group).where(Group.key == "g12")).one()
        versions = {(x.valid_from, x.valid_to) for x in s.exec(select(Lesson).where(Lesson.group_id == g12.id))}
    assert versions == {(None, dt.date(2026, 9, 13)), (dt.date(2026, 9, 14), None)}


def test_a_group_change_starts_today_and_the_past_keeps_its_group(school_db: Database, tmp_path: Path) -> None:
    from verzuimdesk.model.tables import GroupMembership

    path = write(tmp_path / "l.csv", "Leerlingnummer;Achternaam;Roepnaam;Groep", "1001;Jansen;Piet;Groep 1/2")
    result = import_pupils(school_db, path, today=dt.date(2025, 11, 3))
    assert result.changes == ["Leerling 1001 (Piet Jansen): groep 'Groep 5' → 'Groep 1/2' vanaf 03-11-2025"]
    with school_db.session() as s:
        piet = s.exec(select(Pupil).where(Pupil.key == "1001")).one()
        rows = s.exec(select(Group.key, GroupMembership.date_from, GroupMembership.date_to)
                      .join(GroupMembership, GroupMembership.group_id == Group.id)
                      .where(GroupMembership.pupil_id == piet.id).order_by(GroupMembership.date_from)).all()
    # not from the start of the school year: September and October keep group 5 and its timetable
    assert [tuple(r) for r in rows] == [("g5", dt.date(2025, 8, 1), dt.date(2025, 11, 2)),
                                        ("g12", dt.date(2025, 11, 3), None)]


def test_stamgroep_with_pupils_does_not_become_composite(school_db: Database, tmp_path: Path) -> None:
    path = write(tmp_path / "g.csv", "Sleutel;Groep;Samengesteld", "g5;Groep 5;ja")
    assert refused(school_db, "groepen", path) == [
        "Rij 2: de groep 'Groep 5' is een stamgroep met 3 plaatsingen en kan geen samengestelde groep worden. "
        "Geef de samengestelde groep een eigen sleutel."]


def test_repeated_absence_rows_count_once_and_conflicting_rows_name_both(school_db: Database, tmp_path: Path) -> None:
    head = "Leerling;Datum;Lessen;Redencode;Opmerking"
    same = write(tmp_path / "v.csv", head, "1001;03-11-2025;1-3;Z;koorts", "1001;03-11-2025;1-3;Z;koorts")
    result = import_absence_history(school_db, same)
    assert result.created == {"registraties": 3}  # true counts: three lessons, not six
    assert result.warnings == ["Rij 3 herhaalt rij 2 (Piet Jansen, 03-11-2025); wat dubbel staat, is één keer "
                               "geteld."]
    clash = write(tmp_path / "w.csv", head, "1002;04-11-2025;2;Z;", "1003;04-11-2025;2;Z;", "1002;04-11-2025;1-2;O;")
    assert refused(school_db, "verzuim", clash) == [
        "Rij 2 en rij 4: twee verschillende registraties voor Sanne van den Berg op 04-11-2025, les 2 ('Z' en "
        "'O'). Houd één van beide rijen over."]


# ------------------------------------------------------------ 3. limits before parsing, and cancel


VALID = {
    "edexml": lambda tmp: EDEXML_SAMPLE,
    "leerlingen": lambda tmp: write(tmp / "l.csv", HEADER, "5001;Smit;Anna;03-02-2017;;;Groep 5;01-09-2025"),
    "groepen": lambda tmp: write(tmp / "g.csv", "Sleutel;Groep;Jaargroep", "g7;Groep 7;7"),
    "inrichting": lambda tmp: EXAMPLE,
    "verzuim": lambda tmp: write(tmp / "v.csv", "Leerling;Datum;Lessen;Redencode", "1001;03-11-2025;1-3;Z"),
}


@pytest.mark.parametrize("kind", list(VALID))
def test_a_file_over_the_size_limit_is_refused_before_parsing(kind, school_db, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(guard, "MAX_FILE_BYTES", 10)
    problems = refused(school_db, kind, VALID[kind](tmp_path))
    assert len(problems) == 1 and "verzuimdesk leest bestanden tot 0 MB" in problems[0]


@pytest.mark.parametrize("kind", list(VALID))
def test_annuleren_rolls_the_whole_import_back(kind, school_db, tmp_path) -> None:
    calls: list[tuple[int, int]] = []

    def cancel_at_the_end(done: int, total: int) -> None:
        calls.append((done, total))
        if done == total and done > 0:  # every row has been written inside the transaction by now
            raise ImportCancelled()

    before = dump_database(school_db)
    with pytest.raises(ImportCancelled) as info:
        run_import(school_db, kind, VALID[kind](tmp_path), progress=cancel_at_the_end)
    assert str(info.value) == "Het inlezen is afgebroken; er is niets gewijzigd."
    assert calls[0][0] == 0 and calls[-1][0] == calls[-1][1] > 0
    assert dump_database(school_db) == before


def test_an_xlsx_that_unpacks_too_large_or_too_many_rows_is_refused(school_db, tmp_path, monkeypatch) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Sleutel", "Groep"])
    for i in range(30):
        ws.append([f"x{i}", f"Groep x{i}"])
    wb.save(tmp_path / "g.xlsx")
    monkeypatch.setattr("verzuimdesk.imports.tables.MAX_UNZIPPED_BYTES", 1000)
    assert "pakt uit tot meer dan" in refused(school_db, "groepen", tmp_path / "g.xlsx")[0]
    monkeypatch.setattr("verzuimdesk.imports.tables.MAX_UNZIPPED_BYTES", 10**9)
    monkeypatch.setattr("verzuimdesk.imports.tables.MAX_ROWS", 20)
    assert "meer dan 20 regels" in refused(school_db, "groepen", tmp_path / "g.xlsx")[0]


def test_command_line_lists_every_problem_and_ctrl_c_writes_nothing(school_db, tmp_path, capsys, monkeypatch) -> None:
    from verzuimdesk.cli.main import main

    url = school_db.url
    school_db.close()  # the command opens the database itself
    rows = [f"{9000 + i};03-11-2025;1;Z" for i in range(60)]
    bad = write(tmp_path / "v.csv", "Leerling;Datum;Lessen;Redencode", *rows)
    assert main(["--database", url, "import", "verzuim", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "Fouten (60):" in err and "'9059'" in err and "Traceback" not in err

    def ctrl_c(self: guard.Progress) -> None:
        raise KeyboardInterrupt

    good = VALID["leerlingen"](tmp_path)
    monkeypatch.setattr(guard.Progress, "step", ctrl_c)
    assert main(["--database", url, "import", "leerlingen", str(good)]) == 130
    assert capsys.readouterr().err.strip() == "Het inlezen is afgebroken; er is niets gewijzigd."
    monkeypatch.undo()
    from verzuimdesk.model.db import open_database

    again = open_database(url)
    try:
        with again.session() as s:
            assert s.exec(select(Pupil).where(Pupil.key == "5001")).first() is None
    finally:
        again.close()
