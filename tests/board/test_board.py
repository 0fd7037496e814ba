"""A board with several schools in one PostgreSQL database (issue 14 point 4)."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.board.conftest import SCHOOLS, TODAY
from tests.conftest import TEST_PASSWORD
from verzuimdesk.model.board.access import authenticate_school
from verzuimdesk.model.board.overview import overview_for, school_figures
from verzuimdesk.model.board.registry import (
    add_school,
    create_board,
    create_board_account,
    grant,
    open_board,
    open_school,
    revoke,
    schools_of,
)
from verzuimdesk.model.db import head_revision, open_database
from verzuimdesk.model.errors import AccessDeniedError, DatabaseError, ValidationError
from verzuimdesk.model.law.signals import compute_signals
from verzuimdesk.model.register.figures import FiguresEngine
from verzuimdesk.model.register.tiers import tier_counts
from verzuimdesk.model.school.calendar import school_year_for
from verzuimdesk.model.school.records import get_school, save_pupil
from verzuimdesk.model.tables import Pupil
from verzuimdesk.model.tables.documents import AggregateDelivery
from verzuimdesk.model.tables.law import Melding
from verzuimdesk.reports.board import board_pdf, board_xlsx

CODES = [f"{brin}{vestiging}" for brin, vestiging, _name in SCHOOLS]


def test_schools_are_isolated_raw_sql_included(small_board: str) -> None:
    with open_school(small_board, CODES[0]) as a, a.transaction() as s:
        save_pupil(s, Pupil(key="999001", achternaam="Alleen-in-de-Eik", voornamen="Ada", roepnaam="Ada"))
    with open_school(small_board, CODES[0]) as a, a.session() as s:
        assert s.connection().exec_driver_sql("SELECT count(*) FROM pupil").scalar() == 21
        assert get_school(s).name == "De Eik"  # type: ignore[union-attr]
    with open_school(small_board, CODES[1]) as b, b.session() as s:
        conn = s.connection()
        assert conn.exec_driver_sql("SELECT count(*) FROM pupil").scalar() == 20
        assert conn.exec_driver_sql("SELECT count(*) FROM pupil WHERE achternaam = 'Alleen-in-de-Eik'").scalar() == 0
        assert get_school(s).name == "De Beuk"  # type: ignore[union-attr]
        # the other school's tables are not even visible by their plain names
        assert conn.exec_driver_sql("SELECT to_regclass('school_12ab00.pupil') IS NOT NULL").scalar()
        assert conn.exec_driver_sql("SELECT current_schemas(false)").scalar() == ["school_12ab01"]


def test_migrations_run_per_school(small_board: str) -> None:
    with sa.create_engine(small_board).connect() as conn:
        for code in CODES:
            version = conn.exec_driver_sql(f"SELECT version_num FROM school_{code.lower()}.alembic_version").scalar()
            assert version == head_revision()
        assert conn.exec_driver_sql("SELECT to_regclass('public.pupil')").scalar() is None
        assert conn.exec_driver_sql("SELECT to_regclass('public.alembic_version')").scalar() is None


def test_a_user_sees_only_granted_schools_and_is_refused_the_others(small_board: str) -> None:
    with open_board(small_board) as board:
        create_board_account(board, "juf", TEST_PASSWORD, full_name="Juf Ans")
        grant(board, "juf", CODES[0], "ib")
        grant(board, "juf", CODES[2], "bestuur")
        assert [(s.code, s.role, s.may_open) for s in schools_of(board, "juf")] == [
            (CODES[0], "ib", True), (CODES[2], "bestuur", False)]
        assert [s.code for s in schools_of(board, "bestuurder")] == CODES  # the bestuursbeheerder sees all
    with open_school(small_board, CODES[0]) as db, db.transaction() as s:
        result = authenticate_school(s, "juf", TEST_PASSWORD)
        assert result.actor is not None and result.actor.role == "ib" and result.actor.may("signalen")
    for code in CODES[1:]:  # not granted, or the overview only
        with open_school(small_board, code) as db, db.transaction() as s:
            with pytest.raises(AccessDeniedError, match="geen toegang tot school"):
                authenticate_school(s, "juf", TEST_PASSWORD)
    with open_school(small_board, CODES[0]) as db, db.transaction() as s:
        assert authenticate_school(s, "juf", "verkeerd-wachtwoord").actor is None
    with open_board(small_board) as board:
        assert revoke(board, "juf", CODES[0])
    with open_school(small_board, CODES[0]) as db, db.transaction() as s, pytest.raises(AccessDeniedError):
        authenticate_school(s, "juf", TEST_PASSWORD)


def test_overview_equals_the_single_school_functions(small_board: str) -> None:
    with open_school(small_board, CODES[1]) as db, db.transaction() as s:  # a delivery and a melding sent
        s.add(AggregateDelivery(period_label="2025-2026 t/m oktober", start_date=dt.date(2025, 8, 1),
                                end_date=dt.date(2025, 10, 31), format="xml", format_version="1",
                                exported_by="bestuurder", exported_at=dt.datetime(2025, 11, 1, 10)))  # fmt: skip
        pid = s.connection().exec_driver_sql("SELECT min(id) FROM pupil").scalar()
        for status in ("geregistreerd", "concept", "ingetrokken"):
            s.add(Melding(pupil_id=pid, kind="V3", begin_date=dt.date(2025, 9, 1), status=status,
                          created_at=dt.datetime(2025, 10, 1, 9)))  # fmt: skip
    rows = overview_for(small_board, "bestuurder", TODAY)
    assert [r.code for r in rows] == CODES
    for row in rows:
        with open_school(small_board, row.code) as db, db.session() as s:
            year = school_year_for(s, TODAY)
            assert year is not None
            tiers = tier_counts(s, TODAY)
            assert row.tiers == tiers.counts and sum(row.tiers.values()) == 20
            assert tiers.absent_pct == pytest.approx(row.absent_pct, abs=0.01)
            engine = FiguresEngine(s, year.start_date, TODAY)
            total = engine.total(engine.pupils_period().values())
            assert (row.authorised, row.unauthorised, row.net_scheduled) == (
                total.authorised, total.unauthorised, total.net_scheduled)
            assert row.open_mandatory == sum(1 for sig in compute_signals(s, TODAY) if sig.mandatory)
            assert row.pupils == 20
            assert row == school_figures(s, TODAY, code=row.code, name=row.name)
    assert (rows[1].aggregate_deliveries, rows[1].meldingen_sent) == (1, 1)
    assert (rows[0].aggregate_deliveries, rows[0].meldingen_sent) == (0, 0)
    assert len({(r.authorised, r.unauthorised) for r in rows}) == 3  # three different schools, not one thrice


def test_pdf_and_xlsx_hold_each_granted_school_and_no_pupil(small_board: str, tmp_path: Path) -> None:
    with open_board(small_board) as board:
        create_board_account(board, "wethouder", TEST_PASSWORD)
        grant(board, "wethouder", CODES[0], "bestuur")
        grant(board, "wethouder", CODES[2], "bestuur")
    rows = overview_for(small_board, "wethouder", TODAY)
    with open_school(small_board, CODES[0]) as db, db.session() as s:
        pupils = s.connection().exec_driver_sql("SELECT achternaam, bsn, key FROM pupil").all()
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(board_pdf(rows, TODAY))).pages)
    book = load_workbook(io.BytesIO(board_xlsx(rows, TODAY)))
    cells = [str(c) for row in book["Bestuursoverzicht"].iter_rows(values_only=True) for c in row]
    for text in (pdf_text, "\n".join(cells)):
        assert "De Eik" in text and "De Linde" in text and "De Beuk" not in text
        for name, bsn, key in pupils:
            assert name not in text and bsn not in text and key not in text
    assert "Bestuursoverzicht verzuim" in pdf_text and "Totaal bestuur" in pdf_text
    sheet = list(book["Bestuursoverzicht"].iter_rows(values_only=True))
    assert sheet[1][0] == "De Eik" and sheet[1][5] == 20 and sheet[1][9] == pytest.approx(rows[0].absent_pct / 100,
                                                                                          abs=1e-4)


def test_opening_a_board_asks_for_a_known_school(small_board: str, tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="Kies een school met --school.*12AB00, 12AB01, 34CD00"):
        open_database(small_board)
    with pytest.raises(DatabaseError, match="School 99ZZ00 hoort niet bij dit bestuur"):
        open_database(small_board, school="99ZZ00")
    with pytest.raises(DatabaseError, match="SQLite-bestand is altijd één school"):
        open_database(str(tmp_path / "een.sqlite"), school="12AB00")
    with open_database(small_board + "?school=12ab-01") as db:  # the URL parameter, any spelling
        assert db.school is not None and db.school.code == "12AB01"
    with pytest.raises(ValidationError, match="hoort al bij dit bestuur"):
        add_school(small_board, "12AB", "00", "Nogmaals De Eik")


def test_a_single_school_database_in_public_still_opens_and_joins_a_board(board_url: str) -> None:
    with open_database(board_url) as db:  # the database of one school, as before
        assert db.school is None
        with db.transaction() as s:
            from verzuimdesk.model.school.records import setup_school

            setup_school(s, "De Oude School", brin="56EF")
            save_pupil(s, Pupil(key="1", achternaam="Bestaand", voornamen="Bo", roepnaam="Bo"))
    with open_database(board_url) as db, db.session() as s:
        assert get_school(s).name == "De Oude School"  # type: ignore[union-attr]
    assert create_board(board_url, "bestuurder", TEST_PASSWORD) == ["56EF00"]
    add_school(board_url, "78GH", "00", "De Nieuwe School")
    with open_school(board_url, "56EF00") as db, db.session() as s:
        assert s.connection().exec_driver_sql("SELECT achternaam FROM pupil").scalars().all() == ["Bestaand"]
    with open_school(board_url, "78GH00") as db, db.session() as s:
        assert s.connection().exec_driver_sql("SELECT count(*) FROM pupil").scalar() == 0
        assert get_school(s).name == "De Nieuwe School"  # type: ignore[union-attr]
    with pytest.raises(ValidationError, match="al een bestuur"):
        create_board(board_url, "ander", TEST_PASSWORD)


def test_schools_side_by_side_give_the_same_overview(small_board: str, monkeypatch: pytest.MonkeyPatch) -> None:
    serial = overview_for(small_board, "bestuurder", TODAY, workers=1)
    assert overview_for(small_board, "bestuurder", TODAY, workers=2) == serial
    assert [r.code for r in serial] == CODES

    class Broken:  # a host program whose workers cannot start: the schools one after the other
        def __init__(self, **_kwargs: object) -> None:
            from concurrent.futures.process import BrokenProcessPool

            raise BrokenProcessPool("kapot")

    monkeypatch.setattr("verzuimdesk.model.board.overview.ProcessPoolExecutor", Broken)
    assert overview_for(small_board, "bestuurder", TODAY, workers=2) == serial
