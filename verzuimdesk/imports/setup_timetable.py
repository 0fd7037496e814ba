"""Timetables in the school set-up file: lessons, versions (geldig_vanaf / geldig_tot) and storing them
without rewriting history (issue 10; docs/imports.md, "Schoolinrichting").

A timetable that differs from the database replaces it only from a date on: the smallest ``geldig_vanaf``
of the file's versions, else the file's ``datum``, else today. Lessons valid before that date stay as they
are (the figures of past days were computed from them); the file's versions that end before it are not
applied, with a warning when they differ from the database. Lesson numbers are 1 to 20 (0 is a typing
error: no register counts lesson 0).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlmodel import Session, select

from verzuimdesk.imports.common import ImportResult
from verzuimdesk.imports.setup_checks import date_problem
from verzuimdesk.model import dutch
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.timetable import check_lessons
from verzuimdesk.model.school.calendar import WEEKDAY_NAMES, parse_time
from verzuimdesk.model.tables import Lesson

LESSON_RE = re.compile(r"^\s*([0-9]+)\s*=\s*([0-9]{1,2}[:.]?[0-9]{2})\s*-\s*([0-9]{1,2}[:.]?[0-9]{2})\s*(.*)$")
MAX_LESSON_NUMBER = 20
Version = tuple[dt.date | None, dt.date | None, list[tuple[int, int, int, int, str]]]


def parse_date(value: Any, label: str, problems: list[str], today: dt.date) -> dt.date | None:
    day: dt.date | None = None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        day = value
    elif isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            pass
    if day is None:
        problems.append(f"{label}: '{str(value)[:40]}' is geen datum; schrijf bijvoorbeeld 2025-10-10 (zonder "
                        "aanhalingstekens).")
        return None
    problem = date_problem(day, today)
    if problem:
        problems.append(f"{label}: de datum {problem}.")
        return None
    return day


def parse_lessons(rooster: dict[str, Any], label: str, problems: list[str]) -> list[tuple[int, int, int, int, str]]:
    """``maandag = ["1 = 08:30-09:30", …]`` → (weekday, number, start, end, label) rows."""
    rows: list[tuple[int, int, int, int, str]] = []
    for day_name, lessons in rooster.items():
        if day_name in ("geldig_vanaf", "geldig_tot"):
            continue
        if day_name not in WEEKDAY_NAMES:
            problems.append(f"{label}: '{day_name}' is geen weekdag; gebruik maandag … vrijdag.")
            continue
        for item in lessons if isinstance(lessons, list) else [lessons]:
            m = LESSON_RE.match(str(item))
            try:
                if m is None or len(m.group(1)) > 2:
                    raise ValidationError("")
                number = int(m.group(1))
                if not 1 <= number <= MAX_LESSON_NUMBER:
                    problems.append(f"{label}, {day_name}: '{item}': een lesnummer is 1 tot en met "
                                    f"{MAX_LESSON_NUMBER}.")
                    continue
                rows.append((WEEKDAY_NAMES.index(day_name), number, parse_time(m.group(2)),
                             parse_time(m.group(3)), m.group(4).strip()))
            except ValidationError:
                problems.append(f"{label}, {day_name}: '{str(item)[:40]}' is geen les; schrijf bijvoorbeeld "
                                "\"1 = 08:30-09:30\".")
    try:
        check_lessons(rows)
    except ValidationError as exc:
        problems.append(f"{label}: {exc}")
    return rows


def versions_of(roosters: list[dict[str, Any]], label: str, problems: list[str], today: dt.date) -> list[Version] | None:
    """The file's timetable versions, checked: geldig_vanaf not after geldig_tot, no two versions at once."""
    before = len(problems)
    versions: list[Version] = []
    for r in roosters:
        lo = parse_date(r["geldig_vanaf"], label, problems, today) if "geldig_vanaf" in r else None
        hi = parse_date(r["geldig_tot"], label, problems, today) if "geldig_tot" in r else None
        if lo and hi and lo > hi:
            problems.append(f"{label}: geldig_vanaf {dutch.date_short(lo)} ligt na geldig_tot {dutch.date_short(hi)}.")
        versions.append((lo, hi, parse_lessons(r, label, problems)))
    ordered = sorted(versions, key=lambda v: v[0] or dt.date.min)
    for (_lo1, hi1, _r1), (lo2, _hi2, _r2) in zip(ordered, ordered[1:]):
        if hi1 is None or lo2 is None or lo2 <= hi1:
            problems.append(f"{label}: twee roosters gelden tegelijk; geef elk rooster een eigen periode met "
                            "geldig_vanaf en geldig_tot.")
            break
    return versions if len(problems) == before else None


def store_timetable(s: Session, group_id: int, versions: list[Version], label: str, result: ImportResult,
               default_from: dt.date, today: dt.date) -> None:
    """Store the file's timetable without rewriting history (module docstring)."""
    current = list(s.exec(select(Lesson).where(Lesson.group_id == group_id)).all())
    if not current and not any(rows for _lo, _hi, rows in versions):
        result.count("roosters", "unchanged")
        return
    if not current:  # a new group: the file's versions as they are
        for lo, hi, rows in versions:
            _add_lessons(s, group_id, rows, lo, hi)
        s.flush()
        result.count("roosters", "created")
        return
    start = min((lo for lo, _hi, _rows in versions if lo is not None), default=default_from)

    def from_start(items: list[tuple[tuple[Any, ...], dt.date | None, dt.date | None]]) -> list[tuple[Any, ...]]:
        return sorted(((*row, max(lo or start, start), hi) for row, lo, hi in items if hi is None or hi >= start),
                      key=repr)

    have = [((x.weekday, x.number, x.start_minute, x.end_minute, x.label), x.valid_from, x.valid_to) for x in current]
    wanted = [(row, lo, hi) for lo, hi, rows in versions for row in rows]
    if from_start(have) == from_start(wanted):
        result.count("roosters", "unchanged")
    else:
        for lesson in current:
            if lesson.valid_from is not None and lesson.valid_from >= start:
                s.delete(lesson)
            elif lesson.valid_to is None or lesson.valid_to >= start:
                lesson.valid_to = start - dt.timedelta(days=1)
                s.add(lesson)
        s.flush()
        for lo, hi, rows in versions:
            if hi is None or hi >= start:
                _add_lessons(s, group_id, rows, max(lo or start, start), hi)
        s.flush()
        result.count("roosters", "updated")
        if start < today:
            result.warnings.append(f"{label}: het rooster is vervangen met ingang van {dutch.date_short(start)}, een datum in "
                                   "het verleden; de cijfers vanaf die datum worden met het nieuwe rooster berekend.")
    past = sorted(((*row, lo, hi) for row, lo, hi in wanted if hi is not None and hi < start), key=repr)
    kept = sorted(((*row, lo, hi) for row, lo, hi in have if hi is not None and hi < start), key=repr)
    if past and past != kept:
        result.warnings.append(f"{label}: het rooster vóór {dutch.date_short(start)} in het bestand wijkt af van dat in de "
                               "database; de geschiedenis is niet gewijzigd (een import herschrijft het verleden niet).")


def _add_lessons(s: Session, group_id: int, rows: list[tuple[int, int, int, int, str]], lo: dt.date | None,
                 hi: dt.date | None) -> None:
    for wd, number, begin, end, text in rows:
        s.add(Lesson(group_id=group_id, weekday=wd, number=number, start_minute=begin, end_minute=end, label=text,
                     valid_from=lo, valid_to=hi))
