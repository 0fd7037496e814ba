"""Dutch as a person writes it: numbers, hours, percentages, dates and plurals for every layer (no Qt).

Screens, documents and the command line format through these functions, so "3,5 uur", "12,5%",
"3 november 2025" and "1 melding" look the same everywhere. The choices (Taalunie, taaladvies.net):

- Numbers take a decimal comma; from five digits on a point groups the thousands ("12.345,5"; "1234,5"
  stays as it is, as the Taalunie allows for four digits). ``trim`` drops trailing zeros for running text
  ("16 uur", "3,5 uur"); tables keep fixed decimals so columns line up.
- Percentages: the number, a space, the sign: "12,5 %" (both "12,5%" and "12,5 %" are correct Dutch; the
  program already wrote the latter on every screen and document).
- Dates, one format per context: ``date_short`` "03-11-2025" in tables, lists, file names and command-line
  columns; ``date_long`` "3 november 2025" (optionally with the weekday) in sentences, letters and
  document headings. Machine output (JSON, XML, CSV for DUO) stays ISO 8601 and does not come here.
- Plurals are spelled out by the caller: ``plural(n, "melding", "meldingen")``; Dutch plurals are too
  irregular (dag/dagen, kind/kinderen, signaal/signalen) to derive.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
               "oktober", "november", "december")  # fmt: skip
WEEKDAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")


def number(value: float | int | Decimal, decimals: int = 0, *, trim: bool = False) -> str:
    """``value`` with ``decimals`` decimals and a decimal comma: number(3.5, 2) == "3,50";
    with ``trim`` trailing zeros go: number(3.5, 2, trim=True) == "3,5", number(16.0, 2, trim=True) == "16"."""
    text = f"{value:.{decimals}f}"
    if trim and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and set(text[1:]) <= set("0."):
        text = text[1:]  # no "-0,0" for a value that rounds to zero
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, _, fraction = digits.partition(".")
    if len(whole) >= 5:
        whole = f"{int(whole):,}".replace(",", ".")
    return sign + whole + ("," + fraction if fraction else "")


def hours(minutes: int, *, trim: bool = True) -> str:
    """Minutes as klokuren with at most two decimals (domain.md §3): hours(90) == "1,5", hours(960) == "16";
    ``trim=False`` keeps two decimals for tables: hours(90, trim=False) == "1,50"."""
    return number(minutes / 60.0, 2, trim=trim)


def percent(value: float | int | Decimal, decimals: int = 1, *, trim: bool = False) -> str:
    """A percentage (0–100) with a decimal comma and the sign: percent(12.5) == "12,5 %"."""
    return number(value, decimals, trim=trim) + " %"


def date_short(day: dt.date) -> str:
    """Tables, lists and command-line columns: "03-11-2025"."""
    return f"{day.day:02d}-{day.month:02d}-{day.year}"


def date_long(day: dt.date, *, weekday: bool = False) -> str:
    """Sentences, letters and headings: "3 november 2025", with ``weekday`` "maandag 3 november 2025"."""
    text = f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{WEEKDAY_NAMES[day.weekday()]} {text}" if weekday else text


def date_time_short(moment: dt.datetime) -> str:
    """A moment in a table: "03-11-2025 14:05"."""
    return f"{date_short(moment.date())} {moment:%H:%M}"


def span_long(first: dt.date, last: dt.date) -> str:
    """A period in a sentence: "3 november 2025" or "3 november 2025 t/m 7 november 2025"."""
    return date_long(first) if first == last else f"{date_long(first)} t/m {date_long(last)}"


def span_short(first: dt.date, last: dt.date) -> str:
    """A period in a table: "03-11-2025" or "03-11-2025 t/m 07-11-2025"."""
    return date_short(first) if first == last else f"{date_short(first)} t/m {date_short(last)}"


def plural(n: int, singular: str, plural_form: str) -> str:
    """The count and the right form: plural(1, "melding", "meldingen") == "1 melding", plural(0, …) == "0 meldingen"."""
    return f"{n} {singular if n == 1 else plural_form}"


def clock(minute: int) -> str:
    """Minutes after midnight as a clock time: clock(510) == "08:30"."""
    return f"{minute // 60:02d}:{minute % 60:02d}"
