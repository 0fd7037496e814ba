"""A fictional demo school: "Basisschool De Wilgenhoek" with two school years of register.

:func:`create_demo_school` fills an empty database with a realistic po school (8 groups, about 200
pupils, guardians, timetables, studiedagen) and an absence register from the start of the previous school
year up to ``today``, and a small vso department for the law of 16- to 18-year-olds (demo/vso.py): sickness with a winter peak, medical visits, a few chronic absentees, habitual
late-comers, a luxe-verzuim case, an opbouwrooster, unauthorised absence, unexplained absence on
``today`` (the nabellen list), registers taken for nearly every past lesson, and a few parents' reports
for the coming days. The same ``seed`` and ``today`` give the same school.

Everything is fictional: BSN's pass the 11-check but are random, phone numbers are 06-1234xxxx,
e-mail addresses are on example.nl.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert
from sqlmodel import Session, func, select

from verzuimdesk.demo.accounts import add_demo_accounts
from verzuimdesk.demo.history import RegisterHistory
from verzuimdesk.demo.law import add_law_events
from verzuimdesk.demo.names import (
    BACKGROUND_WEIGHTS,
    BACKGROUNDS,
    DUTCH_BOYS,
    DUTCH_GIRLS,
    DUTCH_SURNAMES,
    FORMAL_NAMES,
    GEMEENTEN,
    PARENT_MEN,
    PARENT_WOMEN,
    SECOND_BOY,
    SECOND_GIRL,
    STREETS,
)
from verzuimdesk.demo.people import (
    ADMINISTRATOR,
    GROUPS,
    SCHOOL_NAME,
    DemoSummary,
    _cohort_of,
    _email,
    _Family,
    _first_school_day_on_or_after,
    _group_key,
    _Kid,
    _random_birth,
    _timetable,
    generate_bsn,
)
from verzuimdesk.demo.vso import add_vso_department
from verzuimdesk.model.audit import history_time
from verzuimdesk.model.db import Database, sqlite_path
from verzuimdesk.model.keyfile import mark_demo
from verzuimdesk.model.law.leerplicht import add_years
from verzuimdesk.model.register.timetable import Schedule, set_group_timetable
from verzuimdesk.model.school.calendar import (
    SchoolCalendar,
    add_day_off,
    school_year_bounds,
    school_year_name_for,
)
from verzuimdesk.model.school.reasons import reasons_by_code
from verzuimdesk.model.school.records import get_school, place_in_group, save_group, save_pupil, setup_school
from verzuimdesk.model.store import set_setting
from verzuimdesk.model.tables import (
    AbsenceEntry,
    CallRecord,
    DayOffKind,
    Group,
    Guardian,
    LeerplichtContact,
    Pupil,
    RegisterTaken,
)

# -------------------------------------------------------------------------------------------- build


def ensure_demo(db: Database, *, today: dt.date | None = None, seed: int = 2026) -> DemoSummary | None:
    """Create the demo school when the database has no school yet; otherwise do nothing (None)."""
    with db.session() as s:
        if get_school(s) is not None:
            return None
    return create_demo_school(db, today=today, seed=seed)


def create_demo_school(db: Database, *, today: dt.date | None = None, seed: int = 2026) -> DemoSummary:
    """Fill an empty database with the fictional demo school (one transaction; deterministic per seed)."""
    today = today or dt.date.today()
    with db.transaction() as s:
        summary = _Builder(s, today, seed).build()
    db_file = sqlite_path(db.url)
    if db.key is not None and db_file is not None:
        mark_demo(db_file)  # the log-in of the encrypted demo shows the demo accounts (ui/app.py)
    return summary


class _Builder(RegisterHistory):
    def __init__(self, session: Session, today: dt.date, seed: int) -> None:
        self.s = session
        self.today = today
        self.rng = random.Random(seed)
        self.seed = seed
        self.current_year = school_year_name_for(today)
        self.cur_start, self.cur_end = school_year_bounds(self.current_year)
        self.prev_year = f"{self.cur_start.year - 1}-{self.cur_start.year}"
        self.prev_start, self.prev_end = school_year_bounds(self.prev_year)
        self.groups: dict[str, Group] = {}
        self.kids: list[_Kid] = []
        self.bsns: set[str] = set()
        self.guardian_of: dict[int, str] = {}

    # ------------------------------------------------------------------------------------------ build
    def build(self) -> DemoSummary:
        s = self.s
        # The logboek of the history reads as the school years went (audit.history_time): the set-up on a Monday
        # in May before the first school year, each later event on its own day, today's work this morning.
        may = dt.date(self.prev_start.year, 5, 8)  # in May: before the first schoolgids version (demo/law.py)
        set_up = dt.datetime.combine(may + dt.timedelta(days=(7 - may.weekday()) % 7), dt.time(10, 0))
        with history_time(s, set_up):
            self._set_up()
        self._special_events()
        with history_time(s, set_up):
            vso = add_vso_department(s, today=self.today, calendar=self.calendar, prev_start=self.prev_start,
                                     cur_start=self.cur_start, reasons=self.reasons, bsns=self.bsns, seed=self.seed)
        s.flush()

        horizon = min(self.today + dt.timedelta(days=21), self.cur_end)
        self.schedule = Schedule(s, self.prev_start, horizon, calendar=SchoolCalendar(s, self.prev_start, horizon))
        entries, calls = self._absence()
        entries += vso.absence(self.schedule)
        if entries:
            s.connection().execute(insert(AbsenceEntry), entries)
        if calls:
            s.connection().execute(insert(CallRecord), calls)
        registers, missing = self._registers()
        registers += vso.registers(self.schedule)
        s.connection().execute(insert(RegisterTaken), registers)
        with history_time(s, dt.datetime.combine(self.today, dt.time(8, 10))):
            advance = self._advance_reports()
        with history_time(s, dt.datetime.combine(self.today, dt.time(9, 5))):
            self._call_without_answer()
        others = [k.pupil_id for k in self.kids if k not in self.chronic
                  and k.pupil_id not in (self.luxe_kid.pupil_id, self.leave_kid.pupil_id, self.thuiszitter.pupil_id)
                  and self.schedule.group_of(k.pupil_id, self.today) is not None]
        add_law_events(
            s, today=self.today, calendar=self.calendar, administrator=ADMINISTRATOR,
            luxe_pupil=self.luxe_kid.pupil_id, leave_pupil=self.leave_kid.pupil_id,
            thuiszitter=self.thuiszitter.pupil_id,
            chronic_pupils=[k.pupil_id for k in self.chronic], other_pupils=others[3::17],
            prev_year=self.prev_year, prev_start=self.prev_start, cur_start=self.cur_start, seed=self.seed,
        )  # fmt: skip

        enrolled = [k.pupil_id for k in self.kids if self.schedule.group_of(k.pupil_id, self.today) is not None]
        enrolled += list(vso.pupils.values())
        unexplained = {e["pupil_id"] for e in entries
                       if e["date"] == self.today and e["reason_id"] == self.reasons["X"].id}
        return DemoSummary(
            school_name=SCHOOL_NAME, today=self.today, school_years=(self.prev_year, self.current_year),
            groups=len(self.groups) + len(vso.groups), pupils=len(self.kids) + len(vso.pupils),
            pupils_enrolled=len(enrolled),
            guardians=s.exec(select(func.count()).select_from(Guardian)).one(),
            absence_entries=s.exec(select(func.count()).select_from(AbsenceEntry)).one(),
            registers_taken=len(registers), registers_missing=missing, unexplained_today=len(unexplained),
            advance_reports=advance, deviations=1,
        )  # fmt: skip

    def _set_up(self) -> None:
        """School, settings, calendar, groups, accounts and pupils (the school's first day with the program)."""
        s = self.s
        set_setting(s, "demo", "ja")
        set_setting(s, "gebruiker", ADMINISTRATOR)  # first: every line of the logboek names the administrator
        school = setup_school(s, SCHOOL_NAME, brin="99XA", region="midden", sector="po",
                              school_years=[self.prev_year, self.current_year], today=self.today)
        school.address, school.postcode, school.city = "Wilgenhoek 1", "3991 ZX", "Houten"
        school.phone, school.email = "030-123 45 67", "info@wilgenhoek.example.nl"
        school.director = "Marieke Hoogendoorn"
        school.samenwerkingsverband = "SWV Passend Primair Onderwijs Kromme Rijn (fictief)"
        school.samenwerkingsverband_contact = "Loket passend onderwijs, 030-123 45 99, loket@swv-krommerijn.example.nl"
        s.add(school)
        s.add(LeerplichtContact(gemeente="Houten", name="Jeroen Smulders", phone="030-123 45 10",
                                email="leerplicht.houten@example.nl", address="Postbus 30, 3990 DA Houten"))
        s.add(LeerplichtContact(gemeente="Bunnik", name="Selin Aydın", phone="030-123 45 20",
                                email="leerplicht.bunnik@example.nl", address="Postbus 5, 3980 CA Bunnik"))
        # The reporter of meldingen (Besluit Verzuimmelding: naam, functie, telefoon, e-mail van de melder).
        set_setting(s, "melder_functie", "administratief medewerker / verzuimcoördinator")
        set_setting(s, "melder_telefoon", "030-123 45 68")
        set_setting(s, "melder_email", "verzuim@wilgenhoek.example.nl")
        self.reasons = reasons_by_code(s)
        self._studiedagen()
        self._groups()
        # before the schoolgids version the MR consented to: its privacy part names the roles in use
        add_demo_accounts(s, {key: g.id for key, g in self.groups.items() if g.id is not None})
        self.calendar = SchoolCalendar(s, self.prev_start, self.cur_end)
        self._pupils()

    # --------------------------------------------------------------------------------- calendar, groups
    def _studiedagen(self) -> None:
        cal = SchoolCalendar(self.s, self.prev_start, self.cur_end)
        for start in (self.prev_start, self.cur_start):
            y = start.year
            for wish, weekday in ((dt.date(y, 10, 1), 0), (dt.date(y + 1, 3, 10), 2)):
                day = _first_school_day_on_or_after(cal, wish, weekday)
                if day == self.today:
                    day = _first_school_day_on_or_after(cal, day + dt.timedelta(days=1), weekday)
                add_day_off(self.s, day, day, "Studiedag team", DayOffKind.STUDY_DAY.value)

    def _groups(self) -> None:
        for key, name, jaargroep, _teacher in GROUPS:
            group = save_group(self.s, Group(key=key, name=name, jaargroep=jaargroep, registers_per="klokuur"))
            assert group.id is not None
            self.groups[key] = group
            # Groups 1–4 have Friday afternoon off (domain.md §3); Wednesday afternoon is free for all.
            set_group_timetable(self.s, group.id, _timetable(friday_afternoon_free=jaargroep in "1234"))

    # ------------------------------------------------------------------------------------------ pupils
    def _pupils(self) -> None:
        rng = self.rng
        y = self.cur_start.year
        number = 1000
        births: list[tuple[dt.date, int]] = []
        for cohort in range(y - 12, y - 2):  # last year's group 8 … this year's instroom
            size = rng.randint(22, 27)
            for _ in range(size):
                births.append((_random_birth(rng, cohort), cohort))
        # The opbouwrooster pupil: turned four a few weeks ago (domain.md §3, art. 11a).
        self.newcomer_birth = add_years(self.today - dt.timedelta(days=25), -4)
        births.append((self.newcomer_birth, _cohort_of(self.newcomer_birth)))
        families: list[_Family] = []
        used_names: set[tuple[str, str]] = set()
        for index, (born, cohort) in enumerate(births):
            fourth = add_years(born, 4)
            if fourth > self.today:
                continue
            number += 1
            boy = rng.random() < 0.5
            background = rng.choices(BACKGROUNDS, BACKGROUND_WEIGHTS)[0] if rng.random() < 0.2 else None
            sibling = families[rng.randrange(len(families))] if families and rng.random() < 0.2 else None
            if sibling is not None and not sibling.may_have_child_born(born):
                sibling = None
            if sibling is not None:  # brother or sister of an earlier pupil: same family, same parents
                family = sibling
            else:
                family = self._new_family(background)
                families.append(family)
            # Draw the first name until the full name is new in the school: two pupils with the same name
            # would be indistinguishable in a register.
            for _attempt in range(50):
                if background is not None:
                    first = rng.choice(background[0] if boy else background[1])
                else:
                    first = rng.choice(DUTCH_BOYS if boy else DUTCH_GIRLS)
                if (first, family.last) not in used_names:
                    break
            used_names.add((first, family.last))
            muslim = family.muslim if sibling is not None else (background[3] if background is not None else False)
            formal = FORMAL_NAMES.get(first, first)
            second = rng.choice(SECOND_BOY if boy else SECOND_GIRL) if background is None and rng.random() < 0.6 else ""
            family.births.append(born)
            prefix, last = family.prefix, family.last
            pupil = save_pupil(
                self.s,
                Pupil(
                    key=str(number), achternaam=last, voorvoegsel=prefix, voornamen=f"{formal} {second}".strip(),
                    roepnaam=first, birth_date=born, gender="m" if boy else "v", bsn=generate_bsn(rng, self.bsns),
                    woongemeente=family.gemeente, address=family.address, postcode=family.postcode,
                    city=family.gemeente,
                    enrolled_on=fourth, left_on=self._last_school_day(self.prev_end) if cohort == y - 12 else None,
                ),
            )  # fmt: skip
            assert pupil.id is not None
            for full, relation, phone, email in family.guardians:
                self.s.add(Guardian(pupil_id=pupil.id, name=full, relation=relation, phone=phone, email=email))
            self.guardian_of[pupil.id] = family.guardians[0][0]
            kid = _Kid(pupil.id, cohort, "1/2a" if index % 2 == 0 else "1/2b", muslim)
            if index == len(births) - 1:
                self.newcomer = kid  # the four-year-old of the opbouwrooster
            kid.sick_rate = 0.012 * rng.uniform(0.3, 1.7)
            self.kids.append(kid)
            for year_start in (self.prev_start, self.cur_start):
                key = _group_key(kid, year_start.year)
                if key is None:
                    continue
                end = self.prev_end if year_start == self.prev_start else self.cur_end
                date_from = max(year_start, pupil.enrolled_on or year_start)
                if date_from <= end and (pupil.left_on is None or date_from <= pupil.left_on):
                    place_in_group(self.s, pupil.id, self.groups[key].id, date_from)  # type: ignore[arg-type]
            if pupil.left_on is not None:
                self._end_membership(pupil.id, pupil.left_on)
        self.s.flush()

    def _new_family(self, background: tuple[list[str], list[str], list[tuple[str, str]], bool] | None) -> _Family:
        rng = self.rng
        if background is not None:
            prefix, last = rng.choice(background[2])
            mother, father = rng.choice(background[1]), rng.choice(background[0])
        else:
            prefix, last = rng.choice(DUTCH_SURNAMES)
            mother, father = rng.choice(PARENT_WOMEN), rng.choice(PARENT_MEN)
        gemeente, pc, _weight = rng.choices(GEMEENTEN, [g[2] for g in GEMEENTEN])[0]
        guardians: list[tuple[str, str, str, str]] = []
        for relation, name in (("moeder", mother), ("vader", father)):
            if relation == "vader" and rng.random() < 0.25:
                continue  # one guardian on file
            full = " ".join(p for p in (name, prefix, last) if p)
            guardians.append((full, relation, f"06-1234{rng.randrange(10000):04d}", _email(name, prefix, last)))
        return _Family(
            prefix=prefix, last=last, gemeente=gemeente,
            address=f"{rng.choice(STREETS)} {rng.randint(1, 140)}",
            postcode=f"{pc} {chr(65 + rng.randrange(26))}{chr(65 + rng.randrange(26))}",
            guardians=guardians, muslim=background[3] if background else False,
        )  # fmt: skip

    def _last_school_day(self, before: dt.date) -> dt.date:
        day = before
        while not self.calendar.is_school_day(day):
            day -= dt.timedelta(days=1)
        return day
