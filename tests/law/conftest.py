"""Fixtures of the law tests: the small hand-built school of tests/builders.py with its ids."""

from __future__ import annotations

import pytest

from tests.builders import SmallSchool, build_small_school
from verzuimdesk.model.db import Database


@pytest.fixture
def school(db: Database) -> SmallSchool:
    return build_small_school(db)
