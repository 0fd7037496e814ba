"""Two PCs on one school database (issue 14 point 3): two ``Database`` objects on the same SQLite file (opened
without the instance lock, as a second program would open it over a network share) or the same PostgreSQL
database, each logged in as another user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.builders import SmallSchool, build_small_school
from tests.conftest import PG_URL, _reset_postgres
from verzuimdesk.model.actor import Actor
from verzuimdesk.model.db import Database, open_database

MONDAY = dt.date(2025, 11, 3)


@dataclass
class TwoPcs:
    url: str
    a: Database  # Anna's PC
    b: Database  # Bram's PC
    school: SmallSchool


def actor(name: str) -> Actor:
    return Actor(username=name, role="beheerder", permissions=frozenset())


def school_url(db_backend: str, tmp_path: Path) -> str:
    if db_backend == "postgres":
        _reset_postgres(PG_URL)
        return PG_URL
    return str(tmp_path / "school.sqlite")


@pytest.fixture
def pcs(db_backend: str, tmp_path: Path) -> Iterator[TwoPcs]:
    url = school_url(db_backend, tmp_path)
    a = open_database(url)
    school = build_small_school(a)
    b = open_database(url)
    a.actor, b.actor = actor("anna"), actor("bram")
    yield TwoPcs(url, a, b, school)
    a.close()
    b.close()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests that need the real PostgreSQL server (they use ``pg_pcs``) are left out when no server is configured
    (``VERZUIMDESK_TEST_PG_URL``); CI starts one, so there they always run."""
    if PG_URL:
        return
    left_out = [item for item in items if "pg_pcs" in getattr(item, "fixturenames", ())]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if item not in left_out]


def pc_url(name: str) -> str:
    """The server URL with the PC's name as ``application_name`` (so a test can find its server process)."""
    import sqlalchemy as sa

    return sa.engine.make_url(PG_URL).update_query_dict({"application_name": name}).render_as_string(
        hide_password=False)


def terminate(name: str) -> int:
    """What a server restart does to one PC: end its server processes (``pg_terminate_backend``)."""
    import sqlalchemy as sa

    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        ended = conn.execute(sa.text("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                                     "WHERE application_name = :n"), {"n": name}).scalar()  # fmt: skip
    engine.dispose()
    return int(ended or 0)


@pytest.fixture
def pg_pcs() -> Iterator[TwoPcs]:
    """Two PCs on the real PostgreSQL server, named pc_a and pc_b on the server."""
    _reset_postgres(PG_URL)
    a = open_database(pc_url("verzuimdesk_pc_a"))
    school = build_small_school(a)
    b = open_database(pc_url("verzuimdesk_pc_b"))
    a.actor, b.actor = actor("anna"), actor("bram")
    yield TwoPcs(PG_URL, a, b, school)
    a.close()
    b.close()
