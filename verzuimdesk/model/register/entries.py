"""Register operations: entering absence, marking a register taken, parents' reports, nabellen, undo.

Why this file is long: every write to the register (set, clear, report ahead, undo, calls) keeps one
invariant — entries of a pupil-day do not overlap — and is audited the same way; together they are its one home.

Each function works inside the caller's transaction (``Database.transaction()``), so one user action
is one transaction. Entries of one pupil on one date never overlap: a new entry replaces what it
covers (domain.md §4.3: one register fed by three sources). Every change is written to the audit trail
with old → new, and an old registration needs a reason to be changed (:mod:`.changes`).

Why this file is long: every write to the register stays in this one module, so that none of them
escapes the audit trail and the reason rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.concurrency import conflict, last_change, lock_row
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.register.changes import NOTHING, describe, overlapping, record_change, require_reason
from verzuimdesk.model.register.timetable import Schedule
from verzuimdesk.model.school.calendar import daterange
from verzuimdesk.model.school.names import display_name, sort_name
from verzuimdesk.model.school.reasons import observed_only, reason_by_code
from verzuimdesk.model.tables import (
    AbsenceEntry,
    CallRecord,
    Group,
    GroupMembership,
    Pupil,
    Reason,
    RegisterTaken,
    Source,
)


@dataclass(frozen=True)
class DaySnapshot:
    """The entries of one pupil on one date, as they were before an action (for undo)."""

    pupil_id: int
    date: dt.date
    rows: tuple[dict[str, object], ...]
    # What the action left on that day (:func:`day_content`); undo refuses when another PC changed it since
    # (issue 14). None: not known, no check.
    after: str | None = None


def day_content(rows: Iterable[AbsenceEntry]) -> str:
    """What a pupil-day's register says, independent of row numbers: spans, reasons, minutes late, notes."""
    return ";".join(sorted(f"{r.start_minute}-{r.end_minute}:{r.reason_id}:{r.minutes_late}:{r.source}:{r.note}"
                           for r in rows))  # fmt: skip


def snapshot_day(session: Session, pupil_id: int, day: dt.date) -> DaySnapshot:
    rows = session.exec(
        select(AbsenceEntry).where(AbsenceEntry.pupil_id == pupil_id, AbsenceEntry.date == day)
    ).all()
    return DaySnapshot(pupil_id, day, tuple(r.model_dump(exclude={"id"}) for r in rows))


def restore_day(session: Session, snapshot: DaySnapshot) -> None:
    """Put the entries of a pupil-day back as they were in ``snapshot`` (undo; audited, no reason asked:
    it takes back a change made moments ago on the same screen). When another PC changed the day since
    (``snapshot.after`` no longer matches), nothing is put back: a :class:`~verzuimdesk.model.errors.ConflictError`."""
    if snapshot.after is not None:
        pupil = lock_row(session, Pupil, snapshot.pupil_id)
        rows = overlapping(session, snapshot.pupil_id, snapshot.date, 0, 24 * 60)
        if pupil is not None and day_content(rows) != snapshot.after:
            line = last_change(session, action_like="registratie%", detail_like=f"{dutch.date_long(snapshot.date)} %",
                               pupil_id=snapshot.pupil_id)  # fmt: skip
            raise conflict(f"De registratie van {display_name(pupil)} op {dutch.date_long(snapshot.date)}",
                           line.by if line else "", line.at if line else None,
                           (f"Ongedaan maken van uw laatste invoer bij {display_name(pupil)}",))  # fmt: skip
    rows = overlapping(session, snapshot.pupil_id, snapshot.date, 0, 24 * 60)
    old = describe(session, rows)
    for row in rows:
        session.delete(row)
    session.flush()
    restored = [AbsenceEntry.model_validate(data) for data in snapshot.rows]
    for row in restored:
        session.add(row)
    session.flush()
    new = describe(session, restored)
    if old != new:
        record_change(session, "registratie teruggezet (ongedaan maken)", snapshot.pupil_id, snapshot.date, 0,
                      24 * 60, old, new, by=None)  # fmt: skip


def _check_span(start: int, end: int) -> None:
    if not (0 <= start < end <= 24 * 60):
        raise ValidationError("De eindtijd ligt niet na de begintijd.")


