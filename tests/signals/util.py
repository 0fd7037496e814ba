"""Helpers for the signal tests on the small school of tests/builders.py (group 5: six 60-minute lessons a
day, lesson n from 8:30 + (n−1) h; region noord, 2025-2026: herfstvakantie 18–26 Oct 2025, kerstvakantie
20 Dec 2025 – 4 Jan 2026)."""

from __future__ import annotations

import datetime as dt

from sqlmodel import Session

from tests.builders import YEAR_START
from verzuimdesk.model.db import Database
from verzuimdesk.model.law.signals import compute_signals
from verzuimdesk.model.law.signals.inbox import Signal
from verzuimdesk.model.register.entries import set_entry
from verzuimdesk.model.school.records import place_in_group, save_pupil
from verzuimdesk.model.tables import Pupil

D = dt.date
NOW = dt.datetime(2026, 1, 1, 12, 0)


def lesson_span(n: int) -> tuple[int, int]:
    return 510 + 60 * (n - 1), 570 + 60 * (n - 1)


def absent(s: Session, pupil_id: int, day: dt.date, lessons: range | list[int] = range(1, 7), code: str = "O") -> None:
    """Register ``code`` on the given lessons (default: the whole day)."""
    for n in lessons:
        lo, hi = lesson_span(n)
        set_entry(s, pupil_id, day, lo, hi, code, by="test", lesson_number=n, now=NOW)


def late(s: Session, pupil_id: int, day: dt.date, minutes: int, lesson: int = 1, code: str = "T") -> None:
    lo, hi = lesson_span(lesson)
    set_entry(s, pupil_id, day, lo, hi, code, by="test", lesson_number=lesson, minutes_late=minutes, now=NOW)


def weekdays(start: dt.date, end: dt.date) -> list[dt.date]:
    out = []
    day = start
    while day <= end:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def add_pupil(s: Session, key: str, born: dt.date, group_id: int, **extra: object) -> int:
    p = save_pupil(s, Pupil(key=key, achternaam="Test", roepnaam=key, birth_date=born,
                            enrolled_on=dt.date(2020, 8, 1), **extra))
    assert p.id is not None
    place_in_group(s, p.id, group_id, YEAR_START)
    return p.id


def signals(db: Database, on: dt.date, pupil_id: int | None = None, kinds: tuple[str, ...] | None = None) -> list[Signal]:
    with db.transaction() as s:
        found = compute_signals(s, on, [pupil_id] if pupil_id is not None else None)
    return [x for x in found if kinds is None or x.kind in kinds]
