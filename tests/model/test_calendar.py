"""School calendar: regional holidays, lesweken, days off (domain.md §3; domain-anchors.md §5.2)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.school.calendar import (
    SchoolCalendar,
    add_day_off,
    create_school_year,
    daterange,
    intersect_spans,
    merge_spans,
    parse_time,
    school_year_name_for,
    subtract_spans,
    week_monday,
)
from verzuimdesk.model.school.records import save_school
from verzuimdesk.model.tables import School

D = dt.date

# The holiday table of research/domain-anchors.md §5.2 (inclusive, Saturday–Sunday), typed over by hand.
TABLE: dict[str, dict[str, list[tuple[dt.date, dt.date]]]] = {
    "2025-2026": {
        "noord": [(D(2025, 7, 12), D(2025, 8, 24)), (D(2025, 10, 18), D(2025, 10, 26)),
                  (D(2025, 12, 20), D(2026, 1, 4)), (D(2026, 2, 21), D(2026, 3, 1)),
                  (D(2026, 4, 25), D(2026, 5, 3)), (D(2026, 7, 4), D(2026, 8, 16))],
        "midden": [(D(2025, 7, 19), D(2025, 8, 31)), (D(2025, 10, 18), D(2025, 10, 26)),
                   (D(2025, 12, 20), D(2026, 1, 4)), (D(2026, 2, 14), D(2026, 2, 22)),
                   (D(2026, 4, 25), D(2026, 5, 3)), (D(2026, 7, 18), D(2026, 8, 30))],
        "zuid": [(D(2025, 7, 5), D(2025, 8, 17)), (D(2025, 10, 11), D(2025, 10, 19)),
                 (D(2025, 12, 20), D(2026, 1, 4)), (D(2026, 2, 14), D(2026, 2, 22)),
                 (D(2026, 4, 25), D(2026, 5, 3)), (D(2026, 7, 11), D(2026, 8, 23))],
    },
    "2026-2027": {
        "noord": [(D(2026, 7, 4), D(2026, 8, 16)), (D(2026, 10, 10), D(2026, 10, 18)),
                  (D(2026, 12, 19), D(2027, 1, 3)), (D(2027, 2, 20), D(2027, 2, 28)),
                  (D(2027, 4, 24), D(2027, 5, 2)), (D(2027, 7, 10), D(2027, 8, 22))],
        "midden": [(D(2026, 7, 18), D(2026, 8, 30)), (D(2026, 10, 17), D(2026, 10, 25)),
                   (D(2026, 12, 19), D(2027, 1, 3)), (D(2027, 2, 20), D(2027, 2, 28)),
                   (D(2027, 4, 24), D(2027, 5, 2)), (D(2027, 7, 17), D(2027, 8, 29))],
        "zuid": [(D(2026, 7, 11), D(2026, 8, 23)), (D(2026, 10, 17), D(2026, 10, 25)),
                 (D(2026, 12, 19), D(2027, 1, 3)), (D(2027, 2, 13), D(2027, 2, 21)),
                 (D(2027, 4, 24), D(2027, 5, 2)), (D(2027, 7, 24), D(2027, 9, 5))],
    },
}  # fmt: skip


def expected_lesweken(year: str, region: str) -> list[dt.date]:
    """Brute force from the table: weeks with at least one weekday of the school year outside a holiday."""
    first = int(year[:4])
    start, end = D(first, 8, 1), D(first + 1, 7, 31)
    holidays = TABLE[year][region]
    weeks = set()
    for day in daterange(start, end):
        if day.weekday() < 5 and not any(lo <= day <= hi for lo, hi in holidays):
            weeks.add(week_monday(day))
    return sorted(weeks)


@pytest.mark.parametrize("year", ["2025-2026", "2026-2027"])
@pytest.mark.parametrize("region", ["noord", "midden", "zuid"])
def test_lesweken_follow_the_regional_holiday_table(db, year: str, region: str) -> None:
    with db.transaction() as s:
        save_school(s, School(name="X", region=region))
        sy = create_school_year(s, year, region)
    with db.session() as s:
        cal = SchoolCalendar(s, sy.start_date, sy.end_date)
        got = cal.lesweken()
    assert got == expected_lesweken(year, region)
    # Every school year has about forty lesweken; none of them lies wholly in a holiday.
    assert 38 <= len(got) <= 44


def test_summer_holiday_spans_two_school_years(db) -> None:
    with db.transaction() as s:
        create_school_year(s, "2025-2026", "midden")
    with db.session() as s:
        cal = SchoolCalendar(s, D(2025, 8, 1), D(2026, 7, 31))
        # Midden: zomer 19 jul – 31 aug 2025, so 1 September 2025 is the first school day.
        assert not cal.is_school_day(D(2025, 8, 29))
        assert cal.is_school_day(D(2025, 9, 1))
        assert cal.describe(D(2025, 8, 29)) == "Zomervakantie"
        assert cal.describe(D(2025, 10, 20)) == "Herfstvakantie"
        assert not cal.is_school_day(D(2026, 4, 27))  # Koningsdag, a Monday
        assert not cal.is_school_day(D(2026, 5, 15))  # the Friday after Hemelvaart


def test_day_off_for_one_group_only_frees_that_group(db) -> None:
    from verzuimdesk.model.school.records import save_group
    from verzuimdesk.model.tables import Group

    with db.transaction() as s:
        create_school_year(s, "2025-2026", "noord")
        g1 = save_group(s, Group(key="g1", name="Groep 1"))
        g8 = save_group(s, Group(key="g8", name="Groep 8"))
        # Groups 1–4 free on Friday afternoon, all year.
        add_day_off(s, D(2025, 8, 1), D(2026, 7, 31), "Vrijdagmiddag vrij", group_id=g1.id, weekday=4,
                    start_minute=12 * 60, end_minute=24 * 60)
        add_day_off(s, D(2025, 11, 12), D(2025, 11, 12), "Studiedag", kind="studiedag")
        g1_id, g8_id = g1.id, g8.id
    with db.session() as s:
        cal = SchoolCalendar(s, D(2025, 8, 1), D(2026, 7, 31))
        friday = D(2025, 11, 7)
        assert cal.free_spans(friday, g1_id) == [(720, 1440)]
        assert cal.free_spans(friday, g8_id) == []
        assert cal.free_spans(D(2025, 11, 6), g1_id) == []  # Thursday: no free afternoon
        assert not cal.is_school_day(D(2025, 11, 12))
        assert cal.describe(D(2025, 11, 12)) == "Studiedag"


def test_bad_day_off_input_is_refused_in_dutch(db) -> None:
    with db.transaction() as s:
        with pytest.raises(ValidationError, match="einddatum ligt vóór"):
            add_day_off(s, D(2025, 11, 12), D(2025, 11, 11), "Studiedag")
        with pytest.raises(ValidationError, match="omschrijving"):
            add_day_off(s, D(2025, 11, 12), D(2025, 11, 12), "  ")


def test_school_year_names_and_times() -> None:
    assert school_year_name_for(D(2025, 7, 31)) == "2024-2025"
    assert school_year_name_for(D(2025, 8, 1)) == "2025-2026"
    assert parse_time("8:30") == 510
    assert parse_time("08.45") == 525
    assert parse_time("1215") == 735
    with pytest.raises(ValidationError, match="geen tijd"):
        parse_time("25:00")


spans = st.lists(st.tuples(st.integers(0, 120), st.integers(0, 120)).map(lambda t: (min(t), max(t))), max_size=6)


def minutes_of(intervals: list[tuple[int, int]]) -> set[int]:
    return {m for lo, hi in intervals for m in range(lo, hi)}


@given(spans, spans)
def test_subtract_spans_is_set_difference(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    result = subtract_spans(merge_spans(a), b)
    assert minutes_of(result) == minutes_of(a) - minutes_of(b)
    assert all(lo < hi for lo, hi in result)
    assert all(x[1] <= y[0] for x, y in zip(result, result[1:]))  # sorted and disjoint


@given(spans, spans)
def test_intersect_spans_is_set_intersection(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> None:
    result = intersect_spans(merge_spans(a), b)
    assert minutes_of(result) == minutes_of(a) & minutes_of(b)
    assert sum(hi - lo for lo, hi in result) == len(minutes_of(a) & minutes_of(b))
