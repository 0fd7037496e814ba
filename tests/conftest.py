"""Shared fixtures: every test gets a fresh database made by the production ``open_database``.

Tests that use the ``db`` fixture run on SQLite, and also on PostgreSQL when
``VERZUIMDESK_TEST_PG_URL`` is set (CI starts a real server), so nothing SQLite-only creeps into the
model and the imports. ``sqlite_db`` is SQLite only (GUI tests).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# New SQLite files in the tests are plain unless a test asks for encryption (tests/security/test_encryption*.py
# take this away with monkeypatch): it keeps the suite's time; the product path encrypts (model/keyfile.py).
os.environ["VERZUIMDESK_VERSLEUTELEN"] = "nee"

from verzuimdesk.demo.accounts import DEMO_PASSWORD
from verzuimdesk.model.db import Database, open_database  # noqa: E402

PG_URL = os.environ.get("VERZUIMDESK_TEST_PG_URL", "")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The official EDEXML 2.1 sample of Edustandaard (versie 2017-02-17), unchanged.
EDEXML_SAMPLE = FIXTURES / "edexml" / "EDEXML.Voorbeeld.2.1.xml"


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db_backend" in metafunc.fixturenames:
        backends = ["sqlite"] + (["postgres"] if PG_URL else [])
        metafunc.parametrize("db_backend", backends)


def _reset_postgres(url: str) -> None:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


@pytest.fixture
def db(db_backend: str, tmp_path: Path) -> Iterator[Database]:
    """A fresh, empty, migrated database (SQLite file, and PostgreSQL when configured)."""
    if db_backend == "postgres":
        _reset_postgres(PG_URL)
        database = open_database(PG_URL)
    else:
        database = open_database(str(tmp_path / "test.sqlite"))
    yield database
    database.close()


@pytest.fixture(autouse=True)
def _no_modal_database_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A conflict or lost-connection dialog (ui/context.py, issue 14) that a test did not ask for fails the test
    instead of waiting forever for a click offscreen."""
    def unexpected(_self: object, what: object) -> bool:
        raise AssertionError(f"onverwachte dialoog: {what}")

    context = sys.modules.get("verzuimdesk.ui.context")  # loaded by every test module of a screen
    if context is not None:
        monkeypatch.setattr(context.AppContext, "_show_conflict_dialog", unexpected)
        monkeypatch.setattr(context.AppContext, "_ask_retry_dialog", unexpected)


@pytest.fixture
def sqlite_db(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "test.sqlite"))
    yield database
    database.close()


@pytest.fixture
def school_db(db: Database) -> Database:
    """The small hand-built school of tests/builders.py on a fresh database."""
    from tests.builders import build_small_school

    build_small_school(db)
    return db


@pytest.fixture
def today() -> dt.date:
    return dt.date(2025, 11, 3)


# Every command-line call in the tests logs in as the beheerder with this password (cli/login.py); on a database
# without accounts the first call creates that beheerder, as a real first start does. It is the demo school's
# password too, so the same calls work on a demo database (its beheerder is "beheerder").
TEST_PASSWORD = DEMO_PASSWORD
os.environ["VERZUIMDESK_WACHTWOORD"] = TEST_PASSWORD
os.environ.pop("VERZUIMDESK_GEBRUIKER", None)
