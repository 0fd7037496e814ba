"""School set-up file (TOML): the shipped example, round trip, re-import, errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import select

from tests.helpers import dump_database
from verzuimdesk.imports import run_import
from verzuimdesk.imports.setup_file import export_setup_file, import_setup_file
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ImportFailed
from verzuimdesk.model.register.timetable import Schedule
from verzuimdesk.model.tables import DayOff, Group, LeerplichtContact, School, SchoolYear

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "voorbeeld-schoolinrichting.toml"


def test_example_sets_up_a_school_and_exports_identically(db: Database, tmp_path: Path) -> None:
    result = import_setup_file(db, EXAMPLE)
    assert result.created["school"] == 1 and result.created["groepen"] == 4
    out = export_setup_file(db, tmp_path / "terug.toml")
    assert out.read_text(encoding="utf-8") == EXAMPLE.read_text(encoding="utf-8")
    with db.session() as s:
        school = s.exec(select(School)).one()
        assert (school.name, school.brin, school.region, school.samenwerkingsverband) == (
            "Basisschool De Regenboog", "99ZZ", "midden", "SWV Voorbeeldregio PO")
        assert {c.gemeente for c in s.exec(select(LeerplichtContact)).all()} == {"Utrecht", "Houten"}
        assert [y.name for y in s.exec(select(SchoolYear)).all()] == ["2026-2027"]
        groups = {g.key: g for g in s.exec(select(Group)).all()}
        assert groups["plus"].composite
        # groups 1-4 are free on Friday afternoon: 4 lessons on a Friday, groups 5/6 keep 6
        friday = dt.date(2026, 10, 2)
        schedule = Schedule(s, friday, dt.date(2026, 10, 9), [])
        assert [les.number for les in schedule.group_lessons(groups["g12"].id, friday)] == [1, 2, 3, 4]
        assert [les.number for les in schedule.group_lessons(groups["g56"].id, friday)] == [1, 2, 3, 4, 5, 6]
        assert schedule.group_lessons(groups["g56"].id, dt.date(2026, 10, 9)) == ()  # studiedag
        assert schedule.group_lessons(groups["g34"].id, dt.date(2026, 10, 5))[-1].label == "gym"


def test_round_trip_restores_the_same_database(db: Database, tmp_path: Path) -> None:
    import_setup_file(db, EXAMPLE)
    with db.transaction() as s:  # the school moved its autumn holiday: the export must carry that
        year = s.exec(select(SchoolYear)).one()
        autumn = s.exec(select(DayOff).where(DayOff.school_year_id == year.id,
                                             DayOff.description == "Herfstvakantie")).one()
        autumn.date_from += dt.timedelta(days=7)
        autumn.date_to += dt.timedelta(days=7)
        s.add(autumn)
    first = export_setup_file(db, tmp_path / "een.toml")
    assert "[[schooljaren.vakanties]]" in first.read_text(encoding="utf-8")
    before = dump_database(db, skip=("auditlog",))
    result = run_import(db, "inrichting", first)
    assert result.created == {} and result.updated == {}
    assert dump_database(db, skip=("auditlog",)) == before
    second = export_setup_file(db, tmp_path / "twee.toml")
    assert second.read_text(encoding="utf-8") == first.read_text(encoding="utf-8")


def test_restore_into_an_empty_database_is_identical(db: Database, tmp_path: Path) -> None:
    from verzuimdesk.model.db import open_database

    import_setup_file(db, EXAMPLE)
    exported = export_setup_file(db, tmp_path / "a.toml")
    other = open_database(str(tmp_path / "other.sqlite"))
    try:
        import_setup_file(other, exported)
        assert export_setup_file(other, tmp_path / "b.toml").read_text() == exported.read_text()
        skip = ("auditlog",)
        assert dump_database(other, skip=skip) == dump_database(db, skip=skip)
    finally:
        other.close()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda t: t.replace('brin = "99ZZ"', 'brin = "12AB"'), "BRIN 12AB"),
        (lambda t: t.replace('"1 = 08:30-09:30"', '"1 = 08:30-07:30"', 1), "eindtijd"),
        (lambda t: t.replace('groepen = ["g12", "g34"]', 'groepen = ["g12", "g99"]'), "onbekende groep g99"),
        (lambda t: t.replace('weekdag = "vrijdag"', 'weekdag = "vrydag"'), "'vrydag' is geen weekdag"),
        (lambda t: t.replace('naam = "2026-2027"', 'naam = "2026-2028"'), "'2026-2028' is geen schooljaar"),
        (lambda t: t.replace("formaat = 1", "formaat = = 1"), "regel 5"),
    ],
    ids=["andere-brin", "les-eindtijd", "onbekende-groep", "weekdag", "schooljaar", "toml-fout"],
)
def test_errors_are_clear_and_change_nothing(school_db: Database, tmp_path: Path, change, expected) -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    if expected != "BRIN 12AB":
        text = text.replace('brin = "99ZZ"', 'brin = ""')  # school_db is 99ZZ; keep the BRIN check quiet
    path = tmp_path / "inrichting.toml"
    path.write_text(change(text), encoding="utf-8")
    before = dump_database(school_db)
    with pytest.raises(ImportFailed) as info:
        import_setup_file(school_db, path)
    assert any(expected in p for p in info.value.problems), info.value.problems
    assert dump_database(school_db) == before
