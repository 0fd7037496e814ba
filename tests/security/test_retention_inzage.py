"""Retention and purge (issue 11 point 3), inzage and deletion per pupil (point 4)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel, select

from tests.builders import SmallSchool, build_small_school
from tests.helpers import dump_database
from verzuimdesk.model.audit import REDACTED, verify_trail
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.dossier import add_contact
from verzuimdesk.model.register.entries import register_lesson
from verzuimdesk.model.security.inzage import delete_pupil_on_request, inzage_export_data, retention_applies
from verzuimdesk.model.security.pupil_data import count_rows, pupil_tables
from verzuimdesk.model.security.retention import due_for_removal, purge
from verzuimdesk.model.store import set_setting
from verzuimdesk.model.tables import AbsenceEntry, AuditLog, Pupil
from verzuimdesk.model.tables.documents import AggregateDelivery
from verzuimdesk.model.tables.law import ContactMoment
from verzuimdesk.reports.inzage import inzage_pdf, inzage_zip

TODAY = dt.date(2025, 11, 21)
MONDAY = dt.date(2025, 11, 3)


@pytest.fixture
def school(sqlite_db: Database) -> SmallSchool:
    """Noor left in 2019 (due after 5 years), Piet left in 2024 (not yet); both have registrations and a contact;
    a DUO delivery was made."""
    school = build_small_school(sqlite_db)
    noor, piet = school.pupils["2001"], school.pupils["1001"]
    with sqlite_db.transaction() as s:
        for pid in (noor, piet):
            register_lesson(s, pid, MONDAY, 1, "Z", by="test")
            register_lesson(s, pid, MONDAY, 2, "O", by="test")
            add_contact(s, pid, MONDAY, "gesprek", by="test", summary="=1+1 verzuim besproken")
        s.get_one(Pupil, noor).left_on = dt.date(2019, 7, 31)
        s.get_one(Pupil, piet).left_on = dt.date(2024, 7, 31)
        s.add(AggregateDelivery(period_label="2024-2025 kwartaal 1", start_date=dt.date(2024, 8, 1),
                                end_date=dt.date(2024, 10, 31), format="xml", format_version="0.1", exported_by="x",
                                exported_at=dt.datetime(2024, 11, 5)))  # fmt: skip
    return school


def test_every_table_with_a_pupil_link_is_covered() -> None:
    covered = {t.name for t in pupil_tables()}
    with_pupil_column = {t.name for t in SQLModel.metadata.sorted_tables if "pupil_id" in t.c}
    # The audit trail is not deleted but erased line by line (its chain stays; docs/security.md, "What stays").
    assert with_pupil_column - {"auditlog"} <= covered and "auditlog" not in covered and {"meldingday", "meldingexport", "deviationwindow"} <= covered


def test_due_list_follows_the_retention_setting(school: SmallSchool, sqlite_db: Database) -> None:
    with sqlite_db.session() as s:
        due = due_for_removal(s, TODAY)
    assert [d.key for d in due] == ["2001"] and due[0].due_since == dt.date(2024, 7, 31)
    assert due[0].counts["absenceentry"] == 2 and due[0].counts["contactmoment"] == 1
    assert "registraties 2" in due[0].summary
    with sqlite_db.transaction() as s:
        set_setting(s, "bewaartermijn_jaren", "7")
    with sqlite_db.session() as s:
        assert due_for_removal(s, TODAY) == []


def test_purge_removes_the_due_pupil_and_keeps_the_rest(school: SmallSchool, sqlite_db: Database) -> None:
    noor, piet = school.pupils["2001"], school.pupils["1001"]
    with sqlite_db.session() as s:
        piet_before = count_rows(s, [piet])
    with sqlite_db.transaction() as s:
        counts = purge(s, [noor], TODAY)
    assert counts["pupil"] == 1 and counts["absenceentry"] == 2
    with sqlite_db.session() as s:
        assert s.get(Pupil, noor) is None and count_rows(s, [noor]) == {}
        assert count_rows(s, [piet]) == piet_before  # the others are untouched
        assert len(s.exec(select(AggregateDelivery)).all()) == 1  # deliveries already made stay
        line = s.exec(select(AuditLog).where(AuditLog.action == "opgeschoond na bewaartermijn")).one()
    assert "1 leerling," in line.detail and "registraties 2" in line.detail and "logboekregels gewist" in line.detail
    assert "Visser" not in line.detail and "Noor" not in line.detail and "2001" not in line.detail  # counts only


def _trail_text(db: Database, pupil_id: int) -> str:
    with db.session() as s:
        lines = s.exec(select(AuditLog).where(AuditLog.pupil_id == pupil_id)).all()
    return " ".join(f"{x.detail} {x.old_value} {x.new_value} {x.reason}" for x in lines)


def test_purge_erases_the_pupils_lines_in_the_trail_and_the_chain_still_verifies(
        school: SmallSchool, sqlite_db: Database) -> None:
    noor, piet = school.pupils["2001"], school.pupils["1001"]
    assert "Noor" in _trail_text(sqlite_db, noor) and "verzuim besproken" in _trail_text(sqlite_db, noor)
    piet_text = _trail_text(sqlite_db, piet)
    with sqlite_db.transaction() as s:
        purge(s, [noor], TODAY)
    with sqlite_db.session() as s:
        noor_lines = s.exec(select(AuditLog).where(AuditLog.pupil_id == noor)).all()
        check = verify_trail(s)
    assert noor_lines and all(x.redacted and x.old_value == x.new_value == "" for x in noor_lines)
    assert "Noor" not in _trail_text(sqlite_db, noor) and "verzuim besproken" not in _trail_text(sqlite_db, noor)
    assert _trail_text(sqlite_db, piet) == piet_text  # another pupil's lines are untouched
    assert check.intact and check.redacted == len(noor_lines)


def test_after_a_purge_the_file_holds_no_trace_of_the_pupil(school: SmallSchool, sqlite_db: Database) -> None:
    """secure_delete: the removed rows are overwritten, not left readable in the file's free pages."""
    path = Path(sqlite_db.url.removeprefix("sqlite:///"))
    with sqlite_db.session() as s:
        noor = s.get_one(Pupil, school.pupils["2001"])
        marks = [m.encode() for m in (noor.achternaam, noor.voornamen, noor.bsn) if m]
    with sqlite_db.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    assert all(m in path.read_bytes() for m in marks)  # the control: the names are in the file before
    with sqlite_db.transaction() as s:
        purge(s, [school.pupils["2001"]], TODAY)
    with sqlite_db.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = path.read_bytes() + path.with_name(path.name + "-wal").read_bytes()
    assert not any(m in raw for m in marks)


