"""The school calendar: school years, regional holidays, days off and lesweken (domain.md §3).

Regional school holidays come from ``holidays`` ≥ 0.109 (Regeling vaststelling schoolvakanties
2025-2030, Stcrt. 2024, 19237) and are stored as editable :class:`DayOff` rows when a school year is
created, so that a school may shift its advisory autumn/spring dates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlmodel import Session, col, or_, select

from verzuimdesk.model.dutch import MONTH_NAMES as MONTH_NAMES
from verzuimdesk.model.dutch import WEEKDAY_NAMES as WEEKDAY_NAMES
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.tables import DayOff, DayOffKind, Region, SchoolYear

DAY = dt.timedelta(days=1)
WHOLE_DAY = (0, 24 * 60)

# Public holidays on which Dutch schools are closed by custom (domain.md §3, "schools add their own days
# off"), as named by `holidays` (public and optional categories). Bevrijdingsdag only in lustrum years
# (2025, 2030), as the CAO's make it a day off then; the school edits the list per year.
SCHOOL_CLOSED_PUBLIC_HOLIDAYS = {
    "Goede vrijdag", "Tweede paasdag", "Koningsdag", "Bevrijdingsdag", "Hemelvaartsdag", "Tweede pinksterdag",
}  # fmt: skip


def school_year_name_for(day: dt.date) -> str:
    """The school year (1 Aug – 31 Jul, domain.md §3) that contains ``day``, as "2025-2026"."""
    start = day.year if day.month >= 8 else day.year - 1
    return f"{start}-{start + 1}"


def school_year_bounds(name: str) -> tuple[dt.date, dt.date]:
    try:
        first, second = (int(p) for p in name.split("-"))
    except ValueError:
        raise ValidationError(f"'{name}' is geen schooljaar; schrijf het als 2025-2026.") from None
    if second != first + 1:
        raise ValidationError(f"'{name}' is geen schooljaar; schrijf het als 2025-2026.")
    return dt.date(first, 8, 1), dt.date(second, 7, 31)


def week_monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def daterange(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    """Every date from ``start`` through ``end`` inclusive."""
    day = start
    while day <= end:
        yield day
        day += DAY


@dataclass(frozen=True)
class HolidayPeriod:
    name: str
    start: dt.date
    end: dt.date


def regional_school_holidays(region: str, school_year: str) -> list[HolidayPeriod]:
    """School holidays of ``region`` that touch ``school_year`` (holidays ≥ 0.109, SCHOOL category)."""
    import holidays  # only when a school year is made (a start of the program does not need it)
    from holidays.constants import SCHOOL

    start, end = school_year_bounds(school_year)
    subdiv = Region(region).value.capitalize()
    table = holidays.Netherlands(
        subdiv=subdiv, years=[start.year, end.year, end.year + 1], categories=(SCHOOL,), language="nl"
    )
    by_name: dict[str, list[dt.date]] = defaultdict(list)
    for day, name in table.items():
        for part in str(name).split(";"):
            by_name[part.strip()].append(day)
    periods: list[HolidayPeriod] = []
    for name, days in by_name.items():
        days.sort()
        run_start = prev = days[0]
        following: list[dt.date | None] = [*days[1:], None]  # None closes the last run
        for nxt in following:
            if nxt is not None and nxt == prev + DAY:
                prev = nxt
                continue
            periods.append(HolidayPeriod(name, run_start, prev))
            if nxt is not None:
                run_start = prev = nxt
    # A summer holiday spans two school years (it runs past 1 August): each year keeps its own part.
    periods = [
        HolidayPeriod(p.name, max(p.start, start), min(p.end, end))
        for p in periods
        if p.start <= end and p.end >= start
    ]
    periods.sort(key=lambda p: p.start)
    return periods


def public_days_off(school_year: str) -> list[HolidayPeriod]:
    """Customary public holidays on school days, plus the Friday after Hemelvaart (domain.md §3)."""
    import holidays  # only when a school year is made
    from holidays.constants import OPTIONAL, PUBLIC
    start, end = school_year_bounds(school_year)
    table = holidays.Netherlands(years=[start.year, end.year], categories=(PUBLIC, OPTIONAL), language="nl")
    out: list[HolidayPeriod] = []
    for day, name in sorted(table.items()):
        if not (start <= day <= end) or day.weekday() >= 5:
            continue
        for part in str(name).split(";"):
            part = part.strip()
            if part == "Bevrijdingsdag" and day.year % 5:
                continue
            if part in SCHOOL_CLOSED_PUBLIC_HOLIDAYS:
                out.append(HolidayPeriod(part, day, day))
                if part == "Hemelvaartsdag":
                    out.append(HolidayPeriod("Vrijdag na Hemelvaart", day + DAY, day + DAY))
    return out


def create_school_year(session: Session, name: str, region: str) -> SchoolYear:
    """Create a school year with the regional holidays and customary public days off as editable rows."""
    start, end = school_year_bounds(name)
    existing = session.exec(select(SchoolYear).where(SchoolYear.name == name)).first()
    if existing is not None:
        raise ValidationError(f"Schooljaar {name} bestaat al.")
    year = SchoolYear(name=name, start_date=start, end_date=end)
    session.add(year)
    session.flush()
    for period in regional_school_holidays(region, name):
        session.add(
            DayOff(
                school_year_id=year.id, date_from=period.start, date_to=period.end,
                kind=DayOffKind.HOLIDAY.value, description=period.name, from_region_table=True,
            )
        )  # fmt: skip
    for period in public_days_off(name):
        session.add(
            DayOff(
                school_year_id=year.id, date_from=period.start, date_to=period.end,
                kind=DayOffKind.PUBLIC_HOLIDAY.value, description=period.name, from_region_table=True,
            )
        )  # fmt: skip
    session.flush()
    return year


def school_year_for(session: Session, day: dt.date) -> SchoolYear | None:
    return session.exec(
        select(SchoolYear).where(SchoolYear.start_date <= day, SchoolYear.end_date >= day)
    ).first()


class SchoolCalendar:
    """Days off for a date range, loaded once; answers "which part of this day is free for this group".

    A lesweek (domain.md §3) is a Monday–Sunday week with at least one scheduled lesson; at school level
    that is a week with at least one school day. Per pupil it follows from the pupil's own timetable
    (:meth:`verzuimdesk.model.register.timetable.Schedule.lesweken`).
    """

    def __init__(self, session: Session, start: dt.date, end: dt.date) -> None:
        self.start, self.end = start, end
        rows = session.exec(
            select(DayOff).where(DayOff.date_from <= end, or_(col(DayOff.date_to) >= start))
        ).all()
        self._school_days_off: dict[dt.date, DayOff] = {}
        self._partial: dict[dt.date, list[DayOff]] = defaultdict(list)
        for row in rows:
            lo, hi = max(row.date_from, start), min(row.date_to, end)
            for day in daterange(lo, hi):
                if row.weekday is not None and day.weekday() != row.weekday:
                    continue
                if row.group_id is None and row.start_minute is None:
                    self._school_days_off.setdefault(day, row)
                else:
                    self._partial[day].append(row)
        years = session.exec(
            select(SchoolYear).where(SchoolYear.start_date <= end, SchoolYear.end_date >= start)
        ).all()
        self._years = sorted(years, key=lambda y: y.start_date)

    def in_school_year(self, day: dt.date) -> bool:
        return any(y.start_date <= day <= y.end_date for y in self._years)

    def day_off(self, day: dt.date) -> DayOff | None:
        """The whole-school day off covering ``day``, if any."""
        return self._school_days_off.get(day)

    def is_school_day(self, day: dt.date) -> bool:
        """A weekday inside a school year that is not a whole-school day off."""
        return day.weekday() < 5 and self.in_school_year(day) and day not in self._school_days_off

    def free_spans(self, day: dt.date, group_id: int | None) -> list[tuple[int, int]]:
        """Parts of ``day`` without lessons for ``group_id`` (minutes since midnight, end exclusive)."""
        if day.weekday() >= 5 or not self.in_school_year(day) or day in self._school_days_off:
            return [WHOLE_DAY]
        spans: list[tuple[int, int]] = []
        for row in self._partial.get(day, ()):
            if row.group_id is not None and row.group_id != group_id:
                continue
            lo = row.start_minute if row.start_minute is not None else 0
            hi = row.end_minute if row.end_minute is not None else WHOLE_DAY[1]
            spans.append((lo, hi))
        return spans

    def school_days(self, start: dt.date | None = None, end: dt.date | None = None) -> list[dt.date]:
        return [d for d in daterange(start or self.start, end or self.end) if self.is_school_day(d)]

    def has_partial_days_off(self, day: dt.date) -> bool:
        """Whether a group's day off or a free part of the day touches ``day`` (then :meth:`free_spans`
        differs per group); on other school days no group has free time."""
        return day in self._partial

    def lesweken(self, start: dt.date | None = None, end: dt.date | None = None) -> list[dt.date]:
        """Mondays of the school-level lesweken in the range (weeks wholly off are skipped)."""
        weeks = {week_monday(d) for d in self.school_days(start, end)}
        return sorted(weeks)

    def describe(self, day: dt.date) -> str:
        """Dutch description of why ``day`` has no lessons, or "" for a school day."""
        if day.weekday() >= 5:
            return "weekend"
        if not self.in_school_year(day):
            return "buiten het schooljaar"
        off = self._school_days_off.get(day)
        return off.description or off.kind if off else ""


def add_day_off(
    session: Session,
    date_from: dt.date,
    date_to: dt.date,
    description: str,
    kind: str = DayOffKind.OTHER.value,
    *,
    group_id: int | None = None,
    weekday: int | None = None,
    start_minute: int | None = None,
    end_minute: int | None = None,
) -> DayOff:
    """Add a school day off, holiday or a group's free period, after checking the input."""
    if date_to < date_from:
        raise ValidationError("De einddatum ligt vóór de begindatum.")
    if (start_minute is None) != (end_minute is None):
        raise ValidationError("Geef bij een vrij dagdeel zowel de begin- als de eindtijd op.")
    if start_minute is not None and end_minute is not None and end_minute <= start_minute:
        raise ValidationError("De eindtijd van het vrije dagdeel ligt niet na de begintijd.")
    if not description.strip():
        raise ValidationError("Geef een omschrijving, bijvoorbeeld 'Studiedag'.")
    year = school_year_for(session, date_from)
    row = DayOff(
        school_year_id=year.id if year else None, date_from=date_from, date_to=date_to,
        kind=kind, description=description.strip(), group_id=group_id, weekday=weekday,
        start_minute=start_minute, end_minute=end_minute,
    )  # fmt: skip
    session.add(row)
    session.flush()
    return row


