"""The demo school once per test module, for the privacy tests that scan documents and the encryption tests
(issue 11)."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from verzuimdesk.demo import create_demo_school
from verzuimdesk.model.db import Database, open_database
from verzuimdesk.model.keyfile import keyfile_path, take_recovery_code

DEMO_TODAY = dt.date(2025, 11, 21)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """The demo school on a fresh SQLite file; tests that use it only read."""
    database = open_database(str(tmp_path_factory.mktemp("demo") / "demo.sqlite"))
    create_demo_school(database, today=DEMO_TODAY)
    yield database
    database.close()


@pytest.fixture(scope="module")
def encrypted_demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The demo school in an encrypted file and its herstelcode (made once); tests copy it with :func:`copy_of`."""
    path = tmp_path_factory.mktemp("versleuteld") / "demo.sqlite"
    database = open_database(str(path), encrypt=True)
    create_demo_school(database, today=DEMO_TODAY)
    code = take_recovery_code(path)
    database.close()
    assert code is not None
    return path, code


def copy_of(source: Path, folder: Path) -> Path:
    """A copy of an encrypted database with its key file, for a test that changes it."""
    target = folder / source.name
    shutil.copy2(source, target)
    shutil.copy2(keyfile_path(source), keyfile_path(target))
    return target
