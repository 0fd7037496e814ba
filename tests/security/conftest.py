"""The demo school once per test module, for the privacy tests that scan documents (issue 11)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from verzuimdesk.demo import create_demo_school
from verzuimdesk.model.db import Database, open_database

DEMO_TODAY = dt.date(2025, 11, 21)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo school on a fresh SQLite file; tests that use it only read."""
    database = open_database(str(tmp_path_factory.mktemp("demo") / "demo.sqlite"))
    create_demo_school(database, today=DEMO_TODAY)
    yield database
    database.close()
