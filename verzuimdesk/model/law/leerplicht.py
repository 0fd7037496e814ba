"""Leerplicht status of a pupil on a date (art. 3, 4a, 4b Lpw; domain.md §4.5)."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class LeerplichtStatus(StrEnum):
    NOT_YET = "nog niet leerplichtig"
    LEERPLICHTIG = "leerplichtig"
    KWALIFICATIEPLICHTIG = "kwalificatieplichtig"
    ADULT = "18 jaar of ouder"
    UNKNOWN = "geboortedatum onbekend"


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year: the birthday is 1 March
        return dt.date(day.year + years, 3, 1)


def leerplicht_start(birth_date: dt.date) -> dt.date:
    """Art. 3(1) Lpw: the first school day of the month after the month of the 5th birthday.

    Returned as the first of that month; days before the first school day have no lessons anyway."""
    fifth = add_years(birth_date, 5)
    return dt.date(fifth.year + (fifth.month == 12), fifth.month % 12 + 1, 1)


def leerplicht_end(birth_date: dt.date) -> dt.date:
    """Art. 4b(1)/4(1) Lpw: full leerplicht ends at the end of the school year (31 July) in which the
    pupil turned 16. (The alternative end after twelve full school years, art. 3(1)(a), needs the
    school career, which the register does not keep; for a po/(v)so pupil the age rule comes first.)"""
    sixteenth = add_years(birth_date, 16)
    year = sixteenth.year if sixteenth.month < 8 else sixteenth.year + 1
    return dt.date(year, 7, 31)


def leerplicht_status(birth_date: dt.date | None, on: dt.date) -> LeerplichtStatus:
    """Status on ``on``: not yet (under art. 3), leerplichtig, kwalificatieplichtig (art. 4a, until 18),
    or 18+ (no longer under the Lpw melding regime; DUO V4/RMC)."""
    if birth_date is None:
        return LeerplichtStatus.UNKNOWN
    if on >= add_years(birth_date, 18):
        return LeerplichtStatus.ADULT
    if on < leerplicht_start(birth_date):
        return LeerplichtStatus.NOT_YET
    if on <= leerplicht_end(birth_date):
        return LeerplichtStatus.LEERPLICHTIG
    return LeerplichtStatus.KWALIFICATIEPLICHTIG


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