def clear_span(session: Session, pupil_id: int, day: dt.date, start: int, end: int, *, now: dt.datetime | None = None,
               by: str | None = None, change_reason: str = "", source: str = Source.OFFICE.value) -> None:
    """Remove what the register says about ``[start, end)``: the pupil was present then (audited)."""
    _check_span(start, end)
    rows = overlapping(session, pupil_id, day, start, end)
    if not rows:
        return
    stamp = now or dt.datetime.now()
    require_reason(session, rows, change_reason, source, stamp.date())
    old = describe(session, rows)
    _clear(session, rows, start, end, stamp)
    record_change(session, "registratie verwijderd", pupil_id, day, start, end, old, NOTHING, by=by,
                  change_reason=change_reason, source=source)  # fmt: skip


def _clear(session: Session, rows: list[AbsenceEntry], start: int, end: int, stamp: dt.datetime) -> None:
    """Cut ``[start, end)`` out of ``rows`` (the entries overlapping it); no audit (the callers do)."""
    for row in rows:
        keep_before = row.start_minute < start
        keep_after = row.end_minute > end
        if keep_before and keep_after:
            tail = AbsenceEntry.model_validate(row.model_dump(exclude={"id"}))
            tail.start_minute, tail.lesson_number, tail.updated_at = end, None, stamp
            session.add(tail)
            row.end_minute, row.lesson_number, row.updated_at = start, None, stamp
            session.add(row)
        elif keep_before:
            row.end_minute, row.lesson_number, row.updated_at = start, None, stamp
            session.add(row)
        elif keep_after:
            row.start_minute, row.lesson_number, row.updated_at = end, None, stamp
            session.add(row)
        else:
            session.delete(row)
    session.flush()