def parse_time(text: str) -> int:
    """"8:30" / "08.30" / "0830" → minutes since midnight; Dutch error on nonsense."""
    t = text.strip().replace(".", ":")
    if ":" not in t and t.isdigit() and len(t) in (3, 4):
        t = t[:-2] + ":" + t[-2:]
    try:
        hh, mm = (int(p) for p in t.split(":"))
    except ValueError:
        raise ValidationError(f"'{text}' is geen tijd; schrijf bijvoorbeeld 08:30.") from None
    if not (0 <= hh <= 23 and 0 <= mm <= 59):
        raise ValidationError(f"'{text}' is geen tijd; schrijf bijvoorbeeld 08:30.")
    return hh * 60 + mm


def subtract_spans(spans: Iterable[tuple[int, int]], holes: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``spans`` minus ``holes`` (half-open minute intervals), as sorted disjoint intervals."""
    result = sorted(s for s in spans if s[1] > s[0])
    for h_lo, h_hi in holes:
        nxt: list[tuple[int, int]] = []
        for lo, hi in result:
            if h_hi <= lo or h_lo >= hi:
                nxt.append((lo, hi))
                continue
            if lo < h_lo:
                nxt.append((lo, h_lo))
            if h_hi < hi:
                nxt.append((h_hi, hi))
        result = nxt
    return result


def intersect_spans(spans: Iterable[tuple[int, int]], windows: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of ``spans`` that lie inside any of ``windows``."""
    out: list[tuple[int, int]] = []
    wins = merge_spans(windows)
    for lo, hi in spans:
        for w_lo, w_hi in wins:
            a, b = max(lo, w_lo), min(hi, w_hi)
            if b > a:
                out.append((a, b))
    return sorted(out)


def merge_spans(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted disjoint union of half-open intervals."""
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(s for s in spans if s[1] > s[0]):
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged
