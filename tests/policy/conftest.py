"""Fixtures of the policy tests: the small hand-built school with its default signal rules stored."""

from __future__ import annotations

import pytest

from tests.builders import SmallSchool, build_small_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.law.signals.policy import ensure_default_rules


@pytest.fixture
def school(db: Database) -> SmallSchool:
    built = build_small_school(db)
    with db.transaction() as s:
        ensure_default_rules(s)
    return built
