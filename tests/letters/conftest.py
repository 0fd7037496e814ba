"""The demo school, built once per test session and copied for every test that changes it."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from verzuimdesk.model.db import Database, open_database

TODAY = dt.date(2025, 12, 3)


@pytest.fixture(scope="session")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from verzuimdesk.demo import create_demo_school

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    db = open_database(str(path))
    create_demo_school(db, today=TODAY)
    db.close()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, path)
    db = open_database(str(path))
    yield db
    db.close()


@pytest.fixture
def demo_path(demo_file: Path, tmp_path: Path) -> Path:
    """A copy of the demo database that no test process holds open (for the command line)."""
    path = tmp_path / "demo-cli.sqlite"
    shutil.copy(demo_file, path)
    return path
