"""Dutch as a person writes it: the one helper for numbers, hours, percentages, dates and plurals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from verzuimdesk.model import dutch


def test_numbers_take_a_decimal_comma() -> None:
    assert dutch.number(3.5, 2) == "3,50"
    assert dutch.number(3.5, 2, trim=True) == "3,5"
    assert dutch.number(16.0, 2, trim=True) == "16"
    assert dutch.number(Decimal("7.50"), 2, trim=True) == "7,5"
    assert dutch.number(-0.004, 2) == "0,00"  # no "-0,00"
    assert dutch.number(1234.5, 1) == "1234,5"  # four digits: no separator
    assert dutch.number(12345.5, 1) == "12.345,5"  # five and more: a point groups the thousands
    assert dutch.number(-1234567, 0) == "-1.234.567"


def test_hours_percent_dates_and_clock() -> None:
    assert dutch.hours(90) == "1,5" and dutch.hours(960) == "16" and dutch.hours(45) == "0,75"
    assert dutch.hours(90, trim=False) == "1,50"
    assert dutch.percent(12.5) == "12,5 %" and dutch.percent(Decimal("5"), 2, trim=True) == "5 %"
    day = dt.date(2025, 11, 3)
    assert dutch.date_short(day) == "03-11-2025"
    assert dutch.date_long(day) == "3 november 2025"
    assert dutch.date_long(day, weekday=True) == "maandag 3 november 2025"
    assert dutch.date_time_short(dt.datetime(2025, 11, 3, 8, 5)) == "03-11-2025 08:05"
    assert dutch.span_short(day, day) == "03-11-2025"
    assert dutch.span_long(day, dt.date(2025, 11, 7)) == "3 november 2025 t/m 7 november 2025"
    assert dutch.clock(510) == "08:30"


def test_plural() -> None:
    assert dutch.plural(1, "melding", "meldingen") == "1 melding"
    assert dutch.plural(2, "melding", "meldingen") == "2 meldingen"
    assert dutch.plural(0, "schooldag", "schooldagen") == "0 schooldagen"


@given(st.integers(min_value=-10**9, max_value=10**9), st.integers(min_value=0, max_value=3))
def test_number_reads_back_to_the_rounded_value(cents: int, decimals: int) -> None:
    value = Decimal(cents) / 100
    text = dutch.number(value, decimals)
    assert "." not in text.split(",")[0] or len(text.split(",")[0].lstrip("-").replace(".", "")) >= 5
    back = Decimal(text.replace(".", "").replace(",", "."))
    assert back == round(value, decimals) or (back == 0 and round(value, decimals) == 0)
    assert text.count(",") == (1 if decimals else 0)


@given(st.integers(min_value=0, max_value=10**6))
def test_hours_are_the_minutes_divided_by_sixty(minutes: int) -> None:
    fixed = dutch.hours(minutes, trim=False)
    assert Decimal(fixed.replace(".", "").replace(",", ".")) == round(Decimal(minutes) / 60, 2)
    trimmed = dutch.hours(minutes)
    assert not trimmed.endswith(("0", ",")) or "," not in trimmed
    assert Decimal(trimmed.replace(".", "").replace(",", ".")) == Decimal(fixed.replace(".", "").replace(",", "."))
