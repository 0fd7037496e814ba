"""Only finished periods reach DUO (issue 9, point 10): a running period is a preview counted up to
yesterday and marked as such, a future period is refused, and nothing unfinished is logged as delivered."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from tests.duo.conftest import DuoSchool
from verzuimdesk.model.db import Database
from verzuimdesk.model.errors import ValidationError
from verzuimdesk.model.law.aggregate import (
    build_aggregate,
    counted_through,
    custom_period,
    delivery_refusal,
    period_by_code,
)
from verzuimdesk.model.tables.documents import AggregateDelivery
from verzuimdesk.reports.duo.aggregate import export_aggregate

D = dt.date
Q1 = period_by_code("2025-2026/1")  # 1 August – 31 October 2025


def _log(db: Database) -> list[AggregateDelivery]:
    with db.session() as s:
        return list(s.exec(select(AggregateDelivery)).all())


def test_running_period_is_counted_up_to_yesterday(db: Database, duo_school: DuoSchool) -> None:
    with db.session() as s:
        running = build_aggregate(s, Q1, today=D(2025, 10, 8))  # a Wednesday in the last month of Q1
        upto = build_aggregate(s, custom_period(Q1.start, D(2025, 10, 7)), today=D(2025, 11, 1))
        whole = build_aggregate(s, Q1, today=D(2025, 11, 1))
    assert running.running and running.through == D(2025, 10, 7)
    assert running.running_label == "lopende periode, tot en met 07-10-2025"
    assert running.period == Q1  # the report names the period; the figures stop at ``through``
    total, part = running.rows[-1], upto.rows[-1]
    assert (total.pupils, total.scheduled_minutes, total.minutes) == (part.pupils, part.scheduled_minutes,
                                                                       part.minutes)  # fmt: skip
    assert total.scheduled_minutes < whole.rows[-1].scheduled_minutes  # 8–31 October is not scheduled time yet
    assert not whole.running and whole.running_label == ""


def test_running_period_is_refused_for_delivery_and_not_logged(db: Database, duo_school: DuoSchool,
                                                               tmp_path: Path) -> None:
    xml, csv = tmp_path / "q1.xml", tmp_path / "q1.csv"
    with db.transaction() as s, pytest.raises(ValidationError, match="loopt nog tot en met 31-10-2025"):
        export_aggregate(s, Q1, xml_path=xml, csv_path=csv, by="test", today=D(2025, 10, 31))
    assert not xml.exists() and not csv.exists() and _log(db) == []
    with db.transaction() as s:  # the day after the last day it can go
        export_aggregate(s, Q1, xml_path=xml, csv_path=csv, by="test", today=D(2025, 11, 1))
    assert [d.end_date for d in _log(db)] == [Q1.end, Q1.end]


def test_future_period_is_refused_for_preview_and_delivery(db: Database, duo_school: DuoSchool,
                                                           tmp_path: Path) -> None:
    q2 = period_by_code("2025-2026/2")
    with db.session() as s, pytest.raises(ValidationError, match="nog niet begonnen"):
        build_aggregate(s, q2, today=D(2025, 10, 20))
    with db.transaction() as s, pytest.raises(ValidationError, match="toekomstige periode"):
        export_aggregate(s, q2, xml_path=tmp_path / "q2.xml", csv_path=None, by="test", today=D(2025, 10, 20))
    assert _log(db) == []
    with db.session() as s:
        assert "loopt nog" in delivery_refusal(s, Q1, D(2025, 9, 1))
        assert delivery_refusal(s, Q1, D(2025, 11, 1)) == ""


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(D(2024, 1, 1), D(2027, 12, 31)), length=st.integers(0, 120),
       offset=st.integers(-200, 200))  # fmt: skip
def test_counted_days_never_reach_today(start: dt.date, length: int, offset: int) -> None:
    period = custom_period(start, start + dt.timedelta(days=length))
    today = start + dt.timedelta(days=offset)
    if today <= period.start:
        with pytest.raises(ValidationError):
            counted_through(period, today)
        return
    through = counted_through(period, today)
    assert period.start <= through <= period.end and through < today
    assert (through == period.end) == (period.end < today)  # complete exactly when the period is over


@pytest.mark.parametrize(("profile", "counted_until"), [
    ("vervolgonderwijs", dt.date(2026, 4, 30)),  # kwalificatieplichtig until 18 (14 March 2027): the whole period
    ("arbeidsmarkt", dt.date(2025, 7, 31)),  # art. 4a lid 2 Lpw: out of scope after full leerplicht
    ("dagbesteding", dt.date(2025, 7, 31)),
])
def test_vso_profiles_without_kwalificatieplicht_leave_the_aggregate_scope(profile: str,
                                                                         counted_until: dt.date) -> None:
    """Issue 9 point 6: the aggregate counts a 17-year-old vso pupil only while leerplichtig or
    kwalificatieplichtig; for the profiles arbeidsmarkt and dagbesteding that ends with full leerplicht (the end
    of the school year in which the pupil turned 16)."""
    from verzuimdesk.model.law.aggregate import in_scope_span

    born = dt.date(2009, 3, 15)  # 16 on 15 March 2025: full leerplicht ends 31 July 2025
    span = in_scope_span(born, dt.date(2025, 2, 1), dt.date(2026, 4, 30), profile)
    assert span == (dt.date(2025, 2, 1), counted_until)
    assert in_scope_span(born, dt.date(2025, 8, 1), dt.date(2025, 10, 31), profile) == (
        None if profile != "vervolgonderwijs" else (dt.date(2025, 8, 1), dt.date(2025, 10, 31)))
