"""A small hand-built school for tests: numbers in tests are counted by hand against it.

School "De Proefschool", region noord, school year 2025-2026 (holidays of the regional table).
Group 5 ("g5"): Monday–Friday, six lessons of 60 minutes, 08:30–14:30 (lesson n starts at 8:30 + n−1 h).
Group 1/2 ("g12"): Monday–Thursday 08:30–14:30 (six lessons) and Friday 08:30–12:30 (four lessons).
Pupils: see ``PUPILS``; all enrolled 2020-08-01 and in their group from 2025-08-01.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from verzuimdesk.model.db import Database
from verzuimdesk.model.register.timetable import set_group_timetable
from verzuimdesk.model.school.records import place_in_group, save_group, save_pupil, setup_school
from verzuimdesk.model.tables import Group, Pupil

YEAR = "2025-2026"
YEAR_START = dt.date(2025, 8, 1)
YEAR_END = dt.date(2026, 7, 31)


@dataclass
class SmallSchool:
    g5: int
    g12: int
    pupils: dict[str, int]  # key → id


PUPILS = [
    # key, achternaam, voorvoegsel, roepnaam, birth date, bsn, group
    ("1001", "Jansen", "", "Piet", dt.date(2016, 3, 1), "111222333", "g5"),
    ("1002", "Berg", "van den", "Sanne", dt.date(2016, 5, 12), "", "g5"),
    ("1003", "Yılmaz", "", "Emre", dt.date(2015, 11, 30), "", "g5"),
    ("2001", "Visser", "", "Noor", dt.date(2020, 6, 15), "", "g12"),
]


def lessons_full_days(days: range = range(5), count: int = 6) -> list[tuple[int, int, int, int]]:
    return [(wd, n, 510 + 60 * (n - 1), 570 + 60 * (n - 1)) for wd in days for n in range(1, count + 1)]


def build_small_school(db: Database) -> SmallSchool:
    with db.transaction() as s:
        setup_school(s, "De Proefschool", brin="99ZZ", region="noord", school_years=[YEAR])
        g5 = save_group(s, Group(key="g5", name="Groep 5", jaargroep="5"))
        g12 = save_group(s, Group(key="g12", name="Groep 1/2", jaargroep="1"))
        assert g5.id is not None and g12.id is not None
        set_group_timetable(s, g5.id, lessons_full_days())
        set_group_timetable(s, g12.id, lessons_full_days(range(4)) + lessons_full_days(range(4, 5), 4))
        ids: dict[str, int] = {}
        for key, last, prefix, first, born, bsn, group in PUPILS:
            p = save_pupil(s, Pupil(key=key, achternaam=last, voorvoegsel=prefix, roepnaam=first,
                                    birth_date=born, bsn=bsn, enrolled_on=dt.date(2020, 8, 1)))
            assert p.id is not None
            place_in_group(s, p.id, g5.id if group == "g5" else g12.id, YEAR_START)
            ids[key] = p.id
        return SmallSchool(g5.id, g12.id, ids)
