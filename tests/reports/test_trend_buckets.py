"""Trend charts never show one school day as a whole month (issue 12 point 5): short months (weeks) are
joined to a neighbour, summer months without school days are left out."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from verzuimdesk.reports.data import Period
from verzuimdesk.reports.source import MIN_MONTH_DAYS, MIN_WEEK_DAYS, merge_short_buckets, trend_buckets

YEAR_START = dt.date(2025, 8, 1)
FIRST_SCHOOL_DAY = dt.date(2025, 8, 18)


def weekdays(lo: dt.date, hi: dt.date) -> int:
    """School days of a plain calendar: Monday–Friday from 18 August."""
    return sum(1 for k in range((hi - lo).days + 1)
               if (d := lo + dt.timedelta(days=k)).weekday() < 5 and d >= FIRST_SCHOOL_DAY)


def test_the_first_school_day_of_december_joins_november() -> None:
    period = Period(YEAR_START, dt.date(2025, 12, 1), "tot nu")  # Monday 1 December: one school day
    merged = merge_short_buckets(trend_buckets(period), weekdays)
    assert [label for label, _lo, _hi in merged] == ["aug", "sep", "okt", "nov–dec"]
    assert merged[-1][1:] == (dt.date(2025, 11, 1), dt.date(2025, 12, 1))


def test_a_summer_month_without_school_days_is_left_out() -> None:
    period = Period(YEAR_START, dt.date(2025, 10, 31), "herfst")
    merged = merge_short_buckets(trend_buckets(period), lambda lo, hi: weekdays(lo, hi) if lo.month > 8 else 0)
    assert [label for label, _lo, _hi in merged] == ["sep", "okt"]


@given(end=st.dates(dt.date(2025, 8, 20), dt.date(2026, 7, 17)), start_offset=st.integers(0, 200))
def test_every_bucket_has_enough_school_days_and_together_they_cover_the_period(end: dt.date, start_offset: int) -> None:
    start = min(YEAR_START + dt.timedelta(days=start_offset), end)
    buckets = trend_buckets(Period(start, end, "p"))
    merged = merge_short_buckets(buckets, weekdays)
    assert merged
    minimum = MIN_WEEK_DAYS if buckets[0][0].startswith("wk") else MIN_MONTH_DAYS
    if len(merged) > 1:
        assert all(weekdays(lo, hi) >= minimum for _label, lo, hi in merged)
    for (_a, _lo, hi), (_b, lo, _hi) in zip(merged, merged[1:], strict=False):
        assert lo == hi + dt.timedelta(days=1)  # contiguous, nothing counted twice
    counted = sum(weekdays(lo, hi) for _label, lo, hi in merged)
    assert counted == weekdays(start, end)  # every school day of the period is in one bucket
    assert len({label for label, _lo, _hi in merged}) == len(merged)
