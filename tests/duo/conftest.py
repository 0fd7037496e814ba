"""The small hand-built school of tests/builders.py with absence for the DUO outputs.

Quarter 1 of 2025-2026 (1 August – 31 October; region noord: herfstvakantie 18–26 October):
- Piet (1001, g5): Z on Monday 1 September (6 lessons), O lessons 1–2 on Tuesday 2 September;
- Sanne (1002, g5): O the whole week 6–10 October (30 lessons);
- Emre (1003, g5): S (schorsing, ground c) Monday 15 and Tuesday 16 September;
- Noor (2001, g12): Z Thursday 2 October, late 15 minutes (T) on Friday 3 October;
- Lotte (2002, g12, born 10 March 2021): O on Wednesday 10 September — not leerplichtig until 1 April 2026.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tests.builders import SmallSchool, build_small_school
from verzuimdesk.model.db import Database
from verzuimdesk.model.register.entries import register_lesson, report_absence
from verzuimdesk.model.school.records import place_in_group, save_pupil
from verzuimdesk.model.store import set_setting
from verzuimdesk.model.tables import Guardian, Pupil

D = dt.date
LOTTE_BORN = D(2021, 3, 10)


@dataclass
class DuoSchool:
    small: SmallSchool
    lotte: int

    @property
    def pupils(self) -> dict[str, int]:
        return {**self.small.pupils, "2002": self.lotte}


def build_duo_school(db: Database) -> DuoSchool:
    small = build_small_school(db)
    p = small.pupils
    with db.transaction() as s:
        lotte = save_pupil(s, Pupil(key="2002", achternaam="Bakker", roepnaam="Lotte", birth_date=LOTTE_BORN,
                                    enrolled_on=D(2025, 8, 1)))
        assert lotte.id is not None
        place_in_group(s, lotte.id, small.g12, D(2025, 8, 1))
        for key, value in (("melder_functie", "Intern begeleider"), ("melder_telefoon", "050-1234567"),
                           ("melder_email", "j.deboer@proefschool.nl")):
            set_setting(s, key, value)
        piet = s.get(Pupil, p["1001"])
        assert piet is not None
        piet.woongemeente = "Groningen"
        s.add(piet)
        s.add(Guardian(pupil_id=p["1001"], name="M. Jansen", relation="moeder", phone="06-12345678"))
        report_absence(s, p["1001"], D(2025, 9, 1), D(2025, 9, 1), "Z", by="ouder")
        for lesson in (1, 2):
            register_lesson(s, p["1001"], D(2025, 9, 2), lesson, "O", by="test")
        report_absence(s, p["1002"], D(2025, 10, 6), D(2025, 10, 10), "O", by="test")
        report_absence(s, p["1003"], D(2025, 9, 15), D(2025, 9, 16), "S", by="directie")
        report_absence(s, p["2001"], D(2025, 10, 2), D(2025, 10, 2), "Z", by="ouder")
        register_lesson(s, p["2001"], D(2025, 10, 3), 1, "T", by="test", minutes_late=15)
        register_lesson(s, lotte.id, D(2025, 9, 10), 3, "O", by="test")
    return DuoSchool(small, lotte.id)


@pytest.fixture
def duo_school(db: Database) -> DuoSchool:
    return build_duo_school(db)
