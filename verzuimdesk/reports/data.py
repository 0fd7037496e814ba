"""What the documents show, as plain data (issue 4): the PDF and XLSX writers are pure functions of these.

The builders (:mod:`verzuimdesk.reports.overviews.pupil_data`, :mod:`verzuimdesk.reports.overviews.group_data`) fill them from
the model; every number is a :class:`~verzuimdesk.model.register.figures.Figures` from the figures engine (or a
count of stored rows), never a second computation. This module also holds the period helpers and the
adapter to the attendance tiers (domain.md §10: niveau 1/2/3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlmodel import Session

from verzuimdesk.model import dutch
from verzuimdesk.model.register.figures import Figures
from verzuimdesk.model.school.calendar import MONTH_NAMES, school_year_bounds

# ------------------------------------------------------------------------------------------ periods

QUARTER_MONTHS = [(8, 10), (11, 1), (2, 4), (5, 7)]  # quarters of the school year (domain.md §8)


@dataclass(frozen=True)
class Period:
    """A date range a document covers, with its Dutch name ("schooljaar 2025-2026")."""

    start: dt.date
    end: dt.date
    label: str = ""

    @property
    def text(self) -> str:
        return f"{dutch.date_long(self.start)} t/m {dutch.date_long(self.end)}"

    @property
    def title(self) -> str:
        return f"{self.label} ({self.text})" if self.label else self.text

    def clipped(self, today: dt.date) -> Period:
        """The period up to and including ``today``: the future has no register yet."""
        if self.start <= today < self.end:
            return Period(self.start, today, self.label)
        return self


def school_year_period(name: str) -> Period:
    start, end = school_year_bounds(name)
    return Period(start, end, f"schooljaar {name}")


def quarter_period(name: str, quarter: int) -> Period:
    """Quarter 1–4 of school year ``name``: aug–okt, nov–jan, feb–apr, mei–jul."""
    first = int(name[:4])
    lo_month, hi_month = QUARTER_MONTHS[quarter - 1]
    lo = dt.date(first if lo_month >= 8 else first + 1, lo_month, 1)
    hi_year = first if hi_month >= 8 else first + 1
    hi = (dt.date(hi_year + (hi_month == 12), hi_month % 12 + 1, 1)) - dt.timedelta(days=1)
    return Period(lo, hi, f"{quarter}e kwartaal {name}")


def month_label(day: dt.date, *, short: bool = False) -> str:
    name = MONTH_NAMES[day.month - 1]
    return name[:3] if short else name


# ------------------------------------------------------------------------------------ tiers (niveaus)

TIER_NAMES = {1: "goede aanwezigheid", 2: "beginnend verzuim", 3: "chronisch verzuim"}
DEFAULT_TIER_BOUNDS = (5.0, 10.0)  # domain.md §10: < 5 % / 5–10 % / ≥ 10 % of scheduled time, configurable


@dataclass(frozen=True)
class Tier:
    level: int
    absent_pct: float
    bounds: tuple[float, float] = DEFAULT_TIER_BOUNDS

    @property
    def label(self) -> str:
        return f"niveau {self.level} – {TIER_NAMES.get(self.level, '')}"

    @property
    def explanation(self) -> str:
        lo, hi = (format_pct(b, 0 if b == int(b) else 1) for b in self.bounds)
        return f"Niveau 1 onder {lo}, niveau 2 van {lo} tot {hi}, niveau 3 vanaf {hi} afwezigheid " \
               "(geoorloofd en ongeoorloofd samen)."


def tier_bounds(session: Session) -> tuple[float, float]:
    """The school's tier cut-offs: the law engine's tier policy (``model.signals.policy``), else the default."""
    try:
        from verzuimdesk.model.register.tiers import get_tier_policy
    except ImportError:  # pragma: no cover - the law engine is not installed
        return DEFAULT_TIER_BOUNDS
    policy = get_tier_policy(session)
    return (policy.niveau2_from, policy.niveau3_from)


def tier_for(figures: Figures, bounds: tuple[float, float] = DEFAULT_TIER_BOUNDS) -> Tier:
    """The attendance tier of a pupil's figures: total absence as a share of own scheduled time over the
    document's period, with the school's cut-offs (:func:`tier_bounds`); the same rule as
    ``TierPolicy.tier`` of the law engine."""
    pct = figures.absent_pct
    level = 3 if pct >= bounds[1] else 2 if pct >= bounds[0] else 1
    return Tier(level, pct, bounds)


# --------------------------------------------------------------------------------------- formatting


def format_pct(value: float | None, decimals: int = 1) -> str:
    """Dutch percentage: "4,3 %" (— when there is nothing to divide by)."""
    if value is None:
        return "—"
    return dutch.percent(value, decimals)


def short_date(day: dt.date) -> str:
    return f"{day.day} {MONTH_NAMES[day.month - 1][:3]} {day.year}"


# ------------------------------------------------------------------------------------- shared parts


@dataclass(frozen=True)
class SchoolInfo:
    name: str
    brin: str = ""
    address: str = ""
    logo_path: str = ""


@dataclass(frozen=True)
class CategoryLine:
    label: str
    minutes: int
    pct: float | None  # share of net scheduled time; None where it is not part of it


@dataclass(frozen=True)
class ReasonLine:
    code: str  # "" when the reason is not shown (sickness without details)
    name: str
    category: str
    minutes: int
    times: int


@dataclass(frozen=True)
class TrendPoint:
    label: str
    start: dt.date
    end: dt.date
    value: float | None  # absent % of the pupil / group / school (None: nothing scheduled)
    compare: float | None = None  # the group's (or school's) absent %


@dataclass(frozen=True)
class WeekdayLine:
    weekday: int
    figures: Figures
    lessons: dict[int, int] = field(default_factory=dict)  # lesson number → times absent (any reason)
    lessons_unauthorised: dict[int, int] = field(default_factory=dict)


# ----------------------------------------------------------------------------------- pupil overview

# Day states of the calendar picture, in order of precedence.
DAY_UNAUTHORISED = "ongeoorloofd"
DAY_AUTHORISED = "geoorloofd"
DAY_LATE = "te laat"
DAY_NOT_COUNTED = "niet meegeteld"
DAY_PRESENT = "aanwezig"
DAY_OFF = "vrij"  # holiday, public holiday, studiedag
DAY_NOT_SCHEDULED = "geen les"  # a school day without lessons for this pupil (not enrolled, own timetable)
DAY_OUTSIDE = "buiten periode"
DAY_WEEKEND = "weekend"


@dataclass(frozen=True)
class DayCell:
    date: dt.date
    state: str
    partial: bool = False  # only part of the scheduled time
    note: str = ""  # e.g. the holiday's name


@dataclass(frozen=True)
class LeaveLine:
    kind: str
    date_from: dt.date
    date_to: dt.date
    status: str
    decided_on: dt.date | None


@dataclass(frozen=True)
class MeldingLine:
    kind: str
    begin: dt.date
    end: dt.date | None
    minutes: int
    status: str
    duo_number: str


@dataclass(frozen=True)
class SignalLine:
    kind: str
    begin: dt.date
    end: dt.date
    action: str
    reason: str


@dataclass(frozen=True)
class ContactLine:
    date: dt.date
    kind: str
    with_whom: str
    summary: str
    agreements: str
    planned: bool


@dataclass(frozen=True)
class InterventionLine:
    title: str
    start: dt.date
    evaluation: dt.date | None
    outcome: str
    effective: bool | None


@dataclass(frozen=True)
class LetterLine:
    date: dt.date
    title: str
    addressee: str


@dataclass
class PupilOverview:
    """Everything the per-pupil overview shows (issue 4 part 1; domain.md §10)."""

    school: SchoolInfo
    pupil_key: str
    pupil_name: str
    birth_date: dt.date | None
    group_name: str
    period: Period
    printed_on: dt.date
    figures: Figures
    tier: Tier
    categories: list[CategoryLine]
    reasons: list[ReasonLine]
    days: list[DayCell]
    weekdays: list[WeekdayLine]
    lesson_numbers: list[int]
    trend: list[TrendPoint]
    trend_compare_label: str
    leave: list[LeaveLine]
    meldingen: list[MeldingLine]
    signals: list[SignalLine]
    contacts: list[ContactLine]
    interventions: list[InterventionLine]
    include_sickness_details: bool = False
    letters: list[LetterLine] = field(default_factory=list)  # letters to the parents (issue 13)
    health_withheld: int = 0  # lines left out or replaced because they are about health (AVG art. 9)


# ------------------------------------------------------------------------------- group / school


@dataclass(frozen=True)
class PupilRow:
    pupil_id: int
    key: str
    name: str  # sort name
    group: str
    figures: Figures
    tier: Tier
    unresolved_days: int  # days with "reden onbekend" still open


@dataclass(frozen=True)
class GroupRow:
    group_id: int
    name: str
    figures: Figures
    registers_not_taken: int
    unresolved_days: int


@dataclass(frozen=True)
class NotTakenLine:
    date: dt.date
    group: str
    lesson: int


@dataclass
class GroupOverview:
    """A group or the whole school (issue 4 part 2)."""

    school: SchoolInfo
    title: str  # "Groep 5" or the school's name
    is_school: bool
    period: Period
    printed_on: dt.date
    total: Figures
    pupils: list[PupilRow]
    groups: list[GroupRow]
    tier_counts: dict[int, int]
    weekdays: list[WeekdayLine]
    lesson_numbers: list[int]
    reasons: list[ReasonLine]
    around_holidays: Figures  # the last school day before and the first after each holiday
    other_days: Figures
    trend: list[TrendPoint]
    not_taken: list[NotTakenLine]
    include_names: bool = True
