"""The 16-hour detector against an independent brute-force reference over random calendars (art. 21a Lpw)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from verzuimdesk.model.law.signals.sixteen_hours import find_windows

START = dt.date(2025, 8, 25)  # a Monday


def reference(weeks: list[dt.date], minutes: dict[dt.date, int], restarts: list[dt.date], threshold: int,
              size: int) -> list[tuple[dt.date, dt.date, int]]:
    """Day by day in order: all windows of ``size`` consecutive lesweken that contain the day (the whole list
    when it is shorter), counting only days after the last restart point; the first window (earliest start)
    that holds ≥ threshold on days ≤ day is a hit, and counting restarts after that day."""
    windows = [weeks[j:j + size] for j in range(max(1, len(weeks) - size + 1))]
    days = sorted(d for d, m in minutes.items() if m > 0 and d - dt.timedelta(days=d.weekday()) in weeks)
    hits = []
    last_hit: dt.date | None = None
    for day in days:
        cut = max([r for r in restarts if r < day] + ([last_hit] if last_hit else []), default=None)
        for window in windows:
            mondays = set(window)
            if day - dt.timedelta(days=day.weekday()) not in mondays:
                continue
            inside = [d for d in days if d - dt.timedelta(days=d.weekday()) in mondays and d <= day
                      and (cut is None or d > cut)]
            total = sum(minutes[d] for d in inside)
            if total >= threshold:
                hits.append((inside[0], day, total))
                last_hit = day
                break
    return hits


@st.composite
def calendars(draw):
    n_weeks = draw(st.integers(1, 14))
    holiday = draw(st.lists(st.booleans(), min_size=n_weeks, max_size=n_weeks))  # True: holiday week
    weeks = [START + dt.timedelta(weeks=i) for i in range(n_weeks) if not holiday[i]]
    minutes = {}
    for monday in weeks:
        for wd in range(5):
            if draw(st.integers(0, 3)) == 0:
                minutes[monday + dt.timedelta(days=wd)] = draw(st.sampled_from([10, 45, 59, 60, 120, 240, 300, 360]))
    restarts = draw(st.lists(st.dates(START, START + dt.timedelta(weeks=n_weeks)), max_size=2))
    threshold = draw(st.sampled_from([960, 960, 480, 3]))
    size = draw(st.sampled_from([4, 4, 2, 8]))
    return weeks, minutes, restarts, threshold, size


@settings(max_examples=400, deadline=None)
@given(calendars())
def test_find_windows_matches_brute_force(case):
    weeks, minutes, restarts, threshold, size = case
    got = [(h.begin, h.end, h.total) for h in find_windows(weeks, minutes, threshold, size, restarts)]
    assert got == reference(weeks, minutes, restarts, threshold, size)


@settings(max_examples=200, deadline=None)
@given(calendars())
def test_window_breakdown_adds_up(case):
    weeks, minutes, restarts, threshold, size = case
    for hit in find_windows(weeks, minutes, threshold, size, restarts):
        assert sum(m for _w, m in hit.weeks) == hit.total >= threshold
        assert len(hit.weeks) == min(size, len(weeks))
        assert hit.days[0] == hit.begin and hit.days[-1] == hit.end


def test_holiday_week_is_skipped_not_zero():
    weeks = [START, START + dt.timedelta(weeks=1), START + dt.timedelta(weeks=3), START + dt.timedelta(weeks=4)]
    minutes = {START: 360, START + dt.timedelta(weeks=4): 600}  # 5 calendar weeks apart, 4 lesweken
    [hit] = find_windows(weeks, minutes)
    assert (hit.begin, hit.end, hit.total) == (START, START + dt.timedelta(weeks=4), 960)


def test_exactly_threshold():
    assert find_windows([START], {START: 959}) == []
    assert len(find_windows([START], {START: 960})) == 1