def _check_pupil_day(session: Session, pupil_id: int, day: dt.date) -> Pupil:
    pupil = session.get(Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    if pupil.enrolled_on and day < pupil.enrolled_on:
        raise ValidationError(
            f"{display_name(pupil)} was op {dutch.date_long(day)} nog niet ingeschreven "
            f"(ingeschreven vanaf {dutch.date_long(pupil.enrolled_on)})."
        )
    if pupil.left_on and day > pupil.left_on:
        raise ValidationError(
            f"{display_name(pupil)} was op {dutch.date_long(day)} uitgeschreven (vertrokken op {dutch.date_long(pupil.left_on)})."
        )
    return pupil


def set_entry(
    session: Session,
    pupil_id: int,
    day: dt.date,
    start: int,
    end: int,
    reason: Reason | str,
    *,
    by: str,
    lesson_number: int | None = None,
    minutes_late: int = 0,
    source: str = Source.OFFICE.value,
    note: str = "",
    now: dt.datetime | None = None,
    change_reason: str = "",
    today: dt.date | None = None,
) -> AbsenceEntry:
    """Record ``reason`` for ``[start, end)`` on ``day``, replacing what was there (audited, old → new). ``now`` is
    stamped on the entry; after ``today`` (the real date unless given) only reported absence may be entered."""
    _check_span(start, end)
    _check_pupil_day(session, pupil_id, day)
    if isinstance(reason, str):
        reason = reason_by_code(session, reason)
    stamp = now or dt.datetime.now()
    if day > (today or dt.date.today()) and observed_only(reason):
        raise ValidationError(
            f"‘{reason.code} – {reason.name}’ kan niet vooraf worden ingevoerd: {dutch.date_long(day)} ligt nog in de "
            "toekomst. Alleen afwezigheid die ouders vooraf melden, zoals ziekte of toegekend verlof, "
            "mag vooraf worden geregistreerd."
        )
    if reason.is_lateness:
        if minutes_late <= 0:
            raise ValidationError("Geef bij te laat komen het aantal minuten op.")
        if minutes_late > end - start:
            raise ValidationError(
                f"{dutch.plural(minutes_late, 'minuut', 'minuten')} te laat is langer dan de les ({dutch.plural(end - start, 'minuut', 'minuten')}); "
                "registreer dan afwezigheid."
            )
    elif minutes_late:
        raise ValidationError("Minuten te laat horen alleen bij een reden voor te laat komen.")
    assert reason.id is not None  # a stored reason
    rows = overlapping(session, pupil_id, day, start, end)
    old = describe(session, rows)
    _clear(session, rows, start, end, stamp)
    entry = AbsenceEntry(
        pupil_id=pupil_id, date=day, lesson_number=lesson_number, start_minute=start, end_minute=end,
        reason_id=reason.id, minutes_late=minutes_late, source=source, note=note, created_by=by,
        created_at=stamp,
    )  # fmt: skip
    session.add(entry)
    session.flush()
    new = describe(session, [entry])
    if old != new:
        require_reason(session, rows, change_reason, source, stamp.date())
        record_change(session, "registratie gewijzigd" if rows else "registratie", pupil_id, day, start, end,
                      old, new, by=by, change_reason=change_reason, source=source)  # fmt: skip
    return entry


def cell_version(rows: Iterable[AbsenceEntry]) -> str:
    """The version of a register cell as a screen saw it: the entries covering it with their row versions and
    creation moments ("12.1.20251103083000123456,…"; "" = nothing registered). Any change by someone else (a new,
    changed, cut or removed entry) gives another text (issue 14 point 3). The moment is part of it because SQLite
    may give a new row the number of a row just deleted."""
    return ",".join(f"{r.id}.{r.version}.{r.created_at:%Y%m%d%H%M%S%f}" for r in sorted(rows, key=lambda r: r.id or 0))


def lesson_span(schedule: Schedule, pupil_id: int, day: dt.date, lesson_number: int) -> tuple[int, int]:
    """``[start, end)`` of a lesson on the pupil's own timetable (a Dutch error when it is not on it)."""
    parts = [les for les in schedule.lessons_for(pupil_id, day) if les.number == lesson_number]
    if not parts:
        raise ValidationError(f"Les {lesson_number} staat op {dutch.date_long(day)} niet op het rooster van deze leerling.")
    return parts[0].start, parts[-1].end


def check_cell(session: Session, pupil_id: int, day: dt.date, lesson_number: int, expected: str,
               schedule: Schedule, attempted: str) -> None:  # fmt: skip
    """Refuse with a :class:`~verzuimdesk.model.errors.ConflictError` when the cell no longer is what the screen
    showed (``expected`` from :func:`cell_version`). The pupil's row is locked first, so that two PCs saving a
    cell of the same pupil take turns (PostgreSQL); a cell both saw empty is a conflict for the second."""
    pupil = lock_row(session, Pupil, pupil_id)
    if pupil is None:
        raise ValidationError("Deze leerling bestaat niet (meer).")
    start, end = lesson_span(schedule, pupil_id, day, lesson_number)
    rows = overlapping(session, pupil_id, day, start, end)
    if cell_version(rows) == expected:
        return
    line = last_change(session, action_like="registratie%", detail_like=f"{dutch.date_long(day)} %", pupil_id=pupil_id)
    newest = max(rows, key=lambda r: r.updated_at or r.created_at, default=None)
    by = line.by if line else (newest.created_by if newest else "")
    at = line.at if line else (newest.updated_at or newest.created_at if newest else None)
    raise conflict(f"Les {lesson_number} van {display_name(pupil)} op {dutch.date_long(day)}", by, at, (attempted,))


def register_lesson(
    session: Session,
    pupil_id: int,
    day: dt.date,
    lesson_number: int,
    reason_code: str | None,
    *,
    by: str,
    minutes_late: int = 0,
    source: str = Source.TEACHER.value,
    note: str = "",
    schedule: Schedule | None = None,
    change_reason: str = "",
) -> DaySnapshot:
    """The register grid's action: one lesson of one pupil gets a reason (``None`` or "A" = present).

    Returns the snapshot from before the change, for undo."""
    schedule = schedule or Schedule(session, day, day, [pupil_id])
    start, end = lesson_span(schedule, pupil_id, day, lesson_number)
    before = snapshot_day(session, pupil_id, day)
    reason = reason_by_code(session, reason_code) if reason_code else None
    if reason is None or (reason.category == "aanwezig" and reason.code == "A"):
        _check_pupil_day(session, pupil_id, day)
        clear_span(session, pupil_id, day, start, end, by=by, change_reason=change_reason, source=source)
    else:
        set_entry(session, pupil_id, day, start, end, reason, by=by, lesson_number=lesson_number,
                  minutes_late=minutes_late, source=source, note=note, change_reason=change_reason)
    return before


def report_absence(
    session: Session,
    pupil_id: int,
    date_from: dt.date,
    date_to: dt.date,
    reason_code: str,
    *,
    by: str,
    start: int | None = None,
    end: int | None = None,
    source: str = Source.PARENT.value,
    note: str = "",
    change_reason: str = "",
    seen: Mapping[dt.date, Mapping[int, str]] | None = None,
) -> list[AbsenceEntry]:
    """A parents' report (often in advance): the reason on every scheduled lesson in the range.

    With ``start``/``end`` only that part of each day. Days without lessons are skipped. ``seen`` holds, per day
    the screen showed, each lesson's cell version as loaded (:attr:`~verzuimdesk.model.register.view.Cell.version`):
    a lesson of such a day that the report covers and that changed since on another PC is a
    :class:`~verzuimdesk.model.errors.ConflictError` (issue 14), checked before anything is written."""
    if date_to < date_from:
        raise ValidationError("De einddatum ligt vóór de begindatum.")
    if (date_to - date_from).days > 366:
        raise ValidationError("Een melding kan hoogstens een jaar beslaan.")
    reason = reason_by_code(session, reason_code)
    if reason.is_lateness:
        raise ValidationError("Te laat komen wordt per les geregistreerd, niet als melding over meerdere dagen.")
    pupil = _check_pupil_day(session, pupil_id, date_from)
    if pupil.left_on and date_to > pupil.left_on:
        date_to = pupil.left_on
    schedule = Schedule(session, date_from, date_to, [pupil_id])
    lo_limit, hi_limit = (start, end) if start is not None and end is not None else (0, 24 * 60)
    if start is not None and end is not None:
        _check_span(start, end)
    if seen:
        attempted = (f"Melding {reason.code} ({reason.name}) van {dutch.date_long(date_from)} tot en met "
                     f"{dutch.date_long(date_to)}" + (f": {note}" if note else ""))  # fmt: skip
        for day in sorted(d for d in seen if date_from <= d <= date_to):
            covered = {les.number for les in schedule.lessons_for(pupil_id, day)
                       if min(les.end, hi_limit) > max(les.start, lo_limit)}  # fmt: skip
            for number in sorted(covered):
                check_cell(session, pupil_id, day, number, seen[day].get(number, ""), schedule, attempted)
    created: list[AbsenceEntry] = []
    for day in daterange(date_from, date_to):
        for lesson in schedule.lessons_for(pupil_id, day):
            lo, hi = max(lesson.start, lo_limit), min(lesson.end, hi_limit)
            if hi <= lo:
                continue
            created.append(
                set_entry(session, pupil_id, day, lo, hi, reason, by=by,
                          lesson_number=lesson.number if (lo, hi) == (lesson.start, lesson.end) else None,
                          source=source, note=note, change_reason=change_reason)
            )  # fmt: skip
    if not created:
        raise ValidationError("In deze periode heeft de leerling geen lessen op het rooster; er is niets geregistreerd.")
    return created


# --------------------------------------------------------------------------------- register taken


def mark_register_taken(session: Session, group_id: int, day: dt.date, lesson_number: int, *, by: str,
                        now: dt.datetime | None = None) -> RegisterTaken:
    """Mark the lesson's register taken; when it already is (perhaps just now on another PC), the first mark stays
    (who took it and when) and is returned. The group's row is locked first, so that two PCs take turns."""
    lock_row(session, Group, group_id)
    existing = _taken(session, group_id, day, lesson_number)
    if existing is not None:
        return existing
    row = RegisterTaken(group_id=group_id, date=day, lesson_number=lesson_number, taken_by=by,
                        taken_at=now or dt.datetime.now())
    session.add(row)
    session.flush()
    return row


def unmark_register_taken(session: Session, group_id: int, day: dt.date, lesson_number: int) -> None:
    lock_row(session, Group, group_id)
    row = _taken(session, group_id, day, lesson_number)
    if row is not None:
        session.delete(row)
    session.flush()


def _taken(session: Session, group_id: int, day: dt.date, lesson_number: int) -> RegisterTaken | None:
    return session.exec(select(RegisterTaken).where(
        RegisterTaken.group_id == group_id, RegisterTaken.date == day, RegisterTaken.lesson_number == lesson_number
    )).first()  # fmt: skip


def set_register_taken(session: Session, group_id: int, day: dt.date, lesson_number: int, taken: bool, *, by: str,
                       seen: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """The register grid's "Register genomen" switch (seed 001 §3.3): mark (``taken``) or unmark the lesson's
    register, where ``seen`` is the moment of the mark the screen showed (None: shown as not taken). Returns the
    Dutch line for the screen's status bar.

    Several PCs (issue 14): marking is a merge, never a loss: a register that another PC marked meanwhile stays
    marked with that PC's name and time, and the line says so. Unmarking a mark the screen did not show (another
    PC took the register again after this screen loaded) would silently take back someone else's mark: that is a
    :class:`~verzuimdesk.model.errors.ConflictError`; unmarking what is already unmarked changes nothing."""
    lock_row(session, Group, group_id)
    existing = _taken(session, group_id, day, lesson_number)
    if taken:
        if existing is None:
            mark_register_taken(session, group_id, day, lesson_number, by=by, now=now)
            return f"Register van les {lesson_number} genomen."
        if existing.taken_at == seen:
            return f"Het register van les {lesson_number} was al genomen."
        who = existing.taken_by or "een andere gebruiker"
        return (f"Het register van les {lesson_number} was intussen al genomen door {who} om "
                f"{dutch.clock(existing.taken_at.hour * 60 + existing.taken_at.minute)}; dat blijft zo staan.")
    if existing is None:
        return (f"Het register van les {lesson_number} stond intussen al op 'niet genomen' (gewijzigd op een andere "
                "computer).")  # fmt: skip
    if existing.taken_at != seen:
        raise conflict(f"Het register van les {lesson_number} op {dutch.date_long(day)}", existing.taken_by,
                       existing.taken_at, (f"Register van les {lesson_number} op 'niet genomen' zetten",))
    session.delete(existing)
    session.flush()
    return f"Register van les {lesson_number} staat weer op 'niet genomen'."


def registers_taken(session: Session, group_id: int, day: dt.date) -> dict[int, RegisterTaken]:
    return {
        r.lesson_number: r
        for r in session.exec(
            select(RegisterTaken).where(RegisterTaken.group_id == group_id, RegisterTaken.date == day)
        ).all()
    }


def registers_not_taken(session: Session, group_id: int, start: dt.date, end: dt.date, *,
                        until: dt.date | None = None) -> list[tuple[dt.date, int]]:
    """(date, lesson) pairs of the group's timetable in the range without a taken register."""
    schedule = Schedule(session, start, end, [])
    taken = {
        (r.date, r.lesson_number)
        for r in session.exec(
            select(RegisterTaken).where(RegisterTaken.group_id == group_id, RegisterTaken.date >= start,
                                        RegisterTaken.date <= end)
        ).all()
    }
    out: list[tuple[dt.date, int]] = []
    for day in daterange(start, min(end, until) if until else end):
        for number in sorted({les.number for les in schedule.group_lessons(group_id, day)}):
            if (day, number) not in taken:
                out.append((day, number))
    return out


# ------------------------------------------------------------------------------------------ pupils


def group_pupils(session: Session, group_id: int, day: dt.date) -> list[Pupil]:
    """Pupils in the group on ``day`` (enrolled), sorted by achternaam."""
    from sqlmodel import or_

    rows = session.exec(
        select(Pupil)
        .join(GroupMembership, col(GroupMembership.pupil_id) == col(Pupil.id))
        .where(
            GroupMembership.group_id == group_id, GroupMembership.date_from <= day,
            or_(col(GroupMembership.date_to).is_(None), col(GroupMembership.date_to) >= day),
            or_(col(Pupil.enrolled_on).is_(None), col(Pupil.enrolled_on) <= day),
            or_(col(Pupil.left_on).is_(None), col(Pupil.left_on) >= day),
        )
    ).all()  # fmt: skip
    unique = {p.id: p for p in rows}
    return sorted(unique.values(), key=lambda p: (p.achternaam.lower(), sort_name(p).lower()))


# ---------------------------------------------------------------------------------------- nabellen


@dataclass(frozen=True)
class Unexplained:
    """A pupil with lessons marked "reden onbekend" on a date: the nabellen to-do (domain.md §4.2)."""

    pupil: Pupil
    group: Group | None
    day: dt.date
    lessons: tuple[int, ...]
    minutes: int
    calls: tuple[CallRecord, ...]


def unexplained_absences(session: Session, start: dt.date, end: dt.date | None = None) -> list[Unexplained]:
    end = end or start
    unresolved_ids = [r.id for r in session.exec(select(Reason).where(Reason.is_unresolved == True)).all()]  # noqa: E712
    if not unresolved_ids:
        return []
    rows = session.exec(
        select(AbsenceEntry).where(
            col(AbsenceEntry.reason_id).in_(unresolved_ids), AbsenceEntry.date >= start, AbsenceEntry.date <= end
        ).order_by(col(AbsenceEntry.date), col(AbsenceEntry.start_minute))
    ).all()
    grouped: dict[tuple[int, dt.date], list[AbsenceEntry]] = {}
    for row in rows:
        grouped.setdefault((row.pupil_id, row.date), []).append(row)
    schedule = Schedule(session, start, end, list({pid for pid, _ in grouped}))
    out: list[Unexplained] = []
    for (pid, day), entries in grouped.items():
        pupil = session.get(Pupil, pid)
        assert pupil is not None
        gid = schedule.group_of(pid, day)
        calls = session.exec(
            select(CallRecord).where(CallRecord.pupil_id == pid, CallRecord.date == day).order_by(col(CallRecord.called_at))
        ).all()
        out.append(
            Unexplained(pupil, schedule.groups.get(gid) if gid else None, day,
                        tuple(sorted({e.lesson_number for e in entries if e.lesson_number})),
                        sum(e.end_minute - e.start_minute for e in entries), tuple(calls))
        )  # fmt: skip
    out.sort(key=lambda u: (u.day, u.group.name if u.group else "", sort_name(u.pupil).lower()))
    return out


def record_call(
    session: Session,
    pupil_id: int,
    day: dt.date,
    *,
    by: str,
    reached: bool,
    contact: str = "",
    outcome_code: str | None = None,
    note: str = "",
    now: dt.datetime | None = None,
) -> CallRecord:
    """Record a call home; with an outcome, every "reden onbekend" entry of that day gets that reason."""
    outcome = reason_by_code(session, outcome_code) if outcome_code else None
    if outcome is not None and not reached and not note.strip():
        raise ValidationError("Geef een toelichting als u een reden vastlegt zonder iemand te hebben gesproken.")
    if outcome is not None and outcome.is_unresolved:
        outcome = None
    if outcome is not None and outcome.is_lateness:
        raise ValidationError("Kies als uitkomst een reden voor afwezigheid, niet voor te laat komen.")
    stamp = now or dt.datetime.now()
    call = CallRecord(pupil_id=pupil_id, date=day, called_at=stamp, called_by=by, reached=reached,
                      contact=contact.strip(), outcome_reason_id=outcome.id if outcome else None, note=note.strip())
    session.add(call)
    if outcome is not None:
        assert outcome.id is not None  # a stored reason
        unresolved = [r.id for r in session.exec(select(Reason).where(Reason.is_unresolved == True)).all()]  # noqa: E712
        for entry in session.exec(
            select(AbsenceEntry).where(AbsenceEntry.pupil_id == pupil_id, AbsenceEntry.date == day,
                                       col(AbsenceEntry.reason_id).in_(unresolved))
        ).all():
            old = describe(session, [entry])
            entry.reason_id = outcome.id
            entry.updated_at = stamp
            entry.note = (entry.note + " " if entry.note else "") + f"Nagebeld door {by}."
            session.add(entry)
            session.flush()
            record_change(session, "registratie nagebeld", pupil_id, day, entry.start_minute, entry.end_minute,
                          old, describe(session, [entry]), by=by, change_reason=f"nabellen: {contact or note}".strip())
    session.flush()
    return call
