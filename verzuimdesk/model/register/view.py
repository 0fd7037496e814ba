"""What the register screen shows for one group on one day, and the batch actions behind its keys.

Plain Python on top of :class:`~verzuimdesk.model.register.timetable.Schedule` and
:class:`~verzuimdesk.model.register.figures.FiguresEngine` (the one place numbers are computed): pupils × lessons
with the outcome per cell, which lessons had their register taken, totals per lesson and per pupil,
and which entries came from a parents' report (domain.md §4.3: three sources, one register).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from sqlmodel import Session, col, select

from verzuimdesk.model import dutch
from verzuimdesk.model.register.changes import overlapping
from verzuimdesk.model.register.entries import (
    DaySnapshot,
    Unexplained,
    cell_version,
    check_cell,
    day_content,
    group_pupils,
    register_lesson,
    registers_taken,
    restore_day,
    unexplained_absences,
)
from verzuimdesk.model.register.figures import Figures, FiguresEngine, LessonOutcome
from verzuimdesk.model.register.tiers import TierRow, pupil_tiers
from verzuimdesk.model.register.timetable import Schedule
from verzuimdesk.model.school.calendar import week_monday
from verzuimdesk.model.school.names import sort_name
from verzuimdesk.model.tables import AbsenceEntry, Category, Guardian, Reason, RegisterTaken, Source


@dataclass(frozen=True)
class LessonColumn:
    """One lesson of the group's timetable that day, with the state of its register."""

    number: int
    start: int
    end: int
    taken_by: str = ""
    taken_at: dt.datetime | None = None

    @property
    def taken(self) -> bool:
        return self.taken_at is not None

    @property
    def header(self) -> str:
        return f"{self.number} {dutch.clock(self.start)}"


@dataclass(frozen=True)
class Cell:
    """What the register says about one lesson of one pupil."""

    scheduled: bool  # the lesson is on the pupil's own timetable
    lesson_minutes: int = 0  # minutes of the lesson the pupil is scheduled for
    reason: Reason | None = None  # the reason covering most of the lesson; None = present
    minutes: int = 0  # minutes of the lesson covered by that reason (minutes late for lateness)
    other_reasons: tuple[str, ...] = ()  # further codes when several reasons share the lesson
    from_parent: bool = False  # an entry of this lesson came from a parents' report
    note: str = ""
    entered_by: str = ""
    version: str = ""  # the cell's version as loaded (entries.cell_version), handed back on saving (issue 14)

    @property
    def partial(self) -> bool:
        return self.reason is not None and not self.reason.is_lateness and self.minutes < self.lesson_minutes

    @property
    def text(self) -> str:
        """The code as it reads in the grid: "Z", "T 10'", "M 30'" (partial lesson), "" = present."""
        if self.reason is None:
            return ""
        if self.reason.is_lateness or self.partial:
            return f"{self.reason.code} {self.minutes}'"
        return self.reason.code

    @property
    def kind(self) -> str:
        """ "present", "late", "absent", "not_counted" or "" (not scheduled)."""
        if not self.scheduled:
            return ""
        if self.reason is None or self.reason.category == Category.PRESENT:
            return "present"
        if self.reason.is_lateness:
            return "late"
        if self.reason.category == Category.NOT_COUNTED:
            return "not_counted"
        return "absent"


@dataclass(frozen=True)
class PupilRow:
    pupil_id: int
    name: str  # "Achternaam, Roepnaam voorvoegsel"
    cells: tuple[Cell, ...]
    figures: Figures
    tier: int | None = None  # attendance tier 1/2/3 over the tier policy's period (domain.md §10)
    tier_pct: float | None = None  # total absence as % of scheduled time over that period
    tier_period: tuple[dt.date, dt.date] | None = None


@dataclass(frozen=True)
class LessonTotals:
    present: int = 0
    absent: int = 0
    late: int = 0
    not_counted: int = 0
    scheduled: int = 0  # pupils with this lesson on their own timetable


@dataclass
class RegisterDay:
    """The grid data of a group-day."""

    group_id: int
    day: dt.date
    lessons: list[LessonColumn]
    rows: list[PupilRow]
    lesson_totals: list[LessonTotals]
    total: Figures
    no_lessons_reason: str = ""  # why the group has no lessons that day ("" when it has lessons)
    reasons: dict[int, Reason] = field(default_factory=dict)

    @property
    def registers_taken(self) -> int:
        return sum(1 for les in self.lessons if les.taken)

    @property
    def pupils_absent(self) -> int:
        return sum(1 for r in self.rows if any(c.kind == "absent" for c in r.cells))

    @property
    def pupils_late(self) -> int:
        return sum(1 for r in self.rows if any(c.kind == "late" for c in r.cells))

    def cell(self, row: int, column: int) -> Cell:
        return self.rows[row].cells[column]


