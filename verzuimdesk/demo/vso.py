"""The demo school's small vso department: the law for 16- to 18-year-olds that a po school never shows
(issue 9 point 6). Two groups and three pupils, numbered from 3001 so that the po pupils keep their numbers:

- **3001** (group VSO-VO, uitstroomprofiel vervolgonderwijs) turns 18 ten school days before ``today``. He stayed away without a reason on
  the two school days before his birthday (12 hours) and on the four from it. Only the minutes from the
  birthday count toward the 16 hours, and they give a V4: "melding mogelijk, niet verplicht". The 12 hours
  before it stay below the V3 threshold (a zorgelijk signal, if any, is the school's own rule).
- **3002** (group VSO-DB, uitstroomprofiel dagbesteding) is 16 and past full leerplicht: art. 4a lid 2 Lpw, not kwalificatieplichtig.
  His 18 hours of unauthorised absence in the last weeks give no V3 and no zorgelijk signal; the status says
  why ("niet kwalificatieplichtig (vso-uitstroomprofiel, art. 4a lid 2)").
- **3003** (VSO-DB) is 17, also not kwalificatieplichtig, and has not been at school since more than a
  calendar month: one mandatory RMC melding (Wet RMC), still to be made.

Choice (the program keeps one sector per school, ``School.sector``): the demo stays a po school. The rules shown
here do not read the sector: V3/V4 follow the pupil's age (``leerplicht.sixteen_hour_kind``), art. 4a lid 2 and
RMC the group's ``uitstroomprofiel`` (``leerplicht.leerplicht_status``, ``rmc_applies``); the groups carry
``department`` "vso" for the overviews. What does follow the sector — counting in lesuren, the aggregate's
defaults, the vso paragraph of the schoolgids — stays that of a po school (klokuren). A real school with so and
vso registers as such (sector "vso"); this department only shows the law's edges in one demo.

No draw from the builder's random generator: the rest of the demo stays exactly as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sqlmodel import Session, select

from verzuimdesk.demo.people import _timetable, generate_bsn
from verzuimdesk.model.law.leerplicht import add_years
from verzuimdesk.model.register.timetable import Schedule, set_group_timetable
from verzuimdesk.model.school.calendar import SchoolCalendar
from verzuimdesk.model.school.records import place_in_group, save_group, save_pupil
from verzuimdesk.model.tables import Group, Guardian, Pupil, Reason, Source

# key, name, uitstroomprofiel, teacher (taken_by of the registers)
VSO_GROUPS = (
    ("vso-vervolg", "VSO-VO", "vervolgonderwijs", "H. Mulder"),  # short names: they fit the overviews' columns
    ("vso-dagbesteding", "VSO-DB", "dagbesteding", "D. Koster"),
)
NOTE = "Niet op school; ouders wisten van niets."


@dataclass
class VsoDepartment:
    """What :func:`add_vso_department` made; its absence and registers follow once the schedule is known."""

    today: dt.date
    calendar: SchoolCalendar
    cur_start: dt.date
    prev_start: dt.date
    absent_code_id: int
    groups: dict[str, Group] = field(default_factory=dict)
    pupils: dict[str, int] = field(default_factory=dict)  # leerlingnummer → pupil id

    def _past_days(self) -> list[dt.date]:
        return self.calendar.school_days(self.cur_start, self.today - dt.timedelta(days=1))

    def absence(self, schedule: Schedule) -> list[dict[str, object]]:
        """AbsenceEntry rows (the builder inserts them with the rest): unauthorised whole days, see the docstring."""
        days = self._past_days()
        plan: dict[str, list[dt.date]] = {}
        if len(days) >= 12:
            plan["3001"] = days[-12:-6]  # two days before the 18th birthday (days[-10]) and four from it
        if len(days) >= 10:
            plan["3002"] = [days[-10], days[-8], days[-4]]  # three whole days in two weeks: 18 hours
        since = self.today - dt.timedelta(days=45)  # more than a calendar month, and still going on today
        plan["3003"] = [d for d in self.calendar.school_days(self.cur_start, self.today) if d >= since]
        rows: list[dict[str, object]] = []
        for key, absent in plan.items():
            pid = self.pupils[key]
            for day in absent:
                at = dt.datetime.combine(day, dt.time(8, 50))
                rows += [{
                    "pupil_id": pid, "date": day, "lesson_number": les.number, "start_minute": les.start,
                    "end_minute": les.end, "reason_id": self.absent_code_id, "minutes_late": 0,
                    "source": Source.OFFICE.value, "note": NOTE, "created_by": "H. Mulder", "created_at": at,
                    "updated_at": None,
                } for les in schedule.lessons_for(pid, day)]  # fmt: skip
        return rows

    def registers(self, schedule: Schedule) -> list[dict[str, object]]:
        """Registers taken for every past lesson of the department, and today's first lesson."""
        rows: list[dict[str, object]] = []
        teachers = {key: teacher for key, _n, _p, teacher in VSO_GROUPS}
        for key, group in self.groups.items():
            assert group.id is not None
            for day in self.calendar.school_days(self.prev_start, self.today):
                for les in schedule.group_lessons(group.id, day):
                    if day == self.today and les.number > 1:
                        continue
                    rows.append({
                        "group_id": group.id, "date": day, "lesson_number": les.number, "taken_by": teachers[key],
                        "taken_at": dt.datetime.combine(day, dt.time(les.start // 60, les.start % 60 + 3)),
                    })  # fmt: skip
        return rows


def add_vso_department(session: Session, *, today: dt.date, calendar: SchoolCalendar, prev_start: dt.date,
                       cur_start: dt.date, reasons: dict[str, Reason], bsns: set[str],
                       seed: int) -> VsoDepartment:  # fmt: skip
    """The two vso groups (department "vso", klokuren like the rest of the school) and their three pupils."""
    rng = random.Random(seed + 18)  # its own generator: the po school's draws stay as they were
    assert reasons["O"].id is not None
    dept = VsoDepartment(today, calendar, cur_start, prev_start, reasons["O"].id)
    for key, name, profile, _teacher in VSO_GROUPS:
        group = save_group(session, Group(key=key, name=name, jaargroep="V", uitstroomprofiel=profile,
                                          department="vso", registers_per="klokuur"))  # fmt: skip
        assert group.id is not None
        set_group_timetable(session, group.id, _timetable(friday_afternoon_free=False))
        dept.groups[key] = group
    past = calendar.school_days(cur_start, today - dt.timedelta(days=1))
    birthday = past[-10] if len(past) >= 10 else today + dt.timedelta(days=200)
    people = (
        ("3001", "vso-vervolg", add_years(birthday, -18), "Daan", "Daan Pieter", "m", "de", "Bruijn",
         "Karin de Bruijn", "Werd 18 op een schooldag in november; traject naar het mbo (entree)."),
        ("3002", "vso-dagbesteding", add_years(cur_start, -16) - dt.timedelta(days=45), "Mila", "Mila Johanna", "v",
         "", "Verhoeven", "Ruud Verhoeven", "Uitstroomprofiel dagbesteding (art. 4a lid 2 Lpw)."),
        ("3003", "vso-dagbesteding", add_years(cur_start, -17) + dt.timedelta(days=60), "Sem", "Sem", "m", "van",
         "Rijn", "Els van Rijn", "Uitstroomprofiel dagbesteding; thuiszitter, RMC-coördinator ingelicht."),
    )  # fmt: skip
    taken = {(p.roepnaam, p.voorvoegsel, p.achternaam) for p in session.exec(select(Pupil)).all()}
    spare = iter(("Mulder", "Kok", "Postma", "Veenstra", "Huisman", "Brouwer"))
    for number, group_key, born, roepnaam, voornamen, gender, prefix, last, parent, notes in people:
        while (roepnaam, prefix, last) in taken:  # no two pupils with the same name (a register needs that)
            prefix, last = "", next(spare)
            parent = f"{parent.split()[0]} {last}"
        taken.add((roepnaam, prefix, last))
        pupil = save_pupil(session, Pupil(
            key=number, achternaam=last, voorvoegsel=prefix, voornamen=voornamen, roepnaam=roepnaam, birth_date=born,
            gender=gender, bsn=generate_bsn(rng, bsns), woongemeente="Houten", address=f"Vlinderhof {rng.randint(2, 80)}",
            postcode="3992 AB", city="Houten", enrolled_on=prev_start, notes=notes,
        ))  # fmt: skip
        assert pupil.id is not None
        session.add(Guardian(pupil_id=pupil.id, name=parent, relation="moeder" if parent.split()[0] in
                             ("Karin", "Els") else "vader", phone=f"06-1234{rng.randrange(10000):04d}",
                             email=f"{parent.split()[0].lower()}.{last.lower()}@example.nl"))  # fmt: skip
        place_in_group(session, pupil.id, dept.groups[group_key].id or 0, prev_start)
        dept.pupils[number] = pupil.id
    session.flush()
    return dept