def test_the_database_allows_erasure_only_for_a_removed_pupil(school: SmallSchool, sqlite_db: Database) -> None:
    """The trigger (migration 0014): a living pupil's line cannot be erased, no line can be rewritten otherwise."""
    piet = school.pupils["1001"]
    before = dump_database(sqlite_db)
    for change in ({"detail": REDACTED, "old_value": "", "new_value": "", "reason": "", "redacted": True},
                   {"detail": "iets anders"}):
        with pytest.raises(DBAPIError, match="alleen worden aangevuld"):
            with sqlite_db.transaction() as s:
                s.connection().execute(sa.update(AuditLog.__table__).where(  # type: ignore[attr-defined]
                    AuditLog.__table__.c.pupil_id == piet).values(**change))  # type: ignore[attr-defined]
    assert dump_database(sqlite_db) == before
    with sqlite_db.transaction() as s:
        purge(s, [school.pupils["2001"]], TODAY)
    with pytest.raises(DBAPIError, match="alleen worden aangevuld"):  # an erased line stays erased
        with sqlite_db.transaction() as s:
            s.connection().execute(sa.update(AuditLog.__table__).where(  # type: ignore[attr-defined]
                AuditLog.__table__.c.pupil_id == school.pupils["2001"]).values(detail="terug"))  # type: ignore[attr-defined]