def _lesson_columns(
    schedule: Schedule, group_id: int, day: dt.date, taken: dict[int, RegisterTaken]
) -> list[LessonColumn]:
    spans: dict[int, tuple[int, int]] = {}
    for les in schedule.group_lessons(group_id, day):
        lo, hi = spans.get(les.number, (les.start, les.end))
        spans[les.number] = (min(lo, les.start), max(hi, les.end))
    out = []
    for number, (start, end) in sorted(spans.items(), key=lambda kv: (kv[1][0], kv[0])):
        row = taken.get(number)
        out.append(
            LessonColumn(number, start, end, row.taken_by if row else "", row.taken_at if row else None)
        )
    return out


def _no_lessons_reason(schedule: Schedule, group_id: int, day: dt.date) -> str:
    described = schedule.calendar.describe(day)
    if described:
        return f"Geen lessen: {described}."
    if schedule.calendar.free_spans(day, group_id):
        return "Geen lessen: deze groep is vrij."
    return "Geen lessen: deze groep heeft op deze weekdag geen lessen op het rooster."


def load_register_day(session: Session, group_id: int, day: dt.date) -> RegisterDay:
    """Everything the register grid shows for ``group_id`` on ``day``, from one FiguresEngine."""
    pupils = group_pupils(session, group_id, day)
    pupil_ids = [p.id for p in pupils if p.id is not None]
    engine = FiguresEngine(session, day, day, pupil_ids)
    schedule = engine.schedule
    lessons = _lesson_columns(schedule, group_id, day, registers_taken(session, group_id, day))
    details: dict[int, AbsenceEntry] = {}
    if pupil_ids:
        for entry in session.exec(
            select(AbsenceEntry).where(col(AbsenceEntry.pupil_id).in_(pupil_ids), AbsenceEntry.date == day)
        ).all():
            assert entry.id is not None
            details[entry.id] = entry
    tiers = _tiers(session, day, pupil_ids)
    rows: list[PupilRow] = []
    counts = [dict.fromkeys(("present", "absent", "late", "not_counted", "scheduled"), 0) for _ in lessons]
    for pupil in pupils:
        assert pupil.id is not None
        by_number: dict[int, list[LessonOutcome]] = {}
        for outcome in engine.lesson_outcomes(pupil.id, day):
            by_number.setdefault(outcome.lesson.number, []).append(outcome)
        cells = []
        for i, column in enumerate(lessons):
            cell = _cell(by_number.get(column.number, []), engine.reasons, details, pupil.id)
            cells.append(cell)
            if cell.scheduled:
                counts[i]["scheduled"] += 1
                counts[i][cell.kind] += 1
        tier = tiers.get(pupil.id)
        rows.append(PupilRow(pupil.id, sort_name(pupil), tuple(cells), engine.pupil_day(pupil.id, day),
                             tier.tier if tier else None, tier.absent_pct if tier else None,
                             (tier.start, tier.end) if tier else None))  # fmt: skip
    total = engine.total(r.figures for r in rows)
    return RegisterDay(
        group_id=group_id, day=day, lessons=lessons, rows=rows,
        lesson_totals=[LessonTotals(**c) for c in counts], total=total,
        no_lessons_reason="" if lessons else _no_lessons_reason(schedule, group_id, day),
        reasons=engine.reasons,
    )  # fmt: skip


def _tiers(session: Session, day: dt.date, pupil_ids: list[int]) -> dict[int, TierRow]:
    """The group's pupils' attendance tiers on ``day`` (one engine over the tier period, these pupils only)."""
    return pupil_tiers(session, day, pupil_ids) if pupil_ids else {}


def _cell(
    outcomes: list[LessonOutcome], reasons: dict[int, Reason], details: dict[int, AbsenceEntry], pupil_id: int
) -> Cell:
    if not outcomes:
        return Cell(scheduled=False)
    start, end = min(o.lesson.start for o in outcomes), max(o.lesson.end for o in outcomes)
    version = cell_version(e for e in details.values()
                           if e.pupil_id == pupil_id and e.start_minute < end and e.end_minute > start)
    lesson_minutes = sum(o.lesson.minutes for o in outcomes)
    minutes: dict[int, int] = {}
    entry_ids: list[int] = []
    for outcome in outcomes:
        for rid, m in outcome.minutes_by_reason:
            minutes[rid] = minutes.get(rid, 0) + m
        entry_ids.extend(outcome.entry_ids)
    if not minutes:
        return Cell(scheduled=True, lesson_minutes=lesson_minutes, version=version)
    ranked = sorted(minutes.items(), key=lambda kv: (-kv[1], reasons[kv[0]].sort_order))
    main_id, main_minutes = ranked[0]
    entries = [details[e] for e in entry_ids if e in details]
    notes = [e.note for e in entries if e.note]
    return Cell(
        scheduled=True, lesson_minutes=lesson_minutes, reason=reasons[main_id], minutes=main_minutes,
        other_reasons=tuple(reasons[rid].code for rid, _ in ranked[1:]),
        from_parent=any(e.source == Source.PARENT for e in entries),
        note="; ".join(dict.fromkeys(notes)),
        entered_by=", ".join(dict.fromkeys(e.created_by for e in entries if e.created_by)), version=version,
    )  # fmt: skip


# ------------------------------------------------------------------------------- actions (batches)


