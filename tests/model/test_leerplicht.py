"""Leerplicht status (art. 3, 4a, 4b Lpw)."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from verzuimdesk.model.law.leerplicht import LeerplichtStatus, leerplicht_start, leerplicht_status

D = dt.date


def test_worked_example_fifth_birthday_in_september() -> None:
    # domain-anchors §1.1: a child turning 5 on 2 September is leerplichtig from 1 October.
    born = D(2010, 9, 2)
    assert leerplicht_start(born) == D(2015, 10, 1)
    assert leerplicht_status(born, D(2015, 9, 30)) == LeerplichtStatus.NOT_YET
    assert leerplicht_status(born, D(2015, 10, 1)) == LeerplichtStatus.LEERPLICHTIG


def test_december_birthday_rolls_into_january() -> None:
    assert leerplicht_start(D(2019, 12, 15)) == D(2025, 1, 1)


def test_end_of_school_year_in_which_pupil_turns_16_then_kwalificatieplicht_then_18() -> None:
    born = D(2008, 3, 10)  # turns 16 on 10 March 2024 → leerplicht to 31 July 2024
    assert leerplicht_status(born, D(2024, 7, 31)) == LeerplichtStatus.LEERPLICHTIG
    assert leerplicht_status(born, D(2024, 8, 1)) == LeerplichtStatus.KWALIFICATIEPLICHTIG
    assert leerplicht_status(born, D(2026, 3, 9)) == LeerplichtStatus.KWALIFICATIEPLICHTIG
    assert leerplicht_status(born, D(2026, 3, 10)) == LeerplichtStatus.ADULT
    # Turning 16 in September: leerplicht runs to the end of that school year (next July).
    assert leerplicht_status(D(2008, 9, 5), D(2025, 7, 31)) == LeerplichtStatus.LEERPLICHTIG


def test_unknown_birth_date() -> None:
    assert leerplicht_status(None, D(2025, 1, 1)) == LeerplichtStatus.UNKNOWN


@given(st.dates(D(2000, 1, 1), D(2022, 12, 31)), st.dates(D(2004, 1, 1), D(2045, 12, 31)))
def test_status_moves_forward_only(born: dt.date, on: dt.date) -> None:
    order = [LeerplichtStatus.NOT_YET, LeerplichtStatus.LEERPLICHTIG,
             LeerplichtStatus.KWALIFICATIEPLICHTIG, LeerplichtStatus.ADULT]
    later = on + dt.timedelta(days=30)
    assert order.index(leerplicht_status(born, on)) <= order.index(leerplicht_status(born, later))
    # Never leerplichtig before the 5th birthday, always 18+ from the 18th birthday.
    if on < D(born.year + 5, born.month, min(born.day, 28)):
        assert leerplicht_status(born, on) == LeerplichtStatus.NOT_YET
