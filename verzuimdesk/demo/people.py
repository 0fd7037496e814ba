"""The demo school's people and timetable: families, pupils, fictional BSNs and the generators behind them."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field

from stdnum.nl import bsn as stdnum_bsn

from verzuimdesk.model import dutch
from verzuimdesk.model.school.calendar import (
    SchoolCalendar,
)

SCHOOL_NAME = "Basisschool De Wilgenhoek"
ADMINISTRATOR = "M. Hoogland"

# --------------------------------------------------------------------------------------------- names

KLOKUREN = [(1, 510, 570), (2, 570, 630), (3, 630, 690), (4, 690, 750), (5, 780, 840), (6, 840, 900)]
"""Klokuren 08:30–12:30 and 13:00–15:00 (lunch 12:30–13:00 is not lesson time)."""


def _timetable(friday_afternoon_free: bool) -> list[tuple[int, int, int, int]]:
    rows: list[tuple[int, int, int, int]] = []
    for weekday in range(5):
        morning_only = weekday == 2 or (weekday == 4 and friday_afternoon_free)
        for number, start, end in KLOKUREN:
            if morning_only and number > 4:
                continue
            rows.append((weekday, number, start, end))
    return rows


GROUPS: list[tuple[str, str, str, str]] = [
    # key, name, jaargroep, teacher (taken_by of the registers)
    ("1/2a", "Groep 1/2a", "1", "A. Verbeek"),
    ("1/2b", "Groep 1/2b", "1", "S. El Khattabi"),
    ("3", "Groep 3", "3", "R. de Wit"),
    ("4", "Groep 4", "4", "L. Janssen"),
    ("5", "Groep 5", "5", "P. van Dam"),
    ("6", "Groep 6", "6", "K. Bulut"),
    ("7", "Groep 7", "7", "J. Hoekstra"),
    ("8", "Groep 8", "8", "E. van der Laan"),
]


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`create_demo_school` made (counts for tests and the status bar)."""

    school_name: str
    today: dt.date
    school_years: tuple[str, ...]
    groups: int
    pupils: int  # every pupil record, leavers included
    pupils_enrolled: int  # enrolled on ``today``
    guardians: int
    absence_entries: int
    registers_taken: int
    registers_missing: int  # past group lessons whose register was not taken
    unexplained_today: int  # pupils with "reden onbekend" on ``today``
    advance_reports: int  # parents' reports for days after ``today``
    deviations: int

    def __str__(self) -> str:
        return (
            f"{self.school_name}: {dutch.plural(self.groups, 'groep', 'groepen')}, {dutch.plural(self.pupils_enrolled, 'leerling', 'leerlingen')} ingeschreven "
            f"({self.pupils} in totaal, vertrokken leerlingen meegeteld), {self.guardians} ouders/verzorgers, "
            f"{self.absence_entries} registraties in de schooljaren {' en '.join(self.school_years)}, "
            f"{dutch.plural(self.registers_taken, 'les', 'lessen')} met afgenomen absentie ({self.registers_missing} niet afgenomen), "
            f"{dutch.plural(self.unexplained_today, 'leerling', 'leerlingen')} na te bellen op {dutch.date_short(self.today)}."
        )


@dataclass(frozen=True)
class _Family:
    prefix: str
    last: str
    gemeente: str
    address: str
    postcode: str
    guardians: list[tuple[str, str, str, str]]  # name, relation, phone, e-mail
    muslim: bool
    births: list[dt.date] = field(default_factory=list)  # of the children at this school

    def may_have_child_born(self, born: dt.date) -> bool:
        """Brothers and sisters are at least eleven months apart."""
        return all(abs((born - other).days) >= 335 for other in self.births)


@dataclass
class _Kid:
    pupil_id: int
    cohort: int  # birth cohort: born 1 Oct (cohort − 1) … 30 Sep (cohort)
    kleuter_group: str  # "1/2a" or "1/2b"
    muslim: bool
    sick_rate: float = 0.012  # chance per school day that a sickness starts
    late_rate: float = 0.004
    medical_rate: float = 0.005
    truant_rate: float = 0.0
    therapy_weekday: int | None = None


# --------------------------------------------------------------------------------------- generators


def generate_bsn(rng: random.Random, taken: set[str]) -> str:
    """A random 9-digit number that passes the BSN 11-check (fictional)."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1)))
        last = total % 11
        if last == 10:
            continue
        value = "".join(map(str, digits)) + str(last)
        if value not in taken and not value.startswith("10") and stdnum_bsn.is_valid(value):
            taken.add(value)
            return value


def _ascii(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).replace("ı", "i")
    return "".join(c for c in text if c.isalnum() and ord(c) < 128).lower()


def _email(first: str, prefix: str, last: str) -> str:
    return f"{_ascii(first)}.{_ascii(prefix + last)}@example.nl"


def _cohort_of(birth: dt.date) -> int:
    return birth.year + 1 if birth.month >= 10 else birth.year


def _random_birth(rng: random.Random, cohort: int) -> dt.date:
    first = dt.date(cohort - 1, 10, 1)
    return first + dt.timedelta(days=rng.randrange((dt.date(cohort, 9, 30) - first).days + 1))


def _jaargroep(cohort: int, year_start: int) -> int:
    """Jaargroep in the school year starting in ``year_start`` (born Oct 2019–Sep 2020 → group 3 in 2026)."""
    return year_start - cohort - 3


def _group_key(kid: _Kid, year_start: int) -> str | None:
    g = _jaargroep(kid.cohort, year_start)
    if g > 8:
        return None
    return kid.kleuter_group if g <= 2 else str(g)


def _first_school_day_on_or_after(cal: SchoolCalendar, day: dt.date, weekday: int | None = None) -> dt.date:
    while not cal.is_school_day(day) or (weekday is not None and day.weekday() != weekday):
        day += dt.timedelta(days=1)
    return day
