"""Absence history from a spreadsheet (.xlsx/.csv), for a school that kept its register in Excel.

One row = one absence: leerling (leerlingnummer or BSN), datum, the lessons ("1-3", "1,2") or a time span
(van/tot, or "08:30-10:30" in one column; nothing = the whole day), redencode, minuten te laat, opmerking.
Each row becomes register entries through the model's ``set_entry`` (source "import"), so the register's
rules apply: entries are checked against the pupil's own timetable (domain.md §3) and enrolment.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session, col, select

from verzuimdesk.imports.common import (
    ImportResult,
    audit_import,
    fail_if,
    headers_found,
    match_columns,
    parse_date,
    shown,
)
from verzuimdesk.imports.guard import Progress, digits
from verzuimdesk.imports.setup_writer import time_span
from verzuimdesk.imports.tables import get, read_table, row_text_problems, text
from verzuimdesk.model import dutch
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.entries import set_entry
from verzuimdesk.model.register.timetable import Schedule, ScheduledLesson
from verzuimdesk.model.school.names import display_name
from verzuimdesk.model.school.reasons import reasons_by_code
from verzuimdesk.model.school.records import normalise_bsn, school_years
from verzuimdesk.model.store import current_user
from verzuimdesk.model.tables import AbsenceEntry, Pupil, Reason, SchoolYear, Source

COLUMNS: dict[str, list[str]] = {
    "pupil": ["Leerling", "Leerlingnummer", "Leerlingnr", "Llnr", "Nr", "Sleutel", "BSN"],
    "date": ["Datum", "Dag"],
    "lessons": ["Lessen", "Les", "Lesuren", "Lesuur", "Lesnummers"],
    "span": ["Tijd", "Van-tot", "Van tot", "Tijdvak"],
    "start": ["Van", "Begintijd", "Vanaf", "Begin"],
    "end": ["Tot", "Eindtijd", "Einde"],
    "reason": ["Redencode", "Reden", "Code"],
    "late": ["Minuten te laat", "Te laat", "Minuten", "Min te laat"],
    "note": ["Opmerking", "Opmerkingen", "Toelichting"],
}


@dataclass
class _Row:
    number: int
    pupil: Pupil
    day: dt.date
    reason: Reason
    lessons: list[int]
    span: tuple[int, int] | None
    late: int
    note: str


def parse_lesson_numbers(value: str) -> list[int]:
    """"1-3" → [1, 2, 3]; "1,2" / "1;2" / "1 2" → [1, 2]; "2 t/m 4" → [2, 3, 4]. ValueError otherwise."""
    numbers: list[int] = []
    for part in re.split(r"[,;+\s]+", re.sub(r"\s*(t/m|tot en met)\s*", "-", value.strip())):
        if not part:
            continue
        m = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", part)
        if m is None:
            raise ValueError(value)
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if hi < lo or lo < 1:
            raise ValueError(value)
        numbers += [n for n in range(lo, hi + 1) if n not in numbers]
    if not numbers:
        raise ValueError(value)
    return numbers


def import_absence_history(db: Database, path: str | Path, *,
                           progress: Callable[[int, int], None] | None = None) -> ImportResult:
    """Import absence history in one transaction, all or nothing (docs/imports.md).

    ``progress(done, total)`` is called per ten rows; raising ImportCancelled from it rolls back."""
    table = read_table(path, "verzuim")
    columns = match_columns(table.headers, COLUMNS)
    missing = [label for name, label in (("pupil", "'Leerling'"), ("date", "'Datum'"), ("reason", "'Redencode'"))
               if name not in columns]
    fail_if([f"De kolom {m} ontbreekt. Gevonden kolommen: {headers_found(table.headers)}." for m in missing])
    result = ImportResult("verzuim", str(path), warnings=list(table.warnings))
    problems: list[str] = []
    with db.transaction() as s:
        pupils = list(s.exec(select(Pupil)).all())
        by_key = {p.key: p for p in pupils} | {p.bsn: p for p in pupils if p.bsn}
        reasons = {code.upper(): r for code, r in reasons_by_code(s).items()}
        years = school_years(s)
        rows: list[_Row] = []
        steps = Progress(progress)
        steps.start(len(table.rows))
        for number, raw in table.rows:
            steps.step()
            checks = row_text_problems(table, raw, columns, f"Rij {number}")
            row = _parse_row(number, raw, columns, by_key, reasons, years, problems, checks)
            if row is not None:
                rows.append(row)
        if rows:
            _store(s, rows, result, problems)
        problems.sort(key=lambda p: int(m.group(1)) if (m := re.match(r"Rij (\d+)", p)) else 0)
        fail_if(problems)
        audit_import(s, "verzuim", path, result)
    return result


def _parse_row(number: int, raw: list[object], columns: dict[str, int], by_key: dict[str, Pupil],
               reasons: dict[str, Reason], years: list[SchoolYear], problems: list[str],
               text_problems: list[str]) -> _Row | None:
    label = f"Rij {number}"
    before = len(problems)
    problems += text_problems
    ident = text(raw, columns, "pupil")
    pupil = by_key.get(ident) or by_key.get(normalise_bsn(ident).zfill(9) if ident.isdigit() else "")
    if pupil is None:
        problems.append(f"{label}: leerling '{ident}' is onbekend (geen leerlingnummer of BSN in de database).")
    day = None
    try:
        day = parse_date(get(raw, columns, "date"))
        if day is None:
            problems.append(f"{label}: de datum is leeg.")
    except ValueError as exc:
        problems.append(f"{label}: datum {exc}.")
    code = text(raw, columns, "reason").upper()
    reason = reasons.get(code)
    if reason is None:
        problems.append(f"{label}: redencode '{code}' is onbekend. Bekende codes: {', '.join(sorted(reasons))}.")
    late = 0
    late_text = text(raw, columns, "late")
    if late_text:
        minutes = digits(late_text)
        if minutes is None or minutes > 24 * 60:
            problems.append(f"{label}: '{shown(late_text)}' is geen aantal minuten te laat; schrijf een heel getal, "
                            "bijvoorbeeld 10.")
        late = minutes or 0
    if reason is not None and late and not reason.is_lateness:
        problems.append(f"{label}: minuten te laat horen bij een reden voor te laat komen, niet bij "
                        f"'{reason.code}' ({reason.name}).")
    if reason is not None and reason.is_lateness and not late:
        problems.append(f"{label}: geef bij '{reason.code}' ({reason.name}) het aantal minuten te laat.")
    lessons: list[int] = []
    lesson_text = text(raw, columns, "lessons")
    if lesson_text:
        try:
            lessons = parse_lesson_numbers(lesson_text)
        except ValueError:
            problems.append(f"{label}: '{lesson_text}' zijn geen lesnummers; schrijf bijvoorbeeld 1-3 of 1,2.")
    span = _span(raw, columns, label, problems)
    if day is not None and pupil is not None:
        if not any(y.start_date <= day <= y.end_date for y in years):
            problems.append(f"{label}: {dutch.date_short(day)} ligt buiten de schooljaren in de database.")
        elif pupil.enrolled_on and day < pupil.enrolled_on:
            problems.append(f"{label}: {display_name(pupil)} was op {dutch.date_short(day)} nog niet ingeschreven.")
        elif pupil.left_on and day > pupil.left_on:
            problems.append(f"{label}: {display_name(pupil)} was op {dutch.date_short(day)} al uitgeschreven.")
    if len(problems) > before or pupil is None or day is None or reason is None:
        return None
    return _Row(number, pupil, day, reason, lessons, span, late, text(raw, columns, "note"))


def _span(raw: list[object], columns: dict[str, int], label: str, problems: list[str]) -> tuple[int, int] | None:
    joined = text(raw, columns, "span")
    start, end = _time(get(raw, columns, "start")), _time(get(raw, columns, "end"))
    if joined:
        span = time_span(joined)
        if span is None:
            problems.append(f"{label}: '{joined}' is geen tijdvak; schrijf bijvoorbeeld 08:30-10:30.")
        return span
    if start is None and end is None:
        return None
    if start == -1 or end == -1:
        problems.append(f"{label}: van/tot is geen tijd; schrijf bijvoorbeeld 08:30.")
        return None
    if start is None or end is None or end <= start:
        problems.append(f"{label}: geef een begin- en een eindtijd (van en tot), de eindtijd na de begintijd.")
        return None
    return start, end


def _time(value: object) -> int | None:
    if isinstance(value, dt.time):
        return value.hour * 60 + value.minute
    if isinstance(value, dt.datetime):
        return value.hour * 60 + value.minute
    if isinstance(value, float) and 0 <= value < 1:  # an Excel time as a fraction of a day
        return round(value * 24 * 60)
    text_value = str(value or "").strip()
    span = time_span(f"{text_value}-{text_value}") if text_value else None
    return span[0] if span else (None if not text_value else -1)


def _store(s: Session, rows: list[_Row], result: ImportResult, problems: list[str]) -> None:
    lo, hi = min(r.day for r in rows), max(r.day for r in rows)
    ids = sorted({r.pupil.id for r in rows if r.pupil.id is not None})
    schedule = Schedule(s, lo, hi, ids)
    before: dict[tuple[int, dt.date], list[tuple[int, int, int, int, str]]] = defaultdict(list)
    for e in s.exec(select(AbsenceEntry).where(AbsenceEntry.date >= lo, AbsenceEntry.date <= hi,
                                               col(AbsenceEntry.pupil_id).in_(ids))).all():
        before[(e.pupil_id, e.date)].append((e.start_minute, e.end_minute, e.reason_id, e.minutes_late, e.note))
    by = current_user(s)
    spans: list[tuple[_Row, int, int, int | None]] = []
    for row in rows:
        assert row.pupil.id is not None
        found = _row_spans(row, schedule.lessons_for(row.pupil.id, row.day), f"Rij {row.number}", problems)
        spans += [(row, start, end, number) for start, end, number in found]
    for row, start, end, lesson_number in _without_duplicates(spans, result, problems):
        assert row.pupil.id is not None
        old = before.get((row.pupil.id, row.day), [])
        if (start, end, row.reason.id, row.late, row.note) in old:
            result.count("registraties", "unchanged")
            continue
        outcome = "updated" if any(o[0] < end and o[1] > start for o in old) else "created"
        try:
            set_entry(s, row.pupil.id, row.day, start, end, row.reason, by=by, lesson_number=lesson_number,
                      minutes_late=row.late, source=Source.IMPORT.value, note=row.note)
        except ValidationError as exc:
            problems.append(f"Rij {row.number}: {exc}")
            continue
        result.count("registraties", outcome)


def _without_duplicates(spans: list[tuple[_Row, int, int, int | None]], result: ImportResult,
                        problems: list[str]) -> list[tuple[_Row, int, int, int | None]]:
    """One registration per pupil, day and lesson: two rows that say the same are counted once (with a
    warning); two rows that say different things about the same lesson are an error naming both rows."""
    kept: list[tuple[_Row, int, int, int | None]] = []
    by_day: dict[tuple[int, dt.date], list[tuple[_Row, int, int, int | None]]] = defaultdict(list)
    reported: set[tuple[str, int, int]] = set()
    for item in spans:
        row, start, end, number = item
        assert row.pupil.id is not None
        same_day = by_day[(row.pupil.id, row.day)]
        clash = next((o for o in same_day if o[0].number != row.number and o[1] < end and o[2] > start), None)
        if clash is None:
            same_day.append(item)
            kept.append(item)
            continue
        other = clash[0]
        pair = (other.number, row.number)
        what = f"les {number}" if number is not None else f"{dutch.clock(start)}-{dutch.clock(end)}"
        if (clash[1], clash[2]) == (start, end) and (other.reason.id, other.late, other.note) == (
                row.reason.id, row.late, row.note):
            if ("dubbel", *pair) not in reported:
                result.warnings.append(f"Rij {row.number} herhaalt rij {other.number} ({display_name(row.pupil)}, "
                                       f"{dutch.date_short(row.day)}); wat dubbel staat, is één keer geteld.")
            reported.add(("dubbel", *pair))
            continue
        if ("anders", *pair) in reported:
            continue
        reported.add(("anders", *pair))
        problems.append(f"Rij {other.number} en rij {row.number}: twee verschillende registraties voor "
                        f"{display_name(row.pupil)} op {dutch.date_short(row.day)}, {what} ('{other.reason.code}' en "
                        f"'{row.reason.code}'). Houd één van beide rijen over.")
    return kept


def _row_spans(row: _Row, lessons: tuple[ScheduledLesson, ...], label: str,
               problems: list[str]) -> list[tuple[int, int, int | None]]:
    """The (start, end, lesson number) spans of a row on the pupil's own timetable; [] after a problem."""
    when = f"op {dutch.date_short(row.day)}"
    name = display_name(row.pupil)
    if not lessons:
        problems.append(f"{label}: {name} heeft {when} geen lessen op het rooster.")
        return []
    numbers = row.lessons or ([lessons[0].number] if row.reason.is_lateness and row.span is None else [])
    if row.reason.is_lateness and len(numbers) > 1:
        problems.append(f"{label}: te laat komen geldt voor één les; geef één lesnummer op.")
        return []
    out: list[tuple[int, int, int | None]] = []
    if numbers:
        for n in numbers:
            parts = [les for les in lessons if les.number == n]
            if not parts:
                have = ", ".join(str(x) for x in sorted({les.number for les in lessons}))
                problems.append(f"{label}: les {n} staat {when} niet op het rooster van {name} (lessen: {have}).")
                return []
            out.append((parts[0].start, parts[-1].end, n))
        return out
    if row.span is not None:
        start, end = row.span
        if start < 0 or not any(les.start < end and les.end > start for les in lessons):
            problems.append(f"{label}: {dutch.clock(max(start, 0))}-{dutch.clock(end)} valt {when} buiten het "
                            f"rooster van {name}.")
            return []
        exact = [les.number for les in lessons if (les.start, les.end) == (start, end)]
        return [(start, end, exact[0] if exact else None)]
    return [(les.start, les.end, les.number) for les in lessons]  # the whole day
