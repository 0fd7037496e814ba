"""EDEXML 2.x import: the public 2.1 sample, re-import, and broken files (all-or-nothing)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlmodel import select

from tests.conftest import EDEXML_SAMPLE
from tests.helpers import dump_database
from verzuimdesk.imports import run_import
from verzuimdesk.imports.edexml import import_edexml
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ImportFailed
from verzuimdesk.model.tables import AuditLog, Group, GroupMembership, Pupil, School, Vestiging

SAMPLE = EDEXML_SAMPLE
TODAY = dt.date(2026, 11, 23)


def _import(db: Database, path: Path = SAMPLE, **options: object):
    return import_edexml(db, path, today=TODAY, **options)  # type: ignore[arg-type]


def test_sample_imports_with_all_facts(db: Database) -> None:
    result = _import(db)
    assert result.created == {"school": 1, "vestigingen": 2, "groepen": 8, "leerlingen": 3, "lidmaatschappen": 3}
    with db.session() as s:
        school = s.exec(select(School)).one()
        assert (school.brin, school.vestiging) == ("99ZZ", "00")
        vestigingen = {v.key: v for v in s.exec(select(Vestiging)).all()}
        assert {k: v.name for k, v in vestigingen.items()} == {"VH": "Vestiging Huissen", "VB": "Vestiging Bemmel"}
        groups = {g.key: g for g in s.exec(select(Group)).all()}
        assert {k for k, g in groups.items() if g.composite} == {"sg1", "sg2", "sg3"}
        assert {k: g.jaargroep for k, g in groups.items() if not g.composite} == {
            "001": "0", "002": "1", "003": "1", "GRP4A": "4", "GRP4B": "4"}  # fmt: skip
        assert groups["GRP4B"].name == "4B"
        pupils = {p.key: p for p in s.exec(select(Pupil)).all()}
        assert set(pupils) == {"00001", "00002", "12345"}
        wimpie, assati, hof = pupils["00001"], pupils["00002"], pupils["12345"]
        # only a roepnaam
        assert (wimpie.roepnaam, wimpie.achternaam, wimpie.birth_date) == ("Wimpie", "", dt.date(2006, 6, 21))
        assert wimpie.vestiging_id == vestigingen["VH"].id and wimpie.left_on is None
        # invalid BSN in EDEXML: imported without it, with a warning
        assert (assati.achternaam, assati.voornamen, assati.bsn) == ("Assati", "Ismaël Hassan", "")
        assert assati.vestiging_id == vestigingen["VB"].id and assati.enrolled_on == dt.date(2013, 8, 25)
        assert any("00002" in w and "133456785" in w and "elfproef" in w for w in result.warnings)
        # left pupil with only the last four digits
        assert (hof.voorvoegsel, hof.achternaam, hof.roepnaam) == ("van 't", "Hof", "Gradje")
        assert hof.left_on == dt.date(2014, 7, 18) and hof.enrolled_on == dt.date(2010, 8, 19)
        assert (hof.bsn, hof.bsn_last4) == ("", "2731")
        assert any("12345" in w and "laatste vier cijfers" in w and "verzuimmelding" in w for w in result.warnings)
        memberships = s.exec(select(GroupMembership)).all()
        placed = {(m.pupil_id, groups_by_id(groups)[m.group_id], m.date_from, m.date_to) for m in memberships}
        start = dt.date(2026, 8, 1)  # start of the school year of TODAY
        assert placed == {(wimpie.id, "GRP4B", start, None), (wimpie.id, "sg1", start, None),
                          (wimpie.id, "sg2", start, None)}
        audits = s.exec(select(AuditLog)).all()
        assert [a.action for a in audits if a.action.startswith("import")] == ["import edexml"]
        assert sum(a.action == "leerling toegevoegd" for a in audits) == 3  # and every record field by field
    assert "leerlingen 3 nieuw" in result.summary()


def groups_by_id(groups: dict[str, Group]) -> dict[int | None, str]:
    return {g.id: k for k, g in groups.items()}


def test_membership_from_option_and_enrolment_date(db: Database, tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace(
        "<jaargroep>4</jaargroep>\n\t\t\t<vestiging key=\"VB\"/>",
        "<jaargroep>4</jaargroep>\n\t\t\t<groep key=\"GRP4A\"/>\n\t\t\t<vestiging key=\"VB\"/>")
    text = text.replace("<instroomdatum>2013-08-25</instroomdatum>", "<instroomdatum>2026-09-14</instroomdatum>")
    path = tmp_path / "edex.xml"
    path.write_text(text, encoding="utf-8")
    _import(db, path, membership_from=dt.date(2026, 9, 1))
    with db.session() as s:
        rows = s.exec(select(Pupil.key, Group.key, GroupMembership.date_from)
                      .join(GroupMembership, GroupMembership.pupil_id == Pupil.id)
                      .join(Group, Group.id == GroupMembership.group_id)).all()
    assert ("00002", "GRP4A", dt.date(2026, 9, 14)) in rows  # enrolled later than the option's date
    assert ("00001", "GRP4B", dt.date(2026, 9, 1)) in rows


def test_reimport_creates_nothing_and_updates_values(db: Database) -> None:
    _import(db)
    before = dump_database(db, skip=("auditlog",))
    again = _import(db)
    assert again.created == {}
    assert again.unchanged["leerlingen"] == 3 and again.unchanged["groepen"] == 8
    assert dump_database(db, skip=("auditlog",)) == before
    with db.transaction() as s:
        wimpie = s.exec(select(Pupil).where(Pupil.key == "00001")).one()
        wimpie.roepnaam = "Willem"
        wimpie.bsn = "111222333"  # typed in by the school: the file has no BSN for this pupil
        s.add(wimpie)
    third = run_import(db, "edexml", SAMPLE, today=TODAY)
    assert third.created == {} and third.updated == {"leerlingen": 1}
    assert third.changes == ["Leerling 00001 (Wimpie): roepnaam 'Willem' → 'Wimpie'"]
    with db.session() as s:
        wimpie = s.exec(select(Pupil).where(Pupil.key == "00001")).one()
        assert wimpie.roepnaam == "Wimpie" and wimpie.bsn == "111222333"
        assert len(s.exec(select(Pupil)).all()) == 3
        audits = [(a.action, a.detail) for a in s.exec(select(AuditLog).order_by(AuditLog.id)).all()
                  if a.action.startswith("import")]
        assert [a for a, _ in audits] == ["import edexml"] * 3 + ["import edexml: leerling gewijzigd"]
        assert audits[-1][1] == "Leerling 00001 (Wimpie): roepnaam 'Willem' → 'Wimpie'"


def _broken(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "kapot.xml"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda raw: raw[: len(raw) // 2], "onvolledig"),
        (lambda raw: raw.replace("Ismaël".encode(), "Ismaël".encode("latin-1")), "UTF-8"),
        (lambda raw: b"<?xml version='1.0'?><LEERLINGEN><leerling/></LEERLINGEN>", "geen EDEXML-bestand"),
        (lambda raw: b"", "leeg"),
        (lambda raw: raw.replace(b"<brincode>99ZZ", b"<brincode>12AB"), "BRIN 12AB"),
        (lambda raw: raw.replace(b'<groep key="GRP4B"/>', b'<groep key="GRP9"/>'), "groep 'GRP9'"),
    ],
    ids=["afgebroken", "geen-utf8", "ander-hoofdelement", "leeg", "andere-brin", "onbekende-groep"],
)
def test_broken_files_fail_clearly_and_change_nothing(school_db: Database, tmp_path: Path, make, expected) -> None:
    before = dump_database(school_db)
    path = _broken(tmp_path, make(SAMPLE.read_bytes()))
    with pytest.raises(ImportFailed) as info:
        _import(school_db, path)
    assert info.value.summary == "Het bestand is niet ingelezen; er is niets gewijzigd."
    assert any(expected in p for p in info.value.problems), info.value.problems
    assert dump_database(school_db) == before


def test_truncated_file_message_has_line_number(db: Database, tmp_path: Path) -> None:
    raw = SAMPLE.read_bytes()
    path = _broken(tmp_path, raw[: raw.index(b"<leerlingen>") + 40])
    with pytest.raises(ImportFailed) as info:
        _import(db, path)
    assert "regel" in info.value.problems[0] and "kapot.xml" in info.value.problems[0]
    assert dump_database(db)["pupil"] == []


def test_duplicate_pupil_keys_are_refused(db: Database, tmp_path: Path) -> None:
    raw = SAMPLE.read_bytes().replace(b'<leerling key="12345">', b'<leerling key="00002">')
    before = dump_database(db)
    with pytest.raises(ImportFailed) as info:
        _import(db, _broken(tmp_path, raw))
    assert any("00002 staat twee keer" in p and "nr. 2" in p and "nr. 3" in p for p in info.value.problems)
    assert dump_database(db) == before


def test_lenient_reading_any_schooljaar_and_unknown_elements(db: Database, tmp_path: Path) -> None:
    raw = SAMPLE.read_bytes().replace(b"<schooljaar>2014-2015", b"<schooljaar>2031-2032")
    raw = raw.replace(b"<roepnaam>Wimpie</roepnaam>", b"<roepnaam>Wimpie</roepnaam><nieuw_veld>x</nieuw_veld>")
    result = _import(db, _broken(tmp_path, raw))
    assert result.created["leerlingen"] == 3