def register_cells(
    session: Session,
    day: dt.date,
    cells: Iterable[tuple[int, int]],
    reason_code: str | None,
    *,
    by: str,
    minutes_late: int = 0,
    change_reason: str = "",
    versions: Mapping[tuple[int, int], str] | None = None,
    attempted: Mapping[tuple[int, int], str] | None = None,
) -> list[DaySnapshot]:
    """Give every (pupil_id, lesson_number) in ``cells`` the reason (None = present), in one transaction.

    ``versions`` holds each cell's version as the grid loaded it (:attr:`Cell.version`); when one of them
    changed meanwhile on another PC, nothing is saved (:class:`~verzuimdesk.model.errors.ConflictError`; all
    cells are checked before the first is written). ``attempted`` describes the user's input per cell.
    Returns one snapshot per pupil from before the first change, so that undo restores the whole batch."""
    cells = list(cells)
    schedule = Schedule(session, day, day, sorted({pid for pid, _ in cells}))
    if versions is not None:
        for pupil_id, lesson_number in sorted(cells):
            what = (attempted or {}).get((pupil_id, lesson_number)) or f"les {lesson_number}: {reason_code or 'aanwezig'}"
            check_cell(session, pupil_id, day, lesson_number, versions.get((pupil_id, lesson_number), ""), schedule,
                       what)  # fmt: skip
    snapshots: dict[int, DaySnapshot] = {}
    for pupil_id, lesson_number in cells:
        before = register_lesson(
            session,
            pupil_id,
            day,
            lesson_number,
            reason_code,
            by=by,
            minutes_late=minutes_late,
            schedule=schedule,
            change_reason=change_reason,
        )
        snapshots.setdefault(pupil_id, before)
    # What this action left per pupil-day, so that undo can see whether another PC changed it since (issue 14).
    return [replace(snap, after=day_content(overlapping(session, snap.pupil_id, day, 0, 24 * 60)))
            for snap in snapshots.values()]  # fmt: skip


def restore_days(session: Session, snapshots: Sequence[DaySnapshot]) -> int:
    """Undo a batch of :func:`register_cells`; returns the number of pupil-days restored."""
    for snapshot in snapshots:
        restore_day(session, snapshot)
    return len(snapshots)


def school_day_near(
    session: Session, group_id: int | None, day: dt.date, step: int, *, horizon: int = 120
) -> dt.date:
    """The next (``step`` = 1) or previous (−1) day on which the group has lessons; ``day`` ± 1 if none
    is found within ``horizon`` days (e.g. outside any school year)."""
    lo, hi = (
        (day + dt.timedelta(days=1), day + dt.timedelta(days=horizon))
        if step > 0
        else (day - dt.timedelta(days=horizon), day - dt.timedelta(days=1))
    )
    schedule = Schedule(session, lo, hi, [])
    candidate = day
    for _ in range(horizon):
        candidate += dt.timedelta(days=step)
        if group_id is not None and schedule.group_lessons(group_id, candidate):
            return candidate
        if group_id is None and schedule.calendar.is_school_day(candidate):
            return candidate
    return day + dt.timedelta(days=step)


# ------------------------------------------------------------------------------------------ nabellen


@dataclass(frozen=True)
class CallListRow:
    """One line of the nabellen list: an unexplained absence with the parents' phone numbers."""

    item: Unexplained
    name: str
    guardians: tuple[Guardian, ...]

    @property
    def phones(self) -> str:
        parts = []
        for g in self.guardians:
            if g.phone:
                who = g.name or g.relation
                parts.append(f"{g.phone} ({who})" if who else g.phone)
        return "; ".join(parts)

    @property
    def attempts(self) -> str:
        """Earlier calls, e.g. "09:10 niet bereikt; 10:05 niet bereikt"."""
        out = []
        for call in self.item.calls:
            state = (
                f"bereikt ({call.contact})"
                if call.reached and call.contact
                else ("bereikt" if call.reached else "niet bereikt")
            )
            out.append(f"{call.called_at:%H:%M} {state}" + (f": {call.note}" if call.note else ""))
        return "; ".join(out)

    @property
    def lessons_text(self) -> str:
        return ", ".join(str(n) for n in self.item.lessons) if self.item.lessons else "deel van de dag"


def call_list(session: Session, day: dt.date, *, whole_week: bool = False) -> list[CallListRow]:
    """The nabellen to-do for ``day`` (or Monday through ``day`` with ``whole_week``)."""
    start = week_monday(day) if whole_week else day
    items = unexplained_absences(session, start, day)
    ids = list({u.pupil.id for u in items})
    guardians: dict[int, list[Guardian]] = {}
    if ids:
        for g in session.exec(
            select(Guardian).where(col(Guardian.pupil_id).in_(ids)).order_by(col(Guardian.id))
        ).all():
            guardians.setdefault(g.pupil_id, []).append(g)
    return [CallListRow(u, sort_name(u.pupil), tuple(guardians.get(u.pupil.id or 0, ()))) for u in items]


def active_reasons(session: Session) -> list[Reason]:
    return list(session.exec(select(Reason).where(Reason.active == True).order_by(col(Reason.sort_order))).all())
