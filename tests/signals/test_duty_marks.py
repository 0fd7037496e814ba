"""Duty marks (model/law/signals/duties.py): after the full search of a school year, the everyday signals count
older absence only for pupils with an open mark — and give exactly what the full search gives, on a generated
school with a year of register before (runs of whole days across the summer, continuous absence, 18-year-olds)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.signals.test_fast_path import build_generated_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.law.signals import compute_signals, ensure_default_rules
from verzuimdesk.model.law.signals.duties import record_duties


def _both(db: Database, on: dt.date) -> tuple[list[str], list[str]]:
    with db.session() as s:
        everyday = [repr((sig, [repr(les) for les in sig.lessons])) for sig in compute_signals(s, on)]
        full = [repr((sig, [repr(les) for les in sig.lessons])) for sig in compute_signals(s, on, deep=True)]
    return everyday, full


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_everyday_count_after_a_search_equals_the_full_search(db: Database, seed: int) -> None:
    build_generated_school(db, seed)
    with db.transaction() as s:
        ensure_default_rules(s)
        marked = record_duties(s, dt.date(2025, 9, 1))  # the first day of the school year
    assert marked > 0, "the year before left duties to mark"
    older = 0
    for on in (dt.date(2025, 9, 1), dt.date(2025, 10, 10), dt.date(2026, 2, 6), dt.date(2026, 7, 10)):
        everyday, full = _both(db, on)
        assert everyday == full
        older += sum(1 for row in full if "datetime.date(2025, 7" in row or "datetime.date(2025, 6" in row)
    assert older > 0, "signals from before the school year were compared"


def test_without_a_search_this_year_the_full_search_is_used(db: Database) -> None:
    """A search of last school year does not count for this one (its marks do not cover the year's look-back)."""
    build_generated_school(db, 1)
    with db.transaction() as s:
        ensure_default_rules(s)
        record_duties(s, dt.date(2025, 3, 2))  # in the school year before
    everyday, full = _both(db, dt.date(2025, 12, 5))
    assert everyday == full