def test_purge_refuses_a_pupil_who_is_not_due(school: SmallSchool, sqlite_db: Database) -> None:
    before = dump_database(sqlite_db)
    with pytest.raises(ValidationError, match="nog niet aan de beurt"):
        with sqlite_db.transaction() as s:
            purge(s, [school.pupils["2001"], school.pupils["1001"]], TODAY)
    assert dump_database(sqlite_db) == before


def test_inzage_export_holds_everything_on_the_pupil_and_is_audited(school: SmallSchool, sqlite_db: Database) -> None:
    piet = school.pupils["1001"]
    with sqlite_db.transaction() as s:
        data = inzage_export_data(s, piet, TODAY)
    archive = zipfile.ZipFile(io.BytesIO(inzage_zip(data)))
    names = set(archive.namelist())
    assert {"inzage.pdf", "gegevens.json", "pupil.csv", "absenceentry.csv", "contactmoment.csv",
            "groupmembership.csv"} <= names
    payload = json.loads(archive.read("gegevens.json"))
    assert payload["tabellen"]["pupil"][0]["bsn"] == "111222333"
    with sqlite_db.session() as s:
        stored = len(s.exec(select(AbsenceEntry).where(AbsenceEntry.pupil_id == piet)).all())
        audit_line = s.exec(select(AuditLog).where(AuditLog.action.startswith("inzage-export"))).one()  # type: ignore[attr-defined]
    assert len(payload["tabellen"]["absenceentry"]) == stored == 2
    assert "'=1+1 verzuim besproken" in archive.read("contactmoment.csv").decode()  # no formula in a spreadsheet
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read("inzage.pdf"))).pages)
    assert "Piet" in text and "Z – Ziek" in text and "111222333" in text and "Groep 5" in text
    assert "Visser" not in text and "Sanne" not in json.dumps(payload)  # nobody else's data
    assert "leerling 1001" in audit_line.detail and "registraties 2" in audit_line.detail


def test_inzage_pdf_is_a4(school: SmallSchool, sqlite_db: Database) -> None:
    with sqlite_db.transaction() as s:
        data = inzage_export_data(s, school.pupils["1001"], TODAY)
    page = PdfReader(io.BytesIO(inzage_pdf(data))).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)


def test_deletion_on_request_warns_while_retention_runs(school: SmallSchool, sqlite_db: Database) -> None:
    sanne, piet = school.pupils["1002"], school.pupils["1001"]
    with sqlite_db.session() as s:
        assert "staat nog ingeschreven" in retention_applies(s, sanne, TODAY)
        assert "loopt tot 31 juli 2029" in retention_applies(s, piet, TODAY)
        assert retention_applies(s, school.pupils["2001"], TODAY) == ""
    before = dump_database(sqlite_db)
    with pytest.raises(ValidationError, match="Er geldt nog een bewaartermijn"):
        with sqlite_db.transaction() as s:
            delete_pupil_on_request(s, piet, TODAY)
    with pytest.raises(ValidationError, match="Geef de reden"):
        with sqlite_db.transaction() as s:
            delete_pupil_on_request(s, piet, TODAY, despite_retention=True)
    assert dump_database(sqlite_db) == before
    with sqlite_db.transaction() as s:
        delete_pupil_on_request(s, piet, TODAY, despite_retention=True, reason="onjuist ingeschreven leerling")
    with sqlite_db.session() as s:
        assert s.get(Pupil, piet) is None
        assert s.exec(select(ContactMoment).where(ContactMoment.pupil_id == piet)).all() == []
        line = s.exec(select(AuditLog).where(AuditLog.action.startswith("verwijderd op verzoek"))).one()  # type: ignore[attr-defined]
    assert "binnen de bewaartermijn, reden: onjuist ingeschreven leerling" in line.detail
    assert "logboekregels gewist" in line.detail and "verzuim besproken" not in _trail_text(sqlite_db, piet)
    with sqlite_db.transaction() as s:  # after the retention period: no override needed
        delete_pupil_on_request(s, school.pupils["2001"], TODAY)
