"""The board at the size the issue names (issue 14 point 4): 10 schools × 500 pupils × 3 school years in one
PostgreSQL database. One build (about half a minute), then what a board relies on at that size: each school's
data in its own schema and nowhere else, a user sees only the schools granted to them, the overview has every
school with its own figures (one of them checked against the school's own functions), and the PDF and the
spreadsheet hold the schools and no pupil."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.board.conftest import TODAY, build_school
from tests.conftest import TEST_PASSWORD
from verzuimdesk.model.board.access import authenticate_school
from verzuimdesk.model.board.overview import overview_for, school_figures
from verzuimdesk.model.board.registry import create_board, create_board_account, grant, open_board, open_school, \
    schools_of
from verzuimdesk.model.errors import AccessDeniedError
from verzuimdesk.reports.board import board_pdf, board_xlsx

SCHOOLS = [(f"{10 + n}BB", "00", f"School {n + 1:02d}") for n in range(10)]
CODES = [brin + vestiging for brin, vestiging, _name in SCHOOLS]


def test_a_board_of_ten_schools_of_500_pupils_over_three_school_years(board_url: str) -> None:
    create_board(board_url, "bestuurder", TEST_PASSWORD)
    for seed, (brin, vestiging, name) in enumerate(SCHOOLS, start=1):
        build_school(board_url, brin, vestiging, name, pupils=500, years=3, today=TODAY, seed=seed)

    # every school's rows live in its own schema; the same table elsewhere holds the other school's pupils only
    engine = sa.create_engine(board_url)
    try:
        with engine.connect() as conn:
            schemas = conn.execute(sa.text("SELECT schema_name FROM bestuur.school ORDER BY code")).scalars().all()
            counts = [conn.execute(sa.text(f'SELECT count(*) FROM "{schema}".pupil')).scalar() for schema in schemas]
            years = {conn.execute(sa.text(f'SELECT count(*) FROM "{schema}".schoolyear')).scalar()
                     for schema in schemas}  # fmt: skip
    finally:
        engine.dispose()
    assert len(schemas) == 10 and counts == [500] * 10 and years == {3}
    with open_school(board_url, CODES[3]) as db, db.session() as s:  # a school sees its own 500, not 5,000
        assert s.connection().exec_driver_sql("SELECT count(*) FROM pupil").scalar() == 500

    # a user granted three schools sees those three and is refused the seven others
    with open_board(board_url) as board:
        create_board_account(board, "directeur", TEST_PASSWORD)
        grant(board, "directeur", CODES[0], "beheerder")
        grant(board, "directeur", CODES[4], "ib")
        grant(board, "directeur", CODES[9], "bestuur")
        assert [s.code for s in schools_of(board, "directeur")] == [CODES[0], CODES[4], CODES[9]]
    for code in (CODES[1], CODES[5]):
        with open_school(board_url, code) as db, db.transaction() as s, pytest.raises(AccessDeniedError):
            authenticate_school(s, "directeur", TEST_PASSWORD)
    assert [r.code for r in overview_for(board_url, "directeur", TODAY)] == [CODES[0], CODES[4], CODES[9]]

    # the bestuursbeheerder's overview: ten schools, each its own figures; one equals the school's own functions
    rows = overview_for(board_url, "bestuurder", TODAY)
    assert [r.code for r in rows] == CODES and [r.pupils for r in rows] == [500] * 10
    assert len({(r.authorised, r.unauthorised) for r in rows}) == 10  # ten schools, not one ten times
    assert all(sum(r.tiers.values()) == 500 for r in rows)
    with open_school(board_url, CODES[7]) as db, db.session() as s:
        assert rows[7] == school_figures(s, TODAY, code=CODES[7], name=SCHOOLS[7][2])

    # the PDF and the spreadsheet name every school and no pupil of any
    with open_school(board_url, CODES[2]) as db, db.session() as s:
        pupils = s.connection().exec_driver_sql("SELECT achternaam, bsn FROM pupil LIMIT 50").all()
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(board_pdf(rows, TODAY))).pages)
    book = load_workbook(io.BytesIO(board_xlsx(rows, TODAY)))
    cells = "\n".join(str(c) for row in book["Bestuursoverzicht"].iter_rows(values_only=True) for c in row)
    assert "Totaal bestuur" in pdf_text
    for text in (pdf_text, cells):
        assert all(name in text for _brin, _vestiging, name in SCHOOLS)
        for surname, bsn in pupils:
            assert bsn not in text and f" {surname} " not in f" {text} "
