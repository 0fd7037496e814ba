"""Leerplicht status of a pupil on a date (art. 3, 4a, 4b Lpw; domain.md §4.5), and the one rule that says
which days count toward a 16-hour melding of which kind (V3 under 18, V4 from 18; domain.md §7.2).

Choices where the sources leave room (also in docs/law.md):

- Art. 4a lid 2 Lpw: a vso pupil in the uitstroomprofiel *arbeidsmarkt* or *dagbesteding* is not
  kwalificatieplichtig. The program reads the profile from the pupil's group on the day (Group.uitstroomprofiel,
  matched case-insensitively on "arbeidsmarkt" / "dagbesteding"); full leerplicht (until the end of the school
  year of the 16th birthday) still applies, only the kwalificatieplicht after it falls away.
- RMC (Wet RMC, art. 118h WEB; DUO verzuimsoort RMC): a pupil who is no longer leerplichtig or
  kwalificatieplichtig and younger than 23.
- V3 counts only unauthorised minutes on days before the 18th birthday; V4 only minutes from it
  (:func:`sixteen_hour_kind`). The detector and the melding's validation both use this function.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum


class LeerplichtStatus(StrEnum):
    NOT_YET = "nog niet leerplichtig"
    LEERPLICHTIG = "leerplichtig"
    KWALIFICATIEPLICHTIG = "kwalificatieplichtig"
    NOT_KWALIFICATIEPLICHTIG = "niet kwalificatieplichtig (vso-uitstroomprofiel, art. 4a lid 2)"
    ADULT = "18 jaar of ouder"
    UNKNOWN = "geboortedatum onbekend"


# Art. 4a lid 2 Lpw: these vso uitstroomprofielen have no kwalificatieplicht.
NO_KWALIFICATIEPLICHT_PROFILES = ("arbeidsmarkt", "dagbesteding")
RMC_AGE = 23  # Wet RMC: jongeren tot 23 jaar zonder startkwalificatie


def profile_exempt(uitstroomprofiel: str) -> bool:
    """Art. 4a lid 2 Lpw: True for the vso uitstroomprofielen arbeidsmarkt and dagbesteding."""
    text = (uitstroomprofiel or "").strip().lower()
    return any(name in text for name in NO_KWALIFICATIEPLICHT_PROFILES)


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


def leerplicht_status(birth_date: dt.date | None, on: dt.date, uitstroomprofiel: str = "") -> LeerplichtStatus:
    """Status on ``on``: not yet (under art. 3), leerplichtig, kwalificatieplichtig (art. 4a, until 18; not
    for the vso profiles of art. 4a lid 2, pass the pupil's ``uitstroomprofiel`` on ``on``), or 18+ (no
    longer under the Lpw melding regime; DUO V4/RMC)."""
    if birth_date is None:
        return LeerplichtStatus.UNKNOWN
    if on >= add_years(birth_date, 18):
        return LeerplichtStatus.ADULT
    if on < leerplicht_start(birth_date):
        return LeerplichtStatus.NOT_YET
    if on <= leerplicht_end(birth_date):
        return LeerplichtStatus.LEERPLICHTIG
    if profile_exempt(uitstroomprofiel):
        return LeerplichtStatus.NOT_KWALIFICATIEPLICHTIG
    return LeerplichtStatus.KWALIFICATIEPLICHTIG


def under_lpw(status: LeerplichtStatus) -> bool:
    """Art. 21a Lpw applies (V3, LRV, L, zorgelijk verzuim): leerplichtig or kwalificatieplichtig, and a
    pupil without a birth date (the safe side: counted rather than silently skipped)."""
    return status in (LeerplichtStatus.LEERPLICHTIG, LeerplichtStatus.KWALIFICATIEPLICHTIG, LeerplichtStatus.UNKNOWN)


def rmc_applies(birth_date: dt.date | None, on: dt.date, uitstroomprofiel: str = "") -> bool:
    """Wet RMC: no longer leerplichtig or kwalificatieplichtig (18+, or art. 4a lid 2) and younger than 23."""
    if birth_date is None or on >= add_years(birth_date, RMC_AGE):
        return False
    status = leerplicht_status(birth_date, on, uitstroomprofiel)
    return status in (LeerplichtStatus.ADULT, LeerplichtStatus.NOT_KWALIFICATIEPLICHTIG)


def sixteen_hour_kind(birth_date: dt.date | None, on: dt.date, uitstroomprofiel: str = "") -> str | None:
    """Art. 21a Lpw / DUO: which 16-hour melding minutes on ``on`` count toward: "V3" (leerplichtig or
    kwalificatieplichtig, under 18), "V4" (18 or older, optional), or None (not counted: before leerplicht,
    or not kwalificatieplichtig under art. 4a lid 2). The detector and the melding validation both ask this."""
    status = leerplicht_status(birth_date, on, uitstroomprofiel)
    if status == LeerplichtStatus.ADULT:
        return "V4"
    return "V3" if under_lpw(status) else None


def lpw_scope_end(birth_date: dt.date, uitstroomprofiel: str = "") -> dt.date:
    """The last day the pupil is leerplichtig or kwalificatieplichtig: the day before the 18th birthday, or for
    the vso profiles of art. 4a lid 2 Lpw the end of full leerplicht (whichever comes first)."""
    eighteen = add_years(birth_date, 18) - dt.timedelta(days=1)
    return min(eighteen, leerplicht_end(birth_date)) if profile_exempt(uitstroomprofiel) else eighteen


def age_on(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def status_changes(birth_date: dt.date | None) -> list[dt.date]:
    """The days on which :func:`leerplicht_status`, :func:`rmc_applies` and :func:`sixteen_hour_kind` can
    change for a pupil born on ``birth_date`` (for a given uitstroomprofiel), sorted: between two of them
    (and before the first, after the last) each gives the same answer on every day. Lets a count over a
    school year ask once per stretch instead of once per day; a new date in those rules belongs here too."""
    if birth_date is None:
        return []
    return sorted({
        leerplicht_start(birth_date), leerplicht_end(birth_date) + dt.timedelta(days=1),
        add_years(birth_date, 18), add_years(birth_date, RMC_AGE),
    })  # fmt: skip
